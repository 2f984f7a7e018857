"""The word cues: grammar and discourse classes, not particular answers."""

from __future__ import annotations

import pytest

from interviewer.live import cues
from interviewer.live.cues import classify


@pytest.mark.parametrize("text", [
    "I would use a hash map to count the words.",
    "Threads share memory, processes do not.",
    "Could you repeat the question?",
    "Let's keep a counter per word, shall we?",
    "We rolled it out behind a feature flag in two weeks!",
])
def test_a_finished_sentence_is_complete(text):
    assert classify(text) == "complete"


@pytest.mark.parametrize("text", [
    "I would use a hash map and",
    "I would use a hash map and.",  # a recogniser's stray full stop does not close an open conjunction
    "First I'd normalise the case, so",
    "It is faster because",
    "The data goes into the",
    "Then we would",
    "I'd store it in a dictionary, um",
    "I'd store it in a dictionary. Uh...",
    "So the main idea is, let me think.",
    "Okay, so.",
    "The key is stored with",
    "We used a queue,",
    "The result was...",
    "The cache entries should expire after.",
    "For the deployment I would use.",  # a verb still waiting for its object
    "The tricky part is that...",  # an ambiguous word, trailing off
])
def test_an_open_ending_is_incomplete(text):
    assert classify(text) == "incomplete"


@pytest.mark.parametrize("text", ["Wait, I'm still thinking.", "Give me a second.", "Hold on.",
                                  "I know this. Just a moment.", "Wait."])
def test_asking_for_time_is_a_hold(text):
    assert classify(text) == "hold"


@pytest.mark.parametrize("text", ["I'd shard by user id. That's it.", "That's all.", "I'm done."])
def test_saying_so_is_finished(text):
    assert classify(text) == "finished"


def test_unformatted_streaming_text_ending_on_a_content_word_is_likely():
    assert classify("i would use a hash map to count the words") == "likely"
    assert classify("i would use a hash map to count the") == "incomplete"


@pytest.mark.parametrize("text", ["", "   ", "Yes.", "I think I would do that.",
                                  "That is exactly what I would use.",  # the object came first
                                  "A hash map gives constant time lookups on average..."])
def test_nothing_conclusive_is_unsure(text):
    assert classify(text) == "unsure"


@pytest.mark.parametrize("text", [
    "The hit rate was too low to matter.",  # an infinitive without object ends a sentence
    "We stream the events from the checkout service to analytics.",  # "to" as a preposition
    "We need to store.",  # and one still waiting for its object: no verdict either way
])
def test_a_word_after_to_is_no_verdict(text):
    assert classify(text) == "unsure"
    assert classify("For the deployment we would use.") == "incomplete"  # a modal still is


def test_only_the_last_clause_decides():
    assert classify("Let me think. I would use a hash map keyed by the word.") == "complete"
    assert classify("Give me a second. Okay, I would cache it in Redis.") == "complete"


@pytest.mark.parametrize("text", [
    "We rotate the keys every night in May.",  # a month, not the modal
    "We handed the project over to Will.",  # a name, not the auxiliary after "to"
    "Our team owned the billing service end-to-end.",  # a hyphenated compound is one word
])
def test_a_name_or_a_compound_at_the_end_is_not_a_function_word(text):
    assert classify(text) == "complete"


@pytest.mark.parametrize("text", [
    "We rotate the keys every night in may",  # unformatted text: no capital, no verdict of a name
    "The keys rotate. May",  # a capital at a sentence start is no name
    "I think that I",
])
def test_a_lower_case_or_sentence_initial_function_word_still_leaves_the_answer_open(text):
    assert classify(text) == "incomplete"


@pytest.mark.parametrize(("text", "with_variant"), [
    ("I've driven a bus for six years, which I'm quite proud of.", "unsure"),  # wh-relative strands "of"
    ("Nobody had explained what it was for.", "unsure"),
    ("I think that we should go with.", "incomplete"),  # "that" is left out: a complementiser here
    ("When we moved the servers to.", "incomplete"),  # "when" cannot be a preposition's object
    ("Which is why I'd start with the...", "incomplete"),  # trailing off, not a sentence end
    ("The part which I enjoyed was working on", "incomplete"),  # no sentence end from the recogniser
])
def test_a_preposition_a_wh_word_strands_is_no_verdict_and_no_other_is_freed(monkeypatch, text, with_variant):
    """Round 11's rule (on as shipped); with it off, each of these waits the patience."""
    assert classify(text) == with_variant
    monkeypatch.setattr(cues, "WH_STRANDING", False)
    assert classify(text) == "incomplete"


@pytest.mark.parametrize(("text", "with_rule"), [
    ("I inspect every room myself before we let our guest check in.", "unsure"),  # "check in": no object needed
    ("It was a hard project, but eventually we all moved on.", "unsure"),
    ("So for the migration on that big orders table, we ran it in.", "incomplete"),  # "it in": no phrasal verb
    ("In my last project I led the migration to.", "incomplete"),
    ("They had already paid for.", "incomplete"),  # "pay for" needs its object
    ("Before each shift we check in...", "incomplete"),  # trailing off is not a sentence end
])
def test_a_phrasal_verb_that_needs_no_object_is_no_verdict_and_no_other_is_freed(monkeypatch, text, with_rule):
    """Round 15's rule (on as shipped), from WordNet's verb frames; with it off, each of these waits the patience."""
    assert classify(text) == with_rule
    monkeypatch.setattr(cues, "PHRASAL_ENDINGS", False)
    assert classify(text) == "incomplete"
