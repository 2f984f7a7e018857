"""/me/ats: a candidate checks their resume (optionally against a job description) and sees
the analysis, plus their previous checks."""

from __future__ import annotations

import reflex as rx

from interviewer.components.candidate_ats import ats_failed, ats_progress, ats_result
from interviewer.components.shell import app_shell
from interviewer.components.ui import empty_state, error_callout, field, loading_block, page_header
from interviewer.state.ats_state import UPLOAD_ID, AtsState

S = AtsState


def _upload_card() -> rx.Component:
    chosen = rx.selected_files(UPLOAD_ID)
    picker = rx.upload.root(
        rx.vstack(
            rx.icon("file_up", size=30, color="var(--indigo-10)"),
            rx.cond(chosen.length() > 0, rx.text(chosen[0], weight="medium", size="2", id="ats-chosen"),
                    rx.text("Drop your resume here or ", rx.text.span("browse", color="var(--accent-11)",
                                                                     weight="medium"), size="2")),
            rx.text("PDF, DOCX or TXT · up to ", S.max_mb, " MB", size="1", color_scheme="gray"),
            align="center",
            spacing="1",
        ),
        id=UPLOAD_ID,
        accept={"application/pdf": [".pdf"], "text/plain": [".txt"],
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document": [".docx"]},
        max_files=1,
        multiple=False,
        class_name="dropzone",
    )
    return rx.card(
        rx.vstack(
            rx.heading("Check a resume", size="4"),
            rx.text("See how an applicant tracking system reads your resume, and what to improve.", size="2",
                    color_scheme="gray"),
            picker,
            field("Job description (optional)",
                  rx.text_area(placeholder="Paste the job ad to see which of its keywords your resume covers.",
                               value=S.job_description, on_change=S.set_job_description, rows="5", width="100%",
                               id="ats-jd"),
                  hint="With a job description the keyword analysis compares against it."),
            error_callout(S.error),
            rx.button(rx.cond(S.uploading, rx.spinner(size="1"), rx.icon("scan_search", size=16)), "Analyse resume",
                      type="button", size="3", width="100%", disabled=S.uploading | S.running, id="ats-submit",
                      on_click=S.upload(rx.upload_files(upload_id=UPLOAD_ID))),
            rx.text("Your resume is stored privately and used only for this analysis.", size="1",
                    color_scheme="gray"),
            spacing="3",
            width="100%",
        ),
        size="3",
        width="100%",
    )


def _history_row(row) -> rx.Component:
    active = row.id == S.check.id
    return rx.box(
        rx.hstack(
            rx.icon("file_text", size=16, color="var(--gray-10)"),
            rx.vstack(
                rx.text(row.filename, size="2", weight="medium", class_name="truncate"),
                rx.text(row.created, size="1", color_scheme="gray"),
                spacing="0",
                min_width="0",
                flex="1",
            ),
            rx.cond(row.score != "", rx.badge(row.score, variant="soft", size="2"),
                    rx.badge(row.status, color_scheme=rx.cond(row.status == "failed", "red", "gray"), variant="soft")),
            align="center",
            spacing="3",
            width="100%",
        ),
        on_click=S.show_check(row.id),
        class_name=rx.cond(active, "history-item history-item--active", "history-item"),
        role="button",
        aria_label="Show the check of " + row.filename,
    )


def _history_card() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading("Previous checks", size="4"),
            rx.cond(S.history.length() > 0,
                    rx.vstack(rx.foreach(S.history, _history_row), spacing="1", width="100%", id="ats-history"),
                    rx.text("Your checks will be listed here.", size="2", color_scheme="gray")),
            spacing="3",
            width="100%",
        ),
        width="100%",
    )


def _result() -> rx.Component:
    return rx.cond(
        S.running, ats_progress("Analysing your resume…"),
        rx.cond(S.has_result, ats_result(S.check),
                rx.cond(S.check.status == "failed", ats_failed(S.check.error),
                        rx.card(empty_state("scan_search", "No analysis yet",
                                            "Upload your resume to get a score, section feedback and keyword tips."),
                                width="100%"))),
    )


def ats_page() -> rx.Component:
    body = rx.grid(
        rx.vstack(_upload_card(), _history_card(), spacing="4", width="100%"),
        rx.box(_result(), width="100%", min_width="0"),
        columns={"initial": "1", "md": "2"},
        spacing="5",
        width="100%",
        class_name="ats-grid",
    )
    return app_shell(
        "/me/ats",
        page_header("Resume check", "An ATS-style review of your resume: score, sections, keywords and advice."),
        rx.cond(S.loaded, body, loading_block()),
    )
