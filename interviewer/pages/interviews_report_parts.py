"""Pieces of the interview report: per-question cards, the transcript, integrity signals and
the fairness note."""

from __future__ import annotations

import reflex as rx

from interviewer.components.hiring_ui import chip, section
from interviewer.state.interviews_report_state import ReportState

S = ReportState


def _score(q) -> rx.Component:
    return rx.match(
        q.status,
        ("not asked", rx.badge("not asked", color_scheme="gray", variant="surface", size="2")),
        ("not answered", rx.badge("not answered · 0 / 5", color_scheme="red", variant="surface", size="2")),
        rx.vstack(
            rx.text(rx.text.strong(q.score, size="5"), " / 5", size="2", color_scheme="gray"),
            rx.progress(value=q.score_pct, max=100, width="90px", size="1",
                        color_scheme=rx.cond(q.score_pct >= 70, "green", rx.cond(q.score_pct >= 40, "amber", "red"))),
            spacing="1", align="end",
        ),
    )


def _points(title: str, items, color: str, icon: str) -> rx.Component:
    return rx.cond(
        items.length() > 0,
        rx.vstack(
            rx.text(title, size="1", weight="bold", color_scheme="gray", class_name="meta-label"),
            rx.flex(rx.foreach(items, lambda p: chip(p, color=color, icon=icon)), spacing="2", wrap="wrap"),
            spacing="1", width="100%",
        ),
        rx.fragment(),
    )


def _question_card(q) -> rx.Component:
    answered = q.status == "answered"
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
            rx.cond(answered, rx.fragment(
                rx.grid(_points("Covered", q.covered, "green", "check"), _points("Missed", q.missed, "red", "x"),
                        columns={"initial": "1", "md": "2"}, spacing="3", width="100%"),
                rx.cond(q.answer.length() > 0, rx.vstack(
                    rx.text("Answer (evidence highlighted)", size="1", weight="bold", color_scheme="gray",
                            class_name="meta-label"),
                    rx.box(rx.foreach(q.answer, lambda part: rx.cond(
                        part.hit, rx.el.mark(part.text, class_name="evidence-mark"), rx.text.span(part.text))),
                        class_name="answer-box"),
                    spacing="1", width="100%",
                ), rx.fragment()),
                rx.cond(q.evidence.length() > 0, rx.vstack(
                    rx.text("Evidence quotes", size="1", weight="bold", color_scheme="gray", class_name="meta-label"),
                    rx.foreach(q.evidence, lambda quote: rx.text("“", quote, "”", size="2", class_name="quote")),
                    spacing="1", width="100%",
                ), rx.callout("No evidence quote: a score needs words from the transcript.", icon="info",
                              color_scheme="gray", size="1")),
            ), rx.cond(q.status == "not asked",
                       rx.text("The interview ended before this question.", size="2", color_scheme="gray"),
                       rx.text("The candidate gave no answer to this question.", size="2", color_scheme="gray"))),
            rx.cond(q.follow_ups.length() > 0, rx.vstack(
                rx.text("Follow-up questions asked", size="1", weight="bold", color_scheme="gray",
                        class_name="meta-label"),
                rx.foreach(q.follow_ups, lambda f: rx.hstack(rx.icon("corner_down_right", size=14),
                                                             rx.text(f, size="2"), spacing="2", align="start")),
                spacing="1", width="100%",
            ), rx.fragment()),
            rx.cond(q.flags.length() > 0,
                    rx.flex(rx.foreach(q.flags, lambda f: chip(f, color="amber", icon="flag")), spacing="2", wrap="wrap"),
                    rx.fragment()),
            rx.cond(q.rationale != "", rx.vstack(
                rx.text("Rationale", size="1", weight="bold", color_scheme="gray", class_name="meta-label"),
                rx.text(q.rationale, size="2", class_name="pre-wrap"),
                spacing="1", width="100%",
            ), rx.fragment()),
            spacing="3", width="100%",
        ),
        width="100%",
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
                rx.cond(line.confidence != "",
                        rx.tooltip(rx.badge("conf. ", line.confidence, size="1", variant="soft",
                                            color_scheme=rx.cond(line.low, "amber", "gray")),
                                   content="Speech-to-text confidence (0-1)"),
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
