"""Behaviour tests for the offline answer scorer and the numpy MiniLM encoder.

Fixtures are written for these tests; nothing depends on /work/shared.
"""

from __future__ import annotations

import numpy as np
import pytest

from interviewer.services.ai.offline import embeddings
from interviewer.services.ai.offline.answer_scoring import (
    AnswerScore,
    coverage_to_score,
    score_answer,
    split_key_points,
)
from interviewer.services.ai.offline.text import canonicalize, correct_spelling, opposite_pairs


STACK_Q = "What is a stack and in which order are its elements removed?"
STACK_REF = "A stack is a last in, first out (LIFO) collection: the most recently pushed element is popped first."

HASH_Q = "Why is looking up a key in a hash table fast on average?"
HASH_REF = ("A hash function maps the key directly to a bucket index, so a lookup takes constant time "
            "on average. Collisions are resolved by chaining or open addressing.")


# ---- embeddings ---------------------------------------------------------------------------
def test_embeddings_are_normalised_and_semantic():
    vecs = embeddings.encode([
        "The cat sleeps on the warm sofa.",
        "A kitten is napping on the couch.",
        "Quarterly tax returns are due in April.",
    ])
    assert vecs.shape == (3, 384)
    assert np.allclose(np.linalg.norm(vecs, axis=1), 1.0, atol=1e-5)
    sims = vecs @ vecs.T
    assert sims[0, 1] > 0.5 > sims[0, 2]


def test_embeddings_match_reference_model_values():
    # Published all-MiniLM-L6-v2 output for this sentence starts with these values.
    vec = embeddings.encode("This is an example sentence")
    assert np.allclose(vec[:4], [0.0677, 0.0635, 0.0487, 0.0793], atol=2e-3)


def test_embedding_cache_and_single_vs_batch_agree():
    enc = embeddings.get_encoder()
    text = "Binary search halves the interval at every step."
    batch = enc.encode([text, "unrelated words here"])[0]
    assert np.allclose(enc.encode(text), batch, atol=1e-5)
    assert enc.cache_info()["size"] >= 2
    assert embeddings.get_encoder() is enc


def test_token_embeddings_drop_special_tokens():
    tokens, vecs = embeddings.get_encoder().encode_tokens("Queues are FIFO.")
    assert "[CLS]" not in tokens and "[SEP]" not in tokens
    assert vecs.shape == (len(tokens), 384)


# ---- key points and text helpers ----------------------------------------------------------------
def test_split_key_points_splits_lists_and_sentences():
    assert split_key_points("Encapsulation and polymorphism.") == ["Encapsulation", "polymorphism"]
    points = split_key_points(HASH_REF)
    assert len(points) == 2 and points[0].startswith("A hash function")
    assert split_key_points(["  first point ", "", "second point"]) == ["first point", "second point"]


def test_split_key_points_keeps_long_clauses_together():
    ref = "It walks the array from left to right and inserts each element into the sorted prefix before it."
    assert split_key_points(ref) == [ref.rstrip(".")]


def test_canonical_synonyms_and_opposites():
    assert "lifo" in canonicalize("Last-in, first-out order").split()
    assert "fifo" in canonicalize("first in first out").split()
    assert opposite_pairs("A stack is LIFO", "It is first in first out") == [("lifo", "fifo")]
    assert opposite_pairs("A stack is LIFO", "LIFO, unlike a FIFO queue") == []


def test_spelling_is_corrected_towards_the_reference_vocabulary():
    assert correct_spelling("passed by refrence", {"reference", "passed"}) == "passed by reference"


# ---- scoring ----------------------------------------------------------------------------------
def test_correct_answer_scores_high_and_reports_evidence():
    result = score_answer(STACK_Q, STACK_REF, "It is LIFO: the last element pushed onto the stack is the first one popped.")
    assert isinstance(result, AnswerScore)
    assert result.score >= 3.5
    assert result.covered_points and not result.missed_points
    assert result.evidence and all(e for e in result.evidence)
    assert "contradiction" not in result.flags


def test_fifo_for_a_stack_is_flagged_and_scored_low():
    right = score_answer(STACK_Q, STACK_REF, "Elements come off in last in, first out order; the newest is popped first.")
    wrong = score_answer(STACK_Q, STACK_REF, "A stack works first in first out, so the oldest element is removed first.")
    assert "contradiction" in wrong.flags
    assert wrong.score <= 2.0
    assert right.score - wrong.score >= 1.5
    assert "fifo" in wrong.rationale.lower()


def test_negated_statement_is_flagged():
    q = "Does a constructor have a return type?"
    ref = "A constructor does not have a return type."
    flipped = score_answer(q, ref, "Yes, a constructor does have a return type.")
    agrees = score_answer(q, ref, "No, constructors never declare any return type.")
    assert "negation" in flipped.flags
    assert "negation" not in agrees.flags
    assert agrees.score > flipped.score


def test_double_flip_is_not_a_contradiction():
    q = "Where can a local variable be used?"
    ref = "A local variable can only be used inside the function that declares it."
    result = score_answer(q, ref, "It cannot be used outside the function that declares it.")
    assert "contradiction" not in result.flags and "negation" not in result.flags


@pytest.mark.parametrize("answer", ["", "   ", "I don't know", "n/a", "???"])
def test_empty_or_trivial_answers_get_zero(answer):
    result = score_answer(STACK_Q, STACK_REF, answer)
    assert result.score == 0.0
    assert result.flags == ["not_answered"]
    assert result.missed_points == split_key_points(STACK_REF)


def test_off_topic_answer_is_flagged_and_capped():
    result = score_answer(HASH_Q, HASH_REF, "My favourite holiday destination is a quiet beach in Portugal.")
    assert "off_topic" in result.flags
    assert result.score <= 0.5


def test_short_correct_paraphrase_beats_on_topic_wrong_answer():
    paraphrase = score_answer(HASH_Q, HASH_REF, "The key is hashed straight to its slot, giving O(1) expected time.")
    wrong = score_answer(HASH_Q, HASH_REF, "Because the hash table keeps its keys sorted and uses binary search on them.")
    assert paraphrase.score > wrong.score


def test_partial_answer_lists_missed_point():
    result = score_answer(HASH_Q, HASH_REF, "The hash function turns the key into the bucket index, so it is constant time.")
    assert any("hash function" in p for p in result.covered_points)
    assert any("Collisions" in p for p in result.missed_points)
    full = score_answer(HASH_Q, HASH_REF, "The hash function maps the key to a bucket index in constant time, and "
                                          "collisions are handled with chaining or open addressing.")
    assert full.score > result.score


def test_wrong_count_is_a_contradiction():
    q = "How many constructors can a class have?"
    wrong = score_answer(q, "Any number of constructors.", "Only one.")
    assert "contradiction" in wrong.flags and wrong.score <= 1.5


def test_scoring_is_deterministic_and_bounded():
    a = score_answer(STACK_Q, STACK_REF, "The most recently pushed item leaves first.")
    b = score_answer(STACK_Q, STACK_REF, "The most recently pushed item leaves first.")
    assert a == b
    assert 0.0 <= a.score <= 5.0 and 0.0 <= a.coverage <= 1.0


def test_coverage_to_score_is_monotone_and_capped():
    values = [coverage_to_score(c) for c in np.linspace(0, 1, 21)]
    assert all(x <= y + 1e-9 for x, y in zip(values, values[1:]))
    assert coverage_to_score(0.9, ["not_answered"]) == 0.0
    assert coverage_to_score(0.9, ["off_topic"]) <= 0.5


def test_empty_reference_is_rejected():
    with pytest.raises(ValueError):
        score_answer("q", "   ", "some answer")
