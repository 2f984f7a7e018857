"""The CSV import dialog: upload (checked by the service before anything is written), then a
background poll of the import job's progress, then its report."""

from __future__ import annotations

import asyncio
import dataclasses
import uuid

import reflex as rx
from sqlmodel import Session

from interviewer.core import errors as E
from interviewer.core.config import get_settings
from interviewer.models import ImportMode, ImportStatus
from interviewer.services import imports as import_service
from interviewer.services.authz import Actor
from interviewer.state.auth_state import AuthState, SessionEnded
from interviewer.state.candidates_common_state import parse_uuid
from interviewer.state.candidates_state import CandidatesState

UPLOAD_ID = "csv-upload"
POLL_SECONDS = 0.8
MAX_POLL_SECONDS = 30 * 60  # the job's own timeout
SHOWN_ERRORS = 20


@dataclasses.dataclass
class ImportErrorRow:
    row: int = 0
    line: int = 0
    email: str = ""
    error: str = ""


class ImportState(AuthState):
    open: bool = False
    mode: str = ImportMode.SKIP.value
    company: str = ""  # system admins choose the company
    error: str = ""
    uploading: bool = False
    import_id: str = ""
    filename: str = ""
    status: str = ""
    total_rows: int = 0
    processed_rows: int = 0
    progress: int = 0
    created: int = 0
    updated: int = 0
    skipped: int = 0
    errors: int = 0
    error_rows: list[ImportErrorRow] = []
    failure_reason: str = ""
    _poll_generation: int = 0

    @rx.var
    def phase(self) -> str:
        """upload | running | done | failed: which part of the dialog is shown."""
        if not self.import_id:
            return "upload"
        if self.status == ImportStatus.COMPLETED.value:
            return "done"
        if self.status == ImportStatus.FAILED.value:
            return "failed"
        return "running"

    @rx.var
    def max_mb(self) -> int:
        return get_settings().MAX_UPLOAD_BYTES // 1_048_576

    def _reset(self) -> None:
        self.error, self.import_id, self.filename, self.status, self.failure_reason = "", "", "", "", ""
        self.total_rows = self.processed_rows = self.progress = 0
        self.created = self.updated = self.skipped = self.errors = 0
        self.error_rows = []
        self._poll_generation += 1  # any running poll stops at its next turn

    @rx.event
    def open_dialog(self):
        self._reset()
        self.mode = ImportMode.SKIP.value
        self.open = True
        return rx.clear_selected_files(UPLOAD_ID)

    @rx.event
    def set_open(self, value: bool):
        self.open = value
        if not value:
            return self.close()
        return None

    @rx.event
    def close(self):
        """Close the dialog; the list shows what the import added."""
        finished = self.phase in ("done", "failed")
        self.open = False
        self._reset()
        return CandidatesState.refresh if finished else None

    @rx.event
    def start_another(self):
        self._reset()
        return rx.clear_selected_files(UPLOAD_ID)

    @rx.event
    def set_mode(self, value: str):
        if value in (m.value for m in ImportMode):
            self.mode = value

    @rx.event
    def set_company(self, value: str):
        self.company = value

    # --- upload -------------------------------------------------------------------------------

    @rx.event
    async def upload(self, files: list[rx.UploadFile]):
        self.error = ""
        if not files:
            self.error = "Choose a CSV file first."
            return
        limit = get_settings().MAX_UPLOAD_BYTES
        upload = files[0]
        data = await upload.read(limit + 1)  # never more than the limit in memory
        if len(data) > limit:
            self.error = f"The file is larger than {limit // 1_048_576} MB; split it into smaller files."
            return
        filename, mode, company = upload.filename or "import.csv", ImportMode(self.mode), parse_uuid(self.company)
        if message := self._rate_limited("import"):  # the REST upload limit, same counter
            self.error = message
            return
        self.uploading = True
        yield

        def _work(session: Session, actor: Actor):
            job, _layout = import_service.start_import(session, actor, data, filename, mode, company_id=company)
            return job.id, job.filename, job.total_rows

        try:
            job_id, self.filename, self.total_rows = self._call(_work)
        except SessionEnded:
            self.uploading = False
            yield self._end_session()
            return
        except E.DomainError as exc:
            self.uploading = False
            self.error = exc.message  # shown inline, under the file picker
            return
        self.uploading = False
        self.import_id, self.status = str(job_id), ImportStatus.QUEUED.value
        self._poll_generation += 1
        yield ImportState.poll

    def _refresh(self, session: Session, actor: Actor) -> None:
        job = import_service.get_import(session, actor, uuid.UUID(self.import_id))
        self.status, self.total_rows, self.processed_rows = job.status.value, job.total_rows, job.processed_rows
        done = job.status == ImportStatus.COMPLETED
        self.progress = 100 if done else (int(job.processed_rows * 100 / job.total_rows) if job.total_rows else 0)
        self.created, self.updated = job.created_count, job.updated_count
        self.skipped, self.errors = job.skipped_count, job.error_count
        self.failure_reason = job.failure_reason or ""
        self.error_rows = [ImportErrorRow(row=int(e.get("row", 0)), line=int(e.get("line", 0)),
                                          email=str(e.get("email", "")), error=str(e.get("error", "")))
                           for e in (job.errors or [])[:SHOWN_ERRORS]]

    @rx.event(background=True)
    async def poll(self):
        """Follow the import job until it finishes; the state lock is held only while reading."""
        async with self:
            generation = self._poll_generation
        waited = 0.0
        while waited < MAX_POLL_SECONDS:
            async with self:
                if generation != self._poll_generation or not self.import_id:
                    return
                outcome = self._run(self._refresh)
                if outcome is not None:  # signed out or the import vanished
                    self.import_id = ""
                    yield outcome
                    return
                if self.status in (ImportStatus.COMPLETED.value, ImportStatus.FAILED.value):
                    return
            await asyncio.sleep(POLL_SECONDS)
            waited += POLL_SECONDS

    # --- report -------------------------------------------------------------------------------

    @rx.event
    def download_report(self):
        if not self.import_id:
            return None

        def _work(session: Session, actor: Actor):
            data, filename = import_service.read_report(session, actor, uuid.UUID(self.import_id))
            return rx.download(data=data, filename=filename, mime_type="text/csv")

        return self._run(_work)
