"""/login and / (which only routes to the right place)."""

from __future__ import annotations

import reflex as rx

from interviewer.components.public_layout import auth_layout
from interviewer.components.ui import error_callout, field, info_callout, link_button
from interviewer.state.auth_state import AuthState


def login_page() -> rx.Component:
    return auth_layout(
        "Sign in",
        "Use the account your company or your candidate sign-up gave you.",
        info_callout(AuthState.notice),
        rx.form(
            rx.vstack(
                field("Email", rx.input(name="email", type="email", placeholder="you@company.com", size="3",
                                        required=True, auto_focus=True, auto_complete="username",
                                        id="login-email", width="100%")),
                field("Password", rx.input(name="password", type="password", placeholder="Your password",
                                           size="3", required=True, auto_complete="current-password",
                                           id="login-password", width="100%")),
                rx.link("Forgot password?", href="/forgot-password", size="2", id="forgot-password-link"),
                rx.box(error_callout(AuthState.login_error), id="login-error", width="100%"),
                rx.button("Sign in", type="submit", size="3", width="100%", loading=AuthState.signing_in,
                          id="login-submit"),
                spacing="4",
                width="100%",
            ),
            on_submit=AuthState.login,
            width="100%",
        ),
        rx.separator(size="4"),
        rx.vstack(
            rx.text("New to AI Interviewer?", size="2", weight="medium"),
            rx.grid(
                link_button(rx.icon("building_2", size=16), "Register your company", href="/register-company",
                            link_id="register-company-link", variant="soft", width="100%"),
                link_button(rx.icon("user_plus", size=16), "Sign up as a candidate", href="/signup",
                            link_id="signup-link", variant="soft", color_scheme="gray", width="100%"),
                columns="1",
                spacing="2",
                width="100%",
            ),
            spacing="2",
            width="100%",
        ),
    )


def index_page() -> rx.Component:
    return rx.center(rx.spinner(size="3"), height="100vh")
