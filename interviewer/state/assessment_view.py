"""Plain-language views of an answer's assessment, shared by the job editor's "Try an answer"
dialog and the interview report: one row per key point (status, deciding quotes, note), the
question's score with the rule written out, flags as sentences and the analysis label.

Pure functions over the dicts the services return (``rubric_playground.try_answer`` and the
per-question items of ``interviews.ai_report``); nothing here talks to the database."""

from __future__ import annotations

import dataclasses
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from interviewer.services.ai.judgement import NOT_JUDGED_FLAGS

STATUS_LABELS = {"covered": "Covered", "partial": "Partly covered", "missed": "Missed",
                 "contradicted": "Contradicted"}
FLAG_NOTES = {
    "keyword_list": "Lists terms without stating anything about them; a bare list does not count as an explanation.",
    "echo": "Part of the answer only repeats the question.",
    "off_topic": "The answer does not address this question.",
    "contradiction": "The answer states something that contradicts a key point; that costs half a point.",
    "not_answered": "No real answer was given.",
    "not_english": "The answer is not in English. The offline analysis reads English only, so it did not judge "
                   "it: read the answer yourself (an AI provider can judge other languages).",
    "story": "The answer tells a story from the candidate's own experience. The offline analysis cannot tell "
             "which part of a story meets which key point, so it did not judge it and left it out of the total: "
             "read the story yourself (an AI provider can judge stories).",
    "no_story": "The question asks for an example from the candidate's own experience, and the answer tells "
                "none: general statements, or the key points said back, meet no key point.",
    "evidence_missing": "A key point was judged covered without a quote from the answer: check it yourself.",
    "no_key_points": "The question had no key points, so the answer was not judged: decide for yourself.",
    "prompt_injection": "The answer tried to give instructions to the AI scorer; they were ignored.",
    "unverified_quotes_dropped": "Some quotes the AI gave were not found word for word in the answer and were "
                                 "left out.",
}

# The offline scorer's terse contradiction reasons, as a recruiter would say them.
CONTRADICTION_WORDS = {"negates it": "The answer says the opposite of this point.",
                       "attributes it to another topic": "The answer ties this to a different topic."}


@dataclasses.dataclass
class PointRow:
    """One key point as a recruiter reads it."""

    point: str = ""
    status: str = ""  # covered | partial | missed | contradicted
    label: str = ""  # Covered | Partly covered | Missed | Contradicted
    quotes: list[str] = dataclasses.field(default_factory=list)
    note: str = ""


def fmt_score(value: float | None) -> str:
    """A 0-5 score with at most one decimal: 3.33 -> '3.3', 5.0 -> '5'."""
    if value is None:
        return ""
    text = str(Decimal(str(float(value))).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))
    return text.removesuffix(".0")


def _sentence(text: str) -> str:
    text = text.strip()
    if not text:
        return ""
    text = text[0].upper() + text[1:]
    return text if text[-1] in ".!?" else text + "."


def point_row(item: dict[str, Any]) -> PointRow:
    """``item``: a PointAssessment dump (point, status, quotes, contradiction, note)."""
    contradiction = (item.get("contradiction") or "").strip()
    status = "contradicted" if contradiction else str(item.get("status") or "missed")
    note = (item.get("note") or "").strip()
    if contradiction.lower() in CONTRADICTION_WORDS:
        note = CONTRADICTION_WORDS[contradiction.lower()]
    elif contradiction and contradiction.lower() not in note.lower():
        reason = contradiction if contradiction[0].isupper() else "The answer " + contradiction
        note = " ".join(x for x in (_sentence(reason), _sentence(note)) if x)
    return PointRow(point=str(item.get("point") or ""), status=status,
                    label=STATUS_LABELS.get(status, status.replace("_", " ").capitalize()),
                    quotes=[q for q in item.get("quotes") or [] if q and q.strip()], note=_sentence(note))


def point_rows(item: dict[str, Any]) -> list[PointRow]:
    """The per-point rows of an assessment; a report stored before per-point judgements (no
    ``points``) falls back to its covered and missed lists, without quotes."""
    if item.get("points"):
        rows = [point_row(p) for p in item["points"]]
        if NOT_JUDGED_FLAGS & set(item.get("flags") or []):  # missed for the arithmetic, but nobody judged them
            rows = [dataclasses.replace(r, label="Not judged") for r in rows]
        return rows
    rows = [PointRow(point=p, status="covered", label=STATUS_LABELS["covered"])
            for p in item.get("covered_points") or []]
    rows += [PointRow(point=p, status="partial", label=STATUS_LABELS["partial"])
             for p in item.get("partial_points") or []]
    rows += [PointRow(point=p, status="missed", label=STATUS_LABELS["missed"])
             for p in item.get("missed_points") or []]
    return rows


def _times(n: int, weight: str) -> str:
    return weight if n == 1 else f"{n} × {weight}"


NOT_JUDGED_SCORE = "–"
NOT_JUDGED_RULE = "Not judged: a person reads this answer, and an interview's total leaves it out."


def not_judged(flags: list[str] | None) -> bool:
    """Whether nobody judged the answer (another language, a story left to a person, no key points)."""
    return bool(NOT_JUDGED_FLAGS & set(flags or []))


def shown_score(score: float | None, flags: list[str] | None) -> tuple[str, int]:
    """A question's score as shown and its bar (0-100): "3.1", 62; "–", 0 for an answer nobody judged."""
    if not_judged(flags):
        return NOT_JUDGED_SCORE, 0
    return fmt_score(score), 0 if score is None else round(float(score) / 5 * 100)


def rule_in_words(rows: list[PointRow], score: float | None) -> str:
    """'2 of 4 covered, 1 partly: 5 × (2 + 0.5) / 4 = 3.1' ('' without per-point rows)."""
    total = len(rows)
    if not total or score is None:
        return ""
    covered = sum(1 for r in rows if r.status == "covered")
    partly = sum(1 for r in rows if r.status == "partial")
    wrong = sum(1 for r in rows if r.status == "contradicted")
    words = [f"{covered} of {total} covered"]
    if partly:
        words.append(f"{partly} partly")
    if wrong:
        words.append(f"{wrong} contradicted")
    sums = str(covered)
    if partly:
        sums += f" + {_times(partly, '0.5')}"
    if wrong:
        sums += f" − {_times(wrong, '0.5')}"
    raw = covered + 0.5 * partly - 0.5 * wrong
    sums = f"({sums})" if partly or wrong else sums
    result = f"5 × {sums} / {total} = {fmt_score(score)}"
    if raw < 0:
        result = f"5 × {sums} / {total} is below 0, so 0"
    return ", ".join(words) + ": " + result


def flag_notes(flags: list[str]) -> list[str]:
    """The flags as sentences, in order, once each."""
    notes = [FLAG_NOTES.get(f) or _sentence(f.replace("_", " ")) for f in flags if f]
    return list(dict.fromkeys(notes))


def analysis_label(provider: str | None) -> str:
    """'offline analysis' or 'AI analysis (gemini)'."""
    name = (provider or "").strip()
    if not name:
        return ""
    return "offline analysis" if name == "offline" else f"AI analysis ({name})"
