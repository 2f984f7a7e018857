"""/settings/ai: the company's AI configuration (provider, model, API key, custom prompt, verdict
thresholds). The key is write-only: the page only learns whether one is stored."""

from __future__ import annotations

from typing import Any

import reflex as rx
from sqlmodel import Session

from interviewer.core import errors as E
from interviewer.services import ai_config
from interviewer.services import ui_hiring_queries as queries
from interviewer.services.authz import Actor
from interviewer.state.auth_state import COMPANY_PAGE, AuthState

PROVIDERS = ("auto", "gemini", "offline")


class AISettingsState(AuthState):
    loaded: bool = False
    provider: str = "auto"
    model: str = ""
    api_key: str = ""  # a new key being typed; never filled from the server
    key_set: bool = False
    custom_prompt: str = ""
    pass_mark: str = "70"
    review_mark: str = "50"
    fallback: bool = True
    resolved: str = ""
    error: str = ""

    def _apply(self, data: dict[str, Any]) -> None:
        self.provider, self.model = data["provider"], data["model"]
        self.key_set, self.api_key = bool(data["api_key_set"]), ""
        self.custom_prompt = data.get("custom_prompt") or ""
        thresholds = data["thresholds"]
        self.pass_mark, self.review_mark = str(thresholds["pass"]), str(thresholds["review"])
        self.fallback = bool(data.get("fallback_to_offline", True))

    def _load(self, session: Session, actor: Actor) -> None:
        if actor.is_admin:  # a company's page, and the admin has no company of their own
            raise E.PermissionDeniedError(COMPANY_PAGE.format(what="AI settings"))
        # Who may read (and, in update_ai_config, change) the configuration is ai_config's rule alone.
        self._apply(ai_config.get_ai_config(session, actor))
        self.resolved = queries.analysis_provider(session, actor)
        self.loaded = True

    @rx.event
    def load(self):
        self.loaded, self.error = False, ""
        return self._run(self._load, page_load=True)

    @rx.event
    def set_field(self, name: str, value: str):
        if name in {"provider", "model", "api_key", "custom_prompt", "pass_mark", "review_mark"}:
            setattr(self, name, value)
            self.error = ""

    @rx.event
    def set_fallback(self, value: bool):
        self.fallback = value

    @rx.var
    def threshold_error(self) -> str:
        try:
            passing, review = int(self.pass_mark), int(self.review_mark)
        except ValueError:
            return "Thresholds must be whole numbers."
        if not (0 <= review < passing <= 100):
            return "Need 0 ≤ review < pass ≤ 100."
        return ""

    @rx.var
    def bands(self) -> list[str]:
        """CSS widths of the FAIL / REVIEW / PASS bands of the 0-100 scale."""
        if self.threshold_error:
            return ["0%", "0%", "0%"]
        passing, review = int(self.pass_mark), int(self.review_mark)
        return [f"{review}%", f"{passing - review}%", f"{100 - passing}%"]

    def _save(self, changes: dict[str, Any], message: str):
        def _work(session: Session, actor: Actor):
            try:
                self._apply(ai_config.update_ai_config(session, actor, changes))
            except E.DomainError as exc:
                self.error = exc.message
                raise
            session.flush()
            self.resolved = queries.analysis_provider(session, actor)
            return rx.toast.success(message)

        return self._run(_work)

    @rx.event
    def save(self):
        self.error = ""
        if self.threshold_error:
            self.error = self.threshold_error
            return None
        if self.provider not in PROVIDERS:
            self.error = "Choose a provider."
            return None
        if self.provider == "gemini" and not self.key_set and not self.api_key.strip():
            self.error = ("Gemini needs an API key: paste one below, or choose Automatic to use the server's "
                          "key when there is one and offline analysis otherwise.")
            return None
        changes: dict[str, Any] = {
            "provider": self.provider, "model": self.model.strip(), "custom_prompt": self.custom_prompt.strip() or None,
            "thresholds": {"pass": int(self.pass_mark), "review": int(self.review_mark)},
            "fallback_to_offline": self.fallback,
        }
        if self.api_key.strip():
            changes["api_key"] = self.api_key.strip()
        return self._save(changes, "AI settings saved.")

    @rx.event
    def remove_key(self):
        self.error = ""
        return self._save({"api_key": ""}, "The API key was removed.")
