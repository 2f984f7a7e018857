from __future__ import annotations

from fastapi import APIRouter, Cookie, Request, Response, status

from interviewer.api.deps import REFRESH_COOKIE, Token, authed, client_meta
from interviewer.core.config import get_settings
from interviewer.core.security import decode_token
from interviewer.db import session_scope
from interviewer.models.schemas import (
    CandidateSignup,
    LoginRequest,
    LoginResponse,
    MeResponse,
    SetPasswordRequest,
    TokenRequest,
    UserBrief,
    UserPublic,
)
from interviewer.services import auth as auth_service

router = APIRouter(prefix="/auth", tags=["auth"])


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
def me(token: Token) -> MeResponse:
    with authed(token) as (_session, actor):
        return MeResponse.model_validate(actor.profile)


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
