"""AI endpoints (spec 5.7): ATS check, question generation, company AI configuration, verdicts."""

from __future__ import annotations

import time
import uuid
from typing import Annotated, Any, Literal

from fastapi import File, Form, Query, UploadFile, status
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field, SecretStr

from interviewer.api.deps import Token, authed
from interviewer.api.routing import ApiRouter
from interviewer.api.v1.candidates import _read_upload
from interviewer.core import errors as E
from interviewer.models import JobRunStatus, Verdict
from interviewer.services import ai_config, question_generation, resume_checks, rubric_playground, scoring
from interviewer.services.interviews import get_interview

router = ApiRouter(tags=["ai"])
MAX_WAIT_SECONDS = 20


class GenerateRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    job_template_id: uuid.UUID
    count: int = Field(default=5, ge=1, le=question_generation.MAX_COUNT)


class GenerateForJob(BaseModel):
    model_config = ConfigDict(extra="forbid")
    count: int = Field(default=5, ge=1, le=question_generation.MAX_COUNT)


class ThresholdsIn(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)
    pass_: int = Field(alias="pass", ge=0, le=100)
    review: int = Field(ge=0, le=100)


class AIConfigUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    provider: Literal["auto", "gemini", "offline"] | None = None
    model: str | None = Field(default=None, max_length=100)
    api_key: SecretStr | None = Field(default=None, description='a new key; "" removes the stored one')
    custom_prompt: str | None = Field(default=None, max_length=4000)
    thresholds: ThresholdsIn | None = None
    fallback_to_offline: bool | None = None


class Rescore(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reason: str = Field(min_length=5, max_length=2000, description="why the interview is scored again")


class VerdictOverride(BaseModel):
    model_config = ConfigDict(extra="forbid")
    verdict: Verdict
    # Length limits are the service's rule (scoring.OVERRIDE_REASON_MIN/MAX), answered as VERDICT_422.
    reason: str = Field(description=f"Why the verdict changes: {scoring.OVERRIDE_REASON_MIN}-"
                                    f"{scoring.OVERRIDE_REASON_MAX} characters, kept in the audit log.")


def _ats_response(check) -> JSONResponse:
    """The spec's ATS shape when done; 202 with the check's state while it runs."""
    if check.status == JobRunStatus.COMPLETED:
        return JSONResponse(check.result, headers={"X-Analysis-Provider": check.provider or "",
                                                   "X-Resume-Check-Id": str(check.id)})
    if check.status == JobRunStatus.FAILED:
        raise E.DomainError(check.error or "The analysis failed.", code=check.error_code or "AI_502")
    return JSONResponse(resume_checks.check_public(check), status_code=status.HTTP_202_ACCEPTED,
                        headers={"Location": f"/api/v1/ai/ats-check/{check.id}", "Retry-After": "1"})


@router.post("/ai/ats-check", summary="Analyze a resume for ATS compatibility (7 sections, 0-100)",
             responses={202: {"description": "still running; poll the Location"}})
def ats_check(token: Token, resume: Annotated[UploadFile, File()],
              job_description: Annotated[str | None, Form(max_length=20_000)] = None,
              candidate_id: Annotated[uuid.UUID | None, Form(description="staff: the candidate checked")] = None,
              wait: Annotated[int, Query(ge=0, le=MAX_WAIT_SECONDS)] = 15) -> JSONResponse:
    data = _read_upload(resume)
    with authed(token) as (session, actor):
        check = resume_checks.create_check(session, actor, data=data, filename=resume.filename or "resume",
                                           content_type=resume.content_type, job_description=job_description,
                                           candidate_id=candidate_id)
        check_id = check.id
    deadline = time.monotonic() + wait
    while True:
        with authed(token) as (session, actor):
            check = resume_checks.get_check(session, actor, check_id)
        if check.status in (JobRunStatus.COMPLETED, JobRunStatus.FAILED) or time.monotonic() >= deadline:
            return _ats_response(check)
        time.sleep(0.2)


@router.get("/ai/ats-check/{check_id}", summary="The ATS result (spec shape) once the analysis is done")
def ats_result(token: Token, check_id: uuid.UUID) -> JSONResponse:
    with authed(token) as (session, actor):
        return _ats_response(resume_checks.get_check(session, actor, check_id))


@router.get("/ai/ats-checks", summary="Your ATS checks, or a candidate's (staff)")
def ats_checks(token: Token, candidate_id: uuid.UUID | None = None) -> list[dict[str, Any]]:
    with authed(token) as (session, actor):
        return [resume_checks.check_public(c) for c in resume_checks.list_checks(session, actor, candidate_id=candidate_id)]


@router.post("/ai/generate-questions", status_code=status.HTTP_202_ACCEPTED)
def generate_questions(token: Token, body: GenerateRequest) -> dict[str, Any]:
    with authed(token) as (session, actor):
        return question_generation.request_generation(session, actor, body.job_template_id, body.count)


@router.post("/jobs/{job_id}/generate-questions", status_code=status.HTTP_202_ACCEPTED, tags=["jobs"])
def generate_for_job(token: Token, job_id: uuid.UUID, body: GenerateForJob | None = None) -> dict[str, Any]:
    with authed(token) as (session, actor):
        return question_generation.request_generation(session, actor, job_id, (body or GenerateForJob()).count)


@router.get("/ai/tasks/{task_id}", summary="Progress of a question-generation task")
def task_status(token: Token, task_id: str) -> dict[str, Any]:
    with authed(token) as (session, actor):
        return question_generation.task_progress(session, actor, task_id)


@router.get("/ai/config", summary="The company's AI configuration (the key itself is never returned)")
def get_config(token: Token, company_id: uuid.UUID | None = None) -> dict[str, Any]:
    with authed(token) as (session, actor):
        return ai_config.get_ai_config(session, actor, company_id)


@router.put("/ai/config")
def put_config(token: Token, body: AIConfigUpdate, company_id: uuid.UUID | None = None) -> dict[str, Any]:
    changes = body.model_dump(exclude_unset=True, by_alias=True)
    if "api_key" in changes and body.api_key is not None:
        changes["api_key"] = body.api_key.get_secret_value()
    with authed(token) as (session, actor):
        return ai_config.update_ai_config(session, actor, changes, company_id)


@router.get("/interviews/{interview_id}/report", tags=["interviews"], summary="Scores, evidence and verdict")
def interview_report(token: Token, interview_id: uuid.UUID) -> dict[str, Any]:
    with authed(token) as (session, actor):
        interview = get_interview(session, actor, interview_id)
        return scoring.report_public(session, interview)


@router.post("/interviews/{interview_id}/verdict-override", tags=["interviews"])
def verdict_override(token: Token, interview_id: uuid.UUID, body: VerdictOverride) -> dict[str, Any]:
    with authed(token) as (session, actor):
        interview = scoring.override_verdict(session, actor, interview_id, body.verdict, body.reason)
        return scoring.report_public(session, interview)


@router.post("/ai/score-answer", summary="Rubric playground: judge an answer as the interview scorer would",
             description=("Judge `answer` against a question's key points exactly as a scored interview would: "
                          "per key point covered / partly covered / missed with verbatim quotes, and the 0-5 score "
                          "derived from them (`score_rule`). Give `question_id` (a question of your company) or "
                          "`question` + `key_points`. An answer the analysis leaves to a person (flag `story`: a "
                          "story told to a question about the candidate's own experience, which the offline "
                          "analysis does not judge; `not_english`) says why in `review_reasons`; its 0 is not a "
                          "judgement, and an interview's total leaves it out. A point with `doubt` set is a reading "
                          "the offline analysis doubts: a contradiction read from a bare negation (counted as partly "
                          "covered), or a sentence that resembles one of the question's wrong ideas to watch for "
                          "(`red_flags`; not counted, or partly covered when another sentence states the point). "
                          "An interview whose verdict depends on such doubts goes to a person. "
                          "Nothing is stored. Needs `jobs:write`; "
                          "AI rate limit."),
             responses={404: {"description": "question not found (or another company's)"},
                        422: {"description": "invalid input"}, 429: {"description": "AI rate limit"}})
def score_answer(token: Token, body: rubric_playground.TryAnswer) -> dict[str, Any]:
    with authed(token) as (session, actor):
        return rubric_playground.try_answer(session, actor, body)


@router.post("/ai/suggest-wrong-ideas", summary="Suggest wrong ideas to watch for in answers to a question",
             description=("Common wrong ideas about the given key points, one sentence each as a candidate would "
                          "say it, for HR to edit into the question's `red_flags`. Gemini writes them; the offline "
                          "analysis knows only its own question bank (empty list and a `note` otherwise). Nothing "
                          "is stored. Needs `jobs:write`; AI rate limit."),
             responses={422: {"description": "invalid input"}, 429: {"description": "AI rate limit"}})
def suggest_wrong_ideas(token: Token, body: rubric_playground.SuggestIdeas) -> dict[str, Any]:
    with authed(token) as (session, actor):
        return rubric_playground.suggest_wrong_ideas(session, actor, body)


@router.post("/interviews/{interview_id}/rescore", tags=["interviews"], status_code=status.HTTP_202_ACCEPTED,
             summary="Score the interview again (e.g. after fixing key points); the earlier report stays in history")
def rescore(token: Token, interview_id: uuid.UUID, body: Rescore) -> dict[str, Any]:
    with authed(token) as (session, actor):
        return scoring.request_rescore(session, actor, interview_id, body.reason)


@router.get("/interviews/{interview_id}/scores", tags=["interviews"],
            summary="Every report of the interview, newest first (provider, model, scorer version, reason)")
def score_history(token: Token, interview_id: uuid.UUID) -> list[dict[str, Any]]:
    with authed(token) as (session, actor):
        return scoring.score_history(session, actor, interview_id)
