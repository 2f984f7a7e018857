"""/candidates: search, filters, sort, pages, selection with bulk delete/assign, "Add candidate"
and "Import CSV". Write controls only for users with ``candidates:write``."""

from __future__ import annotations

import reflex as rx

from interviewer.components.candidate_panels import resume_dropzone
from interviewer.components.shell import app_shell
from interviewer.components.ui import (
    count_noun,
    empty_state,
    error_callout,
    field,
    loading_block,
    page_header,
    named,
    status_badge,
    table_card,
)
from interviewer.pages.candidates_import import import_dialog
from interviewer.state.auth_state import AuthState
from interviewer.state.candidates_common_state import ALL, NONE
from interviewer.state.candidates_state import ADD_UPLOAD_ID, PAGE_SIZES, CandidatesState
from interviewer.state.import_state import ImportState

S = CandidatesState
CAN_WRITE = AuthState.user.permissions.contains("candidates:write")
SEES_ALL = CAN_WRITE | AuthState.user.permissions.contains("candidates:read")


def option_select(value, options, on_change, *, all_label: str | None = None, none_label: str | None = None,
                  placeholder: str = "", **props) -> rx.Component:
    label = props.pop("aria_label", None)  # named() puts it on the trigger, the control a reader reaches
    select = rx.select.root(
        rx.select.trigger(placeholder=placeholder, width="100%"),
        rx.select.content(
            rx.select.item(all_label, value=ALL) if all_label else rx.fragment(),
            rx.select.item(none_label, value=NONE) if none_label else rx.fragment(),
            rx.foreach(options, lambda o: rx.select.item(o.label, value=o.value)),
        ),
        value=value,
        on_change=on_change,
        **props,
    )
    return named(select, label) if label else select


def _sort_button(label: str, column: str) -> rx.Component:
    icon = rx.cond(S.sort == column, rx.cond(S.descending, "arrow_down", "arrow_up"), "arrow_up_down")
    return rx.el.button(
        rx.hstack(rx.text(label), rx.icon(icon, size=13, opacity=rx.cond(S.sort == column, "1", "0.4")),
                  spacing="1", align="center"),
        on_click=S.sort_by(column),
        class_name="sort-button",
        type="button",
        aria_label=f"Sort by {label.lower()}",
        aria_pressed=S.sort == column,
    )


def _sort_header(label: str, column: str) -> rx.Component:
    return rx.table.column_header_cell(
        _sort_button(label, column),
        aria_sort=rx.cond(S.sort == column, rx.cond(S.descending, "descending", "ascending"), "none"),
    )


def _ats_badge(score) -> rx.Component:
    color = rx.cond(score.to(int) >= 80, "green", rx.cond(score.to(int) >= 65, "teal",
                                                        rx.cond(score.to(int) >= 50, "amber", "red")))
    return rx.cond(score != "", rx.badge(score, color_scheme=color, variant="soft"),
                   rx.text("—", color_scheme="gray"))


def _fit_badge(row) -> rx.Component:
    return rx.cond(row.fit != "", rx.badge(row.fit, color_scheme=row.fit_color, variant="soft", class_name="fit-badge"),
                   rx.text("—", color_scheme="gray"))


def _row(row) -> rx.Component:
    return rx.table.row(
        rx.cond(CAN_WRITE, rx.table.cell(
            rx.checkbox(checked=S.selected_ids.contains(row.id), on_change=lambda v: S.toggle_row(row.id, v),
                        aria_label="Select " + row.name)), rx.fragment()),
        rx.table.row_header_cell(
            rx.vstack(
                rx.link(row.name, href="/candidates/" + row.id, weight="medium", class_name="cand-link"),
                rx.text(row.email, size="1", color_scheme="gray", class_name="cell-clip", title=row.email),
                rx.cond(row.company != "", rx.text(row.company, size="1", color_scheme="gray"), rx.fragment()),
                spacing="0",
            )),
        rx.table.cell(status_badge(row.status, row.status_label)),
        rx.table.cell(rx.cond(row.job != "", rx.text(row.job, class_name="cell-clip", title=row.job),
                              rx.text("—", color_scheme="gray"))),
        rx.cond(SEES_ALL, rx.table.cell(rx.cond(row.assignee != "", rx.text(row.assignee, white_space="nowrap"),
                                                rx.text("—", color_scheme="gray"))), rx.fragment()),
        rx.table.cell(rx.cond(row.source != "", rx.text(row.source, class_name="cell-clip", title=row.source),
                              rx.text("—", color_scheme="gray"))),
        rx.table.cell(_ats_badge(row.ats_score)),
        rx.table.cell(_fit_badge(row)),
        rx.table.cell(rx.text(row.created, size="2", white_space="nowrap")),
        align="center",
    )


def _filters() -> rx.Component:
    date_input = lambda name, label: rx.input(type="date", value=getattr(S, name), aria_label=label,  # noqa: E731
                                              on_change=lambda v: S.set_filter(name, v), width="150px")
    return rx.card(
        rx.flex(
            rx.input(rx.input.slot(rx.icon("search", size=16)), placeholder="Search name or email…",
                     value=S.search, on_change=S.set_search, debounce_timeout=300, width="100%",
                     id="candidate-search", aria_label="Search candidates", class_name="filter-search"),
            rx.box(option_select(S.status_filter, S.status_choices, lambda v: S.set_filter("status_filter", v),
                                 all_label="All statuses", aria_label="Status"), class_name="filter-select"),
            rx.box(option_select(S.job_filter, S.job_options, lambda v: S.set_filter("job_filter", v),
                                 all_label="All jobs", aria_label="Job"), class_name="filter-select"),
            rx.cond(SEES_ALL, rx.box(option_select(S.assignee_filter, S.assignee_options,
                                                   lambda v: S.set_filter("assignee_filter", v),
                                                   all_label="Anyone assigned", aria_label="Assignee"),
                                     class_name="filter-select"), rx.fragment()),
            rx.hstack(rx.text("Created", size="2", color_scheme="gray"), date_input("created_from", "Created from"),
                      rx.text("to", size="2", color_scheme="gray"), date_input("created_to", "Created until"),
                      align="center", spacing="2", wrap="wrap"),
            rx.cond(S.has_filters,
                    rx.button(rx.icon("x", size=14), "Clear", variant="ghost", size="2", on_click=S.clear_filters),
                    rx.fragment()),
            spacing="3",
            wrap="wrap",
            align="center",
            width="100%",
        ),
        width="100%",
        margin_bottom="1em",
    )


def _bulk_bar() -> rx.Component:
    return rx.cond(
        CAN_WRITE & (S.selected_count > 0),
        rx.flex(
            rx.text(rx.text.strong(S.selected_count), " selected", size="2"),
            rx.button(rx.icon("user_check", size=14), "Assign…", size="2", variant="soft",
                      on_click=S.set_bulk_assign_open(True), id="bulk-assign"),
            rx.button(rx.icon("trash_2", size=14), "Delete…", size="2", variant="soft", color_scheme="red",
                      on_click=S.set_bulk_delete_open(True), id="bulk-delete"),
            rx.button("Clear selection", size="2", variant="ghost", color_scheme="gray", on_click=S.clear_selection),
            align="center",
            spacing="3",
            wrap="wrap",
            class_name="bulk-bar",
        ),
        rx.fragment(),
    )


def _table() -> rx.Component:
    return table_card(
        rx.table.root(
            rx.table.header(rx.table.row(
                rx.cond(CAN_WRITE, rx.table.column_header_cell(
                    rx.checkbox(checked=S.all_on_page_selected, on_change=S.toggle_page,
                                aria_label="Select all on this page", id="select-page"), width="40px"),
                        rx.fragment()),
                rx.table.column_header_cell(rx.hstack(_sort_button("Name", "name"), rx.text("/", color_scheme="gray"),
                                                      _sort_button("Email", "email"), spacing="2", align="center")),
                _sort_header("Status", "status"),
                rx.table.column_header_cell("Job"),
                rx.cond(SEES_ALL, rx.table.column_header_cell("Assignee"), rx.fragment()),
                rx.table.column_header_cell("Source"),
                rx.table.column_header_cell("ATS"),
                rx.table.column_header_cell(
                    rx.tooltip(_sort_button("Fit", "fit"),
                               content="Fit of the resume to the candidate's job, 0-100: a screening aid, "
                                       "never a rejection. Open the candidate for the reasons."),
                    aria_sort=rx.cond(S.sort == "fit", rx.cond(S.descending, "descending", "ascending"), "none")),
                _sort_header("Created", "created_at"),
            )),
            rx.table.body(rx.foreach(S.rows, _row)),
            width="100%",
            size="1",
            id="candidates-table",
        ),
    )


def _footer() -> rx.Component:
    return rx.flex(
        rx.hstack(
            rx.text(S.total, " ", count_noun(S.total, "candidate"), size="2", color_scheme="gray", id="candidates-total"),
            named(rx.select(PAGE_SIZES, value=S.per_page, on_change=S.set_per_page, size="1"), "Rows per page"),
            rx.text("per page", size="2", color_scheme="gray"),
            align="center",
            spacing="2",
        ),
        rx.spacer(),
        rx.hstack(
            rx.icon_button(rx.icon("chevron_left", size=16), on_click=S.change_page(-1), disabled=S.page <= 1,
                           variant="soft", aria_label="Previous page"),
            rx.text("Page ", S.page, " of ", S.pages, size="2"),
            rx.icon_button(rx.icon("chevron_right", size=16), on_click=S.change_page(1), disabled=S.page >= S.pages,
                           variant="soft", aria_label="Next page"),
            align="center",
            spacing="3",
        ),
        align="center",
        spacing="3",
        wrap="wrap",
        width="100%",
        padding_top="0.5em",
    )


def _empty() -> rx.Component:
    return rx.card(
        rx.cond(
            S.has_filters,
            empty_state("search_x", "No candidates match these filters", "Try another search or clear the filters."),
            rx.cond(CAN_WRITE,
                    empty_state("users_round", "No candidates yet — import a CSV or add one",
                                "Use “Import CSV” for a list, or “Add candidate” for one person."),
                    empty_state("users_round", "No candidates assigned to you yet",
                                "When HR assigns candidates to you, they appear here.")),
        ),
        width="100%",
    )


def _confirm_delete() -> rx.Component:
    return rx.alert_dialog.root(
        rx.alert_dialog.content(
            rx.alert_dialog.title("Delete ", S.selected_count, " ", count_noun(S.selected_count, "candidate"), "?"),
            rx.alert_dialog.description(
                "Their resumes, status history, resume checks and interviews are deleted too. This cannot be undone.",
                size="2"),
            rx.flex(
                rx.alert_dialog.cancel(rx.button("Cancel", variant="soft", color_scheme="gray")),
                rx.alert_dialog.action(rx.button("Delete ", S.selected_count, color_scheme="red",
                                                 on_click=S.confirm_bulk_delete, id="confirm-bulk-delete")),
                spacing="3", justify="end", margin_top="1.25em",
            ),
        ),
        open=S.bulk_delete_open,
        on_open_change=S.set_bulk_delete_open,
    )


def _assign_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title("Assign ", S.selected_count, " ", count_noun(S.selected_count, "candidate")),
            rx.dialog.description("The assignee sees these candidates and their interviews.", size="2",
                                  margin_bottom="1em"),
            field("Assign to", option_select(S.bulk_assignee, S.assignee_options, S.set_bulk_assignee,
                                             none_label="Nobody (unassign)")),
            rx.flex(
                rx.dialog.close(rx.button("Cancel", variant="soft", color_scheme="gray")),
                rx.button("Assign", on_click=S.confirm_bulk_assign, id="confirm-bulk-assign"),
                spacing="3", justify="end", margin_top="1.5em",
            ),
            max_width="460px",
        ),
        open=S.bulk_assign_open,
        on_open_change=S.set_bulk_assign_open,
    )


def _add_dialog() -> rx.Component:
    text = lambda name, **p: rx.input(value=getattr(S, name), on_change=lambda v: S.set_add_field(name, v),  # noqa: E731
                                      width="100%", **p)
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title("Add a candidate"),
            rx.dialog.description("They start in the “New” stage. A resume is optional: its text is extracted "
                                  "for the ATS check and job fit.", size="2", margin_bottom="1em"),
            rx.vstack(
                rx.cond(S.admin_view, field("Company", option_select(
                    S.a_company, S.company_options, lambda v: S.set_add_field("a_company", v)), required=True),
                        rx.fragment()),
                rx.grid(
                    field("Full name", text("a_name", placeholder="Jane Doe", id="add-name"), required=True),
                    field("Email", text("a_email", placeholder="jane@example.com", type="email", id="add-email"),
                          required=True),
                    field("Phone", text("a_phone", placeholder="+1 555 0100")),
                    field("Source", text("a_source", placeholder="referral, LinkedIn…")),
                    field("Job", option_select(S.a_job, S.job_options, lambda v: S.set_add_field("a_job", v),
                                               none_label="No job")),
                    field("Assignee", option_select(S.a_assignee, S.assignee_options,
                                                    lambda v: S.set_add_field("a_assignee", v), none_label="Nobody")),
                    columns={"initial": "1", "sm": "2"},
                    spacing="4",
                    width="100%",
                ),
                field("Resume (optional)", resume_dropzone(ADD_UPLOAD_ID, S.max_mb),
                      hint="Stored with the candidate when you add them."),
                error_callout(S.add_error),
                spacing="4",
                width="100%",
            ),
            rx.flex(
                rx.dialog.close(rx.button("Cancel", variant="soft", color_scheme="gray", type="button")),
                rx.button("Add candidate", on_click=S.save_add(rx.upload_files(upload_id=ADD_UPLOAD_ID)),
                          loading=S.adding, type="button", id="add-save"),
                spacing="3", justify="end", margin_top="1.5em",
            ),
            max_width="640px",
        ),
        open=S.add_open,
        on_open_change=S.set_add_open,
    )


def candidates_page() -> rx.Component:
    actions = rx.cond(
        CAN_WRITE,
        rx.hstack(
            rx.button(rx.icon("upload", size=16), "Import CSV", variant="soft", on_click=ImportState.open_dialog,
                      id="open-import"),
            rx.button(rx.icon("user_plus", size=16), "Add candidate", on_click=S.open_add, id="open-add"),
            spacing="2",
        ),
        rx.fragment(),
    )
    listing = rx.cond(S.rows.length() > 0, rx.vstack(_bulk_bar(), _table(), _footer(), width="100%", spacing="3"),
                      _empty())
    return app_shell(
        "/candidates",
        page_header("Candidates",
                    rx.cond(SEES_ALL, "Everyone in your hiring pipeline.", "The candidates assigned to you."),
                    actions),
        _filters(),
        rx.cond(S.loaded, listing, loading_block()),
        _add_dialog(),
        _assign_dialog(),
        _confirm_delete(),
        import_dialog(),
    )
