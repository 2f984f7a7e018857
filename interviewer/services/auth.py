"""Authentication: login, JWT access tokens, rotating refresh tokens with reuse detection,
logout blacklist, email verification and set-password links, candidate sign-up."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

import redis
from sqlmodel import Session, select, update

from interviewer.core import errors as E
from interviewer.core.config import get_settings
from interviewer.core.ratelimit import Limit, hit
from interviewer.core.redis import get_redis
from interviewer.core.security import (
    check_password_policy,
    create_token,
    decode_token,
    hash_opaque_token,
    hash_password,
    needs_rehash,
    new_opaque_token,
    utcnow,
    verify_password,
)
from interviewer.models import Candidate, Company, EmailMessage, RefreshToken, User, UserRole
from interviewer.services import audit, login_throttle, session_cache
from interviewer.services.session_cache import BLACKLIST_PREFIX
from interviewer.services.authz import Actor, actor_for
from interviewer.services.email import outbox_mail, queue_email



@dataclass(frozen=True)
class TokenPair:
    access_token: str
    access_expires_in: int
    refresh_token: str
    refresh_expires_at: datetime
    user: User


def normalize_email(email: str) -> str:
    return email.strip().lower()


def sign_in_throttle(client: str) -> int | None:
    """The per-client limit of the public auth actions (RATE_LIMIT_AUTH), for callers outside the
    HTTP middleware (the Reflex UI): seconds to wait, or None when allowed. A limiter outage
    allows the request, as the API does."""
    settings = get_settings()
    if not settings.RATE_LIMIT_ENABLED:
        return None
    try:
        allowed, _, retry_after = hit("auth", client, Limit.parse(settings.RATE_LIMIT_AUTH))
    except redis.RedisError:
        return None
    return None if allowed else retry_after


def find_user_by_email(session: Session, email: str) -> User | None:
    return session.exec(select(User).where(User.email == normalize_email(email))).first()


def _access_token(user: User, family_id: uuid.UUID | None = None) -> tuple[str, int]:
    minutes = get_settings().ACCESS_TOKEN_EXPIRE_MINUTES
    token, _, _ = create_token(
        {
            "sub": str(user.id),
            "email": user.email,
            "role": user.role.value,
            "company_id": str(user.company_id) if user.company_id else None,
            # The sign-in session (refresh-token family) and the issue time in milliseconds: a
            # password change ends every session but its own (authenticate_access_token).
            "fam": str(family_id) if family_id else None,
            "iat_ms": int(utcnow().timestamp() * 1000),
        },
        expires_in=timedelta(minutes=minutes),
        token_type="access",
    )
    return token, minutes * 60


def _issue(session: Session, user: User, *, family_id: uuid.UUID | None = None,
           ip: str | None = None, user_agent: str | None = None) -> TokenPair:
    family_id = family_id or uuid.uuid4()
    refresh, jti, expires_at = create_token(
        {"sub": str(user.id), "fam": str(family_id)},
        expires_in=timedelta(days=get_settings().REFRESH_TOKEN_EXPIRE_DAYS),
        token_type="refresh",
    )
    row = RefreshToken(id=uuid.UUID(jti), user_id=user.id, family_id=family_id, expires_at=expires_at,
                       ip_address=ip, user_agent=(user_agent or "")[:255] or None)
    session.add(row)
    access, expires_in = _access_token(user, family_id)
    return TokenPair(access, expires_in, refresh, expires_at, user)


def _check_can_sign_in(session: Session, user: User) -> None:
    if not user.is_active:
        raise E.AuthenticationError("This account is deactivated.", code=E.AUTH_INACTIVE)
    company = session.get(Company, user.company_id) if user.company_id else None
    if company is not None and not company.is_active:
        raise E.AuthenticationError("Your company's account is suspended.", code=E.AUTH_INACTIVE)
    if not user.email_verified:
        raise E.PermissionDeniedError(
            "Please verify your email address first: follow the link we emailed you.",
            code=E.AUTH_EMAIL_UNVERIFIED,
        )


def login(session: Session, *, email: str, password: str, ip: str | None = None,
          user_agent: str | None = None) -> TokenPair:
    attempt = login_throttle.Attempt.of(normalize_email(email), ip, user_agent)
    wait = login_throttle.retry_after(attempt)
    if wait:
        raise E.RateLimitedError(f"Too many failed sign-ins for this account; try again in {wait} seconds "
                                 "or reset your password.", retry_after=wait, code=E.AUTH_THROTTLED)
    user = find_user_by_email(session, email)
    if not verify_password(password, user.password_hash if user else None) or user is None:
        login_throttle.record_failure(attempt)
        raise E.AuthenticationError("Invalid email or password.", code=E.AUTH_INVALID_CREDENTIALS)
    _check_can_sign_in(session, user)
    login_throttle.record_success(attempt)
    if needs_rehash(user.password_hash):  # the cost setting changed: upgrade the hash while we know the password
        user.password_hash = hash_password(password)
    user.last_login_at = utcnow()
    pair = _issue(session, user, ip=ip, user_agent=user_agent)
    audit.record(session, actor=None, action="auth.login", entity_type="user", entity_id=user.id,
                 company_id=user.company_id, details={"ip": ip})
    return pair


def refresh(session: Session, refresh_token: str | None, *, ip: str | None = None,
            user_agent: str | None = None) -> TokenPair:
    """Rotate a refresh token. Presenting one that was already rotated (or revoked) revokes its
    whole family: a stolen copy stops working for the thief and the victim alike."""
    if not refresh_token:
        raise E.AuthenticationError("No refresh token.", code=E.AUTH_REFRESH_INVALID)
    try:
        payload = decode_token(refresh_token, token_type="refresh")
        jti = uuid.UUID(payload["jti"])
    except (E.AuthenticationError, ValueError):
        raise E.AuthenticationError("Invalid or expired refresh token.", code=E.AUTH_REFRESH_INVALID)
    row = session.exec(select(RefreshToken).where(RefreshToken.id == jti).with_for_update()).first()
    if row is None:
        raise E.AuthenticationError("Invalid or expired refresh token.", code=E.AUTH_REFRESH_INVALID)
    if row.used_at is not None or row.revoked_at is not None:
        revoke_family(session, row.family_id)
        session.commit()  # the revocation must stand even though this request fails
        raise E.AuthenticationError("This session was revoked; please sign in again.", code=E.AUTH_REFRESH_REUSED)
    user = session.get(User, row.user_id)
    if user is None:
        raise E.AuthenticationError("Invalid or expired refresh token.", code=E.AUTH_REFRESH_INVALID)
    _check_can_sign_in(session, user)
    row.used_at = utcnow()
    pair = _issue(session, user, family_id=row.family_id, ip=ip, user_agent=user_agent)
    row.replaced_by = uuid.UUID(decode_token(pair.refresh_token, token_type="refresh")["jti"])
    return pair


def revoke_family(session: Session, family_id: uuid.UUID) -> None:
    session.exec(
        update(RefreshToken)
        .where(RefreshToken.family_id == family_id, RefreshToken.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )


def revoke_all_for_user(session: Session, user_id: uuid.UUID) -> None:
    session.exec(
        update(RefreshToken)
        .where(RefreshToken.user_id == user_id, RefreshToken.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )


def logout(session: Session, *, access_payload: dict, refresh_token: str | None) -> None:
    ttl = int(access_payload["exp"] - utcnow().timestamp())
    if ttl > 0:
        get_redis().set(BLACKLIST_PREFIX + access_payload["jti"], "1", ex=ttl)
    if refresh_token:
        try:
            payload = decode_token(refresh_token, token_type="refresh")
            revoke_family(session, uuid.UUID(payload["fam"]))
        except (E.AuthenticationError, ValueError, KeyError):
            pass  # an invalid refresh cookie has nothing left to revoke


def _session_entry(session: Session, user: User, actor: Actor) -> dict:
    """What a request needs to know about its user: the actor and the profile /auth/me shows."""
    company = session.get(Company, user.company_id) if user.company_id else None
    if company is not None and not company.is_active:
        raise E.AuthenticationError("Your company's account is suspended.", code=E.AUTH_INACTIVE)
    return {
        "id": str(user.id), "email": user.email, "name": user.name, "role": user.role.value,
        "company_id": str(user.company_id) if user.company_id else None,
        "company_name": company.name if company else None,
        "permissions": sorted(actor.permissions), "custom_role_id": str(user.custom_role_id) if user.custom_role_id else None,
        "custom_role_name": actor.custom_role_name,
        "manager_id": str(user.manager_id) if user.manager_id else None, "department": user.department,
        "is_active": user.is_active, "email_verified": user.email_verified,
        "sessions_valid_after_ms": int(user.sessions_valid_after.timestamp() * 1000) if user.sessions_valid_after else None,
        "kept_session_family": str(user.kept_session_family) if user.kept_session_family else None,
        "created_at": user.created_at.isoformat(), "updated_at": user.updated_at.isoformat() if user.updated_at else None,
    }


def _actor_from_entry(entry: dict) -> Actor:
    return Actor(
        id=uuid.UUID(entry["id"]), email=entry["email"], name=entry["name"], role=UserRole(entry["role"]),
        company_id=uuid.UUID(entry["company_id"]) if entry["company_id"] else None,
        permissions=frozenset(entry["permissions"]), custom_role_name=entry["custom_role_name"], profile=entry,
    )


def _ended_by_password_change(entry: dict, payload: dict) -> bool:
    """Tokens issued before the user's last password change are void, except those of the
    sign-in session that made the change."""
    cutoff = entry.get("sessions_valid_after_ms")
    if not cutoff:
        return False
    issued_ms = payload.get("iat_ms") or int(payload.get("iat", 0)) * 1000
    if issued_ms >= cutoff:
        return False
    return not (payload.get("fam") and payload.get("fam") == entry.get("kept_session_family"))


def _access_claims(token: str | None) -> tuple[dict, uuid.UUID]:
    """The verified claims of an access token and its user id (no I/O)."""
    if not token:
        raise E.AuthenticationError("Not authenticated.", code=E.AUTH_NOT_AUTHENTICATED)
    payload = decode_token(token, token_type="access")
    try:
        return payload, uuid.UUID(payload["sub"])
    except ValueError:
        raise E.AuthenticationError("Invalid authentication token.", code=E.AUTH_TOKEN_INVALID)


def _checked_lookup(found: tuple[bool, dict | None, str | None]) -> tuple[dict | None, str | None]:
    blacklisted, entry, version = found
    if blacklisted:
        raise E.AuthenticationError("This session has ended; please sign in again.", code=E.AUTH_TOKEN_REVOKED)
    return entry, version


def _actor_for_token(entry: dict, payload: dict) -> tuple[Actor, dict]:
    if _ended_by_password_change(entry, payload):
        raise E.AuthenticationError("Your password was changed; please sign in again.", code=E.AUTH_TOKEN_REVOKED)
    return _actor_from_entry({**entry, "session_family": payload.get("fam")}), payload


def authenticate_access_token(session: Session, token: str | None) -> tuple[Actor, dict]:
    """Resolve a bearer token to the acting user, refusing expired, revoked or inactive ones.
    The user's session entry comes from the session cache when it is current (one Redis round
    trip), else from the database."""
    payload, user_id = _access_claims(token)
    company_claim = payload.get("company_id")
    try:
        entry, version = _checked_lookup(session_cache.lookup(payload["jti"], str(user_id), company_claim))
    except redis.RedisError:
        raise E.ServiceUnavailableError("Session store unavailable; try again shortly.")
    if entry is None:
        user = session.get(User, user_id)
        if user is None or not user.is_active:
            raise E.AuthenticationError("This account is no longer active.", code=E.AUTH_INACTIVE)
        entry = _session_entry(session, user, actor_for(session, user))
        if entry["company_id"] == company_claim:
            session_cache.store(entry, version)
    return _actor_for_token(entry, payload)


async def authenticate_access_token_cached(token: str | None) -> tuple[Actor, dict] | None:
    """:func:`authenticate_access_token` from the session cache alone, for code on the event loop
    (one non-blocking Redis round trip, no database): the same refusals, or None when the cache
    holds no current entry for the user (the caller then runs the full check in a worker thread)."""
    payload, user_id = _access_claims(token)
    try:
        entry, _version = _checked_lookup(
            await session_cache.lookup_async(payload["jti"], str(user_id), payload.get("company_id")))
    except redis.RedisError:
        raise E.ServiceUnavailableError("Session store unavailable; try again shortly.")
    return None if entry is None else _actor_for_token(entry, payload)


def end_other_sessions(session: Session, user: User, *, keep_family: str | uuid.UUID | None = None) -> None:
    """After a password change: every refresh token but the ``keep_family`` session's is
    revoked, and every access token issued before now stops working (except that session's)."""
    keep = uuid.UUID(str(keep_family)) if keep_family else None
    condition = [RefreshToken.user_id == user.id, RefreshToken.revoked_at.is_(None)]
    if keep is not None:
        condition.append(RefreshToken.family_id != keep)
    session.exec(update(RefreshToken).where(*condition).values(revoked_at=utcnow()))
    user.sessions_valid_after = utcnow()
    user.kept_session_family = keep
    session.add(user)


def change_own_password(session: Session, actor: Actor, user: User, *, current_password: str | None,
                        new_password: str) -> None:
    """A signed-in user's own password change: the current password is required (a stolen
    session must not become a stolen account) and every other session ends."""
    if not current_password or not verify_password(current_password, user.password_hash):
        raise E.ValidationError("Your current password is not correct.", code=E.AUTH_CURRENT_PASSWORD)
    check_password_policy(new_password, email=user.email, names=names_for_policy(session, user))
    user.password_hash = hash_password(new_password)
    end_other_sessions(session, user, keep_family=(actor.profile or {}).get("session_family"))


def names_for_policy(session: Session, user: User) -> list[str | None]:
    """The names a password must not be built from: the person's and their company's."""
    company = session.get(Company, user.company_id) if user.company_id else None
    return [user.name, company.name if company else None]


# --- email verification and set-password links -------------------------------------------

def issue_account_link(session: Session, user: User, *, purpose: str, approved_company: str | None = None,
                       rows: list | None = None) -> str:
    """Create a one-time token (stored hashed) and email the link. purpose: verify | set_password.
    ``approved_company``: the set-password mail of a company's first HR user says the company was approved.
    ``rows``: for a caller that writes its new rows itself (``db.insert_together``): the mail's
    row is appended there instead of being added to the session, and ``user`` is not added."""
    settings = get_settings()
    token = new_opaque_token()
    user.verification_token = hash_opaque_token(token)
    user.verification_expires_at = utcnow() + timedelta(hours=settings.VERIFICATION_TOKEN_EXPIRE_HOURS)
    if rows is None:
        session.add(user)
    base = settings.PUBLIC_URL.rstrip("/")
    if purpose == "verify":
        link = f"{base}/verify-email?token={token}"
        subject = "Confirm your email address"
        body = (f"Hello {user.name},\n\nPlease confirm your email address to activate your account:\n{link}\n\n"
                f"The link is valid for {settings.VERIFICATION_TOKEN_EXPIRE_HOURS} hours.\n")
    elif approved_company:
        link = f"{base}/set-password?token={token}"
        subject = f"{approved_company} is approved: set your password for AI Interviewer"
        body = (f"Hello {user.name},\n\nGood news: your request to register {approved_company} on AI Interviewer "
                f"was approved, and an HR account was created for you with this email address.\n\n"
                f"Choose your password here; you are signed in straight after:\n{link}\n\n"
                f"The link is valid for {settings.VERIFICATION_TOKEN_EXPIRE_HOURS} hours. Your dashboard then lists "
                f"the first steps: invite a colleague, create a job and its questions, add candidates and schedule "
                f"the first interview.\n")
    else:
        link = f"{base}/set-password?token={token}"
        subject = "Set your password for AI Interviewer"
        body = (f"Hello {user.name},\n\nAn account was created for you. Choose your password here:\n{link}\n\n"
                f"The link is valid for {settings.VERIFICATION_TOKEN_EXPIRE_HOURS} hours.\n")
    mail = {"to": user.email, "subject": subject, "body_text": body, "kind": f"account_{purpose}",
            "company_id": user.company_id}
    if rows is None:
        queue_email(session, **mail)
    else:
        rows.append((EmailMessage, outbox_mail(session, **mail)))
    return token


def _user_for_link(session: Session, token: str) -> User:
    user = session.exec(select(User).where(User.verification_token == hash_opaque_token(token))).first()
    if user is None or user.verification_expires_at is None or user.verification_expires_at < utcnow():
        raise E.BadRequestError("This link is invalid or has expired.", code=E.AUTH_VERIFY_TOKEN_INVALID)
    return user


def _link_candidate_records(session: Session, user: User) -> None:
    """A verified candidate account is linked to the candidate records carrying its email."""
    if user.role != UserRole.CANDIDATE:
        return
    for cand in session.exec(select(Candidate).where(Candidate.email == user.email, Candidate.user_id.is_(None))):
        cand.user_id = user.id
        session.add(cand)


def verify_email(session: Session, token: str) -> User:
    user = _user_for_link(session, token)
    user.email_verified = True
    user.verification_token = None
    user.verification_expires_at = None
    _link_candidate_records(session, user)
    return user


def set_password(session: Session, token: str, password: str) -> User:
    user = _user_for_link(session, token)
    check_password_policy(password, email=user.email, names=names_for_policy(session, user))
    user.password_hash = hash_password(password)
    user.email_verified = True
    user.verification_token = None
    user.verification_expires_at = None
    _link_candidate_records(session, user)
    end_other_sessions(session, user)
    return user


def set_password_and_sign_in(session: Session, token: str, password: str, *, ip: str | None = None,
                             user_agent: str | None = None) -> tuple[User, TokenPair | None]:
    """``set_password``, then a session for the account (as a sign-in with the new password would
    give): whoever holds the emailed link and just chose the password need not type it again.
    An account that may not sign in (deactivated, or its company is) keeps the new password but
    gets no session (``None``)."""
    user = set_password(session, token, password)
    try:
        _check_can_sign_in(session, user)
    except (E.AuthenticationError, E.PermissionDeniedError):
        return user, None
    user.last_login_at = utcnow()
    family = uuid.uuid4()
    user.kept_session_family = family  # the session started here outlives the password change it follows
    pair = _issue(session, user, family_id=family, ip=ip, user_agent=user_agent)
    audit.record(session, actor=None, action="auth.login", entity_type="user", entity_id=user.id,
                 company_id=user.company_id, details={"ip": ip, "via": "set_password"})
    return user, pair


def unusable_password_hash() -> str:
    """For accounts waiting for their set-password link: no password matches it."""
    return "!" + new_opaque_token(24)


def signup_candidate(session: Session, *, name: str, email: str, password: str) -> User:
    """Public candidate sign-up, enumeration-safe: the answer is the same whether or not the email
    already has an account. A new account gets a verification link; the owner of an existing one
    gets an email saying so (with the sign-in and forgot-password links) and nothing is created:
    the returned user is then a transient object that is not stored."""
    email = normalize_email(email)
    name = name.strip()
    check_password_policy(password, email=email, names=[name])
    password_hash = hash_password(password)  # in both branches, so timing tells nothing either
    existing = find_user_by_email(session, email)
    user = User(email=email, name=name, role=UserRole.CANDIDATE, company_id=None,
                password_hash=password_hash, email_verified=False, created_at=utcnow())
    if existing is not None:
        notify_existing_account(session, existing, attempted="create a candidate account")
        return user
    session.add(user)
    session.flush()
    issue_account_link(session, user, purpose="verify")
    return user


def notify_existing_account(session: Session, user: User, *, attempted: str) -> None:
    """Tell an account's owner that someone tried to register their address again: the truth goes
    by email, never in the HTTP answer."""
    base = get_settings().PUBLIC_URL.rstrip("/")
    queue_email(session, to=user.email, subject="You already have an AI Interviewer account",
                body_text=(f"Hello {user.name},\n\nSomeone (perhaps you) tried to {attempted} with this email "
                           f"address, which already has an account. Sign in at {base}/login, or choose a new "
                           f"password at {base}/forgot-password if you forgot it.\n\nIf this was not you, "
                           "you can ignore this message.\n"),
                kind="account_exists", company_id=user.company_id)
