"""Pieces shared by the hiring pages: interview status and verdict badges, the analysis-provider
label, key-point chips, a weight stepper and a titled section card."""

from __future__ import annotations

import reflex as rx

INTERVIEW_STATUS = {
    "scheduled": ("Scheduled", "blue"),
    "in_progress": ("In progress", "amber"),
    "completed": ("Completed", "green"),
    "cancelled": ("Cancelled", "gray"),
    "expired": ("Expired", "orange"),
}
VERDICTS = {"PASS": ("Pass", "green"), "REVIEW": ("Review", "amber"), "FAIL": ("Fail", "red")}


def interview_status_badge(status: rx.Var) -> rx.Component:
    return rx.badge(
        rx.match(status, *[(k, label) for k, (label, _) in INTERVIEW_STATUS.items()], status),
        color_scheme=rx.match(status, *[(k, color) for k, (_, color) in INTERVIEW_STATUS.items()], "gray"),
        variant="soft", radius="full", size="2",
    )


def verdict_badge(verdict: rx.Var, size: str = "2") -> rx.Component:
    return rx.cond(
        verdict != "",
        rx.badge(
            rx.match(verdict, *[(k, label) for k, (label, _) in VERDICTS.items()], verdict),
            color_scheme=rx.match(verdict, *[(k, color) for k, (_, color) in VERDICTS.items()], "gray"),
            variant="solid", radius="full", size=size,
        ),
        rx.text("—", color_scheme="gray"),
    )


def provider_label(provider: rx.Var) -> rx.Component:
    """'offline analysis' when the company's AI resolves to the offline provider."""
    return rx.match(
        provider,
        ("offline", rx.tooltip(rx.badge(rx.icon("cpu", size=12), "offline analysis", color_scheme="gray",
                                        variant="surface"),
                               content="No AI key is used: a deterministic offline analysis runs on our servers.")),
        ("gemini", rx.badge(rx.icon("sparkles", size=12), "Gemini", color_scheme="violet", variant="surface")),
        ("unavailable", rx.tooltip(rx.badge(rx.icon("triangle_alert", size=12), "AI not configured",
                                            color_scheme="red", variant="surface"),
                                   content="Gemini is selected but no API key is set (see AI settings).")),
        rx.fragment(),
    )


def chip(text: rx.Var, *, color: str = "gray", icon: str | None = None, on_remove=None) -> rx.Component:
    return rx.badge(
        rx.icon(icon, size=12) if icon else rx.fragment(),
        rx.text(text, class_name="chip-text"),
        rx.icon("x", size=12, on_click=on_remove, class_name="chip-remove", aria_label="Remove")
        if on_remove is not None else rx.fragment(),
        color_scheme=color, variant="soft", radius="full", size="2", class_name="chip",
    )


def _off(limit: rx.Var, disabled: rx.Var | bool) -> rx.Var | bool:
    if isinstance(disabled, rx.Var):
        return limit | disabled
    return True if disabled else limit


def weight_stepper(value: rx.Var, on_minus, on_plus, *, disabled: rx.Var | bool = False,
                   label: str | rx.Var = "weight") -> rx.Component:
    """A 1-10 stepper: minus, the value, plus (``label`` names what it sets, for the buttons' names)."""
    return rx.hstack(
        rx.icon_button(rx.icon("minus", size=12), size="1", variant="soft", color_scheme="gray", type="button",
                       on_click=on_minus, disabled=_off(value <= 1, disabled), aria_label="Decrease " + label),
        rx.text(value, size="2", weight="bold", class_name="stepper-value", aria_live="polite"),
        rx.icon_button(rx.icon("plus", size=12), size="1", variant="soft", color_scheme="gray", type="button",
                       on_click=on_plus, disabled=_off(value >= 10, disabled), aria_label="Increase " + label),
        spacing="1",
        align="center",
    )


def section(title: str | rx.Var, *children: rx.Component, icon: str | None = None,
            actions: rx.Component | None = None, **props) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.flex(
                rx.hstack(rx.icon(icon, size=18, color=rx.color("accent", 10)) if icon else rx.fragment(),
                          rx.heading(title, size="4"), align="center", spacing="2"),
                rx.spacer(),
                actions if actions is not None else rx.fragment(),
                align="center", width="100%", wrap="wrap", spacing="2",
            ),
            *children,
            spacing="3",
            width="100%",
        ),
        size="3",
        width="100%",
        **props,
    )


def meta_item(label: str, value: rx.Component | rx.Var | str) -> rx.Component:
    return rx.vstack(
        rx.text(label, size="1", color_scheme="gray", weight="medium", class_name="meta-label"),
        value if isinstance(value, rx.Component) else rx.text(value, size="2", weight="medium"),
        spacing="1",
        min_width="120px",
    )
