"""How one answer was judged, as the job editor's "Try an answer" dialog and the interview report
both show it: the score out of 5 with its rule in words, one row per key point (status badge,
the quotes that decide it, the reason) and the flags as plain notes."""

from __future__ import annotations

import reflex as rx

STATUS_STYLE = {  # status -> (colour, icon)
    "covered": ("green", "circle_check"),
    "partial": ("amber", "circle_dot"),
    "missed": ("gray", "circle_minus"),
    "contradicted": ("red", "circle_x"),
}


def status_badge(status: rx.Var, label: rx.Var) -> rx.Component:
    return rx.badge(
        rx.match(status, *[(k, rx.icon(icon, size=13)) for k, (_, icon) in STATUS_STYLE.items()],
                 rx.icon("circle", size=13)),
        label,
        color_scheme=rx.match(status, *[(k, color) for k, (color, _) in STATUS_STYLE.items()], "gray"),
        variant=rx.cond(status == "contradicted", "solid", "soft"),
        size="2", radius="full", class_name="point-badge",
    )


def point_row(p) -> rx.Component:
    """``p``: an ``assessment_view.PointRow`` var."""
    return rx.flex(
        rx.box(status_badge(p.status, p.label), class_name="point-status"),
        rx.vstack(
            rx.text(p.point, size="2", weight="medium", class_name="point-text"),
            rx.foreach(p.quotes, lambda quote: rx.text(
                "“", quote, "”", size="2", class_name="quote quote--" + p.status)),
            rx.cond(p.note != "", rx.text(p.note, size="1", color_scheme="gray"), rx.fragment()),
            spacing="1", flex="1", min_width="0",
        ),
        direction={"initial": "column", "sm": "row"},
        spacing="3",
        width="100%",
        class_name="point-row",
        custom_attrs={"data-status": p.status},
    )


def point_list(points: rx.Var, **props) -> rx.Component:
    props.setdefault("class_name", "point-list")
    return rx.vstack(rx.foreach(points, point_row), spacing="0", width="100%", **props)


RULE_TEXT = ("Each key point counts 1 when covered, ½ when partly covered, 0 when missed and −½ when "
             "contradicted; the sum is scaled to 5 (never below 0).")


def score_summary(score: rx.Var, score_pct: rx.Var, rule: rx.Var, score_rule: rx.Var, *,
                  size: str = "7", score_id: str | None = None, math: rx.Var | None = None) -> rx.Component:
    """'3.1 / 5' with, beside it, how the number came about: '2 of 4 covered, 1 partly: 5 × (2 + 0.5)
    / 4 = 3.1' and, on hover, the general rule. With ``math`` the line says only what was covered
    and the arithmetic moves into the hover text."""
    color = rx.cond(score_pct >= 70, "green", rx.cond(score_pct >= 40, "amber", "red"))
    tip = RULE_TEXT if math is None else rx.cond(math != "", "Score: " + math + ". " + RULE_TEXT, RULE_TEXT)
    explain = rx.cond(
        rule != "",
        rx.hstack(
            rx.text(rule, size="2", class_name="score-rule"),
            rx.cond(score_rule != "",
                    rx.tooltip(rx.icon("info", size=14, color=rx.color("gray", 10), class_name="rule-info",
                                       aria_label="How the score is computed"),
                               content=tip),
                    rx.fragment()),
            spacing="1", align="center",
        ),
        rx.fragment(),
    )
    return rx.flex(
        rx.vstack(
            rx.hstack(rx.heading(score, size=size, id=score_id) if score_id else rx.heading(score, size=size),
                      rx.text("/ 5", size="3", color_scheme="gray"), align="baseline", spacing="1"),
            rx.progress(value=score_pct, max=100, width="90px", size="1", color_scheme=color),
            spacing="1", align="start",
        ),
        explain,
        spacing="4", align="center", wrap="wrap",
    )


def flag_notes(notes: rx.Var) -> rx.Component:
    return rx.cond(
        notes.length() > 0,
        rx.vstack(
            rx.foreach(notes, lambda n: rx.hstack(rx.icon("flag", size=14, color=rx.color("amber", 10),
                                                          flex_shrink="0", margin_top="3px"),
                                                  rx.text(n, size="2"), spacing="2", align="start")),
            spacing="1", width="100%", class_name="flag-notes",
        ),
        rx.fragment(),
    )


def analysis_badge(label: rx.Var) -> rx.Component:
    """'offline analysis' (grey) or 'AI analysis (gemini)' (violet)."""
    return rx.cond(
        label != "",
        rx.badge(rx.cond(label == "offline analysis", rx.icon("cpu", size=12), rx.icon("sparkles", size=12)), label,
                 color_scheme=rx.cond(label == "offline analysis", "gray", "violet"), variant="surface"),
        rx.fragment(),
    )
