"""Password hashing and policy, JWT encoding/decoding (interviewer.core.security)."""

from __future__ import annotations

import time
import uuid
from datetime import timedelta

import jwt
import pytest

from interviewer.core.config import get_settings
from interviewer.core.errors import AuthenticationError, ValidationError
from interviewer.core.security import (
    check_password_policy,
    create_token,
    decode_token,
    hash_opaque_token,
    hash_password,
    new_opaque_token,
    verify_password,
)


@pytest.fixture(autouse=True)
def clean_state():
    """Overrides the suite-wide fixture: pure functions, no database needed."""
    yield


@pytest.mark.parametrize("password", ["correct-horse-42", "Ünïcødé-pass", "tide marble quiet 72 harbour lantern",
                                      "mountain-river-9", "tidemarble72"])
def test_acceptable_passwords(password):
    check_password_policy(password, email="someone@example.test")


@pytest.mark.parametrize("password,reason", [
    ("abcdefg", "at least 8 characters"),
    ("", "at least 8 characters"),
    ("x" * 73, "at most 72 bytes"),
    ("é" * 37, "at most 72 bytes"),  # 74 bytes in UTF-8
    ("someone@example.test", "different from your email"),
    (" SOMEONE@example.test ", "different from your email"),
    ("someone", "at least 8 characters"),
    ("someone1", "different from your email"),  # the local part with a digit added
    ("password123", "common word with digits"),
    ("Password123", "common word with digits"),
    ("QWERTYUIOP", "keyboard pattern"),
    ("abcdefgh", "sequence"),
    ("x" * 72, "repeated"),
    ("20242025", "more than digits"),
    # leaked-password and dictionary lists (zxcvbn's ranked lists, not written for these tests)
    ("trustno1", "most often seen in leaks"),
    ("1q2w3e4r", "most often seen in leaks"),
    ("Liverpool", "most often seen in leaks"),
    ("jordan23", "most often seen in leaks"),
    ("jennifer", "single dictionary word or name"),
    ("Michelle!9", "single dictionary word or name"),
])
def test_password_policy(password, reason):
    if reason is None:
        check_password_policy(password, email="someone@example.test")
        return
    with pytest.raises(ValidationError) as info:
        check_password_policy(password, email="someone@example.test")
    assert info.value.code == "AUTH_010" and info.value.status_code == 422
    assert reason in info.value.message


def test_local_part_of_the_email_is_refused():
    with pytest.raises(ValidationError, match="different from your email"):
        check_password_policy("longusername", email="longusername@example.test")


def test_hash_and_verify():
    hashed = hash_password("correct-horse-42")
    assert hashed != "correct-horse-42" and hashed.startswith(f"$2b$0{get_settings().BCRYPT_ROUNDS}$")
    assert verify_password("correct-horse-42", hashed)
    assert not verify_password("correct-horse-43", hashed)
    assert hash_password("correct-horse-42") != hashed  # salted


@pytest.mark.parametrize("stored", [None, "", "!unusable-token", "not-a-bcrypt-hash", "$2b$04$short"])
def test_verify_never_matches_unusable_hashes(stored):
    assert verify_password("anything-at-all", stored) is False


def test_token_roundtrip_and_claims():
    token, jti, exp = create_token({"sub": "u1", "role": "HR"}, expires_in=timedelta(minutes=30), token_type="access")
    payload = decode_token(token, token_type="access")
    assert payload["sub"] == "u1" and payload["role"] == "HR" and payload["jti"] == jti
    assert payload["type"] == "access" and payload["exp"] == int(exp.timestamp())
    assert payload["exp"] - payload["iat"] == 1800
    assert jwt.get_unverified_header(token)["alg"] == "HS256"


def test_decode_checks_type_expiry_signature_and_required_claims():
    secret = get_settings().SECRET_KEY
    token, _, _ = create_token({"sub": "u1"}, expires_in=timedelta(minutes=5), token_type="refresh")
    with pytest.raises(AuthenticationError) as info:
        decode_token(token, token_type="access")
    assert info.value.code == "AUTH_002"

    expired, _, _ = create_token({"sub": "u1"}, expires_in=timedelta(seconds=-1), token_type="access")
    with pytest.raises(AuthenticationError) as info:
        decode_token(expired, token_type="access")
    assert info.value.code == "AUTH_003"

    now = int(time.time())
    for missing in ("exp", "iat", "sub", "jti", "type"):
        claims = {"sub": "u1", "iat": now, "exp": now + 60, "jti": uuid.uuid4().hex, "type": "access"}
        claims.pop(missing)
        with pytest.raises(AuthenticationError) as info:
            decode_token(jwt.encode(claims, secret, algorithm="HS256"), token_type="access")
        assert info.value.code == "AUTH_002", missing


def test_opaque_tokens_are_random_and_hashed():
    a, b = new_opaque_token(), new_opaque_token()
    assert a != b and len(a) >= 43
    assert hash_opaque_token(a) == hash_opaque_token(a) != hash_opaque_token(b)
    assert len(hash_opaque_token(a)) == 64 and a not in hash_opaque_token(a)
