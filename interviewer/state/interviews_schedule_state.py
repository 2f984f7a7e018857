"""The "Schedule interview" dialog of /interviews: candidate search, job, an optional human
interviewer with their free slots on the chosen day, date and time in the browser's zone,
duration and link validity. On success it shows the link and that the invitation went out."""

from __future__ import annotations

import dataclasses
import uuid
from datetime import datetime, timedelta

import pydantic
import reflex as rx
from sqlmodel import Session

from interviewer.core import errors as E
from interviewer.models import UserRole
from interviewer.services import candidates as candidate_service
from interviewer.services import interviews as interview_service
from interviewer.services import ui_hiring_queries as queries
from interviewer.services import users as user_service
from interviewer.services.authz import Actor
from interviewer.state.auth_state import validation_message
from interviewer.state.interviews_common_state import (
    ALL,
    TZ_JS,
    Option,
    day_bounds,
    fmt_dt,
    fmt_time,
    fmt_utc,
    local_today,
    parse_local,
)
from interviewer.state.interviews_state import STATUS_OPTIONS, InterviewsState

NONE = "none"
MATCHES = 8


def _round_up(moment: datetime, minutes: int = 5) -> datetime:
    """The next whole ``minutes`` mark (bookings start on a clean time)."""
    floor = moment.replace(second=0, microsecond=0) - timedelta(minutes=moment.minute % minutes)
    return floor if floor == moment else floor + timedelta(minutes=minutes)


@dataclasses.dataclass
class CandidateOption:
    id: str = ""
    name: str = ""
    email: str = ""
    job_id: str = ""
    status: str = ""


@dataclasses.dataclass
class SlotOption:
    start: str = ""  # HH:MM local
    label: str = ""


class ScheduleState(InterviewsState):
    s_open: bool = False
    s_done: bool = False
    s_error: str = ""
    s_query: str = ""
    s_matches: list[CandidateOption] = []
    s_cand: CandidateOption = CandidateOption()
    s_job: str = ""
    s_interviewer: str = NONE
    interviewer_options: list[Option] = []
    s_date: str = ""
    s_time: str = "10:00"
    s_duration: str = "30"
    s_days: str = "7"
    slots: list[SlotOption] = []
    slots_note: str = ""
    s_link: str = ""
    s_email: str = ""
    s_when: str = ""

    @rx.var
    def schedule_jobs(self) -> list[Option]:
        return [o for o in self.job_options if o.value != ALL]

    @rx.var
    def s_utc_note(self) -> str:
        try:
            return fmt_utc(parse_local(self.s_date, self.s_time, self.tz))
        except ValueError:
            return ""

    def _search(self, session: Session, actor: Actor) -> None:
        rows, _ = candidate_service.list_candidates(session, actor, per_page=MATCHES, search=self.s_query or None,
                                                    sort="name", descending=False)
        self.s_matches = [CandidateOption(id=str(c.id), name=c.name, email=c.email, status=c.status.value,
                                          job_id=str(c.job_template_id) if c.job_template_id else "") for c in rows]

    def _choose(self, option: CandidateOption) -> None:
        self.s_cand = option
        if option.job_id and any(o.value == option.job_id for o in self.schedule_jobs):
            self.s_job = option.job_id

    def _prepare(self, session: Session, actor: Actor) -> None:
        actor.require("interviews:write")
        staff, _ = user_service.list_users(session, actor, per_page=500, is_active=True)
        self.interviewer_options = [Option(NONE, "No human interviewer (AI only)")] + [
            Option(str(u.id), f"{u.name} ({'HR' if u.role == UserRole.HR else 'Employee'})")
            for u in staff if u.role in (UserRole.HR, UserRole.EMPLOYEE)]
        self.s_open, self.s_done, self.s_error, self.s_query = True, False, "", ""
        self.s_cand, self.s_job, self.s_interviewer = CandidateOption(), "", NONE
        self.s_date = (local_today(self.tz) + timedelta(days=1)).isoformat()
        self.s_time, self.s_duration, self.s_days = "10:00", "30", "7"
        self.slots, self.slots_note, self.s_link = [], "", ""
        self._search(session, actor)

    @rx.event
    def open_schedule(self):
        return self._run(self._prepare)

    @rx.event
    def open_for_candidate(self, candidate_id: str):
        """/interviews?schedule=<candidate id>: the dialog with that candidate chosen."""
        def _work(session: Session, actor: Actor) -> None:
            self._prepare(session, actor)
            cand = candidate_service.get_candidate(session, actor, uuid.UUID(candidate_id))
            self._choose(CandidateOption(id=str(cand.id), name=cand.name, email=cand.email, status=cand.status.value,
                                         job_id=str(cand.job_template_id) if cand.job_template_id else ""))

        return self._run(_work)

    @rx.event
    def load(self):
        """on_load of /interviews (the list and this dialog share it)."""
        self.page, self.loaded, self.job_options = 1, False, []
        self.r_id, self.c_id, self.s_open = "", "", False
        wanted = str(self.router.url.query_parameters.get("status", ""))
        if wanted in {o.value for o in STATUS_OPTIONS}:  # links from the dashboard's cards
            self.f_status = wanted
        return rx.call_script(TZ_JS, callback=ScheduleState.open_with_tz)

    @rx.event
    def open_with_tz(self, tz: str):
        self._accept_tz(tz)
        result = self._run(self._load, page_load=True)
        wanted = str(self.router.url.query_parameters.get("schedule", ""))
        if result is None and self.can_write and wanted:
            try:
                uuid.UUID(wanted)
            except ValueError:
                return rx.toast.error("Candidate not found.")
            return ScheduleState.open_for_candidate(wanted)
        return result

    @rx.event
    def set_s_open(self, value: bool):
        self.s_open = value

    @rx.event
    def search_candidates(self, value: str):
        self.s_query = value.strip()[:100]
        return self._run(self._search)

    @rx.event
    def pick_candidate(self, candidate_id: str):
        option = next((c for c in self.s_matches if c.id == candidate_id), None)
        if option is not None:
            self._choose(option)

    @rx.event
    def clear_candidate(self):
        self.s_cand = CandidateOption()

    @rx.event
    def set_s(self, name: str, value: str):
        if name not in {"s_job", "s_interviewer", "s_date", "s_time", "s_duration", "s_days"}:
            return None
        setattr(self, name, value)
        if name in {"s_interviewer", "s_date", "s_duration"}:
            return self._run(self._load_slots)
        return None

    def _load_slots(self, session: Session, actor: Actor) -> None:
        self.slots, self.slots_note = [], ""
        if self.s_interviewer == NONE:
            return
        try:
            start, end = day_bounds(self.s_date, self.tz)
        except ValueError:
            self.slots_note = "Choose a day to see their free time."
            return
        day = queries.interviewer_day(session, actor, uuid.UUID(self.s_interviewer), start, end, int(self.s_duration))
        need = timedelta(minutes=int(self.s_duration))
        soonest = _round_up(datetime.now(start.tzinfo))
        self.slots = [SlotOption(start=fmt_time(begin, self.tz), label=f"{fmt_time(begin, self.tz)} – {fmt_time(e, self.tz)}")
                      for s, e in day["free"] if e - (begin := max(s, soonest)) >= need]
        if not self.slots:
            self.slots_note = ("No free slot long enough on this day; pick another day." if day["keeps_calendar"]
                               else "They keep no availability calendar: any time without a clash can be booked.")

    @rx.event
    def pick_slot(self, start: str):
        self.s_time = start

    @rx.event
    def schedule(self):
        if self.s_done:  # a second click queued behind the first: this booking is already made
            return None
        self.s_error = ""
        if not self.s_cand.id:
            self.s_error = "Choose a candidate."
            return None
        if not self.s_job:
            self.s_error = "Choose the job the interview is for."
            return None
        try:
            start = parse_local(self.s_date, self.s_time, self.tz)
            data = interview_service.InterviewCreate(
                candidate_id=uuid.UUID(self.s_cand.id), job_template_id=uuid.UUID(self.s_job),
                interviewer_id=None if self.s_interviewer == NONE else uuid.UUID(self.s_interviewer),
                scheduled_at=start, duration_minutes=int(self.s_duration),
                expires_at=start + timedelta(days=int(self.s_days)))
        except pydantic.ValidationError as exc:
            self.s_error = validation_message(exc)
            return None
        except (ValueError, OverflowError):  # OverflowError: a link expiring after 9999-12-31
            self.s_error = "Choose a valid date and time."
            return None

        def _work(session: Session, actor: Actor):
            try:
                interview = interview_service.schedule_interview(session, actor, data)
            except E.DomainError as exc:
                self.s_error = exc.message
                raise
            public = interview_service.interview_public(interview, actor)
            self.s_link, self.s_email = public.interview_link or "", self.s_cand.email
            self.s_when = f"{fmt_dt(interview.scheduled_at, self.tz)} ({self.tz.replace('_', ' ')})"
            self.s_done = True
            self._load(session, actor)
            return rx.toast.success(f"Interview scheduled; invitation sent to {self.s_cand.name}.")

        result = self._run(_work)
        return None if self.s_error else result
