"""User management: HR manages their company's staff; a system admin sees every company."""

from __future__ import annotations

import dataclasses
import uuid

import pydantic
import reflex as rx
from sqlmodel import Session

from interviewer.core import errors as E
from interviewer.models import UserRole
from interviewer.models.schemas import UserCreate, UserUpdate, pages_for
from interviewer.services import companies as company_service
from interviewer.services import roles as role_service
from interviewer.services import users as user_service
from interviewer.services.authz import Actor
from interviewer.state.auth_state import ROLE_LABELS, AuthState, validation_message

PER_PAGE = 10
NONE = "none"  # select value for "no custom role / no manager" (Radix selects refuse "")
ALL = "all"
STAFF = [UserRole.HR.value, UserRole.EMPLOYEE.value]


@dataclasses.dataclass
class UserRow:
    id: str = ""
    name: str = ""
    email: str = ""
    role: str = ""
    role_label: str = ""
    company: str = ""
    custom_role: str = ""
    manager: str = ""
    department: str = ""
    is_active: bool = True
    is_self: bool = False


@dataclasses.dataclass
class Option:
    value: str = ""
    label: str = ""


def _uuid_or_none(value: str) -> uuid.UUID | None:
    return None if value in ("", NONE, ALL) else uuid.UUID(value)


class UsersState(AuthState):
    rows: list[UserRow] = []
    search: str = ""
    company_filter: str = ALL
    company_options: list[Option] = []
    admin_view: bool = False
    page: int = 1
    pages: int = 1
    total: int = 0
    loaded: bool = False

    form_open: bool = False
    editing_id: str = ""
    form_error: str = ""
    f_name: str = ""
    f_email: str = ""
    f_role: str = UserRole.EMPLOYEE.value
    f_password: str = ""
    f_custom_role: str = NONE
    f_manager: str = NONE
    f_department: str = ""
    f_company: str = ""
    role_choices: list[str] = STAFF
    custom_role_options: list[Option] = []
    manager_options: list[Option] = []

    # --- list ------------------------------------------------------------------------------

    def _names(self, session: Session, actor: Actor, users) -> tuple[dict, dict, dict]:
        """Display names for the custom roles, managers and companies the page's users refer to."""
        roles, managers, companies = {}, {}, {}
        for cid in {u.company_id for u in users if u.company_id and u.custom_role_id}:
            roles.update({r.id: r.name for r in role_service.list_roles(session, actor, company_id=cid)})
        for mid in {u.manager_id for u in users if u.manager_id}:
            try:
                managers[mid] = user_service.get_user(session, actor, mid).name
            except E.NotFoundError:
                managers[mid] = ""
        if actor.is_admin:
            for cid in {u.company_id for u in users if u.company_id}:
                companies[cid] = company_service.get_company(session, actor, cid).name
        return roles, managers, companies

    def _load(self, session: Session, actor: Actor) -> None:
        self.admin_view = actor.is_admin
        if actor.is_admin and not self.company_options:
            self.company_options = [Option(value=i, label=n)
                                    for i, n in company_service.company_choices(session, actor)]
        users, self.total = user_service.list_users(
            session, actor, page=self.page, per_page=PER_PAGE, search=self.search or None,
            company_id=_uuid_or_none(self.company_filter) if actor.is_admin else None)
        self.pages = pages_for(self.total, PER_PAGE)
        roles, managers, companies = self._names(session, actor, users)
        self.rows = [
            UserRow(id=str(u.id), name=u.name, email=u.email, role=u.role.value,
                    role_label=ROLE_LABELS.get(u.role.value, u.role.value),
                    company=companies.get(u.company_id, "") if u.company_id else "",
                    custom_role=roles.get(u.custom_role_id, ""), manager=managers.get(u.manager_id, ""),
                    department=u.department or "", is_active=u.is_active, is_self=u.id == actor.id)
            for u in users
        ]
        self.loaded = True

    @rx.event
    def load(self):
        company = self.router.url.query_parameters.get("company", "")
        self.company_filter = company if company else ALL
        self.page = 1
        return self._run(self._load, page_load=True)

    @rx.event
    def set_search(self, value: str):
        self.search, self.page = value.strip()[:100], 1
        return self._run(self._load)

    @rx.event
    def set_company_filter(self, value: str):
        self.company_filter, self.page = value, 1
        return self._run(self._load)

    @rx.event
    def change_page(self, delta: int):
        self.page = max(1, min(self.pages, self.page + delta))
        return self._run(self._load)

    @rx.event
    def toggle_active(self, user_id: str, active: bool):
        def _work(session: Session, actor: Actor):
            user = user_service.update_user(session, actor, uuid.UUID(user_id), UserUpdate(is_active=not active))
            self._load(session, actor)
            verb = "reactivated" if user.is_active else "deactivated"
            return rx.toast.success(f"{user.name} was {verb}.")

        return self._run(_work)

    # --- create / edit dialog --------------------------------------------------------------

    def _form_options(self, session: Session, actor: Actor, company: uuid.UUID | None) -> None:
        """Custom roles and possible managers of the company the form's user belongs to."""
        if company is None:
            self.custom_role_options, self.manager_options = [], []
            return
        roles = role_service.list_roles(session, actor, company_id=company)
        self.custom_role_options = [Option(value=NONE, label="None (default permissions)")] + [
            Option(value=str(r.id), label=r.name) for r in roles]
        staff, _ = user_service.list_users(session, actor, per_page=500, is_active=True, company_id=company)
        self.manager_options = [Option(value=NONE, label="No manager")] + [
            Option(value=str(u.id), label=f"{u.name} ({u.email})") for u in staff
            if u.role.value in STAFF and str(u.id) != self.editing_id]

    def _reset_form(self) -> None:
        self.form_error, self.f_password = "", ""
        self.f_name = self.f_email = self.f_department = ""
        self.f_role, self.f_custom_role, self.f_manager = UserRole.EMPLOYEE.value, NONE, NONE
        self.role_choices = list(STAFF)

    @rx.event
    def open_create(self):
        self._reset_form()
        self.editing_id = ""

        def _work(session: Session, actor: Actor) -> None:
            actor.require("users:write")
            if actor.is_admin:
                self.f_company = self.company_filter if self.company_filter != ALL else (
                    self.company_options[0].value if self.company_options else "")
            else:
                self.f_company = str(actor.company_id)
            self._form_options(session, actor, _uuid_or_none(self.f_company))
            self.form_open = True

        return self._run(_work)

    @rx.event
    def open_edit(self, user_id: str):
        self._reset_form()
        self.editing_id = user_id

        def _work(session: Session, actor: Actor) -> None:
            actor.require("users:write")
            user = user_service.get_user(session, actor, uuid.UUID(user_id))
            self.f_name, self.f_email, self.f_role = user.name, user.email, user.role.value
            self.f_department = user.department or ""
            self.f_custom_role = str(user.custom_role_id) if user.custom_role_id else NONE
            self.f_manager = str(user.manager_id) if user.manager_id else NONE
            self.f_company = str(user.company_id) if user.company_id else ""
            if self.f_role not in STAFF:
                self.role_choices = [self.f_role]
            self._form_options(session, actor, user.company_id)
            self.form_open = True

        return self._run(_work)

    @rx.event
    def set_form_open(self, value: bool):
        self.form_open = value

    @rx.event
    def set_form_company(self, value: str):
        """Admin creating a user: the company decides which roles and managers can be chosen."""
        self.f_company, self.f_custom_role, self.f_manager = value, NONE, NONE
        return self._run(lambda session, actor: self._form_options(session, actor, _uuid_or_none(value)))

    @rx.event
    def set_field(self, name: str, value: str):
        if name in {"f_name", "f_email", "f_role", "f_password", "f_custom_role", "f_manager", "f_department"}:
            setattr(self, name, value)

    @rx.event
    def save(self):
        if not self.form_open:  # a second click queued behind the first: the dialog is already saved and closed
            return None
        self.form_error = ""
        try:
            custom_role, manager = _uuid_or_none(self.f_custom_role), _uuid_or_none(self.f_manager)
            if self.editing_id:
                data = UserUpdate(name=self.f_name, email=self.f_email, custom_role_id=custom_role,
                                  manager_id=manager, department=self.f_department.strip() or None,
                                  **({"role": UserRole(self.f_role)} if self.f_role in STAFF else {}))
            else:
                data = UserCreate(name=self.f_name, email=self.f_email, role=UserRole(self.f_role),
                                  password=self.f_password or None, company_id=_uuid_or_none(self.f_company),
                                  custom_role_id=custom_role, manager_id=manager,
                                  department=self.f_department.strip() or None)
        except (pydantic.ValidationError, ValueError) as exc:
            self.form_error = validation_message(exc)
            return None
        editing_id = self.editing_id

        def _work(session: Session, actor: Actor):
            try:
                if editing_id:
                    user = user_service.update_user(session, actor, uuid.UUID(editing_id), data)
                    message = f"{user.name} was updated."
                else:
                    user = user_service.create_user(session, actor, data)
                    message = (f"{user.name} was added." if data.password else
                               f"{user.name} was added and emailed a link to set a password.")
            except (E.ValidationError, E.ConflictError, E.NotFoundError, E.PermissionDeniedError) as exc:
                self.form_error = exc.message
                raise
            self._load(session, actor)
            self.form_open = False
            return rx.toast.success(message)

        result = self._run(_work)
        return None if self.form_error else result
