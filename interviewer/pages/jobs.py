"""/jobs: job templates with search and the "New job" dialog."""

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
    table_card,
)
from interviewer.state.auth_state import AuthState
from interviewer.state.jobs_state import JobsState

S = JobsState
CAN_WRITE = AuthState.user.permissions.contains("jobs:write")


def _job_row(job) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(
            rx.link(job.title, href="/jobs/" + job.id, weight="medium"),
        ),
        rx.table.cell(rx.badge(job.question_count, " question", rx.cond(job.question_count == 1, "", "s"),
                               color_scheme=rx.cond(job.question_count > 0, "indigo", "amber"), variant="soft")),
        rx.table.cell(rx.cond(job.has_prompt, rx.badge(rx.icon("sparkles", size=12), "custom prompt",
                                                       color_scheme="violet", variant="surface"),
                              rx.text("—", color_scheme="gray"))),
        rx.table.cell(rx.code(job.ai_model, variant="ghost", size="1")),
        rx.table.cell(rx.text(job.created, size="2", white_space="nowrap")),
        rx.table.cell(rx.icon("chevron_right", size=16, color=rx.color("gray", 9))),
        on_click=rx.redirect("/jobs/" + job.id),
        class_name="clickable-row",
        align="center",
    )


def _create_dialog() -> rx.Component:
    text = lambda name, **p: rx.input(value=getattr(S, name), on_change=lambda v: S.set_field(name, v),  # noqa: E731
                                      width="100%", **p)
    area = lambda name, **p: rx.text_area(value=getattr(S, name), on_change=lambda v: S.set_field(name, v),  # noqa: E731
                                          width="100%", **p)
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title("New job"),
            rx.dialog.description("A job template holds the questions the AI interviewer asks. You can add "
                                  "or generate questions next.", size="2", margin_bottom="1em"),
            rx.vstack(
                rx.cond(S.admin_view, field("Company", rx.select.root(
                    rx.select.trigger(width="100%"),
                    rx.select.content(rx.foreach(S.company_options, lambda o: rx.select.item(o.label, value=o.value))),
                    value=S.f_company, on_change=lambda v: S.set_field("f_company", v)), required=True),
                    rx.fragment()),
                field("Title", text("f_title", placeholder="Backend Engineer (Python)", id="job-title",
                                    max_length=255), required=True),
                field("Description", area("f_description", rows="4", id="job-description",
                                          placeholder="What the role does, the stack, the level…"),
                      hint="Used to generate questions and shown to interviewers."),
                field("AI prompt", area("f_prompt", rows="3", id="job-prompt",
                                        placeholder="e.g. Focus on distributed systems; avoid trivia."),
                      hint="Optional extra instructions for question generation."),
                field("AI model", text("f_model", id="job-model"),
                      hint="Used when the company's provider is Gemini."),
                error_callout(S.form_error),
                spacing="4",
                width="100%",
            ),
            rx.flex(
                rx.dialog.close(rx.button("Cancel", variant="soft", color_scheme="gray")),
                rx.button("Create job", on_click=S.create, id="job-create"),
                spacing="3", justify="end", margin_top="1.5em",
            ),
            max_width="600px",
        ),
        open=S.form_open,
        on_open_change=S.set_form_open,
    )


def jobs_page() -> rx.Component:
    table = table_card(
        rx.table.root(
            rx.table.header(rx.table.row(*[rx.table.column_header_cell(h) for h in
                                           ("Title", "Questions", "Prompt", "Model", "Created", "")])),
            rx.table.body(rx.foreach(S.rows, _job_row)),
            width="100%",
        ),
    )
    empty = rx.card(
        rx.cond(
            S.search != "",
            empty_state("search_x", "No job matches your search", "Try another title."),
            rx.vstack(
                empty_state("briefcase", "No jobs yet",
                            "Create a job template, then add or generate the questions the AI interviewer asks."),
                rx.cond(CAN_WRITE, rx.button(rx.icon("plus", size=16), "New job", on_click=S.open_create),
                        rx.fragment()),
                align="center", padding_bottom="2em",
            ),
        ),
        width="100%",
    )
    return app_shell(
        "/jobs",
        page_header(
            "Jobs",
            "Job templates and the questions the AI interviewer asks for them.",
            rx.cond(CAN_WRITE, rx.button(rx.icon("plus", size=16), "New job", on_click=S.open_create, id="new-job"),
                    rx.fragment()),
        ),
        rx.input(rx.input.slot(rx.icon("search", size=16)), placeholder="Search by title…", value=S.search,
                 on_change=S.set_search, debounce_timeout=300, width="100%", max_width="360px",
                 margin_bottom="1em", id="jobs-search", aria_label="Search jobs"),
        rx.cond(
            S.loaded,
            rx.cond(S.rows.length() > 0,
                    rx.vstack(table, pagination(S.page, S.pages, S.total, S.change_page(-1), S.change_page(1), "job"),
                              width="100%"),
                    empty),
            loading_block(),
        ),
        _create_dialog(),
    )
