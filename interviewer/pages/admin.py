"""System-admin pages: /admin/company-requests (approval queue) and /admin/companies."""

from __future__ import annotations

import reflex as rx

from interviewer.components.shell import app_shell
from interviewer.components.ui import (empty_state, link_button, loading_block, page_header, pagination, status_badge,
                                      table_card)
from interviewer.state.admin_state import CompaniesState, CompanyRequestsState

S = CompanyRequestsState


def _detail(icon: str, value) -> rx.Component:
    return rx.cond(
        value != "",
        rx.hstack(rx.icon(icon, size=14), rx.text(value, size="2"), align="center", spacing="2",
                  color_scheme="gray"),
        rx.fragment(),
    )


def _request_card(req) -> rx.Component:
    actions = rx.cond(
        req.status == "pending",
        rx.hstack(
            rx.button(rx.icon("check", size=16), "Approve", color_scheme="green", type="button",
                      loading=S.busy_id == req.id, on_click=S.open_approve(req.id, req.company_name, req.contact_email),
                      class_name="approve-request"),
            rx.button(rx.icon("x", size=16), "Reject", color_scheme="red", variant="soft",
                      on_click=S.open_reject(req.id, req.company_name)),
            spacing="2",
        ),
        rx.text("Decided ", req.reviewed, size="1", color_scheme="gray"),
    )
    return rx.card(
        rx.flex(
            rx.vstack(
                rx.hstack(rx.heading(req.company_name, size="4"), status_badge(req.status), align="center",
                          spacing="3", wrap="wrap"),
                _detail("globe", req.domain),
                rx.hstack(rx.icon("user", size=14), rx.text(req.contact_name, size="2", weight="medium"),
                          rx.text("·", color_scheme="gray"),
                          rx.link(req.contact_email, href="mailto:" + req.contact_email, size="2"),
                          align="center", spacing="2", wrap="wrap"),
                _detail("clock", "Requested " + req.created),
                rx.cond(req.message != "",
                        rx.blockquote(req.message, size="2", color_scheme="gray", class_name="pre-wrap"),
                        rx.fragment()),
                rx.cond(req.reason != "",
                        rx.text(rx.text.strong("Reason: "), req.reason, size="2", color_scheme="red"),
                        rx.fragment()),
                spacing="2",
                align="start",
                width="100%",
            ),
            actions,
            direction={"initial": "column", "md": "row"},
            spacing="4",
            align={"initial": "start", "md": "center"},
            width="100%",
        ),
        size="3",
        width="100%",
        class_name="registration-request",
    )


def _reject_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title("Reject ", S.reject_company, "?"),
            rx.dialog.description("The contact gets an email saying the request was not approved. "
                                  "A reason is optional and included in that email.", size="2"),
            rx.text_area(placeholder="Reason (optional), e.g. we could not verify the company",
                         value=S.reject_reason, on_change=S.set_reject_reason, rows="4", width="100%",
                         margin_top="1em", max_length=2000),
            rx.flex(
                rx.dialog.close(rx.button("Cancel", variant="soft", color_scheme="gray")),
                rx.button("Reject request", color_scheme="red", on_click=S.confirm_reject),
                spacing="3",
                justify="end",
                margin_top="1em",
            ),
            max_width="480px",
        ),
        open=S.reject_open,
        on_open_change=S.set_reject_open,
    )


def _approve_dialog() -> rx.Component:
    return rx.alert_dialog.root(
        rx.alert_dialog.content(
            rx.alert_dialog.title("Approve ", S.approve_company, "?"),
            rx.alert_dialog.description(
                "This creates the company and its first HR account, and emails ", rx.text.strong(S.approve_contact),
                " a link to set a password. It cannot be undone from here.", size="2"),
            rx.flex(
                rx.alert_dialog.cancel(rx.button("Cancel", variant="soft", color_scheme="gray", type="button")),
                rx.alert_dialog.action(rx.button("Approve company", color_scheme="green", type="button",
                                                 on_click=S.confirm_approve, id="approve-confirm")),
                spacing="3",
                justify="end",
                margin_top="1em",
            ),
            max_width="480px",
        ),
        open=S.approve_open,
        on_open_change=S.set_approve_open,
    )


def _tab_label(label: str, key: str) -> rx.Component:
    return rx.hstack(rx.text(label), rx.badge(S.counts[key], variant="soft", radius="full", size="1"),
                     align="center", spacing="2")


def company_requests_page() -> rx.Component:
    listing = rx.cond(
        S.rows.length() > 0,
        rx.vstack(
            rx.foreach(S.rows, _request_card),
            pagination(S.page, S.pages, S.counts[S.tab], S.change_page(-1), S.change_page(1), "request"),
            spacing="3",
            width="100%",
        ),
        rx.card(empty_state("inbox", "Nothing here",
                            rx.match(S.tab, ("pending", "No company is waiting for approval."),
                                     "No requests with this status yet.")), width="100%"),
    )
    return app_shell(
        "/admin/company-requests",
        page_header("Company requests", "Companies that asked to join. Approving creates the company "
                                        "and emails its contact a link to set a password."),
        rx.tabs.root(
            rx.tabs.list(
                rx.tabs.trigger(_tab_label("Pending", "pending"), value="pending"),
                rx.tabs.trigger(_tab_label("Approved", "approved"), value="approved"),
                rx.tabs.trigger(_tab_label("Rejected", "rejected"), value="rejected"),
            ),
            value=S.tab,
            on_change=S.set_tab,
            margin_bottom="1.25em",
        ),
        rx.cond(S.loaded, listing, loading_block()),
        _reject_dialog(),
        _approve_dialog(),
    )


def _company_row(company) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(rx.text(company.name, weight="medium")),
        rx.table.cell(rx.cond(company.domain != "", company.domain, "—")),
        rx.table.cell(rx.cond(company.is_active, rx.badge("Active", color_scheme="green", variant="soft"),
                              rx.badge("Inactive", color_scheme="gray", variant="soft"))),
        rx.table.cell(company.created),
        rx.table.cell(link_button(rx.icon("users", size=14), "Users", href="/users?company=" + company.id, size="1",
                                  variant="soft")),
        align="center",
    )


def companies_page() -> rx.Component:
    table = table_card(
        rx.table.root(
            rx.table.header(rx.table.row(
                rx.table.column_header_cell("Company"),
                rx.table.column_header_cell("Domain"),
                rx.table.column_header_cell("Status"),
                rx.table.column_header_cell("Created"),
                rx.table.column_header_cell(""),
            )),
            rx.table.body(rx.foreach(CompaniesState.rows, _company_row)),
            width="100%",
        ),
    )
    return app_shell(
        "/admin/companies",
        page_header("Companies", "Every tenant on the platform."),
        rx.input(rx.input.slot(rx.icon("search", size=16)), placeholder="Search companies…",
                 value=CompaniesState.search, on_change=CompaniesState.set_search, debounce_timeout=300,
                 max_width="360px", width="100%", margin_bottom="1em"),
        rx.cond(
            CompaniesState.loaded,
            rx.cond(CompaniesState.rows.length() > 0,
                    rx.vstack(table, pagination(CompaniesState.page, CompaniesState.pages, CompaniesState.total,
                                                CompaniesState.change_page(-1), CompaniesState.change_page(1),
                                                "company", "companies"), width="100%"),
                    rx.card(empty_state("building_2", "No companies found"), width="100%")),
            loading_block(),
        ),
    )
