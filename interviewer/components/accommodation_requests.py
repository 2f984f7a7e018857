"""The dashboard's "Accommodation requests" card (HR): open requests from candidates and the dialog
that answers one by email (state/accommodation_requests_state.py)."""

from __future__ import annotations

import reflex as rx

from interviewer.components.ui import error_callout
from interviewer.state.accommodation_requests_state import (
    AccommodationRequestsState as A,
)


def _row(item) -> rx.Component:
    return rx.flex(
        rx.vstack(
            rx.hstack(
                rx.link(item.candidate, href="/interviews/" + item.interview_id, weight="medium", size="2"),
                rx.badge(item.kind, color_scheme="amber", variant="soft", radius="full"),
                align="center", spacing="2", wrap="wrap",
            ),
            rx.text(rx.cond(item.job != "", item.job + " · ", ""), "received ", item.received, size="1",
                    color_scheme="gray"),
            rx.cond(item.message != "", rx.text("“", item.message, "”", size="2", class_name="accommodation-quote"),
                    rx.fragment()),
            spacing="1", flex="1", min_width="0",
        ),
        rx.button(rx.icon("reply", size=15), "Answer", variant="soft", size="2", type="button",
                  on_click=A.start_answer(item.id), aria_label="Answer " + item.candidate,
                  class_name="accommodation-answer-open"),
        align="center", spacing="3", width="100%", class_name="accommodation-row",
    )


def _dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(rx.text.span("Answer ", A.answer_for)),
            rx.dialog.description(rx.text.span("They asked for: ", rx.text.strong(A.answer_kind),
                                               ". Your answer is emailed to them as you write it here."),
                                  size="2"),
            rx.vstack(
                rx.cond(A.answer_message != "",
                        rx.text("“", A.answer_message, "”", size="2", color_scheme="gray"), rx.fragment()),
                rx.text_area(value=A.answer_text, on_change=A.set_answer_text, rows="6", width="100%",
                             max_length=4000, placeholder="For example: Yes, you will have 30 more minutes; your link "
                                                          "stays the same.",
                             id="accommodation-answer-text", aria_label="Your answer"),
                rx.box(error_callout(A.answer_error), width="100%"),
                rx.hstack(
                    rx.dialog.close(rx.button("Cancel", variant="soft", color_scheme="gray", type="button")),
                    rx.button(rx.cond(A.sending, rx.spinner(size="2"), rx.icon("send", size=16)), "Send answer",
                              on_click=A.send_answer, disabled=A.sending, type="button",
                              id="accommodation-answer-send"),
                    justify="end", spacing="3", width="100%",
                ),
                spacing="3", width="100%", margin_top="1em",
            ),
            max_width="520px",
        ),
        open=A.answer_open,
        on_open_change=A.set_answer_open,
    )


def accommodation_requests_card() -> rx.Component:
    """Shown to users who may answer (HR) while requests are open: work waiting, next to the
    interviews waiting for a decision."""
    return rx.cond(
        A.visible & (A.open_total > 0),
        rx.card(
            rx.vstack(
                rx.flex(
                    rx.hstack(rx.icon("hand_helping", size=18, color=rx.color("amber", 10)),
                              rx.heading("Accommodation requests", size="4"), align="center", spacing="2"),
                    rx.spacer(),
                    rx.badge(A.open_total.to_string() + " open", color_scheme="amber", variant="soft",
                             radius="full"),
                    align="center", width="100%", wrap="wrap", spacing="2",
                ),
                rx.text("Candidates asked for more time, typing only or another format before their interview. "
                        "Answer each one: your answer is emailed to the candidate. Change or reschedule the "
                        "interview from its page if needed.", size="2", color_scheme="gray"),
                rx.vstack(rx.foreach(A.items, _row), spacing="3", width="100%"),
                _dialog(),
                spacing="3", width="100%",
            ),
            width="100%", id="accommodation-requests",
        ),
        rx.fragment(),
    )
