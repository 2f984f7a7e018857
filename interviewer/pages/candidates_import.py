"""The "Import CSV" dialog of /candidates: file + mode, then progress, then the report."""

from __future__ import annotations

import reflex as rx

from interviewer.components.ui import error_callout, field
from interviewer.state.candidates_state import CandidatesState
from interviewer.state.import_state import UPLOAD_ID, ImportState

S = ImportState
COLUMNS = [
    ("email", "required", "email, e-mail, email address"),
    ("name", "required", "name or full name — or both first name and last name"),
    ("phone", "optional", "phone, mobile, telephone"),
    ("source", "optional", "source, channel (defaults to “CSV import”)"),
    ("status", "optional", "a pipeline stage: new, screening, interview_scheduled, interviewed, offer, hired, "
                           "rejected, withdrawn (default: new)"),
    ("job", "optional", "the exact title of one of your jobs"),
]


def _columns_help() -> rx.Component:
    rows = [
        rx.table.row(
            rx.table.cell(rx.code(name)),
            rx.table.cell(rx.badge(kind, color_scheme="red" if kind == "required" else "gray", variant="soft")),
            rx.table.cell(rx.text(accepted, size="1")),
        )
        for name, kind, accepted in COLUMNS
    ]
    return rx.vstack(
        rx.text("Expected columns", weight="medium", size="2"),
        rx.text("A UTF-8, comma-separated file with a header row; column names are case-insensitive and other "
                "columns are ignored. One candidate per row, at most 50,000 rows.", size="1", color_scheme="gray"),
        rx.table.root(rx.table.body(*rows), size="1", variant="surface", width="100%"),
        rx.code_block("name,email,phone,source\nJane Doe,jane@example.com,+1 555 0100,referral",
                      language="csv", font_size="12px", width="100%"),
        spacing="2",
        width="100%",
    )


def _picker() -> rx.Component:
    chosen = rx.selected_files(UPLOAD_ID)
    return rx.upload.root(
        rx.vstack(
            rx.icon("file_spreadsheet", size=28, color="var(--indigo-10)"),
            rx.cond(
                chosen.length() > 0,
                rx.text(chosen[0], weight="medium", size="2", id="import-chosen"),
                rx.text("Drop a .csv file here or ", rx.text.span("browse", color="var(--accent-11)",
                                                                 weight="medium"), size="2"),
            ),
            rx.text("Up to ", S.max_mb, " MB", size="1", color_scheme="gray"),
            align="center",
            spacing="1",
        ),
        id=UPLOAD_ID,
        accept={"text/csv": [".csv"], "text/plain": [".csv", ".txt"], "application/vnd.ms-excel": [".csv"]},
        max_files=1,
        multiple=False,
        class_name="dropzone",
    )


def _upload_step() -> rx.Component:
    return rx.vstack(
        _picker(),
        field("If a candidate with the same email already exists",
              rx.radio_group.root(
                  rx.vstack(
                      rx.hstack(rx.radio_group.item(value="skip", id="mode-skip"), rx.text("Skip the row (keep what we have)",
                                                                            size="2"), align="center"),
                      rx.hstack(rx.radio_group.item(value="update", id="mode-update"), rx.text("Update them with the file's values",
                                                                              size="2"), align="center"),
                      spacing="2",
                  ),
                  value=S.mode,
                  on_change=S.set_mode,
                  name="import-mode",
              )),
        rx.cond(CandidatesState.admin_view,
                field("Company", rx.select.root(
                    rx.select.trigger(placeholder="Choose a company", width="100%"),
                    rx.select.content(rx.foreach(CandidatesState.company_options,
                                                 lambda o: rx.select.item(o.label, value=o.value))),
                    value=S.company, on_change=S.set_company), required=True),
                rx.fragment()),
        error_callout(S.error),
        _columns_help(),
        spacing="4",
        width="100%",
    )


def _count(label: str, value, color: str, cid: str) -> rx.Component:
    return rx.card(
        rx.vstack(rx.text(label, size="1", color_scheme="gray", weight="medium"),
                  rx.heading(value, size="6", color=f"var(--{color}-11)", id=cid), spacing="1", align="center"),
        size="1",
        width="100%",
    )


def _progress_step() -> rx.Component:
    return rx.vstack(
        rx.hstack(rx.spinner(size="2"),
                  rx.text(rx.cond(S.status == "queued", "Waiting for a worker to start…", "Importing…"),
                          weight="medium"),
                  rx.spacer(),
                  rx.text(S.processed_rows, " of ", S.total_rows, " rows", size="2", color_scheme="gray"),
                  align="center", width="100%"),
        rx.progress(value=S.progress, max=100, size="3", id="import-progress"),
        rx.text("You can close this dialog; the import continues in the background.", size="1",
                color_scheme="gray"),
        spacing="3",
        width="100%",
        id="import-running",
    )


def _error_row(err) -> rx.Component:
    return rx.table.row(
        rx.table.cell(err.row),
        rx.table.cell(err.line),
        rx.table.cell(rx.text(err.email, size="1")),
        rx.table.cell(rx.text(err.error, size="1")),
    )


def _report_step() -> rx.Component:
    return rx.vstack(
        rx.cond(
            S.phase == "failed",
            rx.callout.root(rx.callout.icon(rx.icon("circle_alert")),
                            rx.callout.text("The import stopped: ", S.failure_reason), color_scheme="red",
                            width="100%", id="import-failed"),
            rx.callout.root(rx.callout.icon(rx.icon("circle_check")),
                            rx.callout.text("Import finished: ", rx.text.strong(S.filename), "."),
                            color_scheme="green", width="100%", id="import-done"),
        ),
        rx.grid(
            _count("Created", S.created, "green", "import-created"),
            _count("Updated", S.updated, "blue", "import-updated"),
            _count("Skipped", S.skipped, "gray", "import-skipped"),
            _count("Errors", S.errors, "red", "import-errors"),
            columns={"initial": "2", "sm": "4"},
            spacing="3",
            width="100%",
        ),
        rx.cond(
            S.error_rows.length() > 0,
            rx.vstack(
                rx.text(rx.cond(S.errors > S.error_rows.length(),
                                rx.text.span("First ", S.error_rows.length(), " of ", S.errors, " problem rows"),
                                rx.text.span("Problem rows")), weight="medium", size="2"),
                rx.box(
                    rx.table.root(
                        rx.table.header(rx.table.row(*[rx.table.column_header_cell(h) for h in
                                                       ("Row", "Line", "Email", "Problem")])),
                        rx.table.body(rx.foreach(S.error_rows, _error_row)),
                        size="1", variant="surface", width="100%",
                    ),
                    class_name="report-errors",
                ),
                spacing="2",
                width="100%",
            ),
            rx.fragment(),
        ),
        rx.button(rx.icon("download", size=16), "Download report CSV", variant="soft", on_click=S.download_report,
                  id="import-report"),
        spacing="4",
        width="100%",
    )


def import_dialog() -> rx.Component:
    footer = rx.flex(
        rx.match(
            S.phase,
            ("upload", rx.fragment(
                rx.button("Cancel", variant="soft", color_scheme="gray", on_click=S.close, type="button"),
                rx.button(rx.cond(S.uploading, rx.spinner(size="1"), rx.icon("upload", size=16)),
                          "Check and import", type="button", disabled=S.uploading, id="import-start",
                          on_click=S.upload(rx.upload_files(upload_id=UPLOAD_ID))),
            )),
            ("running", rx.button("Close", variant="soft", color_scheme="gray", on_click=S.close, type="button")),
            rx.fragment(
                rx.button("Import another file", variant="soft", color_scheme="gray", on_click=S.start_another,
                          type="button"),
                rx.button("Done", on_click=S.close, type="button", id="import-close"),
            ),
        ),
        spacing="3",
        justify="end",
        margin_top="1.5em",
    )
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title("Import candidates from CSV"),
            rx.dialog.description("The whole file is checked first; nothing is written if it cannot be read.",
                                  size="2", margin_bottom="1em"),
            rx.match(S.phase, ("upload", _upload_step()), ("running", _progress_step()), _report_step()),
            footer,
            max_width="680px",
            id="import-dialog",
        ),
        open=S.open,
        on_open_change=S.set_open,
    )
