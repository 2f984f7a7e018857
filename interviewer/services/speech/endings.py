"""Closed classes of English words that cannot end a sentence, shared by the recogniser and the
end-of-turn cues.

A transcript whose last word is a hesitation ("um"), a conjunction ("and", "which"), a
preposition ("with"), an article or possessive ("the"), an auxiliary or modal ("would"), a
subject pronoun ("I") or an intensifier ("very"), or whose last mark is a comma or a dash, stops
mid-thought: :func:`ends_open`. Only function words and discourse markers, never the words of
particular answers, so the rule holds for any question.
``interviewer.live.cues`` builds its end-of-turn cues on these classes; the local Whisper
recogniser (``whisper_local``) uses :func:`ends_open` to keep an open ending that its n-best list
offers (a trailing "and" is what Whisper's tidy-prose prior drops at a thinking pause).
"""

from __future__ import annotations

import re

HESITATIONS = frozenset({
    "um", "umm", "ummm", "uh", "uhh", "uhm", "er", "erm", "err", "ah", "ahh", "eh", "hmm", "hm", "hmmm",
    "mm", "mmm"})
CONJUNCTIONS = frozenset({
    "and", "but", "or", "nor", "so", "because", "cause", "cuz", "then", "plus", "although", "though",
    "while", "whereas", "unless", "until", "since", "if", "when", "whenever", "where", "wherever", "which",
    "who", "whom", "whose", "than", "whether", "like", "also"})
PREPOSITIONS = frozenset({
    "to", "of", "for", "with", "in", "on", "at", "by", "from", "into", "onto", "about", "over", "under",
    "between", "through", "via", "per", "without", "within", "across", "against", "toward", "towards",
    "upon", "among", "during", "after", "before", "despite", "including", "except", "unlike", "versus"})
DETERMINERS = frozenset({
    "the", "a", "an", "my", "our", "your", "their", "its", "these", "those", "every", "each", "another",
    "such", "no"})
AUXILIARIES = frozenset({
    "is", "are", "was", "were", "be", "been", "being", "am", "will", "would", "can", "could", "should",
    "shall", "may", "might", "must", "does", "has", "had", "i'm", "we're", "they're", "you're", "it's",
    "there's", "that's", "i'd", "i'll", "we'd", "we'll", "they'd", "they'll", "i've", "we've"})
SUBJECTS = frozenset({
    "i", "we", "they", "he", "she"})
INTENSIFIERS = frozenset({
    "very", "quite", "just", "really", "rather"})
OPEN_ENDINGS = HESITATIONS | CONJUNCTIONS | PREPOSITIONS | DETERMINERS | AUXILIARIES | SUBJECTS | INTENSIFIERS
OPEN_MARKS = (",", "-", "\u2014", ":", ";")

_WORDS = re.compile(r"[a-z0-9]+(?:'[a-z]+)?(?:-[a-z0-9]+)*")  # a hyphenated compound is one word
_LAST = re.compile(r"(\S*)\s+(\w[\w'\u2019-]*)\W*$")


def words(text: str) -> list[str]:
    """The words of ``text``, lower case (curly apostrophes straightened; "end-to-end" is one)."""
    return _WORDS.findall(_normal(text))


def word_starts(text: str) -> list[int]:
    """Where each of :func:`words` begins in ``text``."""
    return [m.start() for m in _WORDS.finditer(_normal(text))]


def _normal(text: str) -> str:
    """Lower case with curly apostrophes straightened (same length: positions carry over)."""
    return text.lower().replace("\u2019", "'")


def ends_on_name(text: str) -> bool:
    """The last word is capitalised inside a sentence ("... in May.", "... with Will."): a name,
    not the function word it is spelt like. "I" and the start of a sentence do not count."""
    match = _LAST.search((text or "").strip())
    if match is None:
        return False
    before, last = match.groups()
    return last[:1].isupper() and words(last)[:1] not in (["i"], ["i'm"], ["i'd"], ["i'll"], ["i've"]) \
        and not before.endswith((".", "!", "?"))


def ends_open(text: str) -> bool:
    """The text stops mid-thought: its last word cannot end a sentence, or it ends on a comma,
    a dash, a colon or a semicolon (an ellipsis alone is no evidence either way)."""
    stripped = (text or "").strip()
    tokens = words(stripped)
    if not tokens:
        return False
    if stripped.endswith("?") and tokens[-1] in SUBJECTS | AUXILIARIES:
        return False  # "..., shall we?" / "is it?": a whole question
    if stripped.rstrip(".\u2026").endswith(OPEN_MARKS):
        return True
    return tokens[-1] in OPEN_ENDINGS and not ends_on_name(stripped)
