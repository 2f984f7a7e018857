"""/interviews/[interview_id]: the interview report — verdict (and its override), per-question
judgements (one row per key point with the quotes that decide it), who scored the report and its
earlier versions ("Score again"), the timed transcript, integrity signals and the fairness note.
While scoring is pending or running, a background event refreshes the page."""

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
from interviewer.live.latency import describe as describe_turn_latency
from interviewer.models import Verdict
from interviewer.services import interviews as interview_service
from interviewer.services import scoring
from interviewer.services import ui_hiring_queries as queries
from interviewer.services.authz import Actor
from interviewer.state.assessment_view import analysis_label
from interviewer.state.auth_state import SessionEnded
from interviewer.state.interviews_common_state import TZ_JS, HiringState, as_aware, fmt_dt, mmss
from interviewer.state.report_view import (
    FORMULA_IN_WORDS,
    HistoryRow,
    QuestionReport,
    gate_reason,
    history_rows,
    model_label,
    question_report,
    score_scope,
    signal_detail,
    time_spent,
    verdict_why,
)

POLL_SECONDS = 3.0
POLL_LIMIT_SECONDS = 15 * 60
SIGNAL_LABELS = {"tab_hidden": "Tab hidden", "window_blur": "Window lost focus", "paste": "Pasted text",
                 "long_silence": "Long silence", "mic_failed": "Microphone failed", "typed_mode": "Switched to typing"}
LOW_CONFIDENCE = 0.6


@dataclasses.dataclass
class TranscriptLine:
    at: str = ""
    speaker: str = ""
    kind: str = ""
    text: str = ""
    confidence: str = ""  # '66%' ('' when unknown)
    low: bool = False
    typed: bool = False


@dataclasses.dataclass
class SignalRow:
    label: str = ""
    kind: str = ""
    at: str = ""
    offset: str = ""
    detail: str = ""


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
    duration: int = 0  # minutes booked
    time_spent: str = ""  # the time the candidate really spent ('' when unknown)
    scoring_status: str = ""
    scoring_error: str = ""
    score: int = -1
    verdict: str = ""
    ai_verdict: str = ""
    pass_mark: int = 70
    review_mark: int = 50
    quality_gate: list[str] = []
    report_removed: bool = False  # purged under the company's retention period: verdict and score remain
    why: str = ""  # the verdict's reason in one sentence
    analysis_label: str = ""
    provider: str = ""
    formula: str = ""
    override_verdict: str = ""
    override_reason: str = ""
    override_by: str = ""
    override_at: str = ""
    questions: list[QuestionReport] = []
    score_scope: str = ""  # answers the weighted score leaves out (not judged)
    score_rule: str = ""
    scorer_model: str = ""
    scorer_version: str = ""
    report_version: int = 0
    turn_latency: str = ""  # the live interview's reply times (median and slowest turn)
    scored_at: str = ""
    history: list[HistoryRow] = []
    transcript: list[TranscriptLine] = []
    signals: list[SignalRow] = []
    fairness_note: str = ""
    redacted: list[str] = []

    o_open: bool = False
    o_verdict: str = ""
    o_reason: str = ""
    o_error: str = ""

    r_open: bool = False
    r_reason: str = ""
    r_error: str = ""
    _version_before: int = 0  # the report version when "Score again" was pressed (0: not re-scoring)

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
        self.time_spent = time_spent(data.get("time_spent_seconds"))
        self.turn_latency = describe_turn_latency(data.get("turn_latency"))
        self.scoring_status, self.scoring_error = data["scoring_status"] or "", data["scoring_error"] or ""
        self.score = data["score"] if data["score"] is not None else -1
        self.verdict, self.ai_verdict = data["verdict"] or "", data["ai_verdict"] or ""
        report = data["report"] or {}
        thresholds = report.get("thresholds") or {}
        self.pass_mark, self.review_mark = int(thresholds.get("pass", 70)), int(thresholds.get("review", 50))
        self.quality_gate = [gate_reason(r) for r in report.get("quality_gate") or []]
        self.why = verdict_why(self.score, self.ai_verdict, self.pass_mark, self.review_mark,
                               bool(self.quality_gate))
        self.analysis_label, self.provider = report.get("analysis_label", ""), report.get("provider", "")
        if not self.provider:
            self.provider = queries.analysis_provider(session, actor, interview.company_id)
        self.formula = FORMULA_IN_WORDS if report.get("formula") else ""
        self._load_scoring(session, actor, report)
        override = data["override"] or {}
        self.override_verdict, self.override_reason = override.get("verdict", ""), override.get("reason", "")
        self.override_by = queries.user_name(session, actor, override.get("by")) if override else ""
        self.override_at = fmt_dt(override.get("at"), self.tz) if override else ""
        self.questions = [question_report(item, self.provider) for item in report.get("questions") or []]
        # a report scored before offline-judge-7 counted an answer nobody judged as 0: say nothing then
        self.score_scope = score_scope(self.questions) if "not judged" in (report.get("formula") or "") else ""
        self.report_removed = bool(data.get("report_removed"))
        self.transcript = [TranscriptLine(
            at=mmss(e["started_ms"]), speaker="Interviewer" if e["speaker"] == "interviewer" else "Candidate",
            kind=e["kind"].replace("_", "-"), text=e["text"],
            confidence="" if e["confidence"] is None else f"{e['confidence']:.0%}",
            low=e["confidence"] is not None and e["confidence"] < LOW_CONFIDENCE, typed=e["source"] == "typed")
            for e in data["transcript"]]
        start = as_aware(interview.started_at) if interview.started_at else None
        self.signals = [SignalRow(
            label=SIGNAL_LABELS.get(s["kind"], s["kind"].replace("_", " ")), kind=s["kind"],
            at=fmt_dt(s["occurred_at"], self.tz),
            offset=mmss((as_aware(datetime.fromisoformat(s["occurred_at"])) - start).total_seconds() * 1000)
            if start else "", detail=signal_detail(s["detail"])) for s in data["signals"]]
        fairness = report.get("fairness") or {}
        self.fairness_note = fairness.get("note", "")
        self.redacted = [f"{n} {k.replace('_', ' ')}" for k, n in (fairness.get("redacted") or {}).items() if n]
        self.loaded = True

    def _load_scoring(self, session: Session, actor: Actor, report: dict[str, Any]) -> None:
        """Who scored the current report (provider, model, scorer version, when) and every report
        the interview has had."""
        scorer = report.get("scorer") or {}
        provider = scorer.get("provider") or report.get("provider") or ""
        self.analysis_label = report.get("analysis_label") or analysis_label(provider)
        self.scorer_model = model_label(provider, scorer.get("model") or "") if scorer else ""
        self.scorer_version = scorer.get("version") or ""
        self.scored_at = fmt_dt(report.get("scored_at"), self.tz) if report.get("scored_at") else ""
        self.score_rule = report.get("score_rule") or ""
        history = scoring.score_history(session, actor, uuid.UUID(self.interview_id)) if report else []
        self.report_version = int(report.get("version") or (history[0]["version"] if history else 1 if report else 0))
        self.history = history_rows(history, self.report_version, lambda when: fmt_dt(when, self.tz),
                                    lambda user_id: queries.user_name(session, actor, user_id))

    @rx.event
    def load(self):
        self.loaded, self.o_open, self.r_open, self._version_before = False, False, False, 0
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
    def review_label_shift(self) -> str:
        """Each threshold label sits under its marker on the score bar; when the two marks are
        close the labels lean away from each other, and at the bar's ends they stay inside it."""
        if self.review_mark < 8 or self.pass_mark - self.review_mark < 16:
            return "translateX(-100%)" if self.review_mark >= 8 else "translateX(0)"
        return "translateX(-50%)"

    @rx.var
    def pass_label_shift(self) -> str:
        if self.pass_mark > 92:
            return "translateX(-100%)"
        return "translateX(0)" if self.pass_mark - self.review_mark < 16 else "translateX(-50%)"

    @rx.var
    def scoring_pending(self) -> bool:
        return self.status == "completed" and self.scoring_status in ("", "queued", "running")

    @rx.var
    def rescoring(self) -> bool:
        """A scored interview being scored again: the current report stays on show meanwhile."""
        return self.verdict != "" and self.scoring_status in ("queued", "running")

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
                    outcome = self._rescore_outcome()
                    if outcome is not None:
                        yield outcome
                    return

    def _rescore_outcome(self):
        """The toast that ends a "Score again" (None when the page was not re-scoring)."""
        before, self._version_before = self._version_before, 0
        if not before:
            return None
        if self.report_version > before:
            return rx.toast.success(f"Scored again: report {self.report_version}, {self.score}/100 "
                                    f"({self.ai_verdict.title()}).")
        return rx.toast.error("Scoring again did not finish: " + (self.scoring_error or "see the notice above."))

    # --- score again ----------------------------------------------------------------------

    @rx.event
    def open_rescore(self):
        self.r_reason, self.r_error, self.r_open = "", "", True

    @rx.event
    def set_r_open(self, value: bool):
        self.r_open = value

    @rx.event
    def set_r_reason(self, value: str):
        self.r_reason = value

    @rx.event
    def save_rescore(self):
        if not self.r_open:  # a second click queued behind the first: the dialog is already saved and closed
            return None
        self.r_error = ""
        reason = self.r_reason.strip()
        if len(reason) < 5:
            self.r_error = "Say why the interview is scored again (at least 5 characters); it is kept with the report."
            return None
        if message := self._rate_limited("rescore"):  # the REST rescore's limit, same counter
            self.r_error = message
            return None

        def _work(session: Session, actor: Actor):
            try:
                scoring.request_rescore(session, actor, uuid.UUID(self.interview_id), reason)
            except E.DomainError as exc:
                self.r_error = exc.message
                raise
            self.scoring_status, self.scoring_error = "queued", ""
            self._version_before = self.report_version or 1
            self.r_open = False
            return ReportState.watch_scoring

        result = self._run(_work)
        return None if self.r_error else result

    # --- verdict override -----------------------------------------------------------------

    @rx.event
    def open_override(self):
        self.o_verdict = ""  # nothing pre-selected: saving the current verdict again is no decision
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
        if not self.o_open:  # a second click queued behind the first: the dialog is already saved and closed
            return None
        self.o_error = ""
        reason = self.o_reason  # length rules: scoring.override_verdict (the API applies the same)
        try:
            verdict = Verdict(self.o_verdict)
        except ValueError:
            self.o_error = "Choose the new verdict."
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
