"""Settings (spec 6.1, 6.2, 6.6, 9.4): secrets, database URL normalisation, list parsing, defaults."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from interviewer.core import config
from interviewer.core.config import Settings, get_settings

STRONG = "k" * 48


@pytest.fixture(autouse=True)
def clean_state():
    """Overrides the suite-wide fixture: no database or Redis needed here."""
    yield


@pytest.fixture
def env(monkeypatch, tmp_path):
    """A clean environment for building Settings by hand (the suite's own variables removed)."""
    for name in ("ENVIRONMENT", "SECRET_KEY", "DATABASE_URL", "BCRYPT_ROUNDS", "CORS_ORIGINS", "TRUSTED_PROXIES",
                 "ACCESS_TOKEN_EXPIRE_MINUTES", "REFRESH_TOKEN_EXPIRE_DAYS", "RATE_LIMIT_AUTH", "ENCRYPTION_KEY",
                 "ENCRYPTION_KEYS_OLD", "TRUSTED_PROXY_HOPS"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(config, "DEV_SECRET_FILE", tmp_path / "dev_secret_key")
    monkeypatch.setattr(config, "DEV_ENCRYPTION_KEY_FILE", tmp_path / "dev_encryption_key")
    monkeypatch.setenv("DATA_DIR", str(tmp_path / "data"))
    return monkeypatch


def build(**kw) -> Settings:
    return Settings(_env_file=None, **kw)


@pytest.mark.parametrize("secret", ["", "changethis", "CHANGE-ME", "your-256-bit-secret-key", "secret", "  secret  "])
def test_placeholder_secret_is_refused_in_production(env, secret):
    env.setenv("ENVIRONMENT", "production")
    env.setenv("SECRET_KEY", secret)
    with pytest.raises(ValidationError, match="SECRET_KEY"):
        build()


def test_short_secret_is_refused_in_production(env):
    key = config.new_encryption_key()
    with pytest.raises(ValidationError, match="32 characters"):
        build(ENVIRONMENT="production", SECRET_KEY="x" * 31, ENCRYPTION_KEY=key)
    assert build(ENVIRONMENT="production", SECRET_KEY="x" * 32, ENCRYPTION_KEY=key).SECRET_KEY == "x" * 32


def test_placeholder_secret_in_development_becomes_a_persistent_random_key(env, tmp_path):
    first = build(ENVIRONMENT="development", SECRET_KEY="changethis")
    assert first.SECRET_KEY not in config.PLACEHOLDER_SECRETS and len(first.SECRET_KEY) >= 32
    assert (tmp_path / "dev_secret_key").read_text().strip() == first.SECRET_KEY
    assert build(ENVIRONMENT="development").SECRET_KEY == first.SECRET_KEY
    assert (tmp_path / "dev_secret_key").stat().st_mode & 0o777 == 0o600  # owner only


def test_a_world_readable_dev_secret_of_an_older_version_is_tightened(env, tmp_path):
    path = tmp_path / "dev_secret_key"
    path.write_text("k" * 48)
    path.chmod(0o644)
    assert build(ENVIRONMENT="development").SECRET_KEY == "k" * 48
    assert path.stat().st_mode & 0o777 == 0o600


def test_encryption_key_is_required_in_production(env):
    env.setenv("ENVIRONMENT", "production")
    env.setenv("SECRET_KEY", STRONG)
    with pytest.raises(ValidationError, match="ENCRYPTION_KEY is unset"):
        build()
    for bad in ("not-a-key", "x" * 44, config.new_encryption_key()[:40]):
        with pytest.raises(ValidationError, match="ENCRYPTION_KEY must be 32 random bytes"):
            build(ENCRYPTION_KEY=bad)
    key = config.new_encryption_key()
    assert build(ENCRYPTION_KEY=key).ENCRYPTION_KEY == key
    with pytest.raises(ValidationError, match="ENCRYPTION_KEYS_OLD"):
        build(ENCRYPTION_KEY=key, ENCRYPTION_KEYS_OLD="garbage")
    env.setenv("ENCRYPTION_KEYS_OLD", f"{config.new_encryption_key()}, {config.new_encryption_key()}")
    assert len(build(ENCRYPTION_KEY=key).ENCRYPTION_KEYS_OLD) == 2


def test_development_generates_a_private_persistent_encryption_key(env, tmp_path):
    first = build(ENVIRONMENT="development")
    path = tmp_path / "dev_encryption_key"
    assert path.read_text().strip() == first.ENCRYPTION_KEY and len(first.ENCRYPTION_KEY) == 44
    assert path.stat().st_mode & 0o777 == 0o600
    assert build(ENVIRONMENT="development").ENCRYPTION_KEY == first.ENCRYPTION_KEY


@pytest.mark.parametrize("url,expected", [
    ("postgresql://u:p@db:5432/app", "postgresql+psycopg://u:p@db:5432/app"),
    ("postgres://u@db/app", "postgresql+psycopg://u@db/app"),
    ("postgresql+asyncpg://u@db/app", "postgresql+psycopg://u@db/app"),
    ("postgresql+psycopg://u@db/app", "postgresql+psycopg://u@db/app"),
    ("sqlite:///tmp/x.db", "sqlite:///tmp/x.db"),
])
def test_database_url_is_normalised_for_psycopg3(env, url, expected):
    env.setenv("DATABASE_URL", url)
    s = build()
    assert s.sqlalchemy_url == expected
    assert s.is_sqlite == expected.startswith("sqlite")


def test_default_database_is_a_sqlite_file_in_the_data_dir(env, tmp_path):
    s = build()
    assert s.sqlalchemy_url == f"sqlite:///{tmp_path / 'data' / 'interviewer.db'}" and s.is_sqlite


def test_cors_origins_accepts_a_comma_separated_string(env):
    env.setenv("CORS_ORIGINS", "http://a.example, https://b.example ,,http://c.example:8080")
    assert build().CORS_ORIGINS == ["http://a.example", "https://b.example", "http://c.example:8080"]


def test_cors_origins_accepts_json_and_has_spec_defaults(env):
    env.setenv("CORS_ORIGINS", '["http://x.example", "http://y.example"]')
    assert build().CORS_ORIGINS == ["http://x.example", "http://y.example"]
    env.delenv("CORS_ORIGINS")
    assert build().CORS_ORIGINS == ["http://localhost:3000", "http://localhost:3001", "http://localhost:9002"]


def test_trusted_proxies_accepts_a_comma_separated_string(env):
    env.setenv("TRUSTED_PROXIES", "10.0.0.0/8,192.168.1.1")
    assert build().TRUSTED_PROXIES == ["10.0.0.0/8", "192.168.1.1"]
    env.setenv("TRUSTED_PROXIES", "")
    assert build().TRUSTED_PROXIES == []


def test_spec_defaults(env):
    s = build()
    assert s.BCRYPT_ROUNDS == 12  # spec 6.2, with BCRYPT_ROUNDS unset
    assert s.ACCESS_TOKEN_EXPIRE_MINUTES == 30 and s.REFRESH_TOKEN_EXPIRE_DAYS == 7  # spec 6.1
    assert s.JWT_ALGORITHM == "HS256"
    assert (s.RATE_LIMIT_AUTH, s.RATE_LIMIT_API, s.RATE_LIMIT_AI, s.RATE_LIMIT_UPLOAD) == \
        ("5/60", "100/60", "10/60", "10/300")  # spec 6.5
    assert s.DB_POOL_SIZE == 20  # spec 12.2
    assert s.MAX_JSON_BODY_BYTES == 1_048_576


def test_bcrypt_rounds_are_configurable_within_bounds(env):
    env.setenv("BCRYPT_ROUNDS", "10")
    assert build().BCRYPT_ROUNDS == 10
    for bad in ("3", "17", "many"):
        env.setenv("BCRYPT_ROUNDS", bad)
        with pytest.raises(ValidationError):
            build()


def test_only_hs256_is_accepted(env):
    env.setenv("JWT_ALGORITHM", "none")
    with pytest.raises(ValidationError):
        build()


def test_the_suite_runs_with_cheap_bcrypt():
    """The suite sets BCRYPT_ROUNDS=4 (tests/conftest.py) and hashes really use it."""
    from interviewer.core.security import hash_password, verify_password

    assert get_settings().BCRYPT_ROUNDS == 4
    hashed = hash_password("correct-horse-42")
    assert hashed.startswith("$2b$04$") and verify_password("correct-horse-42", hashed)
    assert hash_password("x", rounds=5).startswith("$2b$05$")
