"""The recruiting pipeline: which status may follow which, and the history of every change.

Every status a candidate ever had is a ``CandidateStatusHistory`` row (from, to, who, when, note);
creation writes the first one (from ``None``). Other services (interview scheduling) move
candidates through :func:`change_status` with ``actor=None`` ("the system").
"""

from __future__ import annotations

import uuid

from sqlmodel import Session, col, select

from interviewer.core import errors as E
from interviewer.models import Candidate, CandidateStatus, CandidateStatusHistory
from interviewer.services import audit
from interviewer.services.authz import Actor

S = CandidateStatus
PIPE_INVALID_TRANSITION = "PIPE_409"
CAND_NOT_FOUND = "CAND_404"
_EXITS = (S.REJECTED, S.WITHDRAWN)

# new -> interview_scheduled is allowed: HR may invite straight to an interview without screening.
TRANSITIONS: dict[CandidateStatus, tuple[CandidateStatus, ...]] = {
    S.NEW: (S.SCREENING, S.INTERVIEW_SCHEDULED, *_EXITS),
    S.SCREENING: (S.INTERVIEW_SCHEDULED, *_EXITS),
    S.INTERVIEW_SCHEDULED: (S.INTERVIEWED, S.SCREENING, *_EXITS),
    S.INTERVIEWED: (S.OFFER, S.INTERVIEW_SCHEDULED, *_EXITS),
    S.OFFER: (S.HIRED, *_EXITS),
    S.HIRED: (),
    S.REJECTED: (S.NEW,),
    S.WITHDRAWN: (S.NEW,),
}


def allowed_next(status: CandidateStatus) -> tuple[CandidateStatus, ...]:
    return TRANSITIONS[status]


def suggested_next(status: CandidateStatus) -> CandidateStatus | None:
    """The move a recruiter most likely makes next: the first forward stage (never a step back
    such as interviewed -> interview scheduled, never an exit); None from a final status."""
    order = list(CandidateStatus)
    forward = [s for s in TRANSITIONS[status]
               if s not in _EXITS and (status in _EXITS or order.index(s) > order.index(status))]
    return forward[0] if forward else None


def can_transition(current: CandidateStatus, target: CandidateStatus) -> bool:
    return target in TRANSITIONS[current]


def check_transition(current: CandidateStatus, target: CandidateStatus) -> None:
    if can_transition(current, target):
        return
    allowed = ", ".join(s.value for s in TRANSITIONS[current]) or "none (final status)"
    raise E.ConflictError(
        f"A candidate cannot move from '{current.value}' to '{target.value}'. Allowed next: {allowed}.",
        code=PIPE_INVALID_TRANSITION,
        extra={"current": current.value, "allowed": [s.value for s in TRANSITIONS[current]]},
    )


def history_row(candidate_id: uuid.UUID, from_status: CandidateStatus | None, to_status: CandidateStatus,
                changed_by: uuid.UUID | None, note: str | None = None) -> CandidateStatusHistory:
    return CandidateStatusHistory(candidate_id=candidate_id, from_status=from_status, to_status=to_status,
                                  changed_by=changed_by, note=(note or None) and note[:1000])


def record_initial(session: Session, candidate: Candidate, actor: Actor | None, note: str | None = None) -> None:
    session.add(history_row(candidate.id, None, candidate.status, actor.id if actor else None, note))


def _load_for_change(session: Session, actor: Actor | None, candidate_id: uuid.UUID) -> Candidate:
    # Row lock: two concurrent changes are serialised, so each checks the status the other wrote.
    cand = session.get(Candidate, candidate_id, with_for_update=True, populate_existing=True)
    if cand is None or (actor is not None and not actor.in_company(cand.company_id)):
        raise E.NotFoundError("Candidate not found.", code=CAND_NOT_FOUND)
    return cand


def change_status(session: Session, actor: Actor | None, candidate_id: uuid.UUID,
                  new_status: CandidateStatus | str, note: str | None = None) -> Candidate:
    """Move a candidate along the pipeline, writing a history row.

    ``actor=None`` is the system (e.g. interview scheduling): no permission check, ``changed_by``
    stays empty; the caller has already established the tenant. Asking for the status the
    candidate already has is a no-op (no history row), so callers may repeat themselves safely.
    Raises 409 ``PIPE_409`` (with the allowed statuses) for a transition the table forbids.
    """
    if actor is not None:
        actor.require("candidates:write")
    target = CandidateStatus(new_status)
    cand = _load_for_change(session, actor, candidate_id)
    if cand.status == target:
        return cand
    check_transition(cand.status, target)
    previous = cand.status
    cand.status = target
    session.add(cand)
    session.add(history_row(cand.id, previous, target, actor.id if actor else None, note))
    audit.record(session, actor=actor, action="candidate.status", entity_type="candidate", entity_id=cand.id,
                 company_id=cand.company_id, details={"from": previous.value, "to": target.value})
    session.flush()
    return cand


def list_history(session: Session, candidate_id: uuid.UUID) -> list[CandidateStatusHistory]:
    """The candidate's history, oldest first. The caller checks that the actor may see the candidate."""
    return list(session.exec(
        select(CandidateStatusHistory)
        .where(CandidateStatusHistory.candidate_id == candidate_id)
        .order_by(col(CandidateStatusHistory.created_at), col(CandidateStatusHistory.id))
    ))
