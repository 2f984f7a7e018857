"""Interviews (spec 5.6), employee availability and interview rounds (4.2.7). Thin routers:
every rule lives in services/interviews.py, services/availability.py and services/rounds.py."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any

from fastapi import Header, Path, Query, Response, status
from pydantic import BaseModel

from interviewer.api.deps import FieldsQuery, PagingDep, Token, authed, page_response
from interviewer.api.routing import ApiRouter
from interviewer.db import session_scope
from interviewer.models import InterviewStatus
from interviewer.services import availability as availability_service
from interviewer.services import interviews as interview_service
from interviewer.services import rounds as round_service
from interviewer.services.availability import FreeSlot, SlotCreate, SlotPublic
from interviewer.services.interviews import (
    InterviewCancel,
    InterviewComplete,
    InterviewCreate,
    InterviewPublic,
    InterviewReschedule,
    TokenValidation,
    TranscriptPublic,
)
from interviewer.services.rounds import RoundPlan, RoundPublic, RoundSchedule

router = ApiRouter(tags=["interviews"])
InternalToken = Annotated[str | None, Header(alias="X-Internal-Token", max_length=200,
                                             description="HMAC of the interview id (the interview runner)")]


@router.get("/interviews", response_model=dict[str, Any], summary="List interviews (company-scoped)")
def list_interviews(token: Token, paging: PagingDep, fields: FieldsQuery = None,
                    status_: InterviewStatus | None = Query(default=None, alias="status"),
                    candidate_id: uuid.UUID | None = None, job_template_id: uuid.UUID | None = None,
                    interviewer_id: uuid.UUID | None = None, scheduled_from: datetime | None = None,
                    scheduled_to: datetime | None = None,
                    company_id: uuid.UUID | None = Query(default=None, description="System admin only"),
                    order: str = Query(default="asc", pattern="^(asc|desc)$")) -> Response:
    with authed(token, readonly=True) as (session, actor):
        rows, total = interview_service.list_interviews(
            session, actor, page=paging.page, per_page=paging.per_page, status=status_, candidate_id=candidate_id,
            job_template_id=job_template_id, interviewer_id=interviewer_id, scheduled_from=scheduled_from,
            scheduled_to=scheduled_to, company_id=company_id, descending=order == "desc")
        items = [interview_service.interview_public(i, actor) for i in rows]
        return page_response("interviews", items, total=total, paging=paging, fields=fields,
                             model=InterviewPublic)


@router.post("/interviews", response_model=InterviewPublic, status_code=status.HTTP_201_CREATED,
             summary="Schedule an interview and email the candidate their link")
def schedule_interview(token: Token, body: InterviewCreate) -> InterviewPublic:
    with authed(token) as (session, actor):
        return interview_service.interview_public(interview_service.schedule_interview(session, actor, body), actor)


@router.get("/interviews/validate/{token}", response_model=TokenValidation, summary="Check an interview link (public)")
def validate_token(token: Annotated[str, Path(min_length=1, max_length=255)]) -> TokenValidation:
    with session_scope() as session:
        return TokenValidation.model_validate(interview_service.validate_token(session, token))


@router.get("/interviews/{interview_id}", response_model=InterviewPublic)
def get_interview(token: Token, interview_id: uuid.UUID) -> InterviewPublic:
    with authed(token) as (session, actor):
        return interview_service.interview_public(interview_service.get_interview(session, actor, interview_id), actor)


@router.put("/interviews/{interview_id}/reschedule", response_model=InterviewPublic,
            summary="Move an interview: new token (the old link stops working) and an updated invitation")
def reschedule_interview(token: Token, interview_id: uuid.UUID, body: InterviewReschedule) -> InterviewPublic:
    with authed(token) as (session, actor):
        interview = interview_service.reschedule_interview(session, actor, interview_id, body)
        return interview_service.interview_public(interview, actor)


@router.put("/interviews/{interview_id}/cancel", response_model=InterviewPublic)
def cancel_interview(token: Token, interview_id: uuid.UUID, body: InterviewCancel | None = None) -> InterviewPublic:
    with authed(token) as (session, actor):
        interview = interview_service.cancel_interview(session, actor, interview_id, body.reason if body else None)
        return interview_service.interview_public(interview, actor)


@router.put("/interviews/{interview_id}/complete", response_model=InterviewPublic,
            summary="Mark complete (system: a system admin or the X-Internal-Token holder); idempotent")
def complete_interview(token: Token, interview_id: uuid.UUID, internal_token: InternalToken = None,
                       body: InterviewComplete | None = None) -> InterviewPublic:
    transcript = body.transcript if body else None
    if internal_token is not None:
        with session_scope() as session:
            interview = interview_service.complete_interview(session, interview_id, internal_token=internal_token,
                                                             transcript=transcript)
            return interview_service.interview_public(interview, None)
    with authed(token) as (session, actor):
        interview = interview_service.complete_interview(session, interview_id, actor=actor, transcript=transcript)
        return interview_service.interview_public(interview, actor)


@router.get("/interviews/{interview_id}/transcript", response_model=TranscriptPublic)
def get_transcript(token: Token, interview_id: uuid.UUID) -> TranscriptPublic:
    with authed(token) as (session, actor):
        return TranscriptPublic.model_validate(interview_service.get_transcript(session, actor, interview_id))


# --- availability -------------------------------------------------------------------------------

@router.get("/availability", response_model=list[SlotPublic], tags=["availability"])
def list_availability(token: Token, user_id: uuid.UUID | None = None,
                      from_: datetime | None = Query(default=None, alias="from"),
                      to: datetime | None = None) -> list[SlotPublic]:
    with authed(token) as (session, actor):
        slots = availability_service.list_slots(session, actor, user_id=user_id, start=from_, end=to)
        return [SlotPublic.model_validate(s) for s in slots]


@router.post("/availability", response_model=SlotPublic, status_code=status.HTTP_201_CREATED, tags=["availability"])
def add_availability(token: Token, body: SlotCreate) -> SlotPublic:
    with authed(token) as (session, actor):
        return SlotPublic.model_validate(availability_service.add_slot(session, actor, body))


@router.get("/availability/free-slots", response_model=list[FreeSlot], tags=["availability"],
            summary="Availability minus scheduled interviews, gaps of at least duration_minutes")
def free_slots(token: Token, from_: Annotated[datetime, Query(alias="from")], to: datetime,
               user_id: uuid.UUID | None = None,
               duration_minutes: Annotated[int, Query(ge=5, le=240)] = 30) -> list[FreeSlot]:
    with authed(token) as (session, actor):
        gaps = availability_service.free_slots(session, actor, user_id=user_id, start=from_, end=to,
                                               duration_minutes=duration_minutes)
    return [FreeSlot(starts_at=s, ends_at=e) for s, e in gaps]


@router.delete("/availability/{slot_id}", status_code=status.HTTP_204_NO_CONTENT, response_class=Response,
               tags=["availability"])
def delete_availability(token: Token, slot_id: uuid.UUID) -> Response:
    with authed(token) as (session, actor):
        availability_service.delete_slot(session, actor, slot_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


# --- interview rounds ---------------------------------------------------------------------------

@router.get("/candidates/{candidate_id}/rounds", response_model=list[RoundPublic], tags=["rounds"])
def list_rounds(token: Token, candidate_id: uuid.UUID) -> list[RoundPublic]:
    with authed(token) as (session, actor):
        return [round_service.round_public(r, actor) for r in round_service.list_rounds(session, actor, candidate_id)]


@router.post("/candidates/{candidate_id}/rounds", response_model=list[RoundPublic],
             status_code=status.HTTP_201_CREATED, tags=["rounds"],
             summary="Add rounds to the candidate's plan (numbered after existing ones)")
def plan_rounds(token: Token, candidate_id: uuid.UUID, body: RoundPlan) -> list[RoundPublic]:
    with authed(token) as (session, actor):
        rounds = round_service.plan_rounds(session, actor, candidate_id, body)
        return [round_service.round_public(r, actor) for r in rounds]


@router.post("/candidates/{candidate_id}/rounds/{round_id}/schedule", response_model=RoundPublic, tags=["rounds"],
             summary="Schedule a round's interview (after the previous round is completed)")
def schedule_round(token: Token, candidate_id: uuid.UUID, round_id: uuid.UUID, body: RoundSchedule) -> RoundPublic:
    with authed(token) as (session, actor):
        return round_service.round_public(round_service.schedule_round(session, actor, candidate_id, round_id, body),
                                          actor)


class FeedbackLetter(BaseModel):
    subject: str
    body: str


@router.get("/interviews/{interview_id}/feedback-letter", response_model=dict[str, Any],
            summary="A draft feedback letter from the covered and missed key points, for HR to edit",
            responses={409: {"description": "Feedback letters are off for the company, or the interview has no "
                                            "completed report yet (FEEDBACK_409)."}})
def draft_feedback_letter(token: Token, interview_id: uuid.UUID) -> dict[str, Any]:
    from interviewer.services import feedback

    with authed(token) as (session, actor):
        return feedback.draft(session, actor, interview_id)


@router.post("/interviews/{interview_id}/feedback-letter", response_model=dict[str, Any],
             status_code=status.HTTP_202_ACCEPTED, summary="Send the feedback letter HR edited to the candidate")
def send_feedback_letter(token: Token, interview_id: uuid.UUID, body: FeedbackLetter) -> dict[str, Any]:
    from interviewer.services import feedback

    with authed(token) as (session, actor):
        return feedback.send(session, actor, interview_id, body.subject, body.body)
