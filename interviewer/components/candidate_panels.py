"""Panels of the candidate detail page: pipeline (status change + history timeline), resume,
ATS check, interview rounds and interviews."""

from __future__ import annotations

import reflex as rx

from interviewer.components.candidate_ats import ats_failed, ats_progress, ats_result
from interviewer.components.hiring_ui import verdict_badge
from interviewer.components.ui import named, status_badge
from interviewer.state.auth_state import AuthState
from interviewer.state.candidates_detail_state import CandidateDetailState
from interviewer.state.candidates_files_state import UPLOAD_ID, CandidateFilesState

D, F = CandidateDetailState, CandidateFilesState
CAN_WRITE = AuthState.user.permissions.contains("candidates:write")
INTERVIEW_COLORS = {"scheduled": "blue", "in_progress": "amber", "completed": "green", "cancelled": "gray",
                    "expired": "orange"}


def panel(title: str, icon: str, *children, action: rx.Component | None = None, **props) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.hstack(rx.icon(icon, size=18, color="var(--accent-10)"), rx.heading(title, size="4"), rx.spacer(),
                      action or rx.fragment(), align="center", width="100%"),
            *children,
            spacing="3",
            width="100%",
        ),
        size="2",
        width="100%",
        **props,
    )


# --- pipeline ---------------------------------------------------------------------------------

def _history_item(item) -> rx.Component:
    return rx.hstack(
        rx.box(class_name="timeline-dot"),
        rx.vstack(
            rx.hstack(
                rx.cond(item.from_status != "",
                        rx.hstack(status_badge(item.from_status, item.from_label), rx.icon("arrow_right", size=14),
                                  align="center", spacing="1"),
                        rx.text("Created as", size="2", color_scheme="gray")),
                status_badge(item.to_status, item.to_label),
                spacing="2", align="center", wrap="wrap",
            ),
            rx.text(item.by, " · ", item.when, size="1", color_scheme="gray"),
            rx.cond(item.note != "", rx.text(item.note, size="2", class_name="timeline-note"), rx.fragment()),
            spacing="1",
            width="100%",
        ),
        spacing="3",
        align="start",
        class_name="timeline-item",
    )


def pipeline_panel() -> rx.Component:
    change = rx.cond(
        D.is_final,
        rx.callout("Hired is the final stage.", icon="party_popper", color_scheme="green", size="1"),
        rx.vstack(
            named(rx.select.root(
                rx.select.trigger(placeholder="Next stage", width="100%"),
                rx.select.content(rx.foreach(D.next_statuses, lambda o: rx.select.item(o.label, value=o.value))),
                value=D.status_target,
                on_change=D.set_status_target,
            ), "Move to stage"),
            named(rx.text_area(placeholder="Note (optional) — e.g. why, or what was agreed", value=D.status_note,
                               on_change=D.set_status_note, rows="2", width="100%", max_length=1000,
                               id="status-note"), "Note on the stage change"),
            rx.button(rx.icon("arrow_right_left", size=16), "Update status", on_click=D.change_status, width="100%",
                      id="status-submit"),
            rx.text("Only the stages allowed after “", D.c.status_label, "” are offered.", size="1",
                    color_scheme="gray"),
            spacing="2",
            width="100%",
        ),
    )
    return panel(
        "Pipeline", "git_commit_horizontal",
        rx.hstack(rx.text("Current stage", size="2", color_scheme="gray"), status_badge(D.c.status, D.c.status_label),
                  align="center", spacing="2"),
        rx.cond(CAN_WRITE, change, rx.fragment()),
        rx.separator(size="4"),
        rx.text("History", weight="medium", size="2"),
        rx.cond(D.history.length() > 0,
                rx.vstack(rx.foreach(D.history, _history_item), spacing="0", width="100%", class_name="timeline",
                          id="status-history"),
                rx.text("No stage changes recorded yet.", size="2", color_scheme="gray")),
        id="pipeline-panel",
    )


# --- resume ------------------------------------------------------------------------------------

RESUME_ACCEPT = {"application/pdf": [".pdf"], "text/plain": [".txt"],
                 "application/vnd.openxmlformats-officedocument.wordprocessingml.document": [".docx"]}


def resume_dropzone(upload_id: str, max_mb, *, prompt: str = "Drop a resume here or ", busy=None,
                    **props) -> rx.Component:
    """A one-file resume drop zone (PDF, DOCX, TXT) showing the chosen file's name. ``props`` go to
    ``rx.upload.root`` (e.g. ``on_drop`` to upload at once)."""
    chosen = rx.selected_files(upload_id)
    idle = rx.cond(chosen.length() > 0, rx.text(chosen[0], weight="medium", size="2", class_name="dropzone-file"),
                   rx.text(prompt, rx.text.span("browse", color="var(--accent-11)", weight="medium"), size="2"))
    return rx.upload.root(
        rx.vstack(
            rx.icon("file_up", size=24, color="var(--indigo-10)"),
            idle if busy is None else rx.cond(busy, rx.hstack(rx.spinner(size="1"), rx.text("Uploading…", size="2"),
                                                              align="center", spacing="2"), idle),
            rx.text("PDF, DOCX or TXT · up to ", max_mb, " MB", size="1", color_scheme="gray"),
            align="center", spacing="1",
        ),
        id=upload_id,
        accept=RESUME_ACCEPT,
        max_files=1,
        multiple=False,
        class_name="dropzone dropzone--compact",
        **props,
    )


def _resume_picker() -> rx.Component:
    """Choosing (or dropping) a file uploads it at once: no second button."""
    return rx.vstack(
        resume_dropzone(UPLOAD_ID, F.max_mb, busy=F.uploading, disabled=F.uploading,
                        on_drop=F.upload_resume(rx.upload_files(upload_id=UPLOAD_ID))),
        rx.cond(F.resume_error != "", rx.callout(F.resume_error, icon="circle_alert", color_scheme="red", size="1",
                                                 width="100%", id="resume-error"), rx.fragment()),
        spacing="2",
        width="100%",
    )


def resume_panel() -> rx.Component:
    text = rx.cond(
        F.resume_text != "",
        rx.box(rx.text(F.resume_text, size="2", class_name="pre-wrap"), class_name="resume-text", id="resume-text"),
        rx.cond(
            F.extracting,
            rx.hstack(rx.spinner(size="2"), rx.text("Extraction pending — the text appears here in a moment.",
                                                    size="2", color_scheme="gray"), align="center"),
            rx.callout("No text could be extracted from this file (a scanned image?). The file itself is kept.",
                       icon="file_warning", color_scheme="amber", size="1"),
        ),
    )
    download = rx.cond(F.has_resume, rx.button(rx.icon("download", size=14), "Download", size="1", variant="soft",
                                               on_click=F.download_resume, id="resume-download"), rx.fragment())
    return panel(
        "Resume", "file_text",
        rx.cond(F.has_resume, text,
                rx.text("No resume yet.", size="2", color_scheme="gray")),
        rx.cond(CAN_WRITE,
                rx.cond(F.has_resume,
                        rx.accordion.root(rx.accordion.item(header="Replace the resume", content=_resume_picker(),
                                                            value="replace"),
                                          collapsible=True, type="single", variant="ghost", width="100%"),
                        _resume_picker()),
                rx.fragment()),
        action=download,
    )


# --- ATS -----------------------------------------------------------------------------------------

def ats_panel() -> rx.Component:
    controls = rx.cond(
        CAN_WRITE,
        rx.flex(
            rx.cond(F.has_job_description,
                    rx.checkbox("Compare with the job description of " + F.job_title, checked=F.use_job_description,
                                on_change=F.set_use_job_description, id="ats-use-job"),
                    rx.text("Add a job with a description to compare against it.", size="2", color_scheme="gray")),
            rx.spacer(),
            rx.button(rx.icon("scan_search", size=16), "Run ATS check", on_click=F.run_ats, id="run-ats",
                      disabled=~F.has_resume | F.ats_running),
            align="center", spacing="3", wrap="wrap", width="100%",
        ),
        rx.fragment(),
    )
    body = rx.cond(
        F.ats_running, ats_progress(),
        rx.cond(F.has_ats_result, ats_result(F.ats, for_recruiter=True),
                rx.cond(F.ats.status == "failed", ats_failed(F.ats.error),
                        rx.text(rx.cond(F.has_resume, "No ATS check yet.",
                                        "Upload a resume to run an ATS check."), size="2", color_scheme="gray"))),
    )
    return panel("ATS check", "scan_search", controls, body, id="ats-panel")


# --- interviews ----------------------------------------------------------------------------------

def _round_row(r) -> rx.Component:
    return rx.table.row(
        rx.table.cell(r.number),
        rx.table.cell(rx.text(r.round_type, text_transform="capitalize")),
        rx.table.cell(rx.badge(r.status, variant="soft")),
        rx.table.cell(rx.cond(r.scheduled != "", r.scheduled, "—")),
        rx.table.cell(rx.cond(r.interview_id != "", rx.link("Open", href="/interviews/" + r.interview_id),
                              rx.cond(r.link != "", rx.link("Link", href=r.link, is_external=True), "—"))),
    )


def _interview_row(i) -> rx.Component:
    # five narrow columns: the panel is a third of the page, and a wider table hid "Open" off its edge
    return rx.table.row(
        rx.table.cell(rx.text(rx.cond(i.scheduled != "", i.scheduled, "—"), size="2")),
        rx.table.cell(rx.cond(i.job_title != "", i.job_title, "—")),
        rx.table.cell(rx.badge(i.status_label, color_scheme=rx.match(i.status, *INTERVIEW_COLORS.items(), "gray"),
                               variant="soft")),
        rx.table.cell(rx.cond(i.verdict != "",
                              rx.hstack(
                                  verdict_badge(i.verdict, size="1"),
                                  rx.cond(i.score != "", rx.text(i.score, "/100", size="2", white_space="nowrap"),
                                          rx.fragment()),
                                  rx.cond(i.overridden, rx.text("overridden", size="1", color_scheme="gray"),
                                          rx.fragment()),
                                  spacing="1", align="center", wrap="wrap", class_name="interview-verdict"),
                              rx.text("—", color_scheme="gray"))),
        rx.table.cell(rx.link("Open", rx.icon("arrow_up_right", size=14), href="/interviews/" + i.id,
                              display="inline-flex", align_items="center", white_space="nowrap")),
    )


def interviews_panel() -> rx.Component:
    rounds = rx.cond(
        D.rounds.length() > 0,
        rx.box(rx.table.root(
            rx.table.header(rx.table.row(*[rx.table.column_header_cell(h) for h in
                                           ("Round", "Type", "Status", "Scheduled", "")])),
            rx.table.body(rx.foreach(D.rounds, _round_row)), size="1", width="100%", class_name="panel-table"),
            class_name="table-scroll"),
        rx.text("No interview rounds planned.", size="2", color_scheme="gray"),
    )
    interviews = rx.cond(
        D.interviews.length() > 0,
        rx.box(rx.table.root(
            rx.table.header(rx.table.row(*[rx.table.column_header_cell(h) for h in
                                           ("Scheduled", "Job", "Status", "Verdict", "")])),
            rx.table.body(rx.foreach(D.interviews, _interview_row)), size="1", width="100%",
            class_name="panel-table"),
            class_name="table-scroll"),
        rx.text("No interviews yet.", size="2", color_scheme="gray"),
    )
    requests = rx.cond(
        D.accommodations.length() > 0,
        rx.vstack(
            rx.text("Accommodation requests", weight="medium", size="2", margin_top="0.5em"),
            rx.vstack(rx.foreach(D.accommodations, _accommodation_row), spacing="2", width="100%"),
            spacing="2", width="100%", id="candidate-accommodations",
        ),
        rx.fragment(),
    )
    return panel(
        "Interviews", "calendar_clock",
        rx.text("Rounds", weight="medium", size="2"), rounds,
        rx.text("Interviews", weight="medium", size="2", margin_top="0.5em"), interviews,
        requests,
        id="interviews-panel",
    )


def _accommodation_row(item) -> rx.Component:
    """What the candidate asked for before an interview and what HR answered (open requests are
    answered from the dashboard's card, where the answer is emailed)."""
    return rx.box(
        rx.hstack(
            rx.badge(item.kind, color_scheme="amber", variant="soft", radius="full"),
            rx.cond(item.open,
                    rx.link("Open: answer on the dashboard", href="/dashboard", size="1"),
                    rx.badge("Answered", color_scheme="green", variant="soft", radius="full")),
            rx.text("received ", item.received, size="1", color_scheme="gray"),
            align="center", spacing="2", wrap="wrap",
        ),
        rx.cond(item.message != "", rx.text("“", item.message, "”", size="2", margin_top="0.25em"), rx.fragment()),
        rx.cond(item.open, rx.fragment(),
                rx.text(rx.text.strong("Answer "), item.answered, ": ", item.answer, size="2", color_scheme="gray",
                        margin_top="0.25em")),
        width="100%", padding="0.5em 0.75em", border_radius="var(--radius-3)",
        background="var(--gray-a2)", class_name="candidate-accommodation",
    )
