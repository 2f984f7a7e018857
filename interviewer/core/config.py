"""Application settings: one source of truth for every process (web, worker, CLI, tests).

Names follow the spec (TRD 9.4). Defaults give the embedded development setup: a SQLite
file, an embedded Redis (started by the run command when ``REDIS_URL`` is unset) and the
offline AI providers when no cloud keys are set.
"""

from __future__ import annotations

import base64
import json
import os
import secrets
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parents[2]
PLACEHOLDER_SECRETS = {"", "changethis", "change-me", "your-256-bit-secret-key", "secret"}
DEV_SECRET_FILE = PROJECT_ROOT / "var" / "dev_secret_key"
DEV_ENCRYPTION_KEY_FILE = PROJECT_ROOT / "var" / "dev_encryption_key"
PRIVATE_FILE_MODE = 0o600


def write_private_file(path: Path, text: str) -> None:
    """Create ``path`` readable by its owner only (0600) from the first byte on; never replaces a
    file another process created meanwhile."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE_MODE)
    except FileExistsError:
        return
    with os.fdopen(fd, "w") as handle:
        handle.write(text)


def make_private(path: Path) -> None:
    """Tighten an existing file the app wrote to 0600 (files from older versions were 0644)."""
    try:
        if path.exists() and path.stat().st_mode & 0o077:
            path.chmod(PRIVATE_FILE_MODE)
    except OSError:
        pass


def _dev_file_secret(path: Path, make) -> str:
    """A per-checkout random secret for development, kept in var/ (0600) so it survives restarts."""
    if not path.exists():
        write_private_file(path, make())
    make_private(path)
    return path.read_text().strip()


def _dev_secret() -> str:
    return _dev_file_secret(DEV_SECRET_FILE, lambda: secrets.token_urlsafe(48))


def new_encryption_key() -> str:
    """A fresh ENCRYPTION_KEY: 32 random bytes, URL-safe base64 (the Fernet key format)."""
    return base64.urlsafe_b64encode(os.urandom(32)).decode()


def _dev_encryption_key() -> str:
    return _dev_file_secret(DEV_ENCRYPTION_KEY_FILE, new_encryption_key)


def _check_encryption_key(name: str, value: str) -> None:
    try:
        raw = base64.urlsafe_b64decode(value.encode())
    except (ValueError, TypeError):
        raw = b""
    if len(raw) != 32:
        raise ValueError(f"{name} must be 32 random bytes in URL-safe base64 (44 characters); generate one with "
                         "`python -c 'import base64,os; print(base64.urlsafe_b64encode(os.urandom(32)).decode())'`.")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    ENVIRONMENT: Literal["development", "test", "production"] = "development"
    SECRET_KEY: str = ""
    # Encrypts secrets stored in the database (company AI keys): a Fernet key. Old keys stay
    # readable while listed in ENCRYPTION_KEYS_OLD; `python -m interviewer reencrypt` moves every
    # stored secret to ENCRYPTION_KEY (docs/security.md).
    ENCRYPTION_KEY: str = ""
    ENCRYPTION_KEYS_OLD: Annotated[list[str], NoDecode] = Field(default_factory=list)
    DATABASE_URL: str = ""
    REDIS_URL: str = ""
    GOOGLE_API_KEY: str = ""
    AI_SERVICE_API_KEY: str = ""
    ASSEMBLYAI_API_KEY: str = ""
    GEMINI_BASE_URL: str = ""  # tests point the real client at a fake server
    ASSEMBLYAI_STREAMING_HOST: str = ""  # default: the SDK's host

    SMTP_HOST: str = ""
    SMTP_PORT: int = 587
    SMTP_USER: str = ""
    SMTP_PASSWORD: str = ""
    SMTP_FROM: str = "AI Interviewer <no-reply@interviewer.local>"
    SMTP_STARTTLS: bool = True

    # NoDecode: pydantic-settings would otherwise JSON-decode list fields from the environment before
    # any validator runs, so the documented comma-separated form ("a,b") failed to load.
    CORS_ORIGINS: Annotated[list[str], NoDecode] = Field(
        default=["http://localhost:3000", "http://localhost:3001", "http://localhost:9002"]
    )
    PUBLIC_URL: str = "http://localhost:3000"

    ACCESS_TOKEN_EXPIRE_MINUTES: int = 30
    REFRESH_TOKEN_EXPIRE_DAYS: int = 7
    VERIFICATION_TOKEN_EXPIRE_HOURS: int = 48
    BCRYPT_ROUNDS: int = Field(default=12, ge=4, le=16)
    JWT_ALGORITHM: Literal["HS256"] = "HS256"

    RATE_LIMIT_ENABLED: bool = True
    RATE_LIMIT_AUTH: str = "5/60"
    RATE_LIMIT_API: str = "100/60"
    RATE_LIMIT_AI: str = "10/60"
    RATE_LIMIT_UPLOAD: str = "10/300"
    # Authenticated API reads spend tokens leased from the shared Redis counter up to this many at a
    # time (core.ratelimit.LeasedLimiter): never admitted past the limit; a client spread over P
    # processes is refused only after limit - (P - 1) x (lease - 1) admissions. 1: a round trip
    # per request.
    RATE_LIMIT_LOCAL_LEASE: int = Field(default=5, ge=1, le=100)
    TRUSTED_PROXIES: Annotated[list[str], NoDecode] = Field(default_factory=list)
    # How many reverse proxies (each appending to X-Forwarded-For) stand in front of the app; the
    # client is that many entries from the right. 0: use TRUSTED_PROXIES (or the peer address).
    # Only set it when the app port cannot be reached except through those proxies.
    TRUSTED_PROXY_HOPS: int = Field(default=0, ge=0, le=5)
    # Per-account sign-in throttle (services.login_throttle): failures allowed per account (and
    # per account + network) before a delay that doubles with each further failure, up to the cap.
    LOGIN_FREE_FAILURES: int = Field(default=5, ge=1)
    LOGIN_DELAY_BASE_SECONDS: int = Field(default=5, ge=1)
    LOGIN_DELAY_CAP_SECONDS: int = Field(default=900, ge=1)
    LOGIN_FAILURE_WINDOW_SECONDS: int = Field(default=3600, ge=60)
    PASSWORD_RESET_EXPIRE_MINUTES: int = Field(default=30, ge=5, le=24 * 60)
    RATE_LIMIT_PASSWORD_RESET: str = "3/900"  # reset emails per account (and per client) in 15 minutes
    # Candidates without an account: the emailed link to see, download or erase one company's data
    # about them (services.privacy_links), and how many such mails one address may get.
    PRIVACY_LINK_EXPIRE_MINUTES: int = Field(default=60, ge=5, le=24 * 60)
    RATE_LIMIT_PRIVACY_REQUEST: str = "3/900"  # privacy-link mails per email address in 15 minutes
    # /metrics: a bearer token (METRICS_TOKEN) or, unset, only requests from loopback/private peers.
    METRICS_TOKEN: str = ""

    DB_POOL_SIZE: int = 20
    DB_MAX_OVERFLOW: int = 10
    DB_POOL_TIMEOUT: int = 30
    MAX_JSON_BODY_BYTES: int = 1_048_576
    MAX_UPLOAD_BYTES: int = 10 * 1_048_576

    DATA_DIR: Path = PROJECT_ROOT / "var"
    # Background workers yield the CPU to the web processes on a shared machine (nice value
    # added at start; 0 keeps the default priority).
    WORKER_NICE: int = Field(default=10, ge=0, le=19)
    LOG_LEVEL: str = "INFO"
    LOG_JSON: bool = True
    # Share of the successful /health and /metrics requests (probes, scrapes) that write an access
    # line: 1 every one, 0.01 one in a hundred (the line says so), 0 none. Failures always do.
    ACCESS_LOG_SAMPLE_HOT_ROUTES: float = Field(default=1.0, ge=0.0, le=1.0)

    @field_validator("CORS_ORIGINS", "TRUSTED_PROXIES", "ENCRYPTION_KEYS_OLD", mode="before")
    @classmethod
    def _split_csv(cls, value):
        if isinstance(value, str):
            if value.strip().startswith("["):
                return json.loads(value)
            return [item.strip() for item in value.split(",") if item.strip()]
        return value

    @model_validator(mode="after")
    def _check_secret(self) -> "Settings":
        if self.SECRET_KEY.strip().lower() in PLACEHOLDER_SECRETS:
            if self.ENVIRONMENT == "production":
                raise ValueError(
                    "SECRET_KEY is unset or a placeholder; set a random 256-bit value "
                    "(e.g. `python -c 'import secrets; print(secrets.token_urlsafe(48))'`)."
                )
            self.SECRET_KEY = _dev_secret()
        elif self.ENVIRONMENT == "production" and len(self.SECRET_KEY) < 32:
            raise ValueError("SECRET_KEY must be at least 32 characters (256 bits) in production.")
        if not self.ENCRYPTION_KEY.strip():
            if self.ENVIRONMENT == "production":
                raise ValueError(
                    "ENCRYPTION_KEY is unset; production needs its own key to encrypt stored secrets "
                    "(`python -c 'import base64,os; print(base64.urlsafe_b64encode(os.urandom(32)).decode())'`).")
            self.ENCRYPTION_KEY = _dev_encryption_key()
        self.ENCRYPTION_KEY = self.ENCRYPTION_KEY.strip()
        _check_encryption_key("ENCRYPTION_KEY", self.ENCRYPTION_KEY)
        for old in self.ENCRYPTION_KEYS_OLD:
            _check_encryption_key("ENCRYPTION_KEYS_OLD", old)
        if not self.DATABASE_URL:
            self.DATA_DIR.mkdir(parents=True, exist_ok=True)
            self.DATABASE_URL = f"sqlite:///{self.DATA_DIR / 'interviewer.db'}"
        return self

    @property
    def sqlalchemy_url(self) -> str:
        """The URL in the form SQLAlchemy wants (psycopg 3 driver for PostgreSQL)."""
        url = self.DATABASE_URL
        for prefix in ("postgresql+asyncpg://", "postgres://", "postgresql://"):
            if url.startswith(prefix):
                return "postgresql+psycopg://" + url[len(prefix):]
        return url

    @property
    def is_sqlite(self) -> bool:
        return self.sqlalchemy_url.startswith("sqlite")

    @property
    def gemini_key(self) -> str:
        return self.GOOGLE_API_KEY or self.AI_SERVICE_API_KEY

    @property
    def upload_dir(self) -> Path:
        path = self.DATA_DIR / "uploads"
        path.mkdir(parents=True, exist_ok=True)
        return path


@lru_cache
def get_settings() -> Settings:
    return Settings()


def reset_settings_cache() -> None:
    """For tests that change the environment."""
    get_settings.cache_clear()
