"""A candidate's "Your data" card on /me: download everything kept about them, or erase it
(``services.candidate_rights``)."""

from __future__ import annotations

import json

import reflex as rx
from sqlmodel import Session

from interviewer.services import candidate_rights
from interviewer.services.authz import Actor
from interviewer.state.auth_state import AuthState

ERASED_NOTICE = "Your personal data was erased and your account closed."


class CandidateRightsState(AuthState):
    erase_open: bool = False
    erase_confirm: str = ""

    @rx.event
    def download_data(self):
        def _work(session: Session, actor: Actor):
            data = candidate_rights.export_my_data(session, actor)
            return rx.download(data=json.dumps(data, indent=2, ensure_ascii=False),
                               filename="my-interviewer-data.json")

        return self._run(_work)

    @rx.event
    def set_erase_open(self, value: bool):
        self.erase_open, self.erase_confirm = value, ""

    @rx.event
    def set_erase_confirm(self, value: str):
        self.erase_confirm = value

    @rx.event
    def erase(self):
        done: list[bool] = []

        def _work(session: Session, actor: Actor):
            candidate_rights.erase_me(session, actor, confirm_email=self.erase_confirm)
            done.append(True)

        refused = self._run(_work)  # a refusal comes back as a toast; the dialog stays open
        if not done:
            return refused
        self.erase_open = False
        self._end_session("")
        self.notice = ERASED_NOTICE
        return rx.redirect("/login")
