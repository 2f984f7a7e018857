"""Feedback letters: off unless the company turns them on; a draft from the covered and missed key
points only (no score, verdict or signals); HR edits and sends it to the candidate through the
outbox; tenancy and roles."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from interviewer.core.errors import ConflictError, NotFoundError, PermissionDeniedError, ValidationError
from interviewer.core.security import utcnow
from interviewer.db import session_scope
from interviewer.models import EmailMessage, Interview, InterviewStatus, Verdict
from interviewer.services import feedback
from tests.api.test_interviews_support import actor_of, make_job
from tests.factories import auth, make_candidate, make_tenant

REPORT = {"score": 41, "verdict": "FAIL", "questions": [
    {"question": "Why add an index?", "covered_points": ["Faster lookups on the indexed columns"],
     "partial_points": ["extra storage for the index"], "missed_points": ["Slower writes"]},
    {"question": "Stack vs queue?", "covered_points": ["LIFO order of a stack"], "partial_points": [],
     "missed_points": []}],
    "signals": ["tab_switch"]}


def _world():
    acme = make_tenant("Acme")
    job = make_job(acme.company.id, "Backend Engineer")
    cand = make_candidate(acme.company.id, "robin@example.test", name="Robin Rivera", job_template_id=job.id)
    with session_scope() as s:
        done = utcnow() - timedelta(days=1)
        interview = Interview(company_id=acme.company.id, candidate_id=cand.id, job_template_id=job.id,
                              token="t-feedback", status=InterviewStatus.COMPLETED, scheduled_at=done,
                              expires_at=done + timedelta(days=2), completed_at=done, verdict=Verdict.FAIL,
                              score=41, ai_report=REPORT)
        s.add(interview)
        s.flush()
    return acme, interview


def test_letters_are_off_until_the_company_turns_them_on():
    acme, interview = _world()
    with session_scope() as s, pytest.raises(ConflictError, match="off for this company"):
        feedback.draft(s, actor_of(acme.hr), interview.id)
    with session_scope() as s, pytest.raises(PermissionDeniedError):
        feedback.set_enabled(s, actor_of(acme.employee), True)


def test_draft_uses_only_the_key_point_judgements_and_sends_what_hr_edited(api, run_jobs):
    acme, interview = _world()
    with session_scope() as s:
        feedback.set_enabled(s, actor_of(acme.hr), True)
    with session_scope() as s:
        letter = feedback.draft(s, actor_of(acme.hr), interview.id)
    body = letter["body"]
    assert letter["to"] == "robin@example.test" and "Backend Engineer" in letter["subject"]
    assert body.startswith("Dear Robin Rivera,")
    assert "- You explained faster lookups on the indexed columns." in body
    assert "- You explained LIFO order of a stack." in body  # acronyms keep their case
    assert "- We would have liked to hear more about slower writes." in body
    assert "extra storage for the index" in body  # partly covered: something to develop
    for word in ("41", "FAIL", "fail", "score", "verdict", "tab"):
        assert word not in body
    edited = body.replace("Kind regards,", "With best wishes for your search,")
    with session_scope() as s:
        sent = feedback.send(s, actor_of(acme.hr), interview.id, letter["subject"], edited)
    with session_scope() as s:
        mail = s.exec(select(EmailMessage).where(EmailMessage.kind == "feedback_letter")).one()
        assert mail.to_address == "robin@example.test" and "best wishes for your search" in mail.body_text
        assert str(mail.id) == sent["message_id"]
        assert feedback.draft(s, actor_of(acme.hr), interview.id)["already_sent"] == 1
        assert feedback.letters_sent(s, actor_of(acme.hr), interview.id)[0]["subject"] == letter["subject"]
    with session_scope() as s, pytest.raises(ValidationError):
        feedback.send(s, actor_of(acme.hr), interview.id, "", edited)
    # Through the API, in the spec's error format; another company's HR sees nothing.
    r = api.get(f"/api/v1/interviews/{interview.id}/feedback-letter", headers=auth(acme.hr))
    assert r.status_code == 200 and r.json()["covered"][0] == "Faster lookups on the indexed columns"
    globex = make_tenant("Globex")
    r = api.get(f"/api/v1/interviews/{interview.id}/feedback-letter", headers=auth(globex.hr))
    assert r.status_code == 404 and {"detail", "error_code", "timestamp"} <= set(r.json())
    r = api.post(f"/api/v1/interviews/{interview.id}/feedback-letter", headers=auth(acme.hr),
                 json={"subject": "Hi", "body": "too short"})
    assert r.status_code == 422 and r.json()["error_code"] == "FEEDBACK_422"
    with session_scope() as s, pytest.raises((NotFoundError, PermissionDeniedError)):
        feedback.draft(s, actor_of(globex.hr), interview.id)


def test_an_answer_nobody_judged_gives_the_letter_nothing_to_develop():
    """A story left to HR has every point "missed" only for the arithmetic: the letter must not tell
    the candidate they said nothing about the situation they described."""
    acme, interview = _world()
    story = {"question": "Tell me about a time you received critical feedback.", "flags": ["story"],
             "covered_points": [], "partial_points": [], "missed_points": ["Situation: the feedback and who gave it"]}
    with session_scope() as s:
        row = s.get(Interview, interview.id)
        row.ai_report = {**REPORT, "questions": [*REPORT["questions"], story]}
        s.add(row)
        feedback.set_enabled(s, actor_of(acme.hr), True)
    with session_scope() as s:
        letter = feedback.draft(s, actor_of(acme.hr), interview.id)
    assert "feedback and who gave it" not in letter["body"] and letter["develop"] == ["Slower writes",
                                                                                      "extra storage for the index"]
