"""The offline provider: deterministic, explainable, no network. Labelled "offline" in the UI.

* questions: the bank-based generator (``question_gen_offline``);
* resumes: ``ats_offline.analyze_resume_offline``;
* answers: ``offline.answer_scoring.score_answer``: one judgement per key point with verbatim quotes
  (``judgement.py`` derives the score);
* follow-ups: from that judgement, a template around the most important missed key point (key
  points are in order of importance), else a partly covered one; never a covered one. A point is
  named by its topic ("Expiry: ..." -> "expiry"); a free-form point is asked about without being
  named or quoted.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Sequence
from datetime import date

from . import question_gen_offline
from .ats_offline import analyze_resume_offline
from .offline.answer_scoring import SCORER_VERSION
from .judgement import NOT_JUDGED_FLAGS, AnswerAssessment, PointAssessment
from .provider import AIProvider, GeneratedQuestion
from .schemas import ATSResult

_RECENT_SIZE = 32


def topic_of(point: str) -> str | None:
    """The name a follow-up may use for a key point: its topic before the colon ("Expiry: links
    stop working after a set time" -> "Expiry"), or None for a free-form point ("costs writes and
    storage"). A free-form point is a claim, not a name: set in "how would you handle ...?" it
    reads as broken English, and it tells the candidate the answer."""
    head, sep, _ = point.partition(":")
    if sep and 0 < len(head.split()) <= 5 and head.strip():
        return head.strip()
    return None


def _lower_first(text: str) -> str:
    first = text.split(" ", 1)[0]
    keep = any(c.isupper() for c in first[1:]) or any(c.isdigit() for c in first)
    return text if keep or not text else text[0].lower() + text[1:]


def follow_up_text(covered: Sequence[str], missed: Sequence[str], seed: str, *, deeper: bool = False,
                   position: int = 0) -> str | None:
    """A follow-up question about ``missed[0]``, the key point at ``position`` (deterministic
    template choice from ``seed`` and ``position``, so follow-ups about different points of one
    question do not repeat each other word for word).

    It names the point by its topic when it has one; a free-form point is asked about without
    naming it (an open "what else?" that leaves the candidate room to bring it up)."""
    if not missed:
        return None
    topic = topic_of(missed[0])
    target = _lower_first(topic) if topic else None
    mentioned_topic = topic_of(covered[0]) if covered else None
    mentioned = _lower_first(mentioned_topic) if mentioned_topic else None
    if deeper:
        templates = ((f"You touched on {target}. Could you go into a bit more detail there?",
                      f"Could you say a little more about {target}?") if target else
                     ("Could you go into a bit more detail on that, perhaps with an example?",
                      "Could you say a little more about how that would work in practice?"))
    elif target and mentioned:
        templates = (f"You mentioned {mentioned}; how would you handle {target}?",
                     f"You covered {mentioned}. Could you also walk me through {target}?")
    elif target:
        templates = (f"Let's look at one aspect more closely: what would you say about {target}?",
                     f"Could you explain {target}, with an example from your experience?")
    elif mentioned:
        templates = (f"You covered {mentioned}. What else would you take into account here?",
                     f"That covers {mentioned}. Is there another side of this you would consider?")
    else:
        templates = ("Is there anything else you would take into account here?",
                     "Before we move on: what else would you consider in this situation?",
                     "Take a moment: is there anything you left out that could matter here?",
                     "Is there another side of this you would look at?")
    return templates[(sum(map(ord, seed)) + position) % len(templates)]


STORY_FOLLOW_UPS = (
    "Could you tell me about one specific time this happened: what the situation was, what you did, and how it "
    "turned out?",
    "Can you walk me through a real example from your own work: what happened, what you did, and what came of it?",
)


def follow_up_for(assessment: AnswerAssessment, seed: str) -> str | None:
    """The follow-up the judgement calls for: about the first missed key point (key points are in
    order of importance), else the first partly covered one (a doubted one first), never about a
    covered one; none when everything is covered, when nothing was really said (a non-answer or
    off-topic talk) or when nobody judged the answer (another language, a story left to a person).
    An answer to a question about the candidate's own experience that tells no story is asked for
    one."""
    if {"not_answered", "off_topic"} & set(assessment.flags) or NOT_JUDGED_FLAGS & set(assessment.flags):
        return None
    if "no_story" in assessment.flags:  # asked for an experience, told none: ask for one, whatever the points
        return STORY_FOLLOW_UPS[(sum(map(ord, seed))) % len(STORY_FOLLOW_UPS)]
    points = [p.point for p in assessment.points]
    missed = [p.point for p in assessment.points if p.status == "missed"]
    # a doubted point first among the partly covered: the candidate's own words can settle the doubt
    partial = [p.point for p in sorted((p for p in assessment.points if p.status == "partial"),
                                       key=lambda p: p.doubt is None)]
    if missed:
        return follow_up_text(assessment.covered_points, missed, seed, position=points.index(missed[0]))
    if partial:
        return follow_up_text(assessment.covered_points, partial, seed, deeper=True, position=points.index(partial[0]))
    return None


class OfflineProvider(AIProvider):
    name = "offline"
    model = SCORER_VERSION

    def __init__(self, *, today: date | None = None) -> None:
        self._today = today
        # (question, key points, answer, wrong ideas) -> the judgement, for follow_up right after score_answer
        self._recent: OrderedDict[tuple[str, tuple[str, ...], str, tuple[str, ...]], AnswerAssessment] = OrderedDict()

    def generate_questions(self, job_title: str, job_description: str, skills_hint: Sequence[str] | None,
                           existing_questions: list[str], count: int,
                           custom_prompt: str | None) -> list[GeneratedQuestion]:
        return question_gen_offline.generate(job_title, job_description, skills_hint, existing_questions, count,
                                             custom_prompt)

    def analyze_resume(self, resume_text: str, job_description: str | None) -> ATSResult:
        return analyze_resume_offline(resume_text, job_description, today=self._today)

    def score_answer(self, question: str, key_points: list[str], answer_transcript: str,
                     red_flags: Sequence[str] = ()) -> AnswerAssessment:
        from .offline.answer_scoring import assign_red_flags, score_answer  # loads the model on first use

        points = [p for p in key_points if p and p.strip()]
        if not points:
            raise ValueError("score_answer needs at least one key point")
        flags = tuple(f.strip() for f in red_flags if f and f.strip())
        key = (question, tuple(points), answer_transcript or "", flags)
        if key in self._recent:  # follow_up right after score_answer reuses the judgement
            return self._recent[key].model_copy(deep=True)
        graded = score_answer(question, points, answer_transcript or "",
                              red_flags=assign_red_flags(question, points, list(flags)) if flags else None)
        assessment = AnswerAssessment(
            points=[PointAssessment(point=p.point, status=p.status, quotes=list(p.quotes),
                                    contradiction=p.contradiction, note=p.note, doubt=p.doubt)
                    for p in graded.points],
            flags=list(graded.flags), rationale=graded.rationale)
        self._recent[key] = assessment
        while len(self._recent) > _RECENT_SIZE:
            self._recent.popitem(last=False)
        return assessment.model_copy(deep=True)

    def suggest_red_flags(self, question: str, key_points: list[str]) -> list[str]:
        """The bank's own list when the question asks what one of the bank's questions asks (the
        offline analysis knows no subject beyond its bank)."""
        from .question_bank import BANK

        for q in BANK:
            if q.red_flags and question_gen_offline.is_near_duplicate(question, q.text):
                return list(q.red_flags)
        return []

    def follow_up(self, question: str, key_points: list[str], answer: str,
                  red_flags: Sequence[str] = ()) -> str | None:
        if not re.search(r"\w", answer or ""):
            return None  # nothing was said: move on rather than probe
        assessment = self.score_answer(question, key_points, answer, red_flags)
        return follow_up_for(assessment, question)
