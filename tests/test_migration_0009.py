"""Migration 0009 (issue 12) on data: links sent before it keep working with only their hash
stored; plaintext company AI keys become encrypted and stay usable; downgrade decrypts them."""

from __future__ import annotations

import hashlib
import json
import uuid

import pytest
import sqlalchemy as sa
from alembic import command
from sqlmodel import Session

from interviewer.core.crypto import decrypt_secret
from interviewer.models import Interview
from interviewer.services.ai.provider import load_ai_config
from interviewer.services.interviews import find_by_token
from tests.test_migrations import alembic_config, scratch_url  # noqa: F401  (fixture)

RAW_TOKEN = "Zx9-legacy-link-token-sent-before-0009_abcdefghij"
PLAIN_KEY = "AIza-legacy-plaintext-key-123"


@pytest.fixture(autouse=True)
def clean_state():  # the scratch databases need nothing from the suite-wide fixture
    yield


def _ids(url: str) -> tuple[str, str, str]:
    make = (lambda: uuid.uuid4().hex) if url.startswith("sqlite") else (lambda: str(uuid.uuid4()))
    return make(), make(), make()


def test_0009_hashes_old_link_tokens_and_encrypts_plaintext_ai_keys(scratch_url):  # noqa: F811
    cfg = alembic_config(scratch_url)
    command.upgrade(cfg, "0008")
    engine = sa.create_engine(scratch_url, poolclass=sa.pool.NullPool)
    company, candidate, interview = _ids(scratch_url)
    settings = {"ai": {"provider": "gemini", "model": "gemini-2.5-flash", "api_key": PLAIN_KEY}, "x": 1}
    try:
        with engine.begin() as conn:
            conn.execute(sa.text("INSERT INTO companies (id, name, is_active, settings, created_at) "
                                 "VALUES (:id, 'Acme', true, :settings, CURRENT_TIMESTAMP)"),
                         {"id": company, "settings": json.dumps(settings)})
            conn.execute(sa.text("INSERT INTO candidates (id, company_id, name, email, status, created_at) "
                                 "VALUES (:id, :c, 'Cand', 'c@x.test', 'new', CURRENT_TIMESTAMP)"),
                         {"id": candidate, "c": company})
            conn.execute(sa.text("INSERT INTO interviews (id, company_id, candidate_id, token, status, "
                                 "duration_minutes, current_question_index, created_at) VALUES "
                                 "(:id, :c, :cand, :t, 'scheduled', 30, 0, CURRENT_TIMESTAMP)"),
                         {"id": interview, "c": company, "cand": candidate, "t": RAW_TOKEN})
        command.upgrade(cfg, "head")
        with engine.connect() as conn:
            stored = conn.execute(sa.text("SELECT token FROM interviews")).scalar_one()
            raw_settings = conn.execute(sa.text("SELECT settings FROM companies")).scalar_one()
        assert stored == hashlib.sha256(RAW_TOKEN.encode()).hexdigest()
        with Session(engine) as session:  # the link sent before the migration still finds its interview
            found = session.exec(find_by_token(RAW_TOKEN)).first()
        assert found is not None and isinstance(found, Interview) and str(found.id).replace("-", "") == \
            interview.replace("-", "")
        ai = (json.loads(raw_settings) if isinstance(raw_settings, str) else raw_settings)["ai"]
        assert "api_key" not in ai and PLAIN_KEY not in json.dumps(raw_settings)
        assert decrypt_secret(ai["api_key_enc"]) == PLAIN_KEY
        assert load_ai_config(ai).api_key.get_secret_value() == PLAIN_KEY  # still usable

        command.downgrade(cfg, "0008")
        with engine.connect() as conn:
            back = conn.execute(sa.text("SELECT settings FROM companies")).scalar_one()
        back = json.loads(back) if isinstance(back, str) else back
        assert back["ai"]["api_key"] == PLAIN_KEY and "api_key_enc" not in back["ai"] and back["x"] == 1
    finally:
        engine.dispose()
