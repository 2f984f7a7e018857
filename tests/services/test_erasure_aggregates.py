"""Aggregates survive erasure: the adverse-impact report (services/fairness.py) on the seeded
population with known rates gives exactly the same figures after a signed-in candidate erases
their data (``erase_me``), after a candidate without an account erases theirs by link
(``privacy_links.erase``), and after the retention purge removed everything it may
(``retention.purge_company``). PostgreSQL."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlmodel import select

from interviewer.db import session_scope
from interviewer.models import (
    Candidate,
    CandidateStatus,
    EmailMessage,
    Interview,
    TranscriptEntry,
    User,
    UserRole,
)
from interviewer.services import candidate_rights, fairness, privacy_links, retention
from interviewer.services.authz import actor_for
from tests.api.test_interviews_support import actor_of
from tests.factories import make_tenant, make_user
from tests.fairness_fixtures import RANGE_TO, seed_population
from tests.services.test_fairness_report import FROM, TO, compliance_user


def figures(user, **kw) -> dict:
    """Every figure of the report (the generation time aside)."""
    with session_scope(readonly=True) as s:
        rep = fairness.impact_report(s, actor_for(s, s.get(User, user.id)), date_from=FROM, date_to=TO, **kw)
    return rep.model_dump(exclude={"generated_at"})


def _give_words(candidate_id) -> None:
    with session_scope() as s:
        for iv in s.exec(select(Interview).where(Interview.candidate_id == candidate_id)):
            s.add(TranscriptEntry(interview_id=iv.id, seq=0, kind="answer", speaker="candidate",
                                  text="My name is in this answer."))
            iv.ai_report = {"questions": [{"answer": "My name is in this answer."}]}
            s.add(iv)


def test_impact_report_is_unchanged_by_erasure_and_retention():
    acme = make_tenant()
    seeded = seed_population(acme.company.id)
    auditor = compliance_user(acme.company.id)
    before_job = figures(auditor, job_template_id=seeded.job_id)
    before_company = figures(auditor)
    assert before_job["applicants"] == 50  # the known population (tests/test_fairness_report.py)

    # A hired candidate with an account (and a second interview) erases everything from /me.
    hired = seeded.candidate_ids[0]
    user = make_user(UserRole.CANDIDATE, None, "hired@example.test", name="Hana Hired")
    with session_scope() as s:
        cand = s.get(Candidate, hired)
        assert cand.status == CandidateStatus.HIRED
        cand.user_id, cand.email, cand.name = user.id, "hired@example.test", "Hana Hired"
        s.add(cand)
    _give_words(hired)
    with session_scope() as s:
        counts = candidate_rights.erase_me(s, actor_of(user), confirm_email="hired@example.test")
    assert counts["interviews"] == 2 and counts["transcript_entries"] == 2
    assert figures(auditor, job_template_id=seeded.job_id) == before_job
    assert figures(auditor) == before_company

    # A candidate without an account, who got an offer and withdrew (counted through the status
    # history), erases by link.
    with session_scope() as s:
        withdrew = s.exec(select(Candidate).where(Candidate.company_id == acme.company.id,
                                                  Candidate.status == CandidateStatus.WITHDRAWN)).first()
        withdrew.email, withdrew.name = "wanda@example.test", "Wanda Withdrew"
        s.add(withdrew)
        withdrew_id = withdrew.id
    _give_words(withdrew_id)
    with session_scope() as s:
        privacy_links.request_links(s, email="wanda@example.test")
    with session_scope() as s:
        mail = s.exec(select(EmailMessage).where(EmailMessage.kind == privacy_links.MAIL_KIND)).one()
        token = re.search(r"token=(\S+)", mail.body_text).group(1)
    with session_scope() as s:
        assert privacy_links.erase(s, token, confirm_email="wanda@example.test")["transcript_entries"] == 1
    with session_scope() as s:
        assert s.get(Candidate, withdrew_id).name == candidate_rights.ERASED_NAME
    assert figures(auditor, job_template_id=seeded.job_id) == before_job
    assert figures(auditor) == before_company

    # The retention purge with every category expired (someone still has words and a report).
    _give_words(seeded.candidate_ids[20])
    with session_scope() as s:
        retention.update_policy(s, actor_of(acme.hr), {c: retention.MIN_DAYS for c in retention.CATEGORIES})
    with session_scope() as s:
        purged = retention.purge_company(s, acme.company.id, now=RANGE_TO + timedelta(days=400))
    assert purged["transcripts"] >= 1 and purged["reports"] >= 1  # something really went
    assert figures(auditor, job_template_id=seeded.job_id) == before_job
    assert figures(auditor) == before_company
