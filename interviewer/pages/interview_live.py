"""The candidate's live interview at /interview/[token]: no sign-in, the link is the credential.

One page, one phase at a time: welcome (what happens, consent) -> device check (microphone
level, an optional test sentence, or typed answers) -> the interview (question k of n, the
time left, the live transcript, Done / Submit) -> thank you. A reload of a started interview
shows "welcome back" and resumes at the same question; unusable links get a clear message.
"""

from __future__ import annotations

import reflex as rx

from interviewer.components.candidate_notice import candidate_notice, privacy_link
from interviewer.components.interview_live_parts import (
    level_meter,
    mode_switch,
    progress_header,
    question_card,
    test_sentence,
    transcript_box,
    typed_controls,
    voice_controls,
    welcome_details,
)
from interviewer.components.public_layout import auth_layout, centered_message
from interviewer.components.self_identification_form import self_identification_card
from interviewer.components.ui import control_label, info_callout
from interviewer.state.interview_live_state import InterviewLiveState as S


def _switch(label: str, checked: rx.Var, on_change, id_: str, hint: str) -> rx.Component:
    return rx.vstack(
        rx.hstack(rx.switch(checked=checked, on_change=on_change, id=id_),
                  control_label(label, id_, size="2", weight="medium"),
                  align="center", spacing="2"),
        rx.text(hint, size="1", color_scheme="gray"),
        spacing="1",
        width="100%",
    )


def _welcome() -> rx.Component:
    return rx.vstack(
        rx.text(rx.cond(S.first_name != "", "Hello " + S.first_name + ", welcome to ", "Welcome to "),
                "your interview for ", rx.text.strong(S.job_title), " at ", rx.text.strong(S.company_name), ".",
                size="3", id="live-welcome"),
        welcome_details(),
        candidate_notice(S.company_name),
        rx.separator(size="4"),
        rx.hstack(
            rx.checkbox(checked=S.consent, on_change=S.set_consent, id="live-consent", size="2"),
            control_label("I have read how the interview works and how my data is used, and I agree to continue.",
                          "live-consent", size="2"),
            align="start",
            spacing="2",
        ),
        info_callout(S.notice, "amber"),
        rx.button("Continue to the microphone check", rx.icon("arrow_right", size=16), size="3", width="100%",
                  on_click=S.accept, disabled=~S.consent, id="live-accept"),
        spacing="4",
        width="100%",
    )


def _device() -> rx.Component:
    return rx.vstack(
        rx.cond(S.typed_mode,
                rx.callout("You will type your answers. The questions stay the same and typed answers are "
                           "scored the same way.", icon="keyboard", color_scheme="blue", width="100%"),
                rx.vstack(level_meter(), rx.separator(size="4"), test_sentence(), spacing="4", width="100%")),
        info_callout(S.notice, "amber"),
        rx.separator(size="4"),
        _switch("I prefer to type my answers", S.typed_mode, S.set_typed_mode, "live-typed-switch",
                "Use this if you cannot or prefer not to speak; nothing else changes."),
        _switch("Read the questions aloud", S.speak_questions, S.set_speak, "live-speak-switch",
                "The questions are always shown on screen too."),
        rx.button(rx.cond(S.busy, rx.spinner(size="2"), rx.icon("play", size=16)), "Start the interview",
                  size="3", width="100%", on_click=S.begin, id="live-start",
                  disabled=S.busy | (~S.typed_mode & (S.mic_state != "ok"))),
        rx.cond(~S.typed_mode & (S.mic_state == "starting"),
                rx.text("Waiting for the microphone… if your browser asks, please allow access.", size="1",
                        color_scheme="gray", align="center", width="100%"),
                rx.fragment()),
        rx.text("The timer starts when you press Start.", size="1", color_scheme="gray", align="center",
                width="100%"),
        spacing="4",
        width="100%",
    )


def _resume() -> rx.Component:
    return rx.vstack(
        centered_message("rotate_ccw", "indigo", "Welcome back",
                         "Your interview for " + S.job_title + " is in progress. Your earlier answers are "
                         "saved; you continue with the question you were on. The timer kept running."),
        _switch("I prefer to type my answers", S.typed_mode, S.set_typed_mode, "live-typed-switch",
                "Use this if your microphone is not working."),
        info_callout(S.notice, "amber"),
        rx.button(rx.cond(S.busy, rx.spinner(size="2"), rx.icon("play", size=16)), "Continue the interview",
                  size="3", width="100%", on_click=S.begin, id="live-continue", disabled=S.busy),
        spacing="4",
        width="100%",
    )


def _interview() -> rx.Component:
    return rx.vstack(
        progress_header(),
        question_card(),
        info_callout(S.notice, "amber"),
        rx.cond(S.typed_mode, typed_controls(), rx.vstack(transcript_box(), voice_controls(), spacing="4",
                                                          width="100%")),
        rx.separator(size="4"),
        rx.hstack(
            mode_switch(),
            rx.spacer(),
            rx.hstack(rx.switch(checked=S.speak_questions, on_change=S.set_speak, size="1", id="live-speak-toggle"),
                      control_label("Read questions aloud", "live-speak-toggle", size="1", color_scheme="gray"),
                      align="center", spacing="2"),
            align="center",
            width="100%",
            wrap="wrap",
            spacing="3",
        ),
        spacing="4",
        width="100%",
        id="live-interview",
    )


def _done() -> rx.Component:
    return rx.vstack(
        centered_message("circle_check", "green", "Thank you, your interview is complete",
                         "Your answers were saved and sent to " + S.company_name + ". A person on the hiring "
                         "team reviews every interview and will contact you about the next steps. "
                         "You can close this window now."),
        self_identification_card(),
        privacy_link("live-thanks-privacy-link"),
        spacing="5",
        id="live-thanks",
        width="100%",
    )


def _error() -> rx.Component:
    return rx.vstack(centered_message("link_2_off", "red", S.error_title, S.error_text),
                     privacy_link("live-error-privacy-link"), spacing="5", id="live-error", width="100%")


def _title() -> rx.Var:
    return rx.match(S.phase, ("welcome", "Before you start"), ("device", "Check your microphone"),
                    ("interview", S.job_title + " interview"), ("resume", "Interview in progress"),
                    ("done", "All done"), ("error", "Interview link"), "Opening your interview…")


def interview_live_page() -> rx.Component:
    body = rx.match(
        S.phase,
        ("welcome", _welcome()),
        ("device", _device()),
        ("resume", _resume()),
        ("interview", _interview()),
        ("done", _done()),
        ("error", _error()),
        rx.center(rx.spinner(size="3"), padding="2em", width="100%"),
    )
    return auth_layout(_title(), "", body, width="680px")
