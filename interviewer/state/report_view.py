"""The interview report's per-question cards and score history, built from the stored report
(``interviews.ai_report`` and ``interview_scores``) for the page; pure functions, no database."""

from __future__ import annotations

import dataclasses
from typing import Any

from interviewer.state.assessment_view import PointRow, analysis_label, flag_notes, fmt_score, point_rows, rule_in_words

FORMULA_IN_WORDS = ("The weighted score averages the question scores (each out of 5) by question weight, on a "
                    "0-100 scale. An unanswered question counts 0; a question the interview never reached is "
                    "left out.")


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
    rule: str = ""  # the score's rule in words ('' for a report stored before per-point judgements)
    points: list[PointRow] = dataclasses.field(default_factory=list)
    has_quotes: bool = False  # per-point quotes exist (else the evidence list is shown)
    evidence: list[str] = dataclasses.field(default_factory=list)
    answer: list[Segment] = dataclasses.field(default_factory=list)
    follow_ups: list[str] = dataclasses.field(default_factory=list)
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
    return QuestionReport(
        number=int(item.get("number") or int(item.get("index", 0)) + 1), question=item.get("question", ""),
        weight=int(item.get("weight", 1)), status=status, score=fmt_score(score),
        score_pct=0 if score is None else round(float(score) / 5 * 100),
        rule=rule_in_words(rows, score) if per_point else "", points=rows,
        has_quotes=any(p.quotes for p in rows), evidence=evidence,
        answer=highlight(item.get("answer") or "", evidence, wrong),
        follow_ups=list(item.get("follow_ups") or []), notes=flag_notes(list(item.get("flags") or [])),
        review_reasons=list(item.get("review_reasons") or []),
        # the offline rationale restates the rule and the flags already shown; an AI's summary adds to them
        rationale="" if provider == "offline" else (item.get("rationale") or ""))


def history_rows(history: list[dict[str, Any]], current_version: int, fmt_when, name_of) -> list[HistoryRow]:
    """``history``: ``scoring.score_history`` (newest first); ``fmt_when(iso)`` and ``name_of(user_id)``
    format a date and a user for the page."""
    return [HistoryRow(version=int(h["version"]), score=int(h["score"]), verdict=h["verdict"] or "",
                       analysis=analysis_label(h.get("provider")),
                       model=model_label(h.get("provider") or "", h.get("model") or ""),
                       reason=h.get("reason") or "", by=name_of(h.get("requested_by")) if h.get("requested_by") else "",
                       at=fmt_when(h.get("created_at")), current=int(h["version"]) == current_version)
            for h in history]
