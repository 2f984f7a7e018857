"""/availability: a staff member's own availability slots, shown and entered in the browser's time
zone (stored in UTC). HR's scheduler books an interviewer who keeps slots only inside one of them;
the rules (own slots only, no overlaps, at most 24 hours, in the future) are
``services.availability``'s."""

from __future__ import annotations

import dataclasses
import uuid
from datetime import datetime, timedelta

import reflex as rx
from sqlmodel import Session

from interviewer.core import errors as E
from interviewer.core.security import utcnow
from interviewer.services import availability
from interviewer.services.authz import Actor
from interviewer.state.interviews_common_state import (
    TZ_JS,
    HiringState,
    as_aware,
    fmt_time,
    local_today,
    parse_local,
    zone,
)

AHEAD = timedelta(days=60)


@dataclasses.dataclass
class SlotRow:
    id: str = ""
    day: str = ""  # 'Mon 07 Dec 2026'
    start: str = ""  # '09:00'
    end: str = ""  # '12:30' (or '12:30 (+1 day)')
    hours: str = ""  # '3 h 30 min'
    busy: int = 0  # interviews booked inside the slot


def _length(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    return " ".join(p for p in (f"{hours} h" if hours else "", f"{rest} min" if rest else "") if p)


class AvailabilityState(HiringState):
    loaded: bool = False
    slots: list[SlotRow] = []
    a_date: str = ""
    a_start: str = "09:00"
    a_end: str = "12:00"
    a_error: str = ""

    def _load(self, session: Session, actor: Actor) -> None:
        now = utcnow()
        rows = availability.list_slots(session, actor, start=now, end=now + AHEAD)
        busy = [iv for iv, _ in availability.busy_intervals(session, actor.id, now, now + AHEAD)]
        tz = zone(self.tz)
        out = []
        for slot in rows:
            start, end = as_aware(slot.starts_at), as_aware(slot.ends_at)
            local_start, local_end = start.astimezone(tz), end.astimezone(tz)
            days = (local_end.date() - local_start.date()).days
            out.append(SlotRow(id=str(slot.id), day=local_start.strftime("%a %d %b %Y"),
                               start=fmt_time(start, self.tz),
                               end=fmt_time(end, self.tz) + (f" (+{days} day)" if days else ""),
                               hours=_length(round((end - start).total_seconds() / 60)),
                               busy=sum(1 for b_start, b_end in busy if b_start < end and b_end > start)))
        self.slots = out
        if not self.a_date:
            self.a_date = (local_today(self.tz) + timedelta(days=1)).isoformat()
        self.loaded = True

    @rx.event
    def load(self):
        self.loaded, self.a_error = False, ""
        return rx.call_script(TZ_JS, callback=AvailabilityState.open_with_tz)

    @rx.event
    def open_with_tz(self, tz: str):
        self._accept_tz(tz)
        return self._run(self._load, page_load=True)

    @rx.event
    def set_field(self, name: str, value: str):
        if name in ("a_date", "a_start", "a_end"):
            setattr(self, name, value)
            self.a_error = ""

    @rx.event
    def add_slot(self):
        self.a_error = ""
        try:
            start = parse_local(self.a_date, self.a_start, self.tz)
            end = parse_local(self.a_date, self.a_end, self.tz)
        except ValueError:
            self.a_error = "Choose a day and the times you are free."
            return None
        if end <= start and self.a_end == "00:00":
            end += timedelta(days=1)  # "until midnight"

        def _work(session: Session, actor: Actor):
            try:
                availability.add_slot(session, actor, availability.SlotCreate(starts_at=start, ends_at=end))
            except E.DomainError as exc:
                self.a_error = exc.message
                raise
            self._load(session, actor)
            return rx.toast.success(f"Saved: {self._describe(start, end)}.")

        result = self._run(_work)
        return None if self.a_error else result

    def _describe(self, start: datetime, end: datetime) -> str:
        local = as_aware(start).astimezone(zone(self.tz))
        return f"{local:%a %d %b}, {fmt_time(start, self.tz)}–{fmt_time(end, self.tz)}"

    @rx.event
    def delete_slot(self, slot_id: str):
        def _work(session: Session, actor: Actor):
            availability.delete_slot(session, actor, uuid.UUID(slot_id))
            self._load(session, actor)
            return rx.toast.success("Slot removed.")

        return self._run(_work)
