"""Open endings: the closed word classes the recogniser and the end-of-turn cues share."""

from __future__ import annotations

import pytest

from interviewer.services.speech.endings import ends_on_name, ends_open, words


@pytest.mark.parametrize("text", [
    "I would read the file line by line and", "line by line and...", "The tricky part is the...",
    "we stored the tokens in a table with...", "I think, um,", "the orders, which", "First,",
    "so I would -", "We use it. And",
])
def test_a_trailing_function_word_or_comma_is_open(text):
    assert ends_open(text)


@pytest.mark.parametrize("text", [
    "I would read the file line by line.", "I would read the file line by line", "the logs...",
    "the logs bot.", "", "Shall we?", "Is it?", "every night in May.", "it runs end-to-end.",
])
def test_a_content_word_a_name_or_a_question_is_not_open(text):
    assert not ends_open(text)


def test_names_and_compounds():
    assert ends_on_name("we talked to Will.") and ends_on_name("every night in May")
    assert not ends_on_name("Will.") and not ends_on_name("It works. May") and not ends_on_name("then I.")
    assert not ends_on_name("every night in may")
    assert words("An end-to-end test, isn't it?") == ["an", "end-to-end", "test", "isn't", "it"]
