"""Password hashing (bcrypt), password policy and JWT encoding (PyJWT, HS256)."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from datetime import datetime, timedelta, timezone
from typing import Any

import bcrypt
import jwt

from interviewer.core.config import get_settings
from interviewer.core.errors import (
    AUTH_PASSWORD_POLICY,
    AUTH_TOKEN_EXPIRED,
    AUTH_TOKEN_INVALID,
    AuthenticationError,
    ValidationError,
)

# A short list of passwords that attackers try first; the policy refuses them outright.
COMMON_PASSWORDS = frozenset(
    """
    password password1 password12 password123 passw0rd p@ssw0rd 12345678 123456789 1234567890
    qwerty123 qwertyuiop qwerty12 iloveyou1 welcome1 welcome123 letmein1 letmein123 admin123
    administrator abc12345 abcd1234 11111111 00000000 87654321 sunshine1 princess1 football1
    baseball1 dragon123 monkey123 trustno1 changeme changeme1 secret123 starwars1 superman1
    computer1 whatever1 q1w2e3r4 1q2w3e4r zaq12wsx asdfghjk asdf1234 11223344 123123123
    """.split()
)

MIN_PASSWORD_LENGTH = 8
MAX_PASSWORD_BYTES = 72  # bcrypt ignores everything after 72 bytes; refuse rather than truncate


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def check_password_policy(password: str, *, email: str | None = None) -> None:
    problems = []
    if len(password) < MIN_PASSWORD_LENGTH:
        problems.append(f"at least {MIN_PASSWORD_LENGTH} characters")
    if len(password.encode()) > MAX_PASSWORD_BYTES:
        problems.append(f"at most {MAX_PASSWORD_BYTES} bytes")
    lowered = password.strip().lower()
    if email and (lowered == email.strip().lower() or lowered == email.split("@")[0].lower()):
        problems.append("different from your email address")
    if lowered in COMMON_PASSWORDS:
        problems.append("not a commonly used password")
    if problems:
        raise ValidationError("Password must be " + ", ".join(problems) + ".", code=AUTH_PASSWORD_POLICY)


def hash_password(password: str, *, rounds: int | None = None) -> str:
    rounds = rounds or get_settings().BCRYPT_ROUNDS
    return bcrypt.hashpw(password.encode(), bcrypt.gensalt(rounds=rounds)).decode()


_DUMMY_HASH: str | None = None


def verify_password(password: str, password_hash: str | None) -> bool:
    """Constant-work check: an unknown user still costs one bcrypt, so timing reveals nothing."""
    global _DUMMY_HASH
    if not password_hash:
        if _DUMMY_HASH is None:
            _DUMMY_HASH = hash_password(secrets.token_urlsafe(16))
        password_hash = _DUMMY_HASH
        bcrypt.checkpw(password.encode()[:MAX_PASSWORD_BYTES], password_hash.encode())
        return False
    try:
        return bcrypt.checkpw(password.encode()[:MAX_PASSWORD_BYTES], password_hash.encode())
    except ValueError:
        return False


def create_token(claims: dict[str, Any], *, expires_in: timedelta, token_type: str) -> tuple[str, str, datetime]:
    """Returns (encoded token, jti, expiry)."""
    settings = get_settings()
    now = utcnow()
    exp = now + expires_in
    jti = uuid.uuid4().hex
    payload = {**claims, "iat": int(now.timestamp()), "exp": int(exp.timestamp()), "jti": jti, "type": token_type}
    return jwt.encode(payload, settings.SECRET_KEY, algorithm=settings.JWT_ALGORITHM), jti, exp


def decode_token(token: str, *, token_type: str) -> dict[str, Any]:
    settings = get_settings()
    try:
        payload = jwt.decode(
            token,
            settings.SECRET_KEY,
            algorithms=[settings.JWT_ALGORITHM],
            options={"require": ["exp", "iat", "sub", "jti", "type"]},
        )
    except jwt.ExpiredSignatureError:
        raise AuthenticationError("Your session has expired; please sign in again.", code=AUTH_TOKEN_EXPIRED)
    except jwt.PyJWTError:
        raise AuthenticationError("Invalid authentication token.", code=AUTH_TOKEN_INVALID)
    if payload.get("type") != token_type:
        raise AuthenticationError("Invalid authentication token.", code=AUTH_TOKEN_INVALID)
    return payload


def new_opaque_token(nbytes: int = 32) -> str:
    """URL-safe random token (default 256 bits) for links sent by email."""
    return secrets.token_urlsafe(nbytes)


def hash_opaque_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
