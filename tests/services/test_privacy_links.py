"""Export and erasure by emailed link (candidates without an account): the same answer for known
and unknown addresses, one single-purpose link per company (hashed at rest, short-lived, hidden from
the company's outbox, limited per address), the export document of ``export_my_data`` for that
company only, and erasure by ``erase_records`` with an audit trail; used, expired and unknown
links are refused with their own messages. PostgreSQL (the suite's database)."""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta

import pytest
from sqlmodel import select

from interviewer.core import errors as E
from interviewer.core.security import utcnow
from interviewer.db import session_scope
from interviewer.models import (
    AccommodationRequest,
    AuditLog,
    Candidate,
    EmailMessage,
    Interview,
    InterviewStatus,
    PrivacyLink,
    TranscriptEntry,
    UserRole,
    Verdict,
)
from interviewer.services import candidate_rights, privacy_links
from interviewer.services.email import list_outbox, queue_email
from tests.api.test_interviews_support import actor_of, make_job
from tests.factories import environment, make_tenant, make_user

EMAIL = "robin@example.test"


def link_tokens(to: str = EMAIL) -> dict[str, str]:
    """Subject -> raw token of the privacy-link mails sent to ``to``."""
    with session_scope() as s:
        mails = s.exec(select(EmailMessage).where(EmailMessage.kind == privacy_links.MAIL_KIND,
                                                  EmailMessage.to_address == to)).all()
        return {m.subject: re.search(r"/privacy-request\?token=(\S+)", m.body_text).group(1) for m in mails}


def world():
    """Robin applied to Acme (an interview with words, an email, a request) and to Globex; Sam
    is another Acme candidate."""
    acme, globex = make_tenant("Acme"), make_tenant("Globex")
    job = make_job(acme.company.id, "Backend Engineer")
    with session_scope() as s:
        mine = Candidate(company_id=acme.company.id, email="Robin@Example.test", name="Robin Rivera",
                         phone="+44 7700 900123", job_template_id=job.id, resume_text="Robin Rivera\nEngineer")
        other = Candidate(company_id=globex.company.id, email=EMAIL, name="Robin Rivera")
        stranger = Candidate(company_id=acme.company.id, email="sam@example.test", name="Sam Stranger")
        s.add_all([mine, other, stranger])
        s.flush()
        done = utcnow() - timedelta(days=2)
        interview = Interview(company_id=acme.company.id, candidate_id=mine.id, job_template_id=job.id,
                              token="t-link-rights", status=InterviewStatus.COMPLETED, scheduled_at=done,
                              expires_at=done + timedelta(days=2), completed_at=done, verdict=Verdict.PASS, score=81,
                              ai_report={"questions": [{"answer": "I am Robin"}]})
        s.add(interview)
        s.flush()
        s.add(TranscriptEntry(interview_id=interview.id, seq=0, kind="answer", speaker="candidate",
                              text="I am Robin and I built the billing service."))
        s.add(AccommodationRequest(company_id=acme.company.id, interview_id=interview.id, candidate_id=mine.id,
                                   kind="more_time", message="I have dyslexia."))
        queue_email(s, to=EMAIL, subject="Interview invitation", body_text="Hello Robin, ...",
                    kind="interview_invitation", company_id=acme.company.id)
        queue_email(s, to=EMAIL, subject="Globex says hello", body_text="Hello Robin from Globex",
                    kind="interview_invitation", company_id=globex.company.id)
        ids = mine.id, other.id, stranger.id, interview.id
    return acme, globex, *ids


def test_the_answer_is_the_same_and_known_addresses_get_one_link_per_company():
    acme, globex, *_ = world()
    with session_scope() as s:
        unknown = privacy_links.request_links(s, email="nobody@example.test", ip="203.0.113.9")
    with session_scope() as s:
        known = privacy_links.request_links(s, email="  ROBIN@example.test ", ip="203.0.113.9")
    assert known == unknown == privacy_links.accepted_message() and "60 minutes" in known
    tokens = link_tokens()
    assert set(tokens) == {"Your data at Acme", "Your data at Globex"}
    with session_scope() as s:
        assert not s.exec(select(EmailMessage).where(EmailMessage.to_address == "nobody@example.test")).all()
        rows = s.exec(select(PrivacyLink)).all()
        assert {r.company_id for r in rows} == {acme.company.id, globex.company.id}
        for row in rows:  # hashed at rest, short-lived
            assert row.email == EMAIL and row.used_at is None
            assert row.token_hash in {hashlib.sha256(t.encode()).hexdigest() for t in tokens.values()}
            assert timedelta(minutes=59) < row.expires_at - utcnow() <= timedelta(minutes=60)
        assert not [r for r in rows if r.token_hash in tokens.values()]
        # The link is the candidate's: Acme's HR does not see the mail in its outbox (an admin does).
        outbox, _ = list_outbox(s, actor_of(acme.hr))
        assert all(m.kind != privacy_links.MAIL_KIND for m in outbox)
        assert all(a.details == {"ip": "203.0.113.9"} for a in
                   s.exec(select(AuditLog).where(AuditLog.action == "privacy.link_requested")))


def test_mails_per_address_are_limited_without_saying_so():
    world()
    with environment(RATE_LIMIT_PRIVACY_REQUEST="2/900"):
        answers = []
        for _ in range(3):
            with session_scope() as s:
                answers.append(privacy_links.request_links(s, email=EMAIL))
    assert len(set(answers)) == 1
    with session_scope() as s:
        assert len(s.exec(select(PrivacyLink)).all()) == 4  # 2 requests x 2 companies; the third sent nothing


def test_the_link_shows_and_exports_one_companys_data_in_the_export_my_data_shape():
    acme, *_ = world()
    with session_scope() as s:
        privacy_links.request_links(s, email=EMAIL)
    token = link_tokens()["Your data at Acme"]
    with session_scope() as s:
        info = privacy_links.summary(s, token)
    assert (info.company, info.email, info.applications, info.interviews) == ("Acme", EMAIL, 1, 1)
    assert info.emails == 2  # the invitation and the link mail itself
    with session_scope() as s:
        data = privacy_links.export_data(s, token)
    user = make_user(UserRole.CANDIDATE, None, "kim@example.test")
    with session_scope() as s:
        mine_signed_in = candidate_rights.export_my_data(s, actor_of(user))
    assert set(data) == set(mine_signed_in) and data["account"] is None
    [app] = data["applications"]
    assert app["company"] == "Acme" and app["phone"] == "+44 7700 900123" and app["job"] == "Backend Engineer"
    assert app["interviews"][0]["verdict"] == "PASS" and app["interviews"][0]["score"] == 81
    assert app["interviews"][0]["transcript"][0]["text"].startswith("I am Robin")
    assert app["accommodation_requests"][0]["message"] == "I have dyslexia."
    assert "Interview invitation" in [m["subject"] for m in data["emails"]]
    assert "Globex" not in str(data) and "Sam Stranger" not in str(data)  # one company, one person
    with session_scope() as s:
        [entry] = s.exec(select(AuditLog).where(AuditLog.action == "privacy.data_exported")).all()
        assert entry.company_id == acme.company.id and entry.details["via"] == "link"
        assert EMAIL not in str(entry.details)
    with session_scope() as s:  # looking does not spend the link
        assert privacy_links.summary(s, token).applications == 1


def test_erasure_by_link_reuses_the_erasure_rule_spends_the_link_and_is_audited():
    acme, _globex, mine, other, stranger, interview_id = world()
    for _ in range(2):  # two Acme links outstanding
        with session_scope() as s:
            privacy_links.request_links(s, email=EMAIL)
    with session_scope() as s:
        rows = s.exec(select(EmailMessage).where(EmailMessage.kind == privacy_links.MAIL_KIND,
                                                 EmailMessage.subject == "Your data at Acme")
                      .order_by(EmailMessage.created_at)).all()
        first, second = (re.search(r"token=(\S+)", m.body_text).group(1) for m in rows)
    with session_scope() as s, pytest.raises(E.ValidationError) as refused:
        privacy_links.erase(s, first, confirm_email="someone@example.test")
    assert refused.value.code == privacy_links.CONFIRM_MISMATCH
    with session_scope() as s:
        counts = privacy_links.erase(s, first, confirm_email="Robin@example.test ")
    assert counts["applications"] == 1 and counts["interviews"] == 1 and counts["transcript_entries"] == 1
    assert counts["accommodation_requests"] == 1 and counts["emails"] == 3  # invitation + two link mails
    with session_scope() as s:
        cand = s.get(Candidate, mine)
        assert cand.name == candidate_rights.ERASED_NAME and "robin" not in cand.email.lower()
        assert cand.phone is None and cand.resume_text is None
        kept = s.get(Interview, interview_id)
        assert kept.verdict == Verdict.PASS and kept.score == 81 and kept.ai_report is None  # aggregates stay
        assert not s.exec(select(TranscriptEntry).where(TranscriptEntry.interview_id == interview_id)).all()
        assert not s.exec(select(AccommodationRequest)).all()
        assert s.get(Candidate, other).name == "Robin Rivera"  # Globex keeps its own record
        assert s.get(Candidate, stranger).name == "Sam Stranger"
        globex_mail = s.exec(select(EmailMessage).where(EmailMessage.subject == "Globex says hello")).one()
        assert globex_mail.to_address == EMAIL
        acme_mails = s.exec(select(EmailMessage).where(EmailMessage.company_id == acme.company.id,
                                                       EmailMessage.kind != "accommodation_request")).all()
        assert all(m.to_address == "erased@erased.invalid" and m.body_text == "[erased]" for m in acme_mails)
        erased = s.exec(select(AuditLog).where(AuditLog.action == "candidate.erased")).one()
        assert erased.company_id == acme.company.id and erased.details["via"] == "link"
        assert not [a for a in s.exec(select(AuditLog)) if "robin@example.test" in str(a.details).lower()]
        assert not [p for p in s.exec(select(PrivacyLink)) if p.email == EMAIL and p.company_id == acme.company.id]
    with session_scope() as s, pytest.raises(privacy_links.PrivacyLinkGoneError) as used:
        privacy_links.summary(s, first)
    assert used.value.status_code == 410 and used.value.extra["reason"] == "used"
    assert used.value.message == privacy_links.USED_LINK
    with session_scope() as s, pytest.raises(E.NotFoundError):  # the other outstanding Acme link went too
        privacy_links.export_data(s, second)
    globex_token = link_tokens()["Your data at Globex"]
    with session_scope() as s:  # Globex's link still works
        assert privacy_links.summary(s, globex_token).applications == 1


def test_expired_and_unknown_links_are_refused_clearly():
    world()
    with session_scope() as s:
        privacy_links.request_links(s, email=EMAIL)
    token = link_tokens()["Your data at Acme"]
    with session_scope() as s:
        for row in s.exec(select(PrivacyLink)):
            row.expires_at = utcnow() - timedelta(seconds=1)
            s.add(row)
    for fn in (privacy_links.summary, privacy_links.export_data):
        with session_scope() as s, pytest.raises(privacy_links.PrivacyLinkGoneError) as gone:
            fn(s, token)
        assert gone.value.extra["reason"] == "expired" and gone.value.message == privacy_links.EXPIRED_LINK
    with session_scope() as s, pytest.raises(privacy_links.PrivacyLinkGoneError):
        privacy_links.erase(s, token, confirm_email=EMAIL)
    for bad in ("", "not-a-token", token[:-1]):
        with session_scope() as s, pytest.raises(E.NotFoundError) as unknown:
            privacy_links.summary(s, bad)
        assert unknown.value.code == privacy_links.LINK_NOT_FOUND
    with session_scope() as s:
        assert s.exec(select(Candidate).where(Candidate.name == "Robin Rivera")).all()  # nothing erased


def test_erase_me_also_removes_outstanding_links_of_the_account():
    acme, _, mine, *_ = world()
    user = make_user(UserRole.CANDIDATE, None, EMAIL, name="Robin Rivera")
    with session_scope() as s:
        s.get(Candidate, mine).user_id = user.id
    with session_scope() as s:
        privacy_links.request_links(s, email=EMAIL)
    with session_scope() as s:
        candidate_rights.erase_me(s, actor_of(user), confirm_email=EMAIL)
    with session_scope() as s:
        assert not [p for p in s.exec(select(PrivacyLink)) if p.company_id == acme.company.id]
        assert not s.exec(select(AccommodationRequest)).all()
