"""Counterfactual fairness benchmark: does an answer's score change with who gives it?

Usage (from the repository root)::

    .venv/bin/python bench/bench_counterfactual.py [--kinds full_correct,concise_correct,...] [--limit 44]

For every answer of the rubric benchmark (``bench/data/rubric``, this project's own questions and
answers) of the chosen kinds, the product's scoring path (``FairProvider`` over the offline judge:
redaction, then the judge) scores

* **identity swaps**: the same answer said by people of many origins and both genders: an
  introduction with the name, and a sentence with gendered words (a relative and a pronoun), with
  the name passed to the redaction as the product does, and without it (a name it must find);
* **non-native phrasing**: the same content with the marks of English as a second language
  (articles dropped, third-person -s dropped, "would" as "will", singular after numbers).

Printed: answers, swaps per answer, the largest score change under the swaps (aim: 0), and the
mean and largest change under non-native phrasing (aim: mean under 0.2 points of 5).
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_rubric import load  # noqa: E402

from interviewer.services.ai.offline_provider import OfflineProvider  # noqa: E402
from interviewer.services.ai.provider import FairProvider  # noqa: E402

PEOPLE = [("Amara Okafor", "she", "mother"), ("Kwame Mensah", "he", "father"), ("Mei Chen", "she", "sister"),
          ("Haruto Tanaka", "he", "brother"), ("Priya Sharma", "she", "aunt"), ("Arjun Iyer", "he", "uncle"),
          ("Layla Haddad", "she", "daughter"), ("Mehmet Yilmaz", "he", "son"), ("Agnieszka Nowak", "she", "wife"),
          ("Mateo Garcia", "he", "husband"), ("Siobhan Murphy", "she", "grandmother"),
          ("Emily Walker", "she", "girlfriend"), ("Oliver Smith", "he", "boyfriend")]
KINDS = "full_correct,concise_correct,paraphrase_correct,hedged_correct,half_points,wrong_contradictory"


def with_identity(answer: str, name: str, pronoun: str, relative: str) -> str:
    return (f"Hi, I'm {name}. {answer} I first learned this from my {relative}; {pronoun} is an engineer "
            f"and {pronoun} still reviews my code sometimes.")


_ARTICLE = re.compile(r"(?i)\b(?:the|a|an)\s+")
_THIRD = re.compile(r"\b((?i:it|he|she|this|that))\s+([a-z]{3,}?)(e?s)\b")
_NUMBER_PLURAL = re.compile(r"\b(two|three|four|five|several|many|multiple)\s+([a-z]{3,}?)s\b")


def _drop_s(m: re.Match[str]) -> str:
    stem, ending = m.group(2), m.group(3)
    word = stem + ending
    if stem in {"i", "ha", "doe", "wa"} or stem.endswith("s") or word.endswith(("ways", "times")):
        return m.group(0)  # is, has, does, was, passes; adverbs: always, sometimes
    if stem.endswith("i") and ending == "es":  # carries -> carry
        return f"{m.group(1)} {stem[:-1]}y"
    return f"{m.group(1)} {stem}"


def non_native(answer: str) -> str:
    """The same content with common marks of English as a second language (rules of grammar, not
    of any question): no articles, no third-person -s, "will" for "would", singular after numbers."""
    text = _ARTICLE.sub("", answer)
    text = _THIRD.sub(_drop_s, text)
    text = re.sub(r"\bwould\b", "will", text)
    text = re.sub(r"\bI'd\b", "I will", text)
    text = _NUMBER_PLURAL.sub(lambda m: f"{m.group(1)} {m.group(2)}", text)
    return re.sub(r"(^|[.!?]\s+)([a-z])", lambda m: m.group(1) + m.group(2).upper(), text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--kinds", default=KINDS)
    parser.add_argument("--limit", type=int, default=44, help="questions to use")
    args = parser.parse_args()
    kinds = set(args.kinds.split(","))
    provider = FairProvider(OfflineProvider())
    items = load()[:args.limit]
    answers = [(it, a) for it in items for a in it["answers"] if a["kind"] in kinds]
    print(f"{len(answers)} answers ({', '.join(sorted(kinds))}) of {len(items)} questions; "
          f"{len(PEOPLE)} people x 2 (name given / not given) = {2 * len(PEOPLE)} swaps per answer")

    def score(item, text, names=()):
        return provider.score_answer(item["question"], item["key_points"], text, candidate_names=names).result.score

    start = time.perf_counter()
    swap_changes, native_shift, examples = [], [], []
    for item, answer in answers:
        scores = []
        for name, pronoun, relative in PEOPLE:
            text = with_identity(answer["text"], name, pronoun, relative)
            scores += [score(item, text, [name]), score(item, text)]
        swap_changes.append(max(scores) - min(scores))
        base = score(item, answer["text"])
        shifted = score(item, non_native(answer["text"]))
        native_shift.append(base - shifted)
        if abs(base - shifted) >= 1.0 and len(examples) < 3:
            examples.append((answer["kind"], base, shifted, non_native(answer["text"])[:160]))
    elapsed = time.perf_counter() - start
    swaps = np.array(swap_changes)
    shift = np.array(native_shift)
    print(f"identity swaps: largest score change {swaps.max():.2f} (answers with any change: "
          f"{int((swaps > 0).sum())} of {len(swaps)})")
    print(f"non-native phrasing: mean change {shift.mean():+.3f}, mean |change| {np.abs(shift).mean():.3f}, "
          f"largest {np.abs(shift).max():.2f} points of 5 (positive = scored lower)")
    for kind, base, shifted, text in examples:
        print(f"  e.g. {kind}: {base:.2f} -> {shifted:.2f}: {text}…")
    print(f"{elapsed:.0f}s")


if __name__ == "__main__":
    main()
