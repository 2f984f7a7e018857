"""Would waiting on answers that do not address the question yet help? Words only, no audio.

Usage (from the repository root)::

    .venv/bin/python bench/bench_addresses_question.py --set questions-a [--k 1 2 3] [--verbose]

For a set whose answers carry their questions (``bench_turn_latency.py``'s ``questions-a`` /
``questions-b``): the end-of-turn cue (:func:`interviewer.live.cues.classify`) of the words before each
mid-answer pause (a full stop added when they end on none, as a formatting provider could send them) and
of every finished answer, as shipped and under the variant of
``bench/data/turn/addresses_question_preregistration.txt``: the answer so far shares no content stem
with its question and has at most K content stems -> a quick cue (complete, likely, unsure) becomes
"incomplete" (wait the patience). Printed per K: fragments newly waiting (the intended effect) and
finished answers newly waiting (the cost).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import bench_turn_latency as turns  # noqa: E402

QUICK = ("complete", "likely", "unsure")


def not_yet_addressed(text: str, question: str, k: int) -> bool:
    """The words so far share no content stem with the question and hold at most ``k`` content stems."""
    from interviewer.services.ai.offline.text import plain_content_stems

    said = plain_content_stems(text)  # contractions split ("that's", "I'd"), stopwords dropped
    return len(said) <= k and not set(said) & set(plain_content_stems(question))


def variant_cue(text: str, question: str, k: int) -> str:
    from interviewer.live.cues import classify

    cue = classify(text)
    return "incomplete" if cue in QUICK and not_yet_addressed(text, question, k) else cue


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--set", dest="which", required=True, choices=sorted(turns.QUESTIONS))
    parser.add_argument("--k", type=int, nargs="+", default=[1, 2, 3])
    parser.add_argument("--verbose", action="store_true", help="every answer that changes")
    args = parser.parse_args()
    from interviewer.live.cues import classify

    paused, whole, *_ = turns.SETS[args.which]
    asked_paused, asked_whole = turns.QUESTIONS[args.which]
    fragments = [((first if first.rstrip()[-1:] in ".!?" else first.rstrip(" ,;:-") + "."), q)
                 for (first, _second), q in zip(paused, asked_paused)]
    finished = [(f"{first} {second}", q) for (first, second), q in zip(paused, asked_paused)]
    finished += list(zip(whole, asked_whole))
    print(f"set {args.which}: {len(fragments)} pause fragments, {len(finished)} finished answers")
    print(f"  quick under the shipped cues: fragments {sum(classify(t) in QUICK for t, _ in fragments)}, "
          f"finished {sum(classify(t) in QUICK for t, _ in finished)}")
    for k in args.k:
        def newly(rows: list[tuple[str, str]], k: int = k) -> list[tuple[str, str]]:
            return [(t, q) for t, q in rows if classify(t) in QUICK and variant_cue(t, q, k) == "incomplete"]

        caught, slowed = newly(fragments), newly(finished)
        print(f"K={k}: fragments newly waiting {len(caught)}/{len(fragments)}; "
              f"finished answers newly waiting {len(slowed)}/{len(finished)}")
        if args.verbose:
            for label, rows in (("fragment", caught), ("finished", slowed)):
                for t, q in rows:
                    print(f"    {label}: {t!r}  (asked: {q!r})")


if __name__ == "__main__":
    main()
