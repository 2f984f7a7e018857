"""The one order of a job's questions: the order the interview asks them in, the order they are
scored, listed, edited and matched in. Ties in ``position`` (possible after concurrent edits)
are broken by creation time, then id, so every reader sees the same sequence."""

from __future__ import annotations

import uuid

from sqlmodel import Session, col, select

from interviewer.models import Question


def job_questions(session: Session, job_id: uuid.UUID | None) -> list[Question]:
    if job_id is None:
        return []
    return list(session.exec(select(Question).where(Question.job_template_id == job_id)
                             .order_by(col(Question.position), col(Question.created_at), col(Question.id))).all())
