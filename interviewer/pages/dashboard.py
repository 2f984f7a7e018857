"""/dashboard (company staff and admins) and /me (candidates)."""

from __future__ import annotations

import reflex as rx

from interviewer.components.accommodation_requests import accommodation_requests_card
from interviewer.components.candidate_rights import your_data_card
from interviewer.components.charts import funnel_chart
from interviewer.components.hiring_ui import verdict_badge
from interviewer.components.onboarding import onboarding_card
from interviewer.components.shell import app_shell
from interviewer.components.ui import (
    block_callout,
    empty_state,
    error_callout,
    field,
    loading_block,
    page_header,
    stat_card,
    status_badge,
    table_card,
)
from interviewer.pages.password import PASSWORD_HINT
from interviewer.state.auth_state import AuthState
from interviewer.state.dashboard_state import DashboardState, MeState
from interviewer.state.password_state import ChangePasswordState


def _stage_tile(stage) -> rx.Component:
    return rx.link(
        rx.card(
            rx.vstack(
                status_badge(stage.status, stage.label),
                rx.heading(stage.count, size="8", weight="bold"),
                spacing="2",
                align="start",
            ),
            size="2",
            width="100%",
            class_name="stage-tile stat-card",
        ),
        href="/candidates?status=" + stage.status,
        underline="none", color="inherit", width="100%",
        id="stage-" + stage.status,
        aria_label=stage.label + ": " + stage.count.to_string() + " candidates",
    )


def _review_row(item) -> rx.Component:
    return rx.link(
        rx.flex(
            verdict_badge(item.verdict, size="1"),
            rx.vstack(rx.text(item.candidate, size="2", weight="medium"),
                      rx.text(rx.cond(item.job != "", item.job + " · ", ""), "finished ", item.finished, size="1",
                              color_scheme="gray"),
                      spacing="0", flex="1", min_width="0"),
            rx.cond(item.score != "", rx.text(rx.text.strong(item.score), " / 100", size="2", color_scheme="gray"),
                    rx.fragment()),
            rx.icon("chevron_right", size=16, color=rx.color("gray", 9)),
            align="center", spacing="3", width="100%",
        ),
        href="/interviews/" + item.id,
        underline="none", color="inherit", class_name="list-link review-row",
    )


def _awaiting_card() -> rx.Component:
    """What needs a decision, first: finished interviews nobody has decided on yet."""
    return rx.cond(
        DashboardState.show_awaiting,
        rx.card(
            rx.vstack(
                rx.flex(
                    rx.hstack(rx.icon("gavel", size=18, color=rx.color("amber", 10)),
                              rx.heading("Waiting for your decision", size="4"), align="center", spacing="2"),
                    rx.spacer(),
                    rx.cond(DashboardState.awaiting_total > 0,
                            rx.link(rx.cond(DashboardState.awaiting_total == 1, "1 finished interview",
                                            DashboardState.awaiting_total.to_string() + " finished interviews"),
                                    href="/interviews?status=awaiting", size="2"),
                            rx.fragment()),
                    align="center", width="100%", wrap="wrap", spacing="2",
                ),
                rx.cond(
                    DashboardState.awaiting.length() > 0,
                    rx.vstack(
                        rx.text("Scored by the AI; read the report, then move the candidate on or override the "
                                "verdict. Verdicts sent to review come first.", size="2", color_scheme="gray"),
                        rx.vstack(rx.foreach(DashboardState.awaiting, _review_row), spacing="1", width="100%"),
                        spacing="2", width="100%",
                    ),
                    rx.text("Nothing is waiting: every finished interview has a decision.", size="2",
                            color_scheme="gray"),
                ),
                spacing="3", width="100%",
            ),
            width="100%", id="awaiting-review", class_name="awaiting-card",
        ),
        rx.fragment(),
    )


def _employee_home() -> rx.Component:
    """An employee's own week: the interviews ahead and their availability."""
    slots = rx.cond(
        DashboardState.my_slots > 0,
        rx.text(rx.text.strong(DashboardState.my_slots),
                rx.cond(DashboardState.my_slots == 1, " availability slot", " availability slots"),
                " in the next two weeks; the next starts ", DashboardState.my_next_slot, ".", size="2"),
        rx.text("You have no availability set for the next two weeks: HR can book you at any free time.", size="2"),
    )
    return rx.cond(
        DashboardState.is_employee,
        rx.grid(
            rx.card(rx.vstack(
                rx.heading("Your upcoming interviews", size="4"),
                rx.cond(DashboardState.upcoming.length() > 0,
                        rx.vstack(rx.foreach(DashboardState.upcoming, _upcoming_row), spacing="1", width="100%"),
                        empty_state("calendar_check", "Nothing scheduled",
                                    "Interviews you run, or of candidates assigned to you, appear here.")),
                spacing="3", width="100%"), width="100%", id="my-interviews"),
            rx.card(rx.vstack(
                rx.heading("Your availability", size="4"),
                slots,
                rx.button(rx.link(rx.icon("calendar_plus", size=15), "Edit my availability", href="/availability",
                                  underline="none", id="edit-availability"), as_child=True, variant="soft"),
                spacing="3", width="100%"), width="100%", id="my-availability"),
            columns={"initial": "1", "md": "2"}, spacing="4", width="100%",
        ),
        rx.fragment(),
    )


def _admin_banner() -> rx.Component:
    return rx.cond(
        DashboardState.show_admin,
        block_callout(  # a flex row inside: rx.callout would put it in a <p> (invalid HTML nesting)
            rx.flex(
                rx.text(rx.text.strong(DashboardState.pending_requests),
                        rx.cond(DashboardState.pending_requests == 1, " company registration request is",
                                " company registration requests are"), " waiting for your review.", size="2"),
                rx.spacer(),
                rx.link("Review requests", href="/admin/company-requests", weight="medium", size="2"),
                spacing="3",
                wrap="wrap",
                width="100%",
            ),
            icon="inbox",
            color=rx.cond(DashboardState.pending_requests > 0, "amber", "gray"),
            width="100%",
            id="admin-requests-banner",
        ),
        rx.fragment(),
    )


def _overview() -> rx.Component:
    return rx.grid(
        stat_card("Candidates", DashboardState.candidates_total, "users_round", hint=DashboardState.scope_label,
                  href="/candidates"),
        rx.cond(DashboardState.show_awaiting,
                stat_card("Awaiting decision", DashboardState.awaiting_total, "gavel",
                          hint="Finished interviews nobody has decided on", href="/interviews?status=awaiting",
                          color="amber"),
                rx.fragment()),
        rx.cond(DashboardState.show_users,
                stat_card("Users", DashboardState.users_total, "user_cog",
                          hint=DashboardState.users_active.to_string() + " active",
                          href="/users",
                          color="teal"),
                rx.fragment()),
        rx.cond(DashboardState.show_jobs,
                stat_card("Job templates", DashboardState.jobs_total, "briefcase", href="/jobs", color="orange"),
                rx.fragment()),
        rx.cond(DashboardState.show_interviews,
                stat_card("Upcoming interviews", DashboardState.interviews_upcoming, "calendar_clock",
                          href="/interviews?status=scheduled", color="violet"),
                rx.fragment()),
        rx.cond(DashboardState.show_admin,
                stat_card("Pending company requests", DashboardState.pending_requests, "inbox",
                          href="/admin/company-requests", color="crimson"),
                rx.fragment()),
        rx.cond(DashboardState.show_admin,
                stat_card("Companies", DashboardState.companies_total, "building_2", href="/admin/companies",
                          color="cyan"),
                rx.fragment()),
        columns={"initial": "1", "sm": "2", "lg": "3"},
        spacing="4",
        width="100%",
    )


def _upcoming_row(item) -> rx.Component:
    return rx.link(
        rx.hstack(
            rx.center(rx.icon("calendar_clock", size=16), class_name="stat-icon stat-icon--violet",
                      width="34px", height="34px"),
            rx.vstack(rx.text(item.candidate, size="2", weight="medium"),
                      rx.text(rx.cond(item.job != "", item.job + " · ", ""), item.when, size="1",
                              color_scheme="gray"),
                      spacing="0"),
            align="center",
            spacing="3",
        ),
        href="/interviews/" + item.id,
        underline="none",
        color="inherit",
        class_name="list-link",
    )


def _activity_row(item) -> rx.Component:
    return rx.flex(
        rx.cond(item.count > 1,
                rx.link(item.summary, href=item.href, weight="medium", size="2", class_name="activity-batch"),
                rx.link(item.candidate, href=item.href, weight="medium", size="2")),
        rx.cond(item.from_status != "",
                rx.hstack(status_badge(item.from_status, item.from_label), rx.icon("arrow_right", size=12),
                          align="center", spacing="1"),
                rx.text(rx.cond(item.count > 1, "as", "added as"), size="1", color_scheme="gray")),
        status_badge(item.to_status, item.to_label),
        rx.spacer(),
        rx.text(item.by, " · ", item.when, size="1", color_scheme="gray"),
        align="center",
        spacing="2",
        wrap="wrap",
        width="100%",
        class_name="activity-row",
    )


def _pipeline_cards() -> rx.Component:
    funnel = rx.card(
        rx.vstack(rx.heading("Hiring funnel", size="4", id="funnel-heading"),
                  funnel_chart(DashboardState.funnel, caption="Candidates currently in each active stage; "
                                                              "rejected and withdrawn are not shown."),
                  spacing="3", width="100%"),
        width="100%",
    )
    upcoming = rx.card(
        rx.vstack(
            rx.heading("Upcoming interviews", size="4"),
            rx.cond(DashboardState.upcoming.length() > 0,
                    rx.vstack(rx.foreach(DashboardState.upcoming, _upcoming_row), spacing="1", width="100%",
                              id="upcoming-interviews"),
                    empty_state("calendar_check", "Nothing scheduled", "Scheduled interviews appear here.")),
            spacing="3",
            width="100%",
        ),
        width="100%",
    )
    activity = rx.card(
        rx.vstack(
            rx.heading("Recent activity", size="4"),
            rx.cond(DashboardState.activity.length() > 0,
                    rx.vstack(rx.foreach(DashboardState.activity, _activity_row), spacing="0", width="100%",
                              id="recent-activity"),
                    empty_state("activity", "No pipeline changes yet")),
            spacing="3",
            width="100%",
        ),
        width="100%",
    )
    return rx.vstack(
        rx.grid(funnel, rx.cond(DashboardState.show_interviews & ~DashboardState.is_employee, upcoming,
                                rx.fragment()),
                columns={"initial": "1", "md": "2"}, spacing="4", width="100%", class_name="dash-split"),
        activity,
        spacing="4",
        width="100%",
        margin_top="1.5em",
    )


def dashboard_page() -> rx.Component:
    body = rx.vstack(
        _admin_banner(),
        onboarding_card(),
        _awaiting_card(),
        accommodation_requests_card(),
        _employee_home(),
        _overview(),
        rx.vstack(
            rx.heading("Candidates by pipeline stage", size="5", id="stage-heading"),
            rx.text(DashboardState.scope_label, size="2", color_scheme="gray"),
            spacing="1",
            margin_top="2em",
        ),
        rx.grid(
            rx.foreach(DashboardState.stages, _stage_tile),
            columns={"initial": "2", "sm": "3", "lg": "4"},
            spacing="3",
            width="100%",
        ),
        _pipeline_cards(),
        spacing="3",
        width="100%",
    )
    title = rx.cond(AuthState.user.company_name != "", AuthState.user.company_name, "All companies")
    return app_shell(
        "/dashboard",
        page_header("Dashboard", rx.text.span("Overview for ", rx.text.strong(title, id="dashboard-company"))),
        rx.cond(DashboardState.loaded, body, loading_block()),
    )


def _record_row(rec) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(rx.text(rec.company, weight="medium")),
        rx.table.cell(rx.cond(rec.job_title != "", rec.job_title, "—")),
        rx.table.cell(status_badge(rec.status, rec.status_label)),
        rx.table.cell(rec.since),
    )


def _password_input(name: str, label: str, *, autocomplete: str, hint: str | None = None) -> rx.Component:
    return field(label, rx.input(type="password", name=name, id="me-" + name.replace("_", "-"), required=True,
                                 auto_complete=autocomplete, width="100%"), hint=hint, required=True)


def _account_forms() -> rx.Component:
    name_form = rx.card(rx.vstack(
        rx.heading("Your name", size="4"),
        rx.text("Shown to your colleagues and on the interviews you run.", size="2", color_scheme="gray"),
        rx.flex(
            rx.input(value=MeState.n_name, on_change=MeState.set_n_name, id="me-name", aria_label="Your name",
                     max_length=200, flex="1", min_width="200px"),
            rx.button("Save name", on_click=MeState.save_name, type="button", id="me-save-name"),
            spacing="2", width="100%", wrap="wrap",
        ),
        error_callout(MeState.n_error),
        spacing="3", width="100%"), width="100%")
    password_form = rx.card(rx.form(rx.vstack(
        rx.heading("Change your password", size="4"),
        rx.text("Other devices signed in to your account are signed out; this one stays signed in.", size="2",
                color_scheme="gray"),
        _password_input("current_password", "Current password", autocomplete="current-password"),
        _password_input("new_password", "New password", autocomplete="new-password", hint=PASSWORD_HINT),
        _password_input("confirm", "Repeat the new password", autocomplete="new-password"),
        error_callout(ChangePasswordState.error),
        rx.cond(ChangePasswordState.saved,
                rx.callout("Your password was changed.", icon="circle_check", color_scheme="green", role="status",
                           width="100%", id="me-password-done"), rx.fragment()),
        rx.button("Change password", type="submit", id="me-change-password"),
        spacing="3", width="100%"), on_submit=ChangePasswordState.submit, reset_on_submit=True, width="100%"),
        width="100%", id="password")
    return rx.grid(name_form, password_form, columns={"initial": "1", "md": "2"}, spacing="4", width="100%")


def me_page() -> rx.Component:
    profile = rx.card(
        rx.hstack(
            rx.avatar(fallback=AuthState.user_initials, size="5", radius="full", color_scheme="orange"),
            rx.vstack(
                rx.heading(MeState.profile_name, size="5"),
                rx.hstack(rx.icon("mail", size=14), rx.text(MeState.profile_email, size="2"),
                          align="center", spacing="2", color_scheme="gray"),
                spacing="1",
            ),
            spacing="4",
            align="center",
        ),
        size="3",
        width="100%",
    )
    records = table_card(
        rx.table.root(
            rx.table.header(rx.table.row(
                rx.table.column_header_cell("Company"),
                rx.table.column_header_cell("Position"),
                rx.table.column_header_cell("Status"),
                rx.table.column_header_cell("Since"),
            )),
            rx.table.body(rx.foreach(MeState.records, _record_row)),
            variant="surface",
            width="100%",
        ),
    )
    resume_check = rx.link(
        rx.card(
            rx.hstack(
                rx.center(rx.icon("file_check", size=22), class_name="stat-icon stat-icon--indigo"),
                rx.vstack(rx.text("Check your resume", weight="bold"),
                          rx.text("Get an ATS score, section feedback and keyword tips.", size="2",
                                  color_scheme="gray"), spacing="0"),
                rx.spacer(),
                rx.icon("chevron_right", size=18, color="var(--gray-10)"),
                align="center",
                spacing="4",
                width="100%",
            ),
            size="2",
            width="100%",
            class_name="stat-card",
        ),
        href="/me/ats",
        underline="none",
        color="inherit",
        width="100%",
        id="me-ats-link",
    )
    applications = rx.vstack(
        resume_check,
        rx.heading("My applications", size="5", margin_top="1.5em"),
        rx.cond(
            MeState.records.length() > 0,
            records,
            rx.card(empty_state("inbox", "No applications yet",
                                "When a company adds you as a candidate with this email address, it shows up here."),
                    width="100%"),
        ),
        spacing="3",
        width="100%",
    )
    body = rx.vstack(
        profile,
        rx.cond(MeState.is_candidate, applications, rx.fragment()),
        rx.heading("Account", size="5", margin_top="1.5em"),
        _account_forms(),
        rx.cond(MeState.is_candidate, your_data_card(), rx.fragment()),
        spacing="3",
        width="100%",
    )
    return app_shell(
        "/me",
        page_header("My profile", rx.cond(MeState.is_candidate,
                                          "Your account and where you are in each hiring process.",
                                          "Your name and password.")),
        rx.cond(MeState.loaded, body, loading_block()),
    )
