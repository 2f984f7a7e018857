"""/jobs: the company's job templates (every company's for a system admin) and the "New job" dialog."""

from __future__ import annotations

import dataclasses
import uuid
from datetime import datetime

import pydantic
import reflex as rx
from sqlmodel import Session

from interviewer.core import errors as E
from interviewer.models.job import DEFAULT_AI_MODEL
from interviewer.models.schemas import pages_for
from interviewer.services import companies as company_service
from interviewer.services import jobs as job_service
from interviewer.services.authz import Actor
from interviewer.state.auth_state import validation_message
from interviewer.state.interviews_common_state import TZ_JS, HiringState, Option, fmt_dt

PER_PAGE = 15


@dataclasses.dataclass
class JobRow:
    id: str = ""
    title: str = ""
    question_count: int = 0
    created: str = ""
    has_prompt: bool = False
    ai_model: str = ""


class JobsState(HiringState):
    rows: list[JobRow] = []
    search: str = ""
    page: int = 1
    pages: int = 1
    total: int = 0
    loaded: bool = False

    form_open: bool = False
    form_error: str = ""
    f_title: str = ""
    f_description: str = ""
    f_prompt: str = ""
    f_model: str = DEFAULT_AI_MODEL
    f_company: str = ""
    admin_view: bool = False
    company_options: list[Option] = []

    def _load(self, session: Session, actor: Actor) -> None:
        self.admin_view = actor.is_admin
        data = job_service.list_jobs(session, actor, page=self.page, per_page=PER_PAGE, search=self.search or None)
        self.total = data["total"]
        self.pages = pages_for(self.total, PER_PAGE)
        self.rows = [JobRow(id=j["id"], title=j["title"], question_count=j["question_count"],
                            created=fmt_dt(datetime.fromisoformat(j["created_at"]), self.tz),
                            has_prompt=bool(j.get("ai_prompt")), ai_model=j["ai_model"]) for j in data["jobs"]]
        self.loaded = True

    @rx.event
    def load(self):
        self.page, self.loaded, self.form_open = 1, False, False
        return rx.call_script(TZ_JS, callback=JobsState.open_with_tz)

    @rx.event
    def open_with_tz(self, tz: str):
        self._accept_tz(tz)
        return self._run(self._load, page_load=True)

    @rx.event
    def set_search(self, value: str):
        self.search, self.page = value.strip()[:100], 1
        return self._run(self._load)

    @rx.event
    def change_page(self, delta: int):
        self.page = max(1, min(self.pages, self.page + delta))
        return self._run(self._load)

    # --- "New job" dialog -------------------------------------------------------------------

    @rx.event
    def open_create(self):
        self.form_error = ""
        self.f_title = self.f_description = self.f_prompt = ""
        self.f_model = DEFAULT_AI_MODEL

        def _work(session: Session, actor: Actor) -> None:
            actor.require("jobs:write")
            if actor.is_admin:
                self.company_options = [Option(value=i, label=n)
                                        for i, n in company_service.company_choices(session, actor)]
                self.f_company = self.company_options[0].value if self.company_options else ""
            self.form_open = True

        return self._run(_work)

    @rx.event
    def set_form_open(self, value: bool):
        self.form_open = value

    @rx.event
    def set_field(self, name: str, value: str):
        if name in {"f_title", "f_description", "f_prompt", "f_model", "f_company"}:
            setattr(self, name, value)

    @rx.event
    def create(self):
        if not self.form_open:  # a second click queued behind the first: the dialog is already saved and closed
            return None
        self.form_error = ""
        try:
            data = job_service.JobCreate(
                title=self.f_title, description=self.f_description.strip() or None,
                ai_prompt=self.f_prompt.strip() or None, ai_model=self.f_model.strip() or DEFAULT_AI_MODEL,
                company_id=uuid.UUID(self.f_company) if self.admin_view and self.f_company else None)
        except (pydantic.ValidationError, ValueError) as exc:
            self.form_error = validation_message(exc)
            return None

        def _work(session: Session, actor: Actor):
            try:
                job = job_service.create_job(session, actor, data)
            except E.DomainError as exc:
                self.form_error = exc.message
                raise
            self.form_open = False
            return [rx.toast.success(f"“{job.title}” was created. Add its questions now."),
                    rx.redirect(f"/jobs/{job.id}")]

        result = self._run(_work)
        return None if self.form_error else result
