"""The "Data retention" card of the settings page: how long the company keeps interview words,
audio-derived measures, AI reports, resumes and answered accommodation requests (``services.retention``)."""

from __future__ import annotations

import reflex as rx
from sqlmodel import Session

from interviewer.services import retention
from interviewer.services.authz import Actor
from interviewer.state.auth_state import AuthState

KEEP = "keep"
CHOICES = [KEEP, "30", "90", "180", "365", "730", "1095"]


class RetentionState(AuthState):
    r_loaded: bool = False
    r_transcripts: str = KEEP
    r_audio_derived: str = KEEP
    r_reports: str = KEEP
    r_resumes: str = KEEP
    r_accommodations: str = KEEP

    def _r_load(self, session: Session, actor: Actor) -> None:
        policy = retention.get_policy(session, actor)
        for name in retention.CATEGORIES:
            value = getattr(policy, name)
            setattr(self, f"r_{name}", KEEP if value is None else str(value))
        self.r_loaded = True

    @rx.event
    def load_retention(self):
        self.r_loaded = False
        return self._run(self._r_load)

    @rx.event
    def set_period(self, name: str, value: str):
        if name in retention.CATEGORIES and value in CHOICES:
            setattr(self, f"r_{name}", value)

    @rx.event
    def save_retention(self):
        data = {name: None if getattr(self, f"r_{name}") == KEEP else int(getattr(self, f"r_{name}"))
                for name in retention.CATEGORIES}

        def _work(session: Session, actor: Actor):
            retention.update_policy(session, actor, data)
            return rx.toast.success("Retention periods saved. Expired data is removed once a day.")

        return self._run(_work)  # a refusal (permission, validation) comes back as a toast
