"""/me/ats: a candidate checks their resume (optionally against a job description); the
analysis runs as a job, followed here by a background poll. Also the ATS result view model
shared with the candidate detail page."""

from __future__ import annotations

import asyncio
import dataclasses
import uuid
from datetime import datetime
from typing import Any

import reflex as rx
from sqlmodel import Session

from interviewer.core import errors as E
from interviewer.core.config import get_settings
from interviewer.models import UserRole
from interviewer.services import resume_checks
from interviewer.services.ai.ats_offline import not_friendly_reason
from interviewer.services.ai.schemas import SECTION_KEYS
from interviewer.services.authz import Actor
from interviewer.state.auth_state import AuthState, SessionEnded
from interviewer.state.candidates_common_state import fmt_datetime
from interviewer.state.job_fit_state import FitView, fit_view

UPLOAD_ID = "ats-upload"
POLL_SECONDS = 1.0
MAX_POLL_SECONDS = 240  # the analyze_resume job times out after 180 s
FINISHED = ("completed", "failed")
SECTION_LABELS = {
    "contact_info": "Contact info",
    "format_structure": "Format & structure",
    "professional_summary": "Summary",
    "work_experience": "Experience",
    "technical_skills": "Skills",
    "education": "Education",
    "keyword_optimization": "Keywords",
}

RADAR_LABELS = {**SECTION_LABELS, "format_structure": "Format", "professional_summary": "Summary",
                "contact_info": "Contact"}


@dataclasses.dataclass
class SectionView:
    key: str = ""
    label: str = ""
    score: int = 0
    feedback: str = ""


@dataclasses.dataclass
class AtsView:
    id: str = ""
    status: str = ""
    filename: str = ""
    created: str = ""
    score: int = 0
    score_label: str = ""
    score_color: str = "gray"
    summary: str = ""
    analysis_label: str = ""
    offline: bool = False
    ats_friendly: bool = False
    not_friendly_reason: str = ""  # why an ATS would struggle, shown with the "Not ATS-friendly" badge
    job_description: bool = False
    sections: list[SectionView] = dataclasses.field(default_factory=list)
    radar: list[dict[str, Any]] = dataclasses.field(default_factory=list)
    keywords_found: list[str] = dataclasses.field(default_factory=list)
    keywords_missing: list[str] = dataclasses.field(default_factory=list)
    improvements: list[str] = dataclasses.field(default_factory=list)
    highlights: list[str] = dataclasses.field(default_factory=list)
    formatting_issues: list[str] = dataclasses.field(default_factory=list)
    error: str = ""
    # The two numbers the overall score mixes, each with its own explanation.
    format_score: str = ""
    format_explanation: str = ""
    fit: FitView = dataclasses.field(default_factory=FitView)


def score_band(score: int) -> tuple[str, str]:
    if score >= 80:
        return "Excellent match", "green"
    if score >= 65:
        return "Good", "teal"
    if score >= 50:
        return "Fair", "amber"
    return "Needs work", "red"


def ats_view(check: dict, *, has_job_description: bool = False) -> AtsView:
    """``resume_checks.check_public`` output -> the view the result card renders."""
    created = check.get("created_at")
    view = AtsView(id=check["id"], status=check["status"], filename=check.get("filename") or "",
                   created=fmt_datetime(datetime.fromisoformat(created)) if created else "",
                   analysis_label=check.get("analysis_label") or "", offline=check.get("provider") == "offline",
                   job_description=has_job_description, error=check.get("error") or "")
    result = check.get("result") or {}
    if check["status"] != "completed" or not result:
        return view
    view.score = int(result.get("score", 0))
    view.score_label, view.score_color = score_band(view.score)
    view.summary = result.get("summary", "")
    view.ats_friendly = bool(result.get("ats_friendly"))
    sections = result.get("section_scores") or {}
    view.sections = [SectionView(key=k, label=SECTION_LABELS[k], score=int(sections[k]["score"]),
                                 feedback=sections[k].get("feedback", "")) for k in SECTION_KEYS if k in sections]
    view.radar = [{"section": RADAR_LABELS[s.key], "score": s.score} for s in view.sections]
    for name in ("keywords_found", "keywords_missing", "improvements", "highlights", "formatting_issues"):
        setattr(view, name, [str(v) for v in result.get(name) or []])
    view.not_friendly_reason = not_friendly_reason(view.score, view.ats_friendly, view.formatting_issues)
    measures = check.get("measures") or {}
    if measures.get("format"):
        view.format_score = str(measures["format"]["score"])
        view.format_explanation = measures["format"].get("explanation", "")
    view.fit = fit_view(measures.get("fit"))
    return view


@dataclasses.dataclass
class CheckRow:
    id: str = ""
    filename: str = ""
    created: str = ""
    status: str = ""
    score: str = ""
    label: str = ""


class AtsState(AuthState):
    loaded: bool = False
    job_description: str = ""
    error: str = ""
    uploading: bool = False
    running: bool = False
    check: AtsView = AtsView()
    history: list[CheckRow] = []
    _poll_generation: int = 0

    @rx.var
    def has_result(self) -> bool:
        return self.check.status == "completed"

    @rx.var
    def max_mb(self) -> int:
        return get_settings().MAX_UPLOAD_BYTES // 1_048_576

    def _history(self, session: Session, actor: Actor) -> None:
        checks = resume_checks.list_checks(session, actor, limit=20)
        self.history = []
        for c in checks:
            public = resume_checks.check_public(c)
            self.history.append(CheckRow(id=public["id"], filename=c.filename, created=fmt_datetime(c.created_at),
                                         status=c.status.value, score="" if c.score is None else str(c.score),
                                         label=public["analysis_label"] or ""))

    def _show(self, session: Session, actor: Actor, check_id: uuid.UUID) -> None:
        check = resume_checks.get_check(session, actor, check_id)
        self.check = ats_view(resume_checks.check_public(check), has_job_description=bool(check.job_description))
        self.running = self.check.status not in FINISHED

    def _load(self, session: Session, actor: Actor):
        if actor.role != UserRole.CANDIDATE:
            return rx.redirect("/dashboard")
        actor.require("ats:check")
        self._history(session, actor)
        if self.history and not self.check.id:
            self._show(session, actor, uuid.UUID(self.history[0].id))
        self.loaded = True
        return AtsState.poll if self.running else None

    @rx.event
    def load(self):
        self.error = ""
        return self._run(self._load, page_load=True)

    @rx.event
    def set_job_description(self, value: str):
        self.job_description = value[: resume_checks.MAX_JOB_DESCRIPTION]

    @rx.event
    def show_check(self, check_id: str):
        def _work(session: Session, actor: Actor):
            self._show(session, actor, uuid.UUID(check_id))
            return AtsState.poll if self.running else None

        return self._run(_work)

    @rx.event
    async def upload(self, files: list[rx.UploadFile]):
        self.error = ""
        if not files:
            self.error = "Choose your resume (PDF, DOCX or TXT) first."
            return
        limit = get_settings().MAX_UPLOAD_BYTES
        upload = files[0]
        data = await upload.read(limit + 1)
        if len(data) > limit:
            self.error = f"The file is larger than {limit // 1_048_576} MB."
            return
        filename, description = upload.filename or "resume", self.job_description.strip() or None
        content_type = upload.content_type
        if message := self._rate_limited("ats_check"):  # the REST upload limit, same counter
            self.error = message
            return
        self.uploading = True
        yield

        def _work(session: Session, actor: Actor):
            check = resume_checks.create_check(session, actor, data=data, filename=filename,
                                               content_type=content_type, job_description=description)
            return check.id

        try:
            check_id = self._call(_work)
        except SessionEnded:
            self.uploading = False
            yield self._end_session()
            return
        except E.DomainError as exc:
            self.uploading = False
            self.error = exc.message
            return
        self.uploading, self.running = False, True
        self.check = AtsView(id=str(check_id), status="queued", filename=filename)
        yield rx.clear_selected_files(UPLOAD_ID)
        yield AtsState.poll

    @rx.event(background=True)
    async def poll(self):
        """Follow the analysis job; the state lock is held only while reading the check."""
        async with self:
            self._poll_generation += 1
            generation = self._poll_generation
        waited = 0.0
        while waited < MAX_POLL_SECONDS:
            await asyncio.sleep(POLL_SECONDS)
            waited += POLL_SECONDS
            async with self:
                if generation != self._poll_generation or not self.check.id:
                    return
                outcome = self._run(lambda s, a: self._show(s, a, uuid.UUID(self.check.id)))
                if outcome is not None:
                    self.running = False
                    yield outcome
                    return
                if not self.running:
                    self._run(self._history)
                    return
        async with self:
            self.running = False
            self.error = "The analysis is taking longer than expected; reload this page in a minute."

