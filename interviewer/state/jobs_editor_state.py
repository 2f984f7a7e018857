"""/jobs/[job_id]: one job template — its details, its ordered questions (add, edit, weight,
key points, move, delete) and AI question generation, which runs as an RQ job and is followed
here by a background event that polls its progress."""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import time
import uuid

import pydantic
import reflex as rx
from sqlmodel import Session

from interviewer.core import errors as E
from interviewer.core.wording import plural
from interviewer.models.job import DEFAULT_AI_MODEL
from interviewer.services import question_generation, rubric_playground
from interviewer.services import jobs as job_service
from interviewer.services import ui_hiring_queries as queries
from interviewer.services.ai.offline.answer_scoring import asks_for_story
from interviewer.services.authz import Actor
from interviewer.state.auth_state import SessionEnded, validation_message
from interviewer.state.interviews_common_state import TZ_JS, HiringState, fmt_dt
from interviewer.state.rubric_playground_state import SignInAgain, as_signed_in

log = logging.getLogger(__name__)
POLL_SECONDS = 1.0
POLL_LIMIT_SECONDS = 15 * 60  # the RQ job times out after 5 minutes and retries up to three times
MAX_POINTS = 10
STAGES = {"preparing": "Reading the job and its questions", "generating": "Writing questions",
          "saving": "Saving the new questions", "done": "Done"}


@dataclasses.dataclass
class QuestionRow:
    id: str = ""
    number: int = 0
    text: str = ""
    weight: int = 1
    key_points: list[str] = dataclasses.field(default_factory=list)
    red_flags: list[str] = dataclasses.field(default_factory=list)
    kind: str = ""
    difficulty: str = ""
    is_ai: bool = False
    is_first: bool = False
    is_last: bool = False
    is_new: bool = False
    is_story: bool = False  # asks for the candidate's own experience: offline, a story is left to HR


class JobEditorState(HiringState):
    job_id: str = ""
    loaded: bool = False
    can_write: bool = False
    provider: str = ""
    created: str = ""
    j_title: str = ""
    j_description: str = ""
    j_prompt: str = ""
    j_model: str = DEFAULT_AI_MODEL
    saved_title: str = ""
    details_error: str = ""
    questions: list[QuestionRow] = []
    new_ids: list[str] = []

    q_open: bool = False
    q_editing: str = ""
    q_text: str = ""
    q_weight: int = 1
    q_points: list[str] = []
    q_point: str = ""
    q_flags: str = ""  # the wrong ideas to watch for, one per line
    q_suggesting: bool = False
    q_flags_note: str = ""  # what the suggestion found (or why it found none)
    q_error: str = ""
    delete_question: str = ""
    delete_job_open: bool = False

    gen_count: int = 5
    gen_task: str = ""
    gen_status: str = ""  # queued | started | scheduled | finished | failed
    gen_stage: str = ""
    gen_error: str = ""
    gen_created: int = 0
    gen_provider: str = ""

    # --- loading ---------------------------------------------------------------------------

    def _load_questions(self, session: Session, actor: Actor) -> None:
        rows = job_service.list_questions(session, actor, uuid.UUID(self.job_id))
        last = len(rows) - 1
        self.questions = [
            QuestionRow(id=str(q.id), number=i + 1, text=q.text, weight=q.weight, key_points=list(q.key_points or []),
                        red_flags=list(q.red_flags or []),
                        kind=q.kind or "", difficulty=q.difficulty or "", is_ai=q.source == "ai",
                        is_first=i == 0, is_last=i == last, is_new=str(q.id) in self.new_ids,
                        is_story=asks_for_story(q.text))
            for i, q in enumerate(rows)]

    def _load(self, session: Session, actor: Actor) -> None:
        job = job_service.get_job(session, actor, uuid.UUID(self.job_id))
        self.can_write = actor.can("jobs:write")
        self.j_title = self.saved_title = job.title
        self.j_description, self.j_prompt, self.j_model = job.description or "", job.ai_prompt or "", job.ai_model
        self.created = fmt_dt(job.created_at, self.tz)
        self.provider = queries.analysis_provider(session, actor, job.company_id)
        self._load_questions(session, actor)
        self.loaded = True

    @rx.event
    def load(self):
        self.loaded, self.details_error, self.q_open, self.delete_job_open = False, "", False, False
        self.new_ids, self.gen_task, self.gen_status, self.gen_error = [], "", "", ""
        self.job_id = self._route_id()
        if not self.job_id:
            return [rx.toast.error("Job template not found."), rx.redirect("/jobs")]
        return rx.call_script(TZ_JS, callback=JobEditorState.open_with_tz)

    @rx.event
    def open_with_tz(self, tz: str):
        self._accept_tz(tz)
        return self._open_page(self._load, fallback="/jobs")

    # --- job details -----------------------------------------------------------------------

    @rx.event
    def set_detail(self, name: str, value: str):
        if name in {"j_title", "j_description", "j_prompt", "j_model"}:
            setattr(self, name, value)

    @rx.event
    def save_details(self):
        self.details_error = ""
        try:
            data = job_service.JobUpdate(title=self.j_title, description=self.j_description.strip() or None,
                                         ai_prompt=self.j_prompt.strip() or None,
                                         ai_model=self.j_model.strip() or DEFAULT_AI_MODEL)
        except pydantic.ValidationError as exc:
            self.details_error = validation_message(exc)
            return None

        def _work(session: Session, actor: Actor):
            job = job_service.update_job(session, actor, uuid.UUID(self.job_id), data)
            self.saved_title, self.j_title, self.j_model = job.title, job.title, job.ai_model
            return rx.toast.success("Job details saved.")

        return self._run(_work)

    @rx.event
    def set_delete_job_open(self, value: bool):
        self.delete_job_open = value

    @rx.event
    def delete_job(self):
        def _work(session: Session, actor: Actor):
            job_service.delete_job(session, actor, uuid.UUID(self.job_id))
            return [rx.toast.success(f"“{self.saved_title}” was deleted."), rx.redirect("/jobs")]

        self.delete_job_open = False
        return self._run(_work)

    # --- questions ------------------------------------------------------------------------

    def _question_write(self, change, message: str | None = None):
        def _work(session: Session, actor: Actor):
            change(session, actor)
            self._load_questions(session, actor)
            return rx.toast.success(message) if message else None

        return self._run(_work)

    @rx.event
    def open_question(self, question_id: str):
        """'' opens an empty "Add question" form; an id opens that question for editing."""
        self.q_error, self.q_point, self.q_editing = "", "", question_id
        row = next((q for q in self.questions if q.id == question_id), None)
        self.q_text = row.text if row else ""
        self.q_weight = row.weight if row else 1
        self.q_points = list(row.key_points) if row else []
        self.q_flags = "\n".join(row.red_flags) if row else ""
        self.q_flags_note, self.q_suggesting = "", False
        self.q_open = True

    @rx.event
    def set_q_open(self, value: bool):
        self.q_open = value

    @rx.event
    def set_q_text(self, value: str):
        self.q_text = value

    @rx.event
    def set_q_point(self, value: str):
        self.q_point = value

    @rx.event
    def set_q_flags(self, value: str):
        self.q_flags = value

    @rx.event(background=True)
    async def suggest_flags(self):
        """Ask the company's AI provider for wrong ideas about the dialog's key points; they are added
        to the box (never saved until HR saves the question)."""
        async with self:
            if self.q_suggesting:
                return
            pending = self.q_point.strip()
            points = [*self.q_points, pending] if pending and pending not in self.q_points else list(self.q_points)
            try:
                data = rubric_playground.SuggestIdeas(question=self.q_text, key_points=points)
            except pydantic.ValidationError:
                self.q_flags_note = "Write the question and at least one key point first."
                return
            if message := self._rate_limited("suggest_wrong_ideas"):
                self.q_flags_note = message
                return
            if (token := self._fresh_token()) is None:
                yield self._end_session()
                return
            self.q_suggesting, self.q_flags_note = True, ""
            editing = self.q_editing
        result, note, ended = None, "", False
        try:
            result = await asyncio.to_thread(
                as_signed_in, token, lambda session, actor: rubric_playground.suggest_wrong_ideas(session, actor, data))
        except SignInAgain:
            ended = True
        except E.DomainError as exc:
            note = exc.message
        except Exception:  # never leave the button spinning: say so, and keep what the box holds
            log.exception("suggesting wrong ideas failed")
            note = "The suggestions could not be made just now; try again, or write your own."
        async with self:
            self.q_suggesting = False
            if not self.q_open or self.q_editing != editing:
                return  # the dialog was closed, or opened for another question meanwhile
            if ended:
                yield self._end_session()
                return
            if result is not None:
                have = [line.strip() for line in self.q_flags.splitlines() if line.strip()]
                added = [idea for idea in result["red_flags"] if idea not in have]
                self.q_flags = "\n".join([*have, *added][:10])
                note = result["note"] or (f"{plural(len(added), 'suggestion')} added: edit or delete them before "
                                          "saving." if added else "Nothing new to add.")
            self.q_flags_note = note

    @rx.event
    def step_q_weight(self, delta: int):
        self.q_weight = max(1, min(10, self.q_weight + delta))

    @rx.event
    def add_point(self):
        point = self.q_point.strip()
        if not point:
            return
        if len(self.q_points) >= MAX_POINTS:
            self.q_error = f"A question can have at most {MAX_POINTS} key points."
            return
        if point.lower() not in {p.lower() for p in self.q_points}:
            self.q_points = [*self.q_points, point[:300]]
        self.q_point, self.q_error = "", ""

    @rx.event
    def point_key(self, key: str):
        if key == "Enter":
            return JobEditorState.add_point

    @rx.event
    def remove_point(self, index: int):
        self.q_points = [p for i, p in enumerate(self.q_points) if i != index]

    @rx.event
    def save_question(self):
        if not self.q_open:  # a second click queued behind the first: the dialog is already saved and closed
            return None
        self.q_error = ""
        pending = self.q_point.strip()
        points = [*self.q_points, pending] if pending and pending not in self.q_points else list(self.q_points)
        flags = [line.strip() for line in self.q_flags.splitlines() if line.strip()]
        try:
            if self.q_editing:
                data = job_service.QuestionUpdate(text=self.q_text, weight=self.q_weight, key_points=points,
                                                  red_flags=flags)
            else:
                data = job_service.QuestionCreate(text=self.q_text, weight=self.q_weight, key_points=points,
                                                  red_flags=flags)
        except pydantic.ValidationError as exc:
            self.q_error = validation_message(exc)
            return None
        editing, job_id = self.q_editing, uuid.UUID(self.job_id)

        def _work(session: Session, actor: Actor):
            try:
                if editing:
                    job_service.update_question(session, actor, job_id, uuid.UUID(editing), data)
                else:
                    job_service.add_question(session, actor, job_id, data)
            except E.DomainError as exc:
                self.q_error = exc.message
                raise
            self._load_questions(session, actor)
            self.q_open = False
            return rx.toast.success("Question saved." if editing else "Question added.")

        result = self._run(_work)
        return None if self.q_error else result

    @rx.event
    def step_weight(self, question_id: str, weight: int, delta: int):
        new = max(1, min(10, weight + delta))
        if new == weight:
            return None
        data = job_service.QuestionUpdate(weight=new)
        return self._question_write(lambda s, a: job_service.update_question(
            s, a, uuid.UUID(self.job_id), uuid.UUID(question_id), data))

    @rx.event
    def move(self, question_id: str, delta: int):
        ids = [q.id for q in self.questions]
        if question_id not in ids:
            return None
        i = ids.index(question_id)
        j = i + delta
        if not 0 <= j < len(ids):
            return None
        ids[i], ids[j] = ids[j], ids[i]
        return self._question_write(lambda s, a: job_service.reorder_questions(
            s, a, uuid.UUID(self.job_id), [uuid.UUID(x) for x in ids]))

    @rx.event
    def ask_delete(self, question_id: str):
        self.delete_question = question_id

    @rx.event
    def set_delete_open(self, value: bool):
        if not value:
            self.delete_question = ""

    @rx.event
    def confirm_delete(self):
        question_id, self.delete_question = self.delete_question, ""
        if not question_id:
            return None
        return self._question_write(lambda s, a: job_service.delete_question(
            s, a, uuid.UUID(self.job_id), uuid.UUID(question_id)), "Question deleted.")

    # --- AI generation --------------------------------------------------------------------

    @rx.event
    def set_gen_count(self, value: str):
        try:
            self.gen_count = max(1, min(question_generation.MAX_COUNT, int(value)))
        except ValueError:
            pass

    @rx.event
    def generate(self):
        if self.gen_status in ("queued", "started", "scheduled"):
            return None
        if message := self._rate_limited("generate_questions"):  # the REST AI limit, same counter
            self.gen_error = message
            return rx.toast.error(message)

        def _work(session: Session, actor: Actor):
            task = question_generation.request_generation(session, actor, uuid.UUID(self.job_id), self.gen_count)
            self.gen_task, self.gen_status, self.gen_stage = task["task_id"], "queued", ""
            self.gen_error, self.gen_created, self.gen_provider = "", 0, ""
            return JobEditorState.poll_generation

        return self._run(_work)

    def _progress(self) -> tuple[bool, object]:
        """One poll (under the state lock): returns (finished, event to send)."""
        task = self.gen_task
        try:
            info = self._call(lambda session, actor: queries.generation_progress(session, actor, task))
        except SessionEnded:
            return True, self._end_session()
        except E.DomainError as exc:
            self.gen_status, self.gen_error = "failed", exc.message
            return True, None
        self.gen_status, self.gen_stage = info["status"], info["stage"]
        self.gen_provider = info["provider"] or self.gen_provider
        if info["status"] == "failed":
            self.gen_error = info["error"] or "The generation failed."
            return True, rx.toast.error("Question generation failed.")
        if info["status"] == "scheduled":
            self.gen_error = info["error"]
        if info["status"] == "finished":
            self.gen_created = int(info["created"] or 0)
            self.new_ids = [str(x) for x in info.get("created_ids") or []]
            self._run(self._load_questions)
            added = plural(self.gen_created, "new question")
            return True, rx.toast.success(f"Added {added}." if self.gen_created else
                                          "No new questions: every suggestion repeated an existing one.")
        return False, None

    @rx.event(background=True)
    async def poll_generation(self):
        deadline = time.monotonic() + POLL_LIMIT_SECONDS
        async with self:
            task = self.gen_task
        while task:
            await asyncio.sleep(POLL_SECONDS)
            async with self:
                if self.gen_task != task:
                    return  # another task (or another job) took over
                if time.monotonic() > deadline:
                    self.gen_status, self.gen_error = "failed", "No answer from the worker; is it running?"
                    return
                finished, event = self._progress()
            if finished:
                if event is not None:
                    yield event
                return

    @rx.var
    def gen_running(self) -> bool:
        return self.gen_status in ("queued", "started", "scheduled")

    @rx.var
    def gen_message(self) -> str:
        if self.gen_status == "queued":
            return "Waiting for a worker…"
        if self.gen_status == "started":
            return STAGES.get(self.gen_stage, "Working…") + "…"
        if self.gen_status == "scheduled":
            return "The last attempt failed; retrying shortly."
        if self.gen_status == "finished":
            return f"Done: {plural(self.gen_created, 'new question')} added."
        return ""

    @rx.var
    def gen_percent(self) -> int:
        order = ["", "preparing", "generating", "saving", "done"]
        if self.gen_status == "finished":
            return 100
        if self.gen_status == "queued":
            return 5
        return 10 + 22 * order.index(self.gen_stage) if self.gen_stage in order else 10
