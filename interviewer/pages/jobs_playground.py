"""The job editor's "Try an answer" dialog: type an answer to one question and see how the
interview scorer would judge it, key point by key point. Nothing is saved."""

from __future__ import annotations

import reflex as rx

from interviewer.components.assessment import analysis_badge, flag_notes, point_list, score_summary
from interviewer.components.hiring_ui import chip
from interviewer.components.ui import control_label
from interviewer.state.rubric_playground_state import MAX_ANSWER_CHARS, PlaygroundState

P = PlaygroundState


def try_answer_button(q) -> rx.Component:
    """On a question card: opens the dialog for question ``q`` (a ``QuestionRow`` var)."""
    return rx.button(
        rx.icon("flask_conical", size=14), "Try an answer",
        size="1", variant="soft", type="button",
        on_click=P.open_for(q.id, q.number, q.text, q.key_points, q.red_flags),
        aria_label="Try an answer to question " + q.number.to_string(),
        class_name="try-answer-open",
    )


def _question() -> rx.Component:
    return rx.box(
        rx.vstack(
            rx.text("Question ", P.number, size="1", weight="bold", color_scheme="gray", class_name="meta-label"),
            rx.text(P.question, size="3", weight="medium", class_name="pre-wrap"),
            rx.cond(
                P.key_points.length() > 0,
                rx.vstack(
                    rx.text("A good answer covers", size="1", weight="bold", color_scheme="gray",
                            class_name="meta-label"),
                    rx.flex(rx.foreach(P.key_points, lambda p: chip(p, color="indigo")), spacing="2", wrap="wrap"),
                    rx.cond(P.red_flags.length() > 0, rx.fragment(
                        rx.text("Wrong ideas to watch for", size="1", weight="bold", color_scheme="gray",
                                class_name="meta-label"),
                        rx.flex(rx.foreach(P.red_flags, lambda f: chip(f, icon="ban", color="tomato")),
                                spacing="2", wrap="wrap", id="try-red-flags"),
                    ), rx.fragment()),
                    spacing="1", width="100%",
                ),
                rx.callout("This question has no key points yet, so there is nothing to score against. "
                           "Edit the question and add some first.", icon="triangle_alert", color_scheme="amber",
                           size="1", width="100%"),
            ),
            spacing="2", width="100%",
        ),
        class_name="slot-box", width="100%",
    )


def _result() -> rx.Component:
    return rx.vstack(
        rx.flex(
            rx.text("Result", size="3", weight="bold"),
            rx.spacer(),
            analysis_badge(P.analysis),
            align="center", width="100%",
        ),
        rx.cond(P.answer.strip() != P.scored_answer,
                rx.text("This result is for the answer as it was when you pressed “Score it”.", size="1",
                        color_scheme="amber"),
                rx.fragment()),
        score_summary(P.score, P.score_pct, P.rule, P.score_rule, score_id="try-score"),
        rx.cond(P.fallback != "",
                rx.callout(rx.text.span("The AI provider could not be reached, so the offline analysis judged this "
                                   "answer. (", P.fallback, ")"), icon="info", color_scheme="gray", size="1",
                           width="100%"),
                rx.fragment()),
        point_list(P.points, id="try-points"),
        flag_notes(P.notes),
        rx.cond(P.rationale != "", rx.text(P.rationale, size="2", color_scheme="gray", class_name="pre-wrap"),
                rx.fragment()),
        spacing="3", width="100%", id="try-result",
        class_name=rx.cond(P.running, "try-result try-result--stale", "try-result"),
    )


def try_answer_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title("Try an answer"),
            rx.dialog.description("See how the interview scorer judges an answer to this question before a "
                                  "candidate gives one. Nothing is saved.", size="2", margin_bottom="1em"),
            rx.vstack(
                _question(),
                rx.vstack(
                    control_label("Answer", "try-answer-text", size="2", weight="medium"),
                    rx.text_area(value=P.answer, on_change=P.set_answer, rows="5", width="100%",
                                 max_length=MAX_ANSWER_CHARS, id="try-answer-text",
                                 placeholder="Type or paste an answer the way a candidate would say it…"),
                    spacing="1", width="100%",
                ),
                rx.flex(
                    rx.dialog.close(rx.button("Close", variant="soft", color_scheme="gray", type="button")),
                    rx.button(rx.cond(P.running, rx.spinner(size="1"), rx.icon("gauge", size=16)),
                              rx.cond(P.running, "Scoring…", "Score it"),
                              on_click=P.score_it, disabled=P.running | (P.key_points.length() == 0),
                              type="button", id="try-answer-score"),
                    spacing="3", justify="end", width="100%",
                ),
                rx.cond(P.error != "",
                        rx.callout(P.error, icon="circle_alert", color_scheme="red", role="alert", width="100%",
                                   id="try-error"),
                        rx.fragment()),
                rx.cond(P.has_result, rx.fragment(rx.separator(size="4"), _result()), rx.fragment()),
                spacing="4", width="100%",
            ),
            max_width="720px",
        ),
        open=P.open,
        on_open_change=P.set_open,
    )
