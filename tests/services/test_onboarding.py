"""Issue 13 item 10: a new company's getting-started checklist (each step from real data, gone
when done or dismissed per company), the approval mail, signing in by setting the password, and
the "Awaiting decision" filter shared by the dashboard and the interviews list."""

from __future__ import annotations

import re
import uuid
from datetime import timedelta

import pytest
from sqlmodel import select

from interviewer.core import errors as E
from interviewer.core.security import utcnow
from interviewer.db import session_scope
from interviewer.models import (
    CandidateStatus,
    Company,
    CompanyRegistrationRequest,
    EmailMessage,
    Interview,
    InterviewStatus,
    JobTemplate,
    User,
    UserRole,
    Verdict,
)
from interviewer.models.job import Question
from interviewer.services import auth as auth_service
from interviewer.services import companies as company_service
from interviewer.services import dashboard, onboarding
from interviewer.services import interviews as interview_service
from interviewer.services.authz import actor_for
from tests.factories import (
    make_admin,
    make_candidate,
    make_company,
    make_tenant,
    make_user,
)


def _actor(s, user_id):
    return actor_for(s, s.get(User, user_id))


def _steps(user_id) -> dict[str, bool]:
    with session_scope() as s:
        data = onboarding.checklist(s, _actor(s, user_id))
    return {step.key: step.done for step in data.steps}


def test_each_step_is_checked_from_the_companys_data_and_the_list_goes_when_all_are_done():
    company = make_company("Newco")
    hr = make_user(UserRole.HR, company.id, "hr@newco.test", name="Nia HR")
    assert _steps(hr.id) == {"invite": False, "job": False, "questions": False, "candidates": False,
                             "interview": False, "ai": False}
    with session_scope() as s:
        data = onboarding.checklist(s, _actor(s, hr.id))
        assert data.visible and data.done_count == 0 and len(data.required) == 5
        assert [st.href for st in data.steps][:2] == ["/users", "/jobs"]
        assert data.steps[-1].optional

    make_user(UserRole.EMPLOYEE, company.id, "dev@newco.test")
    with session_scope() as s:
        job = JobTemplate(company_id=company.id, title="Backend engineer")
        s.add(job)
        s.flush()
        job_id = job.id
    steps = _steps(hr.id)
    assert steps["invite"] and steps["job"] and not steps["questions"]
    with session_scope() as s:  # the questions step leads to the job still without questions
        questions = next(st for st in onboarding.checklist(s, _actor(s, hr.id)).steps if st.key == "questions")
        assert questions.href == f"/jobs/{job_id}"

    with session_scope() as s:
        s.add(Question(job_template_id=job_id, text="How would you design a rate limiter?", key_points=["a"]))
    cand = make_candidate(company.id, "ada@example.test", name="Ada Lovelace")
    with session_scope() as s:
        interview_step = next(st for st in onboarding.checklist(s, _actor(s, hr.id)).steps if st.key == "interview")
        assert interview_step.href == f"/interviews?schedule={cand.id}"  # the scheduler opens for them
    assert not _steps(hr.id)["interview"]

    with session_scope() as s:
        s.add(Interview(company_id=company.id, candidate_id=cand.id, token=uuid.uuid4().hex,
                        status=InterviewStatus.SCHEDULED, scheduled_at=utcnow() + timedelta(days=1)))
    with session_scope() as s:
        data = onboarding.checklist(s, _actor(s, hr.id))
        assert data.complete and not data.visible  # the optional AI step does not keep it on screen
        assert not next(st for st in data.steps if st.key == "ai").done


def test_another_companys_data_does_not_tick_a_step():
    other = make_tenant("Globex")
    with session_scope() as s:
        s.add(JobTemplate(company_id=other.company.id, title="Designer"))
    make_candidate(other.company.id, "x@example.test")
    company = make_company("Newco")
    hr = make_user(UserRole.HR, company.id, "hr@newco.test")
    assert not any(_steps(hr.id).values())


def test_dismissing_hides_it_for_the_whole_company_only():
    acme, globex = make_company("Acme"), make_company("Globex")
    hr1 = make_user(UserRole.HR, acme.id, "one@acme.test")
    hr2 = make_user(UserRole.HR, acme.id, "two@acme.test")
    other = make_user(UserRole.HR, globex.id, "hr@globex.test")
    with session_scope() as s:
        onboarding.dismiss(s, _actor(s, hr1.id))
    with session_scope() as s:
        assert onboarding.checklist(s, _actor(s, hr2.id)).dismissed  # remembered per company
        assert not onboarding.checklist(s, _actor(s, hr2.id)).visible
        assert onboarding.checklist(s, _actor(s, other.id)).visible
        assert s.get(Company, acme.id).settings["onboarding"]["dismissed_by"] == str(hr1.id)


def test_not_for_employees_candidates_or_system_admins():
    tenant = make_tenant("Acme")
    admin = make_admin()
    with session_scope() as s:
        assert onboarding.checklist(s, _actor(s, tenant.employee.id)) is None
        assert onboarding.checklist(s, _actor(s, admin.id)) is None
        with pytest.raises(E.PermissionDeniedError):
            onboarding.dismiss(s, _actor(s, tenant.employee.id))
        with pytest.raises(E.PermissionDeniedError):
            onboarding.dismiss(s, _actor(s, admin.id))


def _approve(contact: str = "founder@newco.test") -> str:
    admin = make_admin()
    with session_scope() as s:
        req = CompanyRegistrationRequest(company_name="Newco", contact_name="Nia Founder", contact_email=contact)
        s.add(req)
        s.flush()
        company_service.approve_registration(s, _actor(s, admin.id), req.id)
    with session_scope() as s:
        mail = s.exec(select(EmailMessage).where(EmailMessage.to_address == contact)).one()
        assert mail.kind == "account_set_password"
        assert "approved" in mail.subject and "Newco" in mail.subject
        assert "your request to register Newco on AI Interviewer was approved" in mail.body_text
        assert "approved" in mail.body_html
        return re.search(r"/set-password\?token=([\w-]+)", mail.body_text).group(1)


def test_the_approval_mail_says_the_company_was_approved_and_setting_the_password_signs_in():
    token = _approve()
    with session_scope() as s:
        user, pair = auth_service.set_password_and_sign_in(s, token, "fresh-start-story-5", ip="10.0.0.1")
        assert pair is not None
        user_id = user.id
    with session_scope() as s:  # the session works after the password change that preceded it
        actor, _ = auth_service.authenticate_access_token(s, pair.access_token)
        assert actor.id == user_id and actor.role == UserRole.HR
        assert onboarding.checklist(s, actor).visible  # the new company's dashboard opens on its steps
    with session_scope() as s:  # and the link is spent
        with pytest.raises(E.BadRequestError):
            auth_service.set_password_and_sign_in(s, token, "fresh-start-story-5")


def test_setting_the_password_of_a_deactivated_account_gives_no_session():
    token = _approve("late@newco.test")
    with session_scope() as s:
        user = s.exec(select(User).where(User.email == "late@newco.test")).one()
        user.is_active = False
    with session_scope() as s:
        user, pair = auth_service.set_password_and_sign_in(s, token, "fresh-start-story-5")
        assert pair is None and user.email_verified  # the password is set all the same


def test_the_awaiting_filter_of_the_interviews_list_matches_the_dashboard_card():
    tenant = make_tenant("Acme")
    done = utcnow() - timedelta(hours=1)
    ids = {}
    for name, verdict, status, override in (("ann", Verdict.PASS, CandidateStatus.INTERVIEWED, None),
                                            ("bob", Verdict.REVIEW, CandidateStatus.INTERVIEWED, None),
                                            ("cat", Verdict.FAIL, CandidateStatus.INTERVIEWED, Verdict.REVIEW),
                                            ("dan", Verdict.PASS, CandidateStatus.OFFER, None),
                                            ("eve", None, CandidateStatus.INTERVIEWED, None)):
        cand = make_candidate(tenant.company.id, f"{name}@example.test", name=name.title(), status=status)
        with session_scope() as s:
            interview = Interview(company_id=tenant.company.id, candidate_id=cand.id, token=uuid.uuid4().hex,
                                  status=InterviewStatus.COMPLETED, scheduled_at=done, completed_at=done,
                                  verdict=verdict, verdict_override=override, score=70 if verdict else None)
            s.add(interview)
            s.flush()
            ids[name] = interview.id
    with session_scope() as s:
        hr = _actor(s, tenant.hr.id)
        rows, total = interview_service.list_interviews(s, hr, awaiting_decision=True)
        assert {r.id for r in rows} == {ids["ann"], ids["bob"]} and total == 2
        assert dashboard.summary(s, hr).awaiting_review == total
        _, completed = interview_service.list_interviews(s, hr, status=InterviewStatus.COMPLETED)
        assert completed == 5  # "completed" alone is not what the card counts
        employee = _actor(s, tenant.employee.id)  # nothing of theirs is waiting
        assert interview_service.list_interviews(s, employee, awaiting_decision=True)[1] == 0

