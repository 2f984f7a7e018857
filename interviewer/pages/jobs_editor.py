"""/jobs/[job_id]: the job editor — details, questions and AI generation."""

from __future__ import annotations

import reflex as rx

from interviewer.components.hiring_ui import section
from interviewer.components.shell import app_shell
from interviewer.components.ui import count_noun, error_callout, field, loading_block
from interviewer.pages.jobs_fit import job_fit_section
from interviewer.pages.jobs_playground import try_answer_dialog
from interviewer.pages.jobs_questions import (
    delete_question_dialog,
    generation_card,
    question_dialog,
    questions_section,
)
from interviewer.state.jobs_editor_state import JobEditorState

S = JobEditorState


def _details_card() -> rx.Component:
    text = lambda name, **p: rx.input(value=getattr(S, name), on_change=lambda v: S.set_detail(name, v),  # noqa: E731
                                      width="100%", read_only=~S.can_write, **p)
    area = lambda name, **p: rx.text_area(value=getattr(S, name), on_change=lambda v: S.set_detail(name, v),  # noqa: E731
                                          width="100%", read_only=~S.can_write, **p)
    return section(
        "Job details",
        field("Title", text("j_title", max_length=255, id="edit-job-title"), required=True),
        field("Description", area("j_description", rows="5", placeholder="What the role does, the stack…")),
        field("AI prompt", area("j_prompt", rows="3", placeholder="Extra instructions for question generation"),
              hint="Added to the company's prompt when questions are generated."),
        field("AI model", text("j_model"), hint="Used when the company's provider is Gemini."),
        error_callout(S.details_error),
        rx.cond(S.can_write,
                rx.flex(
                    rx.button("Delete job", variant="soft", color_scheme="red",
                              on_click=S.set_delete_job_open(True)),
                    rx.spacer(),
                    rx.button(rx.icon("save", size=16), "Save details", on_click=S.save_details, id="save-job"),
                    width="100%", align="center",
                ),
                rx.fragment()),
        icon="file_text",
    )


def _delete_job_dialog() -> rx.Component:
    return rx.alert_dialog.root(
        rx.alert_dialog.content(
            rx.alert_dialog.title("Delete “", S.saved_title, "”?"),
            rx.alert_dialog.description("The template and all its questions are removed. A job with scheduled "
                                        "interviews cannot be deleted until they are cancelled or done.", size="2"),
            rx.flex(
                rx.alert_dialog.cancel(rx.button("Keep it", variant="soft", color_scheme="gray")),
                rx.alert_dialog.action(rx.button("Delete job", color_scheme="red", on_click=S.delete_job)),
                spacing="3", justify="end", margin_top="1em",
            ),
        ),
        open=S.delete_job_open,
        on_open_change=S.set_delete_job_open,
    )


def job_editor_page() -> rx.Component:
    header = rx.vstack(
        rx.link(rx.hstack(rx.icon("arrow_left", size=14), rx.text("All jobs", size="2"), align="center",
                          spacing="1"), href="/jobs", color_scheme="gray", underline="none"),
        rx.heading(S.saved_title, size="7", weight="bold", id="job-heading"),
        rx.text("Created ", S.created, " · ", S.questions.length(), " ",
                count_noun(S.questions.length(), "question"), color_scheme="gray", size="2"),
        spacing="1",
        margin_bottom="1.5em",
    )
    body = rx.box(
        rx.box(questions_section(), min_width="0"),
        rx.vstack(rx.cond(S.can_write, generation_card(), rx.fragment()), _details_card(), spacing="4",
                  width="100%", min_width="0"),
        class_name="hiring-grid",
    )
    return app_shell(
        "/jobs",
        rx.cond(S.loaded, rx.fragment(header, body, job_fit_section()), loading_block()),
        question_dialog(),
        delete_question_dialog(),
        try_answer_dialog(),
        _delete_job_dialog(),
    )
