"""Gemini provider through the ``google-genai`` SDK (TRD 7.1).

Every call: temperature 0, JSON output bound to a pydantic schema (``prompts.py``), an explicit
per-call timeout, and thinking disabled on 2.5 Flash models (thinking tokens would otherwise eat
the output budget and truncate the JSON). Output budgets: 8000 tokens for ATS, 2048 for
questions and answer scoring, 512 for follow-ups and suggested wrong ideas.

Retries are ours, not the SDK's (its own are switched off with ``HttpRetryOptions(attempts=1)``):
at most ``RetryPolicy.max_attempts`` (3) attempts. After a failed attempt *n* that is not the
last, we sleep ``error_waits[n-1]`` (3 s, 6 s) for a server error (5xx, 408), timeout, connection
error or malformed answer, and ``rate_limit_waits[n-1]`` (5 s, 10 s) for 429. After the last
attempt there is no wait: ``AIProviderError`` (AI_502) is raised at once, so the third values of
the schedules (9 s, 15 s) apply only if ``max_attempts`` is raised to 4. Other 4xx answers (bad
key, unknown model, invalid request) are not retried. A malformed answer (no candidates, empty
text, unfinished answer, invalid JSON, schema mismatch, unusable content) is never returned
partially.
"""

from __future__ import annotations

import functools
import logging
import os
import re
import ssl
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

import pydantic
from google import genai
from google.genai import errors as genai_errors
from google.genai import types
from rapidfuzz import fuzz

from . import prompts
from .ats_offline import compute_overall_score
from .judgement import AnswerAssessment, PointAssessment
from .provider import DEFAULT_MODEL, AIProvider, AIProviderError, GeneratedQuestion
from .question_gen_offline import is_near_duplicate
from .schemas import SECTION_KEYS, ATSResult

log = logging.getLogger(__name__)
M = TypeVar("M", bound=pydantic.BaseModel)
R = TypeVar("R")


def _transient_exceptions() -> tuple[type[BaseException], ...]:
    found: list[type[BaseException]] = [TimeoutError, ConnectionError]
    for module in ("httpx", "httpx2"):
        try:
            mod = __import__(module)
        except ImportError:  # pragma: no cover - depends on the environment
            continue
        found += [mod.TimeoutException, mod.TransportError]
    return tuple(found)


TRANSIENT_ERRORS = _transient_exceptions()


@functools.cache
def _tls_context() -> ssl.SSLContext:
    """One TLS context per process, the one the SDK would build (``SSL_CERT_FILE`` or certifi's
    bundle, ``SSL_CERT_DIR``). Left to itself, ``genai.Client`` loads the CA bundle into new
    contexts on every construction (about 0.2 s of CPU), and a provider is built per AI call, e.g.
    each follow-up decision of a live interview. SSLContext objects are safe to share."""
    import certifi

    return ssl.create_default_context(cafile=os.environ.get("SSL_CERT_FILE", certifi.where()),
                                      capath=os.environ.get("SSL_CERT_DIR"))


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 3
    error_waits: tuple[float, ...] = (3.0, 6.0, 9.0)
    rate_limit_waits: tuple[float, ...] = (5.0, 10.0, 15.0)

    def wait(self, failure: str, attempt: int) -> float:
        waits = self.rate_limit_waits if failure == "rate_limit" else self.error_waits
        return waits[min(attempt, len(waits)) - 1]


@dataclass(frozen=True)
class CallSpec:
    max_output_tokens: int
    timeout_s: float


# Timeouts keep the worst case (3 attempts + waits) inside the job timeouts of TRD 8.2:
# ATS 3*50+15 = 165 s < 3 min; questions 3*75+15 = 240 s < 5 min.
DEFAULT_CALLS: dict[str, CallSpec] = {
    "questions": CallSpec(2048, 75.0),
    "ats": CallSpec(8000, 50.0),
    "score": CallSpec(2048, 25.0),
    "follow_up": CallSpec(512, 15.0),
    "red_flags": CallSpec(512, 15.0),
}


class _Malformed(Exception):
    """The model answered, but not with something usable."""


@dataclass
class GeminiProvider(AIProvider):
    api_key: str = field(repr=False)
    model: str = DEFAULT_MODEL
    base_url: str | None = None
    api_version: str = "v1beta"
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    calls: dict[str, CallSpec] = field(default_factory=lambda: dict(DEFAULT_CALLS))
    sleep: Callable[[float], None] = time.sleep
    name: str = field(default="gemini", init=False)

    def __post_init__(self) -> None:
        if not self.api_key:
            raise ValueError("GeminiProvider needs an API key")
        from interviewer.core.config import get_settings

        base_url = self.base_url or get_settings().GEMINI_BASE_URL or None
        tls = _tls_context()  # "verify": the httpx clients; "ssl": the SDK's websocket/aiohttp paths
        self._client = genai.Client(api_key=self.api_key, http_options=types.HttpOptions(
            base_url=base_url, api_version=self.api_version,
            retry_options=types.HttpRetryOptions(attempts=1),
            client_args={"verify": tls}, async_client_args={"verify": tls, "ssl": tls}))

    def close(self) -> None:
        self._client.close()

    # ------------------------------------------------------------------------------ core
    def _config(self, call: str, system: str, schema: type[pydantic.BaseModel]) -> types.GenerateContentConfig:
        spec = self.calls[call]
        thinking = types.ThinkingConfig(thinking_budget=0) if re.search(r"2\.5-flash", self.model) else None
        return types.GenerateContentConfig(
            system_instruction=system, temperature=0.0, candidate_count=1,
            max_output_tokens=spec.max_output_tokens, response_mime_type="application/json",
            response_schema=schema, thinking_config=thinking,
            http_options=types.HttpOptions(timeout=int(spec.timeout_s * 1000)))

    def _generate(self, call: str, system: str, prompt: str, schema: type[M], convert: Callable[[M], R]) -> R:
        config = self._config(call, system, schema)
        problem = "no attempt made"
        for attempt in range(1, self.retry.max_attempts + 1):
            try:
                response = self._client.models.generate_content(model=self.model, contents=prompt, config=config)
                return convert(_parse(response, schema))
            except _Malformed as exc:
                failure, problem = "malformed", f"malformed answer: {exc}"
            except genai_errors.APIError as exc:
                status = exc.code or 0
                if status == 429:
                    failure = "rate_limit"
                elif status >= 500 or status == 408:
                    failure = "server"
                else:
                    raise AIProviderError(f"Gemini rejected the {call} request ({status} {exc.status}).",
                                          extra={"upstream_status": status, "attempts": attempt}) from exc
                problem = f"HTTP {status} {exc.status or ''}".strip()
            except TRANSIENT_ERRORS as exc:
                failure, problem = "network", f"{type(exc).__name__}: {exc}"
            log.warning("gemini %s attempt %d/%d failed: %s", call, attempt, self.retry.max_attempts, problem)
            if attempt < self.retry.max_attempts:
                self.sleep(self.retry.wait("rate_limit" if failure == "rate_limit" else "error", attempt))
        raise AIProviderError(f"Gemini {call} failed after {self.retry.max_attempts} attempts; last error: {problem}",
                              extra={"attempts": self.retry.max_attempts, "last_error": problem})

    # ------------------------------------------------------------------------------ interface
    def generate_questions(self, job_title: str, job_description: str, skills_hint: Sequence[str] | None,
                           existing_questions: list[str], count: int,
                           custom_prompt: str | None) -> list[GeneratedQuestion]:
        system, prompt = prompts.questions_prompt(job_title, job_description, list(skills_hint or []),
                                                  existing_questions, count, custom_prompt)

        def convert(batch: prompts.QuestionBatch) -> list[GeneratedQuestion]:
            kept: list[GeneratedQuestion] = []
            for wire in batch.questions:
                q = GeneratedQuestion(**wire.model_dump())
                others = [*existing_questions, *(k.text for k in kept)]
                if not any(is_near_duplicate(q.text, other) for other in others):
                    kept.append(q)
            if not kept:
                raise _Malformed("no usable (non-duplicate) questions")
            return kept[:count]

        return self._generate("questions", system, prompt, prompts.QuestionBatch, convert)

    def analyze_resume(self, resume_text: str, job_description: str | None) -> ATSResult:
        system, prompt = prompts.ats_prompt(resume_text, job_description)

        def convert(wire: prompts.ATSWire) -> ATSResult:
            data = wire.model_dump()
            sections = {k: data["section_scores"][k]["score"] for k in SECTION_KEYS}
            data["score"] = compute_overall_score(sections, len(data["formatting_issues"]))
            try:
                return ATSResult.model_validate(data)
            except pydantic.ValidationError as exc:
                raise _Malformed(f"ATS result invalid: {exc.errors()[0]['msg']}") from exc

        return self._generate("ats", system, prompt, prompts.ATSWire, convert)

    def score_answer(self, question: str, key_points: list[str], answer_transcript: str,
                     red_flags: Sequence[str] = ()) -> AnswerAssessment:
        system, prompt = prompts.scoring_prompt(question, key_points, answer_transcript, red_flags)

        def convert(wire: prompts.AssessmentWire) -> AnswerAssessment:
            return judgement_from_wire(wire, key_points, answer_transcript)

        return self._generate("score", system, prompt, prompts.AssessmentWire, convert)

    def suggest_red_flags(self, question: str, key_points: list[str]) -> list[str]:
        system, prompt = prompts.red_flags_prompt(question, key_points)

        def convert(wire: prompts.RedFlagsWire) -> list[str]:
            seen = {kp.strip().lower() for kp in key_points}
            ideas = [" ".join(x.split())[:300] for x in wire.red_flags]
            return list(dict.fromkeys(x for x in ideas if x and x.lower() not in seen))[:10]

        return self._generate("red_flags", system, prompt, prompts.RedFlagsWire, convert)

    def follow_up(self, question: str, key_points: list[str], answer: str,
                  red_flags: Sequence[str] = ()) -> str | None:
        system, prompt = prompts.follow_up_prompt(question, key_points, answer, red_flags)

        def convert(wire: prompts.FollowUpWire) -> str | None:
            text = " ".join(wire.question.split())
            if not wire.ask or not text:
                return None
            if not any(_same_point(kp, wire.target_point) for kp in key_points):
                return None  # a follow-up must be about one of the question's key points
            return text if text.endswith("?") else text.rstrip(".") + "?"

        return self._generate("follow_up", system, prompt, prompts.FollowUpWire, convert)


def judgement_from_wire(wire: prompts.AssessmentWire, key_points: list[str], answer: str) -> AnswerAssessment:
    """The model's per-point judgements, checked: every key point judged exactly once (in the
    rubric's order; a point the model skipped is missed), quotes kept only when they are in the
    answer verbatim. The score is derived by ``judgement.py``, never taken from the model."""
    by_point = _match_points(wire.points, key_points)
    dropped = False
    points = []
    for kp in key_points:
        item = by_point.get(kp)
        if item is None:
            points.append(PointAssessment(point=kp, status="missed", note="Not judged by the model."))
            continue
        quotes = [q for q in (verbatim(answer, x) for x in item.quotes) if q]
        dropped |= len(quotes) < len([x for x in item.quotes if x.strip()])
        points.append(PointAssessment(point=kp, status=item.status, quotes=list(dict.fromkeys(quotes)),
                                      contradiction=(item.reason.strip() or "contradicts the key point")
                                      if item.contradicts else None, note=item.reason.strip()))
    flags = list(dict.fromkeys(wire.flags)) + (["unverified_quotes_dropped"] if dropped else [])
    return AnswerAssessment(points=points, flags=flags, rationale=wire.rationale.strip())


def _match_points(items: Sequence[prompts.PointWire], key_points: list[str]) -> dict[str, prompts.PointWire]:
    """Each key point's judgement: exact (case/space-insensitive) matches first, then for the rest the
    most similar key point still free. Key points such as "Read committed" and "Read uncommitted" are
    alike enough for the fuzzy test, so first-come fuzzy matching would swap them when the model
    reorders its answer. An item matching no key point is ignored; one item per key point."""
    by_point: dict[str, prompts.PointWire] = {}
    pending = []
    for item in items:
        named = [kp for kp in key_points if _norm(kp) == _norm(item.point)]
        free = [kp for kp in named if kp not in by_point]
        if free:
            by_point[free[0]] = item
        elif not named:
            pending.append(item)  # a repeat of a point already judged is dropped, never moved to a neighbour
    pairs = sorted(((fuzz.ratio(_norm(kp), _norm(item.point)), -i, -k, kp, i)
                    for i, item in enumerate(pending) for k, kp in enumerate(key_points)
                    if kp not in by_point and _same_point(kp, item.point)), reverse=True)
    taken: set[int] = set()
    for _ratio, _, _, kp, i in pairs:  # the most similar pairs first; ties: earlier item, earlier point
        if kp not in by_point and i not in taken:
            by_point[kp] = pending[i]
            taken.add(i)
    return by_point


# ---------------------------------------------------------------------------------- helpers
def _parse(response: types.GenerateContentResponse, schema: type[M]) -> M:
    candidates = response.candidates or []
    if not candidates:
        feedback = response.prompt_feedback
        reason = getattr(getattr(feedback, "block_reason", None), "value", None)
        raise _Malformed("no candidates" + (f" (prompt blocked: {reason})" if reason else ""))
    candidate = candidates[0]
    finish = getattr(candidate.finish_reason, "value", candidate.finish_reason)
    parts = candidate.content.parts if candidate.content and candidate.content.parts else []
    text = "".join(p.text for p in parts if p.text and not p.thought)
    if not text.strip():
        raise _Malformed(f"empty answer (finish reason {finish})")
    if finish not in (None, "STOP"):
        raise _Malformed(f"answer not finished (finish reason {finish})")
    try:
        return schema.model_validate_json(text)
    except pydantic.ValidationError as exc:
        first: dict[str, Any] = exc.errors()[0]
        where = ".".join(str(x) for x in first.get("loc", ())) or "answer"
        raise _Malformed(f"not valid {schema.__name__} JSON ({exc.error_count()} error(s); {where}: "
                         f"{first.get('msg')})") from exc


def _norm(point: str) -> str:
    return " ".join(point.lower().split())


def _same_point(key_point: str, claimed: str) -> bool:
    a, b = _norm(key_point), _norm(claimed)
    return a == b or fuzz.ratio(a, b) >= 85


def verbatim(answer: str, quote: str) -> str | None:
    """``quote`` as it appears in ``answer`` (whitespace and quote marks tolerated), else None."""
    quote = quote.strip().strip("\"'“”‘’").strip()
    if not quote:
        return None
    if quote in answer:
        return quote
    words = quote.split()
    match = re.search(r"\s+".join(re.escape(w) for w in words), answer, re.IGNORECASE)
    return match.group(0) if match else None
