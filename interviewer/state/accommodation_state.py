"""The "ask for an alternative or an accommodation" dialog on the interview's welcome page
(``/interview/[token]``; the link's token is the credential). services/accommodations.py emails HR."""

from __future__ import annotations

import asyncio

import reflex as rx

from interviewer.core import errors as E
from interviewer.db import session_scope
from interviewer.services import accommodations

KIND_LABELS = list(accommodations.KINDS.values())
_KIND_BY_LABEL = {v: k for k, v in accommodations.KINDS.items()}


def _send(token: str, kind: str, message: str) -> int:
    with session_scope() as session:
        return accommodations.request_accommodation(
            session, token, accommodations.AccommodationRequestIn(kind=kind, message=message))


class AccommodationState(rx.State):
    open: bool = False
    kind: str = ""
    message: str = ""
    error: str = ""
    sending: bool = False
    sent_token: str = ""

    def _token(self) -> str:
        return str(self.router.page.params.get("token") or "")[:255]

    @rx.var
    def sent(self) -> bool:
        return self.sent_token != "" and self.sent_token == self._token()

    @rx.event
    def set_open(self, value: bool):
        self.open, self.error = bool(value), ""

    @rx.event
    def set_kind(self, value: str):
        self.kind = value if value in _KIND_BY_LABEL else ""

    @rx.event
    def set_message(self, value: str):
        self.message = value[:accommodations.MAX_MESSAGE]

    @rx.event(background=True)
    async def send(self):
        async with self:
            if self.sending:
                return
            kind = _KIND_BY_LABEL.get(self.kind)
            if kind is None:
                self.error = "Please choose what you would like."
                return
            self.sending, self.error = True, ""
            token, message = self._token(), self.message
        error = ""
        try:
            await asyncio.to_thread(_send, token, kind, message)
        except E.DomainError as exc:
            error = exc.message
        async with self:
            self.sending, self.error = False, error
            if not error:
                self.open, self.kind, self.message, self.sent_token = False, "", "", token
