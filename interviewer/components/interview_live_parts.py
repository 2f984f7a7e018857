"""Pieces of the candidate's live interview page: the explanation cards, the level meter and the
microphone check's verdict, the question card, the live transcript box (filled by
``assets/interview_page.js``, not by the state), the typed answer box with what was already said,
and the voice/typing switch."""

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
                 "question asks about something you did not mention. The interview is in English, so "
                 "please answer in English."),
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
        rx.text("Optional: check that we hear you well", size="2", weight="medium"),
        rx.text("Press the button and say: ", rx.text.em("“" + TEST_SENTENCE + "”"), size="2", color_scheme="gray"),
        rx.hstack(
            rx.button(rx.icon("audio_lines", size=16),
                      rx.match(S.test_state, ("recording", "Recording… speak now"),
                               ("done", "Record again"), ("failed", "Record again"), "Record the test sentence"),
                      on_click=S.record_test, variant="soft", id="live-test-record",
                      disabled=(S.mic_state != "ok") | (S.test_state == "recording") |
                      (S.test_state == "transcribing") | (S.test_state == "busy")),
            rx.cond(S.test_state == "transcribing",
                    rx.hstack(rx.spinner(size="1"), rx.text("Checking what we heard…", size="2"), align="center"),
                    rx.fragment()),
            align="center",
            spacing="3",
            wrap="wrap",
        ),
        rx.cond(S.test_state == "busy",
                rx.hstack(rx.spinner(size="1"), rx.text("The speech service is busy; retrying…", size="2"),
                          align="center", id="live-test-busy"),
                rx.fragment()),
        rx.cond(S.test_state == "done", test_verdict(), rx.fragment()),
        rx.cond(S.test_state == "failed",
                rx.callout(S.test_message, icon="circle_alert", color_scheme="amber", size="1", width="100%",
                           id="live-test-failed"),
                rx.fragment()),
        spacing="2",
        width="100%",
    )


def test_verdict() -> rx.Component:
    """Good enough or not, why, and what to do (services.device_check)."""
    good = S.verdict_status == "good"
    return rx.vstack(
        rx.hstack(
            rx.match(S.verdict_status,
                     ("good", rx.icon("circle_check", size=20, color="var(--green-11)")),
                     ("quiet", rx.icon("volume_1", size=20, color="var(--amber-11)")),
                     ("loud", rx.icon("volume_x", size=20, color="var(--amber-11)")),
                     rx.icon("circle_alert", size=20, color="var(--amber-11)")),
            rx.text(S.verdict_title, size="3", weight="bold", id="live-test-verdict-title"),
            align="center",
            spacing="2",
        ),
        rx.text(S.verdict_advice, size="2", id="live-test-advice"),
        rx.cond(S.test_transcript != "",
                rx.text("We heard: ", rx.text.em("“", S.test_transcript, "”", id="live-test-transcript"), size="2"),
                rx.text("We heard no words.", size="2", id="live-test-transcript")),
        rx.text(S.verdict_detail, size="1", color_scheme="gray"),
        spacing="1",
        id="live-test-verdict",
        custom_attrs={"data-status": S.verdict_status},
        class_name=rx.cond(good, "live-verdict live-verdict--good", "live-verdict live-verdict--warn"),
        background=rx.cond(good, "var(--green-a3)", "var(--amber-a3)"),
        border=rx.cond(good, "1px solid var(--green-a6)", "1px solid var(--amber-a6)"),
        border_radius="var(--radius-3)",
        padding="0.75rem 1rem",
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
    """The live transcript: an empty box the page script fills from the audio socket (finals,
    then the live partial in grey). The state never carries these words."""
    return rx.vstack(
        rx.hstack(rx.icon("captions", size=16), rx.text("What we heard so far", size="2", weight="medium"),
                  align="center", spacing="2"),
        rx.box(id="live-transcript", class_name="live-transcript", aria_live="polite"),
        spacing="2",
        width="100%",
    )


def voice_controls() -> rx.Component:
    return rx.vstack(
        rx.hstack(rx.box(class_name="live-pulse"), rx.text(S.activity, size="2", id="live-activity"),
                  align="center", spacing="2"),
        rx.hstack(
            rx.button(rx.icon("check", size=18), "I have finished this answer", size="3", on_click=S.done_speaking,
                      id="live-done", flex="1"),
            rx.button(rx.icon("hourglass", size=18), "Wait, I'm still thinking", size="3", variant="soft",
                      on_click=S.still_thinking, id="live-still-thinking", type="button", flex="1"),
            spacing="2", width="100%", wrap="wrap"),
        rx.text("Take your time before you start: nothing happens until you speak. When you finish a "
                "sentence and stop, the next question follows shortly; if you trail off mid-thought we wait "
                "up to about ", S.patience_seconds, " seconds. If the next question appears while you still "
                "have more to say, just keep talking within those seconds: we go back to your answer. Need "
                "longer? Press “Wait, I'm still thinking” or say “give me a moment”.", size="1",
                color_scheme="gray"),
        spacing="3",
        width="100%",
    )


def said_so_far() -> rx.Component:
    """What was said before switching to typing (stored utterances of this answer)."""
    return rx.cond(
        S.saving_said | (S.said_so_far.length() > 0),
        rx.box(
            rx.text("Said so far", size="1", weight="bold", color_scheme="gray", class_name="live-eyebrow"),
            rx.foreach(S.said_so_far, lambda line: rx.text(line, size="2", class_name="live-said-line")),
            rx.cond(S.saving_said,
                    rx.hstack(rx.spinner(size="1"), rx.text("Saving what you said…", size="1", color_scheme="gray"),
                              align="center", spacing="2"),
                    rx.text("What you type below is added to this.", size="1", color_scheme="gray")),
            class_name="live-heard",
            id="live-said-so-far",
        ),
        rx.fragment(),
    )


def typed_controls() -> rx.Component:
    return rx.vstack(
        said_so_far(),
        rx.text_area(value=S.typed_answer, on_change=S.set_typed_answer, id="live-typed-answer",
                     placeholder="Write your answer here…", rows="7", width="100%", size="3",
                     max_length=5000, disabled=S.busy),
        rx.text("Take your time. Press Submit when you have finished; you cannot go back to a question "
                "afterwards.", size="1", color_scheme="gray"),
        rx.button(rx.cond(S.busy, rx.spinner(size="2"), rx.icon("send", size=18)),
                  rx.cond(S.busy, "Saving…", "Submit answer"), size="3", on_click=S.submit_typed,
                  id="live-submit", width="100%",
                  disabled=S.busy | S.saving_said | (S.typed_answer.strip() == "")),
        spacing="3",
        width="100%",
    )


def mode_switch() -> rx.Component:
    """Voice or typing, at any moment: what was already said stays part of the answer."""
    return rx.cond(
        S.typed_mode,
        rx.button(rx.icon("mic", size=16), "Answer by voice", variant="outline", size="2", type="button",
                  on_click=S.use_voice, id="live-to-voice", disabled=S.busy | S.saving_said),
        rx.button(rx.icon("keyboard", size=16), "Type instead", variant="outline", size="2", type="button",
                  on_click=S.use_typing, id="live-to-typed", disabled=S.busy),
    )
