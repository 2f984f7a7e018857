"""The interview report's "Scoring" card: who scored the current report (analysis, model, scorer
version, report version, when), "Score again" with a reason, and the history of earlier reports."""

from __future__ import annotations

import reflex as rx

from interviewer.components.assessment import analysis_badge
from interviewer.components.hiring_ui import meta_item, section, verdict_badge
from interviewer.components.ui import error_callout, field
from interviewer.state.interviews_report_state import ReportState

S = ReportState

# What the offline analysis cannot do, measured on questions nobody tuned it on (docs/scoring.md)
OFFLINE_LIMIT = ("The offline analysis checks that each key point is stated and catches many contradictions, but "
                 "it knows nothing of the subject: on new questions a fluent, confidently wrong answer often counts "
                 "as covered. Read the quotes, or score again with an AI provider where the verdict decides.")


def _or_unknown(value) -> rx.Component:
    """A detail old reports did not record."""
    return rx.cond(value != "", rx.text(value, size="2", weight="medium"),
                   rx.text("not recorded", size="2", color_scheme="gray"))


def _history_row(h) -> rx.Component:
    return rx.vstack(
        rx.flex(
            rx.text("Version ", h.version, size="2", weight="bold"),
            rx.cond(h.current, rx.badge("current", color_scheme="indigo", variant="soft", size="1"), rx.fragment()),
            rx.spacer(),
            rx.text(rx.text.strong(h.score), " / 100", size="2", color_scheme="gray"),
            verdict_badge(h.verdict, size="1"),
            align="center", spacing="2", width="100%",
        ),
        rx.text(h.at, " · ", h.analysis, rx.cond(h.model != "built-in", " · " + h.model, ""),
                rx.cond(h.scorer_version != "", " · " + h.scorer_version, ""), size="1",
                color_scheme="gray", class_name="history-meta"),
        rx.cond(h.reason != "",
                rx.text("Scored again", rx.cond(h.by != "", " by " + h.by, ""), ": “", h.reason, "”", size="1",
                        class_name="pre-wrap"),
                rx.text("First scoring, when the interview ended.", size="1", color_scheme="gray")),
        spacing="1", width="100%", class_name="history-row",
        custom_attrs={"data-version": h.version.to_string()},
    )


def _history() -> rx.Component:
    return rx.vstack(
        rx.text("History", size="1", weight="bold", color_scheme="gray", class_name="meta-label"),
        rx.cond(S.history.length() > 1,
                rx.vstack(rx.foreach(S.history, _history_row), spacing="0", width="100%"),
                rx.text("This is the only report so far. When the interview is scored again, earlier reports stay "
                        "listed here.", size="1", color_scheme="gray")),
        spacing="1", width="100%", id="score-history",
    )


def _rescore_button() -> rx.Component:
    return rx.cond(
        S.can_override & (S.ai_verdict != ""),
        rx.button(rx.cond(S.rescoring, rx.spinner(size="1"), rx.icon("refresh_cw", size=14)),
                  rx.cond(S.rescoring, "Scoring again…", "Score again"),
                  size="2", variant="soft", on_click=S.open_rescore, disabled=S.rescoring,
                  id="rescore-open"),
        rx.fragment(),
    )


def scoring_section() -> rx.Component:
    return section(
        "Scoring",
        rx.grid(
            meta_item("Analysis", rx.box(analysis_badge(S.analysis_label))),
            meta_item("Model", _or_unknown(S.scorer_model)),
            meta_item("Scorer version", _or_unknown(S.scorer_version)),
            meta_item("Report", rx.text("version ", S.report_version, size="2", weight="medium",
                                        id="report-version")),
            meta_item("Scored", _or_unknown(S.scored_at)),
            columns="2", spacing="3", width="100%",
        ),
        rx.cond(S.score_rule != "",
                rx.text("Each key point counts 1 when covered, ½ when partly covered, 0 when missed and −½ when "
                        "contradicted; a question's score is that sum scaled to 5.", size="1", color_scheme="gray"),
                rx.text("Scored before each key point was judged on its own: the questions show which key points "
                        "were covered, without a quote for each.", size="1", color_scheme="gray")),
        rx.cond(S.analysis_label == "offline analysis",
                rx.text(OFFLINE_LIMIT, size="1", color_scheme="gray", id="offline-limit"), rx.fragment()),
        rx.separator(size="4"),
        _history(),
        icon="cpu",
        actions=_rescore_button(),
        id="scoring-card",
    )


def rescore_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title("Score this interview again"),
            rx.dialog.description("The answers are judged again with the job's current key points and the "
                                  "company's current AI settings. The current report stays in the history; "
                                  "a verdict you overrode stays overridden.", size="2", margin_bottom="1em"),
            rx.vstack(
                field("Reason", rx.text_area(value=S.r_reason, on_change=S.set_r_reason, rows="3", width="100%",
                                             placeholder="e.g. Key points of question 2 were corrected.",
                                             id="rescore-reason"),
                      required=True, hint="Kept with the new report and in the audit log."),
                error_callout(S.r_error),
                spacing="4", width="100%",
            ),
            rx.flex(
                rx.dialog.close(rx.button("Cancel", variant="soft", color_scheme="gray", type="button")),
                rx.button("Score again", on_click=S.save_rescore, type="button", id="rescore-save"),
                spacing="3", justify="end", margin_top="1.5em",
            ),
            max_width="520px",
        ),
        open=S.r_open,
        on_open_change=S.set_r_open,
    )
