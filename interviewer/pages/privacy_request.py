"""/privacy-request (signed out): ask for a link to your data by email; with the emailed link
(``?token=``), see what one company holds, download it, or erase it."""

from __future__ import annotations

import reflex as rx

from interviewer.components.public_layout import auth_layout, centered_message
from interviewer.components.ui import error_callout, field
from interviewer.state.privacy_request_state import PrivacyRequestState as P


def _back_to_request() -> rx.Component:
    return rx.link(rx.hstack(rx.icon("arrow_left", size=14), rx.text("Request a new link", size="2"),
                             align="center", spacing="1"), href="/privacy-request", id="privacy-new-link")


def _ask() -> rx.Component:
    form = rx.form(
        rx.vstack(
            rx.text("Enter the email address the company wrote to. For each company that has you as a candidate "
                    "we email you a link; it shows what that company keeps about you, lets you download a copy, "
                    "and lets you ask for it to be erased.", size="2"),
            field("Email", rx.input(name="email", placeholder="you@example.com", type="email", size="3",
                                    width="100%", required=True, auto_focus=True, auto_complete="email",
                                    id="privacy-email"), required=True),
            error_callout(P.error),
            rx.button("Email me a link", type="submit", size="3", width="100%", id="privacy-submit"),
            rx.text("Have an account? Sign in and use ", rx.link("My profile", href="/me"),
                    " → Your data: it covers every company at once.", size="1", color_scheme="gray"),
            spacing="4", width="100%",
        ),
        on_submit=P.submit, reset_on_submit=True, width="100%",
    )
    sent = rx.vstack(
        rx.box(centered_message("mail_check", "green", "Check your email", P.sent_message), id="privacy-sent",
               width="100%"),
        rx.button("Use another address", variant="soft", on_click=P.ask_again, type="button"),
        spacing="5", width="100%", align="center",
    )
    return rx.cond(P.sent_message != "", sent, form)


def _fact(label: str, value: rx.Var) -> rx.Component:
    return rx.hstack(rx.text(label, size="2", color_scheme="gray"), rx.spacer(), rx.text(value, size="2",
                                                                                          weight="medium"),
                     width="100%")


def _erase_dialog() -> rx.Component:
    return rx.alert_dialog.root(
        rx.alert_dialog.content(
            rx.alert_dialog.title(rx.text.span("Erase your data at ", P.company, "?")),
            rx.alert_dialog.description(
                rx.text.span(P.company, " deletes your name, contact details, resume, interview answers, reports "
                             "and requests, and the emails it sent you. It keeps only that an application happened "
                             "and its outcome, without your name, for its hiring statistics. This cannot be "
                             "undone, and the link stops working."), size="2"),
            rx.text("Type your email address to confirm:", size="2", margin_top="0.75em"),
            rx.input(value=P.erase_confirm, on_change=P.set_erase_confirm, placeholder="you@example.com",
                     width="100%", id="privacy-erase-confirm", aria_label="Your email address"),
            rx.box(error_callout(P.erase_error), id="privacy-erase-error", width="100%", margin_top="0.5em"),
            rx.flex(
                rx.alert_dialog.cancel(rx.button("Keep my data", variant="soft", color_scheme="gray")),
                rx.button("Erase my data", color_scheme="red", on_click=P.erase, id="privacy-erase-submit"),
                spacing="3", justify="end", margin_top="1em",
            ),
        ),
        open=P.erase_open,
        on_open_change=P.set_erase_open,
    )


def _held() -> rx.Component:
    return rx.vstack(
        rx.text(rx.text.span(P.company, weight="bold"), " keeps the following about ",
                rx.text.span(P.link_email, weight="bold"), ":", size="2"),
        rx.card(rx.vstack(
            _fact("Applications", P.applications),
            _fact("Interviews", P.interviews),
            _fact("Emails sent to you", P.emails),
            spacing="2", width="100%"), width="100%", id="privacy-held"),
        rx.text("The download holds everything: contact details, resume text, each interview's status, score, "
                "verdict and the person's decision, the AI's report and your words, your requests and the emails.",
                size="1", color_scheme="gray"),
        rx.button(rx.icon("download", size=16), "Download my data (JSON)", size="3", width="100%",
                  on_click=P.download, type="button", id="privacy-download"),
        rx.button(rx.icon("trash_2", size=16), "Erase my data at this company", size="3", width="100%",
                  variant="soft", color_scheme="red", on_click=P.set_erase_open(True), type="button",
                  id="privacy-erase-open"),
        rx.text("This link works until ", P.expires, ".", size="1", color_scheme="gray"),
        _erase_dialog(),
        spacing="3", width="100%",
    )


def _link_problem() -> rx.Component:
    title = rx.match(P.link_reason, ("used", "Link already used"), ("expired", "Link expired"),
                     "Link not valid")
    return rx.vstack(
        rx.box(centered_message("circle_x", "red", title, P.link_error), id="privacy-link-error", width="100%"),
        _back_to_request(),
        spacing="5", width="100%", align="center",
    )


def _erased() -> rx.Component:
    return rx.vstack(
        rx.box(centered_message("circle_check", "green", "Your data was erased", P.erased_summary),
               id="privacy-erased", width="100%"),
        spacing="5", width="100%", align="center",
    )


def privacy_request_page() -> rx.Component:
    with_link = rx.cond(P.erased, _erased(), rx.cond(P.link_error != "", _link_problem(), _held()))
    return auth_layout("Your data", "See, download or erase what a company keeps about you.",
                       rx.cond(P.has_token, with_link, _ask()), width="480px")
