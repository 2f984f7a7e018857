"""Layout of the signed-out pages: a centred card on a quiet background."""

from __future__ import annotations

import reflex as rx

from interviewer.components.shell import brand


def auth_layout(title: str, subtitle: str, *children: rx.Component, width: str = "440px") -> rx.Component:
    return rx.box(
        rx.center(
            rx.vstack(
                rx.center(brand("5"), width="100%", padding_bottom="0.5em"),
                rx.card(
                    rx.vstack(
                        rx.vstack(
                            rx.heading(title, size="6", weight="bold"),
                            rx.text(subtitle, color_scheme="gray", size="2") if subtitle else rx.fragment(),
                            spacing="1",
                            width="100%",
                        ),
                        *children,
                        spacing="5",
                        width="100%",
                    ),
                    size="4",
                    width="100%",
                ),
                rx.text("AI Interviewer: structured, fair technical interviews.", size="1", color_scheme="gray",
                        align="center", width="100%"),
                spacing="4",
                width="100%",
                max_width=width,
            ),
            min_height="100vh",
            padding="2em 1em",
        ),
        class_name="public-bg",
    )


def centered_message(icon: str, color: str, title: str | rx.Var, text: rx.Var | str) -> rx.Component:
    return rx.vstack(
        rx.center(rx.icon(icon, size=28), class_name=f"result-icon result-icon--{color}"),
        rx.heading(title, size="5", align="center"),
        rx.text(text, color_scheme="gray", align="center", size="2"),
        align="center",
        spacing="3",
        width="100%",
    )
