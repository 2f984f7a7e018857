"""The signed-in session: tokens in browser storage, the current user, sign-in and sign-out, and
``_run``, the one way feature states call services as the signed-in user.

Tokens live in ``localStorage`` (synchronised across tabs, so one tab's rotation or sign-out
reaches the others). Reflex sets client storage from JavaScript, so an HttpOnly cookie is not
possible here; the access token is short-lived, the refresh token rotates on every use and a
replayed one revokes its whole family (services.auth.refresh).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

import reflex as rx
from sqlmodel import Session

from interviewer.core import errors as E
from interviewer.db import session_scope
from interviewer.services import auth as auth_service
from interviewer.services.authz import Actor

SESSION_EXPIRED = "Your session expired, please sign in again."
ROLE_LABELS = {"SYSTEM_ADMIN": "System admin", "HR": "HR", "EMPLOYEE": "Employee", "CANDIDATE": "Candidate"}
NAV_BY_ROLE = {
    "SYSTEM_ADMIN": ["/dashboard", "/candidates", "/jobs", "/interviews", "/admin/company-requests",
                     "/admin/companies", "/users", "/outbox"],
    "HR": ["/dashboard", "/candidates", "/jobs", "/interviews", "/users", "/roles", "/settings/ai", "/outbox"],
    "EMPLOYEE": ["/dashboard", "/candidates", "/interviews"],
    "CANDIDATE": ["/me", "/me/ats"],
}


@dataclasses.dataclass
class CurrentUser:
    id: str = ""
    name: str = ""
    email: str = ""
    role: str = ""
    role_label: str = ""
    company_name: str = ""
    custom_role_name: str = ""
    permissions: list[str] = dataclasses.field(default_factory=list)


class SessionEnded(Exception):
    """The stored tokens no longer identify an active user."""


def home_for(role: str) -> str:
    return "/me" if role == "CANDIDATE" else "/dashboard"


def validation_message(exc: Exception) -> str:
    """A readable message from a pydantic ValidationError (request schemas) or a domain error."""
    if isinstance(exc, E.DomainError):
        return exc.message
    errors = getattr(exc, "errors", None)
    if callable(errors):
        parts = []
        for err in errors():
            where = ".".join(str(p) for p in err.get("loc", ()) if p not in ("body",))
            msg = str(err.get("msg", "is invalid")).removeprefix("Value error, ")
            parts.append(f"{where.replace('_', ' ')}: {msg}" if where else msg)
        return "; ".join(parts) or "Please check the form."
    return str(exc)


class AuthState(rx.State):
    access_token: str = rx.LocalStorage("", name="ai_access_token", sync=True)
    refresh_token: str = rx.LocalStorage("", name="ai_refresh_token", sync=True)
    user: CurrentUser = CurrentUser()
    notice: str = ""  # shown on the sign-in page (e.g. after the session expired)
    login_error: str = ""
    signing_in: bool = False

    # --- derived values for the UI -------------------------------------------------------

    @rx.var
    def is_authenticated(self) -> bool:
        return self.user.id != ""

    @rx.var
    def nav_hrefs(self) -> list[str]:
        return NAV_BY_ROLE.get(self.user.role, [])

    @rx.var
    def home_path(self) -> str:
        return home_for(self.user.role)

    @rx.var
    def user_initials(self) -> str:
        parts = [p for p in self.user.name.split() if p]
        return "".join(p[0] for p in parts[:2]).upper() or "?"

    # --- helpers used by every feature state ---------------------------------------------

    def _client_meta(self) -> tuple[str | None, str | None]:
        return self.router.session.client_ip or None, self.router.headers.user_agent or None

    def _throttled(self) -> str:
        """The public auth actions share the API's per-IP limit (RATE_LIMIT_AUTH); '' when allowed."""
        retry_after = auth_service.sign_in_throttle(self.router.session.client_ip or "unknown")
        return "" if retry_after is None else f"Too many attempts; please wait {retry_after} seconds and try again."

    def _set_user(self, session: Session, actor: Actor) -> None:
        # The resolved session entry already carries the company name (services.session_cache).
        company = (actor.profile or {}).get("company_name") or ""
        self.user = CurrentUser(
            id=str(actor.id), name=actor.name, email=actor.email, role=actor.role.value,
            role_label=ROLE_LABELS.get(actor.role.value, actor.role.value), company_name=company,
            custom_role_name=actor.custom_role_name or "", permissions=sorted(actor.permissions),
        )

    def _refresh_tokens(self) -> None:
        """Rotate the refresh token (its own transaction, so the rotation stands whatever follows)."""
        if not self.refresh_token:
            raise SessionEnded(SESSION_EXPIRED)
        ip, agent = self._client_meta()
        try:
            with session_scope() as session:
                pair = auth_service.refresh(session, self.refresh_token, ip=ip, user_agent=agent)
        except (E.AuthenticationError, E.PermissionDeniedError) as exc:
            raise SessionEnded(exc.message) from exc
        self.access_token, self.refresh_token = pair.access_token, pair.refresh_token

    def _call(self, work: Callable[[Session, Actor], Any], *, load_user: bool = False) -> Any:
        """Run ``work(session, actor)`` in one transaction as the signed-in user, refreshing an
        expired access token once. Raises SessionEnded when the user must sign in again."""
        if not self.access_token and not self.refresh_token:
            raise SessionEnded("")
        for attempt in range(2):
            with session_scope() as session:
                actor = None
                try:
                    actor, _ = auth_service.authenticate_access_token(session, self.access_token or None)
                except E.AuthenticationError as exc:
                    expired = exc.code in (E.AUTH_TOKEN_EXPIRED, E.AUTH_NOT_AUTHENTICATED)
                    if attempt or not expired or not self.refresh_token:
                        raise SessionEnded(exc.message) from exc
                if actor is not None:
                    if load_user:
                        self._set_user(session, actor)
                    return work(session, actor)
            self._refresh_tokens()
        raise SessionEnded(SESSION_EXPIRED)  # pragma: no cover - the loop always returns or raises

    def _end_session(self, notice: str = SESSION_EXPIRED):
        had_session = bool(self.access_token or self.refresh_token or self.user.id)
        self.access_token = ""
        self.refresh_token = ""
        self.user = CurrentUser()
        self.login_error = ""
        if had_session:
            self.notice = notice
        return rx.redirect("/login")

    def _run(self, work: Callable[[Session, Actor], Any], *, page_load: bool = False) -> Any:
        """``_call`` with failures turned into UI events: sign-in redirect, toast, or (for a
        page the user may not open) a redirect to their home page."""
        try:
            return self._call(work, load_user=page_load)
        except SessionEnded:
            return self._end_session()
        except E.PermissionDeniedError as exc:
            if page_load:
                return [rx.toast.error(exc.message), rx.redirect(self.home_path if self.user.id else "/login")]
            return rx.toast.error(exc.message)
        except E.DomainError as exc:
            return rx.toast.error(exc.message)

    # --- events -------------------------------------------------------------------------

    @rx.event
    def require_login(self):
        """on_load of pages that only need a signed-in user (loads the user for the shell)."""
        return self._run(lambda session, actor: None, page_load=True)

    @rx.event
    def route_home(self):
        """``/``: the user's home page when signed in, otherwise the sign-in page."""
        if not (self.access_token or self.refresh_token):
            return rx.redirect("/login")
        result = self._run(lambda session, actor: None, page_load=True)
        return result if result is not None else rx.redirect(self.home_path)

    @rx.event
    def open_login(self):
        """on_load of /login: a still-valid session goes straight home. Like every on_load it also
        runs again when the socket reconnects, so it leaves the form's error message alone."""
        self.signing_in = False
        if not (self.access_token or self.refresh_token):
            return None
        try:
            self._call(lambda session, actor: None, load_user=True)
        except SessionEnded:
            self.access_token = self.refresh_token = ""
            self.user = CurrentUser()
            return None
        except E.DomainError:
            return None
        return rx.redirect(self.home_path)

    @rx.event
    def login(self, form: dict[str, Any]):
        email = str(form.get("email") or "").strip()
        password = str(form.get("password") or "")
        self.login_error = ""
        if not email or not password:
            self.login_error = "Enter your email address and password."
            return
        if message := self._throttled():
            self.login_error = message
            return
        self.signing_in = True
        yield
        ip, agent = self._client_meta()
        try:
            with session_scope() as session:
                pair = auth_service.login(session, email=email, password=password, ip=ip, user_agent=agent)
                actor, _ = auth_service.authenticate_access_token(session, pair.access_token)
                self._set_user(session, actor)
        except E.DomainError as exc:
            self.login_error = exc.message
            return
        finally:
            self.signing_in = False
        self.access_token, self.refresh_token = pair.access_token, pair.refresh_token
        self.notice = ""
        yield rx.redirect(home_for(actor.role.value))

    @rx.event
    def logout(self):
        """Blacklist the access token, revoke the refresh family, forget the tokens."""
        def _work(session: Session, actor: Actor) -> None:
            _, payload = auth_service.authenticate_access_token(session, self.access_token)
            auth_service.logout(session, access_payload=payload, refresh_token=self.refresh_token or None)

        try:
            self._call(_work)
        except (SessionEnded, E.DomainError):
            pass  # nothing left to revoke, or the store is down: the local sign-out still happens
        self._end_session("")
        self.notice = "You have signed out."
        return rx.redirect("/login")
