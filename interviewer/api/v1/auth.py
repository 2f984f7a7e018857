from __future__ import annotations

from typing import Any

from fastapi import Cookie, Request, Response, status

from interviewer.api.deps import (
    REFRESH_COOKIE,
    Token,
    authed,
    cached_actor,
    client_meta,
)
from interviewer.api.routing import ApiRouter
from interviewer.core.config import get_settings
from interviewer.core.security import decode_token
from interviewer.db import session_scope
from interviewer.models.schemas import (
    CandidateSignup,
    ForgotPasswordRequest,
    LoginRequest,
    LoginResponse,
    MeResponse,
    MessageResponse,
    SetPasswordRequest,
    TokenRequest,
    UserBrief,
    UserPublic,
)
from interviewer.services import auth as auth_service
from interviewer.services import password_reset

router = ApiRouter(prefix="/auth", tags=["auth"])


def _set_refresh_cookie(response: Response, pair: auth_service.TokenPair) -> None:
    settings = get_settings()
    response.set_cookie(
        REFRESH_COOKIE, pair.refresh_token,
        max_age=settings.REFRESH_TOKEN_EXPIRE_DAYS * 86400,
        httponly=True, samesite="strict", secure=settings.ENVIRONMENT == "production",
        path="/api/v1/auth",
    )


def _login_response(pair: auth_service.TokenPair) -> LoginResponse:
    u = pair.user
    return LoginResponse(access_token=pair.access_token, expires_in=pair.access_expires_in,
                         user=UserBrief(id=u.id, email=u.email, name=u.name, role=u.role, company_id=u.company_id))


@router.post("/login", response_model=LoginResponse)
def login(body: LoginRequest, request: Request, response: Response) -> LoginResponse:
    ip, ua = client_meta(request)
    with session_scope() as session:
        pair = auth_service.login(session, email=body.email, password=body.password, ip=ip, user_agent=ua)
        result = _login_response(pair)
    _set_refresh_cookie(response, pair)
    return result


@router.post("/refresh", response_model=LoginResponse)
def refresh(request: Request, response: Response,
            refresh_token: str | None = Cookie(default=None, alias=REFRESH_COOKIE)) -> LoginResponse:
    ip, ua = client_meta(request)
    with session_scope() as session:
        pair = auth_service.refresh(session, refresh_token, ip=ip, user_agent=ua)
        result = _login_response(pair)
    _set_refresh_cookie(response, pair)
    return result


@router.post("/logout", status_code=status.HTTP_204_NO_CONTENT)
def logout(token: Token, response: Response,
           refresh_token: str | None = Cookie(default=None, alias=REFRESH_COOKIE)) -> Response:
    with authed(token) as (session, _actor):
        auth_service.logout(session, access_payload=decode_token(token, token_type="access"),
                            refresh_token=refresh_token)
    response = Response(status_code=status.HTTP_204_NO_CONTENT)
    response.delete_cookie(REFRESH_COOKIE, path="/api/v1/auth")
    return response


@router.get("/me", response_model=MeResponse)
async def me(token: Token) -> dict[str, Any]:
    # Cache-only: the session cache's profile, on the event loop (no worker thread, no database
    # unless the cache has no current entry), validated once, against MeResponse, on the way out.
    return (await cached_actor(token)).profile


@router.post("/signup", response_model=UserPublic, status_code=status.HTTP_201_CREATED)
def signup(body: CandidateSignup) -> UserPublic:
    """Public candidate sign-up; the account works once the emailed link is followed."""
    with session_scope() as session:
        user = auth_service.signup_candidate(session, name=body.name, email=body.email, password=body.password)
        return UserPublic.model_validate(user)


@router.post("/verify-email", response_model=UserPublic)
def verify_email(body: TokenRequest) -> UserPublic:
    with session_scope() as session:
        return UserPublic.model_validate(auth_service.verify_email(session, body.token))


@router.post("/set-password", response_model=UserPublic)
def set_password(body: SetPasswordRequest) -> UserPublic:
    with session_scope() as session:
        return UserPublic.model_validate(auth_service.set_password(session, body.token, body.password))


@router.post("/forgot-password", response_model=MessageResponse, status_code=status.HTTP_202_ACCEPTED,
             summary="Email a password-reset link (the same answer whether or not the address has an account)")
def forgot_password(body: ForgotPasswordRequest, request: Request) -> MessageResponse:
    ip, _ = client_meta(request)
    with session_scope() as session:
        return MessageResponse(detail=password_reset.request_password_reset(session, email=body.email, ip=ip))


@router.post("/reset-password", response_model=MessageResponse,
             summary="Choose a new password with an emailed reset link (single use); ends every session")
def reset_password(body: SetPasswordRequest, request: Request) -> MessageResponse:
    ip, ua = client_meta(request)
    with session_scope() as session:
        password_reset.reset_password(session, token=body.token, password=body.password, ip=ip, user_agent=ua)
    return MessageResponse(detail="Your password was changed. Sign in with it now.")


@router.get("/web-session", include_in_schema=False)
def web_session(request: Request, code: str = "", next: str = "/") -> Response:  # noqa: A002 - the query name
    """The UI's sign-in hand-over (services.web_sessions): trade the one-time code for the HttpOnly
    session cookie, then back to the page (same host only; anything else goes to ``/``)."""
    from urllib.parse import urlsplit

    from interviewer.services import web_sessions

    target = next if urlsplit(next).hostname in (None, request.url.hostname) and not next.startswith("//") else "/"
    if urlsplit(target).scheme not in ("", "http", "https"):
        target = "/"
    response = Response(status_code=status.HTTP_303_SEE_OTHER, headers={"Location": target})
    session_id = web_sessions.redeem(code)
    if session_id:
        secure = request.url.scheme == "https" or request.headers.get("x-forwarded-proto") == "https"
        max_age = get_settings().REFRESH_TOKEN_EXPIRE_DAYS * 86400
        response.headers.append("Set-Cookie", web_sessions.set_cookie_header(session_id, secure=secure, max_age=max_age))
    return response
