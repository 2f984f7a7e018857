"""/privacy-request: a person without an account asks for their data by email, then opens the
emailed link (``?token=``) to see what one company holds, download it or erase it. The rules live
in services.privacy_links, as for ``/api/v1/privacy-requests``."""

from __future__ import annotations

import json
import re
from typing import Any

import pydantic
import reflex as rx

from interviewer.core import errors as E
from interviewer.db import session_scope
from interviewer.models.schemas import EmailStr
from interviewer.services import privacy_links
from interviewer.state.auth_state import AuthState


class _EmailIn(pydantic.BaseModel):
    email: EmailStr


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "company"


class PrivacyRequestState(AuthState):
    # Asking for links (no token).
    error: str = ""
    sent_message: str = ""
    # An opened link.
    has_token: bool = False
    link_error: str = ""
    link_reason: str = ""  # "unknown" | "used" | "expired" when the link cannot be used
    company: str = ""
    link_email: str = ""
    applications: int = 0
    interviews: int = 0
    emails: int = 0
    expires: str = ""
    erase_open: bool = False
    erase_confirm: str = ""
    erase_error: str = ""
    erased: bool = False
    erased_summary: str = ""
    _token: str = ""

    def _query_token(self) -> str:
        return str(self.router.url.query_parameters.get("token", "") or "")[:255]

    @rx.event
    def open(self):
        token = self._query_token()
        self.has_token = bool(token)
        if token and token == self._token and self.erased:
            return  # on_load runs again when the socket reconnects: keep the result on screen
        self._token, self.erase_open, self.erase_confirm, self.erase_error = token, False, "", ""
        self.erased, self.erased_summary, self.error = False, "", ""
        if not token:
            self.link_error = self.link_reason = ""
            return
        self.sent_message = ""
        try:
            with session_scope(readonly=True) as session:
                info = privacy_links.summary(session, token)
        except E.DomainError as exc:
            self.link_error = exc.message
            self.link_reason = str(exc.extra.get("reason") or "unknown")
            return
        self.link_error = self.link_reason = ""
        self.company, self.link_email = info.company, info.email
        self.applications, self.interviews, self.emails = info.applications, info.interviews, info.emails
        self.expires = info.expires_at.strftime("%H:%M UTC on %d %b %Y")

    @rx.event
    def submit(self, form: dict[str, Any]):
        self.error = ""
        try:
            data = _EmailIn(email=str(form.get("email") or "").strip())
        except pydantic.ValidationError:
            self.error = "Enter the email address the company wrote to."
            return
        if message := self._rate_limited("privacy_request"):
            self.error = message
            return
        ip, _ = self._client_meta()
        with session_scope() as session:
            self.sent_message = privacy_links.request_links(session, email=str(data.email), ip=ip)

    @rx.event
    def ask_again(self):
        self.sent_message, self.error = "", ""

    @rx.event
    def download(self):
        try:
            with session_scope() as session:
                data = privacy_links.export_data(session, self._token)
        except E.DomainError as exc:
            self.link_error, self.link_reason = exc.message, str(exc.extra.get("reason") or "unknown")
            return None
        return rx.download(data=json.dumps(data, indent=2, ensure_ascii=False),
                           filename=f"my-data-{_slug(self.company)}.json")

    @rx.event
    def set_erase_open(self, value: bool):
        self.erase_open, self.erase_confirm, self.erase_error = bool(value), "", ""

    @rx.event
    def set_erase_confirm(self, value: str):
        self.erase_confirm = value[:255]

    @rx.event
    def erase(self):
        self.erase_error = ""
        try:
            with session_scope() as session:
                counts = privacy_links.erase(session, self._token, confirm_email=self.erase_confirm)
        except E.ValidationError as exc:
            self.erase_error = exc.message  # the dialog stays open
            return
        except E.DomainError as exc:
            self.erase_open = False
            self.link_error, self.link_reason = exc.message, str(exc.extra.get("reason") or "unknown")
            return
        self.erase_open, self.erased = False, True
        n = counts["applications"]
        self.erased_summary = (f"{self.company} no longer holds your name, contact details, resume, interview "
                               f"answers or reports ({n} application{'s' if n != 1 else ''}). It keeps only that "
                               "an application happened and its outcome, without your name, for its hiring "
                               "statistics.")
