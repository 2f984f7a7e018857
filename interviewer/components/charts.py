"""Charts: the pipeline funnel (HTML bars, readable at any width and with zero counts) and the
ATS section radar (recharts)."""

from __future__ import annotations

import reflex as rx

from interviewer.components.ui import status_badge


def _funnel_row(stage) -> rx.Component:
    bar = rx.box(
        rx.text(stage.count, size="2", weight="bold", class_name="funnel-count"),
        class_name="funnel-bar",
        style={"width": stage.width, "background": "var(--" + stage.color + "-9)"},
    )
    return rx.link(
        rx.grid(
            rx.box(status_badge(stage.status, stage.label), class_name="funnel-label"),
            rx.center(bar, width="100%"),
            rx.text(stage.conversion, size="1", color_scheme="gray", class_name="funnel-rate"),
            class_name="funnel-row",
            width="100%",
        ),
        href="/candidates?status=" + stage.status,
        underline="none",
        color="inherit",
        display="block",
        width="100%",
        id="funnel-" + stage.status,
        aria_label=stage.label + ": " + stage.count.to_string(),
    )


def funnel_chart(stages: rx.Var, *, caption: str = "") -> rx.Component:
    """``stages``: items with status, label, count, width (CSS %), color (Radix scale) and
    conversion (text, e.g. "50% of previous")."""
    return rx.vstack(
        rx.foreach(stages, _funnel_row),
        rx.text(caption, size="1", color_scheme="gray") if caption else rx.fragment(),
        spacing="2",
        width="100%",
        class_name="funnel",
    )


def radar_chart(data: rx.Var, *, height: int = 300) -> rx.Component:
    """``data``: [{"section": label, "score": 0-5}] for the 7 resume sections."""
    return rx.box(
        rx.recharts.radar_chart(
            rx.recharts.polar_grid(stroke="var(--gray-a6)"),
            rx.recharts.polar_angle_axis(data_key="section", tick={"fontSize": 12, "fill": "var(--gray-11)"}),
            rx.recharts.polar_radius_axis(angle=90, domain=[0, 5], tick_count=6, tick={"fontSize": 10}),
            rx.recharts.radar(data_key="score", name="Score (0-5)", stroke="var(--indigo-9)",
                              fill="var(--indigo-9)", fill_opacity=0.35, is_animation_active=False,
                              dot=True),
            rx.recharts.graphing_tooltip(),
            data=data,
            width="100%",
            height=height,
            outer_radius="62%",
            margin={"top": 10, "right": 30, "bottom": 10, "left": 30},
        ),
        width="100%",
        class_name="radar-box",
    )
