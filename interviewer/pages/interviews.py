"""/interviews: the interview list with filters and row actions (report, copy link, reschedule,
cancel) and the "Schedule interview" dialog."""

from __future__ import annotations

import reflex as rx

from interviewer.components.hiring_ui import interview_status_badge, verdict_badge
from interviewer.components.shell import app_shell
from interviewer.components.ui import empty_state, loading_block, page_header, pagination, table_card
from interviewer.pages.interviews_dialogs import cancel_dialog, reschedule_dialog, schedule_dialog
from interviewer.state.interviews_schedule_state import ScheduleState
from interviewer.state.interviews_state import InterviewsState

S = InterviewsState


def _option_select(value, options, on_change, **props) -> rx.Component:
    return rx.select.root(
        rx.select.trigger(**props),
        rx.select.content(rx.foreach(options, lambda o: rx.select.item(o.label, value=o.value))),
        value=value,
        on_change=on_change,
    )


def _filters() -> rx.Component:
    return rx.flex(
        _option_select(S.f_status, S.status_options, lambda v: S.set_filter("f_status", v), min_width="150px",
                       aria_label="Status"),
        _option_select(S.f_job, S.job_options, lambda v: S.set_filter("f_job", v), min_width="200px",
                       aria_label="Job"),
        rx.hstack(
            rx.text("From", size="2", color_scheme="gray"),
            rx.input(type="date", value=S.f_from, on_change=lambda v: S.set_filter("f_from", v), aria_label="From"),
            rx.text("to", size="2", color_scheme="gray"),
            rx.input(type="date", value=S.f_to, on_change=lambda v: S.set_filter("f_to", v), aria_label="To"),
            align="center", spacing="2",
        ),
        rx.cond(S.filtered, rx.button(rx.icon("x", size=14), "Clear", variant="ghost", color_scheme="gray",
                                      on_click=S.clear_filters), rx.fragment()),
        spacing="3", wrap="wrap", align="center", width="100%", margin_bottom="1em",
    )


def _verdict_cell(row) -> rx.Component:
    return rx.cond(
        row.verdict != "",
        rx.hstack(
            verdict_badge(row.verdict, size="1"),
            rx.cond(row.overridden,
                    rx.tooltip(rx.badge(rx.icon("user_pen", size=11), "override", color_scheme="gray", variant="outline",
                                        size="1"), content="AI said " + row.ai_verdict + "; changed by a person."),
                    rx.fragment()),
            rx.cond(row.score != "", rx.text(row.score, "/100", size="1", color_scheme="gray"), rx.fragment()),
            spacing="2", align="center",
        ),
        rx.text("—", color_scheme="gray"),
    )


def _actions(row) -> rx.Component:
    return rx.hstack(
        rx.tooltip(rx.icon_button(rx.icon("file_chart_column", size=14), size="1", variant="soft",
                                  on_click=rx.redirect("/interviews/" + row.id),
                                  aria_label="Open the report of " + row.candidate), content="Report"),
        rx.cond(S.can_write & row.open, rx.fragment(
            rx.tooltip(rx.icon_button(rx.icon("link", size=14), size="1", variant="soft", color_scheme="gray",
                                      on_click=S.copy_link(row.link), aria_label="Copy the interview link"),
                       content="Copy link"),
            rx.tooltip(rx.icon_button(rx.icon("calendar_sync", size=14), size="1", variant="soft", color_scheme="gray",
                                      on_click=S.open_reschedule(row.id), aria_label="Reschedule"),
                       content="Reschedule"),
            rx.tooltip(rx.icon_button(rx.icon("calendar_x", size=14), size="1", variant="soft", color_scheme="red",
                                      on_click=S.open_cancel(row.id), aria_label="Cancel the interview"),
                       content="Cancel"),
        ), rx.fragment()),
        spacing="2",
    )


def _row(row) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(rx.vstack(
            rx.link(row.candidate, href="/candidates/" + row.candidate_id, weight="medium"),
            rx.text(row.candidate_email, size="1", color_scheme="gray"),
            spacing="0")),
        rx.table.cell(rx.text(row.job, size="2")),
        rx.table.cell(rx.cond(row.interviewer != "", rx.text(row.interviewer, size="2"),
                              rx.text("AI only", size="2", color_scheme="gray"))),
        rx.table.cell(rx.vstack(rx.text(row.scheduled, size="2", white_space="nowrap"),
                                rx.text(row.duration, " min", size="1", color_scheme="gray"), spacing="0")),
        rx.table.cell(interview_status_badge(row.status)),
        rx.table.cell(_verdict_cell(row)),
        rx.table.cell(_actions(row)),
        align="center",
        class_name=rx.cond((row.status == "cancelled") | (row.status == "expired"), "row-muted", ""),
    )


def interviews_page() -> rx.Component:
    table = table_card(
        rx.table.root(
            rx.table.header(rx.table.row(*[rx.table.column_header_cell(h) for h in
                                           ("Candidate", "Job", "Interviewer", "Scheduled", "Status", "Verdict", "")])),
            rx.table.body(rx.foreach(S.rows, _row)),
            width="100%",
            id="interviews-table",
        ),
    )
    empty = rx.card(rx.cond(
        S.filtered,
        empty_state("search_x", "No interview matches these filters", "Clear the filters to see every interview."),
        empty_state("calendar_clock", "No interviews yet",
                    rx.cond(S.can_write, "Schedule one: the candidate gets an email with their personal link.",
                            "Interviews you run, or of candidates assigned to you, appear here.")),
    ), width="100%")
    return app_shell(
        "/interviews",
        page_header(
            "Interviews",
            rx.cond(S.can_write, "Schedule AI interviews, follow them and open their reports.",
                    "Interviews you run, or of the candidates assigned to you."),
            rx.cond(S.can_write, rx.button(rx.icon("calendar_plus", size=16), "Schedule interview",
                                           on_click=ScheduleState.open_schedule, id="schedule-open"), rx.fragment()),
        ),
        _filters(),
        rx.cond(
            S.loaded,
            rx.cond(S.rows.length() > 0,
                    rx.vstack(table,
                              pagination(S.page, S.pages, S.total, S.change_page(-1), S.change_page(1), "interview"),
                              rx.text("Times are in your time zone (", S.tz_label, ").", size="1", color_scheme="gray"),
                              width="100%"),
                    empty),
            loading_block(),
        ),
        schedule_dialog(),
        reschedule_dialog(),
        cancel_dialog(),
    )
