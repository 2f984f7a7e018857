"""Mail a person can use (issue 13, item 2): an HTML part with clickable absolute links next to
the kept plain text, dates a person reads, the verdict mail's report link absolute, and the
outbox's attachments (the invitation's .ics) reachable only within the reader's scope."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone

import pytest
from sqlmodel import select

from interviewer.core import errors as E
from interviewer.db import session_scope
from interviewer.models import EmailMessage, Interview, InterviewStatus, User, UserRole, Verdict
from interviewer.services import email as email_service
from interviewer.services import scoring
from interviewer.services.authz import actor_for
from interviewer.services.mail_render import app_url, human_datetime, link_segments, render_html
from tests.factories import make_candidate, make_tenant, make_user


def test_human_datetime_reads_like_a_person_writes():
    assert human_datetime(datetime(2026, 12, 1, 22, 35, tzinfo=timezone.utc)) == "Tue 1 Dec 2026, 22:35 UTC"
    plus_two = timezone(timedelta(hours=2))
    assert human_datetime(datetime(2026, 12, 2, 0, 35, tzinfo=plus_two)) == "Tue 1 Dec 2026, 22:35 UTC"
    assert human_datetime(datetime(2027, 1, 9, 7, 5)) == "Sat 9 Jan 2027, 07:05 UTC"  # naive is UTC


def test_link_segments_find_absolute_links_without_trailing_punctuation():
    pieces = link_segments("Open https://app.test/interviews/1. Or (http://x.test/a?b=1&c=2), thanks")
    assert [href for _, href in pieces if href] == ["https://app.test/interviews/1", "http://x.test/a?b=1&c=2"]
    assert "".join(text for text, _ in pieces) == "Open https://app.test/interviews/1. Or (http://x.test/a?b=1&c=2), thanks"
    assert link_segments("/interviews/1 is relative") == [("/interviews/1 is relative", "")]


def test_render_html_escapes_text_and_links_urls():
    body = "Hello <b>Ann</b> & co,\n\nYour link: https://app.test/interview/abc?x=1&y=2\nBye.\n"
    out = render_html("Invite <1>", body)
    assert '<a href="https://app.test/interview/abc?x=1&amp;y=2"' in out
    assert "&lt;b&gt;Ann&lt;/b&gt; &amp; co," in out and "<b>Ann</b>" not in out
    assert out.count("<p ") == 3 and "<title>Invite &lt;1&gt;</title>" in out  # two paragraphs + footer
    assert 'href="javascript' not in render_html("s", "javascript:alert(1) https://ok.test")


def test_every_queued_mail_gets_an_html_part_and_keeps_its_text():
    with session_scope() as s:
        message = email_service.queue_email(s, to="a@example.test", subject="Hi", kind="test",
                                            body_text="Set your password: http://testserver/set-password?token=t\n")
        assert message.body_text == "Set your password: http://testserver/set-password?token=t\n"
        assert '<a href="http://testserver/set-password?token=t"' in message.body_html
        explicit = email_service.queue_email(s, to="a@example.test", subject="Hi", kind="test",
                                             body_text="x", body_html="<p>mine</p>")
        assert explicit.body_html == "<p>mine</p>"


def test_verdict_ready_mail_links_to_the_report_with_an_absolute_url():
    t = make_tenant()
    cand = make_candidate(t.company.id, "robin@example.test", name="Robin Rivera")
    with session_scope() as s:
        iv = Interview(company_id=t.company.id, candidate_id=cand.id, token=uuid.uuid4().hex,
                       status=InterviewStatus.COMPLETED, score=77, verdict=Verdict.PASS)
        s.add(iv)
        s.flush()
        scoring._notify(s, iv)
        interview_id = iv.id
    with session_scope() as s:
        mails = s.exec(select(EmailMessage).where(EmailMessage.kind == "verdict_ready")).all()
    assert mails and all(m.to_address in ("hr@acme.test",) for m in mails)
    report = app_url(f"/interviews/{interview_id}")
    assert report == f"http://testserver/interviews/{interview_id}"
    assert all(report in m.body_text and f'<a href="{report}"' in m.body_html for m in mails)


def test_outbox_attachment_is_readable_within_scope_only():
    acme, globex = make_tenant("Acme"), make_tenant("Globex")
    admin = make_user(UserRole.SYSTEM_ADMIN, None, "root@example.test")
    with session_scope() as s:
        message = email_service.queue_email(
            s, to="c@example.test", subject="Invite", body_text="x", kind="interview_invitation",
            company_id=acme.company.id,
            attachments=[{"filename": "invite.ics", "content_type": "text/calendar; method=REQUEST",
                          "content": "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"}])
        message_id = message.id
    with session_scope() as s:
        hr = actor_for(s, s.get(User, acme.hr.id))
        att = email_service.get_outbox_attachment(s, hr, message_id, 0)
        assert att["filename"] == "invite.ics" and att["content"].startswith("BEGIN:VCALENDAR")
        assert email_service.get_outbox_attachment(s, actor_for(s, s.get(User, admin.id)), message_id, 0) == att
        with pytest.raises(E.NotFoundError):
            email_service.get_outbox_attachment(s, hr, message_id, 1)
        with pytest.raises(E.NotFoundError):  # another company's mail does not exist for them
            email_service.get_outbox_attachment(s, actor_for(s, s.get(User, globex.hr.id)), message_id, 0)
        with pytest.raises(E.PermissionDeniedError):  # an employee has no outbox
            email_service.get_outbox_attachment(s, actor_for(s, s.get(User, acme.employee.id)), message_id, 0)
