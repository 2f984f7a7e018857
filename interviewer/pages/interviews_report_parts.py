"""Pieces of the interview report: per-question cards (score with its rule, one row per key
point with its quotes, the answer with the quotes highlighted), the transcript, integrity signals
and the fairness note."""

from __future__ import annotations

import reflex as rx

from interviewer.components.assessment import flag_notes, point_list, score_summary
from interviewer.components.hiring_ui import chip, section
from interviewer.components.ui import block_callout
from interviewer.state.interviews_report_state import ReportState

S = ReportState


def _score(q) -> rx.Component:
    return rx.match(
        q.status,
        ("not asked", rx.badge("not asked", color_scheme="gray", variant="surface", size="2")),
        ("not answered", rx.badge("not answered · 0 / 5", color_scheme="red", variant="surface", size="2")),
        rx.fragment(),
    )


def _label(text: str) -> rx.Component:
    return rx.text(text, size="1", weight="bold", color_scheme="gray", class_name="meta-label")


def _answer(q) -> rx.Component:
    """The whole answer, folded away: the deciding quotes above already say what counts, and the
    transcript below has every word; open it to read the quotes in context."""
    return rx.cond(q.answer.length() > 0, rx.el.details(
        rx.el.summary(rx.text.span("Full answer, quoted words highlighted", class_name="answer-summary")),
        rx.box(rx.foreach(q.answer, lambda part: rx.cond(
            part.wrong, rx.el.mark(part.text, class_name="evidence-mark evidence-mark--wrong",
                                   title="Contradicts a key point"),
            rx.cond(part.hit, rx.el.mark(part.text, class_name="evidence-mark"), rx.text.span(part.text)))),
            class_name="answer-box"),
        class_name="answer-details",
    ), rx.fragment())


def _answered(q) -> rx.Component:
    return rx.fragment(
        score_summary(q.score, q.score_pct, q.rule, S.score_rule, size="6", math=q.rule_math),
        rx.cond(q.review_reasons.length() > 0, block_callout(
            rx.vstack(rx.text("Check this question yourself:", size="2", weight="medium"),
                      rx.foreach(q.review_reasons, lambda r: rx.text("• ", r, size="2")), spacing="1"),
            icon="eye", color="amber", size="1", width="100%"), rx.fragment()),
        rx.cond(q.points.length() > 0,
                rx.vstack(_label("Key points and the quotes that decide them"),
                          point_list(q.points, class_name="point-list report-points"),
                          spacing="1", width="100%"),
                rx.fragment()),
        rx.cond(q.has_quotes | (q.points.length() == 0), rx.fragment(), rx.cond(
            q.evidence.length() > 0,
            rx.vstack(_label("Deciding quotes"),
                      rx.foreach(q.evidence, lambda quote: rx.text("“", quote, "”", size="2", class_name="quote")),
                      spacing="1", width="100%"),
            rx.callout("No quote from the answer supports a key point.", icon="info", color_scheme="gray",
                       size="1"))),
        _answer(q),
    )


def _question_card(q) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.flex(
                rx.center(rx.text(q.number, size="2", weight="bold"), class_name="q-number"),
                rx.vstack(
                    rx.text(q.question, size="3", weight="medium"),
                    rx.text("Weight ", q.weight, size="1", color_scheme="gray"),
                    spacing="1", flex="1", min_width="0",
                ),
                _score(q),
                spacing="3", width="100%", align="start",
            ),
            rx.cond(q.status == "answered", _answered(q),
                    rx.cond(q.status == "not asked",
                            rx.text("The interview ended before this question.", size="2", color_scheme="gray"),
                            rx.text("The candidate gave no answer to this question.", size="2",
                                    color_scheme="gray"))),
            rx.cond(q.red_flags.length() > 0, rx.vstack(
                _label("Checked against the wrong ideas listed"),
                rx.foreach(q.red_flags, lambda f: rx.hstack(rx.icon("ban", size=14, color="var(--tomato-9)"),
                                                            rx.text(f, size="2"), spacing="2", align="start")),
                spacing="1", width="100%", class_name="report-red-flags",
            ), rx.fragment()),
            rx.cond(q.follow_ups.length() > 0, rx.vstack(
                _label("Follow-up questions asked"),
                rx.foreach(q.follow_ups, lambda f: rx.hstack(rx.icon("corner_down_right", size=14),
                                                             rx.text(f, size="2"), spacing="2", align="start")),
                spacing="1", width="100%",
            ), rx.fragment()),
            flag_notes(q.notes),
            rx.cond(q.rationale != "", rx.vstack(
                _label("AI summary"),
                rx.text(q.rationale, size="2", class_name="pre-wrap"),
                spacing="1", width="100%",
            ), rx.fragment()),
            spacing="3", width="100%",
        ),
        width="100%",
        class_name="report-question",
        id="question-" + q.number.to_string(),
    )


def questions_section() -> rx.Component:
    return section(
        "Questions",
        rx.cond(S.questions.length() > 0,
                rx.vstack(rx.foreach(S.questions, _question_card), spacing="3", width="100%"),
                rx.text("No per-question scores yet.", size="2", color_scheme="gray")),
        icon="list_checks",
    )


def _line(line) -> rx.Component:
    return rx.flex(
        rx.text(line.at, size="1", color_scheme="gray", class_name="ts"),
        rx.vstack(
            rx.hstack(
                rx.text(line.speaker, size="1", weight="bold",
                        color_scheme=rx.cond(line.speaker == "Candidate", "indigo", "gray")),
                rx.cond(line.kind != "answer",
                        rx.text(line.kind, size="1", color_scheme="gray"), rx.fragment()),
                rx.cond(line.typed, rx.badge("typed", size="1", variant="outline", color_scheme="gray"), rx.fragment()),
                rx.cond(line.low,
                        rx.tooltip(rx.badge(rx.icon("ear", size=11), "unclear audio", size="1", variant="soft",
                                            color_scheme="amber"),
                                   content="The speech-to-text was only " + line.confidence + " sure of these words: "
                                           "check them against what you would expect."),
                        rx.fragment()),
                spacing="2", align="center",
            ),
            rx.text(line.text, size="2", class_name="pre-wrap"),
            spacing="1", min_width="0",
        ),
        spacing="3",
        class_name=rx.cond(line.speaker == "Candidate", "t-line t-line--candidate", "t-line"),
    )


def transcript_section() -> rx.Component:
    return section(
        "Transcript",
        rx.cond(S.transcript.length() > 0,
                rx.box(rx.foreach(S.transcript, _line), class_name="transcript-box", id="transcript"),
                rx.text("No transcript recorded.", size="2", color_scheme="gray")),
        icon="messages_square",
        actions=rx.text("mm:ss from the start", size="1", color_scheme="gray"),
    )


def signals_section() -> rx.Component:
    return section(
        "Integrity signals",
        rx.callout("Signals, not a verdict: a hidden tab or a pause has innocent causes. They never change the "
                   "score; use them as prompts for a conversation.", icon="info", color_scheme="gray", size="1"),
        rx.cond(
            S.signals.length() > 0,
            rx.vstack(rx.foreach(S.signals, lambda s: rx.flex(
                rx.badge(s.label, color_scheme="amber", variant="soft"),
                rx.text(rx.cond(s.offset != "", s.offset + " · ", ""), s.at, size="1", color_scheme="gray"),
                rx.cond(s.detail != "", rx.text(s.detail, size="1", color_scheme="gray"), rx.fragment()),
                spacing="2", align="center", wrap="wrap",
            )), spacing="2", width="100%"),
            rx.text("No signals were recorded.", size="2", color_scheme="gray"),
        ),
        icon="activity",
    )


def fairness_section() -> rx.Component:
    return section(
        "Fairness",
        rx.text(rx.cond(S.fairness_note != "", S.fairness_note,
                        "Personal details are removed from every text sent to the AI provider."), size="2"),
        rx.cond(S.redacted.length() > 0,
                rx.flex(rx.text("Removed in this interview:", size="1", color_scheme="gray"),
                        rx.foreach(S.redacted, lambda r: chip(r, icon="eye_off")), spacing="2", wrap="wrap",
                        align="center"),
                rx.text("Nothing needed removing in this interview.", size="1", color_scheme="gray")),
        icon="scale",
    )
