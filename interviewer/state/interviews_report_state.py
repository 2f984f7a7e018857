"""/interviews/[interview_id]: the interview report — verdict (and its override), per-question
scores with the transcript evidence, the timed transcript, integrity signals and the fairness
note. While scoring is pending or running, a background event refreshes the page."""

from __future__ import annotations

import asyncio
import dataclasses
import time
import uuid
from datetime import datetime
from typing import Any

import reflex as rx
from sqlmodel import Session

from interviewer.core import errors as E
from interviewer.models import Verdict
from interviewer.services import interviews as interview_service
from interviewer.services import scoring
from interviewer.services import ui_hiring_queries as queries
from interviewer.services.authz import Actor
from interviewer.state.auth_state import SessionEnded
from interviewer.state.interviews_common_state import TZ_JS, HiringState, as_aware, fmt_dt, mmss

POLL_SECONDS = 3.0
POLL_LIMIT_SECONDS = 15 * 60
SIGNAL_LABELS = {"tab_hidden": "Tab hidden", "window_blur": "Window lost focus", "paste": "Pasted text",
                 "long_silence": "Long silence", "mic_failed": "Microphone failed", "typed_mode": "Switched to typing"}
LOW_CONFIDENCE = 0.6


@dataclasses.dataclass
class Segment:
    text: str = ""
    hit: bool = False


@dataclasses.dataclass
class QuestionReport:
    number: int = 0
    question: str = ""
    weight: int = 1
    status: str = ""  # answered | not answered | not asked
    score: str = ""
    score_pct: int = 0
    covered: list[str] = dataclasses.field(default_factory=list)
    missed: list[str] = dataclasses.field(default_factory=list)
    evidence: list[str] = dataclasses.field(default_factory=list)
    answer: list[Segment] = dataclasses.field(default_factory=list)
    follow_ups: list[str] = dataclasses.field(default_factory=list)
    flags: list[str] = dataclasses.field(default_factory=list)
    rationale: str = ""


@dataclasses.dataclass
class TranscriptLine:
    at: str = ""
    speaker: str = ""
    kind: str = ""
    text: str = ""
    confidence: str = ""
    low: bool = False
    typed: bool = False


@dataclasses.dataclass
class SignalRow:
    label: str = ""
    kind: str = ""
    at: str = ""
    offset: str = ""
    detail: str = ""


def highlight(text: str, quotes: list[str]) -> list[Segment]:
    """``text`` split into plain and quoted parts (the evidence quotes are verbatim substrings)."""
    spans: list[tuple[int, int]] = []
    lower = text.lower()
    for quote in quotes:
        start = lower.find(quote.strip().lower()) if quote.strip() else -1
        if start >= 0:
            spans.append((start, start + len(quote.strip())))
    spans.sort()
    parts, cursor = [], 0
    for start, end in spans:
        if start < cursor:
            start = cursor
        if end <= start:
            continue
        if start > cursor:
            parts.append(Segment(text[cursor:start], False))
        parts.append(Segment(text[start:end], True))
        cursor = end
    if cursor < len(text):
        parts.append(Segment(text[cursor:], False))
    return parts


def _question(item: dict[str, Any]) -> QuestionReport:
    score = item.get("score")
    status = item.get("status", "")
    return QuestionReport(
        number=int(item.get("index", 0)) + 1, question=item.get("question", ""), weight=int(item.get("weight", 1)),
        status=status, score="" if score is None else f"{float(score):g}",
        score_pct=0 if score is None else round(float(score) / 5 * 100),
        covered=list(item.get("covered_points") or []), missed=list(item.get("missed_points") or []),
        evidence=list(item.get("evidence") or []), answer=highlight(item.get("answer") or "", item.get("evidence") or []),
        follow_ups=list(item.get("follow_ups") or []), flags=list(item.get("flags") or []),
        rationale=item.get("rationale") or "")


def _detail(detail: dict[str, Any]) -> str:
    parts = []
    for key, value in (detail or {}).items():
        if key.endswith("_ms") and isinstance(value, (int, float)):
            parts.append(f"{key[:-3].replace('_', ' ')}: {value / 1000:.0f} s")
        else:
            parts.append(f"{key.replace('_', ' ')}: {value}")
    return " · ".join(parts)


class ReportState(HiringState):
    interview_id: str = ""
    loaded: bool = False
    can_override: bool = False
    candidate: str = ""
    candidate_id: str = ""
    candidate_email: str = ""
    job: str = ""
    interviewer: str = ""
    status: str = ""
    scheduled: str = ""
    started: str = ""
    completed: str = ""
    duration: int = 0
    scoring_status: str = ""
    scoring_error: str = ""
    score: int = -1
    verdict: str = ""
    ai_verdict: str = ""
    pass_mark: int = 70
    review_mark: int = 50
    quality_gate: list[str] = []
    analysis_label: str = ""
    provider: str = ""
    formula: str = ""
    override_verdict: str = ""
    override_reason: str = ""
    override_by: str = ""
    override_at: str = ""
    questions: list[QuestionReport] = []
    transcript: list[TranscriptLine] = []
    signals: list[SignalRow] = []
    fairness_note: str = ""
    redacted: list[str] = []

    o_open: bool = False
    o_verdict: str = ""
    o_reason: str = ""
    o_error: str = ""

    def _load(self, session: Session, actor: Actor) -> None:
        interview = interview_service.get_interview(session, actor, uuid.UUID(self.interview_id))
        data = scoring.report_public(session, interview)
        names = queries.interview_labels(session, actor, [interview]).get(interview.id, {})
        self.can_override = actor.can("verdicts:override")
        self.candidate, self.candidate_email = names.get("candidate", ""), names.get("candidate_email", "")
        self.candidate_id, self.job = str(interview.candidate_id), names.get("job", "")
        self.interviewer = names.get("interviewer", "")
        self.status = interview_service.effective_status(interview).value
        self.scheduled = fmt_dt(interview.scheduled_at, self.tz)
        self.started, self.completed = fmt_dt(data["started_at"], self.tz), fmt_dt(data["completed_at"], self.tz)
        self.duration = interview.duration_minutes
        self.scoring_status, self.scoring_error = data["scoring_status"] or "", data["scoring_error"] or ""
        self.score = data["score"] if data["score"] is not None else -1
        self.verdict, self.ai_verdict = data["verdict"] or "", data["ai_verdict"] or ""
        report = data["report"] or {}
        thresholds = report.get("thresholds") or {}
        self.pass_mark, self.review_mark = int(thresholds.get("pass", 70)), int(thresholds.get("review", 50))
        self.quality_gate = list(report.get("quality_gate") or [])
        self.analysis_label, self.provider = report.get("analysis_label", ""), report.get("provider", "")
        if not self.provider:
            self.provider = queries.analysis_provider(session, actor, interview.company_id)
        self.formula = report.get("formula", "")
        override = data["override"] or {}
        self.override_verdict, self.override_reason = override.get("verdict", ""), override.get("reason", "")
        self.override_by = queries.user_name(session, actor, override.get("by")) if override else ""
        self.override_at = fmt_dt(override.get("at"), self.tz) if override else ""
        self.questions = [_question(item) for item in report.get("questions") or []]
        self.transcript = [TranscriptLine(
            at=mmss(e["started_ms"]), speaker="Interviewer" if e["speaker"] == "interviewer" else "Candidate",
            kind=e["kind"].replace("_", "-"), text=e["text"],
            confidence="" if e["confidence"] is None else f"{e['confidence']:.2f}",
            low=e["confidence"] is not None and e["confidence"] < LOW_CONFIDENCE, typed=e["source"] == "typed")
            for e in data["transcript"]]
        start = as_aware(interview.started_at) if interview.started_at else None
        self.signals = [SignalRow(
            label=SIGNAL_LABELS.get(s["kind"], s["kind"].replace("_", " ")), kind=s["kind"],
            at=fmt_dt(s["occurred_at"], self.tz),
            offset=mmss((as_aware(datetime.fromisoformat(s["occurred_at"])) - start).total_seconds() * 1000)
            if start else "", detail=_detail(s["detail"])) for s in data["signals"]]
        fairness = report.get("fairness") or {}
        self.fairness_note = fairness.get("note", "")
        self.redacted = [f"{n} {k.replace('_', ' ')}" for k, n in (fairness.get("redacted") or {}).items() if n]
        self.loaded = True

    @rx.event
    def load(self):
        self.loaded, self.o_open = False, False
        self.interview_id = self._route_id()
        if not self.interview_id:
            return [rx.toast.error("Interview not found."), rx.redirect("/interviews")]
        return rx.call_script(TZ_JS, callback=ReportState.open_with_tz)

    @rx.event
    def open_with_tz(self, tz: str):
        self._accept_tz(tz)
        result = self._open_page(self._load, fallback="/interviews")
        if self.loaded and self.scoring_pending:
            return [*(result if isinstance(result, list) else [result] if result else []), ReportState.watch_scoring]
        return result

    @rx.var
    def scoring_pending(self) -> bool:
        return self.status == "completed" and self.scoring_status in ("", "running")

    @rx.event(background=True)
    async def watch_scoring(self):
        deadline = time.monotonic() + POLL_LIMIT_SECONDS
        async with self:
            watched = self.interview_id
        while time.monotonic() < deadline:
            await asyncio.sleep(POLL_SECONDS)
            async with self:
                if self.interview_id != watched or not self.loaded:
                    return
                try:
                    self._call(self._load)
                except (SessionEnded, E.DomainError):
                    return
                if not self.scoring_pending:
                    return

    # --- verdict override -----------------------------------------------------------------

    @rx.event
    def open_override(self):
        self.o_verdict = self.verdict or Verdict.REVIEW.value
        self.o_reason, self.o_error, self.o_open = "", "", True

    @rx.event
    def set_o_open(self, value: bool):
        self.o_open = value

    @rx.event
    def set_o_verdict(self, value: str):
        self.o_verdict = value

    @rx.event
    def set_o_reason(self, value: str):
        self.o_reason = value

    @rx.event
    def save_override(self):
        self.o_error = ""
        reason = self.o_reason.strip()
        if len(reason) < 5:
            self.o_error = "Explain the decision (at least 5 characters); it is kept in the audit log."
            return None
        try:
            verdict = Verdict(self.o_verdict)
        except ValueError:
            self.o_error = "Choose a verdict."
            return None

        def _work(session: Session, actor: Actor):
            try:
                scoring.override_verdict(session, actor, uuid.UUID(self.interview_id), verdict, reason)
            except E.DomainError as exc:
                self.o_error = exc.message
                raise
            session.flush()
            self._load(session, actor)
            self.o_open = False
            return rx.toast.success(f"Verdict set to {verdict.value}.")

        result = self._run(_work)
        return None if self.o_error else result
