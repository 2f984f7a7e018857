"""Forgot password, for every role: an emailed, single-use, short-lived link.

- The answer to a request is the same for known and unknown addresses (and when the per-account
  limit holds a mail back); only the address's owner learns anything, by email.
- Only the SHA-256 of a token is stored (``password_reset_tokens``); it expires after
  ``PASSWORD_RESET_EXPIRE_MINUTES`` and a successful reset spends every outstanding link of the
  user. A reset ends every session of the account and verifies its email address (the link
  proved the mailbox).
"""

from __future__ import annotations

import uuid
from datetime import timedelta

import redis
from sqlmodel import Session, select, update

from interviewer.core import errors as E
from interviewer.core.config import get_settings
from interviewer.core.ratelimit import Limit, hit
from interviewer.core.security import check_password_policy, hash_opaque_token, hash_password, new_opaque_token, utcnow
from interviewer.models import PasswordResetToken, User
from interviewer.services import audit, login_throttle
from interviewer.services.auth import end_other_sessions, find_user_by_email, names_for_policy, normalize_email
from interviewer.services.email import queue_email

REQUEST_ACCEPTED = ("If an account exists for this address, we have emailed it a link to choose a new password. "
                    "The link works once, for {minutes} minutes.")
INVALID_LINK = "This password-reset link is invalid, already used or expired; request a new one."


def accepted_message() -> str:
    return REQUEST_ACCEPTED.format(minutes=get_settings().PASSWORD_RESET_EXPIRE_MINUTES)


def _account_allowed(email: str) -> bool:
    """At most RATE_LIMIT_PASSWORD_RESET mails per account (a mailbox cannot be flooded)."""
    settings = get_settings()
    if not settings.RATE_LIMIT_ENABLED:
        return True
    try:
        allowed, _, _ = hit("pwreset", hash_opaque_token(email)[:32], Limit.parse(settings.RATE_LIMIT_PASSWORD_RESET))
    except redis.RedisError:
        return True
    return allowed


def request_password_reset(session: Session, *, email: str, ip: str | None = None) -> str:
    """Email a reset link when the address belongs to an active account; returns the answer to
    show, which is the same in every case."""
    email = normalize_email(email)
    user = find_user_by_email(session, email)
    if user is None or not user.is_active or not _account_allowed(email):
        return accepted_message()
    settings = get_settings()
    token = new_opaque_token()
    session.add(PasswordResetToken(user_id=user.id, token_hash=hash_opaque_token(token), ip_address=ip,
                                   expires_at=utcnow() + timedelta(minutes=settings.PASSWORD_RESET_EXPIRE_MINUTES)))
    link = f"{settings.PUBLIC_URL.rstrip('/')}/reset-password?token={token}"
    queue_email(session, to=user.email, subject="Reset your AI Interviewer password",
                body_text=(f"Hello {user.name},\n\nSomeone (hopefully you) asked to reset the password of your "
                           f"account. Choose a new password here:\n{link}\n\nThe link works once and expires in "
                           f"{settings.PASSWORD_RESET_EXPIRE_MINUTES} minutes. If you did not ask for it, ignore "
                           "this email: your password stays as it is.\n"),
                kind="password_reset", company_id=user.company_id)
    audit.record(session, actor=None, action="auth.password_reset_requested", entity_type="user",
                 entity_id=user.id, company_id=user.company_id, details={"ip": ip})
    return accepted_message()


def reset_password(session: Session, *, token: str, password: str, ip: str | None = None,
                   user_agent: str | None = None) -> User:
    row = session.exec(select(PasswordResetToken)
                       .where(PasswordResetToken.token_hash == hash_opaque_token(token or ""))
                       .with_for_update()).first() if token else None
    if row is None or row.used_at is not None or row.expires_at < utcnow():
        raise E.BadRequestError(INVALID_LINK, code=E.AUTH_RESET_TOKEN_INVALID)
    user = session.get(User, row.user_id)
    if user is None or not user.is_active:
        raise E.BadRequestError(INVALID_LINK, code=E.AUTH_RESET_TOKEN_INVALID)
    check_password_policy(password, email=user.email, names=names_for_policy(session, user))
    user.password_hash = hash_password(password)
    user.email_verified = True
    session.exec(update(PasswordResetToken)
                 .where(PasswordResetToken.user_id == user.id, PasswordResetToken.used_at.is_(None))
                 .values(used_at=utcnow()))
    end_other_sessions(session, user)
    audit.record(session, actor=None, action="auth.password_reset", entity_type="user", entity_id=user.id,
                 company_id=user.company_id, details={"ip": ip})
    queue_email(session, to=user.email, subject="Your AI Interviewer password was changed",
                body_text=(f"Hello {user.name},\n\nThe password of your account was just changed with a reset "
                           "link, and every signed-in session was ended. If this was not you, reset your password "
                           "again at once and tell your administrator.\n"),
                kind="password_changed", company_id=user.company_id)
    # The browser that proved the mailbox is a device of the account's owner from now on.
    login_throttle.record_success(login_throttle.Attempt.of(user.email, ip, user_agent))
    return user


def outstanding_tokens(session: Session, user_id: uuid.UUID) -> int:
    """Unused, unexpired reset links of a user (for tests and the admin's view)."""
    rows = session.exec(select(PasswordResetToken).where(PasswordResetToken.user_id == user_id,
                                                         PasswordResetToken.used_at.is_(None))).all()
    return sum(1 for r in rows if r.expires_at >= utcnow())
