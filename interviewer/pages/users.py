"""/users: the company's users (all companies for a system admin), with create and edit dialogs."""

from __future__ import annotations

import reflex as rx

from interviewer.components.shell import app_shell
from interviewer.components.ui import (
    empty_state,
    error_callout,
    field,
    loading_block,
    page_header,
    pagination,
    role_badge,
    table_card,
)
from interviewer.state.auth_state import AuthState
from interviewer.state.users_state import UsersState

S = UsersState
CAN_WRITE = AuthState.user.permissions.contains("users:write")


def _option_select(value, options, on_change, placeholder: str, **props) -> rx.Component:
    return rx.select.root(
        rx.select.trigger(placeholder=placeholder, width="100%"),
        rx.select.content(rx.foreach(options, lambda o: rx.select.item(o.label, value=o.value))),
        value=value,
        on_change=on_change,
        **props,
    )


def _dash(value) -> rx.Component:
    return rx.cond(value != "", rx.text(value), rx.text("—", color_scheme="gray"))


def _user_row(user) -> rx.Component:
    actions = rx.hstack(
        rx.tooltip(rx.icon_button(rx.icon("pencil", size=14), size="1", variant="soft",
                                  on_click=S.open_edit(user.id), aria_label="Edit " + user.name), content="Edit"),
        rx.cond(
            user.is_self,
            rx.fragment(),
            rx.cond(
                user.is_active,
                rx.button("Deactivate", size="1", variant="soft", color_scheme="red",
                          on_click=S.toggle_active(user.id, user.is_active)),
                rx.button("Reactivate", size="1", variant="soft", color_scheme="green",
                          on_click=S.toggle_active(user.id, user.is_active)),
            ),
        ),
        spacing="2",
    )
    return rx.table.row(
        rx.table.row_header_cell(
            rx.vstack(rx.text(user.name, weight="medium"),
                      rx.cond(S.admin_view & (user.company != ""),
                              rx.text(user.company, size="1", color_scheme="gray"), rx.fragment()),
                      spacing="0")),
        rx.table.cell(user.email),
        rx.table.cell(role_badge(user.role, user.role_label)),
        rx.table.cell(_dash(user.custom_role)),
        rx.table.cell(_dash(user.manager)),
        rx.table.cell(_dash(user.department)),
        rx.table.cell(rx.cond(user.is_active, rx.badge("Active", color_scheme="green", variant="soft"),
                              rx.badge("Inactive", color_scheme="gray", variant="soft"))),
        rx.table.cell(rx.cond(CAN_WRITE, actions, rx.fragment())),
        align="center",
        class_name=rx.cond(user.is_active, "", "row-muted"),
    )


def _filters() -> rx.Component:
    return rx.flex(
        rx.input(rx.input.slot(rx.icon("search", size=16)), placeholder="Search by name or email…",
                 value=S.search, on_change=S.set_search, debounce_timeout=300, width="100%",
                 max_width="360px", id="users-search", aria_label="Search users"),
        rx.cond(
            S.admin_view,
            rx.select.root(
                rx.select.trigger(placeholder="Company", min_width="200px"),
                rx.select.content(
                    rx.select.item("All companies", value="all"),
                    rx.foreach(S.company_options, lambda o: rx.select.item(o.label, value=o.value)),
                ),
                value=S.company_filter,
                on_change=S.set_company_filter,
            ),
            rx.fragment(),
        ),
        spacing="3",
        wrap="wrap",
        width="100%",
        margin_bottom="1em",
    )


def _form_dialog() -> rx.Component:
    creating = S.editing_id == ""
    text = lambda name, **p: rx.input(value=getattr(S, name), on_change=lambda v: S.set_field(name, v),  # noqa: E731
                                      width="100%", **p)
    body = rx.vstack(
        rx.cond(creating & S.admin_view,
                field("Company", _option_select(S.f_company, S.company_options, S.set_form_company,
                                                "Choose a company"), required=True),
                rx.fragment()),
        rx.grid(
            field("Full name", text("f_name", placeholder="Jane Doe"), required=True),
            field("Email", text("f_email", placeholder="jane@company.com", type="email"), required=True),
            field("Role", rx.select.root(
                rx.select.trigger(width="100%"),
                rx.select.content(rx.foreach(S.role_choices, lambda r: rx.select.item(
                    rx.match(r, ("HR", "HR"), ("EMPLOYEE", "Employee"), ("SYSTEM_ADMIN", "System admin"),
                             ("CANDIDATE", "Candidate"), r), value=r))),
                value=S.f_role, on_change=lambda v: S.set_field("f_role", v)),
                hint="HR manages users, roles and hiring; employees see what they are assigned."),
            field("Department", text("f_department", placeholder="Engineering")),
            columns={"initial": "1", "sm": "2"},
            spacing="4",
            width="100%",
        ),
        rx.cond(creating,
                field("Password", text("f_password", type="password", placeholder="Leave empty to email a link",
                                       auto_complete="new-password"),
                      hint="Optional. If empty, the user gets an email with a link to choose their own password."),
                rx.fragment()),
        rx.grid(
            field("Custom role", _option_select(S.f_custom_role, S.custom_role_options,
                                                lambda v: S.set_field("f_custom_role", v), "None")),
            field("Manager", _option_select(S.f_manager, S.manager_options,
                                            lambda v: S.set_field("f_manager", v), "No manager")),
            columns={"initial": "1", "sm": "2"},
            spacing="4",
            width="100%",
        ),
        error_callout(S.form_error),
        spacing="4",
        width="100%",
    )
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(rx.cond(creating, "Add a user", "Edit " + S.f_name)),
            rx.dialog.description(rx.cond(creating, "They can sign in once they have a password.",
                                          "Changes apply at their next action."), size="2", margin_bottom="1em"),
            body,
            rx.flex(
                rx.dialog.close(rx.button("Cancel", variant="soft", color_scheme="gray")),
                rx.button(rx.cond(creating, "Add user", "Save changes"), on_click=S.save, id="user-save"),
                spacing="3",
                justify="end",
                margin_top="1.5em",
            ),
            max_width="640px",
        ),
        open=S.form_open,
        on_open_change=S.set_form_open,
    )


def users_page() -> rx.Component:
    table = table_card(
        rx.table.root(
            rx.table.header(rx.table.row(
                *[rx.table.column_header_cell(h) for h in
                  ("Name", "Email", "Role", "Custom role", "Manager", "Department", "Status", "")],
            )),
            rx.table.body(rx.foreach(S.rows, _user_row)),
            width="100%",
        ),
    )
    listing = rx.cond(
        S.rows.length() > 0,
        rx.vstack(table, pagination(S.page, S.pages, S.total, S.change_page(-1), S.change_page(1), "user"),
                  width="100%"),
        rx.card(empty_state("users", "No users match", "Try another search or company."), width="100%"),
    )
    return app_shell(
        "/users",
        page_header(
            "Users",
            rx.cond(S.admin_view, "Everyone with an account, across all companies.",
                    "The people of " + AuthState.user.company_name + " who use the platform."),
            rx.cond(CAN_WRITE, rx.button(rx.icon("user_plus", size=16), "Add user", on_click=S.open_create,
                                         id="add-user"), rx.fragment()),
        ),
        _filters(),
        rx.cond(S.loaded, listing, loading_block()),
        _form_dialog(),
    )
