"""The development outbox: every email the platform wrote (admins: all, HR: their company's)."""

from __future__ import annotations

import dataclasses

import reflex as rx
from sqlmodel import Session

from interviewer.models.schemas import pages_for
from interviewer.services import email as email_service
from interviewer.services.authz import Actor
from interviewer.state.auth_state import AuthState

PER_PAGE = 15


@dataclasses.dataclass
class MailRow:
    id: str = ""
    recipient: str = ""
    subject: str = ""
    kind: str = ""
    status: str = ""
    created: str = ""
    body: str = ""


class OutboxState(AuthState):
    rows: list[MailRow] = []
    page: int = 1
    pages: int = 1
    total: int = 0
    loaded: bool = False
    open_mail: MailRow = MailRow()
    mail_open: bool = False

    def _load(self, session: Session, actor: Actor) -> None:
        messages, self.total = email_service.list_outbox(session, actor, page=self.page, per_page=PER_PAGE)
        self.pages = pages_for(self.total, PER_PAGE)
        self.rows = [MailRow(id=str(m.id), recipient=m.to_address, subject=m.subject, kind=m.kind.replace("_", " "),
                             status=m.status.value, created=m.created_at.strftime("%d %b %Y, %H:%M"),
                             body=m.body_text) for m in messages]
        self.loaded = True

    @rx.event
    def load(self):
        self.page = 1
        return self._run(self._load, page_load=True)

    @rx.event
    def reload(self):
        return self._run(self._load)

    @rx.event
    def change_page(self, delta: int):
        self.page = max(1, min(self.pages, self.page + delta))
        return self._run(self._load)

    @rx.event
    def show(self, mail_id: str):
        mail = next((m for m in self.rows if m.id == mail_id), None)
        if mail is not None:
            self.open_mail, self.mail_open = mail, True

    @rx.event
    def set_mail_open(self, value: bool):
        self.mail_open = value
