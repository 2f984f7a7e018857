"""Counterfactual fairness: the same answer scores the same whoever gives it (name, pronouns,
gendered words), through the product's path (redaction, then the offline judge); non-native
phrasing of the same content moves the score little. (bench/bench_counterfactual.py measures it
on the whole rubric benchmark.)"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from interviewer.services.ai.offline_provider import OfflineProvider
from interviewer.services.ai.provider import FairProvider

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
from bench_counterfactual import PEOPLE, non_native, with_identity  # noqa: E402

QUESTION = "Why would you add an index to a database table, and what does it cost?"
POINTS = ["faster lookups on the indexed columns", "slower writes because the index is updated",
          "extra storage for the index"]
ANSWERS = [
    "An index lets the database find rows by the indexed column without scanning the whole table, so lookups "
    "get much faster. The cost is that every insert and update also has to update the index, which slows "
    "writes, and the index takes extra disk space.",
    "Reads on that column become faster because the database uses the index instead of a full scan. I would "
    "not add one everywhere since writes get slower.",
    "I am not sure, maybe an index makes the table smaller and writes faster.",
]


@pytest.fixture(scope="module")
def provider():
    return FairProvider(OfflineProvider())


def _score(provider, text, names=()):
    return provider.score_answer(QUESTION, POINTS, text, candidate_names=names).result.score


@pytest.mark.parametrize("answer", ANSWERS)
def test_identity_swaps_do_not_change_the_score(provider, answer):
    scores = {(name, known): _score(provider, with_identity(answer, name, pronoun, relative),
                                    [name] if known else [])
              for name, pronoun, relative in PEOPLE for known in (True, False)}
    assert len(set(scores.values())) == 1, scores


def test_non_native_phrasing_moves_the_score_little(provider):
    assert non_native("It uses the index when a query would scan two tables.") == \
        "It use index when query will scan two table."
    for answer in ANSWERS:
        assert abs(_score(provider, answer) - _score(provider, non_native(answer))) <= 0.5
