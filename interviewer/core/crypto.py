"""Secrets at rest: company AI keys are stored encrypted with ``ENCRYPTION_KEY``.

Fernet (``cryptography``): AES-128-CBC with an HMAC-SHA256 tag and a timestamp, so a changed or
truncated ciphertext is refused rather than decrypted to garbage. Rotation: the new key goes into
``ENCRYPTION_KEY``, the previous one(s) into ``ENCRYPTION_KEYS_OLD`` (still accepted for
decryption), then ``python -m interviewer reencrypt`` rewrites every stored secret under the new
key, after which the old key can be dropped (docs/security.md).

Stored form: a secret field ``<name>`` is kept as ``<name>_enc`` holding the Fernet token; a
plaintext ``<name>`` left by an older version is still read (and sealed by the 0009 migration or
the re-encrypt command).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

from interviewer.core.config import get_settings

ENC_SUFFIX = "_enc"
# Fields of a settings JSON that hold secrets: never returned, logged or cached in plaintext.
SECRET_FIELDS = frozenset({"api_key"})


class SecretDecryptError(Exception):
    """A stored secret cannot be decrypted with ENCRYPTION_KEY or any of ENCRYPTION_KEYS_OLD."""


@lru_cache(maxsize=8)
def _fernet_for(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(k.encode()) for k in keys])


def _fernet() -> MultiFernet:
    settings = get_settings()
    return _fernet_for((settings.ENCRYPTION_KEY, *settings.ENCRYPTION_KEYS_OLD))


def encrypt_secret(plaintext: str) -> str:
    return _fernet().encrypt(plaintext.encode()).decode()


def decrypt_secret(token: str) -> str:
    try:
        return _fernet().decrypt(token.encode()).decode()
    except (InvalidToken, ValueError, TypeError) as exc:
        raise SecretDecryptError("A stored secret cannot be decrypted: ENCRYPTION_KEY changed without the "
                                 "previous key in ENCRYPTION_KEYS_OLD?") from exc


def rotate_secret(token: str) -> str:
    """The same secret encrypted under the current ENCRYPTION_KEY."""
    try:
        return _fernet().rotate(token.encode()).decode()
    except (InvalidToken, ValueError, TypeError) as exc:
        raise SecretDecryptError("A stored secret cannot be decrypted with any configured key.") from exc


def seal_secrets(data: dict[str, Any] | None) -> dict[str, Any]:
    """A copy of ``data`` in which every plaintext secret field is replaced by its ``_enc`` form."""
    out = dict(data or {})
    for name in SECRET_FIELDS:
        value = out.pop(name, None)
        if isinstance(value, str) and value.strip():
            out[name + ENC_SUFFIX] = encrypt_secret(value)
    return out


def open_secrets(data: dict[str, Any] | None) -> dict[str, Any]:
    """A copy of ``data`` with the ``_enc`` fields decrypted back to their plain names."""
    out = dict(data or {})
    for name in SECRET_FIELDS:
        token = out.pop(name + ENC_SUFFIX, None)
        if isinstance(token, str) and token:
            out[name] = decrypt_secret(token)
    return out


def redact_secrets(value: Any) -> Any:
    """For responses, audit details and logs: the structure with every secret field (plain or
    encrypted, at any depth) replaced by ``<name>_set: true``."""
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        for key, item in value.items():
            base = key[: -len(ENC_SUFFIX)] if isinstance(key, str) and key.endswith(ENC_SUFFIX) else key
            if base in SECRET_FIELDS:
                if item:
                    out[f"{base}_set"] = True
                continue
            out[key] = redact_secrets(item)
        return out
    if isinstance(value, list):
        return [redact_secrets(v) for v in value]
    return value
