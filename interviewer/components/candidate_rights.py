"""The candidate's "Your data" card (on /me): a copy of their data, and erasure with a confirmation."""

from __future__ import annotations

import reflex as rx

from interviewer.state.candidate_rights_state import CandidateRightsState as C


def your_data_card() -> rx.Component:
    dialog = rx.alert_dialog.root(
        rx.alert_dialog.content(
            rx.alert_dialog.title("Erase your data?"),
            rx.alert_dialog.description(
                "Your name, contact details, resumes, interview answers and reports are deleted at every company "
                "you applied to, and your account is closed. Companies keep only that an application happened and "
                "its outcome, without your name. This cannot be undone.", size="2"),
            rx.text("Type your email address to confirm:", size="2", margin_top="0.75em"),
            rx.input(value=C.erase_confirm, on_change=C.set_erase_confirm, placeholder="you@example.com",
                     width="100%", id="erase-confirm", aria_label="Your email address"),
            rx.flex(
                rx.alert_dialog.cancel(rx.button("Keep my data", variant="soft", color_scheme="gray")),
                rx.button("Erase everything", color_scheme="red", on_click=C.erase, id="erase-submit"),
                spacing="3", justify="end", margin_top="1em",
            ),
        ),
        open=C.erase_open,
        on_open_change=C.set_erase_open,
    )
    return rx.card(
        rx.vstack(
            rx.hstack(rx.icon("shield_check", size=18), rx.heading("Your data", size="4"), align="center"),
            rx.text("Download a copy of everything the companies you applied to keep about you here (applications, "
                    "resumes, interview answers, reports and emails), or erase it.", size="2", color_scheme="gray"),
            rx.flex(
                rx.button(rx.icon("download", size=16), "Download my data", variant="soft",
                          on_click=C.download_data, id="data-download"),
                rx.button(rx.icon("trash_2", size=16), "Erase my data", variant="soft", color_scheme="red",
                          on_click=C.set_erase_open(True), id="erase-open"),
                spacing="3", wrap="wrap",
            ),
            dialog,
            spacing="3", width="100%",
        ),
        width="100%", id="your-data",
    )
