"""Public (signed-out) flows: company registration, candidate sign-up, email verification and
choosing a password from an emailed link."""

from __future__ import annotations

from typing import Any

import pydantic
import reflex as rx

from interviewer.core import errors as E
from interviewer.db import session_scope
from interviewer.models.schemas import CandidateSignup, CompanyRegistrationCreate, SetPasswordRequest
from interviewer.services import auth as auth_service
from interviewer.services import companies as company_service
from interviewer.state.auth_state import AuthState, validation_message
from interviewer.state.password_state import chosen_password, open_link


def _text(form: dict[str, Any], key: str) -> str:
    return str(form.get(key) or "").strip()


class RegisterCompanyState(AuthState):
    error: str = ""
    submitted: bool = False
    submitted_company: str = ""
    submitted_email: str = ""

    @rx.event
    def reset_form(self):
        self.error = ""
        self.submitted = False

    @rx.event
    def submit(self, form: dict[str, Any]):
        self.error = ""
        if message := self._throttled():
            self.error = message
            return
        try:
            data = CompanyRegistrationCreate(
                company_name=_text(form, "company_name"), domain=_text(form, "domain") or None,
                contact_name=_text(form, "contact_name"), contact_email=_text(form, "contact_email"),
                message=_text(form, "message") or None,
            )
            with session_scope() as session:
                req = company_service.request_registration(session, data)
                self.submitted_company, self.submitted_email = req.company_name, req.contact_email
        except (pydantic.ValidationError, E.DomainError) as exc:
            self.error = validation_message(exc)
            return
        self.submitted = True


class SignupState(AuthState):
    error: str = ""
    submitted: bool = False
    submitted_email: str = ""

    @rx.event
    def reset_form(self):
        self.error = ""
        self.submitted = False

    @rx.event
    def submit(self, form: dict[str, Any]):
        self.error = ""
        if form.get("password") != form.get("confirm"):
            self.error = "The two passwords do not match."
            return
        if message := self._throttled():
            self.error = message
            return
        try:
            data = CandidateSignup(name=_text(form, "name"), email=_text(form, "email"),
                                   password=str(form.get("password") or ""))
            with session_scope() as session:
                user = auth_service.signup_candidate(session, name=data.name, email=data.email,
                                                     password=data.password)
                self.submitted_email = user.email
        except (pydantic.ValidationError, E.DomainError) as exc:
            self.error = validation_message(exc)
            return
        self.submitted = True


class VerifyEmailState(AuthState):
    status: str = "checking"  # checking | done | failed
    message: str = ""
    _token: str = ""  # the link already handled: on_load runs again when the socket reconnects

    @rx.event
    def verify(self):
        token = self.router.url.query_parameters.get("token", "")
        if token and token == self._token and self.status != "checking":
            return
        self._token = token
        self.status, self.message = "checking", ""
        if message := self._throttled():
            self.status, self.message = "failed", message
            return
        try:
            with session_scope() as session:
                user = auth_service.verify_email(session, token)
                email = user.email
        except E.DomainError as exc:
            self.status, self.message = "failed", exc.message
            return
        self.status = "done"
        self.message = f"{email} is confirmed. You can sign in now."


class SetPasswordState(AuthState):
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
                _, pair = auth_service.set_password_and_sign_in(session, data.token, data.password, ip=ip,
                                                                user_agent=agent)
                if pair is not None:
                    actor, _ = auth_service.authenticate_access_token(session, pair.access_token)
                    self._set_user(session, actor)
        except pydantic.ValidationError:
            self.error = "This link is invalid or has expired."
            return
        except E.DomainError as exc:
            self.error = exc.message
            return
        self.done = True
        if pair is None:  # the password is set, but the account may not sign in now
            self.notice = "Your password is set. Sign in with it now."
            return
        # Signed in with the new password at once: straight to the user's home (a new company's
        # dashboard opens on its getting-started list).
        self.notice = ""
        return [rx.toast.success("Your password is set. Welcome!"), self._hand_over(pair, self.home_path)]
