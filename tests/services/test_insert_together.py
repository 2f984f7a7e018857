"""Rows written together (issue 16): ``db.insert_together`` writes new rows as one statement on
PostgreSQL (data-modifying CTEs) and one INSERT per row on SQLite, the same values either way;
jobs queued with ``enqueue_after_commit`` go to Redis in one round trip after the outermost
commit, and never after a rollback; creating a user with a taken e-mail writes and enqueues
nothing."""

from __future__ import annotations

import contextlib
import uuid

import pytest
import redis.connection
import sqlalchemy as sa
from sqlmodel import Session, SQLModel, select

from interviewer.core import errors as E
from interviewer.db import get_engine, insert_together, session_scope
from interviewer.jobs import queue as job_queue
from interviewer.models import (
    AuditLog,
    Company,
    EmailMessage,
    EmailStatus,
    User,
    UserRole,
)
from interviewer.services import audit
from interviewer.services.email import outbox_mail, queue_email
from tests.factories import auth, make_tenant


@contextlib.contextmanager
def statements(engine: sa.engine.Engine):
    seen: list[str] = []

    def before(conn, cursor, statement, parameters, context, executemany):
        seen.append(" ".join(statement.split()))
    sa.event.listen(engine, "before_cursor_execute", before)
    try:
        yield seen
    finally:
        sa.event.remove(engine, "before_cursor_execute", before)


@contextlib.contextmanager
def redis_round_trips():
    """Every batch of commands a Redis connection sends (a pipeline is one)."""
    sent: list[object] = []
    original = redis.connection.AbstractConnection.send_packed_command

    def counting(self, command, *args, **kwargs):
        sent.append(command)
        return original(self, command, *args, **kwargs)
    redis.connection.AbstractConnection.send_packed_command = counting
    try:
        yield sent
    finally:
        redis.connection.AbstractConnection.send_packed_command = original


def _write_company_and_people(session: Session) -> tuple[Company, User, uuid.UUID]:
    """A new company, a user in it (a row of the same call: its foreign key), an audit entry and a
    mail given as values only."""
    company = Company(name="Together Co")
    user = User(email="lee@together.test", name="Lee", role=UserRole.HR, company_id=company.id, password_hash="!x")
    mail = outbox_mail(session, to=user.email, subject="Hello", body_text="Hi Lee,\nhttp://x.test/a\n",
                       kind="test", company_id=company.id)
    insert_together(session, company, user, (EmailMessage, mail),
                    (AuditLog, audit.entry(actor=None, action="user.create", entity_type="user", entity_id=user.id,
                                           company_id=company.id, details={"email": user.email})))
    return company, user, mail["id"]


def _check_written(session: Session, company: Company, user: User, mail_id: uuid.UUID) -> None:
    assert sa.inspect(user).persistent and user in session  # as after a flush
    assert session.get(User, user.id) is user
    user.department = "Sales"  # a later change is an UPDATE of the written row
    session.flush()
    got = session.exec(select(User).where(User.email == "lee@together.test")).one()
    assert got.department == "Sales" and got.company_id == company.id and got.is_active
    mail = session.get(EmailMessage, mail_id)
    assert mail.status == EmailStatus.PENDING and mail.attempts == 0 and mail.attachments == []
    assert mail.body_html and 'href="http://x.test/a"' in mail.body_html  # rendered from the text
    assert mail.created_at is not None
    entry = session.exec(select(AuditLog).where(AuditLog.entity_id == str(user.id))).one()
    assert entry.id and entry.created_at and entry.details == {"email": "lee@together.test"}


def test_postgresql_writes_the_rows_as_one_statement():
    engine = get_engine()
    assert engine.dialect.name == "postgresql"
    with session_scope() as s, statements(engine) as seen:
        company, user, mail_id = _write_company_and_people(s)
        assert len(seen) == 1 and seen[0].startswith("WITH"), seen
        assert [t for t in ("companies", "users", "email_outbox", "audit_logs")
                if f"INSERT INTO {t} " in seen[0]] == ["companies", "users", "email_outbox", "audit_logs"]
        _check_written(s, company, user, mail_id)


def test_sqlite_writes_one_insert_per_row_in_order():
    engine = sa.create_engine("sqlite://")
    SQLModel.metadata.create_all(engine)
    with Session(engine, expire_on_commit=False) as s, statements(engine) as seen:
        company, user, mail_id = _write_company_and_people(s)
        assert [x.split()[2] for x in seen] == ["companies", "users", "email_outbox", "audit_logs"], seen
        _check_written(s, company, user, mail_id)
        s.rollback()  # nothing of it committed: the mail job is dropped with the transaction
    engine.dispose()


def test_a_refused_row_writes_nothing_of_the_statement():
    tenant = make_tenant()
    with session_scope() as s:
        before = len(s.exec(select(AuditLog)).all())
    with pytest.raises(sa.exc.IntegrityError), session_scope() as s:
        taken = User(email=tenant.hr.email, name="Again", role=UserRole.EMPLOYEE, company_id=tenant.company.id,
                     password_hash="!x")
        insert_together(s, (AuditLog, audit.entry(actor=None, action="probe", entity_type="user", entity_id=None,
                                                  company_id=tenant.company.id)), taken)
    with session_scope() as s:
        assert len(s.exec(select(AuditLog)).all()) == before


def test_objects_already_in_a_session_are_refused():
    with session_scope() as s:
        company = Company(name="Pending Co")
        s.add(company)
        with pytest.raises(ValueError):
            insert_together(s, company)


def _email_jobs() -> list[str]:
    return job_queue.get_queue("email").job_ids


def test_the_jobs_of_a_transaction_go_in_one_round_trip_after_its_commit():
    job_queue.enqueue("send_email", "warm-up", job_id="email-warm-up")  # the server version RQ caches
    with redis_round_trips() as sent, session_scope() as s:
        first = queue_email(s, to="a@x.test", subject="One", body_text="1", kind="test")
        second = queue_email(s, to="b@x.test", subject="Two", body_text="2", kind="test")
        with s.begin_nested():  # a savepoint released is not the commit
            third = queue_email(s, to="c@x.test", subject="Three", body_text="3", kind="test")
        assert sent == [] and _email_jobs() == ["email-warm-up"]
        sent.clear()  # (that look at the queue)
    assert len(sent) == 1  # one pipeline: every job, its queue push and the queue registry
    assert _email_jobs() == ["email-warm-up", f"email-{first.id}", f"email-{second.id}", f"email-{third.id}"]


def test_a_rollback_enqueues_nothing_even_after_a_savepoint():
    with pytest.raises(RuntimeError), session_scope() as s:
        with s.begin_nested():
            queue_email(s, to="a@x.test", subject="One", body_text="1", kind="test")
        raise RuntimeError("rolled back")
    assert _email_jobs() == []
    with Session(get_engine()) as s:  # a session rolled back and then used again
        queue_email(s, to="b@x.test", subject="Two", body_text="2", kind="test")
        s.flush()
        s.rollback()
        s.commit()
    assert _email_jobs() == []


def test_creating_a_user_with_a_taken_email_writes_and_enqueues_nothing(api):
    acme = make_tenant()
    headers = auth(acme.hr)
    body = {"email": "dup@acme.test", "name": "Dup", "role": "EMPLOYEE"}
    assert api.post("/api/v1/users", headers=headers, json=body).status_code == 201
    jobs = _email_jobs()
    assert len(jobs) == 1
    with session_scope() as s:
        audits = len(s.exec(select(AuditLog).where(AuditLog.action == "user.create")).all())
    r = api.post("/api/v1/users", headers=headers, json={**body, "email": "DUP@acme.test"})
    assert r.status_code == 409 and r.json()["error_code"] == E.USER_EMAIL_TAKEN
    assert _email_jobs() == jobs
    with session_scope() as s:
        assert len(s.exec(select(EmailMessage).where(EmailMessage.to_address == "dup@acme.test")).all()) == 1
        assert len(s.exec(select(AuditLog).where(AuditLog.action == "user.create")).all()) == audits
