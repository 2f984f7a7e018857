"""The AI provider interface, its result types, the company AI configuration and the factory.

Callers (jobs, services) use :func:`get_provider`, which returns a :class:`FairProvider`: it
redacts every text (``redact.py``) before the inner provider (Gemini or offline) sees it, maps
evidence quotes back to the candidate's verbatim words, and returns an :class:`AIResult`
envelope carrying the result, the provider name/model (label "offline" results in the UI) and
the redaction report.
"""

from __future__ import annotations

import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, is_dataclass
from typing import Any, Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator, model_validator

from interviewer.core.errors import DomainError

from .judgement import AnswerAssessment
from .redact import Redaction, RedactionReport, redact_detailed
from .schemas import ATSResult

DEFAULT_MODEL = "gemini-2.5-flash"
Kind = Literal["theory", "practice"]
Difficulty = Literal["intermediate", "advanced"]


class AIProviderError(DomainError):
    """The AI provider failed (after retries) or answered something unusable: HTTP 502."""

    status_code = 502
    code = "AI_502"


class AIConfigError(DomainError):
    """The company's AI configuration cannot be used (e.g. Gemini chosen but no key anywhere)."""

    status_code = 503
    code = "AI_503"


# ---------------------------------------------------------------------------------- results
class GeneratedQuestion(BaseModel):
    text: str = Field(min_length=5, max_length=2000)
    key_points: list[str] = Field(min_length=3, max_length=6)
    kind: Kind
    difficulty: Difficulty
    topic: str = Field(min_length=1, max_length=120)
    # common wrong ideas about the key points, as a candidate would state them (questions.red_flags): the
    # offline bank has them; Gemini is not asked for them (the spec's 2048-token budget for a batch)
    red_flags: list[str] = Field(default_factory=list, max_length=10)


T = TypeVar("T")


@dataclass(frozen=True)
class AIResult(Generic[T]):
    """What :class:`FairProvider` returns: the result plus provenance and what was redacted."""

    result: T
    provider: str
    model: str
    redaction: RedactionReport
    duration_ms: int
    fallback_reason: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (for ``ai_report`` columns)."""
        def dump(value: Any) -> Any:
            if isinstance(value, BaseModel):
                return value.model_dump(mode="json")
            if isinstance(value, list):
                return [dump(v) for v in value]
            return asdict(value) if is_dataclass(value) else value
        return {"result": dump(self.result), "provider": self.provider, "model": self.model,
                "redaction": self.redaction.model_dump(), "duration_ms": self.duration_ms,
                "fallback_reason": self.fallback_reason}


# ---------------------------------------------------------------------------------- config
class AIThresholds(BaseModel):
    """Verdict thresholds on the 0-100 interview score: >= pass -> PASS, >= review -> REVIEW."""

    model_config = ConfigDict(populate_by_name=True, extra="forbid")

    pass_: int = Field(default=70, alias="pass", ge=0, le=100)
    review: int = Field(default=50, ge=0, le=100)

    @model_validator(mode="after")
    def _ordered(self) -> AIThresholds:
        if not 0 <= self.review < self.pass_ <= 100:
            raise ValueError("thresholds must satisfy 0 <= review < pass <= 100")
        return self

    def verdict(self, score: float) -> Literal["PASS", "REVIEW", "FAIL"]:
        return "PASS" if score >= self.pass_ else "REVIEW" if score >= self.review else "FAIL"


class AIConfig(BaseModel):
    """A company's AI settings, stored as ``companies.settings["ai"]``."""

    model_config = ConfigDict(extra="forbid")

    provider: Literal["auto", "gemini", "offline"] = "auto"
    model: str = Field(default=DEFAULT_MODEL, min_length=1, max_length=100, pattern=r"^[a-z0-9][a-z0-9.\-]*$")
    api_key: SecretStr | None = None
    custom_prompt: str | None = Field(default=None, max_length=4000)
    thresholds: AIThresholds = Field(default_factory=AIThresholds)
    fallback_to_offline: bool = True  # "auto" only: use the offline provider when Gemini fails

    @model_validator(mode="before")
    @classmethod
    def _decrypt_stored_key(cls, data: Any) -> Any:
        """Stored configs hold the key encrypted (``api_key_enc``); plaintext ones from older
        versions are still read."""
        if isinstance(data, dict) and "api_key_enc" in data:
            from interviewer.core.crypto import SecretDecryptError, open_secrets

            try:
                data = open_secrets(data)
            except SecretDecryptError as exc:
                raise AIConfigError(str(exc)) from exc
        return data

    @field_validator("api_key", "custom_prompt", mode="before")
    @classmethod
    def _blank_is_none(cls, value: Any) -> Any:
        return None if isinstance(value, str) and not value.strip() else value

    def public_dict(self) -> dict[str, Any]:
        """For UIs and APIs: everything but the key itself."""
        data = self.model_dump(by_alias=True, exclude={"api_key"})
        data["api_key_set"] = self.api_key is not None
        return data


# ---------------------------------------------------------------------------------- interface
class AIProvider(ABC):
    name: str
    model: str

    @abstractmethod
    def generate_questions(self, job_title: str, job_description: str, skills_hint: Sequence[str] | None,
                           existing_questions: list[str], count: int,
                           custom_prompt: str | None) -> list[GeneratedQuestion]: ...

    @abstractmethod
    def analyze_resume(self, resume_text: str, job_description: str | None) -> ATSResult: ...

    @abstractmethod
    def score_answer(self, question: str, key_points: list[str], answer_transcript: str,
                     red_flags: Sequence[str] = ()) -> AnswerAssessment:
        """``red_flags``: wrong ideas HR listed for the question (an answer that states one contradicts the
        key point it is about)."""

    @abstractmethod
    def follow_up(self, question: str, key_points: list[str], answer: str,
                  red_flags: Sequence[str] = ()) -> str | None: ...

    def suggest_red_flags(self, question: str, key_points: list[str]) -> list[str]:
        """Common wrong ideas about the question's key points, for HR to edit into the question's list
        (``questions.red_flags``); [] when the provider knows none."""
        return []

    def close(self) -> None:  # noqa: B027 - optional hook: release network clients
        """Release resources (HTTP connection pools); the provider is unusable afterwards."""


class FairProvider:
    """Redacts every input, calls ``inner`` (or ``fallback`` when ``inner`` fails), wraps the result."""

    def __init__(self, inner: AIProvider, *, fallback: AIProvider | None = None, default_prompt: str | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.inner, self.fallback, self._clock = inner, fallback, clock
        self.default_prompt = default_prompt  # the company's custom prompt, added to every generation

    def close(self) -> None:
        self.inner.close()
        if self.fallback is not None:
            self.fallback.close()

    def __enter__(self) -> FairProvider:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def name(self) -> str:
        return self.inner.name

    @property
    def model(self) -> str:
        return self.inner.model

    def _run(self, call: Callable[[AIProvider], T], report: RedactionReport) -> AIResult[T]:
        start = self._clock()
        provider, reason = self.inner, None
        try:
            result = call(self.inner)
        except AIProviderError as exc:
            if self.fallback is None:
                raise
            provider, reason = self.fallback, f"{self.inner.name} failed: {exc.message}"
            result = call(self.fallback)
        ms = max(0, int((self._clock() - start) * 1000))
        return AIResult(result, provider.name, provider.model, report, ms, reason)

    def generate_questions(self, job_title: str, job_description: str, skills_hint: Sequence[str] | None = None,
                           existing_questions: Sequence[str] = (), count: int = 5,
                           custom_prompt: str | None = None) -> AIResult[list[GeneratedQuestion]]:
        combined = "\n".join(p for p in (self.default_prompt, custom_prompt) if p and p.strip())
        jd, prompt = redact_detailed(job_description or ""), redact_detailed(combined)
        return self._run(lambda p: p.generate_questions(job_title, jd.text, list(skills_hint or []),
                                                        list(existing_questions), count, prompt.text or None),
                         jd.report.merged(prompt.report))

    def analyze_resume(self, resume_text: str, job_description: str | None = None, *,
                       candidate_names: Sequence[str] = ()) -> AIResult[ATSResult]:
        resume = redact_detailed(resume_text or "", known_names=candidate_names, style="synthetic", resume=True)
        jd = redact_detailed(job_description) if job_description else None
        return self._run(lambda p: p.analyze_resume(resume.text, jd.text if jd else None),
                         resume.report.merged(*([jd.report] if jd else [])))

    def score_answer(self, question: str, key_points: Sequence[str], answer_transcript: str, *,
                     candidate_names: Sequence[str] = (), red_flags: Sequence[str] = ()) -> AIResult[AnswerAssessment]:
        q, points, answer = self._redact_turn(question, key_points, answer_transcript, candidate_names)
        flags = [redact_detailed(f, known_names=candidate_names).text for f in red_flags if f and f.strip()]
        out = self._run(lambda p: p.score_answer(q.text, [kp.text for kp in points], answer.text, flags),
                        q.report.merged(answer.report, *(kp.report for kp in points)))
        return AIResult(restore_assessment(out.result, points, key_points, answer), out.provider, out.model,
                        out.redaction, out.duration_ms, out.fallback_reason)

    def follow_up(self, question: str, key_points: Sequence[str], answer: str, *,
                  candidate_names: Sequence[str] = (), red_flags: Sequence[str] = ()) -> AIResult[str | None]:
        q, points, ans = self._redact_turn(question, key_points, answer, candidate_names)
        flags = [redact_detailed(f, known_names=candidate_names).text for f in red_flags if f and f.strip()]
        return self._run(lambda p: p.follow_up(q.text, [kp.text for kp in points], ans.text, flags),
                         q.report.merged(ans.report, *(kp.report for kp in points)))

    def suggest_red_flags(self, question: str, key_points: Sequence[str]) -> AIResult[list[str]]:
        q = redact_detailed(question or "")
        points = [redact_detailed(kp) for kp in key_points]
        return self._run(lambda p: p.suggest_red_flags(q.text, [kp.text for kp in points]),
                         q.report.merged(*(kp.report for kp in points)))

    @staticmethod
    def _redact_turn(question: str, key_points: Sequence[str], answer: str,
                     names: Sequence[str]) -> tuple[Redaction, list[Redaction], Redaction]:
        return (redact_detailed(question or "", known_names=names),
                [redact_detailed(kp, known_names=names) for kp in key_points],
                redact_detailed(answer or "", known_names=names))


def restore_assessment(result: AnswerAssessment, redacted_points: Sequence[Redaction], key_points: Sequence[str],
                       answer: Redaction) -> AnswerAssessment:
    """Map a judgement of the redacted texts back to the originals: key points by position, quotes
    to the candidate's verbatim words. A quote that is not in the answer is dropped, and a point
    left (partly) covered without any quote is reported by ``unsupported_points``."""
    back = {kp.text: original for kp, original in zip(redacted_points, key_points, strict=True)}
    dropped = False
    points = []
    for p in result.points:
        quotes = []
        for quote in p.quotes:
            original = answer.restore(quote)
            if original and original in answer.original:
                quotes.append(original)
            else:
                dropped = True
        points.append(p.model_copy(update={"point": back.get(p.point, p.point), "quotes": list(dict.fromkeys(quotes))}))
    flags = list(result.flags) + (["unverified_quotes_dropped"] if dropped else [])
    return AnswerAssessment(points=points, flags=list(dict.fromkeys(flags)), rationale=result.rationale)


# ---------------------------------------------------------------------------------- factory
def load_ai_config(company_ai_config: dict[str, Any] | AIConfig | None) -> AIConfig:
    if isinstance(company_ai_config, AIConfig):
        return company_ai_config
    return AIConfig.model_validate(company_ai_config or {})


def get_provider(company_ai_config: dict[str, Any] | AIConfig | None = None, *, base_url: str | None = None,
                 sleep: Callable[[float], None] | None = None) -> FairProvider:
    """The provider for a company: Gemini when a key is configured (company key, else
    ``GOOGLE_API_KEY`` / ``AI_SERVICE_API_KEY``) and the provider is "auto" or "gemini";
    otherwise offline. "auto" falls back to offline when Gemini fails (``fallback_to_offline``)."""
    from interviewer.core.config import get_settings

    from .offline_provider import OfflineProvider

    config = load_ai_config(company_ai_config)
    key = config.api_key.get_secret_value() if config.api_key else get_settings().gemini_key
    if config.provider == "offline" or (config.provider == "auto" and not key):
        return FairProvider(OfflineProvider(), default_prompt=config.custom_prompt)
    if not key:
        raise AIConfigError("Gemini is selected but no API key is configured for the company or the server.")
    from .gemini import GeminiProvider

    gemini = GeminiProvider(api_key=key, model=config.model, base_url=base_url,
                            **({"sleep": sleep} if sleep else {}))
    fallback = OfflineProvider() if config.provider == "auto" and config.fallback_to_offline else None
    return FairProvider(gemini, fallback=fallback, default_prompt=config.custom_prompt)
