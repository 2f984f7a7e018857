"""The dashboard's getting-started checklist for a new company (services.onboarding decides the
steps and whether each is done; this only draws them)."""

from __future__ import annotations

import reflex as rx

from interviewer.state.dashboard_state import DashboardState as S


def _step(step) -> rx.Component:
    mark = rx.cond(
        step.done,
        rx.icon("circle_check", size=20, color=rx.color("green", 9), aria_label="Done"),
        rx.icon("circle", size=20, color=rx.color("gray", 8), aria_label="To do"),
    )
    return rx.flex(
        mark,
        rx.vstack(
            rx.text(step.title, size="2", weight="medium",
                    class_name=rx.cond(step.done, "onboarding-title onboarding-title--done", "onboarding-title")),
            rx.text(step.description, size="1", color_scheme="gray"),
            spacing="0", flex="1", min_width="0",
        ),
        rx.cond(step.done,
                rx.text("Done", size="1", color_scheme="green", weight="medium"),
                rx.button(rx.link(step.action, rx.icon("arrow_right", size=14), href=step.href, underline="none",
                                  id="onboarding-go-" + step.key),
                          as_child=True, size="1", variant=rx.cond(step.optional, "soft", "solid"))),
        align="center", spacing="3", width="100%",
        class_name="onboarding-step",
        id="onboarding-" + step.key,
        custom_attrs={"data-done": rx.cond(step.done, "true", "false")},
    )


def onboarding_card() -> rx.Component:
    """Shown while the company has steps left and nobody dismissed it."""
    progress = rx.cond(S.onboarding_total > 0, S.onboarding_done * 100 / S.onboarding_total, 0)
    return rx.cond(
        S.onboarding.length() > 0,
        rx.card(
            rx.vstack(
                rx.flex(
                    rx.hstack(rx.icon("rocket", size=18, color=rx.color("indigo", 10)),
                              rx.heading("Get started", size="4"), align="center", spacing="2"),
                    rx.text(S.onboarding_done, " of ", S.onboarding_total, " done", size="2", color_scheme="gray",
                            id="onboarding-progress-text"),
                    rx.spacer(),
                    rx.button("Hide this list", size="1", variant="ghost", color_scheme="gray", type="button",
                              on_click=S.dismiss_onboarding, id="onboarding-dismiss"),
                    align="center", spacing="3", width="100%", wrap="wrap",
                ),
                rx.text("A few steps to your first AI interview. Each one is ticked off as you do it; the list "
                        "goes away when they are all done.", size="2", color_scheme="gray"),
                rx.progress(value=progress, max=100, size="1", aria_label="Getting started progress"),
                rx.vstack(rx.foreach(S.onboarding, _step), spacing="2", width="100%"),
                spacing="3", width="100%",
            ),
            width="100%", id="onboarding", class_name="onboarding-card",
        ),
        rx.fragment(),
    )
