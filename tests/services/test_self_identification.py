"""Voluntary self-identification: asked only after the interview, optional, stored apart from the
candidate (no name, email or candidate id), one answer per candidate, gone with the candidate, never
in what HR or interviewers see, never in anything an AI provider receives; the compliance permission
is not HR's by default and can be delegated only to someone else."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
from sqlmodel import func, select

from interviewer.core import errors as E
from interviewer.core.security import utcnow
from interviewer.db import session_scope
from interviewer.models import Candidate, EmailMessage, Interview, InterviewStatus, UserRole
from interviewer.models.fairness import RACE_LABELS, SEX_LABELS, SelfIdentification
from interviewer.services import live_interview as live
from interviewer.services import self_identification as selfid
from interviewer.services.ai.offline_provider import OfflineProvider
from interviewer.services.authz import ROLE_PERMISSIONS
from interviewer.services.interviews import issue_link_token
from tests.factories import PASSWORD, auth, make_tenant
from tests.services.test_live_interview import call, make_live_interview

ANSWER = selfid.SelfIdentificationIn(sex="another", race_ethnicity="native_hawaiian_pacific_islander")
# Every way the answer could be spelled in a payload or a prompt.
TELLTALES = ("native_hawaiian", "Native Hawaiian", "Pacific Islander", "Another sex", "race_ethnicity",
             "self_identification", "self-identification")


def stored() -> list[SelfIdentification]:
    with session_scope() as s:
        return list(s.exec(select(SelfIdentification)).all())


def finish(w) -> None:
    with session_scope() as s:
        iv = s.get(Interview, w.interview_id)
        iv.status, iv.completed_at = InterviewStatus.COMPLETED, utcnow()
        s.add(iv)


def test_asked_only_after_the_interview_and_optional():
    w = make_live_interview()
    with pytest.raises(E.ConflictError) as info:  # never before or during the interview
        call(selfid.record_self_identification, w.token, ANSWER)
    assert info.value.code == selfid.SELF_ID_NOT_OPEN
    assert call(selfid.form_state, w.token) == {"open": False, "reason": selfid.SELF_ID_NOT_OPEN}
    finish(w)
    assert call(selfid.form_state, w.token)["open"] is True
    assert call(selfid.record_self_identification, w.token, selfid.SelfIdentificationIn()) is False  # = skipping
    assert stored() == []
    assert call(selfid.record_self_identification, w.token, selfid.SelfIdentificationIn(sex="female")) is True
    [row] = stored()
    assert (row.interview_id, row.company_id, row.sex.value, row.race_ethnicity) == (
        w.interview_id, w.company_id, "female", None)
    with pytest.raises(E.NotFoundError):
        call(selfid.record_self_identification, "not-a-link", ANSWER)
    with session_scope() as s:  # the window closes a week after the interview
        iv = s.get(Interview, w.interview_id)
        iv.completed_at = utcnow() - selfid.ANSWER_WINDOW - timedelta(minutes=1)
        s.add(iv)
    with pytest.raises(E.ConflictError) as info:
        call(selfid.record_self_identification, w.token, ANSWER)
    assert info.value.code == selfid.SELF_ID_CLOSED


def test_categories_are_the_audit_categories_with_prefer_not_to_say():
    cats = selfid.categories()
    assert [c["label"] for c in cats["sex"]] == ["Female", "Male", "Another sex or gender", "Prefer not to say"]
    assert [c["label"] for c in cats["race_ethnicity"]] == [
        "Hispanic or Latino", "White", "Black or African American", "Native Hawaiian or Other Pacific Islander",
        "Asian", "American Indian or Alaska Native", "Two or more races", "Prefer not to say"]
    with pytest.raises(ValueError):
        selfid.SelfIdentificationIn(sex="unicorn")
    with pytest.raises(ValueError):
        selfid.SelfIdentificationIn(sex="female", name="Casey")  # nothing else is accepted


def test_stored_apart_one_per_candidate_and_erased_with_the_candidate():
    columns = set(SelfIdentification.__table__.columns.keys())
    assert columns == {"interview_id", "company_id", "sex", "race_ethnicity", "created_at"}
    assert [fk.column.table.name for fk in SelfIdentification.__table__.foreign_keys] != ["candidates"]
    w = make_live_interview()
    finish(w)
    call(selfid.record_self_identification, w.token, ANSWER)
    with session_scope() as s:  # a second interview of the same candidate, answered again
        second = Interview(company_id=w.company_id, candidate_id=w.candidate_id, status=InterviewStatus.COMPLETED,
                           completed_at=utcnow())
        token = issue_link_token(second)
        s.add(second)
        s.flush()
        second_id = second.id
    call(selfid.record_self_identification, token, selfid.SelfIdentificationIn(sex="male"))
    assert [(r.interview_id, r.sex.value, r.race_ethnicity) for r in stored()] == [(second_id, "male", None)]
    with session_scope() as s:
        s.delete(s.get(Candidate, w.candidate_id))
    assert stored() == []


def test_never_in_what_hr_and_interviewers_see(api):
    w = make_live_interview()
    finish(w)
    call(selfid.record_self_identification, w.token, ANSWER)
    company_hr = staff_headers(w.company_id)
    pages = [f"/api/v1/candidates/{w.candidate_id}", "/api/v1/candidates", f"/api/v1/interviews/{w.interview_id}",
             "/api/v1/interviews", f"/api/v1/interviews/{w.interview_id}/transcript"]
    for headers in company_hr:
        for path in pages:
            r = api.get(path, headers=headers)
            assert r.status_code in (200, 403, 404), (path, r.status_code)
            assert not any(t.lower() in r.text.lower() for t in TELLTALES), path
    hr = company_hr[0]
    r = api.get(f"/api/v1/candidates/{w.candidate_id}", headers=hr)
    assert r.status_code == 200  # HR does see the candidate, just not the answer
    assert api.get("/api/v1/fairness/impact-report", headers=hr).status_code == 403


def staff_headers(company_id):
    """HR and an interviewer assigned to every candidate and interview of the company."""
    from tests.factories import make_user

    hr = make_user(UserRole.HR, company_id, name="Helen HR")
    employee = make_user(UserRole.EMPLOYEE, company_id, name="Ian Interviewer")
    with session_scope() as s:  # the interviewer is assigned to the candidate and the interview
        for model, key in ((Candidate, "assigned_to"), (Interview, "interviewer_id")):
            for row in s.exec(select(model).where(model.company_id == company_id)).all():
                setattr(row, key, employee.id)
                s.add(row)
    return [auth(hr), auth(employee)]


class _Recording(OfflineProvider):
    """The offline provider, remembering every argument it was given."""

    seen: list[str] = []

    def _keep(self, *args):
        _Recording.seen.append(json.dumps(args, default=str))

    def score_answer(self, question, key_points, answer_transcript, red_flags=()):
        self._keep(question, key_points, answer_transcript)
        return super().score_answer(question, key_points, answer_transcript)

    def follow_up(self, question, key_points, answer, red_flags=()):
        self._keep(question, key_points, answer)
        return super().follow_up(question, key_points, answer)

    def analyze_resume(self, resume_text, job_description):
        self._keep(resume_text, job_description)
        return super().analyze_resume(resume_text, job_description)

    def generate_questions(self, *args, **kwargs):
        self._keep(args, kwargs)
        return super().generate_questions(*args, **kwargs)


def test_never_sent_to_an_ai_provider(monkeypatch, run_jobs):
    """A whole interview with follow-ups, the answer given right after it, then the scoring job and
    a re-score: the provider sees questions and answers, never the self-identification."""
    from interviewer.services.ai import offline_provider

    monkeypatch.setattr(offline_provider, "OfflineProvider", _Recording)
    _Recording.seen = []
    w = make_live_interview(interview_settings={"max_follow_ups": 1})
    call(live.open_session, w.token)
    for index in range(3):
        call(live.record_utterance, w.token, index, f"I would use a hash map for answer {index}", source="typed")
        step = call(live.finish_answer, w.token, index, 0)
        if step["kind"] == "follow_up":
            call(live.record_utterance, w.token, index, "and stream the file line by line", source="typed")
            call(live.finish_answer, w.token, index, 1)
    call(live.complete, w.token)
    call(selfid.record_self_identification, w.token, ANSWER)  # before the scoring job runs
    run_jobs()
    from interviewer.services import scoring

    scoring.score_interview(w.interview_id, rescore_reason="again", request_id="again-1")
    with session_scope() as s:
        iv = s.get(Interview, w.interview_id)
        assert iv.scoring_status == "completed" and iv.verdict is not None
        report_text = json.dumps(iv.ai_report)
    assert len(_Recording.seen) >= 4  # follow-up decisions and the scoring both went through it
    sent = "\n".join(_Recording.seen)
    assert "hash map" in sent
    for telltale in TELLTALES + tuple(RACE_LABELS.values())[3:4] + (SEX_LABELS["another"],):
        assert telltale.lower() not in sent.lower()
        assert telltale.lower() not in report_text.lower()
    with session_scope() as s:
        assert s.exec(select(func.count()).select_from(SelfIdentification)).one() == 1


def test_hr_lacks_compliance_and_delegates_it_only_to_someone_else(api):
    assert "compliance:read" not in ROLE_PERMISSIONS[UserRole.HR]
    assert "compliance:read" in ROLE_PERMISSIONS[UserRole.SYSTEM_ADMIN]
    acme = make_tenant()
    hr = auth(acme.hr)
    r = api.post("/api/v1/roles", headers=hr, json={"name": "Compliance", "permissions": ["compliance:read"]})
    assert r.status_code == 201, r.text
    role_id = r.json()["id"]
    # not to themselves
    r = api.put(f"/api/v1/users/{acme.hr.id}", headers=hr, json={"custom_role_id": role_id})
    assert r.status_code == 403 and r.json()["error_code"] == "PERM_002"
    # an employee without roles:manage cannot create such a role
    r = api.post("/api/v1/roles", headers=auth(acme.employee), json={"name": "X", "permissions": ["compliance:read"]})
    assert r.status_code == 403
    # to someone else: yes, but not with a password HR chooses or knows
    r = api.put(f"/api/v1/users/{acme.employee.id}", headers=hr,
                json={"custom_role_id": role_id, "password": "hr-knows-this-one-42"})
    assert r.status_code == 403 and r.json()["error_code"] == "PERM_002"
    r = api.post("/api/v1/users", headers=hr, json={"email": "audit@acme.test", "name": "Ann Auditor",
                                                    "role": "EMPLOYEE", "custom_role_id": role_id,
                                                    "password": "hr-knows-this-one-42"})
    assert r.status_code == 403 and "chooses its own password" in r.json()["detail"]
    r = api.put(f"/api/v1/users/{acme.employee.id}", headers=hr, json={"custom_role_id": role_id})
    assert r.status_code == 200, r.text
    # the old password (which HR may have known) stops working; the person sets a new one by email
    login = {"email": acme.employee.email, "password": PASSWORD}
    assert api.post("/api/v1/auth/login", json=login).status_code == 401
    with session_scope() as s:
        mail = s.exec(select(EmailMessage).where(EmailMessage.to_address == acme.employee.email,
                                                 EmailMessage.kind == "account_set_password")).one()
    link_token = re.search(r"set-password\?token=([\w-]+)", mail.body_text).group(1)
    new_password = "my-own-compliance-passphrase-7"
    assert api.post("/api/v1/auth/set-password", json={"token": link_token, "password": new_password}).status_code == 200
    emp = {"Authorization": "Bearer " + api.post("/api/v1/auth/login", json={
        "email": acme.employee.email, "password": new_password}).json()["access_token"]}
    assert api.get("/api/v1/fairness/impact-report", headers=emp).status_code == 200
    assert api.get("/api/v1/candidates", headers=emp).status_code == 403  # and only that
    # HR cannot take over the compliance officer's account (password, email) afterwards
    r = api.put(f"/api/v1/users/{acme.employee.id}", headers=hr, json={"password": "another-fine-passphrase"})
    assert r.status_code == 403
    # HR can still withdraw the permission by editing the role
    r = api.put(f"/api/v1/roles/{role_id}", headers=hr, json={"permissions": ["users:read"]})
    assert r.status_code == 200
    assert api.get("/api/v1/fairness/impact-report", headers=emp).status_code == 403


def test_nothing_on_the_scoring_or_candidate_paths_reads_the_table():
    """A structural guard next to the behavioural one above: the AI layer, scoring, the live
    interview, jobs and the candidate/interview services never name the table or its model."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "interviewer"
    guarded = [*root.glob("services/ai/**/*.py"), *root.glob("jobs/*.py"), *root.glob("live/**/*.py"),
               *[root / "services" / f for f in ("scoring.py", "live_interview.py", "live_interview_view.py",
                                                 "candidates.py", "interviews.py", "ui_queries.py",
                                                 "ui_hiring_queries.py", "dashboard.py", "job_fit.py")]]
    offenders = [str(p.relative_to(root)) for p in guarded if p.exists()
                 and any(word in p.read_text() for word in ("SelfIdentification", "self_identification",
                                                            "models.fairness"))]
    assert len(guarded) > 20 and offenders == []
