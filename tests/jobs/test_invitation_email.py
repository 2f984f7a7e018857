"""End to end: scheduling queues the invitation, a real RQ worker delivers it to a real SMTP
server on 127.0.0.1, and the received message carries a parseable iCalendar attachment."""

from __future__ import annotations

import email
import email.policy
import os
import socket
from datetime import datetime, timezone

import pytest
from aiosmtpd.controller import Controller

from interviewer.core.config import reset_settings_cache
from interviewer.models import EmailStatus
from interviewer.services.mail_render import human_datetime
from tests.api.test_interviews_support import World, future, iso, outbox, token_of

SMTP_ENV = ("SMTP_HOST", "SMTP_PORT", "SMTP_STARTTLS")


class Sink:
    def __init__(self) -> None:
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd hook name
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"

    def messages(self) -> list[email.message.EmailMessage]:
        return [email.message_from_bytes(e.content, policy=email.policy.default) for e in self.envelopes]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp_server():
    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=_free_port())
    controller.start()
    saved = {name: os.environ.get(name) for name in SMTP_ENV}
    os.environ.update(SMTP_HOST="127.0.0.1", SMTP_PORT=str(controller.port), SMTP_STARTTLS="false")
    reset_settings_cache()
    try:
        yield sink
    finally:
        controller.stop()
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        reset_settings_cache()


def unfold(text: str) -> list[str]:
    lines: list[str] = []
    for raw in text.split("\r\n"):
        if raw[:1] in (" ", "\t") and lines:
            lines[-1] += raw[1:]
        elif raw:
            lines.append(raw)
    return lines


def ics_props(text: str) -> dict[str, str]:
    props: dict[str, str] = {}
    for line in unfold(text):
        name, _, value = line.partition(":")
        props.setdefault(name.split(";")[0].upper(), value)
    return props


def calendar_part(message: email.message.EmailMessage) -> str:
    [part] = [p for p in message.walk() if p.get_content_type() == "text/calendar"]
    raw = part.get_payload(decode=True)
    text = raw.decode("utf-8")
    assert "\r\n" in text and "\n" not in text.replace("\r\n", "")  # CRLF survived the transport
    return text


def body_text(message: email.message.EmailMessage) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def test_invitation_update_and_cancellation_reach_the_smtp_server(api, run_jobs, smtp_server):
    w = World()
    start = future(30)
    created = api.post("/api/v1/interviews", json=w.body(scheduled_at=iso(start), duration_minutes=45), headers=w.hr)
    assert created.status_code == 201, created.text
    interview = created.json()
    assert smtp_server.envelopes == []  # nothing is sent inside the request
    run_jobs()

    [invite] = smtp_server.messages()
    assert smtp_server.envelopes[0].rcpt_tos == ["casey@example.test"]
    assert invite["To"] == "casey@example.test"
    assert invite["Subject"] == "Interview invitation: Backend Engineer at Acme"
    text = body_text(invite)
    assert interview["interview_link"] in text and "http://testserver/interview/" + token_of(interview) in text
    assert human_datetime(start) in text and "Backend Engineer" in text and "Acme" in text
    html_part = invite.get_body(preferencelist=("html",)).get_content()  # the HTML alternative, links clickable
    assert f'<a href="{interview["interview_link"]}"' in html_part and "Backend Engineer" in html_part
    ics = calendar_part(invite)
    props = ics_props(ics)
    assert props["METHOD"] == "REQUEST" and props["SEQUENCE"] == "0" and props["STATUS"] == "CONFIRMED"
    assert props["UID"] == f"interview-{interview['id']}@testserver"
    dtstart = datetime.strptime(props["DTSTART"], "%Y%m%dT%H%M%SZ").replace(tzinfo=timezone.utc)
    assert dtstart == start
    assert props["DTEND"] == (start.replace(minute=45)).strftime("%Y%m%dT%H%M%SZ")
    assert interview["interview_link"] in props["DESCRIPTION"].replace("\\n", "\n")
    assert props["ATTENDEE"] == "mailto:casey@example.test" and props["ORGANIZER"].startswith("mailto:")
    assert all(m.status == EmailStatus.SENT for m in outbox())

    new_start = future(54)
    moved = api.put(f"/api/v1/interviews/{interview['id']}/reschedule", json={"scheduled_at": iso(new_start)},
                    headers=w.hr).json()
    api.put(f"/api/v1/interviews/{interview['id']}/cancel", json={"reason": "Hiring paused"}, headers=w.hr)
    run_jobs()

    _, update, cancel = smtp_server.messages()
    assert update["Subject"].startswith("Updated interview time")
    update_props = ics_props(calendar_part(update))
    assert update_props["METHOD"] == "REQUEST" and update_props["SEQUENCE"] == "1"
    assert update_props["UID"] == props["UID"] and update_props["DTSTART"] == new_start.strftime("%Y%m%dT%H%M%SZ")
    assert moved["interview_link"] in body_text(update) and interview["interview_link"] not in body_text(update)

    assert cancel["Subject"] == "Interview cancelled: Backend Engineer at Acme"
    cancel_props = ics_props(calendar_part(cancel))
    assert cancel_props["METHOD"] == "CANCEL" and cancel_props["STATUS"] == "CANCELLED"
    assert cancel_props["UID"] == props["UID"] and int(cancel_props["SEQUENCE"]) == 2
    assert "Hiring paused" in body_text(cancel)
    assert [m.status for m in outbox()] == [EmailStatus.SENT] * 3

    run_jobs()  # idempotent: nothing is delivered twice
    assert len(smtp_server.envelopes) == 3
