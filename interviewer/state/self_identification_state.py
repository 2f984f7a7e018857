"""The optional self-identification questions on the candidate's "thank you" screen
(``/interview/[token]`` once the interview is complete). The link's token is the credential;
the answer goes straight to the service and is not kept in this state after it is saved."""

from __future__ import annotations

import asyncio
import logging

import reflex as rx

from interviewer.core import errors as E
from interviewer.db import session_scope
from interviewer.models.fairness import RACE_LABELS, SEX_LABELS
from interviewer.services import self_identification as selfid

log = logging.getLogger("interviewer.live.page")
SEX_CHOICES = list(SEX_LABELS.values())
RACE_CHOICES = list(RACE_LABELS.values())
_SEX_BY_LABEL = {v: k for k, v in SEX_LABELS.items()}
_RACE_BY_LABEL = {v: k for k, v in RACE_LABELS.items()}


def _save(token: str, sex: str | None, race: str | None) -> None:
    with session_scope() as session:
        selfid.record_self_identification(session, token, selfid.SelfIdentificationIn(sex=sex, race_ethnicity=race))


class SelfIdentificationState(rx.State):
    sex: str = ""  # the label chosen ("" = not answered)
    race: str = ""
    outcome: str = ""  # saved | skipped | closed, for ``outcome_token``
    outcome_token: str = ""
    message: str = ""
    saving: bool = False

    def _token(self) -> str:
        return str(self.router.page.params.get("token") or "")[:255]

    @rx.var
    def step(self) -> str:
        """ask | saved | skipped | closed for the link on screen (a new link asks again)."""
        return self.outcome if self.outcome and self.outcome_token == self._token() else "ask"

    @rx.event
    def set_sex(self, value: str):
        self.sex = value if value in _SEX_BY_LABEL else ""

    @rx.event
    def set_race(self, value: str):
        self.race = value if value in _RACE_BY_LABEL else ""

    @rx.event
    def skip(self):
        self.sex, self.race, self.message = "", "", ""
        self.outcome, self.outcome_token = "skipped", self._token()

    @rx.event(background=True)
    async def submit(self):
        async with self:
            if self.saving:
                return
            token = self._token()
            sex, race = _SEX_BY_LABEL.get(self.sex), _RACE_BY_LABEL.get(self.race)
            self.saving, self.message = True, ""
        outcome, message = "saved", ""
        if sex is None and race is None:
            outcome = "skipped"
        else:
            try:
                await asyncio.to_thread(_save, token, sex, race)
            except E.DomainError as exc:
                outcome, message = "closed", exc.message
            except Exception:
                log.exception("self-identification not stored")
                outcome, message = "closed", "Your answers could not be saved. Nothing else is affected."
        async with self:
            self.saving, self.message = False, message
            self.sex, self.race = "", ""  # not kept once sent
            self.outcome, self.outcome_token = outcome, token
