"""Held-out check of the label-swap rule: a point's statement said of another thing the question names.

Usage (from the repository root)::

    .venv/bin/python bench/bench_label_swap.py

The rule (``Params.label_swap``, ``offline/answer_scoring.py``) was written while reading the
interview-rubric benchmark's confidently wrong answers, so that benchmark no longer tests it
fairly. This bench uses only questions of the project's question bank that are *not* in the
rubric benchmark, and builds the answers mechanically from their key points, so nothing in it was
chosen with the rule in mind:

* for every such question whose key points name two or more things the question names side by
  side (``named_labels``: "What do Send and Sync mean?" with points "Send: ..." and "Sync: ..."),
* a **faithful** answer: one sentence per key point, "For <label>, <statement>." in order;
* a **swapped** answer: the same sentences with the labels of the first two named points
  exchanged ("For Sync, <what Send does>. For Send, <what Sync does>.");
* the same two answers with those two points in one sentence joined by "and", no comma ("Send
  means <...> and Sync means <...>."), with the rule and with "and" before a named thing not
  starting a clause (``and_before_named``), and without reading the part of the sentence each
  named thing starts (``swap_words``, offline-judge-8).

Printed: how many points of the faithful answers the rule wrongly flags (false swaps: the
figure that must stay at zero), how many of the two swapped points it flags in the swapped
answers (detections), and the mean score of each, with the rule and without.
"""

from __future__ import annotations

import json
import sys
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from interviewer.services.ai.offline import text as tx  # noqa: E402
from interviewer.services.ai.offline.answer_scoring import (  # noqa: E402
    PARAMS,
    _label_and_body,
    named_labels,
    score_answer,
)
from interviewer.services.ai.question_bank import BANK  # noqa: E402

RUBRIC = Path(__file__).resolve().parent / "data" / "rubric"


def rubric_ids() -> set[str]:
    return {q["bank_id"] for f in RUBRIC.glob("questions_part*.json") for q in json.loads(f.read_text())}


def sentence(label: str, body: str) -> str:
    body = body.rstrip(". ")
    return f"For {label}, {body[:1].lower()}{body[1:]}."


def joined(first: tuple[str, str], second: tuple[str, str]) -> str:
    """The two points in one sentence with no comma: "<label> means <body> and <label> means <body>."."""
    def part(label: str, body: str) -> str:
        body = body.rstrip(". ")
        return f"{label} means {body[:1].lower()}{body[1:]}"
    return f"{part(*first)} and {part(*second)[:1].lower()}{part(*second)[1:]}."


def main() -> None:
    seen = rubric_ids()
    cases = []
    for q in BANK:
        if q.id in seen:
            continue
        points = list(q.key_points)
        labels = {p: frozenset(tx.plain_content_stems(_label_and_body(p)[0])) for p in points}
        named = [p for p in points if p in named_labels(q.text, labels)]
        if len(named) >= 2:
            cases.append((q, points, named[:2]))
    print(f"{len(BANK)} bank questions, {len(seen)} in the rubric benchmark; {len(cases)} unseen questions name "
          f"two or more of their points' subjects\n")
    variants = (("with the rule", PARAMS, False), ("without it", replace(PARAMS, label_swap=False), False),
                ("joined, with the rule", PARAMS, True),
                ("joined, without 'and' before a named thing", replace(PARAMS, and_before_named=False), True),
                ("joined, without the parts each named thing starts (swap_words)", replace(PARAMS, swap_words=False),
                 True))
    for name, params, one_sentence in variants:
        false_swaps = detected = 0
        faithful_scores, swapped_scores = [], []
        for q, points, (p1, p2) in cases:
            parts = {p: _label_and_body(p) for p in points}
            swap = {p1: parts[p2][0], p2: parts[p1][0]}
            if one_sentence:  # the two named points in one sentence joined by "and", the rest as before
                rest = " ".join(sentence(*parts[p]) for p in points if p not in (p1, p2))
                faithful = joined(parts[p1], parts[p2]) + " " + rest
                swapped = joined((swap[p1], parts[p1][1]), (swap[p2], parts[p2][1])) + " " + rest
            else:
                faithful = " ".join(sentence(*parts[p]) for p in points)
                swapped = " ".join(sentence(swap.get(p, parts[p][0]), parts[p][1]) for p in points)
            a = score_answer(q.text, points, faithful, params)
            b = score_answer(q.text, points, swapped, params)
            false_swaps += sum(1 for j in a.points if (j.contradiction or "").startswith("says it of"))
            detected += sum(1 for j in b.points if j.point in (p1, p2)
                            and (j.contradiction or "").startswith("says it of"))
            faithful_scores.append(a.score)
            swapped_scores.append(b.score)
        n = max(1, len(cases))
        print(f"{name}: faithful answers mean {sum(faithful_scores) / n:.2f}, points wrongly flagged as swapped "
              f"{false_swaps} of {sum(len(c[1]) for c in cases)}; swapped answers mean "
              f"{sum(swapped_scores) / n:.2f}, swapped points flagged {detected} of {2 * len(cases)}")
    for q, _points, (p1, p2) in cases:
        print(f"  {q.id}: {_label_and_body(p1)[0]} <-> {_label_and_body(p2)[0]}  ({q.text})")


if __name__ == "__main__":
    main()
