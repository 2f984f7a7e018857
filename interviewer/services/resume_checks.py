"""ATS resume checks (spec 2.3.3, 5.7): a candidate checks their own resume, or HR checks one of
their company's candidates. The upload is validated and its text extracted in the request (so a
bad file gets a clear 4xx at once); the ``analyze_resume`` job runs the AI provider."""

from __future__ import annotations

import uuid

from sqlmodel import Session, col, select

from interviewer.core import errors as E
from interviewer.core.security import utcnow
from interviewer.core.wording import plural
from interviewer.jobs.queue import enqueue_after_commit
from interviewer.models import Candidate, JobRunStatus, ResumeCheck, UserRole
from interviewer.services import audit, storage
from interviewer.services.ai.extract import extract_text
from interviewer.services.ai.provider import AIProviderError
from interviewer.services import job_fit
from interviewer.services.ai.ats_offline import FORMAT_SECTIONS, format_score, with_fit
from interviewer.services.ai.offline import matching
from interviewer.services.ai.schemas import SECTION_KEYS, ATSResult
from interviewer.services.ai_config import provider_for_company
from interviewer.services.authz import Actor
from interviewer.services.candidates import get_candidate

MAX_JOB_DESCRIPTION = 20_000


def create_check(session: Session, actor: Actor, *, data: bytes, filename: str, content_type: str | None,
                 job_description: str | None = None, candidate_id: uuid.UUID | None = None) -> ResumeCheck:
    if job_description and len(job_description) > MAX_JOB_DESCRIPTION:
        raise E.ValidationError(f"The job description is longer than {MAX_JOB_DESCRIPTION} characters.")
    company_id = None
    if candidate_id is not None:
        actor.require("candidates:write")
        candidate = get_candidate(session, actor, candidate_id)
        company_id = candidate.company_id
    elif actor.role == UserRole.CANDIDATE:
        actor.require("ats:check")
    else:
        raise E.ValidationError("candidate_id is required when staff run an ATS check.")
    document = extract_text(data, filename or "resume", content_type)  # 4xx on bad files
    owner = company_id or actor.id
    key = storage.save(data, kind="checks", company_id=owner, ext=document.format)
    text_key = storage.save(document.text.encode(), kind="checks", company_id=owner, ext="txt")
    storage.delete_after_rollback(session, key)
    storage.delete_after_rollback(session, text_key)
    check = ResumeCheck(user_id=actor.id, candidate_id=candidate_id, company_id=company_id,
                        filename=(filename or "resume")[:255], file_path=f"{key}|{text_key}",
                        job_description=(job_description or "").strip() or None)
    session.add(check)
    session.flush()
    enqueue_after_commit(session, "analyze_resume", str(check.id), job_id=f"ats-{check.id}")
    return check


def get_check(session: Session, actor: Actor, check_id: uuid.UUID) -> ResumeCheck:
    """Your own checks; staff also see the checks of candidates they may see."""
    check = session.get(ResumeCheck, check_id)
    if check is None or (check.user_id != actor.id and not actor.is_admin and check.candidate_id is None):
        raise E.NotFoundError("Resume check not found.", code="ATS_404")
    if check.user_id != actor.id and check.candidate_id is not None:
        try:
            get_candidate(session, actor, check.candidate_id)  # tenancy and employee scope
        except (E.NotFoundError, E.PermissionDeniedError):
            raise E.NotFoundError("Resume check not found.", code="ATS_404") from None
    return check


def list_checks(session: Session, actor: Actor, *, candidate_id: uuid.UUID | None = None,
                limit: int = 20) -> list[ResumeCheck]:
    query = select(ResumeCheck).order_by(col(ResumeCheck.created_at).desc()).limit(limit)
    if candidate_id is not None:
        get_candidate(session, actor, candidate_id)  # tenancy and scope
        query = query.where(ResumeCheck.candidate_id == candidate_id)
    else:
        query = query.where(ResumeCheck.user_id == actor.id)
    return list(session.exec(query))


def _text_of(check: ResumeCheck) -> str:
    _, _, text_key = check.file_path.partition("|")
    return storage.read(text_key).decode("utf-8", errors="replace")


def start(session: Session, check_id: uuid.UUID) -> tuple[str, str | None, uuid.UUID | None, list[str]] | None:
    """Job step 1: mark running and return what the provider needs (None when nothing is left to do)."""
    check = session.get(ResumeCheck, check_id, with_for_update=True)
    if check is None or check.status == JobRunStatus.COMPLETED:
        return None
    check.status = JobRunStatus.RUNNING
    names = []
    if check.candidate_id and (cand := session.get(Candidate, check.candidate_id)):
        names.append(cand.name)
    return _text_of(check), check.job_description, check.company_id, names


def analyze(session: Session, check_id: uuid.UUID, text: str, job_description: str | None,
            company_id: uuid.UUID | None, names: list[str]) -> dict:
    """Job step 2 (no row lock held while the provider works)."""
    provider = provider_for_company(session, company_id)
    outcome = provider.analyze_resume(text, job_description, candidate_names=names).to_dict()
    result = ATSResult.model_validate(outcome["result"])
    posting = (job_description or "").strip()
    profiles = (matching.profile_document(text), matching.profile_document(posting, role="job")) if posting else None
    if profiles is not None and profiles[0].english and profiles[1].english:
        # One judgement of fit for every provider: the keyword part of the score, the keywords
        # and the fit shown beside them all come from the matcher, on the candidate's own text.
        result = with_fit(result, matching.match_profiles(*profiles))
        outcome["result"] = result.model_dump(mode="json")
    outcome["measures"] = measures(text, job_description, result, profiles)
    return outcome


def measures(text: str, job_description: str | None, result: ATSResult,
             profiles: tuple[matching.DocProfile, matching.DocProfile] | None = None) -> dict:
    """The two numbers an ATS check mixes, shown apart with their own explanation: the resume's
    format/readability (whatever the job) and its fit to the posting (the job-fit matcher, the same
    judgement that ranks candidates for a job; offline and deterministic for every provider).
    ``profiles``: the resume's and the posting's, when the caller already made them."""
    sections = {k: getattr(result.section_scores, k).score for k in SECTION_KEYS}
    readability = {
        "score": format_score(sections, len(result.formatting_issues)),
        "explanation": (f"From the six sections that do not depend on a job ("
                        + ", ".join(f"{k.replace('_', ' ')} {sections[k]}/5" for k in FORMAT_SECTIONS)
                        + f") and {plural(len(result.formatting_issues), 'formatting issue')}."),
    }
    fit = None
    posting = (job_description or "").strip()
    if posting:
        fit = job_fit.fit_details(*(profiles or (matching.profile_document(text),
                                                 matching.profile_document(posting, role="job"))))
    return {"format": readability, "fit": fit}


def finish(session: Session, check_id: uuid.UUID, outcome: dict | None, error: AIProviderError | None) -> None:
    """Job step 3: store the result (validated against the spec shape) or the failure."""
    check = session.get(ResumeCheck, check_id, with_for_update=True)
    if check is None or check.status == JobRunStatus.COMPLETED:
        return
    check.completed_at = utcnow()
    if error is not None:
        check.status, check.error_code, check.error = JobRunStatus.FAILED, error.code, error.message
        return
    result = ATSResult.model_validate(outcome["result"])
    check.result = result.model_dump(mode="json")
    check.score = result.score
    check.provider = outcome["provider"]
    check.measures = outcome.get("measures")
    check.status = JobRunStatus.COMPLETED
    check.error_code = check.error = None
    if check.candidate_id and (cand := session.get(Candidate, check.candidate_id)):
        cand.ats_score, cand.ats_checked_at = result.score, check.completed_at
        session.add(cand)
    audit.record(session, actor=None, action="ats.completed", entity_type="resume_check", entity_id=check.id,
                 company_id=check.company_id, details={"score": result.score, "provider": check.provider,
                                                       "redaction": outcome.get("redaction")})


def check_public(check: ResumeCheck) -> dict:
    return {"id": str(check.id), "status": check.status.value, "filename": check.filename,
            "candidate_id": str(check.candidate_id) if check.candidate_id else None,
            "provider": check.provider, "analysis_label": "offline analysis" if check.provider == "offline" else
            (f"AI analysis ({check.provider})" if check.provider else None),
            "score": check.score, "result": check.result, "measures": check.measures,
            "error_code": check.error_code, "error": check.error,
            "created_at": check.created_at.isoformat(),
            "completed_at": check.completed_at.isoformat() if check.completed_at else None}
