"""The offline provider behind the interface, alone and wrapped in the fairness decorator."""

from __future__ import annotations

import json
from datetime import date

import pytest

from interviewer.services.ai.offline.answer_scoring import SCORER_VERSION
from interviewer.services.ai.offline_provider import OfflineProvider, follow_up_for, follow_up_text, topic_of
from interviewer.services.ai.provider import AIProvider, AnswerAssessment, FairProvider, get_provider
from interviewer.services.ai.schemas import ATSResult

QUESTION = "What does the Global Interpreter Lock mean for CPU-bound and I/O-bound work in CPython?"
KEY_POINTS = ["GIL: only one thread executes Python bytecode at a time",
              "I/O-bound threads: the lock is released while waiting on I/O, so threads still help",
              "CPU-bound work: use multiprocessing or native extensions that release the GIL",
              "Alternatives: asyncio for many concurrent I/O tasks"]
FULL = ("The GIL means only one thread runs Python bytecode at a time. For I/O bound work threads are still "
        "fine because the lock is released during I/O. For CPU bound work I use multiprocesing. Asyncio also "
        "helps for lots of concurrent network calls.")
PARTIAL = "The GIL means only one thread runs bytecode at once, so I use multiprocessing for heavy computation."
RESUME = """Alex Kim
alex.kim@example.org | +44 20 7946 0958 | London, UK | github.com/alexkim

SUMMARY
Backend engineer with 6 years of experience building Python and PostgreSQL services.

EXPERIENCE
Backend Engineer, Shopfront Ltd, Jan 2020 - Present
- Built payment APIs in Python and FastAPI serving 2 million requests a day
- Reduced p95 latency by 40% with Redis caching

EDUCATION
BSc Computer Science, University of Leeds, 2017

SKILLS
Python, FastAPI, PostgreSQL, Redis, Docker, Git
"""


@pytest.fixture(scope="module")
def offline() -> OfflineProvider:
    return OfflineProvider(today=date(2026, 1, 15))


def test_offline_provider_implements_the_interface(offline):
    assert isinstance(offline, AIProvider)
    assert (offline.name, offline.model) == ("offline", SCORER_VERSION)


def test_generate_questions_mixes_kinds_and_difficulties(offline):
    questions = offline.generate_questions("Backend Engineer", "Python, PostgreSQL, Redis and Docker", None,
                                           ["Explain the CAP theorem."], 6, None)
    assert len(questions) == 6
    assert {q.kind for q in questions} == {"theory", "practice"}
    assert {q.difficulty for q in questions} == {"intermediate", "advanced"}
    assert all(3 <= len(q.key_points) <= 6 for q in questions)


def test_analyze_resume_returns_the_spec_shape(offline):
    result = offline.analyze_resume(RESUME, "Python, PostgreSQL and Kubernetes")
    assert isinstance(result, ATSResult)
    assert "Kubernetes" in result.keywords_missing and "Python" in result.keywords_found
    assert result == offline.analyze_resume(RESUME, "Python, PostgreSQL and Kubernetes")


def test_score_answer_grades_and_quotes_verbatim(offline):
    full = offline.score_answer(QUESTION, KEY_POINTS, FULL)
    partial = offline.score_answer(QUESTION, KEY_POINTS, PARTIAL)
    off_topic = offline.score_answer(QUESTION, KEY_POINTS, "I enjoy football and cooking pasta.")
    assert isinstance(full, AnswerAssessment)
    assert full.score > partial.score > off_topic.score and 0 <= off_topic.score <= 1
    for result, answer in ((full, FULL), (partial, PARTIAL)):
        assert [p.point for p in result.points] == KEY_POINTS  # every key point judged once, in order
        assert sorted(result.covered_points + result.partial_points + result.missed_points) == sorted(KEY_POINTS)
        assert result.evidence_quotes and all(q in answer for q in result.evidence_quotes)
        assert result.rationale
    assert "For CPU bound work I use multiprocesing." in full.evidence_quotes  # the typo kept: verbatim
    assert "off_topic" in off_topic.flags


def test_empty_answer_scores_zero_and_gets_no_follow_up(offline):
    result = offline.score_answer(QUESTION, KEY_POINTS, "   ")
    assert result.score == 0 and result.flags == ["not_answered"] and result.missed_points == KEY_POINTS
    assert offline.follow_up(QUESTION, KEY_POINTS, "") is None


def test_follow_up_targets_the_first_missed_point(offline):
    judged = offline.score_answer(QUESTION, KEY_POINTS, PARTIAL)
    follow_up = offline.follow_up(QUESTION, KEY_POINTS, PARTIAL)
    not_covered = ([p.point for p in judged.points if p.status == "missed"]
                   or [p.point for p in judged.points if p.status == "partial"])
    assert not_covered and follow_up == follow_up_for(judged, QUESTION)
    assert topic_of(not_covered[0]) in follow_up  # about the first point not covered
    for p in judged.points:
        if p.status == "covered":
            assert f"how would you handle {topic_of(p.point)}" not in follow_up
    assert offline.follow_up(QUESTION, KEY_POINTS, FULL) is None or all(
        p.status != "missed" for p in offline.score_answer(QUESTION, KEY_POINTS, FULL).points)


def test_a_doubted_point_is_followed_up_before_another_partly_covered_one():
    """A doubted point (a contradiction read from a bare negation, counted as partly covered) is
    asked about first among the partly covered: the candidate's own words can settle the doubt.
    A missed point still comes first."""
    from interviewer.services.ai.judgement import AnswerAssessment, PointAssessment

    partly, doubted = KEY_POINTS[1], KEY_POINTS[2]
    points = [PointAssessment(point=KEY_POINTS[0], status="covered", quotes=["x"]),
              PointAssessment(point=partly, status="partial", quotes=["y"]),
              PointAssessment(point=doubted, status="partial", quotes=["z"], doubt="negates it")]
    def about(point: str, points: list[PointAssessment]) -> bool:
        return topic_of(point).lower() in follow_up_for(AnswerAssessment(points=points), "q").lower()

    assert about(doubted, points) and not about(partly, points)
    assert about(partly, [p.model_copy(update={"doubt": None}) for p in points])
    missed = points + [PointAssessment(point=KEY_POINTS[3], status="missed")]
    assert about(KEY_POINTS[3], missed) and not about(doubted, missed)


def test_follow_up_never_about_a_covered_point_and_none_for_non_answers(offline):
    from interviewer.services.ai.judgement import AnswerAssessment, PointAssessment

    all_covered = AnswerAssessment(points=[PointAssessment(point=kp, status="covered", quotes=["x"])
                                           for kp in KEY_POINTS])
    assert follow_up_for(all_covered, "q") is None
    one_partial = AnswerAssessment(points=[PointAssessment(point=KEY_POINTS[0], status="covered", quotes=["x"]),
                                           PointAssessment(point=KEY_POINTS[1], status="partial", quotes=["y"])])
    text = follow_up_for(one_partial, "q")
    assert "I/O-bound threads" in text and "GIL" not in text.split(";")[-1]
    assert follow_up_for(AnswerAssessment(points=[PointAssessment(point=KEY_POINTS[0], status="missed")],
                                          flags=["off_topic"]), "q") is None
    assert offline.follow_up(QUESTION, KEY_POINTS, "I don't know.") is None


def test_follow_up_templates():
    assert follow_up_text(["Caching: use Redis"], [], "q") is None
    assert follow_up_text([], ["TTL: expire entries"], "a") in (  # acronyms keep their case
        "Let's look at one aspect more closely: what would you say about TTL?",
        "Could you explain TTL, with an example from your experience?")
    assert follow_up_text(["Caching: use Redis"], ["Eviction: LRU"], "q").startswith("You ")
    assert topic_of("Use an idempotency key for every retried payment request in the system") is None
    assert topic_of("Cache-aside: load on miss") == "Cache-aside"
    assert topic_of("Note: a point whose topic is long enough to be a sentence: x") == "Note"
    assert topic_of("this head is far too long to be a topic: x") is None


INDEX_QUESTION = "Explain what a database index is and when adding one makes a query slower overall."
FREE_FORM_POINTS = ["index is a sorted lookup structure (B-tree)", "speeds reads that filter or sort",
                    "costs writes and storage", "low-selectivity columns gain little"]


def _shares_a_run(text: str, point: str, run: int = 3) -> bool:
    words = point.lower().replace("(", " ").replace(")", " ").split()
    return any(" ".join(words[i:i + run]) in text.lower() for i in range(len(words) - run + 1))


@pytest.mark.parametrize("seed", ["a", "b", "q", INDEX_QUESTION])
def test_a_free_form_key_point_is_asked_about_without_being_quoted(seed):
    """HR writes key points as claims ("costs writes and storage"), not "Topic: detail". Set into
    "You mentioned ...; how would you handle ...?" they gave "You mentioned speeds reads that filter
    or sort; how would you handle index is a sorted lookup structure (B-tree)?": broken English that
    also hands the candidate the answer. Such a point is asked about without naming it."""
    cases = [(FREE_FORM_POINTS[1:2], FREE_FORM_POINTS[:1], False), ([], FREE_FORM_POINTS[2:3], False),
             (FREE_FORM_POINTS[:1], FREE_FORM_POINTS[3:], True), (["Caching: use Redis"], FREE_FORM_POINTS[2:3], False)]
    for covered, missed, deeper in cases:
        text = follow_up_text(covered, missed, seed, deeper=deeper)
        assert text and text.endswith("?") and text[0].isupper()
        for point in FREE_FORM_POINTS:
            assert not _shares_a_run(text, point), (text, point)
        assert "handle" not in text and "approach" not in text  # frames that need a noun phrase
    named = follow_up_text(["Caching: use Redis"], FREE_FORM_POINTS[2:3], seed)
    assert "caching" in named  # a covered point with a topic may still be named


def test_the_demo_follow_up_reads_naturally(offline):
    answer = ("I would add an index on the filtered columns after checking EXPLAIN ANALYZE, and watch that "
              "writes do not slow down too much.")
    judged = offline.score_answer(INDEX_QUESTION, FREE_FORM_POINTS, answer)
    follow_up = offline.follow_up(INDEX_QUESTION, FREE_FORM_POINTS, answer)
    assert any(p.status != "covered" for p in judged.points) and follow_up
    assert not any(_shares_a_run(follow_up, p) for p in FREE_FORM_POINTS), follow_up


def test_fair_offline_provider_redacts_and_restores_quotes():
    provider = get_provider({"provider": "offline"})
    assert isinstance(provider, FairProvider) and provider.name == "offline"
    answer = "My name is Sam Lee. " + PARTIAL.replace("so I use", "so she told me to use")
    out = provider.score_answer(QUESTION, KEY_POINTS, answer, candidate_names=["Sam Lee"])
    assert out.provider == "offline" and out.model == SCORER_VERSION and out.fallback_reason is None
    assert out.redaction.counts["names"] == 1 and out.redaction.counts["gendered_terms"] == 1
    assert out.result.evidence_quotes and all(q in answer for q in out.result.evidence_quotes)
    assert any("so she told me" in q for q in out.result.evidence_quotes)
    json.dumps(out.to_dict())


def test_fair_provider_envelopes_for_every_call():
    provider = get_provider({"provider": "offline", "custom_prompt": "Ask about Kubernetes."})
    questions = provider.generate_questions("Software Engineer", "He or she will own our services.", count=4)
    assert questions.redaction.counts["gendered_terms"] == 1
    assert "Kubernetes" in {q.topic for q in questions.result}  # the company prompt steers the offline bank
    ats = provider.analyze_resume(RESUME, "Python and Docker", candidate_names=["Alex Kim"])
    assert isinstance(ats.result, ATSResult)
    assert ats.redaction.counts["emails"] == 1 and ats.redaction.counts["names"] >= 1
    assert ats.result.section_scores.contact_info.score >= 3  # stand-ins keep the contact checks working
    follow = provider.follow_up(QUESTION, KEY_POINTS, PARTIAL)
    assert follow.result and follow.provider == "offline"
    assert json.loads(json.dumps(ats.to_dict()))["result"]["score"] == ats.result.score


def test_a_story_question_answered_without_a_story_is_asked_for_one_and_a_story_gets_no_follow_up(offline):
    from interviewer.services.ai.offline_provider import STORY_FOLLOW_UPS

    question = "Tell me about a time you had to hand over a project to another team."
    points = ["Situation: what was handed over and why", "Preparation: documentation and knowledge transfer"]
    general = "I always write good documentation and do a proper knowledge transfer."
    assert offline.follow_up(question, points, general) in STORY_FOLLOW_UPS
    story = ("Last autumn I handed our reporting service to the data team when we moved to payments. I wrote a "
             "runbook, recorded two walkthroughs and sat with their on-call engineer for a week.")
    assert offline.score_answer(question, points, story).flags == ["story"]
    assert offline.follow_up(question, points, story) is None  # nobody judged it: nothing to ask about
