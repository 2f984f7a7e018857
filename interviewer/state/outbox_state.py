"""The development outbox: every email the platform wrote (admins: all, HR: their company's)."""

from __future__ import annotations

import dataclasses
import uuid

import reflex as rx
from sqlmodel import Session

from interviewer.models.schemas import pages_for
from interviewer.services import email as email_service
from interviewer.services.authz import Actor
from interviewer.services.mail_render import link_segments
from interviewer.state.auth_state import AuthState

PER_PAGE = 15


@dataclasses.dataclass
class MailPiece:
    """A run of the plain-text body; ``href`` is set when the run is a link."""
    text: str = ""
    href: str = ""


@dataclasses.dataclass
class MailAttachment:
    index: int = 0
    filename: str = ""
    label: str = ""  # "Calendar invitation · 1.2 KB"


@dataclasses.dataclass
class MailRow:
    id: str = ""
    recipient: str = ""
    subject: str = ""
    kind: str = ""
    status: str = ""
    created: str = ""
    body: str = ""
    pieces: list[MailPiece] = dataclasses.field(default_factory=list)
    attachments: list[MailAttachment] = dataclasses.field(default_factory=list)
    has_html: bool = False


def _attachment_label(att: dict) -> str:
    kind = "Calendar file (.ics)" if str(att.get("content_type", "")).startswith("text/calendar") else \
        str(att.get("content_type", "file")).split(";")[0]
    size = len(str(att.get("content", "")).encode())
    return f"{kind} · {size / 1024:.1f} KB" if size >= 1024 else f"{kind} · {size} bytes"


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
                             body=m.body_text, has_html=bool(m.body_html),
                             pieces=[MailPiece(text, href) for text, href in link_segments(m.body_text)],
                             attachments=[MailAttachment(i, str(a.get("filename") or f"attachment-{i + 1}"),
                                                         _attachment_label(a))
                                          for i, a in enumerate(m.attachments or [])])
                     for m in messages]
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

    @rx.event
    def download_attachment(self, mail_id: str, index: int):
        """The attachment as a file download (read again through the service: same scope as the list)."""
        def _work(session: Session, actor: Actor):
            att = email_service.get_outbox_attachment(session, actor, uuid.UUID(mail_id), int(index))
            mime = str(att.get("content_type") or "application/octet-stream").split(";")[0]
            return rx.download(data=str(att.get("content", "")), filename=str(att.get("filename") or "attachment"),
                               mime_type=mime)

        return self._run(_work)
