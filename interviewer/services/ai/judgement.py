"""One judgement per key point, and the one rule that turns judgements into a 0-5 score.

Every provider (offline and Gemini) returns, for each key point of a question, whether the answer
**covered**, **partly covered** or **missed** it, the verbatim quotes of the answer that decide it,
and whether the answer contradicts it. Everything a recruiter sees is derived from that list: the
score, the covered/missed lists, the highlighted evidence and the follow-up decision.

The score rule (documented for HR in the report):

    score = 5 * max(0, covered + 0.5 * partly - 0.5 * contradicted) / number of key points

A contradicted point counts as missed and costs half a point more: a confident wrong statement is
worse than silence. A contradiction the offline reader doubts (``doubt``: read from a bare negation)
counts as partly covered; an interview whose verdict depends on such doubts goes to a person
(``scoring._doubt_review``). Providers never send a score of their own.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field, computed_field, model_validator

Status = Literal["covered", "partial", "missed"]
CREDIT: dict[str, float] = {"covered": 1.0, "partial": 0.5, "missed": 0.0}
CONTRADICTION_CREDIT = -0.5
SCORE_RULE = ("score = 5 x (covered + 0.5 x partly covered - 0.5 x contradicted) / number of key points "
              "(never below 0)")


# the doubt of a point whose best sentence resembles a wrong idea HR listed for the question (questions.red_flags)
RED_FLAG_DOUBT = "resembles a wrong idea listed"


def doubt_subject(doubts: list[str]) -> str:
    """What the doubted readings ``doubts`` (``PointAssessment.doubt`` values) were read from, for a
    recruiter: "a negation", "a sentence like a wrong idea you listed", or both."""
    kinds = ["a negation" if not d.startswith(RED_FLAG_DOUBT) else "a sentence like a wrong idea you listed"
             for d in doubts]
    return " or ".join(sorted(set(kinds))) or "a negation"


# Flags of an answer that nobody judged: its points are "missed" only for the arithmetic, the
# question is left out of the interview's total, and a person reads it (see ``review_reasons``).
NOT_JUDGED_FLAGS = frozenset({"not_english", "story", "no_key_points"})


def score_from_statuses(statuses: list[tuple[str, bool]]) -> float:
    """``statuses``: ``[(status, contradicted), ...]`` for every key point of the question."""
    if not statuses:
        return 0.0
    total = sum(CONTRADICTION_CREDIT if contradicted else CREDIT[status] for status, contradicted in statuses)
    return round(5.0 * max(0.0, total) / len(statuses), 2)


class PointAssessment(BaseModel):
    """The judgement of one key point."""

    point: str
    status: Status
    quotes: list[str] = Field(default_factory=list)  # verbatim substrings of the answer
    contradiction: str | None = None  # why the answer contradicts the point (then status is "missed")
    note: str = ""
    # a contradiction the reader doubts (offline: read from a bare negation): counted as partly covered, and
    # an interview whose verdict would change if it were read either way goes to a person (scoring.py)
    doubt: str | None = None

    @model_validator(mode="after")
    def _contradicted_is_missed(self) -> PointAssessment:
        if self.contradiction:
            self.status = "missed"
        return self


class AnswerAssessment(BaseModel):
    """One answer judged against its key points. ``score`` (0-5) is derived from ``points``."""

    points: list[PointAssessment] = Field(default_factory=list)
    flags: list[str] = Field(default_factory=list)
    rationale: str = ""

    @computed_field  # type: ignore[prop-decorator]
    @property
    def score(self) -> float:
        return score_from_statuses([(p.status, p.contradiction is not None) for p in self.points])

    @computed_field  # type: ignore[prop-decorator]
    @property
    def covered_points(self) -> list[str]:
        return [p.point for p in self.points if p.status == "covered"]

    @computed_field  # type: ignore[prop-decorator]
    @property
    def partial_points(self) -> list[str]:
        return [p.point for p in self.points if p.status == "partial"]

    @computed_field  # type: ignore[prop-decorator]
    @property
    def missed_points(self) -> list[str]:
        return [p.point for p in self.points if p.status == "missed"]

    @computed_field  # type: ignore[prop-decorator]
    @property
    def evidence_quotes(self) -> list[str]:
        """Quotes of the covered and partly covered points, in order, once each."""
        return list(dict.fromkeys(q for p in self.points if p.status != "missed" for q in p.quotes))

    def score_with_doubts_as(self, contradicted: bool) -> float:
        """The score had every doubted point been read as contradicted (``True``) or as covered."""
        return score_from_statuses([(("missed", True) if contradicted else ("covered", False)) if p.doubt
                                    else (p.status, p.contradiction is not None) for p in self.points])

    def unsupported_points(self) -> list[str]:
        """Points judged (partly) covered without a quote: the score would rest on nothing."""
        return [p.point for p in self.points if p.status != "missed" and not p.quotes]


def review_reasons(assessment: AnswerAssessment) -> list[str]:
    """Why a person should check this judgement before it decides anything (empty when it can
    stand): a point judged (partly) covered without a quote would make the score rest on nothing."""
    if "not_english" in assessment.flags:
        return ["the answer is not in English, which the offline analysis cannot judge: read it yourself"]
    if "story" in assessment.flags:
        return ["the answer tells a story from the candidate's own experience, which the offline analysis "
                "cannot judge against the key points: read it yourself"]
    unsupported = assessment.unsupported_points()
    if unsupported:
        return [f"{len(unsupported)} key point(s) judged covered without a quote from the answer"]
    return []
