"""The candidate detail page's resume panel (upload, extracted text, download) and ATS panel
(run a check, optionally against the job's description, follow it, show the result)."""

from __future__ import annotations

import asyncio
import re
import uuid

import reflex as rx
from sqlmodel import Session

from interviewer.core import errors as E
from interviewer.core.config import get_settings
from interviewer.services import candidates as candidate_service
from interviewer.services import resume_checks, ui_queries
from interviewer.services.authz import Actor
from interviewer.state.ats_state import FINISHED, AtsView, ats_view
from interviewer.state.ats_voice import for_recruiter
from interviewer.state.auth_state import AuthState, SessionEnded
from interviewer.state.candidates_detail_state import route_candidate_id

UPLOAD_ID = "resume-upload"
POLL_SECONDS = 1.0
EXTRACT_WAIT_SECONDS = 90
ATS_WAIT_SECONDS = 240


class CandidateFilesState(AuthState):
    candidate_id: str = ""
    has_resume: bool = False
    resume_text: str = ""
    resume_unreadable: bool = False
    resume_error: str = ""
    uploading: bool = False
    extracting: bool = False
    job_title: str = ""
    has_job_description: bool = False
    use_job_description: bool = True
    ats: AtsView = AtsView()
    ats_running: bool = False
    _extract_gen: int = 0
    _ats_gen: int = 0

    @rx.var
    def max_mb(self) -> int:
        return get_settings().MAX_UPLOAD_BYTES // 1_048_576

    @rx.var
    def has_ats_result(self) -> bool:
        return self.ats.status == "completed"

    def _load(self, session: Session, actor: Actor, cid: uuid.UUID) -> None:
        cand = candidate_service.get_candidate(session, actor, cid)
        self.candidate_id = str(cand.id)
        self.has_resume = bool(cand.resume_url)
        self.resume_text = cand.resume_text or ""
        ctx = ui_queries.candidate_context(session, actor, cid)
        self.job_title, self.has_job_description = ctx["job_title"], bool(ctx["job_description"].strip())
        checks = resume_checks.list_checks(session, actor, candidate_id=cid, limit=1)
        if checks:
            self.ats = for_recruiter(ats_view(resume_checks.check_public(checks[0]),
                                              has_job_description=bool(checks[0].job_description)))
            self.ats_running = self.ats.status not in FINISHED
        elif not self.ats_running:
            self.ats = AtsView()

    def _with_candidate(self, work, *, page_load: bool = False):
        cid = route_candidate_id(self) if page_load or not self.candidate_id else uuid.UUID(self.candidate_id)
        if cid is None:
            return None

        def _work(session: Session, actor: Actor):
            try:
                return work(session, actor, cid)
            except E.NotFoundError:
                if page_load:
                    return None  # CandidateDetailState.load shows "not found"
                raise

        return self._run(_work)

    @rx.event
    def load(self):
        self._extract_gen += 1
        self._ats_gen += 1
        self.candidate_id, self.resume_error, self.ats, self.ats_running = "", "", AtsView(), False
        self.extracting, self.resume_unreadable, self.use_job_description = False, False, True

        def _work(session: Session, actor: Actor, cid: uuid.UUID):
            self._load(session, actor, cid)
            events = []
            if self.has_resume and not self.resume_text:
                self.extracting = True
                events.append(CandidateFilesState.poll_extraction)
            if self.ats_running:
                events.append(CandidateFilesState.poll_ats)
            return events or None

        return self._with_candidate(_work, page_load=True)

    # --- resume --------------------------------------------------------------------------------

    @rx.event
    async def upload_resume(self, files: list[rx.UploadFile]):
        """The drop zone's on_drop: choosing a file uploads it at once. On a refusal the choice is
        cleared again, so the zone never shows a file that was not stored."""
        self.resume_error = ""
        if not files:
            self.resume_error = "Choose a PDF, DOCX or TXT file first."
            return
        limit = get_settings().MAX_UPLOAD_BYTES
        data = await files[0].read(limit + 1)
        if len(data) > limit:
            self.resume_error = f"The file is larger than {limit // 1_048_576} MB."
            yield rx.clear_selected_files(UPLOAD_ID)
            return
        filename = files[0].filename or "resume"
        if message := self._rate_limited("resume_upload"):  # the REST upload limit, same counter
            self.resume_error = message
            yield rx.clear_selected_files(UPLOAD_ID)
            return
        self.uploading = True
        yield

        def _work(session: Session, actor: Actor, cid: uuid.UUID):
            candidate_service.attach_resume(session, actor, cid, data, filename)

        try:
            self._call(lambda s, a: _work(s, a, uuid.UUID(self.candidate_id)))
        except SessionEnded:
            self.uploading = False
            yield self._end_session()
            return
        except E.DomainError as exc:
            self.uploading = False
            self.resume_error = exc.message
            yield rx.clear_selected_files(UPLOAD_ID)
            return
        self.uploading, self.has_resume, self.resume_text = False, True, ""
        self.resume_unreadable, self.extracting = False, True
        yield rx.clear_selected_files(UPLOAD_ID)
        yield rx.toast.success("Resume uploaded; extracting its text…")
        yield CandidateFilesState.poll_extraction

    @rx.event(background=True)
    async def poll_extraction(self):
        """Wait for the extract_resume job to fill the text (the lock is held only to read)."""
        async with self:
            self._extract_gen += 1
            generation = self._extract_gen
        waited = 0.0
        while waited < EXTRACT_WAIT_SECONDS:
            await asyncio.sleep(POLL_SECONDS)
            waited += POLL_SECONDS
            async with self:
                if generation != self._extract_gen or not self.candidate_id:
                    return
                outcome = self._with_candidate(self._load)
                if outcome is not None:
                    self.extracting = False
                    yield outcome
                    return
                if self.resume_text:
                    self.extracting = False
                    return
        async with self:
            if generation == self._extract_gen:
                self.extracting, self.resume_unreadable = False, True

    @rx.event
    def download_resume(self):
        def _work(session: Session, actor: Actor, cid: uuid.UUID):
            data, media_type, filename = candidate_service.read_resume(session, actor, cid)
            return rx.download(data=data, filename=filename, mime_type=media_type.split(";")[0])

        return self._with_candidate(_work)

    # --- ATS -----------------------------------------------------------------------------------

    @rx.event
    def set_use_job_description(self, value: bool):
        self.use_job_description = bool(value)

    @rx.event
    def run_ats(self):
        if self.ats_running:  # a second click queued behind the first: that check is already running
            return None
        use_job = self.use_job_description and self.has_job_description
        if message := self._rate_limited("candidate_ats_check"):
            return rx.toast.error(message)

        def _work(session: Session, actor: Actor, cid: uuid.UUID):
            data, media_type, filename = candidate_service.read_resume(session, actor, cid)
            name = re.sub(r"[^\w.-]+", "-", candidate_service.get_candidate(session, actor, cid).name).strip("-")
            filename = f"{name or 'candidate'}-resume.{filename.rsplit('.', 1)[-1]}"
            description = ui_queries.candidate_context(session, actor, cid)["job_description"] if use_job else None
            check = resume_checks.create_check(session, actor, data=data, filename=filename,
                                               content_type=media_type.split(";")[0],
                                               job_description=description, candidate_id=cid)
            self.ats = AtsView(id=str(check.id), status="queued", filename=filename, job_description=use_job)
            self.ats_running = True
            return CandidateFilesState.poll_ats

        return self._with_candidate(_work)

    @rx.event(background=True)
    async def poll_ats(self):
        async with self:
            self._ats_gen += 1
            generation = self._ats_gen
        waited = 0.0
        while waited < ATS_WAIT_SECONDS:
            await asyncio.sleep(POLL_SECONDS)
            waited += POLL_SECONDS
            async with self:
                if generation != self._ats_gen or not self.ats.id:
                    return

                def _work(session: Session, actor: Actor, cid: uuid.UUID):
                    check = resume_checks.get_check(session, actor, uuid.UUID(self.ats.id))
                    self.ats = for_recruiter(ats_view(resume_checks.check_public(check),
                                                      has_job_description=bool(check.job_description)))
                    self.ats_running = self.ats.status not in FINISHED

                outcome = self._with_candidate(_work)
                if outcome is not None:
                    self.ats_running = False
                    yield outcome
                    return
                if not self.ats_running:
                    if self.ats.status == "completed":
                        yield rx.toast.success(f"ATS check finished: {self.ats.score}/100.")
                    return
        async with self:
            self.ats_running = False
