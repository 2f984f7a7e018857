"""HR's "Accommodation requests" on the dashboard: the company's open requests from candidates
(more time, typing only, another format) and the dialog that answers one by email. The rules
(who may see and answer, tenancy, the email, the audit entry) live in services.accommodations."""

from __future__ import annotations

import dataclasses
import uuid

import reflex as rx
from pydantic import ValidationError
from sqlmodel import Session

from interviewer.core import errors as E
from interviewer.services import accommodations
from interviewer.services.authz import Actor
from interviewer.state.auth_state import AuthState, SessionEnded, validation_message

SHOWN = 20


@dataclasses.dataclass
class AccommodationItem:
    id: str = ""
    interview_id: str = ""
    candidate: str = ""
    email: str = ""
    job: str = ""
    kind: str = ""
    message: str = ""
    received: str = ""


def _item(r: accommodations.AccommodationRequestPublic) -> AccommodationItem:
    return AccommodationItem(id=str(r.id), interview_id=str(r.interview_id), candidate=r.candidate_name,
                             email=r.candidate_email, job=r.job_title, kind=r.kind_label, message=r.message,
                             received=r.created_at.strftime("%d %b, %H:%M UTC"))


class AccommodationRequestsState(AuthState):
    visible: bool = False  # the user may answer requests (interviews:write)
    items: list[AccommodationItem] = []
    open_total: int = 0
    answer_open: bool = False
    answer_id: str = ""
    answer_for: str = ""
    answer_kind: str = ""
    answer_message: str = ""
    answer_text: str = ""
    answer_error: str = ""
    sending: bool = False

    def _load(self, session: Session, actor: Actor) -> None:
        total = accommodations.count_open(session, actor)
        self.visible = total is not None
        self.open_total = total or 0
        self.items = [_item(r) for r in accommodations.list_requests(session, actor, limit=SHOWN)] \
            if self.visible and total else []

    @rx.event
    def load(self):
        """on_load of /dashboard, next to DashboardState.load (which handles sign-in redirects)."""
        try:
            self._call(self._load)
        except (SessionEnded, E.DomainError):
            self.visible, self.items, self.open_total = False, [], 0

    @rx.event
    def start_answer(self, request_id: str):
        item = next((i for i in self.items if i.id == request_id), None)
        if item is None:
            return
        self.answer_id, self.answer_for, self.answer_kind, self.answer_message = (
            item.id, item.candidate, item.kind, item.message)
        self.answer_text, self.answer_error, self.answer_open = "", "", True

    @rx.event
    def set_answer_open(self, value: bool):
        self.answer_open = bool(value)
        if not value:
            self.answer_error = ""

    @rx.event
    def set_answer_text(self, value: str):
        self.answer_text = value[:accommodations.MAX_ANSWER]

    @rx.event
    def send_answer(self):
        if self.sending:
            return
        self.answer_error = ""
        try:
            data = accommodations.AccommodationAnswerIn(answer=self.answer_text.strip())
        except ValidationError as exc:
            self.answer_error = ("Write the answer to send to the candidate." if not self.answer_text.strip()
                                 else validation_message(exc))
            return
        self.sending = True
        yield  # the spinner shows while the mail is queued
        sent: list[str] = []

        def _work(session: Session, actor: Actor):
            done = accommodations.answer_request(session, actor, uuid.UUID(self.answer_id), data)
            sent.append(done.candidate_email)

        try:
            result = self._run(_work)
            if sent or result is not None:  # answered, or refused (e.g. answered by a colleague): fresh list
                self._run(self._load)
        finally:
            self.sending = False
        if not sent:
            yield result  # the toast says why; the dialog stays open
            return
        self.answer_open, self.answer_text = False, ""
        yield rx.toast.success(f"Answer emailed to {sent[0]}.")
