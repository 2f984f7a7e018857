"""A candidate's request for an alternative or an accommodation: a stored, open task for the
company's HR, an email to each active HR user of the company (outbox), an audit entry, at most
three per link, refused on used-up links; HR of that company (only) lists and answers it in the
app, and the answer reaches the candidate by email."""

from __future__ import annotations

import pytest
from sqlmodel import select

from interviewer.core import errors as E
from interviewer.db import session_scope
from interviewer.models import (
    AccommodationRequest,
    AccommodationStatus,
    AuditLog,
    Candidate,
    EmailMessage,
    Interview,
    InterviewStatus,
    UserRole,
)
from interviewer.services import accommodations as acc
from tests.api.test_interviews_support import actor_of
from tests.factories import make_admin, make_tenant, make_user
from tests.services.test_live_interview import call, make_live_interview


def test_request_reaches_the_companys_hr_by_email_and_is_audited():
    w = make_live_interview(company_name="Acme")
    make_user(UserRole.HR, w.company_id, "hr1@acme.test")
    make_user(UserRole.HR, w.company_id, "hr2@acme.test")
    make_user(UserRole.HR, w.company_id, "gone@acme.test", active=False)
    make_user(UserRole.EMPLOYEE, w.company_id, "dev@acme.test")
    make_tenant("Globex")  # another company's HR hears nothing
    told = call(acc.request_accommodation, w.token,
                acc.AccommodationRequestIn(kind="more_time", message="I have dyslexia;\nplease allow extra time."))
    assert told == 2
    with session_scope() as s:
        mails = s.exec(select(EmailMessage).order_by(EmailMessage.to_address)).all()
        assert [m.to_address for m in mails] == ["hr1@acme.test", "hr2@acme.test"]
        assert all(m.kind == "accommodation_request" and m.company_id == w.company_id for m in mails)
        assert "More time" in mails[0].body_text and "please allow extra time" in mails[0].body_text
        assert f"/interviews/{w.interview_id}" in mails[0].body_text and "Backend Engineer" in mails[0].subject
        [entry] = s.exec(select(AuditLog).where(AuditLog.action == acc.ACTION)).all()
        assert entry.entity_id == str(w.interview_id) and entry.details["kind"] == "more_time"
        assert entry.details["notified"] == ["hr1@acme.test", "hr2@acme.test"]
        assert s.get(Interview, w.interview_id).status == InterviewStatus.SCHEDULED  # the link still works


def test_three_requests_per_link_and_none_on_used_links():
    w = make_live_interview()
    for kind in ("typing_only", "another_format", "other"):
        call(acc.request_accommodation, w.token, acc.AccommodationRequestIn(kind=kind))
    with pytest.raises(E.ConflictError) as info:
        call(acc.request_accommodation, w.token, acc.AccommodationRequestIn(kind="other"))
    assert info.value.code == acc.TOO_MANY
    with pytest.raises(ValueError):
        acc.AccommodationRequestIn(kind="free_pass")
    done = make_live_interview(company_name="Done Inc", status=InterviewStatus.COMPLETED)
    with pytest.raises(E.DomainError):
        call(acc.request_accommodation, done.token, acc.AccommodationRequestIn(kind="more_time"))
    with pytest.raises(E.NotFoundError):
        call(acc.request_accommodation, "nope", acc.AccommodationRequestIn(kind="more_time"))


def _request(w, kind="more_time", message="Please allow 15 more minutes."):
    call(acc.request_accommodation, w.token, acc.AccommodationRequestIn(kind=kind, message=message))
    with session_scope() as s:
        return s.exec(select(AccommodationRequest).order_by(AccommodationRequest.created_at.desc())).first().id


def test_a_request_is_an_open_task_for_the_companys_hr_only():
    w = make_live_interview(company_name="Acme")
    hr = make_user(UserRole.HR, w.company_id, "hr@acme.test")
    dev = make_user(UserRole.EMPLOYEE, w.company_id, "dev@acme.test")
    globex = make_tenant("Globex")
    request_id = _request(w)
    with session_scope() as s:
        row = s.get(AccommodationRequest, request_id)
        assert (row.company_id, row.interview_id, row.candidate_id) == (w.company_id, w.interview_id, w.candidate_id)
        assert row.status == AccommodationStatus.OPEN and row.message == "Please allow 15 more minutes."
        [entry] = s.exec(select(AuditLog).where(AuditLog.action == acc.ACTION)).all()
        assert entry.details["request_id"] == str(request_id) and "message" not in entry.details
    [item] = call(acc.list_requests, actor_of(hr))
    assert item.id == request_id and item.kind_label == "More time" and item.job_title == "Backend Engineer"
    assert item.candidate_email.startswith("casey-") and item.status == AccommodationStatus.OPEN
    assert call(acc.count_open, actor_of(hr)) == 1
    assert call(acc.list_requests, actor_of(globex.hr)) == [] and call(acc.count_open, actor_of(globex.hr)) == 0
    assert call(acc.count_open, actor_of(dev)) is None
    with pytest.raises(E.PermissionDeniedError):
        call(acc.list_requests, actor_of(dev))
    with pytest.raises(E.PermissionDeniedError):  # naming another company
        call(acc.list_requests, actor_of(globex.hr), company_id=w.company_id)
    admin = make_admin()
    assert [r.id for r in call(acc.list_requests, actor_of(admin), company_id=w.company_id)] == [request_id]
    # One candidate's requests (their page): open and answered together, tenancy checked
    assert [r.id for r in call(acc.list_requests, actor_of(hr), status=None, candidate_id=w.candidate_id)] \
        == [request_id]
    with pytest.raises(E.NotFoundError) as foreign:
        call(acc.list_requests, actor_of(globex.hr), status=None, candidate_id=w.candidate_id)
    assert foreign.value.code == "CAND_404"


def test_hr_answers_in_the_app_the_candidate_gets_it_by_email():
    w = make_live_interview(company_name="Acme")
    hr = make_user(UserRole.HR, w.company_id, "hr@acme.test", name="Harper Reed")
    dev = make_user(UserRole.EMPLOYEE, w.company_id, "dev@acme.test")
    globex = make_tenant("Globex")
    request_id = _request(w)
    answer = acc.AccommodationAnswerIn(answer="Yes: you will have 45 minutes instead of 30.")
    with pytest.raises(E.NotFoundError) as other:  # another company's request: not found
        call(acc.answer_request, actor_of(globex.hr), request_id, answer)
    assert other.value.code == acc.NOT_FOUND
    with pytest.raises(E.PermissionDeniedError):
        call(acc.answer_request, actor_of(dev), request_id, answer)
    with pytest.raises(E.ValidationError):
        call(acc.answer_request, actor_of(hr), request_id, acc.AccommodationAnswerIn(answer="   "))
    with pytest.raises(ValueError):
        acc.AccommodationAnswerIn(answer="")
    done = call(acc.answer_request, actor_of(hr), request_id, answer)
    assert done.status == AccommodationStatus.ANSWERED and done.answered_by_name == "Harper Reed"
    with session_scope() as s:
        row = s.get(AccommodationRequest, request_id)
        assert row.answer == answer.answer and row.answered_by == hr.id and row.answered_at is not None
        cand = s.get(Candidate, w.candidate_id)
        [mail] = s.exec(select(EmailMessage).where(EmailMessage.kind == "accommodation_answer")).all()
        assert mail.to_address == cand.email and mail.company_id == w.company_id
        assert "45 minutes instead of 30" in mail.body_text and "More time" in mail.body_text
        assert "/privacy-request" in mail.body_text  # where to see or erase their data
        [entry] = s.exec(select(AuditLog).where(AuditLog.action == acc.ANSWERED_ACTION)).all()
        assert entry.actor_id == hr.id and entry.entity_id == str(w.interview_id)
        assert entry.details["message_id"] == str(mail.id)
    assert call(acc.list_requests, actor_of(hr)) == [] and call(acc.count_open, actor_of(hr)) == 0
    [answered] = call(acc.list_requests, actor_of(hr), status=AccommodationStatus.ANSWERED)
    assert answered.answer == answer.answer
    with pytest.raises(E.ConflictError) as again:
        call(acc.answer_request, actor_of(hr), request_id, answer)
    assert again.value.code == acc.ALREADY_ANSWERED
