"""Signed-out pages: company registration, candidate sign-up, email verification, set password."""

from __future__ import annotations

import reflex as rx

from interviewer.components.public_layout import auth_layout, centered_message
from interviewer.components.ui import error_callout, field, link_button
from interviewer.state.public_state import RegisterCompanyState, SetPasswordState, SignupState, VerifyEmailState

PASSWORD_HINT = "At least 8 characters; not a common password and not your email address."


def _back_to_login(text: str = "Back to sign in") -> rx.Component:
    return rx.link(rx.hstack(rx.icon("arrow_left", size=14), rx.text(text, size="2"), align="center", spacing="1"),
                   href="/login")


def _input(name: str, placeholder: str = "", type_: str = "text", **props) -> rx.Component:
    props.setdefault("id", f"field-{name}")  # field() ties its label to the control by this id
    return rx.input(name=name, placeholder=placeholder, type=type_, size="3", width="100%", **props)


def register_company_page() -> rx.Component:
    form = rx.form(
        rx.vstack(
            field("Company name", _input("company_name", "Acme Ltd", required=True, auto_focus=True), required=True),
            field("Company domain", _input("domain", "acme.com"), hint="Optional: your website or email domain."),
            rx.grid(
                field("Your name", _input("contact_name", "Jane Doe", required=True, auto_complete="name"),
                      required=True),
                field("Work email", _input("contact_email", "jane@acme.com", "email", required=True,
                                           auto_complete="email"), required=True),
                columns={"initial": "1", "sm": "2"},
                spacing="4",
                width="100%",
            ),
            field("Message", rx.text_area(name="message", placeholder="What are you hiring for? (optional)",
                                          rows="3", max_length=2000, width="100%", id="field-message")),
            error_callout(RegisterCompanyState.error),
            rx.button("Send registration request", type="submit", size="3", width="100%"),
            spacing="4",
            width="100%",
        ),
        on_submit=RegisterCompanyState.submit,
        width="100%",
    )
    done = rx.vstack(
        centered_message("circle_check", "green", "Request received",
                         "Thank you. An administrator will review the registration of " +
                         RegisterCompanyState.submitted_company + ". We will write to " +
                         RegisterCompanyState.submitted_email + " when it is decided; once approved you will "
                         "get a link to set your password."),
        link_button("Back to sign in", href="/login", variant="soft", width="100%",
                    on_click=RegisterCompanyState.reset_form),
        spacing="5",
        width="100%",
    )
    return auth_layout(
        "Register your company",
        "Tell us who you are. After approval, you become your company's first HR user.",
        rx.cond(RegisterCompanyState.submitted, done, rx.vstack(form, _back_to_login(), spacing="4", width="100%")),
        width="560px",
    )


def signup_page() -> rx.Component:
    form = rx.form(
        rx.vstack(
            field("Full name", _input("name", "Alex Kim", required=True, auto_focus=True, auto_complete="name"),
                  required=True),
            field("Email", _input("email", "you@example.com", "email", required=True, auto_complete="email"),
                  required=True),
            field("Password", _input("password", "Choose a password", "password", required=True,
                                     auto_complete="new-password"), hint=PASSWORD_HINT, required=True),
            field("Confirm password", _input("confirm", "Repeat the password", "password", required=True,
                                             auto_complete="new-password"), required=True),
            error_callout(SignupState.error),
            rx.button("Create account", type="submit", size="3", width="100%"),
            spacing="4",
            width="100%",
        ),
        on_submit=SignupState.submit,
        width="100%",
    )
    done = rx.vstack(
        centered_message("mail_check", "indigo", "Check your email",
                         "We sent a confirmation link to " + SignupState.submitted_email +
                         ". Follow it to activate your account, then sign in."),
        link_button("Go to sign in", href="/login", variant="soft", width="100%", on_click=SignupState.reset_form),
        spacing="5",
        width="100%",
    )
    return auth_layout(
        "Create a candidate account",
        "See the companies you applied to and the status of your applications.",
        rx.cond(SignupState.submitted, done, rx.vstack(form, _back_to_login("I already have an account"),
                                                       spacing="4", width="100%")),
    )


def verify_email_page() -> rx.Component:
    return auth_layout(
        "Confirm your email",
        "",
        rx.match(
            VerifyEmailState.status,
            ("done", rx.vstack(centered_message("circle_check", "green", "Email confirmed", VerifyEmailState.message),
                               link_button("Sign in", href="/login", size="3", width="100%"),
                               spacing="5", width="100%")),
            ("failed", rx.vstack(centered_message("circle_x", "red", "We could not confirm your email",
                                                  VerifyEmailState.message),
                                 _back_to_login(), spacing="5", width="100%", align="center")),
            rx.center(rx.spinner(size="3"), padding="2em", width="100%"),
        ),
    )


def set_password_page() -> rx.Component:
    form = rx.form(
        rx.vstack(
            field("New password", _input("password", "Choose a password", "password", required=True,
                                         auto_focus=True, auto_complete="new-password", id="set-password-new"),
                  hint=PASSWORD_HINT, required=True),
            field("Confirm password", _input("confirm", "Repeat the password", "password", required=True,
                                             auto_complete="new-password", id="set-password-confirm"),
                  required=True),
            rx.box(error_callout(SetPasswordState.error), id="set-password-error", width="100%"),
            rx.button("Set password", type="submit", size="3", width="100%", id="set-password-submit"),
            spacing="4",
            width="100%",
        ),
        on_submit=SetPasswordState.submit,
        width="100%",
    )
    done = rx.cond(
        SetPasswordState.is_authenticated,
        rx.vstack(  # signed in by setting the password: on the way to the user's home
            centered_message("circle_check", "green", "Password set", "You are signed in; opening your workspace…"),
            link_button("Continue", href=SetPasswordState.home_path, size="3", width="100%"),
            spacing="5", width="100%", id="set-password-done",
        ),
        rx.vstack(
            centered_message("circle_check", "green", "Password set",
                             "Your account is ready. Sign in with your email address and the new password."),
            link_button("Sign in", href="/login", size="3", width="100%"),
            spacing="5", width="100%", id="set-password-done",
        ),
    )
    missing = rx.vstack(
        centered_message("circle_x", "red", "This link is incomplete",
                         "Open the link from your email again, or ask your HR team for a new one."),
        _back_to_login(),
        spacing="5",
        width="100%",
        align="center",
    )
    return auth_layout(
        "Choose your password",
        "You will use it with your email address to sign in.",
        rx.cond(SetPasswordState.done, done, rx.cond(SetPasswordState.has_token, form, missing)),
    )
