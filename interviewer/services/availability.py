"""Employee availability (migration 013's intent) and interviewer conflict checks.

Employees manage their own slots, HR any staff member's in the company. An interviewer who
has defined current or future slots can only be booked inside one of them; nobody can be booked
into two overlapping open interviews.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field
from sqlmodel import Session, col, select

from interviewer.core import errors as E
from interviewer.core.security import utcnow
from interviewer.models import Candidate, EmployeeAvailability, Interview, InterviewStatus, User, UserRole
from interviewer.services import audit
from interviewer.services.authz import Actor

SLOT_NOT_FOUND = "AVAIL_404"
SLOT_OVERLAP = "AVAIL_409"
SCHEDULE_CONFLICT = "SCHED_409"
MAX_SLOT = timedelta(hours=24)
MAX_RANGE = timedelta(days=62)
MAX_DURATION_MINUTES = 240
BUSY_STATUSES = (InterviewStatus.SCHEDULED, InterviewStatus.IN_PROGRESS, InterviewStatus.COMPLETED)
OPEN_STATUSES = (InterviewStatus.SCHEDULED, InterviewStatus.IN_PROGRESS)
STAFF = (UserRole.HR, UserRole.EMPLOYEE)
Interval = tuple[datetime, datetime]


class SlotCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    user_id: uuid.UUID | None = Field(default=None, description="Defaults to yourself; HR may set anyone")
    starts_at: datetime
    ends_at: datetime


class SlotPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    user_id: uuid.UUID
    starts_at: datetime
    ends_at: datetime
    created_at: datetime


class FreeSlot(BaseModel):
    starts_at: datetime
    ends_at: datetime


DurationMinutes = Annotated[int, Field(ge=5, le=MAX_DURATION_MINUTES)]


def as_utc(moment: datetime) -> datetime:
    """Naive datetimes are taken as UTC; aware ones are converted. A time with no UTC equivalent
    ("0001-01-01T00:00+14:00", "9999-12-31T23:00-12:00") is a 422, not an overflow."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=timezone.utc)
    try:
        return moment.astimezone(timezone.utc)
    except OverflowError as exc:
        raise E.ValidationError(f"{moment.isoformat()} is outside the dates this service can hold "
                                "(years 1 to 9999 in UTC).") from exc


def _staff_member(session: Session, actor: Actor, user_id: uuid.UUID) -> User:
    user = session.get(User, user_id)
    if user is None or user.role not in STAFF or not actor.in_company(user.company_id):
        raise E.NotFoundError("User not found.", code=E.USER_NOT_FOUND)
    return user


def _target_user(session: Session, actor: Actor, user_id: uuid.UUID | None) -> User:
    """Yourself, or (with interviews:write) any staff member of your company."""
    if user_id is None or user_id == actor.id:
        if actor.role not in STAFF:
            raise E.PermissionDeniedError("Only staff members have availability.", code=E.PERM_DENIED)
        return session.get(User, actor.id)
    actor.require("interviews:write")
    return _staff_member(session, actor, user_id)


def _check_range(start: datetime, end: datetime, *, max_span: timedelta, what: str) -> tuple[datetime, datetime]:
    start, end = as_utc(start), as_utc(end)
    if end <= start:
        raise E.ValidationError(f"{what}: the end must be after the start.")
    if end - start > max_span:
        raise E.ValidationError(f"{what}: at most {max_span.days or max_span.seconds // 3600} "
                                f"{'days' if max_span.days else 'hours'} at a time.")
    return start, end


def list_slots(session: Session, actor: Actor, *, user_id: uuid.UUID | None = None,
               start: datetime | None = None, end: datetime | None = None) -> list[EmployeeAvailability]:
    user = _target_user(session, actor, user_id)
    filters = [EmployeeAvailability.user_id == user.id]
    if start is not None:
        filters.append(EmployeeAvailability.ends_at > as_utc(start))
    if end is not None:
        filters.append(EmployeeAvailability.starts_at < as_utc(end))
    return list(session.exec(select(EmployeeAvailability).where(*filters)
                             .order_by(EmployeeAvailability.starts_at).limit(1000)))


def add_slot(session: Session, actor: Actor, data: SlotCreate) -> EmployeeAvailability:
    user = _target_user(session, actor, data.user_id)
    start, end = _check_range(data.starts_at, data.ends_at, max_span=MAX_SLOT, what="Availability slot")
    if end <= utcnow():
        raise E.ValidationError("Availability slot: it must end in the future.")
    session.get(User, user.id, with_for_update=True)  # one writer per person: no overlapping inserts
    clash = session.exec(select(EmployeeAvailability).where(
        EmployeeAvailability.user_id == user.id, EmployeeAvailability.starts_at < end,
        EmployeeAvailability.ends_at > start)).first()
    if clash is not None:
        raise E.ConflictError("This slot overlaps an existing availability slot.", code=SLOT_OVERLAP,
                              extra={"conflicting_slot_id": str(clash.id)})
    slot = EmployeeAvailability(company_id=user.company_id, user_id=user.id, starts_at=start, ends_at=end)
    session.add(slot)
    session.flush()
    audit.record(session, actor=actor, action="availability.create", entity_type="availability",
                 entity_id=slot.id, company_id=user.company_id, details={"user_id": str(user.id)})
    return slot


def delete_slot(session: Session, actor: Actor, slot_id: uuid.UUID) -> None:
    slot = session.get(EmployeeAvailability, slot_id)
    if slot is None or not actor.in_company(slot.company_id):
        raise E.NotFoundError("Availability slot not found.", code=SLOT_NOT_FOUND)
    if slot.user_id != actor.id:
        if not actor.can("interviews:write"):
            raise E.NotFoundError("Availability slot not found.", code=SLOT_NOT_FOUND)
    session.delete(slot)
    audit.record(session, actor=actor, action="availability.delete", entity_type="availability",
                 entity_id=slot_id, company_id=slot.company_id, details={"user_id": str(slot.user_id)})


# --- free time ----------------------------------------------------------------------------------

def merge(intervals: list[Interval]) -> list[Interval]:
    out: list[Interval] = []
    for start, end in sorted(intervals):
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out


def subtract(free: list[Interval], busy: list[Interval]) -> list[Interval]:
    """``free`` minus ``busy`` (both lists of half-open intervals)."""
    result: list[Interval] = []
    busy = merge(busy)
    for start, end in merge(free):
        cursor = start
        for b_start, b_end in busy:
            if b_end <= cursor or b_start >= end:
                continue
            if b_start > cursor:
                result.append((cursor, b_start))
            cursor = max(cursor, b_end)
            if cursor >= end:
                break
        if cursor < end:
            result.append((cursor, end))
    return result


def interview_interval(interview: Interview) -> Interval:
    start = as_utc(interview.scheduled_at)
    return start, start + timedelta(minutes=interview.duration_minutes)


def busy_intervals(session: Session, user_id: uuid.UUID, start: datetime, end: datetime, *,
                   statuses=BUSY_STATUSES, exclude: uuid.UUID | None = None) -> list[tuple[Interval, Interview]]:
    """The user's interviews overlapping [start, end) (durations are bounded, so the query is a range)."""
    return _overlapping(session, Interview.interviewer_id == user_id, start, end, statuses, exclude)


def _overlapping(session: Session, whose, start: datetime, end: datetime, statuses,
                 exclude: uuid.UUID | None) -> list[tuple[Interval, Interview]]:
    filters = [whose, col(Interview.status).in_(statuses),
               Interview.scheduled_at < end,
               Interview.scheduled_at > start - timedelta(minutes=MAX_DURATION_MINUTES)]
    if exclude is not None:
        filters.append(Interview.id != exclude)
    rows = session.exec(select(Interview).where(*filters).order_by(Interview.scheduled_at))
    return [(iv, row) for row in rows if (iv := interview_interval(row))[1] > start]


def free_slots(session: Session, actor: Actor, *, user_id: uuid.UUID | None, start: datetime, end: datetime,
               duration_minutes: int = 30) -> list[Interval]:
    """Availability minus open and completed interviews, keeping gaps of at least ``duration_minutes``."""
    user = _target_user(session, actor, user_id)
    start, end = _check_range(start, end, max_span=MAX_RANGE, what="Range")
    slots = [(max(as_utc(s.starts_at), start), min(as_utc(s.ends_at), end))
             for s in list_slots(session, actor, user_id=user.id, start=start, end=end)]
    busy = [iv for iv, _ in busy_intervals(session, user.id, start, end)]
    need = timedelta(minutes=duration_minutes)
    return [(s, e) for s, e in subtract(slots, busy) if e - s >= need]


def check_candidate_free(session: Session, candidate: Candidate, start: datetime, duration_minutes: int, *,
                         exclude: uuid.UUID | None = None) -> None:
    """Refuse (409) a time that overlaps another open interview of the same candidate: nobody takes
    two interviews at once, and a form sent twice (a double click, a retried request) must not
    book and invite twice. Locks the candidate row so that concurrent bookings are serialised."""
    session.get(Candidate, candidate.id, with_for_update=True)
    start = as_utc(start)
    clashes = _overlapping(session, Interview.candidate_id == candidate.id, start,
                           start + timedelta(minutes=duration_minutes), OPEN_STATUSES, exclude)
    if clashes:
        (c_start, c_end), other = clashes[0]
        raise E.ConflictError(
            f"{candidate.name} already has an interview from {c_start:%Y-%m-%d %H:%M} to {c_end:%H:%M} UTC; "
            "reschedule or cancel that one instead.",
            code=SCHEDULE_CONFLICT, extra={"conflicting_interview_id": str(other.id)})


def check_interviewer_free(session: Session, interviewer: User, start: datetime, duration_minutes: int, *,
                           exclude: uuid.UUID | None = None) -> None:
    """Refuse (409) a time that overlaps the interviewer's other open interviews or, when they
    keep availability, lies outside every slot. Locks the interviewer row so that concurrent
    bookings of one person are serialised."""
    session.get(User, interviewer.id, with_for_update=True)
    start = as_utc(start)
    end = start + timedelta(minutes=duration_minutes)
    clashes = busy_intervals(session, interviewer.id, start, end, statuses=OPEN_STATUSES, exclude=exclude)
    if clashes:
        (c_start, c_end), other = clashes[0]
        raise E.ConflictError(
            f"{interviewer.name} already has an interview from {c_start:%Y-%m-%d %H:%M} to {c_end:%H:%M} UTC.",
            code=SCHEDULE_CONFLICT, extra={"conflicting_interview_id": str(other.id)})
    keeps_calendar = session.exec(select(EmployeeAvailability.id).where(
        EmployeeAvailability.user_id == interviewer.id, EmployeeAvailability.ends_at > utcnow())).first()
    if keeps_calendar is None:
        return
    slots = session.exec(select(EmployeeAvailability).where(
        EmployeeAvailability.user_id == interviewer.id, EmployeeAvailability.starts_at <= end,
        EmployeeAvailability.ends_at >= start))
    covered = merge([(as_utc(s.starts_at), as_utc(s.ends_at)) for s in slots])  # adjacent slots join
    if not any(s <= start and end <= e for s, e in covered):
        raise E.ConflictError(
            f"{interviewer.name} is not available from {start:%Y-%m-%d %H:%M} to {end:%H:%M} UTC; "
            "pick a time inside one of their availability slots (see /availability/free-slots).",
            code=SCHEDULE_CONFLICT)
