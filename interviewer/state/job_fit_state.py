"""Job fit views: the job page's "Candidates by fit" ranking and the candidate page's fit card.

Both show one judgement (``services.job_fit``): a score with its band, the posting's skills the
resume shows (and only lists), the ones it lacks, quotes from the resume and the seniority line.
While fits are being computed by the worker, the job page polls until they arrive."""

from __future__ import annotations

import asyncio
import dataclasses
import uuid
from typing import Any

import reflex as rx
from sqlmodel import Session

from interviewer.services import job_fit
from interviewer.services.authz import Actor
from interviewer.state.interviews_common_state import HiringState

POLL_SECONDS = 2.0
POLL_ROUNDS = 60  # two minutes, then the page says to come back later


@dataclasses.dataclass
class FitView:
    candidate_id: str = ""
    rank: int = 0
    name: str = ""
    email: str = ""
    has_fit: bool = False
    has_resume: bool = True
    supported: bool = True
    score: str = ""
    band: str = ""
    color: str = "gray"
    matched: list[str] = dataclasses.field(default_factory=list)
    listed_only: list[str] = dataclasses.field(default_factory=list)
    missing: list[str] = dataclasses.field(default_factory=list)
    more_missing: int = 0
    quotes: list[list[str]] = dataclasses.field(default_factory=list)  # [skill, quote]
    seniority: str = ""
    parts: str = ""
    skills_rule: str = ""  # how the skills part weighs each skill: the rest of its derivation
    reason: str = ""


def fit_view(fit: dict[str, Any] | None, *, rank: int = 0, candidate_id: str = "", name: str = "",
             email: str = "", has_resume: bool = True) -> FitView:
    """The display form of one fit (``job_fit`` public dict, or None when not computed)."""
    view = FitView(candidate_id=candidate_id, rank=rank, name=name, email=email, has_resume=has_resume)
    if fit is None:
        return view
    view.has_fit = True
    if not fit.get("supported", True):
        view.supported, view.reason = False, fit.get("reason", "")
        return view
    score = fit.get("score")
    view.score = f"{score:.0f}"
    view.band, view.color = job_fit.band(score), job_fit.band_color(score)
    listed = set(fit.get("listed_only_skills") or [])
    view.matched = [s for s in fit.get("matched_skills") or [] if s not in listed][:12]
    view.listed_only = [s for s in fit.get("matched_skills") or [] if s in listed][:6]
    missing = fit.get("missing_skills") or []
    view.missing, view.more_missing = missing[:6], max(0, len(missing) - 6)
    view.quotes = [[q["skill"], q["quote"]] for q in fit.get("quotes") or []]
    view.seniority = fit.get("seniority", "")
    parts, weights = fit.get("parts") or {}, fit.get("weights") or {}
    if parts and weights:
        view.parts = (f"{score:.0f} = {weights['skills']:.0%} skills of the job found ({parts['skills']:.2f}) + "
                      f"{weights['field']:.0%} same field of work ({parts['field']:.2f}) + {weights['text']:.0%} "
                      f"text similarity ({fit.get('text_part', 0.0):.2f})" + _core_note(fit) + ", out of 100.")
        view.skills_rule = job_fit.SKILLS_RULE
    return view


def _core_note(fit: dict[str, Any]) -> str:
    core = fit.get("core") or {}
    if not core.get("skills") or core.get("factor", 1.0) >= 1.0:
        return ""
    return f", times {core['factor']:.2f} because the job's title asks for {', '.join(core['skills'])}"


class JobFitState(HiringState):
    """The job page's ranking of its candidates by fit."""

    fit_job_id: str = ""
    fit_rows: list[FitView] = []
    fit_total: int = 0
    fit_with_resume: int = 0
    fit_pending: int = 0
    fit_supported: bool = True
    fit_loaded: bool = False
    fit_open: str = ""  # the candidate whose reasons are expanded
    fit_polling: bool = False
    fit_note: str = job_fit.SCREENING_NOTE

    def _fit_load(self, session: Session, actor: Actor) -> None:
        data = job_fit.rank_for_job(session, actor, uuid.UUID(self.fit_job_id), limit=100)
        self.fit_rows = [fit_view(item["fit"], rank=i + 1, candidate_id=item["candidate_id"], name=item["name"],
                                  email=item["email"], has_resume=item["has_resume"])
                         for i, item in enumerate(data["items"])]
        self.fit_total, self.fit_with_resume = data["total"], data["with_resume"]
        self.fit_pending, self.fit_supported = data["pending"], data["job_supported"]
        self.fit_loaded = True

    @rx.event
    def load_fit(self):
        self.fit_job_id, self.fit_loaded, self.fit_open = self._route_id(), False, ""
        if not self.fit_job_id:
            return None
        result = self._run(self._fit_load)
        if self.fit_pending and not self.fit_polling:
            return [result, JobFitState.poll_fit] if result else JobFitState.poll_fit
        return result

    @rx.event
    def toggle_reasons(self, candidate_id: str):
        self.fit_open = "" if self.fit_open == candidate_id else candidate_id

    @rx.event(background=True)
    async def poll_fit(self):
        async with self:
            if self.fit_polling:
                return
            self.fit_polling = True
        try:
            for _ in range(POLL_ROUNDS):
                await asyncio.sleep(POLL_SECONDS)
                async with self:
                    if not self.fit_job_id or self._route_id() != self.fit_job_id:
                        return
                    self._run(self._fit_load)
                    if not self.fit_pending:
                        return
        finally:
            async with self:
                self.fit_polling = False


class CandidateFitState(HiringState):
    """The candidate page's fit card: their resume against their job."""

    cfit: FitView = FitView()
    cfit_loaded: bool = False

    def _cfit_load(self, session: Session, actor: Actor) -> None:
        self.cfit = fit_view(job_fit.fit_for_candidate(session, actor, uuid.UUID(self._route_id())))
        self.cfit_loaded = True

    @rx.event
    def load_cfit(self):
        self.cfit_loaded = False
        if not self._route_id():
            return None
        return self._run(self._cfit_load)
