"""The offline provider: deterministic, explainable, no network. Labelled "offline" in the UI.

* questions: the bank-based generator (``question_gen_offline``);
* resumes: ``ats_offline.analyze_resume_offline``;
* answers: ``offline.answer_scoring.score_answer`` (MiniLM embeddings + lexical coverage),
  adapted to ``AnswerAssessment`` with evidence mapped back to verbatim sentences of the answer;
* follow-ups: a template around the most important missed key point (key points are in order
  of importance; the first missed one wins).
"""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Sequence
from datetime import date

from rapidfuzz import fuzz

from . import question_gen_offline
from .ats_offline import analyze_resume_offline
from .offline import text as tx
from .provider import AIProvider, AnswerAssessment, GeneratedQuestion
from .schemas import ATSResult

FOLLOW_UP_MIN_SCORE_TO_SKIP = 4.5  # at or above this score no follow-up is asked
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


def follow_up_text(covered: Sequence[str], missed: Sequence[str], seed: str) -> str | None:
    """A follow-up question from covered/missed key points (deterministic template choice)."""
    if not missed:
        return None
    target = _lower_first(topic_of(missed[0]))
    if covered:
        mentioned = _lower_first(topic_of(covered[0]))
        templates = (f"You mentioned {mentioned}; how would you handle {target}?",
                     f"You covered {mentioned}. Could you also walk me through {target}?")
    else:
        templates = (f"Let's look at one aspect more closely: how would you approach {target}?",
                     f"Could you explain {target}, with an example from your experience?")
    return templates[sum(map(ord, seed)) % len(templates)]


def _verbatim_sentence(answer: str, evidence: str) -> str | None:
    """The sentence of ``answer`` an evidence snippet came from (the scorer spell-corrects its copy)."""
    evidence = evidence.strip()
    if evidence and evidence in answer:
        return evidence
    sentences = [s for s in tx.split_sentences(answer) if s in answer]
    if not sentences:
        return None
    best = max(sentences, key=lambda s: fuzz.ratio(s, evidence))
    return best if fuzz.ratio(best, evidence) >= 80 else None


class OfflineProvider(AIProvider):
    name = "offline"
    model = "offline-heuristics-v1"

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
        if key in self._recent:  # follow_up right after score_answer reuses the grading
            return self._recent[key].model_copy(deep=True)
        graded = score_answer(question, points, answer_transcript or "")
        quotes = [q for q in (_verbatim_sentence(answer_transcript or "", e) for e in graded.evidence) if q]
        assessment = AnswerAssessment(
            score=max(0.0, min(5.0, round(float(graded.score), 2))),
            covered_points=list(graded.covered_points),
            missed_points=list(graded.missed_points),
            evidence_quotes=list(dict.fromkeys(quotes)),
            flags=list(graded.flags),
            rationale=graded.rationale,
        )
        self._recent[key] = assessment
        while len(self._recent) > _RECENT_SIZE:
            self._recent.popitem(last=False)
        return assessment.model_copy(deep=True)

    def follow_up(self, question: str, key_points: list[str], answer: str) -> str | None:
        if not re.search(r"\w", answer or ""):
            return None  # nothing was said: move on rather than probe
        assessment = self.score_answer(question, key_points, answer)
        if assessment.score >= FOLLOW_UP_MIN_SCORE_TO_SKIP:
            return None
        return follow_up_text(assessment.covered_points, assessment.missed_points, question)
