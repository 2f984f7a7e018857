"""The signed-in session: the current user, sign-in and sign-out, and ``_run``, the one way
feature states call services as the signed-in user.

No token ever reaches the browser (issue 12): the token pair is kept on the server
(services.web_sessions, in Redis) under a random session id that the browser holds only as an
HttpOnly cookie. Every event reads the cookie from its socket's handshake headers (Reflex keeps
them on the server) and the pair from Redis, so all tabs of a browser share one session: one
tab's refresh or sign-out reaches the others at their next event. Signing in hands the session
over to the browser through ``GET /api/v1/auth/web-session`` (a page load that sets the cookie).
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

import reflex as rx
from sqlalchemy import exc as sa_exc
from sqlmodel import Session

from interviewer.core import errors as E
from interviewer.core.config import get_settings
from interviewer.core.netaddr import resolve_client_ip
from interviewer.db import is_nul_error, session_scope
from interviewer.services import auth as auth_service
from interviewer.services import navigation, rate_limits, web_sessions
from interviewer.services.authz import Actor

SESSION_EXPIRED = "Your session expired, please sign in again."
ROLE_LABELS = {"SYSTEM_ADMIN": "System admin", "HR": "HR", "EMPLOYEE": "Employee", "CANDIDATE": "Candidate"}
NAV_BY_ROLE = {
    "SYSTEM_ADMIN": ["/dashboard", "/candidates", "/jobs", "/interviews", "/admin/company-requests",
                     "/admin/companies", "/users", "/outbox", "/me"],
    "HR": ["/dashboard", "/candidates", "/jobs", "/interviews", "/users", "/roles", "/settings/ai", "/outbox",
           "/availability", "/me"],
    "EMPLOYEE": ["/dashboard", "/candidates", "/interviews", "/availability", "/me"],
    "CANDIDATE": ["/me", "/me/ats"],
}


# Said to a system admin who opens a page that belongs to one company (they have none of their own).
COMPANY_PAGE = ("{what} belong to a company and are managed by its HR here; a system administrator "
                "changes them through the REST API with company_id.")


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


def client_ip_of(router: Any) -> str:
    """The browser's address behind the proxy (TRUSTED_PROXY_HOPS / TRUSTED_PROXIES), as the API sees it."""
    settings = get_settings()
    forwarded = dict(router.headers.raw_headers or {}).get("x-forwarded-for")
    return resolve_client_ip(router.session.client_ip or "unknown", forwarded,
                             trusted=settings.TRUSTED_PROXIES, hops=settings.TRUSTED_PROXY_HOPS)


def rate_limited(router: Any, action: str) -> str:
    """Count one costly UI action against the REST API's limit of the same work
    (services.rate_limits.UI_ACTIONS): '' when allowed, else the "Please wait N seconds" message."""
    try:
        rate_limits.enforce_action(action, client_ip_of(router))
    except E.RateLimitedError as exc:
        return exc.message
    return ""


class AuthState(rx.State):
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
        hrefs = NAV_BY_ROLE.get(self.user.role, [])
        if "compliance:read" in self.user.permissions and self.user.role in ("HR", "EMPLOYEE", "SYSTEM_ADMIN"):
            hrefs = [*hrefs, "/fairness"]  # the fairness audit: a permission, not a role (custom roles)
        return hrefs

    @rx.var
    def home_path(self) -> str:
        return home_for(self.user.role)

    @rx.var
    def user_initials(self) -> str:
        parts = [p for p in self.user.name.split() if p]
        return "".join(p[0] for p in parts[:2]).upper() or "?"

    # --- helpers used by every feature state ---------------------------------------------

    def _client_ip(self) -> str:
        return client_ip_of(self.router)

    def _rate_limited(self, action: str) -> str:
        """One costly action (services.rate_limits.UI_ACTIONS) under the REST limits; '' when allowed."""
        return rate_limited(self.router, action)

    def _client_meta(self) -> tuple[str | None, str | None]:
        return self._client_ip() or None, self.router.headers.user_agent or None

    def _throttled(self) -> str:
        """The public auth actions share the API's per-IP limit (RATE_LIMIT_AUTH); '' when allowed."""
        retry_after = auth_service.sign_in_throttle(self._client_ip())
        return "" if retry_after is None else f"Too many attempts; please wait {retry_after} seconds and try again."

    def _set_user(self, session: Session, actor: Actor) -> None:
        # The resolved session entry already carries the company name (services.session_cache).
        company = (actor.profile or {}).get("company_name") or ""
        self.user = CurrentUser(
            id=str(actor.id), name=actor.name, email=actor.email, role=actor.role.value,
            role_label=ROLE_LABELS.get(actor.role.value, actor.role.value), company_name=company,
            custom_role_name=actor.custom_role_name or "", permissions=sorted(actor.permissions),
        )

    # --- the browser session (HttpOnly cookie -> token pair on the server) -----------------

    def _web_session_id(self) -> str | None:
        return web_sessions.session_id_from_cookie(self.router.headers.cookie)

    def _web(self) -> web_sessions.WebSession | None:
        return web_sessions.load(self._web_session_id())

    @property
    def access_token(self) -> str:
        """The session's current access token ('' when signed out); never sent to the browser."""
        web = self._web()
        return web.access_token if web else ""

    def _hand_over(self, pair: auth_service.TokenPair, path: str):
        """After a sign-in: the browser fetches its HttpOnly session cookie from the backend, which
        sends it on to ``path`` (a full page load, so the event socket reconnects with the cookie)."""
        code = web_sessions.start(pair)
        origin = str(self.router.headers.origin or "").rstrip("/")
        secure = origin.startswith("https")
        backend = f"{'https' if secure else 'http'}://{self.router.headers.host}"
        target = f"{origin}{path}" if origin else path
        url = f"{backend}/api/v1/auth/web-session?{urlencode({'code': code, 'next': target})}"
        return rx.call_script(f"window.location.assign({json.dumps(url)})")

    def _refresh_web(self, web: web_sessions.WebSession) -> web_sessions.WebSession:
        """Rotate the refresh token (its own transaction, so the rotation stands whatever follows)."""
        ip, agent = self._client_meta()
        try:
            with session_scope() as session:
                return web_sessions.refresh(session, web, ip=ip, user_agent=agent)
        except (E.AuthenticationError, E.PermissionDeniedError) as exc:
            web_sessions.end(web.id)
            raise SessionEnded(exc.message) from exc

    def _call(self, work: Callable[[Session, Actor], Any], *, load_user: bool = False) -> Any:
        """Run ``work(session, actor)`` in one transaction as the signed-in user, refreshing an
        expired access token once. Raises SessionEnded when the user must sign in again."""
        web = self._web()
        if web is None:
            raise SessionEnded(SESSION_EXPIRED if self.user.id else "")
        for attempt in range(2):
            with session_scope() as session:
                actor = None
                try:
                    actor, _ = auth_service.authenticate_access_token(session, web.access_token or None)
                except E.AuthenticationError as exc:
                    expired = exc.code in (E.AUTH_TOKEN_EXPIRED, E.AUTH_NOT_AUTHENTICATED)
                    if attempt or not expired or not web.refresh_token:
                        raise SessionEnded(exc.message) from exc
                if actor is not None:
                    if load_user:
                        self._set_user(session, actor)
                    return work(session, actor)
            web = self._refresh_web(web)
        raise SessionEnded(SESSION_EXPIRED)  # pragma: no cover - the loop always returns or raises

    def _fresh_token(self) -> str | None:
        """A valid access token for work handed to a thread (refreshed when it expired); None when the
        user must sign in again."""
        try:
            self._call(lambda session, actor: None)
        except SessionEnded:
            return None
        return self.access_token

    def _end_session(self, notice: str = SESSION_EXPIRED):
        session_id = self._web_session_id()
        had_session = bool(self.user.id or web_sessions.load(session_id))
        web_sessions.end(session_id)
        self.user = CurrentUser()
        self.login_error = ""
        if had_session:
            self.notice = notice
        return rx.redirect(navigation.login_path(self._current_path()))

    def _current_path(self) -> str:
        """The page the browser is on (path and query), to come back to after signing in."""
        url = self.router.url
        return url.path + (f"?{url.query}" if url.query else "") if url.path else ""

    def _after_sign_in_path(self) -> str:
        """Where signing in leads: the deep link the user came from (same site only), else home."""
        wanted = self.router.url.query_parameters.get("next") if self.router.url.path == "/login" else None
        return navigation.safe_next_path(wanted) or self.home_path

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
        except sa_exc.DataError as exc:  # nothing was written (the unit of work rolled back)
            if is_nul_error(exc):
                return rx.toast.error("The text holds an invisible NUL character (often pasted from a PDF); "
                                      "remove it and try again.")
            raise

    # --- events -------------------------------------------------------------------------

    @rx.event
    def require_login(self):
        """on_load of pages that only need a signed-in user (loads the user for the shell)."""
        return self._run(lambda session, actor: None, page_load=True)

    @rx.event
    def route_home(self):
        """``/``: the user's home page when signed in, otherwise the sign-in page."""
        if self._web() is None:
            return rx.redirect("/login")
        result = self._run(lambda session, actor: None, page_load=True)
        return result if result is not None else rx.redirect(self.home_path)

    @rx.event
    def open_login(self):
        """on_load of /login: a still-valid session goes straight home. Like every on_load it also
        runs again when the socket reconnects, so it leaves the form's error message alone."""
        self.signing_in = False
        if self._web() is None:
            return None
        try:
            self._call(lambda session, actor: None, load_user=True)
        except SessionEnded:
            web_sessions.end(self._web_session_id())
            self.user = CurrentUser()
            return None
        except E.DomainError:
            return None
        return rx.redirect(self._after_sign_in_path())

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
        self.notice = ""
        yield self._hand_over(pair, self._after_sign_in_path())

    @rx.event
    def logout(self):
        """Blacklist the access token, revoke the refresh family, end the browser session."""
        def _work(session: Session, actor: Actor) -> None:
            web = self._web()
            if web is not None:
                _, payload = auth_service.authenticate_access_token(session, web.access_token)
                auth_service.logout(session, access_payload=payload, refresh_token=web.refresh_token or None)

        try:
            self._call(_work)
        except (SessionEnded, E.DomainError):
            pass  # nothing left to revoke, or the store is down: the local sign-out still happens
        self._end_session("")
        self.notice = "You have signed out."
        return rx.redirect("/login")
