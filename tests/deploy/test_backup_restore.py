"""deploy/backup.sh (pg_dump -Fc) and deploy/restore.sh (into a fresh database): data created
through the services is backed up, restored into a new database, and read back through the same
services on an engine pointed at the restored database."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import psycopg
import pytest
from sqlmodel import Session, select

from interviewer.core.config import PROJECT_ROOT
from interviewer.db import make_engine, session_scope
from interviewer.models import AuditLog, User
from interviewer.ops import libpq_url
from interviewer.services import auth as auth_service
from interviewer.services import candidates as candidate_service
from interviewer.services.authz import actor_for
from interviewer.services.candidate_schemas import CandidateCreate
from tests.conftest import PG_ADMIN_URL, TEST_DB
from tests.factories import PASSWORD, make_tenant

RESTORED_DB = f"{TEST_DB}_restored"

pytestmark = pytest.mark.skipif(shutil.which("pg_dump") is None, reason="PostgreSQL client tools missing")


def _drop(name: str) -> None:
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture
def restored_url():
    _drop(RESTORED_DB)
    url = libpq_url(os.environ["DATABASE_URL"]).rsplit("/", 1)[0] + f"/{RESTORED_DB}"
    yield url
    _drop(RESTORED_DB)


def _run(*cmd: str, env: dict[str, str] | None = None) -> str:
    done = subprocess.run(cmd, cwd=PROJECT_ROOT, capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, f"{cmd}: {done.stdout}\n{done.stderr}"
    return done.stdout


def test_backup_then_restore_into_a_fresh_database_keeps_everything(tmp_path: Path, restored_url: str):
    tenant = make_tenant("Acme")
    with session_scope() as s:
        actor = actor_for(s, s.get(User, tenant.hr.id))
        for i in range(25):
            candidate_service.create_candidate(s, actor, CandidateCreate(email=f"c{i}@example.test", name=f"Cand {i:02d}"))
    with session_scope() as s:
        actor = actor_for(s, s.get(User, tenant.hr.id))
        rows, total = candidate_service.list_candidates(s, actor, per_page=100, sort="name", descending=False)
        original = [(c.id, c.name, c.email) for c in rows]
        audit_count = len(s.exec(select(AuditLog)).all())
    assert total == 25

    dump = tmp_path / "interviewer.dump"
    out = _run("deploy/backup.sh", str(dump), env={**os.environ, "DATABASE_URL": os.environ["DATABASE_URL"]})
    assert out.strip() == str(dump) and dump.stat().st_size > 0
    assert not dump.with_name(dump.name + ".partial").exists()
    # Changes after the backup are not in it.
    with session_scope() as s:
        actor = actor_for(s, s.get(User, tenant.hr.id))
        candidate_service.create_candidate(s, actor, CandidateCreate(email="late@example.test", name="Late"))

    out = _run("deploy/restore.sh", str(dump), restored_url)
    assert f"into {RESTORED_DB}" in out and "alembic revision: " in out and "unknown" not in out
    # A second restore onto the now existing database is refused (restores go to a fresh database).
    again = subprocess.run(["deploy/restore.sh", str(dump), restored_url], cwd=PROJECT_ROOT, capture_output=True,
                           text=True, timeout=60)
    assert again.returncode == 3 and "already exists" in again.stderr

    engine = make_engine(restored_url.replace("postgresql://", "postgresql+psycopg://", 1))
    try:
        with Session(engine, expire_on_commit=False) as s:
            pair = auth_service.login(s, email="hr@acme.test", password=PASSWORD)  # password hashes survived
            s.commit()
            actor, _ = auth_service.authenticate_access_token(s, pair.access_token)
            rows, total = candidate_service.list_candidates(s, actor, per_page=100, sort="name", descending=False)
            assert total == 25
            assert [(c.id, c.name, c.email) for c in rows] == original
            assert len(s.exec(select(AuditLog)).all()) >= audit_count
    finally:
        engine.dispose()


def test_restore_refuses_a_missing_dump_and_non_postgres_targets(tmp_path: Path):
    missing = subprocess.run(["deploy/restore.sh", str(tmp_path / "none.dump"), "postgresql://x@127.0.0.1/y"],
                             cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=30)
    assert missing.returncode == 2
    (tmp_path / "a.dump").write_bytes(b"not a dump")
    sqlite = subprocess.run(["deploy/restore.sh", str(tmp_path / "a.dump"), "sqlite:///x.db"],
                            cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=30)
    assert sqlite.returncode == 2
