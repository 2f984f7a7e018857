"""The Alembic migrations build exactly the schema the models describe, on PostgreSQL and SQLite,
and downgrade cleanly (spec 4.3, 4.4)."""

from __future__ import annotations

import os

import psycopg
import pytest
import sqlalchemy as sa

from interviewer.db import include_in_autogenerate
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from sqlmodel import SQLModel

import interviewer.models  # noqa: F401  (registers every table)
from interviewer.core.config import PROJECT_ROOT

PG_ADMIN_URL = os.environ.get("TEST_PG_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
SPEC_INDEXES = {
    "users": {"idx_users_company_id", "idx_users_email"},
    "candidates": {"idx_candidates_company_id", "idx_candidates_status", "idx_candidates_assigned_to"},
    "interviews": {"idx_interviews_candidate_id", "idx_interviews_token"},
    "questions": {"idx_questions_job_template_id"},
}
SPEC_TABLES = {"users", "companies", "candidates", "job_templates", "questions", "interviews", "interview_rounds"}


@pytest.fixture(autouse=True)
def clean_state():
    """Overrides the suite-wide fixture: these tests use scratch databases of their own."""
    yield


@pytest.fixture(params=["postgresql", "sqlite"])
def scratch_url(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'migr.db'}"
        return
    name = f"interviewer_migr_{os.getpid()}_{os.environ.get('TEST_INSTANCE', '0')}"
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {name}")
    yield PG_ADMIN_URL.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://") + f"/{name}"
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def alembic_config(url: str) -> Config:
    cfg = Config(str(PROJECT_ROOT / "alembic.ini"))
    cfg.attributes["configure_logger"] = False
    cfg.attributes["url"] = url
    return cfg


def schema_diff(engine: sa.Engine) -> list:
    with engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True, "render_as_batch": True,
                                                     "include_object": include_in_autogenerate})
        return compare_metadata(ctx, SQLModel.metadata)


def test_upgrade_matches_models_then_downgrade_leaves_nothing(scratch_url):
    cfg = alembic_config(scratch_url)
    engine = sa.create_engine(scratch_url, poolclass=sa.pool.NullPool)
    try:
        assert sa.inspect(engine).get_table_names() == []
        command.upgrade(cfg, "head")

        inspector = sa.inspect(engine)
        tables = set(inspector.get_table_names())
        assert SPEC_TABLES <= tables
        assert tables == {t.name for t in SQLModel.metadata.sorted_tables} | {"alembic_version"}
        for table, wanted in SPEC_INDEXES.items():
            names = {ix["name"] for ix in inspector.get_indexes(table)}
            assert wanted <= names, (table, wanted - names)
        with engine.connect() as conn:
            heads = conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalars().all()
        assert len(heads) == 1

        diff = schema_diff(engine)
        assert diff == [], f"models and migrations disagree: {diff}"

        command.downgrade(cfg, "base")
        assert sa.inspect(engine).get_table_names() == ["alembic_version"]
        with engine.connect() as conn:
            assert conn.execute(sa.text("SELECT count(*) FROM alembic_version")).scalar() == 0

        # and back up again: the downgrade really removed everything it created
        command.upgrade(cfg, "head")
        assert schema_diff(engine) == []
    finally:
        engine.dispose()


def test_migrated_schema_enforces_constraints(scratch_url):
    """The CHECK constraints behind the enums, the unique e-mail and the foreign keys are real."""
    command.upgrade(alembic_config(scratch_url), "head")
    engine = sa.create_engine(scratch_url, poolclass=sa.pool.NullPool)
    if scratch_url.startswith("sqlite"):
        sa.event.listen(engine, "connect", lambda c, _r: c.execute("PRAGMA foreign_keys=ON"))
    insert_user = sa.text(
        "INSERT INTO users (id, email, password_hash, name, role, is_active, email_verified, created_at, company_id)"
        " VALUES (:id, :email, 'x', 'n', :role, true, false, CURRENT_TIMESTAMP, :company)")
    import uuid

    def uid() -> str:
        return uuid.uuid4().hex if scratch_url.startswith("sqlite") else str(uuid.uuid4())

    try:
        with engine.begin() as conn:
            conn.execute(insert_user, {"id": uid(), "email": "a@x.test", "role": "HR", "company": None})
        for params in ({"id": uid(), "email": "b@x.test", "role": "KING", "company": None},  # enum CHECK
                       {"id": uid(), "email": "a@x.test", "role": "HR", "company": None},  # unique email
                       {"id": uid(), "email": "c@x.test", "role": "HR", "company": uid()}):  # FK
            with pytest.raises(sa.exc.IntegrityError):
                with engine.begin() as conn:
                    conn.execute(insert_user, params)
        with engine.connect() as conn:
            assert conn.execute(sa.text("SELECT count(*) FROM users")).scalar() == 1
    finally:
        engine.dispose()
