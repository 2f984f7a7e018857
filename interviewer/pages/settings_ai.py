"""/settings/ai: the company's AI configuration (HR with company:settings)."""

from __future__ import annotations

import reflex as rx

from interviewer.components.hiring_ui import provider_label, section
from interviewer.components.shell import app_shell
from interviewer.components.ui import error_callout, field, loading_block, page_header
from interviewer.state.ai_settings_state import AISettingsState
from interviewer.state.feedback_state import FeedbackSettingsState as FB
from interviewer.state.retention_state import RetentionState as R

S = AISettingsState
PROVIDER_CHOICES = [
    ("auto", "Automatic", "Gemini when an API key is available (yours or the server's), otherwise offline analysis."),
    ("gemini", "Gemini", "Always Google Gemini; needs an API key."),
    ("offline", "Offline", "Deterministic analysis on our servers; no data leaves the platform."),
]


def _provider_card() -> rx.Component:
    return section(
        "Provider",
        rx.radio_cards.root(
            *[rx.radio_cards.item(rx.vstack(rx.text(label, weight="bold", size="2"),
                                            rx.text(text, size="1", color_scheme="gray"), spacing="1",
                                            align="start"), value=value)
              for value, label, text in PROVIDER_CHOICES],
            value=S.provider, on_value_change=lambda v: S.set_field("provider", v),
            columns={"initial": "1", "sm": "3"}, gap="3", width="100%",
        ),
        rx.cond(S.provider == "auto",
                rx.checkbox("Fall back to offline analysis when Gemini fails", checked=S.fallback,
                            on_change=S.set_fallback, size="2"),
                rx.fragment()),
        rx.grid(
            field("Model", rx.input(value=S.model, on_change=lambda v: S.set_field("model", v), width="100%",
                                    placeholder="gemini-2.5-flash", id="ai-model"),
                  hint="The Gemini model; job templates may name their own."),
            field("API key", rx.vstack(
                rx.input(type="password", value=S.api_key, on_change=lambda v: S.set_field("api_key", v),
                         placeholder=rx.cond(S.key_set, "•••••••• (stored; type to replace)", "Paste a Google AI key"),
                         auto_complete="new-password", width="100%", id="ai-key", aria_label="API key"),
                rx.hstack(
                    rx.cond(S.key_set,
                            rx.badge(rx.icon("key_round", size=12), "key set", color_scheme="green", variant="soft"),
                            rx.badge("no key stored", color_scheme="gray", variant="soft")),
                    rx.cond(S.key_set, rx.button("Remove key", size="1", variant="ghost", color_scheme="red",
                                                 on_click=S.remove_key, id="ai-key-remove"), rx.fragment()),
                    align="center", spacing="2",
                ),
                spacing="2", width="100%",
            ), hint="Write-only: the key is never shown again."),
            columns={"initial": "1", "md": "2"}, spacing="4", width="100%",
        ),
        icon="cpu",
        actions=rx.hstack(rx.text("In use now:", size="1", color_scheme="gray"), provider_label(S.resolved),
                          align="center", spacing="2"),
    )


def _prompt_card() -> rx.Component:
    return section(
        "Custom prompt",
        rx.text("Extra instructions added to every AI request of your company (question generation and scoring). "
                "Job templates can add their own.", size="2", color_scheme="gray"),
        rx.text_area(value=S.custom_prompt, on_change=lambda v: S.set_field("custom_prompt", v), rows="5",
                     width="100%", max_length=4000, id="ai-prompt", aria_label="Custom prompt",
                     placeholder="e.g. We value clear reasoning over memorised definitions."),
        rx.text(S.custom_prompt.length(), " / 4000", size="1", color_scheme="gray", align="right", width="100%"),
        icon="message_square_text",
    )


def _thresholds_card() -> rx.Component:
    number = lambda name: rx.input(type="number", min=0, max=100, value=getattr(S, name),  # noqa: E731
                                   on_change=lambda v: S.set_field(name, v), width="100%", id=f"ai-{name}")
    return section(
        "Verdict thresholds",
        rx.text("On the 0-100 interview score: at or above Pass → PASS; at or above Review → REVIEW; "
                "below → FAIL. A transcript too poor to judge always goes to REVIEW.", size="2", color_scheme="gray"),
        rx.grid(
            field("Review from", number("review_mark"), required=True),
            field("Pass from", number("pass_mark"), required=True),
            columns="2", spacing="4", width="100%", max_width="420px",
        ),
        rx.cond(S.threshold_error != "", rx.text(S.threshold_error, size="2", color_scheme="red", role="alert"),
                rx.box(
                    rx.box(rx.text("FAIL", size="1"), class_name="band band--fail", width=S.bands[0]),
                    rx.box(rx.text("REVIEW", size="1"), class_name="band band--review", width=S.bands[1]),
                    rx.box(rx.text("PASS", size="1"), class_name="band band--pass", width=S.bands[2]),
                    class_name="band-track",
                )),
        icon="gauge",
    )


_PERIODS = [("keep", "Keep until deleted"), ("30", "30 days"), ("90", "90 days"), ("180", "6 months"),
            ("365", "1 year"), ("730", "2 years"), ("1095", "3 years")]
_RETAINED = [
    ("transcripts", "Interview answers (transcripts)", "From the interview's end."),
    ("audio_derived", "Measures from the audio and integrity signals", "From the interview's end."),
    ("reports", "Detailed AI reports", "From the interview's end; the verdict and score are kept."),
    ("resumes", "Resumes and their checks", "From the candidate's last update."),
    ("accommodations", "Answered accommodation requests", "From the answer; open requests stay."),
]


def _retention_card() -> rx.Component:
    def row(name: str, label: str, hint: str) -> rx.Component:
        return rx.flex(
            rx.vstack(rx.text(label, size="2", weight="medium"), rx.text(hint, size="1", color_scheme="gray"),
                      spacing="0", flex="1"),
            rx.select.root(
                rx.select.trigger(aria_label=label, min_width="12em"),
                rx.select.content(*[rx.select.item(text, value=value) for value, text in _PERIODS]),
                value=getattr(R, f"r_{name}"), on_change=lambda v: R.set_period(name, v),
            ),
            align="center", spacing="3", width="100%", id=f"retention-{name}",
        )

    return rx.card(
        rx.vstack(
            rx.hstack(rx.icon("archive", size=18), rx.heading("Data retention", size="4"), align="center"),
            rx.text("How long the company keeps what an interview and a resume leave behind. Expired data is "
                    "removed once a day and each removal is recorded in the audit log.", size="2",
                    color_scheme="gray"),
            *[row(*item) for item in _RETAINED],
            rx.flex(rx.button(rx.icon("save", size=16), "Save retention", on_click=R.save_retention,
                              id="retention-save"), justify="end", width="100%"),
            spacing="3", width="100%",
        ),
        width="100%", max_width="900px", on_mount=R.load_retention, id="retention-card",
    )


def _feedback_card() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.hstack(rx.icon("mail_check", size=18), rx.heading("Feedback letters", size="4"), align="center"),
            rx.flex(
                rx.text("Offer candidates a short letter about their answers: drafted from the key points they "
                        "covered and missed, never from the score or signals, and sent only after HR reads and "
                        "edits it on the interview report.", size="2", color_scheme="gray", flex="1"),
                rx.switch(checked=FB.fbs_enabled, on_change=FB.toggle_letters, id="feedback-switch",
                          aria_label="Feedback letters"),
                spacing="4", align="center", width="100%",
            ),
            spacing="3", width="100%",
        ),
        width="100%", max_width="900px", on_mount=FB.load_feedback_settings, id="feedback-card",
    )


def settings_ai_page() -> rx.Component:
    return app_shell(
        "/settings/ai",
        page_header("AI settings", "How your company's interviews are analysed and judged."),
        rx.cond(
            S.loaded,
            rx.vstack(
                _provider_card(),
                _prompt_card(),
                _thresholds_card(),
                error_callout(S.error),
                rx.flex(rx.button(rx.icon("save", size=16), "Save settings", on_click=S.save, size="3",
                                  disabled=S.threshold_error != "", id="ai-save"),
                        justify="end", width="100%"),
                _retention_card(),
                _feedback_card(),
                spacing="4", width="100%", max_width="900px",
            ),
            loading_block(),
        ),
    )
