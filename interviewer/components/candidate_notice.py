"""The plain notice on the interview's welcome page (before consent): AI evaluates the answers,
what is recorded and kept, a person reviews; the way to ask for an alternative or an
accommodation (services/accommodations.py); and where to see or erase one's data
(/privacy-request, services/privacy_links.py)."""

from __future__ import annotations

import reflex as rx

from interviewer.state.accommodation_state import KIND_LABELS
from interviewer.state.accommodation_state import AccommodationState as A


def _point(title: str, text: str | rx.Var) -> rx.Component:
    return rx.text(rx.text.strong(title + " "), text, size="2")


def _dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.trigger(rx.button(rx.icon("hand_helping", size=16), "Ask for an alternative or an accommodation",
                                    variant="soft", type="button", id="live-accommodation-open")),
        rx.dialog.content(
            rx.dialog.title("Ask for an alternative or an accommodation"),
            rx.dialog.description("The hiring team receives your request and answers you by email. Your link keeps "
                                  "working, so you can still take the interview as it is.", size="2"),
            rx.vstack(
                rx.radio_group(KIND_LABELS, value=A.kind, on_change=A.set_kind, direction="column",
                               id="live-accommodation-kind"),
                rx.text_area(placeholder="Anything the team should know (optional)", value=A.message,
                             on_change=A.set_message, max_length=2000, id="live-accommodation-message",
                             width="100%"),
                rx.cond(A.error != "", rx.callout(A.error, icon="info", color_scheme="red", width="100%"),
                        rx.fragment()),
                rx.hstack(
                    rx.dialog.close(rx.button("Cancel", variant="soft", color_scheme="gray", type="button")),
                    rx.button(rx.cond(A.sending, rx.spinner(size="2"), rx.icon("send", size=16)), "Send request",
                              on_click=A.send, disabled=A.sending, type="button", id="live-accommodation-send"),
                    justify="end", spacing="3", width="100%",
                ),
                spacing="3", width="100%", margin_top="1em",
            ),
            max_width="480px",
        ),
        open=A.open,
        on_open_change=A.set_open,
    )


def privacy_link(element_id: str = "live-privacy-link") -> rx.Component:
    """Where a candidate (with or without an account) sees, downloads or erases their data."""
    return rx.text(rx.icon("shield_check", size=13), " ",
                   rx.link("See, download or erase your data", href="/privacy-request", id=element_id),
                   size="1", color_scheme="gray", align="center", width="100%")


def candidate_notice(company_name: rx.Var) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.text("Before you agree: how AI is used", weight="bold", size="3"),
            _point("AI evaluates your answers.",
                   "An AI compares the text of each answer with the points the question asks about. It does not "
                   "look at your face, your voice, your accent or your emotions."),
            _point("What is recorded and kept.",
                   rx.text.span("The text of your answers, how long each answer took, and signals such as leaving "
                                "the page or pasting text. The audio itself is not stored. ", company_name,
                                " keeps this for its retention period and may then delete it.")),
            _point("A person reviews.",
                   "People on the hiring team review every result and make the decision; the AI does not decide "
                   "on its own."),
            _point("You can ask for something else.",
                   "If you need more time, want to type only, or prefer another format, ask before you start."),
            _point("Your data.",
                   rx.text.span("You may see, download or erase what ", company_name, " keeps about you at any "
                                "time, with or without an account: ",
                                rx.link("your data", href="/privacy-request", id="live-privacy-link"), ".")),
            rx.cond(A.sent,
                    rx.callout("Your request was sent. The hiring team will answer you by email.", icon="check",
                               color_scheme="green", id="live-accommodation-sent", width="100%"),
                    _dialog()),
            spacing="2",
            width="100%",
        ),
        variant="surface",
        width="100%",
        id="live-ai-notice",
    )
