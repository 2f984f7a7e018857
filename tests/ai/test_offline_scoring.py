"""Behaviour tests for the offline answer scorer and the numpy MiniLM encoder.

Fixtures are written for these tests; nothing depends on /work/shared.
"""

from __future__ import annotations

import numpy as np
import pytest

from interviewer.services.ai.offline import embeddings
from interviewer.services.ai.judgement import score_from_statuses
from interviewer.services.ai.offline.antonyms import swapped
from interviewer.services.ai.offline.answer_scoring import AnswerScore, score_answer, split_key_points, with_params
from interviewer.services.ai.offline.text import correct_spelling, plain_words
from tests.judging import denied


# A rubric question written for these tests (not in the question bank or any benchmark).
Q = "How would you design rate limiting for a public API?"
KP = ["Algorithm: a token bucket or sliding window counts requests per client",
      "Storage: counters kept in a shared store such as Redis so every server agrees",
      "Response: reject extra requests with HTTP 429 and a Retry-After header",
      "Keys: limit per API key or user, not only per IP address"]
FULL = ("I'd use a token bucket per client, so each caller gets a refill rate and a burst. The counters live in "
        "Redis, because we run several API servers and they all need to see the same numbers. When a caller runs "
        "out we answer 429 Too Many Requests and set Retry-After so a well-behaved client knows when to come back. "
        "And I'd key the limit on the API key or the signed-in user rather than just the IP, since many users can "
        "share one address behind a NAT.")
HEDGED = ("I'm not a hundred percent sure, but I think a token bucket per client is the usual approach. Maybe the "
          "counters go in Redis so all the servers agree on them. If I remember right you return 429 with a "
          "Retry-After header. And I'd probably limit per API key or user instead of only per IP.")
HALF = ("I'd use a token bucket for every client, and when they go over the limit the API replies with status 429 "
        "and a Retry-After header.")
WRONG = ("Counters should not be kept in a shared store, each server keeps its own count. We do not reject extra "
         "requests with HTTP 429, we just queue them. And the limit is per IP address only, never per API key.")
# Wrong in ways only knowledge can tell ("local memory" is the opposite of a shared store here): the
# offline judge catches the explicit negation only; see docs/scoring.md for what it cannot see.
SUBTLY_WRONG = ("Rate limits should never return 429; the server should silently drop extra requests. Counters are "
                "best kept in each server's local memory, there is no need to share them. And the limit is always "
                "per IP address only, never per API key.")
GAMING = {
    "keyword salad": "token bucket sliding window counters Redis shared store 429 Retry-After header API key user IP",
    "I don't know + salad": "I don't know. token bucket sliding window Redis 429 Retry-After API key",
    "comma list of terms": "Token bucket, sliding window, Redis counters, shared store, HTTP 429, Retry-After, API key.",
    "key points read back": "Algorithm. Storage. Response. Keys.",
    "question echo": "So the question is how to design rate limiting for a public API. Yes, rate limiting for a "
                     "public API is important.",
    "off topic": "Last summer I rebuilt the deployment scripts for our mobile app and moved the build to a faster "
                 "machine, which cut release time in half.",
}


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
    ref = "A hash maps the key to a bucket in constant time. Collisions are resolved by chaining."
    assert split_key_points(ref) == ["A hash maps the key to a bucket in constant time",
                                     "Collisions are resolved by chaining"]
    assert split_key_points(["  first point ", "", "second point"]) == ["first point", "second point"]


def test_spelling_is_corrected_towards_the_reference_vocabulary():
    assert correct_spelling("passed by refrence", {"reference", "passed"}) == "passed by reference"


def test_plain_words_use_no_synonym_lexicon():
    assert plain_words("Last in, first out; it can't") == ["last", "in", "first", "out", "it", "cannot"]


def test_general_opposites_count_replacements_not_mentions():
    assert swapped(["last", "first", "out"], ["first", "first", "out"]) == [("last", "first")]
    assert swapped(["slower", "write"], ["write", "faster"]) == [("slower", "faster")]
    assert swapped(["first", "out"], ["first", "out", "last"]) == []  # the point's word is still there
    # quantity and breadth (offline-judge-5): "one owner" / "several owners", "wide" / "narrow"
    assert swapped(["each", "valu", "one", "owner"], ["valu", "sever", "owner"]) == [("one", "sever")]
    assert swapped(["wide", "oper", "move", "data"], ["narrow", "oper", "move", "data"]) == [("wide", "narrow")]
    assert swapped(["singl", "thread"], ["multipl", "thread", "singl"]) == []


def test_a_quantity_replaced_by_its_opposite_contradicts_the_point():
    q = "Explain ownership and borrowing in Rust."
    kp = ["Ownership: each value has one owner that frees it at the end of its scope",
          "Borrowing: many shared references or one mutable reference"]
    wrong = score_answer(q, kp, "In Rust a value has several owners that free it at the end of their scope.")
    assert wrong.points[0].reading and "sever" in wrong.points[0].reading
    right = score_answer(q, kp, "Each value has exactly one owner, and that owner frees it at the end of its scope.")
    assert right.points[0].status == "covered" and right.points[0].reading is None


def test_an_opposite_in_the_main_clause_of_a_conditional_point_still_counts():
    """A condition changes what a negation means, so conditional sentences are not compared for
    negations; an opposite word before the condition still contradicts (offline-judge-5)."""
    q = "Explain ownership and borrowing in Rust."
    kp = ["Ownership: each value has one owner and is dropped when the owner goes out of scope"]
    wrong = "In Rust a value has several owners at once, and it is dropped when the last one goes out of scope."
    judged = score_answer(q, kp, wrong).points[0]
    assert judged.reading and "sever" in judged.reading
    from interviewer.services.ai.offline.answer_scoring import with_params
    assert score_answer(q, kp, wrong, with_params(conditional_opposites=False)).points[0].reading is None
    # a negation inside the conditional sentence is still not read as a flip
    right = "Each value has one owner, and it is dropped when that owner goes out of scope, not before."
    assert score_answer(q, kp, right).points[0].reading is None


# ---- one judgement per key point ------------------------------------------------------------------
def _rule(result: AnswerScore) -> float:
    return score_from_statuses([(p.status, p.contradiction is not None) for p in result.points])


@pytest.mark.parametrize("answer", [FULL, HEDGED, HALF, WRONG, SUBTLY_WRONG, *GAMING.values()])
def test_score_is_derived_from_the_judgements_and_quotes_are_verbatim(answer):
    result = score_answer(Q, KP, answer)
    assert [p.point for p in result.points] == KP
    assert result.score == _rule(result)
    for p in result.points:
        assert len(p.quotes) == len(p.spans)
        for quote, (start, end) in zip(p.quotes, p.spans):
            assert answer[start:end] == quote  # verbatim, located in the answer
        if p.status != "missed" or p.reading:
            assert p.quotes, f"{p.point} is {p.status} without a quote"
        else:
            assert not p.quotes


def test_full_and_hedged_answers_cover_every_point():
    full, hedged = score_answer(Q, KP, FULL), score_answer(Q, KP, HEDGED)
    assert full.score >= 3.5 and hedged.score >= 3.5
    assert abs(full.score - hedged.score) <= 1.0  # hedging is not knowledge lost
    assert not [p for p in full.points if p.status == "missed"]
    assert "contradiction" not in full.flags and "contradiction" not in hedged.flags


def test_half_answer_misses_exactly_what_it_did_not_say():
    result = score_answer(Q, KP, HALF)
    by_point = {p.point.split(":")[0]: p for p in result.points}
    assert by_point["Algorithm"].status != "missed" and by_point["Response"].status == "covered"
    assert by_point["Storage"].status == "missed" and by_point["Keys"].status == "missed"
    assert 1.0 <= result.score <= 3.0
    assert any("429" in q for q in by_point["Response"].quotes)


def test_off_topic_padding_neither_helps_nor_hurts():
    padded = HALF + " " + GAMING["off topic"] + " I also enjoy mentoring new engineers on the team."
    assert score_answer(Q, KP, padded).score == score_answer(Q, KP, HALF).score


@pytest.mark.parametrize("kind", sorted(GAMING))
def test_gaming_answers_score_no_knowledge(kind):
    result = score_answer(Q, KP, GAMING[kind])
    assert result.score <= 1.5, result.rationale
    assert all(p.status == "missed" for p in result.points)


def test_gaming_answers_say_why():
    assert "keyword_list" in score_answer(Q, KP, GAMING["keyword salad"]).flags
    assert "keyword_list" in score_answer(Q, KP, GAMING["comma list of terms"]).flags
    assert "echo" in score_answer(Q, KP, GAMING["question echo"]).flags
    assert "off_topic" in score_answer(Q, KP, GAMING["off topic"]).flags
    salad = score_answer(Q, KP, GAMING["keyword salad"])
    assert any("list" in p.note for p in salad.points)


def test_confident_wrong_answer_is_read_as_denials_with_the_wrong_words_quoted():
    """Every denial is read and quoted. Read from bare negations alone, they are doubted (on new
    questions such readings were right about as often as wrong): partly covered as shipped, so the
    interview's verdict goes to a person when it depends on them (scoring.py); counted as
    contradictions the answer scores at most 2."""
    from interviewer.services.ai.offline.answer_scoring import with_params

    result = score_answer(Q, KP, WRONG)
    wrong = [p for p in result.points if p.reading]
    assert len(wrong) >= 2 and all(denied(p) for p in wrong)
    assert any("never per API key" in q for p in wrong for q in p.quotes)
    assert not any(p.status == "covered" for p in result.points)
    counted = score_answer(Q, KP, WRONG, with_params(doubtful="contradiction"))
    assert counted.score <= 2.0 and "contradiction" in counted.flags
    assert counted.score < score_answer(Q, KP, HALF).score


def test_a_subtly_wrong_answer_still_loses_the_point_it_negates():
    result = score_answer(Q, KP, SUBTLY_WRONG)
    keys = result.points[3]
    assert denied(keys) and keys.quotes == ("And the limit is always per IP address only, never per API key.",)
    full = score_answer(Q, KP, FULL).score
    assert result.score < full
    doubts_counted = score_from_statuses([(p.status, p.reading is not None) for p in result.points])
    assert doubts_counted < full - 2


def test_a_contradiction_costs_half_a_point():
    from interviewer.services.ai.offline.answer_scoring import with_params

    result = score_answer(Q, KP, WRONG, with_params(doubtful="contradiction"))
    n_wrong = sum(1 for p in result.points if p.contradiction)
    assert n_wrong >= 2
    credit = sum(1.0 if p.status == "covered" else 0.5 if p.status == "partial" else 0.0 for p in result.points)
    assert result.score == round(5 * max(0.0, credit - 0.5 * n_wrong) / len(KP), 2)


def test_hedge_negations_and_not_only_are_not_contradictions():
    hedge = score_answer(Q, KP, "I'm not sure, but I think we reject extra requests with HTTP 429 and a "
                                "Retry-After header.")
    assert not any(p.reading for p in hedge.points)
    idiom = score_answer(Q, KP, "The limit should apply per API key or per user, not only per IP address.")
    assert not any(p.reading for p in idiom.points)


def test_a_negated_point_is_contradicted():
    result = score_answer(Q, KP, "The API should not reject extra requests with HTTP 429 or send a Retry-After "
                                 "header.")
    response = result.points[2]
    assert denied(response) and response.doubt == "negates it"


def test_typos_keep_their_verbatim_quotes():
    answer = "The countres are kept in Redis so every sever agrees on them."
    result = score_answer(Q, KP, answer)
    assert result.points[1].status != "missed"
    assert result.points[1].quotes == (answer,)


@pytest.mark.parametrize("answer", ["", "   ", "I don't know", "n/a", "???", "No idea, sorry."])
def test_empty_or_trivial_answers_get_zero(answer):
    result = score_answer(Q, KP, answer)
    assert result.score == 0.0
    assert result.flags == ["not_answered"]
    assert result.missed_points == KP


def test_scoring_is_deterministic_and_bounded():
    a, b = score_answer(Q, KP, HALF), score_answer(Q, KP, HALF)
    assert a == b
    assert 0.0 <= a.score <= 5.0


def test_rationale_writes_the_rule_out():
    result = score_answer(Q, KP, HALF)
    assert f"= {result.score:.2f}" in result.rationale and "/ 4" in result.rationale


def test_free_text_reference_and_term_points():
    q = "Which two operations does a stack offer?"
    result = score_answer(q, "push and pop", "You can push an item onto it and pop the top item off.")
    assert result.score >= 3.5 and result.missed_points == []
    # naming a term answers a point that is only a term (a list is fine here)
    named = score_answer(q, "push and pop", "Push, pop.")
    assert named.score >= 3.5 and named.missed_points == []


def test_empty_reference_is_rejected():
    with pytest.raises(ValueError):
        score_answer("q", "   ", "some answer")


STACK_Q = "What is a stack and how does it differ from a queue?"
STACK_KP = ["last in first out", "queue is first in first out"]


@pytest.mark.parametrize("answer", [
    "A stack is last in first out, and a queue is first in first out.",  # the comma Whisper writes
    "A stack is last in first out and a queue is first in first out.",
    "A stack is last in first out, whereas a queue is first in first out.",
])
def test_a_contrast_that_states_each_point_is_not_a_contradiction(answer):
    """A sentence comparing two things says the opposite of each point in its other clause; a
    clause of the same sentence that states the point as it is decides it."""
    result = score_answer(STACK_Q, STACK_KP, answer)
    assert result.score == 5.0 and not result.flags, result


def test_the_same_contrast_with_the_sides_swapped_is_still_wrong():
    result = score_answer(STACK_Q, STACK_KP, "A stack is first in first out, and a queue is last in first out.")
    assert result.score <= 2.0 and "contradiction" in result.flags
    assert result.points[1].reading  # "queue is first in first out" against "a queue is last in..."


QUEUE_Q = "What is a queue?"
QUEUE_KP = ["Order: first in, first out", "Operations: enqueue at the back, dequeue at the front"]


@pytest.mark.parametrize("answer", [
    "A queue is last in, first out, like a stack of plates.",  # the comma people (and Whisper) write
    "A queue is LIFO: last in, first out.",
    "A queue is last in first out.",
])
def test_an_idiom_cut_by_a_comma_is_still_read_whole(answer):
    """"last in, first out" is one statement: its two-word halves are no clauses of their own, so
    "first out" cannot agree with "first in, first out" on its own and hide the contradiction."""
    result = score_answer(QUEUE_Q, QUEUE_KP, answer)
    assert result.points[0].status == "missed" and "'last'" in (result.points[0].reading or "")
    assert result.score == 0.0 and "contradiction" in result.flags


def test_without_the_fragment_rule_the_comma_hid_the_contradiction():
    from dataclasses import replace

    from interviewer.services.ai.offline.answer_scoring import PARAMS

    old = score_answer(QUEUE_Q, QUEUE_KP, "A queue is last in, first out, like a stack of plates.",
                       replace(PARAMS, comma_fragments=False))
    assert old.points[0].status == "covered" and old.points[0].reading is None


@pytest.mark.parametrize("answer", [
    "A queue is first in, first out, like people waiting in line.",
    "Items leave in the order they came, first in, first out.",
    "A stack is last in, first out, whereas a queue is first in, first out.",
])
def test_the_same_idiom_stated_right_is_covered(answer):
    result = score_answer(QUEUE_Q, QUEUE_KP, answer)
    assert result.points[0].status == "covered" and result.points[0].reading is None


def test_a_short_negated_comma_piece_stays_a_correction_of_its_own():
    """"..., not global" corrects what came before; joined to it, its "not" would negate the point."""
    q = "How would you structure state for a large form in React?"
    kp = ["State location: keep form state close to the form or in a form library"]
    result = score_answer(q, kp, "I'd keep the state local to the form or in a dedicated form library, not global.")
    assert result.points[0].reading is None and result.points[0].status != "missed"


def test_taking_from_the_back_of_a_queue_contradicts_the_front():
    result = score_answer(QUEUE_Q, QUEUE_KP, "You add items at the back and remove them from the back too.")
    assert "'back' where the point has 'front'" in (result.points[1].reading or "")
    right = score_answer(QUEUE_Q, QUEUE_KP, "You add items at the back and remove them from the front.")
    assert right.points[1].status == "covered" and right.points[1].reading is None


TCP_Q = "What is the difference between TCP and UDP?"
TCP_KP = ["Reliability: TCP guarantees delivery and order, UDP does not",
          "Connection: TCP sets up a connection with a handshake, UDP is connectionless"]
EVENT_Q = "How would you compute per-minute counts from a stream of events that can arrive late?"
EVENT_KP = ["Event time: aggregate by event time, not arrival time",
            "Watermarks: decide how long to wait for late events"]


@pytest.mark.parametrize(("question", "points", "answer"), [
    (TCP_Q, TCP_KP, "TCP makes sure packets arrive in order and retransmits lost ones. UDP just fires datagrams "
                    "with no guarantee."),
    (TCP_Q, TCP_KP, "TCP opens a connection with a three-way handshake, while UDP has no connection at all."),
    (EVENT_Q, EVENT_KP, "I'd group the events by their own timestamp, the moment they happened, and a watermark "
                        "says how long we keep waiting for late ones."),
    ("How do generators help with memory in Python?",
     ["Memory: a generator keeps only its current frame, not every item", "Laziness: values are produced on demand"],
     "A generator only holds its current state, so it never builds the whole list in memory; each value is "
     "produced when you ask for it."),
    ("Explain Linux signals.", ["SIGKILL: cannot be caught, immediate stop"],
     "SIGKILL can't be caught and stops the process immediately."),
])
def test_a_point_that_says_one_thing_and_denies_another_is_not_negated_by_a_right_answer(question, points, answer):
    """"X, not Y" and "A does X, B does not": each part has its own polarity. A right answer that
    states the positive part without a negation (or the negative part with one) agrees."""
    result = score_answer(question, points, answer)
    assert not any(p.reading for p in result.points), result.points
    assert "contradiction" not in result.flags


@pytest.mark.parametrize(("question", "points", "answer", "index"), [
    (EVENT_Q, EVENT_KP, "I'd aggregate by arrival time, not event time, since that's simpler.", 0),
    (TCP_Q, TCP_KP, "UDP guarantees delivery and order, TCP does not.", 0),
    ("How do generators help with memory in Python?",
     ["Memory: a generator keeps only its current frame, not every item"],
     "A generator keeps every item in memory up front, like a list.", 0),
])
def test_a_mixed_point_said_the_wrong_way_round_is_still_contradicted(question, points, answer, index):
    result = score_answer(question, points, answer)
    assert result.points[index].reading, result.points[index]


def test_before_mixed_polarity_a_right_answer_was_read_as_a_negation():
    from dataclasses import replace

    from interviewer.services.ai.offline.answer_scoring import PARAMS

    answer = "TCP makes sure packets arrive in order and retransmits lost ones. UDP just fires datagrams with no guarantee."
    # offline-judge-7's reading of two-thing points (a clause naming TCP is compared with what the
    # point says of TCP) reads it right on its own too: both are off for "before"
    old = score_answer(TCP_Q, TCP_KP, answer, replace(PARAMS, mixed_polarity=False, thing_parts=False))
    assert old.points[0].reading == "negates it"
    assert score_answer(TCP_Q, TCP_KP, answer, replace(PARAMS, mixed_polarity=False)).points[0].reading is None


def test_no_x_agrees_with_a_point_that_says_x_less():
    """"UDP is connectionless" already says "no connection": repeating it dismisses nothing."""
    from dataclasses import replace

    from interviewer.services.ai.offline.answer_scoring import PARAMS

    answer = "TCP opens a connection with a three-way handshake, while UDP has no connection at all."
    assert score_answer(TCP_Q, TCP_KP, answer).points[1].reading is None
    old = score_answer(TCP_Q, TCP_KP, answer, replace(PARAMS, privative=False, mixed_polarity=False))
    assert (old.points[1].reading or "").startswith("dismisses")


THREAD_Q = "What is the difference between a process and a thread?"
THREAD_KP = ["Cost: creating and switching threads is cheaper than processes"]


def test_a_comparative_meets_the_opposite_of_its_base_word_and_the_reason_uses_the_answers_words():
    """"cheaper" is "cheap" compared: "more expensive" says the opposite. The reason quotes the
    answer's and the point's own words, not their stems ("expens")."""
    wrong = score_answer(THREAD_Q, THREAD_KP, "Threads are more expensive to create and switch than processes.")
    assert wrong.points[0].reading == "says the opposite ('more expensive' where the point has 'cheaper')"
    right = score_answer(THREAD_Q, THREAD_KP, "Creating and switching threads costs less than doing it for processes.")
    assert right.points[0].reading is None


def test_without_comparatives_cheaper_and_more_expensive_did_not_meet():
    from dataclasses import replace

    from interviewer.services.ai.offline.answer_scoring import PARAMS

    old = score_answer(THREAD_Q, THREAD_KP, "Threads are more expensive to create and switch than processes.",
                       replace(PARAMS, comparatives=False))
    assert old.points[0].reading is None


def test_comparatives_are_read_only_where_their_base_word_has_an_opposite():
    from interviewer.services.ai.offline.antonyms import base_word
    from interviewer.services.ai.offline.text import stem

    assert [base_word(stem(w)) for w in ("cheaper", "safest", "easier", "weaker", "latest")] == \
        [stem("cheap"), stem("safe"), stem("easy"), stem("weak"), stem("late")]
    # words that merely end in -er are left alone
    assert [base_word(stem(w)) for w in ("server", "order", "number", "filter")] == \
        [stem(w) for w in ("server", "order", "number", "filter")]


HASH_Q = "What is the time complexity of looking up a key in a hash map?"
HASH_KP = ["Average: O(1) lookup", "Worst case: O(n) when many keys collide"]
LIMIT_Q = "How would you design a rate limiter for a public REST API?"
LIMIT_KP = ["Response: reject with HTTP 429 and a Retry-After header", "Algorithm: token bucket or sliding window"]


@pytest.mark.parametrize(("answer", "said"), [
    ("On average it's O(n), and in the worst case O(1).", ("O(n)", "O(1)")),
    ("It's O(log n) on average, like a balanced tree, and O(n log n) worst case.", ("O(log n)", "O(n log n)")),
])
def test_another_complexity_than_the_points_contradicts_it(answer, said):
    result = score_answer(HASH_Q, HASH_KP, answer)
    assert result.score == 0.0 and "contradiction" in result.flags
    assert result.points[0].reading == f"gives {said[0]} where the point has O(1)"
    assert result.points[1].reading == f"gives {said[1]} where the point has O(n)"


@pytest.mark.parametrize("answer", [
    "On average it's constant time, O(1), and in the worst case O(n) if everything collides.",
    "Lookups take constant time on average; in the worst case, when every key collides, it's O(N).",
])
def test_the_points_complexity_by_symbol_or_by_name_states_it(answer):
    result = score_answer(HASH_Q, HASH_KP, answer)
    assert not any(p.reading for p in result.points), result.points
    assert result.points[0].status == "covered"


def test_another_number_than_the_points_is_only_partly_right_and_says_why():
    wrong = score_answer(LIMIT_Q, LIMIT_KP, "Over the limit we reply 503 Service Unavailable with a Retry-After "
                                            "header. I'd use a token bucket.")
    assert wrong.points[0].status == "partial" and wrong.points[0].note == "Gives 503 where the point has 429."
    right = score_answer(LIMIT_Q, LIMIT_KP, "Over the limit we reply 429 Too Many Requests with a Retry-After "
                                            "header. I'd use a token bucket.")
    assert right.points[0].status == "covered" and right.score == 5.0
    assert wrong.score < right.score


def test_another_number_in_a_second_quote_does_not_undo_the_right_value_in_the_first():
    answer = ("Over the limit we reject the request with HTTP 429. The Retry-After header in that response "
              "tells the client to wait 60 seconds. I would use a token bucket.")
    result = score_answer(LIMIT_Q, LIMIT_KP, answer)
    assert len(result.points[0].quotes) == 2  # both sentences state the point; the first gives its 429
    assert result.points[0].status == "covered" and not result.points[0].note.startswith("Gives")


def test_numbers_given_as_examples_versions_and_notation_do_not_count_as_other_values():
    q = "Questions about Python, timeouts and sorting."
    kp = ["Python 3: print is a function", "Timeouts: set a timeout, e.g. 2 seconds",
          "Quadratic: bubble sort is O(n²)"]
    result = score_answer(q, kp, "In Python 3.8 print is a function. I would set a timeout of 3 seconds. "
                                 "Bubble sort is O(n^2).")
    assert [p.status for p in result.points] == ["covered"] * 3, result.points


def test_without_stated_values_a_wrong_status_code_and_complexity_scored_full_marks():
    from dataclasses import replace

    from interviewer.services.ai.offline.answer_scoring import PARAMS

    off = replace(PARAMS, stated_values=False)
    assert score_answer(HASH_Q, HASH_KP, "On average it's O(n), and in the worst case O(1).", off).score == 5.0
    assert score_answer(LIMIT_Q, LIMIT_KP, "Over the limit we reply 503 with a Retry-After header. Token bucket "
                                           "it is, refilled every second.", off).points[0].status == "covered"


def test_a_number_at_the_end_of_a_sentence_or_with_thousands_separators_is_read():
    from interviewer.services.ai.offline.answer_scoring import _numbers

    assert _numbers("When the limit is hit we return 500.") == {"500"}
    assert _numbers("about 1,000 users, codes 200, 201 and TLS 1.3.") == {"1000", "200", "201", "1.3"}
    q = "How would you design a rate limiter for a public REST API that runs on several servers?"
    result = score_answer(q, ["Response: 429 with Retry-After"], "When the limit is hit we return 500.")
    assert result.points[0].status != "covered"


def test_slowing_down_is_the_opposite_of_speeding_up():
    q = "Explain what a database index is and when adding one makes a query slower overall."
    kp = ["Reads: it speeds up queries that filter or sort"]
    wrong = score_answer(q, kp, "An index makes reads that filter or sort slower.")
    assert "'slower' where the point has 'speeds'" in (wrong.points[0].reading or "")
    right = score_answer(q, kp, "An index speeds up reads that filter or sort.")
    assert right.points[0].status == "covered" and right.points[0].reading is None


@pytest.mark.parametrize("answer", [
    "TCP garantiza la entrega y el orden de los paquetes, UDP no. TCP establece una conexión con un saludo.",
    "TCP garantiert die Zustellung und Reihenfolge, UDP nicht. TCP baut eine Verbindung mit einem Handshake auf.",
    "TCP гарантирует доставку и порядок пакетов, а UDP нет. TCP устанавливает соединение.",
])
def test_an_answer_in_another_language_is_flagged_not_judged(answer):
    result = score_answer(TCP_Q, TCP_KP, answer)
    assert result.flags == ["not_english"] and result.score == 0.0
    assert all(p.note == "Not judged: the answer is not in English." for p in result.points)
    assert "not in English" in result.rationale


@pytest.mark.parametrize("answer", [
    "TCP UDP reliability delivery order handshake connectionless real-time video games",  # a salad stays a salad
    "I worked with José de la Cruz on the API, and TCP guarantees delivery and order while UDP does not.",
    "Redis, Kafka, Postgres, Kubernetes, Docker, Terraform, Grafana, Prometheus",
    "um Redis um token bucket um 429 um",  # spoken fillers are no foreign words
    "The OS schedules threads per core, and the app is served from example.com.",
])
def test_english_answers_with_foreign_names_or_bare_terms_are_not_flagged_as_another_language(answer):
    assert "not_english" not in score_answer(TCP_Q, TCP_KP, answer).flags


def test_a_sentence_that_sets_two_things_against_each_other_contradicts_no_point():
    """'X is not needed, but Y is': the negation is about the other side of the contrast."""
    question = "How many dimensions must you give when passing a two-dimensional array to a function?"
    points = ["all the dimensions except the first one"]
    result = score_answer(question, points, "The first dimension is not required, but every other dimension is needed.")
    assert not result.flags and not result.points[0].reading
    plain = score_answer(question, points, "No dimensions are needed at all.")
    assert plain.score <= 2.0


def test_a_list_answers_a_question_that_asks_for_one():
    question = "What are the different ways to pass a pointer to a function?"
    points = ["nonconstant pointer to nonconstant data", "nonconstant pointer to constant data",
              "constant pointer to nonconstant data", "constant pointer to constant data"]
    listed = ("nonconstant pointer to nonconstant data, nonconstant pointer to constant data, "
              "constant pointer to nonconstant data, constant pointer to constant data")
    result = score_answer(question, points, listed)
    assert "keyword_list" not in result.flags and result.score >= 3.5, result


def test_a_list_of_terms_still_does_not_explain_what_things_are():
    """'What are X?' (no 'the') asks what X are: a list of the key points' words is no answer."""
    question = "What are liveness and readiness probes, and what goes wrong when they are misconfigured?"
    points = ["Readiness: controls whether a pod receives traffic", "Liveness: restarts a stuck container"]
    salad = score_answer(question, points, "readiness liveness probe traffic restart stuck container pods")
    assert salad.score <= 1.5 and "keyword_list" in salad.flags


def test_an_acronym_of_the_questions_phrase_weighs_as_a_question_word():
    """"the GIL" repeats a question about the "Global Interpreter Lock": like the question's other
    words it weighs little, so restating the question with its acronym earns (almost) nothing
    (offline-judge-5)."""
    from interviewer.services.ai.offline.answer_scoring import _acronyms, with_params

    q = "What does the Global Interpreter Lock mean for CPU-bound and I/O-bound work in CPython?"
    kp = ["GIL: only one thread executes Python bytecode at a time",
          "I/O-bound threads: the lock is released while waiting on I/O, so threads still help",
          "CPU-bound work: use multiprocessing or native extensions that release the GIL",
          "Alternatives: asyncio for many concurrent I/O tasks"]
    assert _acronyms(q) == {"gil"} and "ttl" in _acronyms("Explain Time To Live in DNS")
    assert _acronyms("How does Apache Spark execute a job?") == set()  # two letters make no acronym
    echo = ("Right, the Global Interpreter Lock and what it means for CPU-bound and I/O-bound work in CPython. "
            "Okay, so what the GIL means for CPU-bound versus I/O-bound work, that is a good one.")
    low = dict(covered_at=0.35, partial_at=0.25)  # the lowest thresholds the held-out choice gave
    assert score_answer(q, kp, echo, with_params(**low)).score <= 1.5
    assert score_answer(q, kp, echo, with_params(**low, acronyms=False)).score > 1.5


# ---- questions about the candidate's own experience (offline-judge-7) ------------------------
# Written for these tests (not the question bank's, nor stories.json's).
STORY_Q = "Tell me about a time you had to hand over a project to another team. How did it go?"
STORY_KP = ["Situation: what was handed over and why", "Preparation: documentation and knowledge transfer",
            "Outcome: how the new team coped"]
STORY = ("Last autumn our team was moved to payments, so I handed our reporting service to the data team. I wrote a "
         "runbook with the alerts we had seen, recorded two walkthroughs of the code, and sat with their on-call "
         "engineer for a week. They took their first incident alone a month later and fixed it in an hour.")


@pytest.mark.parametrize(("question", "story"), [
    (STORY_Q, True),
    ("Describe a bug you were proud of finding.", True),
    ("Have you ever had to say no to a senior colleague?", True),
    ("Give an example of a time when you simplified a complex system.", True),
    ("Give an example of how you would test a REST API that creates orders.", False),
    ("What would you do if a teammate kept missing code review deadlines?", False),
    ("How do you handle a situation where two services need the same data?", False),
    ("What happens when you type a URL into the browser and press enter?", False),
    ("What is the time complexity of binary search?", False),
])
def test_a_question_asking_for_the_candidates_own_experience_is_recognised(question, story):
    from interviewer.services.ai.offline.answer_scoring import asks_for_story

    assert asks_for_story(question) is story


def test_a_real_story_is_left_to_a_person_instead_of_being_scored_by_word_similarity():
    """Word similarity put real stories against "Situation: the context" near 0 while the key points
    read back scored 3.75-5: the offline judge cannot score stories, so it says so."""
    result = score_answer(STORY_Q, STORY_KP, STORY)
    assert result.flags == ["story"] and result.score == 0.0
    assert all(p.status == "missed" and not p.quotes and p.note.startswith("Not judged") for p in result.points)
    assert "Not judged" in result.rationale
    # the same text to a question that asks for no story is judged as usual
    plain = score_answer("How do you hand over a service to another team?", STORY_KP, STORY)
    assert "story" not in plain.flags and "no_story" not in plain.flags


@pytest.mark.parametrize("answer", [
    "What was handed over and why, documentation and knowledge transfer, and how the new team coped.",
    "I explained what was handed over and why, did documentation and knowledge transfer, and the new team coped.",
    "I always write good documentation and do a proper knowledge transfer, because handovers matter.",
    "If I had to hand over a project I would write documentation and do a knowledge transfer.",
])
def test_an_answer_to_a_story_question_that_tells_no_story_meets_no_point(answer):
    result = score_answer(STORY_Q, STORY_KP, answer)
    assert "no_story" in result.flags and "story" not in result.flags
    assert result.score == 0.0 and all(p.status == "missed" and not p.quotes for p in result.points)
    assert "tells none" in result.rationale


def test_a_story_question_left_unanswered_is_not_answered_not_no_story():
    result = score_answer(STORY_Q, STORY_KP, "I don't know.")
    assert result.flags == ["not_answered"]


def test_past_tense_reading():
    from interviewer.services.ai.offline.text import is_past_tense

    assert all(is_past_tense(w) for w in ("handed", "wrote", "sat", "took", "fixed"))
    assert not any(is_past_tense(w) for w in ("need", "speed", "indeed", "red", "write", "take"))


# ---- readings found while trying the playground as HR would (offline-judge-7) ---------------
def test_the_plainest_answer_to_a_point_that_says_one_thing_and_denies_another_covers_it():
    """"TCP guarantees delivery and order. UDP does not." was judged to negate the point it repeats:
    its first sentence shares every word but the subject with the elliptical part "UDP does not
    guarantee delivery and order", so both parts were taken as stated. A part is stated only with
    the word that sets it apart."""
    q = "What is the difference between TCP and UDP?"
    kp = ["Reliability: TCP guarantees delivery and order, UDP does not"]
    assert score_answer(q, kp, "TCP guarantees delivery and order. UDP does not.").points[0].status == "covered"
    swapped_sides = score_answer(q, kp, "UDP guarantees delivery and order, TCP does not.")
    assert swapped_sides.points[0].reading


def test_a_second_predicate_of_the_same_subject_keeps_its_negation_to_itself():
    from interviewer.services.ai.offline.answer_scoring import with_params

    q = "What is a primary key?"
    kp = ["Uniqueness: it uniquely identifies each row of its table", "Not null: it can never be empty"]
    right = score_answer(q, kp, "A primary key uniquely identifies each row and can never be null.")
    assert right.score == 5.0 and not right.flags
    answer = "A primary key uniquely identifies each row and it can be null."
    read = score_answer(q, kp, answer, with_params(doubtful="contradiction"))
    assert read.points[0].status == "covered" and read.points[1].reading == "negates it"
    # as shipped the reading, from a bare negation, is doubted and kept on the point
    shipped = score_answer(q, kp, answer).points[1]
    assert denied(shipped) and shipped.doubt == "negates it"


def test_labels_that_share_a_word_are_both_found_in_the_question():
    """"a primary key and a foreign key": "Foreign key" is the second run, not the "key" of the first."""
    from interviewer.services.ai.offline.answer_scoring import (
        _label_and_body,
        named_labels,
    )
    from interviewer.services.ai.offline.text import plain_content_stems

    q = "What is the difference between a primary key and a foreign key?"
    kp = ["Primary key: uniquely identifies each row of its table",
          "Foreign key: references the primary key of another table"]
    labels = {p: frozenset(plain_content_stems(_label_and_body(p)[0])) for p in kp}
    assert set(named_labels(q, labels)) == set(kp)
    swapped = score_answer(q, kp, "A primary key can have duplicate values. A foreign key must be unique in its table.")
    assert "Foreign key" in (swapped.points[0].reading or "")


def test_an_answer_nobody_judged_shows_no_arithmetic_in_its_rationale():
    story = score_answer(STORY_Q, STORY_KP, STORY)
    assert story.rationale.startswith("Not judged") and "5 x" not in story.rationale
    judged = score_answer("How do you hand over a service to another team?", STORY_KP, STORY)
    assert "5 x" in judged.rationale


def test_a_compound_of_function_words_is_a_word_of_its_own():
    """"Inheritance is for is-a, composition is for has-a" read as function words only: an echo of
    the question, and the point "composition models a has-a relationship" missed."""
    from interviewer.services.ai.offline.text import plain_words

    assert plain_words("a has-a relationship") == ["a", "hasa", "relationship"]
    assert plain_words("a read-only file") == ["a", "read", "only", "file"]  # content words stay apart
    q = "When would you use composition instead of inheritance?"
    kp = ["Has-a: composition models a has-a relationship, inheritance an is-a one"]
    result = score_answer(q, kp, "Inheritance is for is-a, composition is for has-a.")
    assert result.points[0].status == "covered" and "echo" not in result.flags


def test_a_label_word_the_point_itself_uses_does_not_hide_a_swap():
    """"an inner join keeps every row of the left table" says the left join's point of the inner
    join; "left" there is the body's "left table", not the label "Left join"."""
    q = "What is the difference between an INNER JOIN and a LEFT JOIN?"
    kp = ["Inner join: only rows with a match in both tables",
          "Left join: every row of the left table, with NULLs where the right table has no match"]
    swapped = score_answer(q, kp, "A left join returns only matching rows, while an inner join keeps every row of "
                                  "the left table.")
    assert [bool(p.reading) for p in swapped.points] == [True, True]
    right = score_answer(q, kp, "Inner keeps only the rows that match in both tables. Left keeps every row of the "
                                "left table, with NULLs where the right table has no match.")
    assert not right.flags and all(p.status == "covered" for p in right.points)


def test_and_before_a_thing_the_question_names_starts_a_clause():
    q = "What is the difference between authentication and authorization?"
    kp = ["Authentication: verifying who the user is", "Authorization: deciding what the user is allowed to do"]
    swapped = score_answer(q, kp, "Authorization checks who you are and authentication decides what you are "
                                  "allowed to do.")
    assert all((p.reading or "").startswith("says it of") for p in swapped.points)
    right = score_answer(q, kp, "Authentication checks who you are and authorization decides what you are "
                                "allowed to do.")
    assert right.score == 5.0 and not right.flags


@pytest.mark.parametrize("story", [
    # the historical present, with where it happened
    "So I am at my last job and my manager comes to me and says my code reviews are too slow. I listen, I ask what "
    "slows them down, and we agree on a rule of one day.",
    # one past-tense sentence, and when it happened
    "My manager once told me my handovers were too thin. I listen and I change my process.",
])
def test_a_story_that_says_when_or_where_it_happened_needs_no_second_past_tense_sentence(story):
    from interviewer.services.ai.offline.answer_scoring import with_params

    assert score_answer(STORY_Q, STORY_KP, story).flags == ["story"]
    assert "no_story" in score_answer(STORY_Q, STORY_KP, story, with_params(story_anchors=False)).flags


def test_a_part_said_of_the_other_thing_the_question_asks_about_contradicts_the_point():
    """"TCP is connectionless" against "TCP sets up a connection with a handshake, UDP is
    connectionless": what the point says of UDP, said of TCP, the same way round."""
    q = "What is the difference between TCP and UDP?"
    kp = ["Connection: TCP sets up a connection with a handshake, UDP is connectionless"]
    swapped = score_answer(q, kp, "TCP is connectionless and UDP needs a handshake.")
    assert swapped.points[0].reading == "says it of TCP, not of UDP"
    right = score_answer(q, kp, "TCP sets up a connection with a handshake, while UDP is connectionless.")
    assert right.points[0].status == "covered" and not right.flags
    q2 = "When would you use composition instead of inheritance?"
    kp2 = ["Has-a: composition models a has-a relationship, inheritance an is-a one"]
    assert score_answer(q2, kp2, "Composition is for is-a relationships and inheritance for has-a.").points[0].reading
    assert score_answer(q2, kp2, "I use composition for has-a relationships and inheritance for is-a ones.").score == 5.0


def test_not_connectionless_said_of_the_thing_that_connects_is_no_contradiction():
    """"TCP is not connectionless" is compared with what the point says of TCP ("sets up a
    connection"), and "not connectionless" is "a connection"; the wrong way round still contradicts."""
    from interviewer.services.ai.offline.answer_scoring import with_params

    q = "What is the difference between TCP and UDP?"
    kp = ["Connection: TCP sets up a connection with a handshake, UDP is connectionless"]
    right = score_answer(q, kp, "TCP is not connectionless; UDP is.").points[0]
    assert right.reading is None
    before = with_params(thing_parts=False, less_negation=False)
    assert score_answer(q, kp, "TCP is not connectionless; UDP is.", before).points[0].reading
    wrong = score_answer(q, kp, "UDP is connectionless; TCP does not set up a connection.").points[0]
    assert wrong.reading


SQL_Q = "How would you speed up a slow SQL query?"
SQL_KP = ["Plan: read the execution plan with EXPLAIN", "Indexes: add an index on filtered and joined columns",
          "Queries: avoid SELECT star and fetch only needed columns", "Data: partition or archive large tables"]


def test_dismissing_one_item_of_a_list_point_contradicts_it():
    """"partitioning never helps" dismisses "Data: partition or archive large tables"; the same
    words said of the other case ("not needed for small tables") or under a condition do not."""
    from interviewer.services.ai.offline.answer_scoring import with_params

    wrong = score_answer(SQL_Q, SQL_KP, "Indexes help a lot, but partitioning never helps.").points[3]
    assert wrong.status == "missed" and wrong.reading == 'dismisses it ("partitioning never helps.")'
    assert score_answer(SQL_Q, SQL_KP, "Indexes help a lot, but partitioning never helps.",
                        with_params(item_dismissal=False)).points[3].reading is None
    coordinated = score_answer(SQL_Q, SQL_KP, "Partitioning or adding replicas never really helps.").points[3]
    assert coordinated.reading and coordinated.reading.startswith("dismisses it")
    other_case = score_answer(SQL_Q, SQL_KP, "Add an index on the columns you filter and join on, partitioning "
                              "isn't needed for small tables.").points[3]
    assert other_case.reading is None
    condition = score_answer(SQL_Q, SQL_KP, "Partitioning doesn't help until the table is really large.").points[3]
    assert condition.reading is None
    # a claim for some cases only is no dismissal
    for scoped in ("Partitioning is not needed at first, add an index and partition later.",
                   "Partitioning usually isn't needed.", "Partitioning is not needed in most cases."):
        assert score_answer(SQL_Q, SQL_KP, scoped).points[3].reading is None, scoped
    # the item must be what is of no use: here nobody needs the old rows, not the partitioning
    kept = score_answer(SQL_Q, SQL_KP, "Partition large tables so old rows that nobody needs move away.").points[3]
    assert kept.reading is None


def test_a_point_said_only_of_what_the_answer_denies_is_contradicted():
    """"A rather than B" / "A, not B" / "A instead of B": the point said of B is denied; said of A
    (with B the alternative) it is stated."""
    from interviewer.services.ai.offline.answer_scoring import with_params

    wrong = score_answer(SQL_Q, SQL_KP, "I'd guess at the cause rather than reading the execution plan.").points[0]
    assert wrong.status == "missed" and wrong.reading == 'denies it ("rather than reading the execution plan")'
    assert score_answer(SQL_Q, SQL_KP, "I'd guess at the cause rather than reading the execution plan.",
                        with_params(denied_alternative=False, denied_support=False)).points[0].reading is None
    right = score_answer(SQL_Q, SQL_KP, "I'd read the execution plan with EXPLAIN rather than guess.").points[0]
    assert right.status == "covered" and right.reading is None
    q = "How does Apache Spark execute a job?"
    kp = ["Stages: split at shuffle boundaries"]
    denied = score_answer(q, kp, "Stages are split at every single transformation, not at shuffles.")
    assert denied.points[0].reading
    assert score_answer(q, kp, "Stages are split at shuffle boundaries, not at every transformation.").score == 5.0
    # the label states the point too: "backfill ... in batches instead of one huge update"
    kp2 = ["Backfill: update in batches"]
    assert score_answer("How would you add a column to a big table?", kp2,
                        "I'd backfill the rows in small batches instead of one huge update.").score == 5.0
    # a point that denies with a verb ("avoid SELECT star") is stated by "rather than SELECT star"
    avoid = score_answer(SQL_Q, SQL_KP, "Fetch only the columns you need rather than SELECT star.").points[2]
    assert avoid.status == "covered" and avoid.reading is None
    # "not to mention X" adds X, and "not necessarily X" softens it: neither denies nor negates it
    for also in ("Add indexes on filtered and joined columns, not to mention reading the execution plan with EXPLAIN.",
                 "Read the execution plan with EXPLAIN first, not necessarily the slow log."):
        assert score_answer(SQL_Q, SQL_KP, also).points[0].status == "covered", also
    # a point that itself says "never" is stated by "not MD5"
    kp3 = ["Never: plain text or fast hashes like MD5"]
    assert score_answer("How should passwords be stored?", kp3,
                        "Use bcrypt, not plain text, not MD5.").points[0].reading is None


def test_an_order_given_the_other_way_round_contradicts_the_point():
    """"X before Y" in a point: "Y first ... X last", "Y before X" and "first Y, then X" reverse it;
    "Y after X" keeps it (and "after" in place of "before" is then no opposite)."""
    from interviewer.services.ai.offline.answer_scoring import with_params

    q = "How do you respond to a production incident?"
    kp = ["Mitigation first: restore service before finding root cause", "Communication: keep stakeholders updated"]
    for wrong in ("First find the root cause, then restore the service.",
                  "Find the root cause before restoring service.",
                  "I find the root cause first and restore the service last."):
        point = score_answer(q, kp, wrong).points[0]
        assert point.status == "missed" and point.reading.startswith("gives the order the other way round"), wrong
    assert score_answer(q, kp, "First find the root cause, then restore the service.",
                        with_params(order_swap=False)).points[0].reading is None
    for right in ("Restore service first, and find the root cause afterwards.",
                  "Find the root cause only after restoring service."):
        point = score_answer(q, kp, right).points[0]
        assert point.status == "covered" and point.reading is None, right
    # "SIGKILL after a timeout": SIGTERM "first" orders SIGTERM, not the timeout
    q2 = "Explain how a supervisor stops a process."
    kp2 = ["Process supervisors: send SIGTERM then SIGKILL after a timeout"]
    assert score_answer(q2, kp2, "Supervisors send SIGTERM first, then SIGKILL once a timeout passes.").score == 5.0


def test_a_point_said_of_another_named_thing_in_a_long_sentence_is_a_swap():
    """"Continuous delivery means merge often ..., and continuous integration means every change is
    releasable, ...": the part each named thing starts speaks of that thing, whatever clause MiniLM
    aligns best; said the right way round nothing is flagged."""
    from interviewer.services.ai.offline.answer_scoring import with_params

    q = "What is the difference between continuous integration, continuous delivery and continuous deployment?"
    kp = ["Continuous integration: merge often with automated builds and tests",
          "Continuous delivery: every change is releasable, release is a manual decision",
          "Continuous deployment: every passing change goes to production automatically"]
    swapped = ("Continuous delivery means you merge often with automated builds and tests, and continuous integration "
               "means every change is releasable, with the release a manual decision.")
    result = score_answer(q, kp, swapped)
    assert result.points[0].reading == "says it of Continuous delivery, not of Continuous integration"
    assert result.points[1].reading == "says it of Continuous integration, not of Continuous delivery"
    before = score_answer(q, kp, swapped, with_params(swap_words=False))
    assert sum(bool(p.reading) for p in before.points) < 2
    right = ("Continuous integration means you merge often with automated builds and tests, and continuous delivery "
             "means every change is releasable, with the release a manual decision.")
    assert not any(p.reading for p in score_answer(q, kp, right).points)


def test_a_negation_about_something_else_in_a_sentence_that_states_the_point_does_not_negate_it():
    """Three readings: a sentence that gives an order point's order states it ("..., so changing code
    doesn't bust the cache" is about the cache); "keep X out of Y" is said as "X never reaches Y";
    "check whether keys never expire" asks, like "if", and claims nothing."""
    from interviewer.services.ai.offline.answer_scoring import with_params

    q = "How would you make a Docker image for a Python or Node service small and secure?"
    kp = ["Multi-stage builds: keep build tools out of the final image",
          "Layer caching: copy dependency files before source code", "User: run as a non-root user"]
    order = ("Layer order matters, the dependency files go in and get installed first, then the source, so editing "
             "code doesn't bust the dependency cache.")
    assert score_answer(q, kp, order).points[1].status == "covered"
    assert score_answer(q, kp, order, with_params(order_states=False)).points[1].reading == "negates it"
    out = "Use a multi-stage build so build tools never reach the final image."
    assert score_answer(q, kp, out).points[0].status == "covered"
    assert score_answer(q, kp, out, with_params(out_of=False)).points[0].reading == "negates it"
    wrong = score_answer(q, kp, "A multi-stage build doesn't keep build tools out of the final image.").points[0]
    assert wrong.reading == "negates it"
    q2 = "Redis memory is full in production. What do you check and change?"
    kp2 = ["TTLs: ensure keys expire", "Big keys: find large keys and unbounded collections"]
    ask = "I'd check whether keys are missing TTLs and just never expire."
    assert score_answer(q2, kp2, ask).points[0].reading is None
    assert score_answer(q2, kp2, ask, with_params(whether_condition=False, denied_word=False)
                        ).points[0].reading == "negates it"
    assert score_answer(q2, kp2, ask, with_params(whether_condition=False)).points[0].reading
    # "whether" after a claim of its own still claims: "don't affect whether" is a statement
    claim = "Expiring keys doesn't affect whether Redis fills up, so TTLs never expire."
    assert score_answer(q2, kp2, claim).points[0].reading


def test_little_and_rarely_negate_like_not():
    """"low-selectivity columns gain little" is what "doesn't help much" says (it was dismissed and
    negated on the demo job's own question), and the opposite claim now contradicts it; "a little"
    is no negation, and "few" counts things ("few end-to-end tests" is "only a few")."""
    q = "Explain what a database index is and when adding one makes a query slower overall."
    kp = ["Structure: an index is a sorted lookup structure such as a B-tree",
          "Selectivity: low-selectivity columns gain little"]
    same = score_answer(q, kp, "An index on a low-selectivity column doesn't help much, a full scan is as fast.")
    assert same.points[1].status == "covered" and same.points[1].reading is None
    opposite = score_answer(q, kp, "An index on a low-selectivity column helps a lot.").points[1]
    assert opposite.reading == "negates it"
    kp2 = ["Writes: a little extra work per insert"]
    assert score_answer(q, kp2, "Each insert costs a little extra work.").points[0].reading is None
    q3 = "Explain the test pyramid and what belongs at each level."
    kp3 = ["Unit tests: many, fast, isolated", "End-to-end tests: few, covering critical user journeys"]
    few = score_answer(q3, kp3, "At the top only a few end-to-end tests cover the critical user journeys.").points[1]
    assert few.status == "covered" and few.reading is None


def test_a_thing_that_disappears_is_said_as_none_left():
    """"types disappear in the emitted JavaScript" is what "the emitted JavaScript has no types left"
    says; "types don't disappear" (it repeats the verb) still negates it."""
    from interviewer.services.ai.offline.answer_scoring import with_params

    q = "What does TypeScript's type system check, and what does it not protect you from at runtime?"
    kp = ["Static checking: types are verified at compile time",
          "Type erasure: types disappear in the emitted JavaScript"]
    same = "The emitted JavaScript has no types left, so nothing is checked at runtime."
    assert score_answer(q, kp, same).points[1].reading is None
    assert score_answer(q, kp, same, with_params(vanish=False)).points[1].reading == "negates it"
    assert score_answer(q, kp, "Types don't disappear in the emitted JavaScript.").points[1].reading


def test_an_un_able_word_meets_its_verb():
    """"unrecoverable bugs" is what "bugs you can't recover from" says; "bugs you can recover from"
    still negates it."""
    from interviewer.services.ai.offline.answer_scoring import with_params

    q = "How does Rust handle errors with Result and Option?"
    kp = ["Result: Ok or Err for recoverable errors", "Panics: reserved for unrecoverable bugs"]
    same = "Panics are for bugs you can't recover from."
    assert score_answer(q, kp, same).points[1].reading is None
    assert score_answer(q, kp, same, with_params(able_verbs=False)).points[1].reading == "negates it"
    assert score_answer(q, kp, "Panics are for bugs you can recover from.").points[1].reading == "negates it"


def test_a_label_with_a_word_of_its_own_is_a_name_not_a_polarity():
    """"Not found: return 404 for other tenants' ids" (a bank point) could not be covered: every
    answer returning 404 "negated" it. A bare "Never:" or "Not:" still negates its body."""
    from interviewer.services.ai.offline.answer_scoring import with_params

    q = "How would you design authorisation for a multi-tenant API so that one tenant never sees another's data?"
    kp = ["Tenant scoping: every query filtered by the caller's tenant", "Not found: return 404 for other tenants' ids"]
    right = "For an ID that belongs to another tenant I'd return 404, not 403."
    assert score_answer(q, kp, right).points[1].status == "covered"
    assert score_answer(q, kp, right, with_params(label_name=False)).points[1].reading == "negates it"
    assert score_answer(q, kp, "I would never return 404 for other tenants' ids.").points[1].reading
    kp2 = ["Never: plain text or fast hashes like MD5"]
    assert score_answer("How should passwords be stored?", kp2, "Store them in plain text or as MD5 hashes.").points[0].reading


def test_version_digits_do_not_make_a_sentence_a_string_of_terms():
    """"In practice browsers only speak HTTP/2 and HTTP/3 over TLS." is a sentence: the digits of
    "HTTP/2" were counted as words of their own, so the glue rule took it for a keyword list."""
    from interviewer.services.ai.offline.answer_scoring import with_params

    q = "Compare HTTP/1.1, HTTP/2 and HTTP/3."
    kp = ["HTTP/2: multiplexed streams over one TCP connection", "Deployment: TLS is effectively required"]
    answer = "HTTP/2 multiplexes many streams over one TCP connection. In practice browsers only speak HTTP/2 and HTTP/3 over TLS."
    assert "keyword_list" not in score_answer(q, kp, answer).flags
    assert "keyword_list" in score_answer(q, kp, answer, with_params(glue_digits=False)).flags


def test_a_word_of_the_point_denied_where_it_is_said_contradicts_it():
    """"readers never see stale values" denies the "stale in between" of a TTL point, though the
    same sentence agrees that entries expire after a time (that agreeing clause spared it)."""
    from interviewer.services.ai.offline.answer_scoring import with_params

    q = "What cache invalidation strategies do you know, and what are their trade-offs?"
    kp = ["TTL: entries expire after a time, simple but stale in between",
          "Cache-aside: the application loads on miss and deletes on write"]
    wrong = "With a TTL, entries expire after a few minutes, and that means readers never see stale values."
    ttl = score_answer(q, kp, wrong).points[0]
    assert denied(ttl) and (ttl.reading or "").startswith('denies "stale"')
    assert score_answer(q, kp, wrong, with_params(denied_word=False)).points[0].reading is None
    aside = score_answer(q, kp, "With cache-aside the application loads on a miss and it never deletes entries.")
    assert (aside.points[1].reading or "").startswith('denies "deletes"')
    right = "With a TTL, entries expire after a few minutes, so it is simple, but readers may see stale values until then."
    assert score_answer(q, kp, right).points[0].reading is None
    # a point that denies something itself ("rather than", "instead of") is not read by this rule
    kp2 = ["MVCC: updates create new row versions instead of overwriting", "Dead tuples: old versions remain until vacuumed"]
    mvcc = "An update never overwrites the row; it writes a new version."
    assert not (score_answer("Explain MVCC in PostgreSQL and why VACUUM is needed.", kp2, mvcc).points[0].reading
                or "").startswith("denies")


def test_a_denied_word_about_something_else_is_no_denial():
    """A negation before a word of the point does not deny it under a condition, in a consequence
    ("so ... doesn't bust the cache"), in a relative clause ("where they don't match"), or when
    another clause of the sentence says the word as the point does, more fully."""
    q = "Explain Pods, Deployments and Services in Kubernetes."
    kp = ["Pod: the smallest unit, one or more containers sharing network and storage",
          "Service: a stable virtual IP and DNS name for a set of pods"]
    contrast = "Pods come and go and their IPs aren't stable, so a Service gives you a stable virtual IP and DNS name."
    assert score_answer(q, kp, contrast).points[1].reading is None
    assert score_answer(q, kp, "A Service's virtual IP is not stable.").points[1].reading
    q2 = "How would you make a Docker image for a Python or Node service small and secure?"
    kp2 = ["Layer caching: copy dependency files before source code"]
    so = "Copy the dependency files before the source code, so changing code doesn't bust the dependency layer."
    assert score_answer(q2, kp2, so).points[0].reading is None
    q3 = "How would you shut down a Node.js HTTP service gracefully during a deployment?"
    kp3 = ["Draining: finish in-flight requests before exit"]
    for where in ("Requests that haven't finished yet are drained before the process exits.",
                  "On SIGTERM the server waits for requests which haven't finished and then exits."):
        assert not (score_answer(q3, kp3, where).points[0].reading or "").startswith("denies")
    assert score_answer(q3, kp3, "In-flight requests are never finished before the exit.").points[0].reading
    q4 = "How does a Node service handle unhandled promise rejections?"
    kp4 = ["Propagation: return or await promises so rejections propagate"]
    cond = "If a promise is neither returned nor awaited, its rejection doesn't propagate, so always return or await it."
    assert score_answer(q4, kp4, cond).points[0].reading is None


def test_readings_from_held_out_correct_answers_with_negations():
    """Four correct answers written for bank questions outside the rubric lost a point each to a
    misreading; each reading has a flag, and with it off the old misreading comes back."""
    from interviewer.services.ai.offline.answer_scoring import with_params

    # "avoid peeking and stopping early": "stopping" is what is avoided, not a negation of its own
    q = "How would you design and analyse an A/B test?"
    kp = ["Metric: define the primary metric up front", "Stopping: avoid peeking and stopping early"]
    peek = "We don't peek and stop the moment it looks significant; we run until the planned sample size."
    assert score_answer(q, kp, peek).points[1].reading is None
    assert score_answer(q, kp, peek, with_params(one_implicit=False)).points[1].reading == "negates it"
    # "deployable" does not name "Deployment"
    q2 = "Explain Pods, Deployments and Services in Kubernetes."
    kp2 = ["Pod: the smallest unit, one or more containers sharing network and storage",
           "Deployment: manages replica sets and rolling updates",
           "Service: a stable virtual IP and DNS name for a set of pods"]
    pod = ("I think a Pod is the smallest deployable unit, one or more containers sharing network and storage. "
           "A Deployment manages ReplicaSets and handles rolling updates.")
    assert score_answer(q2, kp2, pod).points[0].reading is None
    assert (score_answer(q2, kp2, pod, with_params(name_forms=False)).points[0].reading or "").startswith("says it of")
    # "a Deployment, which manages ... pods": the relative clause speaks of the Deployment
    dep = ("You don't create pods directly, you create a Deployment, which manages ReplicaSets to keep enough "
           "pods running and does rolling updates when the image changes.")
    assert score_answer(q2, kp2, dep).points[1].reading is None
    assert (score_answer(q2, kp2, dep, with_params(relative_swap=False)).points[1].reading or "").startswith("says it of")
    # "file handles that don't need explicit closing" dismisses the closing, not the file handles ...
    q3 = "What is RAII in C++ and why does it matter?"
    kp3 = ["Destructors: release the resource automatically at scope exit",
           "Examples: smart pointers, lock guards, file handles"]
    ex = "You see it in unique_ptr, in std::lock_guard, and in fstream for file handles that don't need explicit closing."
    assert score_answer(q3, kp3, ex).points[1].reading is None
    assert (score_answer(q3, kp3, ex, with_params(need_object=False)).points[1].reading or "").startswith("dismisses")
    # ... but "edge cases don't need tests" still dismisses "test edge cases" (its object is the point's word)
    q4 = "How would you test code that depends on the current time or on randomness?"
    kp4 = ["Injection: pass a clock as a dependency", "Boundaries: test edge cases like midnight and leap years"]
    assert score_answer(q4, kp4, "Edge cases like midnight or leap years don't need tests.").points[1].reading


def test_a_negative_word_of_the_label_said_in_the_answer_is_no_negation():
    """"the services should be stateless" says the label of "Stateless services: keep state in
    shared stores", not the opposite of its "state"."""
    from interviewer.services.ai.offline.answer_scoring import with_params

    q = "How would you make a web application highly available across failures in one cloud region?"
    kp = ["Multiple zones: spread instances across availability zones", "Stateless services: keep state in shared stores"]
    said = "The services should be stateless, with sessions in a shared store."
    assert score_answer(q, kp, said).points[1].reading is None
    assert score_answer(q, kp, said, with_params(label_negative_words=False)).points[1].reading
    assert score_answer(q, kp, "Keep the state in each server's memory, never in a shared store.").points[1].reading


def test_a_predicate_that_rejects_its_subject_negates_every_clause_of_it():
    """"Storing plain text, or using a fast digest like SHA-1, is out" says the "Never:" point; the
    predicate ("is out", "is off the table", "is a bad idea", "is an anti-pattern") rejects all the
    clauses of its subject, as "never" would."""
    from interviewer.services.ai.offline.answer_scoring import _negations, with_params

    q = "How should a web application store and check user passwords?"
    kp = ["Hashing: slow adaptive hash such as bcrypt, scrypt or Argon2", "Never: plain text or fast hashes like MD5"]
    out = "Storing the plain text password, or using a fast hash like SHA-1 or MD5, is out."
    assert score_answer(q, kp, out).points[1].reading is None
    assert score_answer(q, kp, out, with_params(rejection_scope=False)).points[1].reading == "negates it"
    assert _negations("Dead-letter queues are a bad idea.") == 1 and _negations("MD5 is out of date.") == 0
    assert _negations("Keeping state in the form is an anti-pattern.") == 1


def test_a_verb_of_rejection_with_the_point_as_object_dismisses_it():
    """"I'd skip engagement surveys", "I wouldn't bother with top or htop", "free is useless" reject what
    the point recommends; "avoid non-repeatable reads" (a rejected negation), "I wouldn't use a fast
    hash" (the other kind) and a point that rejects something itself do not."""
    from interviewer.services.ai.offline.answer_scoring import with_params

    q = "Which HR metrics would you track, and how would you act on them?"
    kp = ["Turnover: voluntary and regretted attrition", "Engagement: survey results and eNPS"]
    skip = "I'd skip engagement surveys and eNPS entirely and trust my gut."
    assert (score_answer(q, kp, skip).points[1].reading or "").startswith("dismisses it")
    assert score_answer(q, kp, skip, with_params(rejecting_verbs=False)).points[1].reading is None
    q2 = "A Linux server is slow. What do you check first and with which tools?"
    kp2 = ["CPU: top or htop for load and busy processes", "Memory: free and swap usage"]
    assert (score_answer(q2, kp2, "I wouldn't bother with top or htop, they tell you nothing.").points[0].reading
            or "").startswith("dismisses it")
    assert (score_answer(q2, kp2, "For memory, free is useless, and swap usage tells you nothing."
                         ).points[1].reading or "").startswith("dismisses it")
    q5 = "How would you add tests to legacy code before changing it?"
    kp5 = ["Seams: find places to break dependencies", "Small steps: refactor in small verified changes"]
    point = "There's no point looking for seams, I'd just change things."
    assert (score_answer(q5, kp5, point).points[0].reading or "").startswith("dismisses it")
    assert not (score_answer(q5, kp5, point, with_params(rejecting_verbs=False)).points[0].reading or ""
                ).startswith("dismisses")
    q3 = "Explain the isolation levels of PostgreSQL."
    kp3 = ["Repeatable read: one snapshot for the whole transaction"]
    assert score_answer(q3, kp3, "With repeatable read you avoid non-repeatable reads, because the whole "
                        "transaction uses one snapshot.").points[0].reading is None
    q4 = "How should a web application store and check user passwords?"
    kp4 = ["Hashing: slow adaptive hash such as bcrypt, scrypt or Argon2"]
    assert score_answer(q4, kp4, "I wouldn't use a fast hash like MD5; a slow adaptive hash like bcrypt is "
                        "the right choice.").points[0].reading is None


def test_not_minding_a_thing_allows_it():
    """"it doesn't mind duplicates" says "allows duplicates" (found on held-out bank answers)."""
    q = "What is the difference between a list, a tuple and a set in Python, and when do you use each?"
    kp = ["List: ordered and mutable, allows duplicates", "Set: unordered unique items"]
    ok = "A list is ordered and mutable, and it doesn't mind duplicates."
    assert score_answer(q, kp, ok).points[0].reading is None
    assert score_answer(q, kp, "A list is ordered and mutable, and it never holds duplicates.").points[0].reading


def test_a_dash_ends_a_clause_and_not_without_says_it_is_needed():
    """Found on held-out bank answers: "I wouldn't store the files in the database \u2014 the bytes go
    into object storage" (the negation is about the database, before the dash); "it can't become
    leader without votes from a majority" says a majority elects it; "none of this is worth much
    without auditing" says auditing is needed."""
    from interviewer.services.ai.offline.answer_scoring import _negations

    q = "Design the backend for file uploads that users can share by a link."
    kp = ["Storage: object storage with metadata in a database"]
    dash = "I wouldn't store the files in the database \u2014 the bytes go into object storage, and the database holds metadata."
    assert score_answer(q, kp, dash).points[0].reading is None
    q2 = "How does Raft reach consensus?"
    kp2 = ["Terms and votes: a majority elects a leader"]
    assert score_answer(q2, kp2, "A candidate can't become leader without votes from a majority.").points[0].reading is None
    assert _negations("done without much hassle", weak=False) == 0
    assert _negations("it can't become leader without votes", weak=False) == 2
    q3 = "How would you manage access in a cloud account?"
    kp3 = ["Least privilege: grant only needed actions", "Audit: log and review access"]
    assert score_answer(q3, kp3, "None of this is worth much without auditing, so I'd log and review access."
                        ).points[1].reading is None


def test_the_part_a_sentence_denies_is_a_noun_phrase_not_the_next_clause():
    """"verify implementation rather than behaviour and mocks drift from the real dependencies": the
    denied part is "behaviour"; "mocks drift ..." is a clause of its own that states a point."""
    from interviewer.services.ai.offline.answer_scoring import with_params

    q = "What goes wrong when tests mock too much, and what do you do instead?"
    kp = ["Over-mocking: tests verify implementation, not behaviour", "Drift: mocks diverge from real dependencies"]
    answer = "Over-mocking makes tests verify implementation rather than behaviour and mocks drift from the real dependencies."
    assert score_answer(q, kp, answer).points[1].reading is None
    assert (score_answer(q, kp, answer, with_params(denied_np=False)).points[1].reading or "").startswith("denies it")


def test_coordinated_negations_are_one_negation_not_two_that_cancel():
    """"there are no votes and no terms", "neither ... nor": one negation said of two things."""
    from interviewer.services.ai.offline.answer_scoring import _negations

    assert _negations("there are no votes and no terms involved") == 1
    assert _negations("neither terms nor votes matter") == 1
    assert _negations("it is not cheap and it never was") == 2  # two clauses, each with its own
    q = "How does a Raft cluster pick its leader?"
    kp = ["Terms and votes: a majority elects a leader"]
    answer = "The node with the highest ID just leads, so there are no votes and no terms at all."
    assert score_answer(q, kp, answer).points[0].reading


def test_most_of_a_short_body_rejected_dismisses_the_point():
    """"rewriting history is overkill", "reading the access logs is a waste of time": the verb and
    object of a short point's body, rejected, dismiss it; rejecting something else does not."""
    from interviewer.services.ai.offline.answer_scoring import with_params

    q = "You pushed a secret to a shared Git repository. What do you do?"
    kp = ["Remove: rewrite history with a filtering tool", "Assume exposure: check access logs"]
    overkill = "A new commit that deletes the file is enough; rewriting history is overkill."
    assert (score_answer(q, kp, overkill).points[0].reading or "").startswith("dismisses it")
    assert score_answer(q, kp, overkill, with_params(body_rejection=False)).points[0].reading is None
    waste = "Going through the access logs is a waste of time."
    assert (score_answer(q, kp, waste).points[1].reading or "").startswith("dismisses it")
    fine = "A plain delete is pointless, so I'd rewrite history with a filtering tool like filter-repo."
    assert score_answer(q, kp, fine).points[0].reading is None


def test_a_point_met_only_by_the_words_a_sentence_denies_is_denied():
    """"one big rewrite rather than lots of small changes" meets "Small steps" only through what it
    denies; "transfers resources instead of copying" is about another point than "Rule of five"."""
    from interviewer.services.ai.offline.answer_scoring import with_params

    q = "You inherit a legacy codebase with no tests. Where do you start?"
    kp = ["Small steps: refactor in small verified changes"]
    big = "The efficient move is one big rewrite of the module rather than lots of small changes."
    assert (score_answer(q, kp, big).points[0].reading or "").startswith("denies it")
    assert score_answer(q, kp, big, with_params(denied_support=False)).points[0].reading is None
    q2 = "What are move semantics in C++?"
    kp2 = ["Move: transfer resources instead of copying",
           "Rule of five: define or default copy and move operations together"]
    ok = ("A move transfers resources instead of copying them, and by the rule of five you define copy and "
          "move together.")
    assert all(p.reading is None for p in score_answer(q2, kp2, ok).points)


def test_what_a_sentence_prefers_something_to_is_denied():
    """"kept in memory on each server, which is more available than a shared store" advises against the
    shared store; a point that compares itself ("cheaper than processes") is read by its comparative."""
    from interviewer.services.ai.offline.answer_scoring import with_params

    q = "How would you keep a web application available when one server fails?"
    kp = ["Stateless services: keep state in shared stores"]
    pref = "I keep the session state in memory on each server, which is more available than a shared store."
    assert (score_answer(q, kp, pref).points[0].reading or "").startswith("denies it")
    assert score_answer(q, kp, pref, with_params(than_alternative=False)).points[0].reading is None
    q2 = "What is the difference between a process and a thread?"
    kp2 = ["Cost: creating and switching threads is cheaper than processes"]
    assert score_answer(q2, kp2, "Creating and switching threads is cheaper than doing it for processes."
                        ).points[0].reading is None


def test_the_opposite_of_a_labels_modifier_before_its_noun_contradicts_it():
    """"all the instances in one zone" against "Multiple zones: ..."; "not a single zone" agrees."""
    from interviewer.services.ai.offline.answer_scoring import with_params

    q = "How would you keep a web application running when a data centre fails?"
    kp = ["Multiple zones: spread instances across availability zones"]
    one = "Putting all the instances in one zone is better, because latency is lower there."
    assert "'one' where the point has 'Multiple'" in (score_answer(q, kp, one).points[0].reading or "")
    assert score_answer(q, kp, one, with_params(label_opposite=False)).points[0].reading is None
    ok = "I'd never rely on a single zone: the instances are spread across availability zones."
    assert score_answer(q, kp, ok).points[0].reading is None


def test_keeping_is_the_opposite_of_losing():
    """"a function that doesn't lose access to its outer variables" says it keeps access."""
    q = "Explain closures in JavaScript."
    kp = ["Closure: a function keeps access to variables of its outer scope"]
    assert swapped(["keep", "access"], ["lose", "access"]) == [("keep", "lose")]
    ok = "A closure is a function that doesn't lose access to the variables of its outer scope."
    assert score_answer(q, kp, ok).points[0].reading is None
    assert score_answer(q, kp, "A closure is a function that loses access to the variables of its outer scope."
                        ).points[0].reading


def test_too_risky_and_too_much_to_be_worth_it_reject_their_subject():
    """"Breaking dependencies is too risky", "they produce too many false positives to be worth running"
    reject what they say it of, as "is a bad idea" does; "a bit too slow to start" does not."""
    from interviewer.services.ai.offline.answer_scoring import _negations

    assert _negations("Breaking dependencies is too risky") == 1
    assert _negations("sanitizers produce too many false positives to be worth running") == 1
    assert _negations("the first build is a bit too slow to start") == 0
    q = "How would you track down memory corruption in a C++ program?"
    kp = ["Sanitizers: AddressSanitizer and UndefinedBehaviorSanitizer"]
    answer = ("AddressSanitizer and UndefinedBehaviorSanitizer produce too many false positives to be worth "
              "running on application code.")
    assert score_answer(q, kp, answer).points[0].reading


def test_no_before_an_item_of_a_list_point_dismisses_it():
    """"with no next cursor" dismisses an item of "include total or next cursor"."""
    from interviewer.services.ai.offline.answer_scoring import with_params

    q = "Design pagination for a list endpoint."
    kp = ["Response: include total or next cursor"]
    bare = "The response should just be the bare array, with no next cursor, so clients ask until a page is empty."
    assert (score_answer(q, kp, bare).points[0].reading or "").startswith("dismisses it")
    assert score_answer(q, kp, bare, with_params(item_absence=False)).points[0].reading is None


def test_negating_a_verb_of_leaving_out_says_the_thing_is_done():
    """"don't forget to fsync the directory", "never remove the focus outline without replacing it",
    "don't make calls without a deadline": no denial of the word that follows (found on a development
    set of new questions)."""
    from interviewer.services.ai.offline.answer_scoring import _negations, with_params

    q = "How do you make sure a file write survives a crash?"
    kp = ["Directory: fsync the directory after the rename"]
    ok = "Write a temp file and rename it, and don't forget to fsync the directory after the rename."
    assert score_answer(q, kp, ok).points[0].reading is None
    assert score_answer(q, kp, ok, with_params(negated_privative=False)).points[0].reading
    assert _negations("don't forget to fsync") == 2 and _negations("I forget to fsync") == 0
    q2 = "What should you watch for when services call each other over gRPC?"
    kp2 = ["Deadlines: always set deadlines that propagate across calls"]
    assert score_answer(q2, kp2, "Don't make calls without a deadline, and let it propagate downstream."
                        ).points[0].reading is None
    q3 = "What makes a web form accessible?"
    kp3 = ["Keyboard: every control reachable by keyboard with a visible focus indicator"]
    assert score_answer(q3, kp3, "Every control must be reachable by keyboard, and never remove the visible focus "
                        "indicator.").points[0].reading is None


def test_a_label_said_as_a_name_holds_no_opposite():
    """"the same-origin policy stops scripts reading cross-origin responses" against "Same-origin
    policy: the browser stops scripts reading responses from a different origin": "same" names the
    policy."""
    from interviewer.services.ai.offline.answer_scoring import with_params

    q = "What does CORS do?"
    kp = ["Same-origin policy: the browser stops scripts reading responses from a different origin"]
    ok = "The same-origin policy means the browser won't let a script read a response from another origin."
    assert score_answer(q, kp, ok).points[0].reading is None
    assert score_answer(q, kp, ok, with_params(label_term=False)).points[0].reading


def test_what_a_negation_or_a_rejection_is_about():
    """"consensus avoids it with majority quorums" rejects "it", not the quorums; "the kernel doesn't
    pick randomly" denies the manner; "I wouldn't ship anything that hasn't beaten the current model"
    denies a condition (found on held-out answers to new questions, after they had been scored)."""
    from interviewer.services.ai.offline.answer_scoring import with_params

    q = "What is split-brain and how do you prevent it?"
    kp = ["Split-brain: two leaders accept conflicting writes", "Majority quorum: a leader needs votes from a majority"]
    ok = "It is two leaders accepting writes, and consensus avoids it with majority quorums."
    assert score_answer(q, kp, ok).points[1].reading is None
    assert score_answer(q, kp, ok, with_params(rejection_object=False)).points[1].reading
    q2 = "How does Linux choose which process to kill when memory runs out?"
    kp2 = ["Victim choice: the kernel picks the process with the highest oom_score"]
    ok2 = "The kernel doesn't pick randomly: the process with the highest oom_score is the one killed."
    assert score_answer(q2, kp2, ok2).points[0].reading is None
    assert score_answer(q2, kp2, ok2, with_params(denial_manner=False)).points[0].reading
    q3 = "How would you roll out a new machine learning model?"
    kp3 = ["Offline evaluation: ship only a model that beats the current one on a held-out set"]
    ok3 = "I wouldn't ship anything that hasn't beaten the current model on a held-out set."
    assert score_answer(q3, kp3, ok3).points[0].reading is None


def test_a_doubtful_contradiction_is_partial_coverage():
    """``doubtful="partial"`` (offline-judge-11): a contradiction read from a bare negation counts as
    partly covered, with the quote, the doubted reading and the doubt in the note; "contradiction"
    counts it as a contradiction; an opposite word contradicts either way."""
    from interviewer.services.ai.offline.answer_scoring import with_params

    q = "What is a primary key?"
    kp = ["Uniqueness: it uniquely identifies each row", "Not null: it can never be empty"]
    answer = "A primary key uniquely identifies each row and it can be null."
    shipped = score_answer(q, kp, answer)
    doubted = shipped.points[1]
    assert doubted.status == "partial" and doubted.contradiction is None and doubted.doubt == "negates it"
    assert doubted.quotes == (answer,)
    assert doubted.note == ("Doubtful: the answer seems to say the opposite of this point, but only through a "
                            "negation, which the offline analysis often misreads; counted as partly covered. "
                            "Check the quote.")
    assert shipped.score == 3.75 and "contradiction" not in shipped.flags
    never = score_answer(q, kp, answer, with_params(doubtful="contradiction"))
    assert never.points[1].status == "missed" and never.points[1].contradiction == "negates it"
    assert never.points[1].doubt is None and never.score == 1.25
    q2 = "What is a queue?"
    kp2 = ["Order: first in, first out", "Operations: add at the back, remove from the front"]
    lifo = "A queue is last in, first out; you add items at the back and remove them from the front."
    for mode in ("partial", "contradiction"):
        result = score_answer(q2, kp2, lifo, with_params(doubtful=mode))
        assert result.points[1].status == "covered" and "opposite" in result.points[0].contradiction
        assert result.points[0].doubt is None and result.points[0].status == "missed"


SIGNALS_Q = "Explain Linux signals and how a service should react to SIGTERM and SIGKILL."
SIGNALS_KP = ["SIGTERM: a polite request to stop, can be handled", "SIGKILL: cannot be caught, immediate stop",
              "Graceful shutdown: finish work and release resources on SIGTERM",
              "Process supervisors: send SIGTERM then SIGKILL after a timeout"]


@pytest.mark.parametrize("salad", [
    "SIGTERM polite handled SIGKILL cannot be caught immediate graceful shutdown release resources supervisor timeout",
    "graceful shutdown SIGTERM can be handled polite request SIGKILL cannot be caught supervisor timeout",
])
def test_verb_phrases_copied_from_the_key_points_do_not_make_a_salad_a_sentence(salad):
    judged = score_answer(SIGNALS_Q, SIGNALS_KP, salad)
    assert judged.score <= 1.5 and "keyword_list" in judged.flags
    # the rule is what holds it: without it, the borrowed "cannot be" glues the terms into a "sentence"
    loose = score_answer(SIGNALS_Q, SIGNALS_KP, salad, with_params(borrowed_glue="off"))
    assert "keyword_list" not in loose.flags


def test_an_answer_that_reuses_the_key_points_words_in_its_own_sentences_still_counts():
    answer = ("SIGTERM is a polite request to stop and can be handled, so the service finishes its work. "
              "SIGKILL cannot be caught and stops the process immediately.")
    judged = score_answer(SIGNALS_Q, SIGNALS_KP, answer)
    assert "keyword_list" not in judged.flags
    assert judged.score == score_answer(SIGNALS_Q, SIGNALS_KP, answer, with_params(borrowed_glue="off")).score
    assert judged.score >= 2.5


def test_a_short_answer_that_says_the_point_word_for_word_is_not_a_string_of_terms():
    """Only the borrowed verbs glue nothing: blanking every copied function word (variant "all", not
    adopted) made short correct answers that say the point verbatim read as salads (graded r fell)."""
    question, points = "What is a pointer?", ["A variable that contains the address of another variable"]
    answer = "A variable that contains the memory address of another variable."
    assert score_answer(question, points, answer).score == 5.0
    assert "keyword_list" in score_answer(question, points, answer, with_params(borrowed_glue="all")).flags
