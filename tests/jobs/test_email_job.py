"""The send_email job, run by a real RQ worker, delivering to a real SMTP server (aiosmtpd)."""

from __future__ import annotations

import os
import socket
import uuid
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller
from rq import Queue

from interviewer.core.config import get_settings, reset_settings_cache
from interviewer.db import session_scope
from interviewer.jobs.queue import enqueue, rq_connection
from interviewer.models import EmailMessage, EmailStatus
from interviewer.services.email import queue_email
from tests.factories import restore_environment


class Inbox:
    def __init__(self):
        self.messages: list[dict] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd hook name
        self.messages.append({"from": envelope.mail_from, "to": list(envelope.rcpt_tos),
                              "message": message_from_bytes(envelope.original_content or envelope.content,
                                                            policy=policy.default)})
        return "250 OK"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp_env():
    """Point the settings at an SMTP address; restored (and the settings cache cleared) afterwards."""
    saved: dict[str, str | None] = {}

    def _set(**env: str) -> None:
        for key, value in env.items():
            saved.setdefault(key, os.environ.get(key))
            os.environ[key] = value
        reset_settings_cache()

    yield _set
    restore_environment(saved)


@pytest.fixture
def smtp_server(smtp_env):
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    smtp_env(SMTP_HOST="127.0.0.1", SMTP_PORT=str(port), SMTP_STARTTLS="false",
             SMTP_FROM="Interviewer <no-reply@interviewer.test>")
    yield inbox
    controller.stop()


def queue(to="casey@example.test", subject="Your interview", body="Hello Casey,\nSee you soon.\n", **kw) -> uuid.UUID:
    with session_scope() as s:
        return queue_email(s, to=to, subject=subject, body_text=body, kind="test", **kw).id


def row(message_id: uuid.UUID) -> EmailMessage:
    with session_scope() as s:
        return s.get(EmailMessage, message_id)


def email_queue() -> Queue:
    return Queue("email", connection=rq_connection())


def test_job_is_enqueued_only_after_commit():
    assert email_queue().count == 0
    with pytest.raises(RuntimeError):
        with session_scope() as s:
            queue_email(s, to="x@example.test", subject="s", body_text="b", kind="test")
            raise RuntimeError("rolled back")
    assert email_queue().count == 0
    message_id = queue()
    assert email_queue().job_ids == [f"email-{message_id}"]
    assert row(message_id).status == EmailStatus.PENDING


def test_worker_delivers_to_smtp_and_marks_the_row_sent(smtp_server, run_jobs):
    assert get_settings().SMTP_HOST == "127.0.0.1"
    message_id = queue(attachments=[{"filename": "invite.ics", "content_type": "text/calendar",
                                     "content": "BEGIN:VCALENDAR\nEND:VCALENDAR\n"}],
                       body_html="<p>Hello Casey</p>")
    assert smtp_server.messages == []
    run_jobs()

    assert len(smtp_server.messages) == 1
    got = smtp_server.messages[0]
    assert got["to"] == ["casey@example.test"] and got["from"] == "no-reply@interviewer.test"
    mime = got["message"]
    assert mime["Subject"] == "Your interview" and mime["Message-ID"] == f"<{message_id}@interviewer>"
    assert "See you soon." in mime.get_body(preferencelist=("plain",)).get_content()
    assert "<p>Hello Casey</p>" in mime.get_body(preferencelist=("html",)).get_content()
    attachments = list(mime.iter_attachments())
    assert [a.get_filename() for a in attachments] == ["invite.ics"]

    stored = row(message_id)
    assert stored.status == EmailStatus.SENT and stored.sent_at is not None
    assert stored.attempts == 1 and stored.last_error is None
    assert email_queue().count == 0


def test_running_the_job_twice_sends_once(smtp_server, run_jobs):
    message_id = queue()
    run_jobs()
    enqueue("send_email", str(message_id), job_id=f"email-again-{message_id}")  # e.g. a duplicate delivery
    run_jobs()
    assert len(smtp_server.messages) == 1
    stored = row(message_id)
    assert stored.status == EmailStatus.SENT and stored.attempts == 1


def test_without_smtp_the_message_stays_in_the_outbox(run_jobs):
    assert get_settings().SMTP_HOST == ""
    message_id = queue()
    run_jobs()
    stored = row(message_id)
    assert stored.status == EmailStatus.OUTBOX and stored.sent_at is None and stored.attempts == 1
    # running it again does not change anything
    enqueue("send_email", str(message_id), job_id=f"email-again-{message_id}")
    run_jobs()
    assert row(message_id).attempts == 1


def test_unreachable_smtp_marks_failed_and_a_retry_delivers(smtp_env, run_jobs):
    dead_port = free_port()
    smtp_env(SMTP_HOST="127.0.0.1", SMTP_PORT=str(dead_port), SMTP_STARTTLS="false")
    message_id = queue()
    run_jobs()
    stored = row(message_id)
    assert stored.status == EmailStatus.FAILED and stored.attempts == 1
    assert "Connection" in stored.last_error or "refused" in stored.last_error.lower()

    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=dead_port)
    controller.start()
    try:
        enqueue("send_email", str(message_id), job_id=f"email-retry-{message_id}")
        run_jobs()
    finally:
        controller.stop()
    assert len(inbox.messages) == 1
    stored = row(message_id)
    assert stored.status == EmailStatus.SENT and stored.attempts == 2 and stored.last_error is None


def test_account_emails_from_the_api_are_delivered(smtp_server, run_jobs, api):
    """End to end: a sign-up queues the verification email, the worker sends it over SMTP."""
    r = api.post("/api/v1/auth/signup", json={"name": "Casey", "email": "casey@example.test",
                                              "password": "a-fine-passphrase"})
    assert r.status_code == 201
    run_jobs()
    assert len(smtp_server.messages) == 1
    mime = smtp_server.messages[0]["message"]
    assert mime["To"] == "casey@example.test"
    assert "http://testserver/verify-email?token=" in mime.get_body(preferencelist=("plain",)).get_content()
