"""Pieces of the candidate's live interview page: the explanation cards, the level meter, the
question card with the live transcript, and the typed answer box."""

from __future__ import annotations

import reflex as rx

from interviewer.state.interview_live_calls_state import TEST_SENTENCE
from interviewer.state.interview_live_state import InterviewLiveState as S


def info_row(icon: str, title: str, *text: rx.Component | str | rx.Var) -> rx.Component:
    return rx.hstack(
        rx.center(rx.icon(icon, size=18), class_name="live-info-icon"),
        rx.vstack(rx.text(title, weight="bold", size="2"), rx.text(*text, size="2", color_scheme="gray"),
                  spacing="1", width="100%"),
        spacing="3",
        align="start",
        width="100%",
    )


def welcome_details() -> rx.Component:
    return rx.vstack(
        info_row("clock", "How long it takes",
                 "About ", S.duration_minutes, " minutes. A timer shows the time left. You can take a moment "
                 "to think before you answer."),
        info_row("messages_square", "How it works",
                 "We show (and read aloud) one question at a time. Answer aloud as you would to a person; "
                 "pause for a few seconds or press Done when you have finished. Sometimes a short follow-up "
                 "question asks about something you did not mention."),
        info_row("list_checks", "How answers are scored",
                 "An AI compares each answer with the points a good answer usually covers and gives a score "
                 "per question. A person at the hiring company reviews every result: the AI does not decide "
                 "on its own."),
        info_row("shield_check", "How your data is used",
                 "The written transcript of your answers is stored for the hiring company. Names and email "
                 "addresses are removed before the AI analyses it. Your audio is turned into text as you "
                 "speak and is not stored."),
        spacing="4",
        width="100%",
    )


def level_meter() -> rx.Component:
    return rx.vstack(
        rx.hstack(
            rx.icon("mic", size=16),
            rx.text("Microphone level", size="2", weight="medium"),
            rx.spacer(),
            rx.match(
                S.mic_state,
                ("ok", rx.badge("Working", color_scheme="green", variant="soft")),
                ("starting", rx.badge("Starting…", color_scheme="gray", variant="soft")),
                ("failed", rx.badge("Not available", color_scheme="red", variant="soft")),
                rx.badge("Off", color_scheme="gray", variant="soft"),
            ),
            align="center",
            width="100%",
        ),
        rx.box(rx.box(id="live-level-bar", class_name="live-level-bar"), id="live-level", class_name="live-level",
               aria_label="Microphone level", custom_attrs={"role": "meter", "data-level": "0", "data-peak": "0"}),
        rx.text("Speak normally: the bar should move when you talk.", size="1", color_scheme="gray"),
        spacing="2",
        width="100%",
    )


def test_sentence() -> rx.Component:
    return rx.vstack(
        rx.text("Optional: check that we understand you", size="2", weight="medium"),
        rx.text("Press the button and say: ", rx.text.em("“" + TEST_SENTENCE + "”"), size="2", color_scheme="gray"),
        rx.hstack(
            rx.button(rx.icon("audio_lines", size=16),
                      rx.cond(S.test_state == "recording", "Recording… speak now", "Record the test sentence"),
                      on_click=S.record_test, variant="soft", id="live-test-record",
                      disabled=(S.mic_state != "ok") | (S.test_state == "recording") |
                      (S.test_state == "transcribing")),
            rx.cond(S.test_state == "transcribing", rx.hstack(rx.spinner(size="1"), rx.text("Transcribing…", size="2"),
                                                            align="center"), rx.fragment()),
            align="center",
            spacing="3",
            wrap="wrap",
        ),
        rx.match(
            S.test_state,
            ("done", rx.box(rx.text("We heard: ", size="2", color_scheme="gray"),
                            rx.text(S.test_transcript, size="3", weight="medium", id="live-test-transcript"),
                            class_name="live-heard")),
            ("empty", rx.text("We did not catch any words. Check that the right microphone is selected and "
                              "try again, or continue: you can also type your answers.", size="2",
                              color_scheme="amber", id="live-test-transcript")),
            rx.fragment(),
        ),
        spacing="2",
        width="100%",
    )


def progress_header() -> rx.Component:
    return rx.hstack(
        rx.badge(rx.cond(S.kind == "follow_up", "Follow-up to question ", "Question "), S.k, " of ", S.n,
                 size="2", variant="soft", radius="full", id="live-progress"),
        rx.spacer(),
        rx.hstack(rx.icon("timer", size=16), rx.text("Time left ", size="2", color_scheme="gray"),
                  rx.text(id="live-time-left", size="3", weight="bold", class_name="live-time"),
                  align="center", spacing="1"),
        align="center",
        width="100%",
    )


def question_card() -> rx.Component:
    return rx.box(
        rx.cond(S.kind == "follow_up",
                rx.text("A short follow-up", size="1", weight="bold", color_scheme="violet",
                        class_name="live-eyebrow"),
                rx.text("Question", size="1", weight="bold", color_scheme="indigo", class_name="live-eyebrow")),
        rx.heading(S.question_text, size="5", weight="medium", id="live-question", class_name="live-question"),
        class_name=rx.cond(S.kind == "follow_up", "live-question-card live-question-card--follow", "live-question-card"),
        width="100%",
    )


def transcript_box() -> rx.Component:
    return rx.vstack(
        rx.hstack(rx.icon("captions", size=16), rx.text("What we heard so far", size="2", weight="medium"),
                  align="center", spacing="2"),
        rx.box(
            rx.foreach(S.finals, lambda line: rx.text(line, as_="span", class_name="live-final")),
            rx.cond(S.partial != "", rx.text(S.partial, as_="span", class_name="live-partial"), rx.fragment()),
            rx.cond((S.finals.length() == 0) & (S.partial == ""),
                    rx.text("Your words appear here as you speak.", as_="span", color_scheme="gray"),
                    rx.fragment()),
            id="live-transcript",
            class_name="live-transcript",
            aria_live="polite",
        ),
        spacing="2",
        width="100%",
    )


def voice_controls() -> rx.Component:
    return rx.vstack(
        rx.hstack(rx.box(class_name="live-pulse"), rx.text(S.activity, size="2", id="live-activity"),
                  align="center", spacing="2"),
        rx.button(rx.icon("check", size=18), "I have finished this answer", size="3", on_click=S.done_speaking,
                  id="live-done", width="100%"),
        rx.text("Take your time before you start: the pause rule only begins once you speak. When you stop "
                "talking for about ", S.silence_seconds, " seconds, your answer is saved and the next question "
                "follows. Need a moment mid-answer? Say so, e.g. “let me think”.", size="1", color_scheme="gray"),
        spacing="3",
        width="100%",
    )


def typed_controls() -> rx.Component:
    return rx.vstack(
        rx.cond(S.finals.length() > 0,
                rx.box(rx.foreach(S.finals, lambda line: rx.text(line, size="2")), class_name="live-heard"),
                rx.fragment()),
        rx.text_area(value=S.typed_answer, on_change=S.set_typed_answer, id="live-typed-answer",
                     placeholder="Write your answer here…", rows="7", width="100%", size="3",
                     max_length=5000, disabled=S.busy),
        rx.text("Take your time. Press Submit when you have finished; you cannot go back to a question "
                "afterwards.", size="1", color_scheme="gray"),
        rx.button(rx.cond(S.busy, rx.spinner(size="2"), rx.icon("send", size=18)),
                  rx.cond(S.busy, "Saving…", "Submit answer"), size="3", on_click=S.submit_typed,
                  id="live-submit", width="100%", disabled=S.busy | (S.typed_answer.strip() == "")),
        spacing="3",
        width="100%",
    )
