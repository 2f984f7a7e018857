"""Password pages: forgot password, reset with an emailed link (signed out), change password (signed in)."""

from __future__ import annotations

import reflex as rx

from interviewer.components.public_layout import auth_layout, centered_message
from interviewer.components.shell import app_shell
from interviewer.components.ui import error_callout, field, link_button, page_header
from interviewer.state.password_state import ChangePasswordState, ForgotPasswordState, ResetPasswordState

PASSWORD_HINT = ("At least 8 characters; not a common word, a sequence or keyboard pattern, only digits, "
                 "or your email, name or company name.")


def _input(name: str, placeholder: str = "", type_: str = "text", **props) -> rx.Component:
    return rx.input(name=name, placeholder=placeholder, type=type_, size="3", width="100%", **props)


def _back_to_login() -> rx.Component:
    return rx.link(rx.hstack(rx.icon("arrow_left", size=14), rx.text("Back to sign in", size="2"), align="center",
                             spacing="1"), href="/login")


def forgot_password_page() -> rx.Component:
    form = rx.form(
        rx.vstack(
            field("Email", _input("email", "you@company.com", "email", required=True, auto_focus=True,
                                  auto_complete="username", id="forgot-email"), required=True),
            error_callout(ForgotPasswordState.error),
            rx.button("Email me a reset link", type="submit", size="3", width="100%", id="forgot-submit"),
            _back_to_login(),
            spacing="4",
            width="100%",
        ),
        on_submit=ForgotPasswordState.submit,
        width="100%",
    )
    sent = rx.vstack(
        rx.box(centered_message("mail_check", "green", "Check your email", ForgotPasswordState.sent_message),
               id="forgot-sent", width="100%"),
        _back_to_login(),
        spacing="5",
        width="100%",
        align="center",
    )
    return auth_layout("Forgot your password?", "We will email you a link to choose a new one.",
                       rx.cond(ForgotPasswordState.sent_message != "", sent, form))


def reset_password_page() -> rx.Component:
    form = rx.form(
        rx.vstack(
            field("New password", _input("password", "Choose a password", "password", required=True,
                                         auto_focus=True, auto_complete="new-password", id="reset-password"),
                  hint=PASSWORD_HINT, required=True),
            field("Confirm password", _input("confirm", "Repeat the password", "password", required=True,
                                             auto_complete="new-password", id="reset-confirm"), required=True),
            rx.box(error_callout(ResetPasswordState.error), id="reset-error", width="100%"),
            rx.button("Change password", type="submit", size="3", width="100%", id="reset-submit"),
            spacing="4",
            width="100%",
        ),
        on_submit=ResetPasswordState.submit,
        width="100%",
    )
    done = rx.vstack(
        rx.box(centered_message("circle_check", "green", "Password changed",
                                "Every session of your account was signed out. Sign in with the new password."),
               id="reset-done", width="100%"),
        link_button("Sign in", href="/login", size="3", width="100%"),
        spacing="5",
        width="100%",
    )
    missing = rx.vstack(
        centered_message("circle_x", "red", "This link is incomplete",
                         "Open the link from your email again, or request a new one."),
        rx.link("Request a new link", href="/forgot-password"),
        spacing="5",
        width="100%",
        align="center",
    )
    return auth_layout("Choose a new password", "The link works once and only for a short time.",
                       rx.cond(ResetPasswordState.done, done, rx.cond(ResetPasswordState.has_token, form, missing)))


def change_password_page() -> rx.Component:
    return app_shell(
        "/account/password",
        page_header("Change password", "Your other signed-in sessions end when the password changes."),
        rx.card(
            rx.form(
                rx.vstack(
                    field("Current password", _input("current_password", "Your current password", "password",
                                                     required=True, auto_complete="current-password",
                                                     id="current-password"), required=True),
                    field("New password", _input("new_password", "Choose a new password", "password",
                                                 required=True, auto_complete="new-password", id="new-password"),
                          hint=PASSWORD_HINT, required=True),
                    field("Confirm new password", _input("confirm", "Repeat the new password", "password",
                                                         required=True, auto_complete="new-password",
                                                         id="confirm-password"), required=True),
                    rx.box(error_callout(ChangePasswordState.error), id="change-password-error", width="100%"),
                    rx.cond(ChangePasswordState.saved,
                            rx.callout("Password changed.", icon="circle_check", color_scheme="green",
                                       id="change-password-done", width="100%")),
                    rx.button("Change password", type="submit", size="3", id="change-password-submit"),
                    spacing="4",
                    width="100%",
                    max_width="440px",
                ),
                on_submit=ChangePasswordState.submit,
                reset_on_submit=True,
                width="100%",
            ),
        ),
    )
