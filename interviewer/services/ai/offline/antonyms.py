"""General English opposites, for spotting an answer that says the opposite of a key point.

Written for this project from general knowledge of English (comparatives, directions, order,
quantity, permission, state): no pair names a concept of a particular question or subject, so
the list holds on questions nobody has seen. Words are compared as Snowball stems, so
"increases"/"increasing" meet "increase". Whether the list earns its place is measured in
``bench/bench_answer_scoring.py`` (``--ablate antonyms``) on held-out assignments and on the
interview-rubric benchmark.
"""

from __future__ import annotations

from functools import lru_cache

import snowballstemmer

_PAIRS = """
before after | first last | earlier later | early late | start stop | begin end | open close
increase decrease | increase reduce | raise lower | higher lower | more less | more fewer | most least
maximum minimum | largest smallest | bigger smaller | larger smaller | big small | large small | long short
longer shorter | faster slower | fast slow | always never | all none | everything nothing | many few
same different | equal unequal | true false | correct incorrect | valid invalid | possible impossible
safe unsafe | secure insecure | allow deny | allow forbid | accept reject | enable disable | include exclude
add remove | insert delete | inside outside | internal external | above below | top bottom | up down
left right | on off | old new | older newer | oldest newest | local remote | local global | public private
synchronous asynchronous | sync async | blocking nonblocking | sequential parallel | serial parallel
stateless stateful | explicit implicit | cheap expensive | easy hard | simple complex | strong weak
horizontal vertical | ascending descending | encrypt decrypt | compress decompress | lock unlock
mutable immutable | static dynamic | input output | success failure | succeed fail | win lose | gain lose
keep discard | keep drop | required optional | mandatory optional | include omit | read write
increase shrink | grow shrink | expand shrink | push pull | import export | send receive | upper lower
narrow wide | narrow broad | one several | one multiple | single multiple | single several | keep stop
continue stop | front back | speed slow | speed slower | keep lose
""".strip()

_STEM = snowballstemmer.stemmer("english")


@lru_cache(maxsize=1)
def opposite_stems() -> dict[str, frozenset[str]]:
    """stem -> stems of its opposites (both directions)."""
    table: dict[str, set[str]] = {}
    for pair in _PAIRS.replace("\n", " | ").split("|"):
        words = pair.split()
        if len(words) != 2:
            continue
        a, b = (_STEM.stemWord(w) for w in words)
        table.setdefault(a, set()).add(b)
        table.setdefault(b, set()).add(a)
    return {k: frozenset(v) for k, v in table.items()}


def base_word(stem: str) -> str:
    """A comparative or superlative with no opposite of its own read as its base word when that
    has one ("cheaper" -> "cheap", "safest" -> "safe", "easier" -> "easi"); other stems as they are."""
    table = opposite_stems()
    if stem in table or len(stem) < 5:
        return stem
    for suffix in ("er", "est"):
        if stem.endswith(suffix):
            root = stem[: -len(suffix)]
            for cand in (root, root + "e", root[:-1], root[:-1] + "i" if root.endswith("i") else ""):
                if len(cand) >= 3 and cand in table:
                    return cand
    return stem


def swapped(point_words: list[str], claim_words: list[str], comparatives: bool = True) -> list[tuple[str, str]]:
    """Pairs ``(point_word, claim_word)`` where the claim puts an opposite in place of a word of the
    point: the claim uses the opposite more often, and the point's word less often, than the point
    does ("first in first out" for "last in first out"; but not "unlike the old one, the new one")."""
    from collections import Counter

    table = opposite_stems()
    if comparatives:
        point_words = [base_word(w) for w in point_words]
        claim_words = [base_word(w) for w in claim_words]
    p, c = Counter(point_words), Counter(claim_words)
    found = []
    for s in sorted(p):
        for o in sorted(table.get(s, ())):
            if c[o] > p[o] and c[s] < p[s]:
                found.append((s, o))
    return found
