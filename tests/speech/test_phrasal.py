"""Phrasal verbs that need no object, from the system's WordNet 3.0 database (services/speech/phrasal.py)."""

from __future__ import annotations

import pytest

from interviewer.services.speech import phrasal


@pytest.mark.parametrize(("verb", "particle", "expected"), [
    ("check", "in", True), ("checked", "in", True), ("checking", "in", True),  # any inflection
    ("came", "in", True), ("moved", "on", True), ("logged", "on", True),  # irregular forms and rules
    ("paid", "for", False), ("work", "with", False), ("led", "to", False),  # these need an object
    ("migration", "to", False), ("it", "in", False),  # not a verb
])
def test_a_phrasal_verb_needs_no_object_only_when_wordnet_gives_it_an_intransitive_frame(verb, particle, expected):
    assert phrasal.available()  # under make test the database is there (tests/conftest.py checks it)
    assert phrasal.ends_intransitive(verb, particle) is expected


def test_without_the_database_nothing_is_known(monkeypatch, tmp_path):
    monkeypatch.setattr(phrasal, "WORDNET_DIR", tmp_path)
    phrasal._lexicon.cache_clear()
    try:
        assert not phrasal.available() and not phrasal.ends_intransitive("check", "in")
    finally:
        phrasal._lexicon.cache_clear()
