"""The offline judge's polarity rules (offline-judge-3): a correct answer that words a negation
differently from the key point is not a contradiction, and a real opposite still is.

Question and key points written for these tests (not in the question bank or any benchmark).
Each case also checks that the previous rules (``PREVIOUS``) judged it the other way, so the test
would fail without the change.
"""

from __future__ import annotations

import pytest

from interviewer.services.ai.offline.answer_scoring import (
    PARAMS,
    SCORER_VERSION,
    score_answer,
    with_params,
)
from tests.judging import denied

Q = "How would you deploy a small web service in a container safely?"
KP = ["Never: bake secrets or passwords into the image",
      "User: run the service as a non-root user",
      "Migrations: add new columns without locking the table",
      "Safety: the checker prevents use-after-free and data races"]
PREVIOUS = with_params(label_polarity=False, negated_point_rule=False, weak_only_if_negated=False,
                       prefix_negation=False)


def _point(answer: str, index: int, params=PARAMS):
    return score_answer(Q, KP, answer, params).points[index]


def test_scorer_version_names_the_new_rules():
    # offline-judge-3 brought these rules; later versions keep them (a changed scorer gets a new name)
    assert SCORER_VERSION.startswith("offline-judge-") and int(SCORER_VERSION.rsplit("-", 1)[1]) >= 3


@pytest.mark.parametrize(("answer", "index"), [
    # the label "Never:" is part of the point: saying "never" agrees with it
    ("You should never bake secrets or passwords into the image.", 0),
    # "non-root" meets "doesn't run as root"
    ("I make sure the service doesn't run as root.", 1),
    # the point's "without" is said as "no lock" in another clause
    ("New columns are added as a metadata-only change, with no lock held on the table.", 2),
    # "without" in the answer does not negate a point that has no negation
    ("The checker prevents use-after-free and data races without a garbage collector.", 3),
])
def test_a_correct_answer_worded_with_another_negation_is_covered(answer, index):
    point = _point(answer, index)
    assert point.reading is None and point.status == "covered"
    assert _point(answer, index, PREVIOUS).reading  # the previous rules called it a contradiction


@pytest.mark.parametrize(("answer", "index"), [
    # no "never": the answer recommends what the point forbids
    ("Bake the secrets and passwords into the image, that is simplest.", 0),
    # "root" where the point says "non-root"
    ("The service runs as root inside the container.", 1),
])
def test_the_opposite_of_a_negated_point_is_contradicted(answer, index):
    point = _point(answer, index)
    assert denied(point)
    assert not _point(answer, index, PREVIOUS).reading  # the previous rules missed it


def test_an_opposite_still_counts_against_a_point_with_without():
    point = _point("New columns are added by locking the table for the whole migration.", 2)
    assert denied(point)


def test_a_sentence_that_names_both_forms_is_a_contrast_not_a_contradiction():
    point = _point("A privileged service may run as root, a non-root service runs as its own user.", 1)
    assert point.reading is None and point.status == "covered"


@pytest.mark.parametrize("salad", [
    "never secrets passwords image non-root user columns without locking table use-after-free data races",
    "Never. Secrets. Non-root user. No locking. Data races.",
])
def test_gaming_answers_still_earn_nothing(salad):
    result = score_answer(Q, KP, salad)
    assert result.score <= 1.5
    assert "keyword_list" in result.flags


def test_a_clause_that_states_the_point_spares_the_clause_with_its_opposite():
    # "immutable" sits in one clause, "one mutable reference" in the next: the sentence states the
    # point as it is, so the opposite word in its first clause is a contrast, not a contradiction
    question = "What are Rust's borrowing rules?"
    points = ["Borrowing: many shared references or one mutable reference"]
    answer = "The rule is you may hold any number of shared immutable references, or exactly one mutable reference."
    assert score_answer(question, points, answer).points[0].reading is None
    assert score_answer(question, points, answer, with_params(contrast_agrees=False)).points[0].reading


@pytest.mark.parametrize(("point", "answer"), [
    ("Safety: prevents use-after-free and data races",
     "You can't use memory after it has been freed, and two threads can't race on the same data."),
    ("Compiler: data races are rejected at compile time", "Code that could have a data race doesn't compile."),
    ("Performance: avoid re-rendering every field on each keystroke",
     "Typing in one field shouldn't re-render every other field on each keystroke."),
])
def test_a_point_whose_verb_holds_the_negation_is_stated_by_an_explicit_one(point, answer):
    """offline-judge-5: "prevents X" is also said as "X can't happen"; a negation then agrees."""
    judged = score_answer("Explain it.", [point], answer).points[0]
    assert judged.reading is None and judged.status != "missed"
    off = score_answer("Explain it.", [point], answer, with_params(implicit_negation=False)).points[0]
    assert off.reading is not None  # what the rule changes


@pytest.mark.parametrize(("point", "answer"), [
    # the claim repeats the verb and negates it
    ("Safety: prevents use-after-free and data races", "It doesn't really prevent data races or use-after-free."),
    # "to stop" negates nothing the point claims: "can be handled" against "can't be handled"
    ("SIGTERM: a polite request to stop, can be handled", "SIGTERM is a polite request to stop that can't be handled."),
])
def test_a_negated_implicit_verb_or_an_unrelated_one_still_contradicts(point, answer):
    assert score_answer("Explain it.", [point], answer).points[0].reading is not None


def test_an_implicit_negation_in_the_answer_states_a_negated_point():
    """The same both ways: "without a rewrite" is said as "skip the rewrite"."""
    point = "Defaults: recent versions add constant defaults without a table rewrite"
    answer = "Recent versions store the constant default in the catalog and skip the table rewrite."
    assert score_answer("How do you add a column?", [point], answer).points[0].reading is None
    assert score_answer("How do you add a column?", [point], answer,
                        with_params(implicit_in_claim=False)).points[0].reading is not None
