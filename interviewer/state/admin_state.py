"""System-admin pages: the company registration approval queue and the list of companies."""

from __future__ import annotations

import dataclasses
import uuid

import reflex as rx
from sqlmodel import Session

from interviewer.models import RegistrationStatus
from interviewer.models.schemas import pages_for
from interviewer.services import companies as company_service
from interviewer.services.authz import Actor
from interviewer.state.auth_state import AuthState

PER_PAGE = 20


def fmt_dt(value) -> str:
    return value.strftime("%d %b %Y, %H:%M") if value else ""


@dataclasses.dataclass
class RequestRow:
    id: str = ""
    company_name: str = ""
    domain: str = ""
    contact_name: str = ""
    contact_email: str = ""
    message: str = ""
    status: str = ""
    created: str = ""
    reviewed: str = ""
    reason: str = ""


@dataclasses.dataclass
class CompanyRow:
    id: str = ""
    name: str = ""
    domain: str = ""
    is_active: bool = True
    created: str = ""


class CompanyRequestsState(AuthState):
    tab: str = "pending"
    rows: list[RequestRow] = []
    counts: dict[str, int] = {"pending": 0, "approved": 0, "rejected": 0}
    page: int = 1
    pages: int = 1
    loaded: bool = False
    busy_id: str = ""
    reject_open: bool = False
    reject_id: str = ""
    reject_company: str = ""
    reject_reason: str = ""

    def _load(self, session: Session, actor: Actor):
        counts = {}
        for status in RegistrationStatus:
            _, counts[status.value] = company_service.list_registration_requests(
                session, actor, status=status, page=1, per_page=1)
        self.counts = counts
        self.pages = pages_for(counts[self.tab], PER_PAGE)
        self.page = min(self.page, self.pages)
        rows, _ = company_service.list_registration_requests(
            session, actor, status=RegistrationStatus(self.tab), page=self.page, per_page=PER_PAGE)
        self.rows = [
            RequestRow(id=str(r.id), company_name=r.company_name, domain=r.domain or "", contact_name=r.contact_name,
                       contact_email=r.contact_email, message=r.message or "", status=r.status.value,
                       created=fmt_dt(r.created_at), reviewed=fmt_dt(r.reviewed_at), reason=r.decision_reason or "")
            for r in rows
        ]
        self.loaded = True

    @rx.event
    def load(self):
        return self._run(self._load, page_load=True)

    @rx.event
    def set_tab(self, tab: str):
        if tab in self.counts:
            self.tab, self.page = tab, 1
        return self._run(self._load)

    @rx.event
    def change_page(self, delta: int):
        self.page = max(1, min(self.pages, self.page + delta))
        return self._run(self._load)

    approve_open: bool = False
    approve_id: str = ""
    approve_company: str = ""
    approve_contact: str = ""

    @rx.event
    def open_approve(self, request_id: str, company: str, contact_email: str):
        """Approving creates a tenant and emails its contact: confirm first."""
        self.approve_id, self.approve_company, self.approve_contact = request_id, company, contact_email
        self.approve_open = True

    @rx.event
    def set_approve_open(self, value: bool):
        self.approve_open = value

    @rx.event
    def confirm_approve(self):
        self.approve_open = False
        return self.approve(self.approve_id)

    def approve(self, request_id: str):
        self.busy_id = request_id

        def _work(session: Session, actor: Actor) -> str:
            req = company_service.approve_registration(session, actor, uuid.UUID(request_id))
            return f"{req.company_name} approved: its HR contact was emailed a link to set a password."

        return self._decide(_work)

    @rx.event
    def open_reject(self, request_id: str, company: str):
        self.reject_id, self.reject_company, self.reject_reason = request_id, company, ""
        self.reject_open = True

    @rx.event
    def set_reject_open(self, value: bool):
        self.reject_open = value

    @rx.event
    def set_reject_reason(self, value: str):
        self.reject_reason = value[:2000]

    @rx.event
    def confirm_reject(self):
        request_id, reason = self.reject_id, self.reject_reason.strip() or None

        def _work(session: Session, actor: Actor) -> str:
            req = company_service.reject_registration(session, actor, uuid.UUID(request_id), reason)
            return f"{req.company_name} rejected; the contact was notified by email."

        self.reject_open = False
        return self._decide(_work)

    def _decide(self, decide) -> list:
        """Run an approve/reject, then show the queue as it is now (whatever the outcome)."""
        def _work(session: Session, actor: Actor) -> str:
            message = decide(session, actor)
            self._load(session, actor)
            return message

        result = self._run(_work)
        self.busy_id = ""
        if isinstance(result, str):
            return [rx.toast.success(result)]
        return [result, CompanyRequestsState.reload]

    @rx.event
    def reload(self):
        return self._run(self._load)


class CompaniesState(AuthState):
    rows: list[CompanyRow] = []
    search: str = ""
    page: int = 1
    pages: int = 1
    total: int = 0
    loaded: bool = False

    def _load(self, session: Session, actor: Actor):
        rows, self.total = company_service.list_companies(session, actor, page=self.page, per_page=PER_PAGE,
                                                          search=self.search or None)
        self.pages = pages_for(self.total, PER_PAGE)
        self.rows = [CompanyRow(id=str(c.id), name=c.name, domain=c.domain or "", is_active=c.is_active,
                                created=c.created_at.strftime("%d %b %Y")) for c in rows]
        self.loaded = True

    @rx.event
    def load(self):
        return self._run(self._load, page_load=True)

    @rx.event
    def set_search(self, value: str):
        self.search, self.page = value.strip()[:100], 1
        return self._run(self._load)

    @rx.event
    def change_page(self, delta: int):
        self.page = max(1, min(self.pages, self.page + delta))
        return self._run(self._load)
