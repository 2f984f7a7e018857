"""/candidates: the searchable, filterable, sortable list with selection, bulk actions and the
"Add candidate" dialog. Employees get only their assigned candidates (the service decides)."""

from __future__ import annotations

import dataclasses
import uuid

import pydantic
import reflex as rx
from sqlmodel import Session

from interviewer.core import errors as E
from interviewer.core.config import get_settings
from interviewer.core.wording import noun, plural
from interviewer.models import CandidateStatus
from interviewer.models.schemas import pages_for
from interviewer.services import candidates as candidate_service
from interviewer.services import companies as company_service
from interviewer.services import job_fit
from interviewer.services import local_days
from interviewer.services import ui_queries
from interviewer.services.authz import Actor
from interviewer.services.candidate_schemas import CandidateCreate
from interviewer.state.auth_state import AuthState, validation_message
from interviewer.state.candidates_common_state import (
    ALL,
    NONE,
    PIPELINE,
    Option,
    clip,
    fmt_date,
    parse_uuid,
    status_options,
)
from interviewer.state.dashboard_state import stage_label
from interviewer.state.interviews_common_state import TZ_JS

ADD_UPLOAD_ID = "add-resume-upload"  # the optional resume of the "Add candidate" dialog
PAGE_SIZES = ["20", "50", "100"]
SORT_COLUMNS = ("name", "email", "status", "created_at", "fit")


@dataclasses.dataclass
class CandidateRow:
    id: str = ""
    name: str = ""
    email: str = ""
    status: str = ""
    status_label: str = ""
    job: str = ""
    assignee: str = ""
    source: str = ""
    ats_score: str = ""
    fit: str = ""  # fit of the resume to the candidate's job, 0-100 ('' when not computed)
    fit_color: str = "gray"
    created: str = ""
    company: str = ""


class CandidatesState(AuthState):
    rows: list[CandidateRow] = []
    tz: str = "UTC"  # the browser's zone: date filters are the user's own days
    loaded: bool = False
    admin_view: bool = False
    search: str = ""
    status_filter: str = ALL
    job_filter: str = ALL
    assignee_filter: str = ALL
    created_from: str = ""
    created_to: str = ""
    sort: str = "created_at"
    descending: bool = True
    page: int = 1
    per_page: str = "20"
    pages: int = 1
    total: int = 0
    job_options: list[Option] = []
    assignee_options: list[Option] = []
    company_options: list[Option] = []
    status_choices: list[Option] = status_options()
    selected_ids: list[str] = []

    bulk_delete_open: bool = False
    bulk_assign_open: bool = False
    bulk_assignee: str = NONE

    add_open: bool = False
    add_error: str = ""
    adding: bool = False
    a_name: str = ""
    a_email: str = ""
    a_phone: str = ""
    a_source: str = ""
    a_job: str = NONE
    a_assignee: str = NONE
    a_company: str = ""

    # --- derived --------------------------------------------------------------------------

    @rx.var
    def max_mb(self) -> int:
        return get_settings().MAX_UPLOAD_BYTES // 1_048_576

    @rx.var
    def page_ids(self) -> list[str]:
        return [r.id for r in self.rows]

    @rx.var
    def all_on_page_selected(self) -> bool:
        return bool(self.rows) and all(r.id in self.selected_ids for r in self.rows)

    @rx.var
    def selected_count(self) -> int:
        return len(self.selected_ids)

    @rx.var
    def has_filters(self) -> bool:
        return bool(self.search or self.created_from or self.created_to) or any(
            v != ALL for v in (self.status_filter, self.job_filter, self.assignee_filter))

    # --- loading ---------------------------------------------------------------------------

    def _options(self, session: Session, actor: Actor) -> None:
        self.admin_view = actor.is_admin
        jobs = ui_queries.job_options(session, actor)
        self.job_options = [Option(value=j["id"], label=j["title"]) for j in jobs]
        staff = ui_queries.assignee_options(session, actor) if candidate_service.sees_all(actor) else []
        self.assignee_options = [Option(value=u["id"], label=u["name"]) for u in staff]
        if actor.is_admin:
            self.company_options = [Option(value=i, label=n)
                                    for i, n in company_service.company_choices(session, actor)]

    def _load(self, session: Session, actor: Actor) -> None:
        per_page = int(self.per_page) if self.per_page in PAGE_SIZES else 20
        status = CandidateStatus(self.status_filter) if self.status_filter != ALL else None
        created_from, created_to = local_days.day_range(self.created_from, self.created_to, self.tz)
        rows, self.total = candidate_service.list_candidates(
            session, actor, page=self.page, per_page=per_page, status=status,
            job_template_id=parse_uuid(self.job_filter), assigned_to=parse_uuid(self.assignee_filter),
            created_from=created_from, created_to=created_to,
            search=self.search or None, sort=self.sort, descending=self.descending)
        self.pages = pages_for(self.total, per_page)
        if self.page > self.pages and self.total:
            self.page = self.pages
            return self._load(session, actor)
        names = ui_queries.lookup_names(session, actor, user_ids=[c.assigned_to for c in rows],
                                        job_ids=[c.job_template_id for c in rows],
                                        company_ids=[c.company_id for c in rows] if actor.is_admin else [])
        fits = job_fit.scores_for(session, [c.id for c in rows])
        self.rows = [
            CandidateRow(id=str(c.id), name=c.name, email=c.email, status=c.status.value,
                         fit="" if fits.get(c.id) is None else f"{fits[c.id]:.0f}",
                         fit_color=job_fit.band_color(fits.get(c.id)),
                         status_label=stage_label(c.status.value),
                         job=names.jobs.get(c.job_template_id, "") if c.job_template_id else "",
                         assignee=names.users.get(c.assigned_to, "") if c.assigned_to else "",
                         source=c.source or "", ats_score="" if c.ats_score is None else str(c.ats_score),
                         created=fmt_date(c.created_at), company=names.companies.get(c.company_id, ""))
            for c in rows
        ]
        self.loaded = True
        return None

    def _reload(self):
        return self._run(self._load)

    @rx.event
    def load(self):
        self.page, self.selected_ids = 1, []
        wanted = self.router.url.query_parameters.get("status", "")
        if wanted in PIPELINE:  # links from the dashboard funnel
            self.status_filter = wanted

        def _work(session: Session, actor: Actor):
            self._options(session, actor)
            return self._load(session, actor)

        result = self._run(_work, page_load=True)
        if result is not None:
            return result
        return rx.call_script(TZ_JS, callback=CandidatesState.accept_tz)

    @rx.event
    def accept_tz(self, tz: str):
        """The browser's time zone: date filters mean the user's own days (services.local_days)."""
        name = str(tz or "UTC")
        self.tz = name if local_days.user_zone(name).key == name else "UTC"
        if self.created_from or self.created_to:
            return self._reload()
        return None

    @rx.event
    def refresh(self):
        return self._reload()

    # --- filters, sort, pages --------------------------------------------------------------

    @rx.event
    def set_search(self, value: str):
        self.search, self.page = clip(value, 100), 1
        return self._reload()

    @rx.event
    def set_filter(self, name: str, value: str):
        if name in ("status_filter", "job_filter", "assignee_filter", "created_from", "created_to"):
            setattr(self, name, value or (ALL if name.endswith("_filter") else ""))
            self.page = 1
            return self._reload()
        return None

    @rx.event
    def clear_filters(self):
        self.search, self.created_from, self.created_to = "", "", ""
        self.status_filter = self.job_filter = self.assignee_filter = ALL
        self.page = 1
        return self._reload()

    @rx.event
    def sort_by(self, column: str):
        if column not in SORT_COLUMNS:
            return None
        if self.sort == column:
            self.descending = not self.descending
        else:
            self.sort, self.descending = column, column in ("created_at", "fit")  # newest, best first
        self.page = 1
        return self._reload()

    @rx.event
    def set_per_page(self, value: str):
        self.per_page, self.page = (value if value in PAGE_SIZES else "20"), 1
        return self._reload()

    @rx.event
    def change_page(self, delta: int):
        self.page = max(1, min(self.pages, self.page + delta))
        return self._reload()

    @rx.event
    def open_candidate(self, candidate_id: str):
        return rx.redirect(f"/candidates/{candidate_id}")

    # --- selection and bulk actions --------------------------------------------------------

    @rx.event
    def toggle_row(self, candidate_id: str, checked: bool):
        if checked and candidate_id not in self.selected_ids:
            self.selected_ids = [*self.selected_ids, candidate_id]
        elif not checked:
            self.selected_ids = [i for i in self.selected_ids if i != candidate_id]

    @rx.event
    def toggle_page(self, checked: bool):
        on_page = [r.id for r in self.rows]
        rest = [i for i in self.selected_ids if i not in on_page]
        self.selected_ids = rest + on_page if checked else rest

    @rx.event
    def clear_selection(self):
        self.selected_ids = []

    @rx.event
    def set_bulk_delete_open(self, value: bool):
        self.bulk_delete_open = value and bool(self.selected_ids)

    @rx.event
    def set_bulk_assign_open(self, value: bool):
        self.bulk_assign_open = value and bool(self.selected_ids)
        self.bulk_assignee = NONE

    @rx.event
    def set_bulk_assignee(self, value: str):
        self.bulk_assignee = value

    @rx.event
    def confirm_bulk_delete(self):
        ids = [uuid.UUID(i) for i in self.selected_ids]

        def _work(session: Session, actor: Actor):
            deleted, missing = candidate_service.bulk_delete(session, actor, ids)
            self.selected_ids, self.bulk_delete_open = [], False
            self._load(session, actor)
            extra = f" ({missing} {noun(missing, 'was', 'were')} already gone)" if missing else ""
            return rx.toast.success(f"Deleted {plural(deleted, 'candidate')}{extra}.")

        return self._run(_work)

    @rx.event
    def confirm_bulk_assign(self):
        ids = [uuid.UUID(i) for i in self.selected_ids]
        assignee = parse_uuid(self.bulk_assignee)
        label = next((o.label for o in self.assignee_options if o.value == self.bulk_assignee), "nobody")

        def _work(session: Session, actor: Actor):
            for cid in ids:  # one transaction: all or nothing
                candidate_service.assign_candidate(session, actor, cid, assignee)
            self.selected_ids, self.bulk_assign_open = [], False
            self._load(session, actor)
            return rx.toast.success(f"Assigned {plural(len(ids), 'candidate')} to {label}.")

        return self._run(_work)

    # --- add dialog --------------------------------------------------------------------------

    @rx.event
    def open_add(self):
        self.add_error = ""
        self.a_name = self.a_email = self.a_phone = self.a_source = ""
        self.a_job = self.a_assignee = NONE
        self.adding = False
        self.a_company = self.company_options[0].value if self.admin_view and self.company_options else ""
        self.add_open = True
        return rx.clear_selected_files(ADD_UPLOAD_ID)  # a file chosen for an earlier, cancelled add

    @rx.event
    def set_add_open(self, value: bool):
        self.add_open = value

    @rx.event
    def set_add_field(self, name: str, value: str):
        if name in ("a_name", "a_email", "a_phone", "a_source", "a_job", "a_assignee", "a_company"):
            setattr(self, name, value)

    @rx.event
    async def save_add(self, files: list[rx.UploadFile]):
        """Create the candidate and, when a file was chosen, store its resume in the same transaction
        (``candidates.attach_resume``, as the candidate page's upload: text extracted by a job); a
        resume that cannot be stored (type, size) leaves nothing behind."""
        if not self.add_open:  # a second click queued behind the first: the dialog is already saved and closed
            return
        self.add_error = ""
        try:
            data = CandidateCreate(name=self.a_name, email=self.a_email, phone=self.a_phone.strip() or None,
                                   source=self.a_source.strip() or None, job_template_id=parse_uuid(self.a_job),
                                   assigned_to=parse_uuid(self.a_assignee),
                                   company_id=parse_uuid(self.a_company) if self.admin_view else None)
        except (pydantic.ValidationError, ValueError) as exc:
            self.add_error = validation_message(exc)
            return
        resume: tuple[bytes, str] | None = None
        if files:
            limit = get_settings().MAX_UPLOAD_BYTES
            content = await files[0].read(limit + 1)
            if len(content) > limit:
                self.add_error = f"The resume is larger than {limit // 1_048_576} MB."
                return
            if message := self._rate_limited("resume_upload"):  # the REST upload limit, same counter
                self.add_error = message
                return
            resume = (content, files[0].filename or "resume")
        self.adding = True
        yield

        def _work(session: Session, actor: Actor):
            try:
                cand = candidate_service.create_candidate(session, actor, data)
                if resume is not None:
                    candidate_service.attach_resume(session, actor, cand.id, *resume)
            except (E.ValidationError, E.ConflictError, E.PayloadTooLargeError, E.UnsupportedMediaError,
                    E.BadRequestError) as exc:
                self.add_error = exc.message if resume is None else f"{exc.message} Nothing was saved."
                raise
            self.add_open = False
            self._load(session, actor)
            added = f"{cand.name} was added" + (" with their resume; its text is being extracted." if resume else ".")
            return [rx.toast.success(added), rx.clear_selected_files(ADD_UPLOAD_ID),
                    rx.redirect(f"/candidates/{cand.id}")]

        result = self._run(_work)
        self.adding = False
        if not self.add_error and result is not None:
            yield result
