"""/dashboard (company staff and admins) and /me (candidates)."""

from __future__ import annotations

import reflex as rx

from interviewer.components.charts import funnel_chart
from interviewer.components.shell import app_shell
from interviewer.components.ui import empty_state, loading_block, page_header, stat_card, status_badge, table_card
from interviewer.state.auth_state import AuthState
from interviewer.state.dashboard_state import DashboardState, MeState


def _stage_tile(stage) -> rx.Component:
    return rx.card(
        rx.vstack(
            status_badge(stage.status, stage.label),
            rx.heading(stage.count, size="8", weight="bold"),
            spacing="2",
            align="start",
        ),
        size="2",
        width="100%",
        class_name="stage-tile",
        id="stage-" + stage.status,
    )


def _admin_banner() -> rx.Component:
    return rx.cond(
        DashboardState.show_admin,
        rx.callout(
            rx.flex(
                rx.text(rx.text.strong(DashboardState.pending_requests), " company registration request(s) "
                        "waiting for your review."),
                rx.spacer(),
                rx.link("Review requests", href="/admin/company-requests", weight="medium"),
                spacing="3",
                wrap="wrap",
                width="100%",
            ),
            icon="inbox",
            color_scheme=rx.cond(DashboardState.pending_requests > 0, "amber", "gray"),
            width="100%",
            margin_bottom="1.5em",
        ),
        rx.fragment(),
    )


def _overview() -> rx.Component:
    return rx.grid(
        stat_card("Candidates", DashboardState.candidates_total, "users_round", hint=DashboardState.scope_label),
        rx.cond(DashboardState.show_users,
                stat_card("Users", DashboardState.users_total, "user_cog",
                          hint=DashboardState.users_active.to_string() + " active",
                          href="/users",
                          color="teal"),
                rx.fragment()),
        rx.cond(DashboardState.show_jobs,
                stat_card("Job templates", DashboardState.jobs_total, "briefcase", color="amber"), rx.fragment()),
        rx.cond(DashboardState.show_interviews,
                stat_card("Upcoming interviews", DashboardState.interviews_upcoming, "calendar_clock", color="violet"),
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
        rx.link(item.candidate, href="/candidates/" + item.candidate_id, weight="medium", size="2"),
        rx.cond(item.from_status != "",
                rx.hstack(status_badge(item.from_status, item.from_label), rx.icon("arrow_right", size=12),
                          align="center", spacing="1"),
                rx.text("added as", size="1", color_scheme="gray")),
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
        rx.grid(funnel, rx.cond(DashboardState.show_interviews, upcoming, rx.fragment()),
                columns={"initial": "1", "md": "2"}, spacing="4", width="100%", class_name="dash-split"),
        activity,
        spacing="4",
        width="100%",
        margin_top="1.5em",
    )


def dashboard_page() -> rx.Component:
    body = rx.vstack(
        _admin_banner(),
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
    body = rx.vstack(
        profile,
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
    return app_shell(
        "/me",
        page_header("My profile", "Your account and where you are in each hiring process."),
        rx.cond(MeState.loaded, body, loading_block()),
    )
