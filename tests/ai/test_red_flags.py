"""Wrong ideas to watch for (``questions.red_flags``): HR lists common mistakes for a question.

Offline, a key point whose best sentence resembles a listed wrong idea more than the point itself is
doubted (docs/scoring.md, offline-judge-12): not counted when no other sentence states the point,
partly covered when one does, with the quote and a note, so a verdict resting on it goes to a person.
With Gemini the list is in the prompt, and a stated wrong idea is the model's contradiction."""

from __future__ import annotations

import pytest

from interviewer.services.ai.gemini import GeminiProvider
from interviewer.services.ai.judgement import RED_FLAG_DOUBT, doubt_subject
from interviewer.services.ai.offline.answer_scoring import assign_red_flags, score_answer
from interviewer.services.ai.offline_provider import OfflineProvider
from interviewer.services.ai.prompts import RED_FLAG_RULE, scoring_prompt
from interviewer.services.ai.provider import FairProvider
from tests.ai.fake_gemini import FakeGemini
from tests.ai.test_gemini_provider import assessment_payload, judged

QUESTION = "Why would you add an index to a database table?"
POINTS = ["Lookups get faster because the database finds rows without scanning the whole table",
          "Writes become slower because every insert or update must also update the index",
          "The index takes extra storage space"]
IDEAS = ["An index makes inserts and updates faster as well.", "Indexes are free: they take no extra disk space."]
RIGHT = ("An index lets the database find rows without scanning the whole table, so lookups are much faster. "
         "The cost is that inserts and updates get slower, because the index has to be updated as well, and it "
         "takes extra disk space.")
# fluent and wrong about writes: word similarity alone reads it as covering the point
WRONG = ("With an index the database finds rows without scanning the whole table. Inserts and updates get quicker "
         "too because the index tells the database where to put each row.")
WRONG_SENTENCE = "Inserts and updates get quicker too because the index tells the database where to put each row."


def test_each_wrong_idea_goes_to_the_key_point_it_is_about():
    assigned = assign_red_flags(QUESTION, POINTS, [*IDEAS, "  ", ""])
    assert assigned == {POINTS[0]: [], POINTS[1]: [IDEAS[0]], POINTS[2]: [IDEAS[1]]}
    assert assign_red_flags(QUESTION, POINTS, []) == {p: [] for p in POINTS}


def test_a_fluent_wrong_answer_that_states_a_listed_idea_is_doubted_not_credited():
    without = score_answer(QUESTION, POINTS, WRONG)
    assert without.points[1].status == "covered"  # the limit the list is for: similarity alone is fooled

    judged_ = score_answer(QUESTION, POINTS, WRONG, red_flags=assign_red_flags(QUESTION, POINTS, IDEAS))
    writes = judged_.points[1]
    assert writes.status == "missed" and writes.contradiction is None  # not counted, and no penalty either
    assert writes.doubt == f'{RED_FLAG_DOUBT} for this question ("{IDEAS[0]}")'
    assert writes.quotes == (WRONG_SENTENCE,)
    start, end = writes.spans[0]
    assert WRONG[start:end] == WRONG_SENTENCE
    assert writes.note.startswith(f'Doubtful: the quoted sentence resembles a wrong idea you listed ("{IDEAS[0]}")')
    assert "not counted" in writes.note and "check the quote" in writes.note
    assert judged_.points[0].status == "covered"  # the other points are judged as before
    assert judged_.score < without.score


def test_no_list_changes_nothing():
    for answer in (RIGHT, WRONG, "An index makes lookups faster."):
        plain = score_answer(QUESTION, POINTS, answer)
        for empty in (None, {}, assign_red_flags(QUESTION, POINTS, [])):
            again = score_answer(QUESTION, POINTS, answer, red_flags=empty)
            assert (again.score, again.points) == (plain.score, plain.points)


def test_an_unrelated_wrong_idea_leaves_a_right_answer_alone():
    ideas = ["Indexes are free: they take no extra disk space."]
    result = score_answer(QUESTION, POINTS, RIGHT, red_flags=assign_red_flags(QUESTION, POINTS, ideas))
    assert [p.status for p in result.points] == ["covered"] * 3 and result.score == 5.0
    assert not any(p.doubt for p in result.points)


def test_the_provider_takes_the_list_and_the_doubt_reaches_the_score_range():
    provider = OfflineProvider()
    plain = provider.score_answer(QUESTION, POINTS, WRONG)
    listed = provider.score_answer(QUESTION, POINTS, WRONG, IDEAS)
    assert plain.points[1].status == "covered" and not plain.points[1].doubt  # the cache keys on the list
    assert listed.points[1].status == "missed" and listed.points[1].doubt.startswith(RED_FLAG_DOUBT)
    # a person is asked when the verdict depends on it: read as contradicted, or as covered
    assert listed.score_with_doubts_as(True) < listed.score < listed.score_with_doubts_as(False)
    assert listed.score_with_doubts_as(False) == plain.score

    fair = FairProvider(OfflineProvider())  # the interview path: the list is redacted and passed on
    out = fair.score_answer(QUESTION, POINTS, WRONG, red_flags=IDEAS).result
    assert [p.model_dump() for p in out.points] == [p.model_dump() for p in listed.points]


def test_the_doubt_is_named_for_the_recruiter():
    negation = "negates it"
    listed = f'{RED_FLAG_DOUBT} for this question ("{IDEAS[0]}")'
    assert doubt_subject([negation]) == "a negation"
    assert doubt_subject([listed]) == "a sentence like a wrong idea you listed"
    assert doubt_subject([listed, negation]) == "a negation or a sentence like a wrong idea you listed"


def test_the_gemini_prompt_lists_the_ideas_only_when_there_are_some():
    system, with_ideas = scoring_prompt(QUESTION, POINTS, WRONG, IDEAS)
    assert "<wrong_ideas>" in system  # the list is data to analyse, never instructions
    assert "<wrong_ideas>" in with_ideas and all(f"- {idea}" in with_ideas for idea in IDEAS)
    assert RED_FLAG_RULE in with_ideas
    assert with_ideas.index("<wrong_ideas>") < with_ideas.index("<answer>")  # the answer stays last, fenced
    _, without = scoring_prompt(QUESTION, POINTS, WRONG)
    assert "<wrong_ideas>" not in without and RED_FLAG_RULE not in without


@pytest.fixture
def fake():
    server = FakeGemini()
    yield server
    server.close()


@pytest.fixture
def gemini(fake):
    provider = GeminiProvider(api_key="test-key", base_url=fake.base_url, sleep=lambda s: None)
    yield provider
    provider.close()


def test_gemini_gets_the_list_and_its_contradiction_counts(fake, gemini):
    fake.push_json(assessment_payload(
        judged(POINTS[0], "covered", ["With an index the database finds rows without scanning the whole table"]),
        judged(POINTS[1], "missed", ["Inserts and updates get quicker too"], contradicts=True,
               reason="States a listed wrong idea: writes get faster."),
        judged(POINTS[2], "missed")))
    result = gemini.score_answer(QUESTION, POINTS, WRONG, IDEAS)
    (req,) = fake.requests
    assert all(f"- {idea}" in req.text for idea in IDEAS) and "<wrong_ideas>" in req.text
    assert result.points[1].contradiction == "States a listed wrong idea: writes get faster."
    assert result.points[1].status == "missed" and result.score == 0.83  # 5 x (1 - 0.5) / 3


def test_the_follow_up_reads_the_list_too():
    """The live follow-up is decided from the same judgement: with the list, the doubted writes point is
    the one asked about (a missed point comes first), not the storage point touched on."""
    from interviewer.services.ai.offline_provider import follow_up_for, follow_up_text

    provider = OfflineProvider()
    listed = provider.score_answer(QUESTION, POINTS, WRONG, IDEAS)
    asked = provider.follow_up(QUESTION, POINTS, WRONG, IDEAS)
    assert asked == follow_up_for(listed, QUESTION)
    assert asked == follow_up_text(listed.covered_points, listed.missed_points, QUESTION, position=1)
    assert listed.missed_points[0] == POINTS[1]
    assert asked != provider.follow_up(QUESTION, POINTS, WRONG)  # without the list it probes storage instead
    fair = FairProvider(OfflineProvider())
    assert fair.follow_up(QUESTION, POINTS, WRONG, red_flags=IDEAS).result == asked


def test_gemini_follow_up_gets_the_list(fake, gemini):
    fake.push_json({"ask": True, "target_point": POINTS[1], "question": "How do inserts behave with an index?"})
    asked = gemini.follow_up(QUESTION, POINTS, WRONG, IDEAS)
    (req,) = fake.requests
    assert "<wrong_ideas>" in req.text and f"- {IDEAS[0]}" in req.text
    assert asked == "How do inserts behave with an index?"
