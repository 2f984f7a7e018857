"""Passwords in the UI: forgot password (request a link), reset with the emailed link, and the
signed-in user's own password change (current password required; other sessions end). The rules
live in services.password_reset and services.users, as for the REST API."""

from __future__ import annotations

from typing import Any

import pydantic
import reflex as rx

from interviewer.core import errors as E
from interviewer.db import session_scope
from interviewer.models.schemas import ForgotPasswordRequest, SetPasswordRequest, UserUpdate
from interviewer.services import password_reset, web_sessions
from interviewer.services import users as user_service
from interviewer.state.auth_state import AuthState, validation_message


def open_link(state: AuthState) -> None:
    """on_load of a page opened by an emailed password link (``?token=``; the state has ``error``,
    ``done``, ``has_token`` and ``_token``): reset for a new link only, since on_load also runs
    again when the socket reconnects."""
    token = state.router.url.query_parameters.get("token", "")
    if token != state._token:
        state._token, state.error, state.done = token, "", False
    state.has_token = bool(token)


def chosen_password(state: AuthState, form: dict[str, Any]) -> str | None:
    """The password a link form chose, or None with ``state.error`` saying why not (empty, the two
    fields differ, too many attempts from this client)."""
    state.error = ""
    password = str(form.get("password") or "")
    if not password:
        state.error = "Choose a password."
    elif password != form.get("confirm"):
        state.error = "The two passwords do not match."
    elif message := state._throttled():
        state.error = message
    return None if state.error else password


class ForgotPasswordState(AuthState):
    error: str = ""
    sent_message: str = ""

    @rx.event
    def open(self):
        self.error = ""
        self.sent_message = ""

    @rx.event
    def submit(self, form: dict[str, Any]):
        self.error = ""
        if message := self._throttled():
            self.error = message
            return
        try:
            data = ForgotPasswordRequest(email=str(form.get("email") or ""))
        except pydantic.ValidationError:
            self.error = "Enter the email address of your account."
            return
        ip, _ = self._client_meta()
        with session_scope() as session:
            self.sent_message = password_reset.request_password_reset(session, email=data.email, ip=ip)


class ResetPasswordState(AuthState):
    error: str = ""
    done: bool = False
    has_token: bool = True
    _token: str = ""

    @rx.event
    def open(self):
        open_link(self)

    @rx.event
    def submit(self, form: dict[str, Any]):
        password = chosen_password(self, form)
        if password is None:
            return
        ip, agent = self._client_meta()
        try:
            data = SetPasswordRequest(token=self.router.url.query_parameters.get("token", ""), password=password)
            with session_scope() as session:
                password_reset.reset_password(session, token=data.token, password=data.password, ip=ip,
                                              user_agent=agent)
        except pydantic.ValidationError:
            self.error = password_reset.INVALID_LINK
            return
        except E.DomainError as exc:
            self.error = exc.message
            return
        # Every session of the account ended, this browser's included.
        web_sessions.end(self._web_session_id())
        self.done = True
        self.notice = "Your password was changed. Sign in with it now."


class ChangePasswordState(AuthState):
    error: str = ""
    saved: bool = False

    @rx.event
    def open(self):
        self.error, self.saved = "", False
        return self.require_login()

    @rx.event
    def submit(self, form: dict[str, Any]):
        self.error, self.saved = "", False
        new = str(form.get("new_password") or "")
        if new != form.get("confirm"):
            self.error = "The two new passwords do not match."
            return
        try:
            data = UserUpdate(password=new or None, current_password=str(form.get("current_password") or "") or None)
        except pydantic.ValidationError as exc:
            self.error = validation_message(exc)
            return
        if data.password is None:
            self.error = "Choose a new password."
            return

        def work(session, actor):
            user_service.update_user(session, actor, actor.id, data)

        try:
            self._call(work)
        except E.DomainError as exc:
            self.error = exc.message
            return
        except Exception:  # SessionEnded and the like: sign in again
            return self._end_session()
        self.saved = True
        return rx.toast.success("Password changed. Your other sessions were signed out.")
