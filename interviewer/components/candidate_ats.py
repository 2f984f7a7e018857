"""The ATS result card (score, radar, section feedback, keywords, advice), shared by /me/ats
and the candidate detail page. ``view`` is an ``AtsView`` state var."""

from __future__ import annotations

import reflex as rx

from interviewer.components.charts import radar_chart
from interviewer.components.fit_ui import fit_reasons

OFFLINE_HINT = ("No AI provider is configured, so this result comes from the built-in offline analysis: "
                "deterministic rules on structure, sections and keywords.")


def score_ring(score: rx.Var, color: rx.Var, label: rx.Var) -> rx.Component:
    return rx.vstack(
        rx.center(
            rx.center(
                rx.vstack(
                    rx.text(score, size="8", weight="bold", line_height="1", id="ats-score"),
                    rx.text("/ 100", size="1", color_scheme="gray"),
                    spacing="0",
                    align="center",
                ),
                class_name="score-ring-inner",
            ),
            class_name="score-ring",
            style={"background": "conic-gradient(var(--" + color + "-9) " + score.to_string() + "%, var(--gray-a4) 0)"},
        ),
        rx.badge(label, color_scheme=color, variant="soft", size="2", radius="full", id="ats-score-label"),
        align="center",
        spacing="2",
    )


def analysis_badges(view) -> rx.Component:
    return rx.hstack(
        rx.cond(view.ats_friendly,
                rx.badge(rx.icon("circle_check", size=14), "ATS-friendly", color_scheme="green", size="2"),
                rx.tooltip(rx.badge(rx.icon("circle_x", size=14), "Not ATS-friendly", color_scheme="red", size="2",
                                    id="ats-not-friendly"), content=view.not_friendly_reason)),
        rx.cond(view.offline,
                rx.tooltip(rx.badge(rx.icon("cpu", size=14), "offline analysis", color_scheme="gray", size="2",
                                    variant="surface", id="ats-offline"), content=OFFLINE_HINT),
                rx.cond(view.analysis_label != "",
                        rx.badge(rx.icon("sparkles", size=14), view.analysis_label, color_scheme="violet", size="2",
                                 variant="surface"),
                        rx.fragment())),
        rx.cond(view.job_description,
                rx.badge(rx.icon("briefcase", size=14), "Compared with a job description", color_scheme="indigo",
                         size="2", variant="surface"),
                rx.fragment()),
        spacing="2",
        wrap="wrap",
    )


def _section(section) -> rx.Component:
    return rx.vstack(
        rx.hstack(
            rx.text(section.label, size="2", weight="medium"),
            rx.spacer(),
            rx.text(section.score, "/5", size="2", weight="bold"),
            width="100%",
            align="center",
        ),
        rx.progress(value=section.score * 20, max=100, size="1",
                    color_scheme=rx.cond(section.score >= 4, "green", rx.cond(section.score >= 3, "amber", "red"))),
        rx.text(section.feedback, size="1", color_scheme="gray"),
        spacing="1",
        width="100%",
    )


def _chips(items: rx.Var, color: str, icon: str, empty: str) -> rx.Component:
    return rx.cond(
        items.length() > 0,
        rx.flex(rx.foreach(items, lambda k: rx.badge(rx.icon(icon, size=12), k, color_scheme=color, variant="soft",
                                                      size="2", radius="full")),
                wrap="wrap", spacing="2"),
        rx.text(empty, size="2", color_scheme="gray"),
    )


def _list_card(title: str, icon: str, color: str, items: rx.Var, empty: str, list_id: str) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.hstack(rx.icon(icon, size=18, color=f"var(--{color}-10)"), rx.heading(title, size="3"),
                      align="center", spacing="2"),
            rx.cond(
                items.length() > 0,
                rx.el.ul(rx.foreach(items, lambda t: rx.el.li(rx.text(t, size="2"))), class_name="advice-list"),
                rx.text(empty, size="2", color_scheme="gray"),
            ),
            spacing="3",
            width="100%",
        ),
        width="100%",
        id=list_id,
    )


def ats_result(view, *, for_recruiter: bool = False) -> rx.Component:
    """``for_recruiter``: HR reading about a candidate (the candidate page), not the resume's owner."""
    header = rx.flex(
        score_ring(view.score, view.score_color, view.score_label),
        rx.vstack(
            rx.hstack(rx.heading("Resume analysis", size="5"),
                      rx.text(view.filename, " · ", view.created, size="1", color_scheme="gray"),
                      spacing="3", align="baseline", wrap="wrap"),
            rx.text(view.summary, size="3"),
            analysis_badges(view),
            spacing="3",
            width="100%",
        ),
        direction={"initial": "column", "sm": "row"},
        align={"initial": "center", "sm": "center"},
        spacing="5",
        width="100%",
    )
    sections = rx.grid(
        rx.card(
            rx.vstack(rx.heading("Section scores", size="3"), radar_chart(view.radar), spacing="2", width="100%"),
            width="100%",
        ),
        rx.card(rx.vstack(rx.foreach(view.sections, _section), spacing="4", width="100%"), width="100%",
                id="ats-sections"),
        spacing="4",
        width="100%",
        class_name="auto-grid auto-grid--wide",
    )
    keywords = rx.card(
        rx.grid(
            rx.vstack(rx.text(rx.cond(view.job_description, "The posting's skills found", "Keywords found"),
                              weight="medium", size="2"),
                      _chips(view.keywords_found, "green", "check", "None detected."), spacing="2"),
            rx.vstack(rx.text(rx.cond(view.job_description, "The posting's skills missing", "Keywords missing"),
                              weight="medium", size="2"),
                      _chips(view.keywords_missing, "red", "x", "Nothing important is missing."), spacing="2"),
            spacing="4",
            width="100%",
            class_name="auto-grid auto-grid--wide",
        ),
        width="100%",
        id="ats-keywords",
    )
    advice = rx.grid(
        _list_card("What the resume lacks" if for_recruiter else "Improvements", "trending_up", "amber",
                   view.improvements, "Nothing important is missing." if for_recruiter else "No suggestions.",
                   "ats-improvements"),
        _list_card("Highlights", "star", "green", view.highlights, "No highlights found.", "ats-highlights"),
        _list_card("Formatting issues", "triangle_alert", "red", view.formatting_issues, "No formatting issues.",
                   "ats-formatting"),
        spacing="4",
        width="100%",
        class_name="auto-grid",
    )
    return rx.vstack(rx.card(header, size="3", width="100%"), _measures(view, for_recruiter), sections, keywords,
                     advice,
                     spacing="4", width="100%", id="ats-result")


def _measures(view, for_recruiter: bool = False) -> rx.Component:
    """Format/readability and fit to the posting, apart: what each number measures and why."""
    fmt = rx.card(
        rx.vstack(
            rx.hstack(rx.icon("layout_template", size=18), rx.heading("Format and readability", size="3"),
                      align="center"),
            rx.text(view.format_score, "/100", size="6", weight="bold", id="ats-format-score"),
            rx.text("How well an applicant tracking system can read this resume, whatever the job.", size="2"),
            rx.text(view.format_explanation, size="1", color_scheme="gray"),
            spacing="2", width="100%",
        ),
        width="100%", id="ats-format",
    )
    fit = view.fit
    fit_card = rx.card(
        rx.vstack(
            rx.hstack(rx.icon("target", size=18), rx.heading("Fit to the posting", size="3"), align="center"),
            rx.cond(fit.has_fit & fit.supported,
                    rx.hstack(rx.text(fit.score, "/100", size="6", weight="bold", id="ats-fit-score"),
                              rx.badge(fit.band, color_scheme=fit.color, variant="soft"),
                              align="center", spacing="2"),
                    rx.fragment()),
            rx.cond(
                fit.has_fit,
                rx.cond(fit.supported,
                        rx.vstack(rx.text("How closely the resume matches the job description given: its skills, "
                                          "field of work and wording.", size="2"),
                                  fit_reasons(fit), spacing="2", width="100%"),
                        rx.text(fit.reason, size="2", color_scheme="gray")),
                rx.text("No job description was given, so fit is not measured. "
                        + ("Run the check again compared with the job's description to measure it." if for_recruiter
                           else "Paste a job description to see how the resume matches it."),
                        size="2", color_scheme="gray"),
            ),
            spacing="2", width="100%",
        ),
        width="100%", id="ats-fit",
    )
    return rx.cond(view.format_score != "",
                   rx.grid(fmt, fit_card, spacing="4", width="100%", class_name="auto-grid auto-grid--wide"),
                   rx.fragment())


def ats_progress(title: str = "Analysing the resume…") -> rx.Component:
    return rx.card(
        rx.hstack(
            rx.spinner(size="3"),
            rx.vstack(
                rx.text(title, weight="medium"),
                rx.text("Checking structure, sections and keywords. This usually takes a few seconds.",
                        size="2", color_scheme="gray"),
                spacing="1",
            ),
            spacing="4",
            align="center",
        ),
        width="100%",
        id="ats-running",
    )


def ats_failed(message: rx.Var) -> rx.Component:
    return rx.callout.root(rx.callout.icon(rx.icon("circle_alert")),
                           rx.callout.text("The analysis failed: ", message, " Please try again."),
                           color_scheme="red", width="100%")
