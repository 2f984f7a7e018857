"""A seeded population for the adverse-impact report whose rates are known in advance.

``POPULATION`` lists groups of people: (sex, race, applicants, passed, advanced, hired). Each
person has one completed, scored interview inside the report's range; passed people score
``PASS_SCORE`` (80 for male/white, else 75), the others ``FAIL_SCORE`` (50 for male/white, else 45).
Some ``advanced`` people are advanced only through their status history (an offer, then they
withdrew), so the report must read the history too.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from interviewer.db import session_scope
from interviewer.models import (
    Candidate,
    CandidateStatus,
    CandidateStatusHistory,
    Interview,
    InterviewStatus,
    JobTemplate,
    Verdict,
)
from interviewer.models.fairness import RaceCategory, SelfIdentification, SexCategory

F, M, P = SexCategory.FEMALE, SexCategory.MALE, SexCategory.PREFER_NOT_TO_SAY
W, A, B, PR = RaceCategory.WHITE, RaceCategory.ASIAN, RaceCategory.BLACK, RaceCategory.PREFER_NOT_TO_SAY
NO = None  # did not answer

POPULATION = [
    # sex, race, applicants, AI pass, advanced (offer/hired), hired
    (M, W, 10, 6, 4, 2),
    (M, A, 10, 5, 3, 1),
    (F, W, 10, 4, 2, 1),
    (F, A, 10, 3, 2, 0),
    (F, B, 3, 1, 0, 0),
    (NO, NO, 4, 2, 1, 0),  # skipped the questions
    (P, PR, 2, 0, 0, 0),  # prefer not to say, twice
    (M, NO, 1, 1, 0, 0),  # answered only the first question
]
RANGE_FROM = datetime(2026, 3, 1, tzinfo=UTC)
RANGE_TO = datetime(2026, 6, 30, tzinfo=UTC)


def score_of(sex, race, passed: bool) -> int:
    top = sex == M and race == W
    return (80 if top else 75) if passed else (50 if top else 45)


@dataclass
class Seeded:
    job_id: uuid.UUID
    other_job_id: uuid.UUID
    candidate_ids: list[uuid.UUID]


def _person(s, company_id, job_id, sex, race, *, passed: bool, advanced: bool, hired: bool, when: datetime,
            via_history: bool = False, verdict: Verdict | None = None) -> uuid.UUID:
    status = CandidateStatus.HIRED if hired else CandidateStatus.OFFER if advanced else CandidateStatus.REJECTED
    if via_history:
        status = CandidateStatus.WITHDRAWN
    cand = Candidate(company_id=company_id, email=f"{uuid.uuid4().hex[:10]}@people.test", name="Sam Person",
                     status=status, job_template_id=job_id)
    s.add(cand)
    s.flush()
    if via_history:
        s.add(CandidateStatusHistory(candidate_id=cand.id, from_status=CandidateStatus.INTERVIEWED,
                                     to_status=CandidateStatus.OFFER))
        s.add(CandidateStatusHistory(candidate_id=cand.id, from_status=CandidateStatus.OFFER,
                                     to_status=CandidateStatus.WITHDRAWN))
    iv = Interview(company_id=company_id, candidate_id=cand.id, job_template_id=job_id, token=uuid.uuid4().hex,
                   status=InterviewStatus.COMPLETED, started_at=when - timedelta(minutes=30), completed_at=when,
                   score=score_of(sex, race, passed),
                   verdict=verdict or (Verdict.PASS if passed else Verdict.FAIL))
    s.add(iv)
    s.flush()
    if sex is not None or race is not None:
        s.add(SelfIdentification(interview_id=iv.id, company_id=company_id, sex=sex, race_ethnicity=race))
    return cand.id


def seed_population(company_id: uuid.UUID, *, job_title: str = "Backend Engineer", session_factory=None) -> Seeded:
    """POPULATION inside the range, plus people the report must leave out."""
    when = datetime(2026, 4, 15, 12, tzinfo=UTC)
    ids: list[uuid.UUID] = []
    with (session_factory or session_scope)() as s:
        job = JobTemplate(company_id=company_id, title=job_title)
        other = JobTemplate(company_id=company_id, title="Data Analyst")
        s.add_all([job, other])
        s.flush()
        for sex, race, n, passed, advanced, hired in POPULATION:
            for i in range(n):
                ids.append(_person(s, company_id, job.id, sex, race, passed=i < passed, advanced=i < advanced,
                                   hired=i < hired, when=when,
                                   # the last advanced-but-not-hired person got an offer and withdrew
                                   via_history=hired <= i == advanced - 1))
        # Left out: completed before the range, not scored yet, and another job's interview
        # (that one counts in the company-wide report only when its date is in range: it is not).
        _person(s, company_id, job.id, F, W, passed=True, advanced=True, hired=True,
                when=RANGE_FROM - timedelta(days=3))
        unscored = _person(s, company_id, job.id, F, W, passed=True, advanced=False, hired=False, when=when)
        s.exec(Interview.__table__.update().where(Interview.candidate_id == unscored).values(verdict=None, score=None))
        _person(s, company_id, other.id, F, A, passed=True, advanced=False, hired=False,
                when=RANGE_TO + timedelta(days=2))
        # A second, failed interview of a male/white person who passed: still one person, still a pass.
        first = ids[0]
        s.add(Interview(company_id=company_id, candidate_id=first, job_template_id=job.id, token=uuid.uuid4().hex,
                        status=InterviewStatus.COMPLETED, completed_at=when + timedelta(days=1), score=10,
                        verdict=Verdict.FAIL))
        return Seeded(job.id, other.id, ids)
