"""``db.read_rows`` (issue 16): on PostgreSQL it runs a kept statement on the driver's connection,
and must give exactly what SQLAlchemy's own execution gives, type processing of parameters and
columns included; on SQLite it is SQLAlchemy's execution."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import sqlalchemy as sa
from sqlmodel import Session, SQLModel, select

import interviewer.models  # noqa: F401  (registers every table)
from interviewer.db import make_engine, read_rows, session_scope
from interviewer.models import User, UserRole
from tests.factories import make_tenant, make_user

# Parameters of an Enum column, a time zone-aware column and a UUID column; every column type of
# the users table comes back (UUIDs, an Enum, booleans, time stamps, NULLs).
STATEMENT = (select(User.__table__, sa.func.count().over().label("total"))
             .where(User.company_id == sa.bindparam("company_id"), User.role == sa.bindparam("role"),
                    User.created_at > sa.bindparam("after"))
             .order_by(User.email).limit(sa.bindparam("limit")))


def _params(company_id) -> dict:
    # a naive time: SQLAlchemy's column type reads it as UTC before sending it
    return {"company_id": company_id, "role": UserRole.EMPLOYEE, "limit": 10,
            "after": datetime.now(timezone.utc).replace(tzinfo=None) - timedelta(hours=1)}


def _through_sqlalchemy(session: Session, params: dict) -> tuple[tuple[str, ...], list[tuple]]:
    result = session.connection().execute(STATEMENT, params)
    return tuple(result.keys()), [tuple(row) for row in result.all()]


def test_postgresql_rows_equal_sqlalchemys_own():
    t, other = make_tenant("Acme"), make_tenant("Globex")
    for i in range(3):
        make_user(UserRole.EMPLOYEE, t.company.id, f"e{i}@acme.test", active=i != 1)
    make_user(UserRole.EMPLOYEE, other.company.id, "e@globex.test")
    for readonly in (True, False):  # autocommit reads, and inside a unit of work
        with session_scope(readonly=readonly) as s:
            assert s.connection().dialect.name == "postgresql"
            for _ in range(7):  # past psycopg's prepare threshold: the server-side prepared form too
                keys, rows = read_rows(s, STATEMENT, _params(t.company.id))
                assert (keys, rows) == _through_sqlalchemy(s, _params(t.company.id))
            assert [r[keys.index("email")] for r in rows] == ["dev@acme.test", "e0@acme.test", "e1@acme.test",
                                                               "e2@acme.test"]
            assert rows[0][keys.index("role")] is UserRole.EMPLOYEE  # the column's own processing
            assert rows[0][keys.index("created_at")].tzinfo is not None
            assert [r[keys.index("is_active")] for r in rows] == [True, True, False, True]
            assert {r[-1] for r in rows} == {4}
            # another company's parameters: its rows only
            other_params = {**_params(other.company.id), "role": UserRole.HR}
            keys, rows = read_rows(s, STATEMENT, other_params)
            assert (keys, rows) == _through_sqlalchemy(s, other_params)
            assert [r[keys.index("email")] for r in rows] == ["hr@globex.test"]
            assert read_rows(s, STATEMENT, {**_params(t.company.id), "limit": 0})[1] == []


def test_sqlite_runs_through_sqlalchemy(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'rows.db'}")
    SQLModel.metadata.create_all(engine)
    try:
        with Session(engine) as s:
            company = interviewer.models.Company(name="Acme")
            s.add(company)
            s.flush()
            s.add(User(email="a@acme.test", name="A", role=UserRole.EMPLOYEE, company_id=company.id,
                       password_hash="x"))
            s.commit()
            keys, rows = read_rows(s, STATEMENT, _params(company.id))
            assert (keys, rows) == _through_sqlalchemy(s, _params(company.id))
            assert len(rows) == 1 and rows[0][keys.index("role")] is UserRole.EMPLOYEE
            assert rows[0][keys.index("created_at")].tzinfo is not None
    finally:
        engine.dispose()
