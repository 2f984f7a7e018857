"""The reasons of a job fit (``state.job_fit_state.FitView``): the evidence, then how the score is
made from it. Shared by the job page, the candidate page and the ATS result."""

from __future__ import annotations

import reflex as rx

from interviewer.components.hiring_ui import chip


def fit_chips(values, color: str, icon: str | None = None) -> rx.Component:
    return rx.flex(rx.foreach(values, lambda s: chip(s, color=color, icon=icon)), wrap="wrap", spacing="1")


def fit_reasons(v) -> rx.Component:
    """Why a fit has its score: the evidence, then how the number is made from it."""
    return rx.vstack(
        rx.cond(v.matched.length() > 0,
                rx.vstack(rx.text("Skills of the job the resume shows in its work", size="1", weight="medium"),
                          fit_chips(v.matched, "green", "check"), spacing="1"), rx.fragment()),
        rx.cond(v.listed_only.length() > 0,
                rx.vstack(rx.text("Only listed, not shown in any work described", size="1", weight="medium"),
                          fit_chips(v.listed_only, "amber"), spacing="1"), rx.fragment()),
        rx.cond(v.missing.length() > 0,
                rx.vstack(rx.text("Skills of the job not found in the resume", size="1", weight="medium"),
                          rx.flex(fit_chips(v.missing, "gray", "x"),
                                  rx.cond(v.more_missing > 0, rx.text("+", v.more_missing, " more", size="1",
                                                                      color_scheme="gray"), rx.fragment()),
                                  wrap="wrap", spacing="1", align="center"),
                          spacing="1"), rx.fragment()),
        rx.cond(v.quotes.length() > 0,
                rx.vstack(rx.text("From the resume", size="1", weight="medium"),
                          rx.foreach(v.quotes, lambda q: rx.hstack(
                              rx.badge(q[0], variant="outline", size="1"),
                              rx.text("“", q[1], "”", size="2", class_name="fit-quote"),
                              spacing="2", align="start")),
                          spacing="1"), rx.fragment()),
        rx.hstack(rx.icon("briefcase", size=14, flex_shrink="0", margin_top="3px"),
                  rx.text(v.seniority, size="2", color_scheme="gray"), spacing="2", align="start"),
        rx.text("How the score is made: ", v.parts, size="1", color_scheme="gray", class_name="fit-formula"),
        rx.cond(v.skills_rule != "", rx.text(v.skills_rule, size="1", color_scheme="gray", class_name="fit-skills-rule"),
                rx.fragment()),
        spacing="2", align="start", width="100%",
    )
