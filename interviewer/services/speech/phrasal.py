"""Phrasal verbs that can end a sentence ("we had to check in.", "it's time to move on."), read from the
WordNet 3.0 database the system provides (Debian's ``wordnet-base``: ``/usr/share/wordnet``; Princeton's
WordNet 3.0 licence, nothing of it is copied into this project).

WordNet lists a phrasal verb as one collocation ("check_in", "move_on") and gives each verb sense its
sentence frames; frames 1 and 2 ("Something ----s", "Somebody ----s") mean the verb needs no object. So
:func:`ends_intransitive` tells whether the last two words of a clause are such a verb and its particle,
with the verb in any inflection (WordNet's own exception list and detachment rules, as its ``morphy``).
Without the database (not installed) nothing is known and every answer is False.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path

WORDNET_DIR = Path(os.environ.get("WORDNET_DIR", "/usr/share/wordnet"))
INTRANSITIVE_FRAMES = frozenset({1, 2})
# WordNet's detachment rules for verbs (suffix -> ending); every rule whose base is a verb counts
_VERB_RULES = (("s", ""), ("ies", "y"), ("es", "e"), ("es", ""), ("ed", "e"), ("ed", ""), ("ing", "e"), ("ing", ""))


@functools.lru_cache(maxsize=1)
def _lexicon() -> tuple[frozenset[tuple[str, str]], dict[str, tuple[str, ...]], frozenset[str]]:
    """(intransitive (verb, particle) pairs, irregular form -> lemmas, every verb lemma)."""
    pairs: set[tuple[str, str]] = set()
    lemmas: set[str] = set()
    try:
        with open(WORDNET_DIR / "data.verb", encoding="utf-8") as data:
            for line in data:
                if line.startswith(" "):
                    continue  # the licence header
                fields = line.split(" | ", 1)[0].split()
                count = int(fields[3], 16)
                names = [w.lower() for w in fields[4:4 + 2 * count:2]]
                lemmas.update(names)
                at = 4 + 2 * count
                at += 1 + 4 * int(fields[at])  # the pointers
                if at >= len(fields):
                    continue
                frames = fields[at + 1:]
                for i in range(0, len(frames) - 2, 3):
                    frame, word = int(frames[i + 1]), int(frames[i + 2], 16)
                    if frame not in INTRANSITIVE_FRAMES:
                        continue
                    for name in (names if word == 0 else names[word - 1:word]):
                        parts = name.split("_")
                        if len(parts) == 2:
                            pairs.add((parts[0], parts[1]))
        irregular: dict[str, tuple[str, ...]] = {}
        with open(WORDNET_DIR / "verb.exc", encoding="utf-8") as exc:
            for line in exc:
                form, *bases = line.split()
                irregular[form] = tuple(bases)
    except (OSError, ValueError, IndexError):
        return frozenset(), {}, frozenset()
    return frozenset(pairs), irregular, frozenset(lemmas)


def available() -> bool:
    return bool(_lexicon()[0])


def verb_lemmas(word: str) -> set[str]:
    """The verb lemmas ``word`` can be an inflection of (itself included when it is one)."""
    _pairs, irregular, lemmas = _lexicon()
    word = word.lower()
    found = {word} & lemmas | set(irregular.get(word, ()))
    for suffix, ending in _VERB_RULES:
        if word.endswith(suffix) and len(word) > len(suffix):
            base = word[: -len(suffix)] + ending
            if base in lemmas:
                found.add(base)
    return found


def ends_intransitive(verb: str, particle: str) -> bool:
    """Whether "<verb> <particle>" is a phrasal verb that needs no object ("checked in", "moving on")."""
    pairs = _lexicon()[0]
    return any((lemma, particle.lower()) in pairs for lemma in verb_lemmas(verb))
