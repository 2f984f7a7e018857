"""The offline provider: deterministic, explainable, no network. Labelled "offline" in the UI.

* questions: the bank-based generator (``question_gen_offline``);
* resumes: ``ats_offline.analyze_resume_offline``;
* answers: ``offline.answer_scoring.score_answer``: one judgement per key point with verbatim quotes
  (``judgement.py`` derives the score);
* follow-ups: from that judgement, a template around the most important missed key point (key
  points are in order of importance), else a partly covered one; never a covered one.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Sequence
from datetime import date

from . import question_gen_offline
from .ats_offline import analyze_resume_offline
from .offline.answer_scoring import SCORER_VERSION
from .judgement import AnswerAssessment, PointAssessment
from .provider import AIProvider, GeneratedQuestion
from .schemas import ATSResult

_TOPIC_MAX_WORDS = 9
_RECENT_SIZE = 32


def topic_of(point: str) -> str:
    """The part of a key point to name in a follow-up: the text before "Topic:", else its first words."""
    head, sep, _ = point.partition(":")
    if sep and 0 < len(head.split()) <= 5:
        return head.strip()
    words = point.strip().rstrip(".").split()
    return " ".join(words[:_TOPIC_MAX_WORDS]) + ("…" if len(words) > _TOPIC_MAX_WORDS else "")


def _lower_first(text: str) -> str:
    first = text.split(" ", 1)[0]
    keep = any(c.isupper() for c in first[1:]) or any(c.isdigit() for c in first)
    return text if keep or not text else text[0].lower() + text[1:]


def follow_up_text(covered: Sequence[str], missed: Sequence[str], seed: str, *, deeper: bool = False) -> str | None:
    """A follow-up question about ``missed[0]`` (deterministic template choice)."""
    if not missed:
        return None
    target = _lower_first(topic_of(missed[0]))
    if deeper:
        templates = (f"You touched on {target}. Could you go into a bit more detail there?",
                     f"Could you say a little more about {target}?")
    elif covered:
        mentioned = _lower_first(topic_of(covered[0]))
        templates = (f"You mentioned {mentioned}; how would you handle {target}?",
                     f"You covered {mentioned}. Could you also walk me through {target}?")
    else:
        templates = (f"Let's look at one aspect more closely: how would you approach {target}?",
                     f"Could you explain {target}, with an example from your experience?")
    return templates[sum(map(ord, seed)) % len(templates)]


def follow_up_for(assessment: AnswerAssessment, seed: str) -> str | None:
    """The follow-up the judgement calls for: about the first missed key point (key points are in
    order of importance), else the first partly covered one, never about a covered one; none when
    everything is covered or when nothing was really said (a non-answer or off-topic talk)."""
    if {"not_answered", "off_topic"} & set(assessment.flags):
        return None
    missed = [p.point for p in assessment.points if p.status == "missed"]
    partial = [p.point for p in assessment.points if p.status == "partial"]
    if missed:
        return follow_up_text(assessment.covered_points, missed, seed)
    if partial:
        return follow_up_text(assessment.covered_points, partial, seed, deeper=True)
    return None


class OfflineProvider(AIProvider):
    name = "offline"
    model = SCORER_VERSION

    def __init__(self, *, today: date | None = None) -> None:
        self._today = today
        self._recent: OrderedDict[tuple[str, tuple[str, ...], str], AnswerAssessment] = OrderedDict()

    def generate_questions(self, job_title: str, job_description: str, skills_hint: Sequence[str] | None,
                           existing_questions: list[str], count: int,
                           custom_prompt: str | None) -> list[GeneratedQuestion]:
        return question_gen_offline.generate(job_title, job_description, skills_hint, existing_questions, count,
                                             custom_prompt)

    def analyze_resume(self, resume_text: str, job_description: str | None) -> ATSResult:
        return analyze_resume_offline(resume_text, job_description, today=self._today)

    def score_answer(self, question: str, key_points: list[str], answer_transcript: str) -> AnswerAssessment:
        from .offline.answer_scoring import score_answer  # loads the embedding model on first use

        points = [p for p in key_points if p and p.strip()]
        if not points:
            raise ValueError("score_answer needs at least one key point")
        key = (question, tuple(points), answer_transcript or "")
        if key in self._recent:  # follow_up right after score_answer reuses the judgement
            return self._recent[key].model_copy(deep=True)
        graded = score_answer(question, points, answer_transcript or "")
        assessment = AnswerAssessment(
            points=[PointAssessment(point=p.point, status=p.status, quotes=list(p.quotes),
                                    contradiction=p.contradiction, note=p.note) for p in graded.points],
            flags=list(graded.flags), rationale=graded.rationale)
        self._recent[key] = assessment
        while len(self._recent) > _RECENT_SIZE:
            self._recent.popitem(last=False)
        return assessment.model_copy(deep=True)

    def follow_up(self, question: str, key_points: list[str], answer: str) -> str | None:
        if not re.search(r"\w", answer or ""):
            return None  # nothing was said: move on rather than probe
        assessment = self.score_answer(question, key_points, answer)
        return follow_up_for(assessment, question)
