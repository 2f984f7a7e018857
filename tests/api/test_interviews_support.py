"""Shared builders for the interview, availability and round tests, plus token-entropy tests."""

from __future__ import annotations

import re
import uuid
from datetime import datetime, timedelta, timezone

from sqlmodel import select

from interviewer.db import session_scope
from interviewer.models import EmailMessage, Interview, JobTemplate, User, UserRole
from interviewer.services.authz import Actor, actor_for
from interviewer.services.interviews import interview_link, new_interview_token
from tests.factories import auth, make_candidate, make_tenant, make_user

URLSAFE = re.compile(r"^[A-Za-z0-9_-]+$")


def future(hours: float = 48, minute: int = 0) -> datetime:
    """A whole-minute UTC time ``hours`` from now."""
    base = datetime.now(timezone.utc).replace(second=0, microsecond=0) + timedelta(hours=hours)
    return base.replace(minute=minute)


def iso(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def make_job(company_id: uuid.UUID, title: str = "Backend Engineer") -> JobTemplate:
    with session_scope() as s:
        job = JobTemplate(company_id=company_id, title=title)
        s.add(job)
        s.flush()
        return job


def actor_of(user: User) -> Actor:
    with session_scope() as s:
        return actor_for(s, s.get(User, user.id))


def update_interview(interview_id: str | uuid.UUID, **fields) -> None:
    with session_scope() as s:
        interview = s.get(Interview, uuid.UUID(str(interview_id)))
        for key, value in fields.items():
            setattr(interview, key, value)
        s.add(interview)


def load_interview(interview_id: str | uuid.UUID) -> Interview:
    with session_scope() as s:
        return s.get(Interview, uuid.UUID(str(interview_id)))


def outbox(kind: str | None = None) -> list[EmailMessage]:
    with session_scope() as s:
        query = select(EmailMessage).order_by(EmailMessage.created_at)
        if kind:
            query = query.where(EmailMessage.kind == kind)
        return list(s.exec(query))


class World:
    """Two tenants: Acme (HR, two employees, a candidate, a job) and Globex (the same, for 404s)."""

    def __init__(self) -> None:
        self.acme = make_tenant("Acme")
        self.globex = make_tenant("Globex")
        self.other_employee = make_user(UserRole.EMPLOYEE, self.acme.company.id, "dev2@acme.test", name="Other Dev")
        self.candidate_user = make_user(UserRole.CANDIDATE, None, "cand-user@example.test", name="Cand User")
        self.job = make_job(self.acme.company.id)
        self.candidate = make_candidate(self.acme.company.id, "casey@example.test", name="Casey Jones",
                                        job_template_id=self.job.id)
        self.g_job = make_job(self.globex.company.id, "Globex Job")
        self.g_candidate = make_candidate(self.globex.company.id, "gina@example.test", name="Gina G")
        self.hr = auth(self.acme.hr)
        self.emp = auth(self.acme.employee)
        self.emp2 = auth(self.other_employee)
        self.cand = auth(self.candidate_user)
        self.g_hr = auth(self.globex.hr)

    def body(self, **overrides) -> dict:
        body = {"candidate_id": str(self.candidate.id), "job_template_id": str(self.job.id),
                "scheduled_at": iso(future())}
        body.update(overrides)
        return body

    def schedule(self, api, headers=None, **overrides) -> dict:
        r = api.post("/api/v1/interviews", json=self.body(**overrides), headers=headers or self.hr)
        assert r.status_code == 201, r.text
        return r.json()


def token_of(interview: dict) -> str:
    return interview["interview_link"].rsplit("/", 1)[1]


# --- token entropy -------------------------------------------------------------------------------

def test_tokens_are_long_urlsafe_and_unique():
    tokens = [new_interview_token() for _ in range(1000)]
    assert len(set(tokens)) == 1000
    for token in tokens:
        assert len(token) >= 22 and URLSAFE.match(token), token
    assert min(len(t) for t in tokens) >= 43  # 32 random bytes = 256 bits


def test_link_is_public_url_plus_token():
    assert interview_link("abc") == "http://testserver/interview/abc"
