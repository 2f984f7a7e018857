"""/roles: the company's custom roles (named permission sets) for HR."""

from __future__ import annotations

import reflex as rx

from interviewer.components.shell import app_shell
from interviewer.components.ui import empty_state, error_callout, field, loading_block, page_header
from interviewer.state.roles_state import RolesState

S = RolesState


def _role_card(role) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.flex(
                rx.vstack(
                    rx.heading(role.name, size="4"),
                    rx.cond(role.description != "", rx.text(role.description, size="2", color_scheme="gray"),
                            rx.fragment()),
                    spacing="1",
                ),
                rx.spacer(),
                rx.hstack(
                    rx.button(rx.icon("pencil", size=14), "Edit", size="1", variant="soft",
                              on_click=S.open_edit(role.id)),
                    rx.button(rx.icon("trash_2", size=14), "Delete", size="1", variant="soft", color_scheme="red",
                              on_click=S.ask_delete(role.id, role.name)),
                    spacing="2",
                ),
                spacing="3",
                width="100%",
            ),
            rx.flex(
                rx.foreach(role.permissions, lambda p: rx.badge(p, variant="soft", color_scheme="indigo")),
                rx.cond(role.permissions.length() == 0,
                        rx.text("No permissions: users with this role can only sign in.", size="1",
                                color_scheme="gray"),
                        rx.fragment()),
                spacing="2",
                wrap="wrap",
            ),
            rx.text("Created ", role.created, size="1", color_scheme="gray"),
            spacing="3",
            width="100%",
        ),
        size="2",
        width="100%",
    )


def _permission_option(perm) -> rx.Component:
    return rx.box(
        rx.text(
            rx.flex(
                rx.checkbox(checked=S.f_permissions.contains(perm.key),
                            on_change=lambda checked: S.toggle_permission(perm.key, checked)),
                rx.vstack(
                    rx.text(perm.description, size="2", weight="medium"),
                    rx.code(perm.key, size="1", variant="ghost", color_scheme="gray"),
                    spacing="0",
                ),
                spacing="3",
                align="start",
            ),
            as_="label",
        ),
        class_name="perm-option",
    )


def _form_dialog() -> rx.Component:
    creating = S.editing_id == ""
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(rx.cond(creating, "New role", "Edit role")),
            rx.dialog.description("A custom role replaces the base permissions of the users who have it.",
                                  size="2", margin_bottom="1em"),
            rx.vstack(
                field("Name", rx.input(value=S.f_name, on_change=S.set_f_name, placeholder="e.g. Recruiter",
                                       width="100%"), required=True),
                field("Description", rx.input(value=S.f_description, on_change=S.set_f_description,
                                              placeholder="What this role is for (optional)", width="100%")),
                rx.text("Permissions", size="2", weight="medium"),
                rx.scroll_area(
                    rx.grid(rx.foreach(S.catalogue, _permission_option), columns={"initial": "1", "sm": "2"},
                            spacing="2", width="100%"),
                    type="auto",
                    scrollbars="vertical",
                    max_height="45vh",
                ),
                error_callout(S.form_error),
                spacing="3",
                width="100%",
            ),
            rx.flex(
                rx.dialog.close(rx.button("Cancel", variant="soft", color_scheme="gray")),
                rx.button(rx.cond(creating, "Create role", "Save changes"), on_click=S.save),
                spacing="3",
                justify="end",
                margin_top="1.5em",
            ),
            max_width="720px",
        ),
        open=S.form_open,
        on_open_change=S.set_form_open,
    )


def _delete_dialog() -> rx.Component:
    return rx.alert_dialog.root(
        rx.alert_dialog.content(
            rx.alert_dialog.title("Delete the role \u201c", S.delete_name, "\u201d?"),
            rx.alert_dialog.description("Users who have it fall back to the permissions of their base role "
                                        "(HR or Employee). This cannot be undone.", size="2"),
            rx.flex(
                rx.alert_dialog.cancel(rx.button("Cancel", variant="soft", color_scheme="gray")),
                rx.alert_dialog.action(rx.button("Delete role", color_scheme="red", on_click=S.confirm_delete)),
                spacing="3",
                justify="end",
                margin_top="1em",
            ),
            max_width="460px",
        ),
        open=S.delete_open,
        on_open_change=S.set_delete_open,
    )


def roles_page() -> rx.Component:
    listing = rx.cond(
        S.rows.length() > 0,
        rx.grid(rx.foreach(S.rows, _role_card), columns={"initial": "1", "lg": "2"}, spacing="3", width="100%"),
        rx.card(empty_state("shield_check", "No custom roles yet",
                            "Everyone uses their base role (HR or Employee). Create a role to give a group of "
                            "users a tailored set of permissions."), width="100%"),
    )
    return app_shell(
        "/roles",
        page_header("Roles", "Named permission sets you can give to users of your company.",
                    rx.button(rx.icon("plus", size=16), "New role", on_click=S.open_create)),
        rx.cond(S.loaded, listing, loading_block()),
        _form_dialog(),
        _delete_dialog(),
    )
