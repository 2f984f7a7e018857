"""The scoring benchmarks through the product's AI provider (``--provider offline|gemini``).

Without ``--provider`` the benchmarks call the offline judge directly, so that they can re-derive the
statuses from its supports with other thresholds. With it, every answer goes the way the scoring job
sends it: ``get_provider`` -> ``FairProvider`` (names, contacts and gendered words redacted before the
call, the provider's wire, quotes restored to the candidate's words), and the 0-5 score is derived
from the returned per-point judgement by the product's rule. That is how the Gemini path is measured
on the same data as the offline judge, once a key is at hand::

    GOOGLE_API_KEY=... .venv/bin/python bench/bench_rubric.py --provider gemini --rpm 10
    GOOGLE_API_KEY=... .venv/bin/python bench/bench_verdicts.py --provider gemini --sets 9,10,11,12,13

(``GEMINI_BASE_URL`` points the real client elsewhere, as the tests do with their fake server.)

Every judgement is appended to a cache file (JSON lines; ``--cache``, default
``bench/.cache/<provider>-<model>-<version>.jsonl``, not committed), keyed by the provider, model, the
prompt or scorer version and the exact texts, so an interrupted run resumes where it stopped and a
repeated run makes no call. A failed call (after the provider's own retries) stops the run with the
provider's message: a benchmark figure never mixes in a fallback to another provider.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from interviewer.services.ai.judgement import AnswerAssessment, PointAssessment
from interviewer.services.ai.provider import (
    AIConfig,
    AIResult,
    FairProvider,
    get_provider,
)
from interviewer.services.ai.redact import RedactionReport
from interviewer.services.scoring import scorer_version as version_of

CACHE_DIR = Path(__file__).resolve().parent / ".cache"
PROVIDERS = ("offline", "gemini")


def add_arguments(parser) -> None:
    """The benchmark options for scoring through a provider."""
    parser.add_argument("--provider", choices=PROVIDERS, default=None,
                        help="score through the product's provider path (redaction, wire, quote restoration); "
                             "gemini needs GOOGLE_API_KEY")
    parser.add_argument("--model", default=None, help="the provider's model (default: the product's)")
    parser.add_argument("--rpm", type=float, default=0.0,
                        help="at most this many provider calls a minute (0: no limit)")
    parser.add_argument("--cache", default=None, help="JSON-lines cache of judgements (default under bench/.cache)")


@dataclass
class Judged:
    """One answer judged by a provider, shaped as the benchmarks read the offline judge's result:
    ``score`` by the product's rule, ``flags``, and ``points`` with ``status`` and ``contradiction``."""

    assessment: AnswerAssessment
    seconds: float = 0.0

    @property
    def score(self) -> float:
        return self.assessment.score

    @property
    def flags(self) -> list[str]:
        return self.assessment.flags

    @property
    def points(self) -> list[PointAssessment]:
        return self.assessment.points


@dataclass
class CachedProvider:
    """``FairProvider.score_answer`` with a disk cache and a call pace; everything else passes through."""

    inner: FairProvider
    path: Path
    rpm: float = 0.0
    calls: int = 0
    hits: int = 0
    _entries: dict[str, dict] = field(default_factory=dict)
    _last_call: float = 0.0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        if self.path.exists():
            for line in self.path.read_text(encoding="utf-8").splitlines():
                if line.strip():
                    entry = json.loads(line)
                    self._entries[entry["key"]] = entry

    def __getattr__(self, name: str):
        return getattr(self.inner, name)

    def key(self, question: str, key_points: Sequence[str], answer: str, red_flags: Sequence[str],
            candidate_names: Sequence[str] = ()) -> str:
        blob = json.dumps([self.inner.name, self.inner.model, version_of(self.inner.name), question, list(key_points),
                           answer, list(red_flags), list(candidate_names)], ensure_ascii=False)
        return hashlib.sha256(blob.encode()).hexdigest()

    def score_answer(self, question: str, key_points: Sequence[str], answer_transcript: str, *,
                     candidate_names: Sequence[str] = (), red_flags: Sequence[str] = ()) -> AIResult[AnswerAssessment]:
        key = self.key(question, key_points, answer_transcript, red_flags, candidate_names)
        entry = self._entries.get(key)
        if entry is not None:
            self.hits += 1
            return AIResult(AnswerAssessment.model_validate(entry["assessment"]), entry["provider"], entry["model"],
                            RedactionReport.model_validate(entry["redaction"]), entry["duration_ms"])
        self._pace()
        out = self.inner.score_answer(question, key_points, answer_transcript, candidate_names=candidate_names,
                                      red_flags=red_flags)
        self.calls += 1
        entry = {"key": key, "provider": out.provider, "model": out.model, "duration_ms": out.duration_ms,
                 "redaction": out.redaction.model_dump(mode="json"),
                 "assessment": out.result.model_dump(mode="json", exclude=set(type(out.result).model_computed_fields))}
        with self._lock:
            self._entries[key] = entry
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.path.open("a", encoding="utf-8") as fh:
                fh.write(json.dumps(entry, ensure_ascii=False) + "\n")
        return out

    def judge(self, question: str, key_points: Sequence[str], answer: str, red_flags: Sequence[str] = ()) -> Judged:
        """``seconds``: how long the provider took (as measured when the call was made, for a cached one)."""
        out = self.score_answer(question, key_points, answer, red_flags=red_flags)
        return Judged(out.result, out.duration_ms / 1000)

    def _pace(self) -> None:
        if self.rpm <= 0:
            return
        wait = self._last_call + 60.0 / self.rpm - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        self._last_call = time.monotonic()

    def summary(self) -> str:
        return (f"provider {self.inner.name}, model {self.inner.model}, version {version_of(self.inner.name)}: "
                f"{self.calls} calls, {self.hits} answers from the cache ({self.path})")


def from_args(args, *, base_url: str | None = None) -> CachedProvider | None:
    """The provider the options ask for (None: the offline judge called directly)."""
    if args.provider is None:
        return None
    config = AIConfig(provider=args.provider, **({"model": args.model} if args.model else {}))
    inner = get_provider(config, base_url=base_url)
    name = f"{inner.name}-{inner.model}-{version_of(inner.name)}".replace("/", "_")
    path = Path(args.cache) if args.cache else CACHE_DIR / f"{name}.jsonl"
    return CachedProvider(inner, path, args.rpm)
