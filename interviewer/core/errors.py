"""Domain errors. Services raise these; the API maps them to HTTP, the UI to toasts.

Every error carries a stable ``code`` (the spec's ``error_code``) and an HTTP ``status_code``
that the API layer uses. Services never import FastAPI.
"""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    status_code: int = 400
    code: str = "GEN_001"

    def __init__(self, message: str, *, code: str | None = None, extra: dict[str, Any] | None = None):
        super().__init__(message)
        self.message = message
        if code:
            self.code = code
        self.extra = extra or {}

    def __str__(self) -> str:  # pragma: no cover - trivial
        return self.message


class BadRequestError(DomainError):
    status_code = 400
    code = "REQ_001"


class AuthenticationError(DomainError):
    """Missing, invalid, expired or revoked credentials (401)."""

    status_code = 401
    code = "AUTH_001"


class PermissionDeniedError(DomainError):
    status_code = 403
    code = "PERM_001"


class NotFoundError(DomainError):
    """Also answered for another tenant's IDs, so their existence is never revealed."""

    status_code = 404
    code = "NOT_FOUND"


class ConflictError(DomainError):
    status_code = 409
    code = "CONFLICT"


class PayloadTooLargeError(DomainError):
    status_code = 413
    code = "REQ_413"


class UnsupportedMediaError(DomainError):
    status_code = 415
    code = "FILE_001"


class ValidationError(DomainError):
    status_code = 422
    code = "VAL_001"


class RateLimitedError(DomainError):
    status_code = 429
    code = "RATE_001"

    def __init__(self, message: str, *, retry_after: int, code: str | None = None):
        super().__init__(message, code=code)
        self.retry_after = retry_after


class ServiceUnavailableError(DomainError):
    status_code = 503
    code = "SVC_001"


# Stable error codes, documented in docs/errors.md.
AUTH_INVALID_CREDENTIALS = "AUTH_001"
AUTH_TOKEN_INVALID = "AUTH_002"
AUTH_TOKEN_EXPIRED = "AUTH_003"
AUTH_TOKEN_REVOKED = "AUTH_004"
AUTH_INACTIVE = "AUTH_005"
AUTH_EMAIL_UNVERIFIED = "AUTH_006"
AUTH_REFRESH_INVALID = "AUTH_007"
AUTH_REFRESH_REUSED = "AUTH_008"
AUTH_NOT_AUTHENTICATED = "AUTH_009"
AUTH_PASSWORD_POLICY = "AUTH_010"
AUTH_VERIFY_TOKEN_INVALID = "AUTH_011"
AUTH_CURRENT_PASSWORD = "AUTH_012"  # a password change without the right current password
AUTH_THROTTLED = "AUTH_013"  # too many failed sign-ins for this account: wait Retry-After seconds
AUTH_RESET_TOKEN_INVALID = "AUTH_014"  # forgot-password link unknown, used or expired
PERM_COMPANY_SCOPE = "PERM_003"  # company_id given by a user who is not a system admin
REQ_NUL_CHARACTER = "REQ_003"  # a NUL (\u0000) inside a JSON string
PERM_DENIED = "PERM_001"
PERM_ROLE_ESCALATION = "PERM_002"
USER_EMAIL_TAKEN = "USER_001"
USER_NOT_FOUND = "USER_404"
COMPANY_NOT_FOUND = "COMPANY_404"
COMPANY_REQUEST_NOT_FOUND = "REG_404"
COMPANY_REQUEST_DECIDED = "REG_409"
COMPANY_REQUEST_DUPLICATE = "REG_001"
ROLE_NOT_FOUND = "ROLE_404"
ROLE_NAME_TAKEN = "ROLE_409"
ROLE_UNKNOWN_PERMISSION = "ROLE_422"
