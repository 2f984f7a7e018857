"""Custom roles: a company's named permission sets."""

from __future__ import annotations

import dataclasses
import uuid

import pydantic
import reflex as rx
from sqlmodel import Session

from interviewer.core import errors as E
from interviewer.models.schemas import CustomRoleCreate, CustomRoleUpdate
from interviewer.services import roles as role_service
from interviewer.services.authz import PERMISSIONS, Actor
from interviewer.state.auth_state import COMPANY_PAGE, AuthState, validation_message


@dataclasses.dataclass
class PermissionInfo:
    key: str = ""
    description: str = ""
    area: str = ""


@dataclasses.dataclass
class RoleRow:
    id: str = ""
    name: str = ""
    description: str = ""
    permissions: list[str] = dataclasses.field(default_factory=list)
    created: str = ""


CATALOGUE = [PermissionInfo(key=k, description=v, area=k.split(":")[0].capitalize()) for k, v in PERMISSIONS.items()]


class RolesState(AuthState):
    rows: list[RoleRow] = []
    catalogue: list[PermissionInfo] = CATALOGUE
    loaded: bool = False

    form_open: bool = False
    editing_id: str = ""
    f_name: str = ""
    f_description: str = ""
    f_permissions: list[str] = []
    form_error: str = ""

    delete_open: bool = False
    delete_id: str = ""
    delete_name: str = ""

    def _load(self, session: Session, actor: Actor) -> None:
        actor.require("roles:manage")
        if actor.is_admin:  # a company's page, and the admin has no company of their own
            raise E.PermissionDeniedError(COMPANY_PAGE.format(what="Custom roles"))
        self.rows = [RoleRow(id=str(r.id), name=r.name, description=r.description or "",
                             permissions=sorted(r.permissions), created=r.created_at.strftime("%d %b %Y"))
                     for r in role_service.list_roles(session, actor)]
        self.loaded = True

    @rx.event
    def load(self):
        return self._run(self._load, page_load=True)

    @rx.event
    def open_create(self):
        self.editing_id, self.f_name, self.f_description, self.f_permissions = "", "", "", []
        self.form_error = ""
        self.form_open = True

    @rx.event
    def open_edit(self, role_id: str):
        role = next((r for r in self.rows if r.id == role_id), None)
        if role is None:
            return rx.toast.error("Role not found; the list was refreshed.")
        self.editing_id, self.f_name, self.f_description = role.id, role.name, role.description
        self.f_permissions = list(role.permissions)
        self.form_error = ""
        self.form_open = True
        return None

    @rx.event
    def set_form_open(self, value: bool):
        self.form_open = value

    @rx.event
    def set_f_name(self, value: str):
        self.f_name = value

    @rx.event
    def set_f_description(self, value: str):
        self.f_description = value

    @rx.event
    def toggle_permission(self, key: str, checked: bool):
        if key not in PERMISSIONS:
            return
        chosen = set(self.f_permissions)
        if checked:
            chosen.add(key)
        else:
            chosen.discard(key)
        self.f_permissions = [k for k in PERMISSIONS if k in chosen]

    @rx.event
    def save(self):
        if not self.form_open:  # a second click queued behind the first: the dialog is already saved and closed
            return None
        self.form_error = ""
        editing_id = self.editing_id
        try:
            description = self.f_description.strip() or None
            if editing_id:
                data = CustomRoleUpdate(name=self.f_name, description=description, permissions=self.f_permissions)
            else:
                data = CustomRoleCreate(name=self.f_name, description=description, permissions=self.f_permissions)
        except pydantic.ValidationError as exc:
            self.form_error = validation_message(exc)
            return None

        def _work(session: Session, actor: Actor):
            try:
                if editing_id:
                    role = role_service.update_role(session, actor, uuid.UUID(editing_id), data)
                else:
                    role = role_service.create_role(session, actor, data)
            except (E.ValidationError, E.ConflictError, E.NotFoundError, E.PermissionDeniedError) as exc:
                self.form_error = exc.message
                raise
            self._load(session, actor)
            self.form_open = False
            return rx.toast.success(f"Role \u201c{role.name}\u201d was {'updated' if editing_id else 'created'}.")

        result = self._run(_work)
        return None if self.form_error else result

    @rx.event
    def ask_delete(self, role_id: str, name: str):
        self.delete_id, self.delete_name, self.delete_open = role_id, name, True

    @rx.event
    def set_delete_open(self, value: bool):
        self.delete_open = value

    @rx.event
    def confirm_delete(self):
        role_id, name = self.delete_id, self.delete_name
        self.delete_open = False

        def _work(session: Session, actor: Actor):
            role_service.delete_role(session, actor, uuid.UUID(role_id))
            self._load(session, actor)
            return rx.toast.success(f"Role \u201c{name}\u201d was deleted; its users keep their base role.")

        return self._run(_work)
