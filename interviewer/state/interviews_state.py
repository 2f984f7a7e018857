"""/interviews: the list with its filters, plus the reschedule and cancel dialogs. HR and admins
see the company's interviews; an employee sees theirs (read-only). Times are shown and entered in
the browser's time zone and stored in UTC."""

from __future__ import annotations

import dataclasses
import uuid
from datetime import timedelta

import pydantic
import reflex as rx
from sqlmodel import Session

from interviewer.core import errors as E
from interviewer.models import InterviewStatus
from interviewer.models.schemas import pages_for
from interviewer.services import interviews as interview_service
from interviewer.services import jobs as job_service
from interviewer.services import local_days
from interviewer.services import ui_hiring_queries as queries
from interviewer.services.authz import Actor
from interviewer.state.auth_state import validation_message
from interviewer.state.interviews_common_state import (
    ALL,
    HiringState,
    Option,
    as_aware,
    fmt_dt,
    fmt_time,
    fmt_utc,
    local_date,
    parse_local,
)

PER_PAGE = 15
AWAITING = "awaiting"  # completed, and nobody has decided on the candidate yet (the dashboard's card)
STATUS_OPTIONS = [Option(ALL, "All statuses"), Option("scheduled", "Scheduled"), Option("in_progress", "In progress"),
                  Option("completed", "Completed"), Option(AWAITING, "Awaiting decision"), Option("cancelled", "Cancelled"),
                  Option("expired", "Expired")]


@dataclasses.dataclass
class InterviewRow:
    id: str = ""
    candidate_id: str = ""
    candidate: str = ""
    candidate_email: str = ""
    job: str = ""
    interviewer: str = ""
    scheduled: str = ""
    duration: int = 30
    status: str = ""
    verdict: str = ""
    ai_verdict: str = ""
    overridden: bool = False
    score: str = ""
    link: str = ""
    open: bool = False


class InterviewsState(HiringState):
    rows: list[InterviewRow] = []
    loaded: bool = False
    can_write: bool = False
    page: int = 1
    pages: int = 1
    total: int = 0
    f_status: str = ALL
    f_from: str = ""
    f_to: str = ""
    f_job: str = ALL
    status_options: list[Option] = STATUS_OPTIONS
    job_options: list[Option] = []

    r_id: str = ""
    r_label: str = ""
    r_date: str = ""
    r_time: str = ""
    r_duration: str = "30"
    r_days: str = "7"
    r_error: str = ""
    c_id: str = ""
    c_label: str = ""
    c_reason: str = ""
    c_error: str = ""

    # --- list ------------------------------------------------------------------------------

    def _filters(self) -> dict:
        out: dict = {}
        if self.f_status == AWAITING:
            out["awaiting_decision"] = True
        elif self.f_status != ALL:
            out["status"] = InterviewStatus(self.f_status)
        if self.f_job != ALL:
            out["job_template_id"] = uuid.UUID(self.f_job)
        start, end = local_days.day_range(self.f_from, self.f_to, self.tz)  # the user's own days
        if start is not None:
            out["scheduled_from"] = start
        if end is not None:
            out["scheduled_to"] = end
        return out

    def _load(self, session: Session, actor: Actor) -> None:
        self.can_write = actor.can("interviews:write")
        if not self.job_options:
            jobs = job_service.list_jobs(session, actor, per_page=200)["jobs"]
            jobs = sorted(jobs, key=lambda j: (j["title"].casefold(), j["id"]))  # a menu people scan by name
            self.job_options = [Option(ALL, "All jobs")] + [Option(j["id"], j["title"]) for j in jobs]
        try:
            filters = self._filters()
        except ValueError:
            filters = {}
        interviews, self.total = interview_service.list_interviews(
            session, actor, page=self.page, per_page=PER_PAGE, descending=True, **filters)
        self.pages = pages_for(self.total, PER_PAGE)
        labels = queries.interview_labels(session, actor, interviews)
        rows = []
        for iv in interviews:
            public = interview_service.interview_public(iv, actor)
            names = labels.get(iv.id, {})
            verdict = public.verdict
            rows.append(InterviewRow(
                id=str(iv.id), candidate_id=str(iv.candidate_id), candidate=names.get("candidate", ""),
                candidate_email=names.get("candidate_email", ""), job=names.get("job", ""),
                interviewer=names.get("interviewer", ""), scheduled=fmt_dt(iv.scheduled_at, self.tz),
                duration=iv.duration_minutes, status=public.status.value, verdict=verdict.value if verdict else "",
                ai_verdict=iv.verdict.value if iv.verdict else "", overridden=public.verdict_overridden,
                score=str(iv.score) if iv.score is not None else "", link=public.interview_link or "",
                open=public.status == InterviewStatus.SCHEDULED))
        self.rows = rows
        self.loaded = True

    @rx.event
    def set_filter(self, name: str, value: str):
        if name not in {"f_status", "f_from", "f_to", "f_job"}:
            return None
        setattr(self, name, value)
        self.page = 1
        return self._run(self._load)

    @rx.event
    def clear_filters(self):
        self.f_status, self.f_job, self.f_from, self.f_to, self.page = ALL, ALL, "", "", 1
        return self._run(self._load)

    @rx.event
    def change_page(self, delta: int):
        self.page = max(1, min(self.pages, self.page + delta))
        return self._run(self._load)

    @rx.var
    def filtered(self) -> bool:
        return self.f_status != ALL or self.f_job != ALL or self.f_from != "" or self.f_to != ""

    @rx.event
    def copy_link(self, link: str):
        return [rx.set_clipboard(link), rx.toast.success("Interview link copied.")]

    # --- reschedule -----------------------------------------------------------------------

    def _row(self, interview_id: str) -> InterviewRow | None:
        return next((r for r in self.rows if r.id == interview_id), None)

    @rx.event
    def open_reschedule(self, interview_id: str):
        def _work(session: Session, actor: Actor) -> None:
            actor.require("interviews:write")
            iv = interview_service.get_interview(session, actor, uuid.UUID(interview_id))
            start = as_aware(iv.scheduled_at)
            self.r_date = local_date(start, self.tz)
            self.r_time = fmt_time(start, self.tz)
            self.r_duration = str(iv.duration_minutes)
            days = (as_aware(iv.expires_at) - start).days if iv.expires_at else 7
            self.r_days = str(min(90, max(1, days)))
            row = self._row(interview_id)
            self.r_label = f"{row.candidate} · {row.job}" if row else ""
            self.r_error, self.r_id = "", interview_id

        return self._run(_work)

    @rx.event
    def close_reschedule(self, value: bool):
        if not value:
            self.r_id = ""

    @rx.event
    def set_r(self, name: str, value: str):
        if name in {"r_date", "r_time", "r_duration", "r_days"}:
            setattr(self, name, value)

    @rx.var
    def r_utc_note(self) -> str:
        try:
            return fmt_utc(parse_local(self.r_date, self.r_time, self.tz))
        except ValueError:
            return ""

    @rx.event
    def reschedule(self):
        self.r_error = ""
        try:
            start = parse_local(self.r_date, self.r_time, self.tz)
            data = interview_service.InterviewReschedule(
                scheduled_at=start, duration_minutes=int(self.r_duration),
                expires_at=start + timedelta(days=int(self.r_days)))
        except (pydantic.ValidationError, ValueError, OverflowError) as exc:  # Overflow: expiry after 9999
            self.r_error = validation_message(exc) if isinstance(exc, pydantic.ValidationError) else \
                "Choose a valid date and time."
            return None
        interview_id = self.r_id

        def _work(session: Session, actor: Actor):
            try:
                interview_service.reschedule_interview(session, actor, uuid.UUID(interview_id), data)
            except E.DomainError as exc:
                self.r_error = exc.message
                raise
            self.r_id = ""
            self._load(session, actor)
            return rx.toast.success("Rescheduled. The candidate was emailed a new link; the old one no longer works.")

        result = self._run(_work)
        return None if self.r_error else result

    # --- cancel ---------------------------------------------------------------------------

    @rx.event
    def open_cancel(self, interview_id: str):
        row = self._row(interview_id)
        self.c_label = f"{row.candidate} · {row.job} · {row.scheduled}" if row else ""
        self.c_reason, self.c_error, self.c_id = "", "", interview_id

    @rx.event
    def close_cancel(self, value: bool):
        if not value:
            self.c_id = ""

    @rx.event
    def set_c_reason(self, value: str):
        self.c_reason = value

    @rx.event
    def cancel(self):
        reason = self.c_reason  # optional; its length rule is interview_service.cancel_interview's
        interview_id = self.c_id

        def _work(session: Session, actor: Actor):
            try:
                interview_service.cancel_interview(session, actor, uuid.UUID(interview_id), reason)
            except E.DomainError as exc:
                self.c_error = exc.message
                raise
            self.c_id = ""
            self._load(session, actor)
            return rx.toast.success("Interview cancelled. The candidate was told; the link now shows it as cancelled.")

        result = self._run(_work)
        return None if self.c_error else result
