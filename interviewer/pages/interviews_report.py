"""/interviews/[interview_id]: the interview report (HR, admins, the assigned employee)."""

from __future__ import annotations

import reflex as rx

from interviewer.components.hiring_ui import interview_status_badge, meta_item, provider_label, section, verdict_badge
from interviewer.components.shell import app_shell
from interviewer.components.ui import block_callout, error_callout, field, loading_block
from interviewer.pages.interviews_report_parts import (
    fairness_section,
    questions_section,
    signals_section,
    transcript_section,
)
from interviewer.pages.interviews_report_scoring import rescore_dialog, scoring_section
from interviewer.state.interviews_report_state import ReportState
from interviewer.state.feedback_state import FeedbackState as FB

S = ReportState


def _dash(value) -> rx.Component:
    return rx.cond(value != "", rx.text(value, size="2", weight="medium"), rx.text("—", size="2", color_scheme="gray"))


def _time_spent() -> rx.Component:
    """The time the candidate really spent (not the time booked)."""
    return rx.vstack(
        rx.cond(S.time_spent != "", rx.text(S.time_spent, size="2", weight="medium", id="report-time-spent"),
                rx.text("—", size="2", color_scheme="gray", id="report-time-spent")),
        rx.text(S.duration, " min booked", size="1", color_scheme="gray"),
        rx.cond(S.turn_latency != "", rx.text(S.turn_latency, size="1", color_scheme="gray",
                                              id="report-turn-latency"), rx.fragment()),
        spacing="0",
    )


def _print_button() -> rx.Component:
    return rx.button(rx.icon("printer", size=15), "Print or save as PDF", variant="soft", color_scheme="gray",
                     size="2", on_click=rx.call_script("window.print()"), type="button", id="report-print",
                     class_name="no-print")


def _header() -> rx.Component:
    return rx.vstack(
        rx.flex(
            rx.link(rx.hstack(rx.icon("arrow_left", size=14), rx.text("All interviews", size="2"), align="center",
                              spacing="1"), href="/interviews", color_scheme="gray", underline="none"),
            rx.spacer(),
            rx.cond(S.verdict != "", _print_button(), rx.fragment()),
            align="center", width="100%", class_name="no-print",
        ),
        rx.flex(
            rx.vstack(
                rx.heading(rx.link(S.candidate, href="/candidates/" + S.candidate_id, color="inherit"), size="7",
                           id="report-candidate"),
                rx.text(S.job, " · ", S.candidate_email, color_scheme="gray", size="2"),
                spacing="1",
            ),
            rx.spacer(),
            rx.hstack(interview_status_badge(S.status), provider_label(S.provider), spacing="2", align="center"),
            direction={"initial": "column", "sm": "row"}, spacing="2", width="100%",
        ),
        rx.card(rx.grid(
            meta_item("Scheduled", _dash(S.scheduled)),
            meta_item("Started", _dash(S.started)),
            meta_item("Completed", _dash(S.completed)),
            meta_item("Time spent", _time_spent()),
            meta_item("Interviewer", rx.cond(S.interviewer != "", rx.text(S.interviewer, size="2", weight="medium"),
                                             rx.text("AI only", size="2", color_scheme="gray"))),
            columns={"initial": "2", "md": "5"}, spacing="4", width="100%",
        ), size="2", width="100%"),
        spacing="3", width="100%", margin_bottom="1em",
    )


def _scoring_status() -> rx.Component:
    rescoring = block_callout(rx.text("Scoring again… The current report stays on show until the new one is "
                                      "ready; this page updates by itself.", size="2"),
                              icon="spinner", color="blue", width="100%", role="status", id="rescore-pending")
    return rx.cond(S.rescoring, rescoring, rx.match(
        S.scoring_status,
        ("failed", rx.callout(rx.text.span("Scoring failed: ", S.scoring_error, " It is retried automatically; if it "
                                           "keeps failing, check the AI settings."), icon="circle_alert",
                              color_scheme="red", role="alert", width="100%")),
        ("running", block_callout(rx.text("Scoring the interview… this page updates by itself.", size="2"),
                                  icon="spinner", color="blue", width="100%", role="status")),
        ("completed", rx.cond(S.scoring_error != "",
                              rx.callout(rx.text.span("Scoring again failed, so the report below is unchanged: ",
                                                 S.scoring_error), icon="circle_alert", color_scheme="amber",
                                         width="100%", role="alert"),
                              rx.fragment())),
        rx.cond(S.status == "completed",
                block_callout(rx.text("Waiting for the scoring to start… this page updates by itself.", size="2"),
                              icon="spinner", color="blue", width="100%", role="status"),
                rx.callout("The report appears once the candidate has completed the interview.", icon="clock",
                           color_scheme="gray", width="100%")),
    ))


def _score_bar() -> rx.Component:
    """The score on a 0-100 bar with the review and pass marks; each label sits under its marker."""
    return rx.box(
        rx.box(
            rx.box(class_name="score-fill", width=S.score.to_string() + "%"),
            rx.box(class_name="score-mark", left=S.review_mark.to_string() + "%"),
            rx.box(class_name="score-mark score-mark--pass", left=S.pass_mark.to_string() + "%"),
            class_name="score-track", role="img",
            aria_label="Score " + S.score.to_string() + " of 100; review from " + S.review_mark.to_string()
                       + ", pass from " + S.pass_mark.to_string(),
        ),
        rx.box(
            rx.text("Review from ", S.review_mark, size="1", color_scheme="amber", class_name="score-label",
                    left=S.review_mark.to_string() + "%", transform=S.review_label_shift, id="review-label"),
            rx.text("Pass from ", S.pass_mark, size="1", color_scheme="green", class_name="score-label",
                    left=S.pass_mark.to_string() + "%", transform=S.pass_label_shift, id="pass-label"),
            class_name="score-labels",
        ),
        width="100%", class_name="score-bar",
    )


def _glance_row(q) -> rx.Component:
    """One question in the verdict card: its number, the question, the score and what was covered."""
    return rx.el.li(
        rx.link(rx.text.span(q.number, ". ", q.question, class_name="glance-question"),
                href="#question-" + q.number.to_string(), color="inherit", underline="hover"),
        rx.text.span(rx.match(
            q.status,
            ("answered", rx.text.span(rx.text.strong(q.score), " / 5", class_name="glance-score")),
            ("not answered", rx.text.span("not answered · 0 / 5", class_name="glance-score")),
            rx.text.span("not asked", class_name="glance-score"),
        )),
        class_name="glance-row",
    )


def _glance() -> rx.Component:
    return rx.cond(
        S.questions.length() > 0,
        rx.vstack(
            rx.text("Per question", size="1", weight="bold", color_scheme="gray", class_name="meta-label"),
            rx.el.ol(rx.foreach(S.questions, _glance_row), class_name="glance-list", id="report-glance"),
            spacing="1", width="100%",
        ),
        rx.fragment(),
    )


def _verdict_card() -> rx.Component:
    override = rx.cond(
        S.override_verdict != "",
        block_callout(
            rx.vstack(
                rx.text("Overridden by ", rx.text.strong(rx.cond(S.override_by != "", S.override_by, "a user")),
                        " on ", S.override_at, ". The AI verdict was ", rx.text.strong(S.ai_verdict), ".", size="2"),
                rx.text("“", S.override_reason, "”", size="2", class_name="pre-wrap", style={"font_style": "italic"}),
                spacing="1",
            ),
            icon="user_pen", color="violet", width="100%", id="override-note",
        ),
        rx.fragment(),
    )
    return section(
        "Verdict",
        rx.flex(
            rx.vstack(verdict_badge(S.verdict, size="3"),
                      rx.text(rx.cond(S.override_verdict != "", "Final (overridden)", "AI verdict"), size="1",
                              color_scheme="gray"),
                      spacing="1", align="start", id="report-verdict"),
            rx.vstack(rx.hstack(rx.heading(S.score, size="8", id="report-score"),
                                rx.text("/ 100", size="3", color_scheme="gray"), align="baseline", spacing="1"),
                      rx.hstack(rx.text("weighted score", size="1", color_scheme="gray"),
                                rx.cond(S.formula != "",
                                        rx.tooltip(rx.icon("info", size=13, color=rx.color("gray", 10),
                                                           class_name="rule-info", aria_label="How the score is made"),
                                                   content=S.formula),
                                        rx.fragment()),
                                spacing="1", align="center"),
                      rx.cond(S.score_scope != "", rx.text(S.score_scope, size="1", color_scheme="amber",
                                                           id="report-score-scope"), rx.fragment()),
                      spacing="0", align="start"),
            rx.box(_score_bar(), flex="1", min_width="220px"),
            spacing="5", align="center", wrap="wrap", width="100%",
        ),
        rx.cond(S.why != "", rx.text(S.why, size="2", id="report-why"), rx.fragment()),
        rx.cond(S.quality_gate.length() > 0, block_callout(
            rx.vstack(rx.text("Sent to REVIEW for a human decision because:", size="2", weight="medium"),
                      rx.foreach(S.quality_gate, lambda r: rx.text("• ", r, size="2")), spacing="1"),
            icon="triangle_alert", color="amber", width="100%", id="quality-gate"), rx.fragment()),
        override,
        rx.cond(S.report_removed, block_callout(
            rx.text("The detailed report was removed when the company's data retention period ended; the verdict "
                    "and the score remain.", size="2"),
            icon="archive", color="gray", width="100%", id="report-removed"), rx.fragment()),
        _glance(),
        icon="gavel",
        actions=rx.hstack(
            rx.cond(FB.fb_available,
                    rx.button(rx.icon("mail", size=16), "Feedback letter", variant="soft", color_scheme="gray",
                              on_click=FB.open_letter, id="feedback-open"), rx.fragment()),
            rx.cond(S.can_override & (S.ai_verdict != ""),
                    rx.button(rx.icon("user_pen", size=16), "Override verdict", variant="soft",
                              on_click=S.open_override, id="override-open"), rx.fragment()),
            spacing="2", on_mount=FB.load_feedback),
    )


def _feedback_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title("Feedback letter to ", FB.fb_to),
            rx.dialog.description("Drafted from the key points the answers covered and missed. Read and edit it; "
                                  "it is sent only when you press Send.", size="2"),
            rx.cond(FB.fb_sent_before > 0,
                    rx.callout("A letter was already sent for this interview.", icon="info", size="1",
                               color_scheme="amber"), rx.fragment()),
            rx.vstack(
                rx.input(value=FB.fb_subject, on_change=FB.set_fb_subject, width="100%", id="feedback-subject",
                         aria_label="Subject"),
                rx.text_area(value=FB.fb_body, on_change=FB.set_fb_body, rows="14", width="100%",
                             id="feedback-body", aria_label="Letter"),
                spacing="2", margin_top="0.75em",
            ),
            rx.flex(
                rx.dialog.close(rx.button("Cancel", variant="soft", color_scheme="gray")),
                rx.button(rx.icon("send", size=16), "Send", on_click=FB.send_letter, id="feedback-send"),
                spacing="3", justify="end", margin_top="1em",
            ),
            max_width="640px",
        ),
        open=FB.fb_open,
        on_open_change=FB.set_fb_open,
    )


def _override_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title("Override the verdict"),
            rx.dialog.description("Your decision replaces the AI verdict everywhere. The AI verdict, your reason, "
                                  "your name and the time are kept.", size="2", margin_bottom="1em"),
            rx.vstack(
                field("Verdict", rx.radio_group.root(
                    rx.flex(*[rx.text(rx.flex(rx.radio_group.item(value=value, disabled=S.verdict == value,
                                                                  id=f"override-choice-{value.lower()}"),
                                              rx.cond(S.verdict == value, f"{label} (current)", label),
                                              spacing="2", align="center"),
                                      as_="label", size="2")
                              for value, label in (("PASS", "Pass"), ("REVIEW", "Review"), ("FAIL", "Fail"))], spacing="4"),
                    value=S.o_verdict, on_change=S.set_o_verdict, name="verdict"), required=True),
                field("Reason", rx.text_area(value=S.o_reason, on_change=S.set_o_reason, rows="4", width="100%",
                                             placeholder="e.g. Strong follow-up discussion; the low score came from a "
                                                         "microphone problem in question 2.", id="override-reason"),
                      required=True),
                error_callout(S.o_error),
                spacing="4", width="100%",
            ),
            rx.flex(
                rx.dialog.close(rx.button("Cancel", variant="soft", color_scheme="gray")),
                rx.button("Save override", on_click=S.save_override, id="override-save"),
                spacing="3", justify="end", margin_top="1.5em",
            ),
            max_width="520px",
        ),
        open=S.o_open,
        on_open_change=S.set_o_open,
    )


def interview_report_page() -> rx.Component:
    body = rx.vstack(
        _header(),
        _scoring_status(),
        rx.cond(S.verdict != "", _verdict_card(), rx.fragment()),
        rx.box(
            rx.vstack(questions_section(), transcript_section(), spacing="4", width="100%", min_width="0"),
            rx.vstack(rx.cond(S.ai_verdict != "", scoring_section(), rx.fragment()), signals_section(),
                      fairness_section(), spacing="4", width="100%", min_width="0", class_name="report-side"),
            class_name="hiring-grid report-grid",
        ),
        spacing="4",
        width="100%",
    )
    return app_shell("/interviews", rx.cond(S.loaded, body, loading_block()), _override_dialog(), rescore_dialog(),
                     _feedback_dialog())
