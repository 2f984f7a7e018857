"""The interview report's per-question cards and score history, built from the stored report
(``interviews.ai_report`` and ``interview_scores``) for the page; pure functions, no database."""

from __future__ import annotations

import dataclasses
import re
from typing import Any

from interviewer.core.wording import plural
from interviewer.services.ai.judgement import doubt_subject
from interviewer.state.assessment_view import NOT_JUDGED_RULE, NOT_JUDGED_SCORE, fmt_score, not_judged, shown_score
from interviewer.state.assessment_view import PointRow, analysis_label, flag_notes, point_rows, rule_in_words

FORMULA_IN_WORDS = ("The weighted score averages the question scores (each out of 5) by question weight, on a "
                    "0-100 scale. An unanswered question counts 0; a question the interview never reached, and "
                    "an answer left to a person (not judged), are left out.")


@dataclasses.dataclass
class Segment:
    text: str = ""
    hit: bool = False  # a quote that supports a covered or partly covered key point
    wrong: bool = False  # a quote that contradicts a key point


@dataclasses.dataclass
class QuestionReport:
    number: int = 0
    question: str = ""
    weight: int = 1
    status: str = ""  # answered | not answered | not asked
    score: str = ""
    score_pct: int = 0
    rule: str = ""  # which key points were covered, in words ('' for a report stored before per-point judgements)
    rule_math: str = ""  # the arithmetic behind the score ('5 × 2 / 3 = 3.3'), shown on demand
    points: list[PointRow] = dataclasses.field(default_factory=list)
    has_quotes: bool = False  # per-point quotes exist (else the evidence list is shown)
    evidence: list[str] = dataclasses.field(default_factory=list)
    answer: list[Segment] = dataclasses.field(default_factory=list)
    follow_ups: list[str] = dataclasses.field(default_factory=list)
    red_flags: list[str] = dataclasses.field(default_factory=list)  # the wrong ideas it was judged with
    notes: list[str] = dataclasses.field(default_factory=list)
    review_reasons: list[str] = dataclasses.field(default_factory=list)
    rationale: str = ""


@dataclasses.dataclass
class HistoryRow:
    version: int = 0
    score: int = 0
    verdict: str = ""
    analysis: str = ""
    model: str = ""
    scorer_version: str = ""
    reason: str = ""
    by: str = ""
    at: str = ""
    current: bool = False


def highlight(text: str, quotes: list[str], wrong: list[str] | tuple[str, ...] = ()) -> list[Segment]:
    """``text`` split into plain and quoted parts (quotes are verbatim substrings); a part quoted as
    contradicting a key point is marked ``wrong``."""
    spans: list[tuple[int, int, bool]] = []
    lower = text.lower()
    for quote, is_wrong in [*((q, False) for q in quotes), *((q, True) for q in wrong)]:
        needle = quote.strip().lower()
        start = lower.find(needle) if needle else -1
        if start >= 0:
            spans.append((start, start + len(needle), is_wrong))
    spans.sort()
    parts, cursor = [], 0
    for start, end, is_wrong in spans:
        start = max(start, cursor)
        if end <= start:
            continue
        if start > cursor:
            parts.append(Segment(text[cursor:start]))
        parts.append(Segment(text[start:end], hit=not is_wrong, wrong=is_wrong))
        cursor = end
    if cursor < len(text):
        parts.append(Segment(text[cursor:]))
    return parts


def model_label(provider: str, model: str) -> str:
    """The model as a recruiter needs it: the offline scorer has no model worth naming."""
    return "built-in" if provider == "offline" or model == provider else model


def question_report(item: dict[str, Any], report_provider: str = "") -> QuestionReport:
    score = item.get("score")
    status = item.get("status", "")
    rows = point_rows(item) if status == "answered" else []
    per_point = bool(item.get("points"))
    evidence = list(item.get("evidence") or [])
    wrong = [q for p in rows if p.status == "contradicted" for q in p.quotes]
    provider = item.get("provider") or report_provider
    words, _, math = (rule_in_words(rows, score) if per_point else "").partition(": ")
    answer = item.get("answer") or ""
    flags = item.get("flags") if status == "answered" else None
    unjudged = not_judged(flags)
    shown, pct = shown_score(score, flags)
    return QuestionReport(
        number=int(item.get("number") or int(item.get("index", 0)) + 1), question=item.get("question", ""),
        weight=int(item.get("weight", 1)), status=status, score=shown, score_pct=pct,
        rule=NOT_JUDGED_RULE if unjudged else f"Key points: {words}" if words else "",
        rule_math="" if unjudged else math, points=rows,
        has_quotes=any(p.quotes for p in rows),
        evidence=[q for q in evidence if not _whole(q, answer)] or evidence[:1],
        answer=highlight(answer, evidence, wrong),
        follow_ups=list(item.get("follow_ups") or []),
        red_flags=list(item.get("red_flags") or []) if status == "answered" else [],
        notes=flag_notes(list(item.get("flags") or [])) + doubt_notes(item),
        review_reasons=list(item.get("review_reasons") or []),
        # the offline rationale restates the rule and the flags already shown; an AI's summary adds to them
        rationale="" if provider == "offline" else (item.get("rationale") or ""))


def doubt_notes(item: dict[str, Any]) -> list[str]:
    """How far the question's score rests on readings the offline analysis doubts ([] without any)."""
    doubted = item.get("score_if_doubts")
    doubts = [p["doubt"] for p in item.get("points") or [] if p.get("doubt")]
    n = len(doubts)
    if not doubted or not n:
        return []
    rests = "rests" if n == 1 else "rest"
    return [f"{plural(n, 'key point')} {rests} on a doubtful reading of {doubt_subject(doubts)}: "
            f"read as contradicted the question would score {fmt_score(doubted['contradicted'])}, "
            f"read as covered {fmt_score(doubted['covered'])}."]


def score_scope(questions: list[QuestionReport]) -> str:
    """Which answers the weighted score leaves out because nobody judged them ("without question 2,
    not judged"; '' when it covers every answer)."""
    numbers = [q.number for q in questions if q.status == "answered" and q.score == NOT_JUDGED_SCORE]
    if not numbers:
        return ""
    listed = ", ".join(str(n) for n in numbers[:-1]) + (" and " if len(numbers) > 1 else "") + str(numbers[-1])
    return f"without {'questions' if len(numbers) > 1 else 'question'} {listed}, not judged"


def history_rows(history: list[dict[str, Any]], current_version: int, fmt_when, name_of) -> list[HistoryRow]:
    """``history``: ``scoring.score_history`` (newest first); ``fmt_when(iso)`` and ``name_of(user_id)``
    format a date and a user for the page."""
    return [HistoryRow(version=int(h["version"]), score=int(h["score"]), verdict=h["verdict"] or "",
                       analysis=analysis_label(h.get("provider")),
                       model=model_label(h.get("provider") or "", h.get("model") or ""),
                       scorer_version=h.get("scorer_version") or "",
                       reason=h.get("reason") or "", by=name_of(h.get("requested_by")) if h.get("requested_by") else "",
                       at=fmt_when(h.get("created_at")), current=int(h["version"]) == current_version)
            for h in history]


def _whole(quote: str, answer: str) -> bool:
    """A "quote" that is (nearly) the whole answer adds nothing to the answer shown beside it."""
    quote, answer = " ".join(quote.split()).lower(), " ".join(answer.split()).lower()
    return bool(answer) and len(quote) >= 0.9 * len(answer)


def time_spent(seconds: int | None) -> str:
    """The time the candidate spent, as a person says it: '45 s', '1 min 30 s', '15 min', '1 h 5 min'
    ('' when unknown)."""
    if seconds is None:
        return ""
    seconds = max(0, int(seconds))
    if seconds < 60:
        return f"{seconds} s"
    if seconds < 600:
        minutes, rest = divmod(seconds, 60)
        return f"{minutes} min" + (f" {rest} s" if rest else "")
    minutes = round(seconds / 60)
    if minutes < 60:
        return f"{minutes} min"
    hours, rest = divmod(minutes, 60)
    return f"{hours} h" + (f" {rest} min" if rest else "")


_LEGACY_CONFIDENCE = re.compile(r"^low speech-to-text confidence \((0?\.\d+|1(\.0+)?)\)$")


def gate_reason(text: str) -> str:
    """A quality-gate reason as a sentence (reports stored before the wording change included)."""
    text = (text or "").strip()
    legacy = _LEGACY_CONFIDENCE.match(text)
    if legacy:
        text = (f"unclear audio: the speech-to-text was on average only {float(legacy.group(1)):.0%} sure of the "
                "words it wrote down")
    return text[:1].upper() + text[1:] if text else ""


def signal_detail(detail: dict[str, Any] | None) -> str:
    """An integrity signal's details in words: questions numbered from 1, lengths in seconds."""
    parts = []
    for key, value in (detail or {}).items():
        if value is None or value == "" or key == "truncated":
            continue
        if key == "question_index" and isinstance(value, int):
            parts.append(f"during question {value + 1}")
        elif key == "chars" and isinstance(value, int):
            parts.append(plural(value, "character"))
        elif key == "seconds" and isinstance(value, (int, float)):
            parts.append(f"{value:.0f} s")
        elif key.endswith("_ms") and isinstance(value, (int, float)):
            parts.append(f"{key[:-3].replace('_', ' ')} {value / 1000:.0f} s")
        elif key == "reason":
            parts.append({"chosen": "chosen by the candidate"}.get(str(value), str(value).replace("_", " ")))
        else:
            parts.append(f"{key.replace('_', ' ')}: {value}")
    return " · ".join(parts)


def verdict_why(score: int, verdict: str, pass_mark: int, review_mark: int, gated: bool) -> str:
    """Why the AI gave its verdict, in one sentence."""
    if score < 0 or not verdict:
        return ""
    if gated:
        return "The AI did not decide: the interview needs a person to look at it (reasons below)."
    if verdict == "PASS":
        return f"The score {score} reaches the pass mark of {pass_mark}."
    if verdict == "FAIL":
        return f"The score {score} is below the review mark of {review_mark}."
    return (f"The score {score} is between the review mark ({review_mark}) and the pass mark ({pass_mark}): "
            "a person decides.")
