"""/candidates/[candidate_id]: header with contact details and HR actions, then the pipeline,
resume, ATS and interview panels."""

from __future__ import annotations

import reflex as rx

from interviewer.components.candidate_panels import ats_panel, interviews_panel, pipeline_panel, resume_panel
from interviewer.components.shell import app_shell
from interviewer.components.ui import empty_state, error_callout, field, loading_block, status_badge
from interviewer.pages.candidates import option_select
from interviewer.pages.jobs_fit import candidate_fit_card
from interviewer.state.auth_state import AuthState
from interviewer.state.candidates_detail_state import CandidateDetailState

D = CandidateDetailState
CAN_WRITE = AuthState.user.permissions.contains("candidates:write")


def _fact(icon: str, label: str, value, *, href=None) -> rx.Component:
    shown = rx.cond(value != "", rx.link(value, href=href, class_name="fact-value") if href is not None
                    else rx.text(value, size="2", class_name="fact-value"),
                    rx.text("—", size="2", color_scheme="gray"))
    return rx.hstack(  # a long value (an email) wraps inside its own cell instead of running over the next
        rx.icon(icon, size=15, color="var(--gray-10)", flex_shrink="0"),
        rx.text(label, size="2", color_scheme="gray", min_width="70px", flex_shrink="0"),
        shown,
        align="center",
        spacing="2",
        min_width="0",
        class_name="fact",
    )


def _actions() -> rx.Component:
    return rx.cond(
        CAN_WRITE,
        rx.hstack(
            rx.cond(D.c.has_account,
                    rx.tooltip(rx.badge(rx.icon("circle_user", size=14), "Has an account", color_scheme="green",
                                        size="2", variant="surface"),
                               content="The candidate can sign in and check their resume."),
                    rx.button(rx.icon("send", size=15), "Invite to create an account", variant="soft",
                              on_click=D.invite, id="invite-candidate")),
            rx.button(rx.icon("pencil", size=15), "Edit", variant="soft", color_scheme="gray", on_click=D.open_edit,
                      id="edit-candidate"),
            rx.icon_button(rx.icon("trash_2", size=15), variant="soft", color_scheme="red",
                           on_click=D.set_delete_open(True), aria_label="Delete candidate"),
            spacing="2",
            wrap="wrap",
        ),
        rx.fragment(),
    )


def _header() -> rx.Component:
    return rx.card(
        rx.flex(
            rx.hstack(
                rx.avatar(fallback=D.c.initials, size="5", radius="full", color_scheme="indigo"),
                rx.vstack(
                    rx.hstack(rx.heading(D.c.name, size="6", id="candidate-name"),
                              rx.box(status_badge(D.c.status, D.c.status_label), id="candidate-status"),
                              align="center", spacing="3", wrap="wrap"),
                    rx.cond(D.c.company != "", rx.text(D.c.company, size="2", color_scheme="gray"), rx.fragment()),
                    spacing="1",
                ),
                spacing="4",
                align="center",
            ),
            rx.spacer(),
            _actions(),
            direction={"initial": "column", "md": "row"},
            spacing="4",
            width="100%",
        ),
        rx.grid(
            _fact("mail", "Email", D.c.email, href="mailto:" + D.c.email),
            _fact("phone", "Phone", D.c.phone),
            _fact("briefcase", "Job", D.c.job_title),
            _fact("user_check", "Assignee", D.c.assignee),
            _fact("megaphone", "Source", D.c.source),
            _fact("calendar", "Added", D.c.created),
            columns={"initial": "1", "sm": "2", "lg": "3"},
            spacing="3",
            width="100%",
            margin_top="1.25em",
        ),
        size="3",
        width="100%",
    )


def _edit_dialog() -> rx.Component:
    text = lambda name, **p: rx.input(value=getattr(D, name), on_change=lambda v: D.set_edit_field(name, v),  # noqa: E731
                                      width="100%", **p)
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title("Edit ", D.c.name),
            rx.dialog.description("The status changes only through the pipeline panel.", size="2",
                                  margin_bottom="1em"),
            rx.grid(
                field("Full name", text("e_name"), required=True),
                field("Email", text("e_email", type="email"), required=True),
                field("Phone", text("e_phone")),
                field("Source", text("e_source")),
                field("Job", option_select(D.e_job, D.job_options, lambda v: D.set_edit_field("e_job", v))),
                field("Assignee", option_select(D.e_assignee, D.assignee_options,
                                                lambda v: D.set_edit_field("e_assignee", v))),
                columns={"initial": "1", "sm": "2"},
                spacing="4",
                width="100%",
            ),
            rx.box(error_callout(D.edit_error), margin_top="1em"),
            rx.flex(
                rx.dialog.close(rx.button("Cancel", variant="soft", color_scheme="gray")),
                rx.button("Save changes", on_click=D.save_edit, id="edit-save"),
                spacing="3", justify="end", margin_top="1.5em",
            ),
            max_width="640px",
        ),
        open=D.edit_open,
        on_open_change=D.set_edit_open,
    )


def _delete_dialog() -> rx.Component:
    return rx.alert_dialog.root(
        rx.alert_dialog.content(
            rx.alert_dialog.title("Delete ", D.c.name, "?"),
            rx.alert_dialog.description("Their resume, status history, resume checks and interviews are deleted "
                                        "too. This cannot be undone.", size="2"),
            rx.flex(
                rx.alert_dialog.cancel(rx.button("Cancel", variant="soft", color_scheme="gray")),
                rx.alert_dialog.action(rx.button("Delete", color_scheme="red", on_click=D.delete)),
                spacing="3", justify="end", margin_top="1.25em",
            ),
        ),
        open=D.delete_open,
        on_open_change=D.set_delete_open,
    )


def candidate_detail_page() -> rx.Component:
    body = rx.vstack(
        _header(),
        rx.grid(
            rx.vstack(resume_panel(), candidate_fit_card(), interviews_panel(), spacing="4", width="100%",
                      min_width="0"),
            rx.box(pipeline_panel(), width="100%", min_width="0", class_name="detail-side"),
            columns={"initial": "1", "lg": "2"},
            spacing="4",
            width="100%",
            class_name="detail-grid",
        ),
        ats_panel(),
        spacing="4",
        width="100%",
    )
    missing = rx.card(empty_state("user_x", "Candidate not found",
                                  "It may have been deleted, or it is not assigned to you."), width="100%")
    return app_shell(
        "/candidates",
        rx.link(rx.hstack(rx.icon("arrow_left", size=16), rx.text("Candidates", size="2"), align="center",
                          spacing="1"), href="/candidates", underline="none", margin_bottom="1em", display="block"),
        rx.cond(D.loaded, rx.cond(D.missing, missing, body), loading_block()),
        _edit_dialog(),
        _delete_dialog(),
    )
