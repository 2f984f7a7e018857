"""/candidates/[candidate_id]: the candidate's record, pipeline moves and history, interview
rounds and interviews, invitation, edit and delete. Resume and ATS live in
candidates_files_state.py."""

from __future__ import annotations

import dataclasses
import uuid

import pydantic
import reflex as rx
from sqlmodel import Session

from interviewer.core import errors as E
from interviewer.models import AccommodationStatus, CandidateStatus
from interviewer.services import accommodations
from interviewer.services import candidates as candidate_service
from interviewer.services import pipeline
from interviewer.services import rounds as round_service
from interviewer.services import ui_queries
from interviewer.services.authz import Actor
from interviewer.services.candidate_schemas import CandidateUpdate
from interviewer.state.auth_state import AuthState, validation_message
from interviewer.state.candidates_common_state import NONE, Option, clip, fmt_date, fmt_datetime, parse_uuid
from interviewer.state.dashboard_state import stage_label

ROUTE_ARG = "candidate_id"
INVITE_MESSAGES = {
    "invited": "{name} was emailed a link to create their account.",
    "resent": "{name} already had a pending invitation; it was sent again.",
    "linked": "{name} already has an account; it is now linked to this candidate.",
}


def route_candidate_id(state: rx.State) -> uuid.UUID | None:
    raw = state.router.page.params.get(ROUTE_ARG) or state.router.url.path.rstrip("/").rsplit("/", 1)[-1]
    return parse_uuid(str(raw))


@dataclasses.dataclass
class CandidateView:
    id: str = ""
    name: str = ""
    initials: str = ""
    email: str = ""
    phone: str = ""
    status: str = ""
    status_label: str = ""
    job_id: str = ""
    job_title: str = ""
    assignee_id: str = ""
    assignee: str = ""
    source: str = ""
    created: str = ""
    company: str = ""
    ats_score: str = ""
    has_account: bool = False


@dataclasses.dataclass
class HistoryItem:
    from_status: str = ""
    from_label: str = ""
    to_status: str = ""
    to_label: str = ""
    by: str = ""
    when: str = ""
    note: str = ""


@dataclasses.dataclass
class RoundRow:
    id: str = ""
    number: int = 0
    round_type: str = ""
    status: str = ""
    scheduled: str = ""
    link: str = ""
    interview_id: str = ""


@dataclasses.dataclass
class InterviewRow:
    id: str = ""
    status: str = ""
    status_label: str = ""
    scheduled: str = ""
    job_title: str = ""
    interviewer: str = ""
    verdict: str = ""  # the verdict that stands (HR's override when there is one)
    overridden: bool = False
    score: str = ""


@dataclasses.dataclass
class AccommodationRow:
    """One of the candidate's accommodation requests (HR; answered from the dashboard)."""
    id: str = ""
    kind: str = ""
    message: str = ""
    received: str = ""
    open: bool = True
    answer: str = ""
    answered: str = ""  # "by <name>, <when>"


class CandidateDetailState(AuthState):
    loaded: bool = False
    missing: bool = False
    c: CandidateView = CandidateView()
    next_statuses: list[Option] = []
    status_target: str = ""
    status_note: str = ""
    history: list[HistoryItem] = []
    rounds: list[RoundRow] = []
    interviews: list[InterviewRow] = []
    accommodations: list[AccommodationRow] = []

    edit_open: bool = False
    edit_error: str = ""
    e_name: str = ""
    e_email: str = ""
    e_phone: str = ""
    e_source: str = ""
    e_job: str = NONE
    e_assignee: str = NONE
    job_options: list[Option] = []
    assignee_options: list[Option] = []
    delete_open: bool = False

    @rx.var
    def is_final(self) -> bool:
        return self.loaded and not self.next_statuses

    # --- loading -------------------------------------------------------------------------------

    def _load(self, session: Session, actor: Actor, cid: uuid.UUID) -> None:
        cand = candidate_service.get_candidate(session, actor, cid)
        ctx = ui_queries.candidate_context(session, actor, cid)
        self.c = CandidateView(
            id=str(cand.id), name=cand.name, initials="".join(p[0] for p in cand.name.split()[:2]).upper(),
            email=cand.email, phone=cand.phone or "", status=cand.status.value,
            status_label=stage_label(cand.status.value), job_id=str(cand.job_template_id or ""),
            job_title=ctx["job_title"], assignee_id=str(cand.assigned_to or ""), assignee=ctx["assignee_name"],
            source=cand.source or "", created=fmt_date(cand.created_at), company=ctx["company_name"],
            ats_score="" if cand.ats_score is None else str(cand.ats_score), has_account=cand.user_id is not None)
        self.next_statuses = [Option(value=s.value, label=stage_label(s.value))
                              for s in pipeline.allowed_next(cand.status)]
        suggested = pipeline.suggested_next(cand.status)  # a forward move, never a step back
        self.status_target = suggested.value if suggested else ""
        entries = candidate_service.history(session, actor, cid)
        users = ui_queries.lookup_names(session, actor, user_ids=[h.changed_by for h in entries]).users
        self.history = [
            HistoryItem(from_status=h.from_status.value if h.from_status else "",
                        from_label=stage_label(h.from_status.value) if h.from_status else "",
                        to_status=h.to_status.value, to_label=stage_label(h.to_status.value),
                        by=users.get(h.changed_by, "a former user") if h.changed_by else "System",
                        when=fmt_datetime(h.created_at), note=h.note or "")
            for h in reversed(entries)  # newest first
        ]
        self._load_interviews(session, actor, cid)
        self.loaded = True

    def _load_interviews(self, session: Session, actor: Actor, cid: uuid.UUID) -> None:
        try:
            rounds = round_service.list_rounds(session, actor, cid)
        except E.PermissionDeniedError:
            rounds = []
        self.rounds = []
        for r in rounds:
            public = round_service.round_public(r, actor)
            self.rounds.append(RoundRow(id=str(r.id), number=r.round_number, round_type=r.round_type.replace("_", " "),
                                        status=r.status.value, scheduled=fmt_datetime(r.scheduled_at),
                                        link=public.interview_link or "", interview_id=str(r.interview_id or "")))
        self.interviews = [
            InterviewRow(id=i["id"], status=i["status"], status_label=i["status"].replace("_", " ").capitalize(),
                         scheduled=fmt_datetime(i["scheduled_at"]), job_title=i["job_title"],
                         interviewer=i["interviewer"], verdict=i["verdict"],
                         overridden=i["verdict_overridden"],
                         score="" if i["score"] is None else str(i["score"]))
            for i in ui_queries.candidate_interviews(session, actor, cid)
        ]
        requests = accommodations.list_requests(session, actor, status=None, candidate_id=cid) \
            if actor.can(accommodations.PERMISSION) else []
        self.accommodations = [
            AccommodationRow(id=str(r.id), kind=r.kind_label, message=r.message, received=fmt_datetime(r.created_at),
                             open=r.status == AccommodationStatus.OPEN, answer=r.answer or "",
                             answered=(f"by {r.answered_by_name or 'a former user'}, {fmt_datetime(r.answered_at)}"
                                       if r.answered_at else ""))
            for r in requests
        ]

    def _with_candidate(self, work, *, page_load: bool = False):
        cid = route_candidate_id(self)
        if cid is None:
            self.loaded, self.missing = True, True
            return None if not page_load else self._run(lambda s, a: None, page_load=True)

        def _work(session: Session, actor: Actor):
            try:
                return work(session, actor, cid)
            except E.NotFoundError:
                if not page_load:
                    raise
                self.loaded, self.missing = True, True
                return None

        return self._run(_work, page_load=page_load)

    @rx.event
    def load(self):
        self.loaded, self.missing, self.status_note, self.edit_open, self.delete_open = False, False, "", False, False
        self.c = CandidateView()
        return self._with_candidate(self._load, page_load=True)

    # --- pipeline ------------------------------------------------------------------------------

    @rx.event
    def set_status_target(self, value: str):
        self.status_target = value

    @rx.event
    def set_status_note(self, value: str):
        self.status_note = value[:1000]

    @rx.event
    def change_status(self):
        if not self.status_target:
            return None
        target, note = CandidateStatus(self.status_target), clip(self.status_note, 1000) or None

        def _work(session: Session, actor: Actor, cid: uuid.UUID):
            candidate_service.change_status(session, actor, cid, target, note)
            self.status_note = ""
            self._load(session, actor, cid)
            return rx.toast.success(f"Moved to {stage_label(target.value)}.")

        return self._with_candidate(_work)

    # --- account invitation --------------------------------------------------------------------

    @rx.event
    def invite(self):
        def _work(session: Session, actor: Actor, cid: uuid.UUID):
            user, outcome = candidate_service.invite_candidate(session, actor, cid)
            self.c = dataclasses.replace(self.c, has_account=True)
            return rx.toast.success(INVITE_MESSAGES[outcome].format(name=user.name))

        return self._with_candidate(_work)

    # --- edit / delete -------------------------------------------------------------------------

    @rx.event
    def open_edit(self):
        c = self.c
        self.edit_error = ""
        self.e_name, self.e_email, self.e_phone, self.e_source = c.name, c.email, c.phone, c.source
        self.e_job, self.e_assignee = c.job_id or NONE, c.assignee_id or NONE

        def _work(session: Session, actor: Actor, cid: uuid.UUID):
            cand = candidate_service.get_for_write(session, actor, cid)
            jobs = ui_queries.job_options(session, actor, cand.company_id)
            staff = ui_queries.assignee_options(session, actor, cand.company_id)
            self.job_options = [Option(value=NONE, label="No job")] + [
                Option(value=j["id"], label=j["title"]) for j in jobs]
            self.assignee_options = [Option(value=NONE, label="Nobody")] + [
                Option(value=u["id"], label=u["name"]) for u in staff]
            self.edit_open = True

        return self._with_candidate(_work)

    @rx.event
    def set_edit_open(self, value: bool):
        self.edit_open = value

    @rx.event
    def set_edit_field(self, name: str, value: str):
        if name in ("e_name", "e_email", "e_phone", "e_source", "e_job", "e_assignee"):
            setattr(self, name, value)

    @rx.event
    def save_edit(self):
        self.edit_error = ""
        try:
            data = CandidateUpdate(name=self.e_name, email=self.e_email, phone=self.e_phone.strip(),
                                   source=self.e_source.strip(), job_template_id=parse_uuid(self.e_job),
                                   assigned_to=parse_uuid(self.e_assignee))
        except (pydantic.ValidationError, ValueError) as exc:
            self.edit_error = validation_message(exc)
            return None

        def _work(session: Session, actor: Actor, cid: uuid.UUID):
            try:
                cand = candidate_service.update_candidate(session, actor, cid, data)
            except (E.ValidationError, E.ConflictError) as exc:
                self.edit_error = exc.message
                raise
            self.edit_open = False
            self._load(session, actor, cid)
            return rx.toast.success(f"{cand.name} was updated.")

        result = self._with_candidate(_work)
        return None if self.edit_error else result

    @rx.event
    def set_delete_open(self, value: bool):
        self.delete_open = value

    @rx.event
    def delete(self):
        name = self.c.name

        def _work(session: Session, actor: Actor, cid: uuid.UUID):
            candidate_service.delete_candidate(session, actor, cid)
            self.delete_open = False
            return [rx.toast.success(f"{name} was deleted."), rx.redirect("/candidates")]

        return self._with_candidate(_work)
