"""Feedback letters on the interview report (draft, edit, send) and their switch on the settings
page; the rules are ``services.feedback``'s."""

from __future__ import annotations

import uuid

import reflex as rx
from sqlmodel import Session

from interviewer.services import feedback
from interviewer.services.authz import Actor
from interviewer.state.interviews_common_state import HiringState


class FeedbackState(HiringState):
    fb_available: bool = False  # the company uses letters and this user may send them
    fb_open: bool = False
    fb_to: str = ""
    fb_subject: str = ""
    fb_body: str = ""
    fb_sent_before: int = 0

    def _fb_check(self, session: Session, actor: Actor) -> None:
        interview_id = uuid.UUID(self._route_id())
        from interviewer.services.interviews import get_interview

        interview = get_interview(session, actor, interview_id)
        self.fb_available = (actor.can("verdicts:override") and feedback.enabled(session, interview.company_id)
                             and interview.ai_report is not None)

    @rx.event
    def load_feedback(self):
        self.fb_available, self.fb_open = False, False
        if not self._route_id():
            return None
        return self._run(self._fb_check)

    @rx.event
    def open_letter(self):
        def _work(session: Session, actor: Actor):
            letter = feedback.draft(session, actor, uuid.UUID(self._route_id()))
            self.fb_to, self.fb_subject, self.fb_body = letter["to"], letter["subject"], letter["body"]
            self.fb_sent_before, self.fb_open = letter["already_sent"], True

        return self._run(_work)

    @rx.event
    def set_fb_open(self, value: bool):
        self.fb_open = value

    @rx.event
    def set_fb_subject(self, value: str):
        self.fb_subject = value

    @rx.event
    def set_fb_body(self, value: str):
        self.fb_body = value

    @rx.event
    def send_letter(self):
        if not self.fb_open:  # a second click queued behind the first: the dialog is already saved and closed
            return None

        def _work(session: Session, actor: Actor):
            sent = feedback.send(session, actor, uuid.UUID(self._route_id()), self.fb_subject, self.fb_body)
            self.fb_open = False
            return rx.toast.success(f"Feedback letter sent to {sent['to']}.")

        return self._run(_work)


class FeedbackSettingsState(HiringState):
    fbs_enabled: bool = False

    def _fbs_load(self, session: Session, actor: Actor) -> None:
        actor.require("company:settings")
        self.fbs_enabled = feedback.enabled(session, actor.company_id) if actor.company_id else False

    @rx.event
    def load_feedback_settings(self):
        return self._run(self._fbs_load)

    @rx.event
    def toggle_letters(self, value: bool):
        def _work(session: Session, actor: Actor):
            self.fbs_enabled = feedback.set_enabled(session, actor, value)
            return rx.toast.success("Feedback letters are on." if value else "Feedback letters are off.")

        return self._run(_work)
