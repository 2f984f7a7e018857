"""Interview scoring (``process_interview``, high queue, 10 min): per-question scores with the
transcript quotes they rest on, a weighted 0-100 total, and a PASS / REVIEW / FAIL verdict by the
company's thresholds. A transcript too poor to judge gets REVIEW with the reason, never PASS or
FAIL. Idempotent: a second run (or a run racing the first) leaves the first result in place."""

from __future__ import annotations

import uuid
from typing import Any

from sqlmodel import Session, col, select

from interviewer.core import errors as E
from interviewer.core.security import utcnow
from interviewer.live.latency import summarise as summarise_turn_latency
from interviewer.models import (Candidate, Interview, InterviewScore, InterviewStatus, JobTemplate, Question, TranscriptEntry,
                                User, UserRole, Verdict)
from interviewer.services import audit
from interviewer.services.ai.judgement import NOT_JUDGED_FLAGS, PointAssessment, doubt_subject, review_reasons
from interviewer.services.ai_config import config_for_company, provider_for_company
from interviewer.services.authz import Actor
from interviewer.services.email import queue_email
from interviewer.services.interviews import effective_verdict
from interviewer.services.mail_render import app_url
from interviewer.services.live_interview_view import load_questions

MIN_TOTAL_WORDS = 40  # below: too short to judge
MIN_CONFIDENCE = 0.55  # mean speech-to-text confidence below: unreliable transcript
MIN_SPEECH_RATIO = 0.10  # share of the interview with candidate speech below: mostly silence
MIN_ANSWERED_SHARE = 0.5  # fewer questions answered than this: incomplete


def _answers(entries: list[TranscriptEntry]) -> dict[int, list[TranscriptEntry]]:
    by_question: dict[int, list[TranscriptEntry]] = {}
    for entry in entries:
        if entry.speaker == "candidate" and entry.kind == "answer" and entry.text.strip():
            by_question.setdefault(entry.question_index, []).append(entry)
    return by_question


def build_transcript(session: Session, interview_id: uuid.UUID) -> str:
    entries = session.exec(select(TranscriptEntry).where(TranscriptEntry.interview_id == interview_id)
                           .order_by(TranscriptEntry.seq)).all()
    lines = []
    for e in entries:
        stamp = f"[{e.started_ms // 60000:02d}:{e.started_ms // 1000 % 60:02d}] " if e.started_ms is not None else ""
        who = "Interviewer" if e.speaker == "interviewer" else "Candidate"
        lines.append(f"{stamp}{who}: {e.text}")
    return "\n".join(lines)


def _voiced_ms(entry: TranscriptEntry) -> float:
    """Time the candidate actually spoke in an utterance: its span times the VAD's voiced share
    (the whole span when the share is unknown, e.g. rows from before it was recorded)."""
    span = max(0, (entry.ended_ms or 0) - (entry.started_ms or 0))
    return span * entry.speech_ratio if entry.speech_ratio is not None else span


def quality_gate(interview: Interview, entries: list[TranscriptEntry], asked: int) -> list[str]:
    """Reasons the transcript is too poor for an automatic PASS or FAIL (empty when it is fine)."""
    answers = [e for group in _answers(entries).values() for e in group]
    reasons = []
    words = sum(len(e.text.split()) for e in answers)
    if words < MIN_TOTAL_WORDS:
        reasons.append(f"too short: the candidate said {words} words in all (at least {MIN_TOTAL_WORDS} needed)")
    confidences = [e.confidence for e in answers if e.confidence is not None]
    if confidences and sum(confidences) / len(confidences) < MIN_CONFIDENCE:
        reasons.append(f"unclear audio: the speech-to-text was on average only "
                       f"{sum(confidences) / len(confidences):.0%} sure of the words it wrote down")
    if interview.started_at and interview.completed_at:
        total_ms = (interview.completed_at - interview.started_at).total_seconds() * 1000
        spoken = sum(_voiced_ms(e) for e in answers if e.source != "typed")
        typed = any(e.source == "typed" for e in answers)
        if total_ms > 60_000 and not typed and spoken / total_ms < MIN_SPEECH_RATIO:
            reasons.append(f"mostly silence: speech in {spoken / total_ms:.0%} of the interview")
    answered = len(_answers(entries))
    if asked and answered / asked < MIN_ANSWERED_SHARE:
        reasons.append(f"incomplete: {answered} of {asked} questions answered")
    return reasons


def _claim(session: Session, interview_id: uuid.UUID, *, force: bool) -> Interview | None:
    interview = session.get(Interview, interview_id, with_for_update=True)
    if interview is None or interview.status != InterviewStatus.COMPLETED:
        return None
    if not force and interview.scoring_status == "completed" and interview.verdict is not None:
        return None  # already scored: running the job twice gives one result
    interview.scoring_status, interview.scoring_error = "running", None
    return interview


def score_interview(interview_id: uuid.UUID, *, rescore_reason: str | None = None,
                    requested_by: uuid.UUID | None = None, request_id: str | None = None) -> dict[str, Any] | None:
    """The job body: score a completed interview (``rescore_reason`` given: score it again, keeping
    the earlier reports in ``interview_scores``). Returns the report, or None when there was nothing
    to do."""
    from interviewer.db import session_scope

    force = rescore_reason is not None
    with session_scope() as session:
        if request_id and session.exec(select(InterviewScore.id).where(
                InterviewScore.interview_id == interview_id, InterviewScore.request_id == request_id)).first():
            return None  # this re-score request was written already (a redelivered job)
        interview = _claim(session, interview_id, force=force)
        if interview is None:
            return None
        questions = load_questions(session, interview)  # the order the live interview asked them in
        entries = list(session.exec(select(TranscriptEntry).where(TranscriptEntry.interview_id == interview.id)
                                    .order_by(TranscriptEntry.seq)))
        candidate = session.get(Candidate, interview.candidate_id)
        config = config_for_company(session, interview.company_id)
        provider = provider_for_company(session, interview.company_id)
        candidate_name = candidate.name if candidate else ""
    # The rows stay readable after the session closes (expire_on_commit=False); no lock is held
    # while the provider works.
    try:
        report = _assess(interview, questions, entries, candidate_name, provider, config)
    except Exception as exc:  # never leave the interview "running": a later run or re-score must be possible
        message = f"{exc.code}: {exc.message}" if isinstance(exc, E.DomainError) else f"{type(exc).__name__}: {exc}"
        with session_scope() as session:
            row = session.get(Interview, interview_id, with_for_update=True)
            row.scoring_status = "completed" if force and row.verdict is not None else "failed"
            row.scoring_error = message[:2000]
        raise
    with session_scope() as session:
        row = session.get(Interview, interview_id, with_for_update=True)
        if not force and row.scoring_status == "completed" and row.verdict is not None:
            return row.ai_report  # a concurrent run finished first
        previous = (row.score, row.verdict.value if row.verdict else None)
        version = _keep_history(session, row)
        report = {**report, "version": version, "rescore_reason": rescore_reason}
        row.score, row.verdict, row.ai_report = report["score"], Verdict(report["verdict"]), report
        row.scoring_status, row.scoring_error = "completed", None
        row.transcript = build_transcript(session, row.id)
        session.add(InterviewScore(interview_id=row.id, company_id=row.company_id, version=version,
                                   score=report["score"], verdict=Verdict(report["verdict"]),
                                   provider=report["scorer"]["provider"][:50], model=report["scorer"]["model"][:100],
                                   scorer_version=report["scorer"]["version"][:50], report=report,
                                   reason=rescore_reason, requested_by=requested_by, request_id=request_id))
        if force:
            audit.record(session, actor=None, action="interview.rescored", entity_type="interview", entity_id=row.id,
                         company_id=row.company_id,
                         details={"version": version, "from": {"score": previous[0], "verdict": previous[1]},
                                  "to": {"score": row.score, "verdict": row.verdict.value},
                                  "reason": rescore_reason, "requested_by": str(requested_by) if requested_by else None})
        else:
            audit.record(session, actor=None, action="interview.scored", entity_type="interview", entity_id=row.id,
                         company_id=row.company_id, details={"score": row.score, "verdict": row.verdict.value})
            _notify(session, row)
    return report


def _keep_history(session: Session, interview: Interview) -> int:
    """The version number of the report about to be written. A report written before reports had a
    history (no row yet) is kept as version 1 first."""
    versions = list(session.exec(select(InterviewScore.version).where(InterviewScore.interview_id == interview.id)))
    if not versions and interview.ai_report and interview.verdict is not None:
        old = interview.ai_report
        scorer = old.get("scorer") or {}
        session.add(InterviewScore(interview_id=interview.id, company_id=interview.company_id, version=1,
                                   score=interview.score or 0, verdict=interview.verdict,
                                   provider=str(scorer.get("provider") or old.get("provider") or "unknown")[:50],
                                   model=str(scorer.get("model") or "unknown")[:100],
                                   scorer_version=str(scorer.get("version") or "before versioning")[:50],
                                   report={**old, "version": 1}))
        session.flush()
        versions = [1]
    return max(versions, default=0) + 1


def _doubt_review(per_question: list[dict[str, Any]], doubt_range: list[float], weights: int, thresholds
                  ) -> list[str]:
    """A person decides when the verdict rests on readings the judge doubts: had the doubted points
    been read as contradicted, or as covered, the verdict would differ."""
    if not weights:
        return []
    low, high = (round(100 * x / weights) for x in doubt_range)
    if thresholds.verdict(low) == thresholds.verdict(high):
        return []
    where = [f"question {q['number']}" for q in per_question if q.get("score_if_doubts")]
    doubts = [p["doubt"] for q in per_question for p in q.get("points") or [] if p.get("doubt")]
    return [f"the verdict depends on {len(doubts)} doubtful reading(s) of {doubt_subject(doubts)} "
            f"({', '.join(where)}): read as contradicted the score would be {low}, as covered {high}; "
            "read the quoted sentences"]


def _judge_question(provider, question: Question, text: str, candidate_name: str) -> tuple[dict[str, Any], dict]:
    """One answered question: the provider's per-point judgement and everything derived from it."""
    outcome = provider.score_answer(question.text, question.key_points, text, candidate_names=[candidate_name],
                                    red_flags=list(question.red_flags or []))
    assessment = outcome.result
    points = [p.model_dump() for p in assessment.points]
    for p in points:  # a quote that is not in the stored answer is never shown
        p["quotes"] = [q for q in p["quotes"] if q and q in text]
    checked = assessment.model_copy(update={"points": [PointAssessment.model_validate(p) for p in points]})
    review = review_reasons(checked)
    flags = list(assessment.flags) + (["evidence_missing"] if checked.unsupported_points() else [])
    item = {"status": "answered", "score": checked.score, "answer": text, "points": points,
            "evidence": checked.evidence_quotes, "covered_points": checked.covered_points,
            "partial_points": checked.partial_points, "missed_points": checked.missed_points,
            "contradicted_points": [p.point for p in checked.points if p.contradiction],
            "flags": flags, "rationale": assessment.rationale, "provider": outcome.provider,
            "model": outcome.model, "fallback_reason": outcome.fallback_reason, "review_reasons": review}
    if any(p.doubt for p in checked.points):
        # what the score would be had each doubted point been read as contradicted, or as covered
        item["score_if_doubts"] = {"contradicted": checked.score_with_doubts_as(True),
                                   "covered": checked.score_with_doubts_as(False)}
    return item, outcome.redaction.counts


def scorer_version(provider_name: str) -> str:
    """What a stored score records as its scorer's version: the offline judge's, else the prompt's."""
    from interviewer.services.ai.offline.answer_scoring import SCORER_VERSION
    from interviewer.services.ai.prompts import PROMPT_VERSION

    return SCORER_VERSION if provider_name == "offline" else PROMPT_VERSION


def _assess(interview: Interview, questions: list[Question], entries: list[TranscriptEntry], candidate_name: str,
            provider, config) -> dict[str, Any]:
    from interviewer.services.ai.judgement import SCORE_RULE

    answers = _answers(entries)
    asked_indexes = {e.question_index for e in entries if e.kind == "question"} | set(answers)
    per_question, weighted, weights = [], 0.0, 0
    doubt_range = [0.0, 0.0]  # the weighted sum with every doubted point read as contradicted / as covered
    redactions: dict[str, int] = {}
    follow_ups: dict[int, list[str]] = {}
    evidence_review: list[str] = []
    used: set[tuple[str, str]] = set()
    for e in entries:
        if e.kind == "follow_up":
            follow_ups.setdefault(e.question_index, []).append(e.text)
    for index, question in enumerate(questions):
        item = {"index": index, "number": index + 1, "question_id": str(question.id), "question": question.text,
                "weight": question.weight, "key_points": list(question.key_points),
                "red_flags": list(question.red_flags or []), "follow_ups": follow_ups.get(index, [])}
        nothing = {"evidence": [], "covered_points": [], "partial_points": [], "missed_points": list(question.key_points),
                   "points": [{"point": kp, "status": "missed", "quotes": [], "contradiction": None, "note": ""}
                              for kp in question.key_points]}
        if index not in asked_indexes:
            per_question.append({**item, **nothing, "status": "not asked", "score": None})
            continue
        text = " ".join(e.text.strip() for e in answers.get(index, []))
        weights += question.weight
        if not text:
            per_question.append({**item, **nothing, "status": "not answered", "score": 0.0})
            continue
        if not [kp for kp in question.key_points if kp.strip()]:
            # nothing to judge against: no score is invented, a person decides
            evidence_review.append(f"question {index + 1}: has no key points to judge the answer against")
            weights -= question.weight
            per_question.append({**item, **nothing, "status": "answered", "score": 0.0, "answer": text,
                                 "flags": ["no_key_points"],
                                 "review_reasons": ["the question has no key points to judge the answer against"],
                                 "rationale": "Not judged: the question has no key points."})
            continue
        judged, counts = _judge_question(provider, question, text, candidate_name)
        for category, n in counts.items():
            redactions[category] = redactions.get(category, 0) + n
        used.add((judged["provider"], judged["model"]))
        evidence_review += [f"question {index + 1}: {reason}" for reason in judged["review_reasons"]]
        if NOT_JUDGED_FLAGS & set(judged.get("flags") or []):
            weights -= question.weight  # nobody judged it: a person reads it, the total leaves it out
        else:
            weighted += judged["score"] / 5 * question.weight
            doubted = judged.get("score_if_doubts") or {"contradicted": judged["score"], "covered": judged["score"]}
            doubt_range[0] += doubted["contradicted"] / 5 * question.weight
            doubt_range[1] += doubted["covered"] / 5 * question.weight
        per_question.append({**item, **judged})
    total = round(100 * weighted / weights) if weights else 0
    gate = quality_gate(interview, entries, len(asked_indexes & set(range(len(questions)))) or len(questions))
    gate += evidence_review
    gate += _doubt_review(per_question, doubt_range, weights, config.thresholds)
    verdict = "REVIEW" if gate else config.thresholds.verdict(total)
    used_list = sorted(used) or [(provider.name, provider.model)]
    name = "+".join(sorted({u[0] for u in used_list}))
    return {
        "score": total, "verdict": verdict, "quality_gate": gate,
        "thresholds": {"pass": config.thresholds.pass_, "review": config.thresholds.review},
        "formula": "sum(score_i / 5 * weight_i) / sum(weight_i) * 100 over the questions asked; "
                   "unanswered questions count 0; questions not asked, and answers left to a person (not "
                   "judged), are left out",
        "score_rule": SCORE_RULE,
        "questions": per_question, "provider": name,
        "scorer": {"provider": name, "model": ", ".join(sorted({u[1] for u in used_list})),
                   "version": scorer_version(name)},
        "analysis_label": "offline analysis" if name == "offline" else f"AI analysis ({name})",
        "fairness": {"redacted": redactions,
                     "note": "Names, emails, phone numbers, addresses and gendered words were removed from "
                             "every text sent to the AI provider."},
        "scored_at": utcnow().isoformat(),
    }


def _notify(session: Session, interview: Interview) -> None:
    """Tell the company's HR and the assigned employees that the verdict is ready."""
    candidate = session.get(Candidate, interview.candidate_id)
    job = session.get(JobTemplate, interview.job_template_id) if interview.job_template_id else None
    recipients = {u.email for u in session.exec(select(User).where(User.company_id == interview.company_id,
                                                                   User.role == UserRole.HR, col(User.is_active)))}
    for user_id in {interview.interviewer_id, candidate.assigned_to if candidate else None} - {None}:
        user = session.get(User, user_id)
        if user is not None and user.is_active:
            recipients.add(user.email)
    for email in sorted(recipients):
        queue_email(session, to=email, kind="verdict_ready", company_id=interview.company_id,
                    subject=f"Interview result: {candidate.name if candidate else 'candidate'} — {interview.verdict.value}",
                    body_text=(f"The interview of {candidate.name if candidate else 'a candidate'}"
                               f"{' for ' + job.title if job else ''} was scored {interview.score}/100: "
                               f"{interview.verdict.value}.\nOpen the report: {app_url(f'/interviews/{interview.id}')}\n"))


OVERRIDE_REASON_MIN, OVERRIDE_REASON_MAX = 5, 2000


def override_verdict(session: Session, actor: Actor, interview_id: uuid.UUID, verdict: Verdict, reason: str) -> Interview:
    actor.require("verdicts:override")
    from interviewer.services.interviews import get_interview

    get_interview(session, actor, interview_id)  # tenancy and employee scope, like every read
    interview = session.get(Interview, interview_id, with_for_update=True, populate_existing=True)
    if interview.verdict is None:
        raise E.ConflictError("The interview has no verdict to override yet.", code="VERDICT_409")
    reason = (reason or "").strip()
    if len(reason) < OVERRIDE_REASON_MIN:
        raise E.ValidationError(f"Give a reason for the override (at least {OVERRIDE_REASON_MIN} characters).",
                                code="VERDICT_422")
    if len(reason) > OVERRIDE_REASON_MAX:
        raise E.ValidationError(f"The reason is too long ({len(reason)} characters); keep it to "
                                f"{OVERRIDE_REASON_MAX} characters.", code="VERDICT_422")
    current = effective_verdict(interview)
    if verdict == current:
        raise E.ValidationError(f"The verdict is already {current.value}; choose a different verdict to override it.",
                                code="VERDICT_422")
    previous = current.value
    interview.verdict_override, interview.override_reason = verdict, reason
    interview.overridden_by, interview.overridden_at = actor.id, utcnow()
    audit.record(session, actor=actor, action="interview.verdict_override", entity_type="interview",
                 entity_id=interview.id, company_id=interview.company_id,
                 details={"from": previous, "to": verdict.value, "ai_verdict": interview.verdict.value, "reason": reason})
    return interview


def time_spent_seconds(interview: Interview, entries: list[TranscriptEntry]) -> int | None:
    """How long the candidate actually spent in the interview: from starting to completing it, or,
    when one of those times is missing (e.g. an older or imported record), up to the end of the
    last transcript line. None when nothing says (not started yet)."""
    if interview.started_at and interview.completed_at:
        return max(0, round((interview.completed_at - interview.started_at).total_seconds()))
    ends = [e.ended_ms if e.ended_ms is not None else e.started_ms for e in entries]
    ends = [ms for ms in ends if ms is not None]
    if ends and interview.status == InterviewStatus.COMPLETED:
        return round(max(ends) / 1000)
    return None


def report_public(session: Session, interview: Interview) -> dict[str, Any]:
    """What HR and the assigned employees see: verdict (and override), scores with evidence,
    the timed transcript and the integrity signals."""
    from interviewer.models import IntegritySignal

    entries = session.exec(select(TranscriptEntry).where(TranscriptEntry.interview_id == interview.id)
                           .order_by(TranscriptEntry.seq)).all()
    signals = session.exec(select(IntegritySignal).where(IntegritySignal.interview_id == interview.id)
                           .order_by(IntegritySignal.occurred_at)).all()
    return {
        "interview_id": str(interview.id), "status": interview.status.value,
        "scoring_status": interview.scoring_status, "scoring_error": interview.scoring_error,
        "score": interview.score, "ai_verdict": interview.verdict.value if interview.verdict else None,
        "verdict": final.value if (final := effective_verdict(interview)) else None,
        "override": ({"verdict": interview.verdict_override.value, "reason": interview.override_reason,
                      "by": str(interview.overridden_by), "at": interview.overridden_at.isoformat()}
                     if interview.verdict_override else None),
        "report": interview.ai_report,
        # The detailed report and/or the words were purged under the company's retention period.
        "report_removed": interview.ai_report is None and interview.verdict is not None,
        "transcript": [{"seq": e.seq, "question_index": e.question_index, "kind": e.kind, "speaker": e.speaker,
                        "text": e.text, "started_ms": e.started_ms, "ended_ms": e.ended_ms,
                        "confidence": e.confidence, "source": e.source} for e in entries],
        "signals": [{"kind": s.kind, "detail": s.detail, "occurred_at": s.occurred_at.isoformat()} for s in signals],
        "started_at": interview.started_at.isoformat() if interview.started_at else None,
        "completed_at": interview.completed_at.isoformat() if interview.completed_at else None,
        "time_spent_seconds": time_spent_seconds(interview, list(entries)),
        "turn_latency": summarise_turn_latency([e.latency for e in entries if e.latency]),
    }


def request_rescore(session: Session, actor: Actor, interview_id: uuid.UUID, reason: str) -> dict[str, Any]:
    """HR asks for the interview to be scored again (e.g. after fixing key points). The earlier
    report stays in the history; the new one becomes current when the job finishes."""
    actor.require("verdicts:override")
    from interviewer.jobs.queue import enqueue_after_commit
    from interviewer.services.interviews import get_interview

    get_interview(session, actor, interview_id)  # tenancy and read scope
    interview = session.get(Interview, interview_id, with_for_update=True, populate_existing=True)
    if interview.status != InterviewStatus.COMPLETED or interview.verdict is None:
        raise E.ConflictError("Only a scored interview can be scored again.", code="VERDICT_409")
    if interview.scoring_status in ("queued", "running"):
        raise E.ConflictError("The interview is being scored already.", code="VERDICT_409")
    if not session.exec(select(TranscriptEntry.id).where(TranscriptEntry.interview_id == interview.id,
                                                         TranscriptEntry.speaker == "candidate").limit(1)).first():
        raise E.ConflictError("The answers of this interview are no longer kept (the company's retention "
                              "period), so it cannot be scored again.", code="VERDICT_409")
    reason = (reason or "").strip()
    if len(reason) < 5:
        raise E.ValidationError("Say why the interview is scored again (at least 5 characters).", code="VERDICT_422")
    interview.scoring_status = "queued"
    session.add(interview)
    audit.record(session, actor=actor, action="interview.rescore_requested", entity_type="interview",
                 entity_id=interview.id, company_id=interview.company_id,
                 details={"reason": reason[:2000], "current": {"score": interview.score,
                                                               "verdict": interview.verdict.value}})
    request_id = uuid.uuid4().hex
    enqueue_after_commit(session, "rescore_interview", str(interview.id), reason[:2000], str(actor.id), request_id,
                         job_id=f"rescore-{interview.id}-{request_id}")
    return {"interview_id": str(interview.id), "scoring_status": "queued"}


def score_history(session: Session, actor: Actor, interview_id: uuid.UUID) -> list[dict[str, Any]]:
    """Every report of the interview, newest first (tenancy and read scope as for the report)."""
    from interviewer.services.interviews import get_interview

    get_interview(session, actor, interview_id)
    rows = session.exec(select(InterviewScore).where(InterviewScore.interview_id == interview_id)
                        .order_by(col(InterviewScore.version).desc())).all()
    return [{"version": r.version, "score": r.score, "verdict": r.verdict.value, "provider": r.provider,
             "model": r.model, "scorer_version": r.scorer_version, "reason": r.reason,
             "requested_by": str(r.requested_by) if r.requested_by else None,
             "created_at": r.created_at.isoformat(), "report": r.report} for r in rows]
