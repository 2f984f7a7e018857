"""Writes do one round trip's worth of work (issue 16): creating a user is one INSERT statement for
the rows it adds (the user, its set-password mail, the audit entry; PostgreSQL data-modifying
CTEs), the unique e-mail constraint being the duplicate check, with nothing re-read, and its mail
job is enqueued once the transaction has committed."""

from __future__ import annotations

import contextlib
import re

import sqlalchemy as sa
from sqlmodel import select

from interviewer.core import errors as E
from interviewer.db import session_scope
from interviewer.models import AuditLog, EmailMessage, User
from tests.factories import auth, make_tenant


@contextlib.contextmanager
def statements():
    seen: list[str] = []

    def before(conn, cursor, statement, parameters, context, executemany):
        seen.append(" ".join(statement.split()))
    sa.event.listen(sa.engine.Engine, "before_cursor_execute", before)
    try:
        yield seen
    finally:
        sa.event.remove(sa.engine.Engine, "before_cursor_execute", before)


def test_creating_a_user_is_one_insert_statement_and_nothing_read_back(api):
    acme = make_tenant()
    headers = auth(acme.hr)
    assert api.get("/api/v1/auth/me", headers=headers).status_code == 200  # the session cache is warm
    with statements() as seen:
        r = api.post("/api/v1/users", headers=headers,
                     json={"email": "new.hire@acme.test", "name": "New Hire", "role": "EMPLOYEE"})
    assert r.status_code == 201, r.text
    assert len(seen) == 1 and seen[0].startswith("WITH"), seen  # no look-up first, one statement
    assert sorted(re.findall(r"INSERT INTO (\w+)", seen[0])) == ["audit_logs", "email_outbox", "users"], seen
    with session_scope() as s:
        user = s.exec(select(User).where(User.email == "new.hire@acme.test")).one()
        assert user.verification_token and user.verification_expires_at  # the link, in the one INSERT
        assert s.exec(select(EmailMessage).where(EmailMessage.to_address == "new.hire@acme.test")).one()
        assert s.exec(select(AuditLog).where(AuditLog.action == "user.create",
                                             AuditLog.entity_id == str(user.id))).one()


def test_a_duplicate_email_still_writes_nothing(api):
    acme = make_tenant()
    headers = auth(acme.hr)
    body = {"email": "dup@acme.test", "name": "Dup", "role": "EMPLOYEE"}
    assert api.post("/api/v1/users", headers=headers, json=body).status_code == 201
    with statements() as seen:
        r = api.post("/api/v1/users", headers=headers, json=body)
    assert r.status_code == 409 and r.json()["error_code"] == E.USER_EMAIL_TAKEN
    # the unique constraint is the check (no look-up); the refused INSERT rolls the mail back too
    assert not [s for s in seen if s.startswith("SELECT")] and "INSERT" in seen[-1], seen
    with session_scope() as s:
        assert len(s.exec(select(EmailMessage).where(EmailMessage.to_address == "dup@acme.test")).all()) == 1


def test_a_page_of_users_and_its_total_are_one_statement(api):
    acme = make_tenant()
    headers = auth(acme.hr)
    for i in range(3):
        assert api.post("/api/v1/users", headers=headers,
                        json={"email": f"hire{i}@acme.test", "name": f"Hire {i}", "role": "EMPLOYEE"}).status_code == 201
    with session_scope() as s:
        staff = len(s.exec(select(User).where(User.company_id == acme.company.id)).all())
    assert staff >= 4
    assert api.get("/api/v1/auth/me", headers=headers).status_code == 200  # the session cache is warm
    with statements() as seen:
        r = api.get("/api/v1/users", headers=headers, params={"per_page": 2})
    assert r.status_code == 200 and r.json()["total"] == staff and len(r.json()["users"]) == 2
    assert [s.split()[0] for s in seen if not s.startswith(("BEGIN", "COMMIT", "ROLLBACK", ";", "select 1"))] \
        == ["SELECT"], seen
    with statements() as seen:  # a page past the end has no row to carry the total: counted apart
        beyond = api.get("/api/v1/users", headers=headers, params={"per_page": 2, "page": 5}).json()
    assert beyond["users"] == [] and beyond["total"] == staff and len([s for s in seen if s.startswith("SELECT")]) == 2


def test_a_unique_violation_is_told_apart_on_both_databases():
    """The duplicate check reads the database's own refusal: the same answer from PostgreSQL's
    SQLSTATE/detail and from SQLite's message (the embedded default)."""
    import pytest

    from interviewer.db import get_engine, is_unique_violation

    sqlite = sa.create_engine("sqlite://")
    for engine in (sqlite, get_engine()):
        meta = sa.MetaData()
        table = sa.Table("uv_probe", meta, sa.Column("id", sa.Integer, primary_key=True),
                         sa.Column("email", sa.String(50), unique=True), sa.Column("name", sa.String(50)))
        meta.drop_all(engine)
        meta.create_all(engine)
        try:
            with engine.begin() as conn:
                conn.execute(table.insert().values(id=1, email="a@x.test"))
            with pytest.raises(sa.exc.IntegrityError) as refused, engine.begin() as conn:
                conn.execute(table.insert().values(id=2, email="a@x.test"))
            assert is_unique_violation(refused.value, "uv_probe", "email")
            assert not is_unique_violation(refused.value, "uv_probe", "name")
            assert not is_unique_violation(refused.value, "users", "email")
            with pytest.raises(sa.exc.IntegrityError) as same_id, engine.begin() as conn:
                conn.execute(table.insert().values(id=1, email="b@x.test"))
            assert not is_unique_violation(same_id.value, "uv_probe", "email")
        finally:
            meta.drop_all(engine)


def test_listings_read_on_connections_that_stay_in_autocommit(api, monkeypatch):
    """A read-only unit of work (listings) runs on a pool of its own whose connections are in
    autocommit for good: no BEGIN/COMMIT, and no switching a connection into autocommit and its
    isolation level and back on every request (six more driver calls, as the shared pool did)."""
    import psycopg

    from interviewer.db import _read_engine, get_engine

    acme = make_tenant()
    headers = auth(acme.hr)
    assert api.get("/api/v1/users", headers=headers).status_code == 200  # warm: pool and session cache
    calls: list[str] = []
    real = psycopg.Connection.wait

    def counted(self, gen, *args, **kwargs):
        calls.append(getattr(gen, "__name__", ""))
        return real(self, gen, *args, **kwargs)

    monkeypatch.setattr(psycopg.Connection, "wait", counted)
    with statements() as seen:
        r = api.get("/api/v1/users", headers=headers)
    assert r.status_code == 200 and r.json()["total"] >= 1
    assert [s.split()[0] for s in seen] == ["SELECT"], seen
    # one query; commit and rollback are the driver's no-ops outside a transaction (no round trip)
    assert calls.count("_execute_gen") == 1 and set(calls) <= {"_execute_gen", "_commit_gen", "_rollback_gen"}, calls
    reads, main = _read_engine(), get_engine()
    assert reads is not main and reads.pool.size() == main.pool.size() // 2
    with reads.connect() as conn:
        assert conn.connection.dbapi_connection.autocommit is True
    with main.connect() as conn:  # the main pool's units of work stay transactions
        assert conn.connection.dbapi_connection.autocommit is False
