"""Shared text utilities for the offline scorers: tokens, stems, synonyms, polarity.

Everything here is rule-based and deterministic.  Synonyms are rewritten to a
canonical form *before* stemming, so "last in, first out" and "LIFO" meet as the
same token, and opposite concepts ("lifo"/"fifo", "global"/"local") can be
detected as contradictions.
"""

from __future__ import annotations

import re
from functools import lru_cache

import snowballstemmer
from rapidfuzz import fuzz, process

__all__ = [
    "STOPWORDS",
    "NEGATIONS",
    "canonicalize",
    "words",
    "stem",
    "content_stems",
    "split_sentences",
    "split_clauses",
    "correct_spelling",
    "negation_count",
    "opposite_pairs",
    "quantity_class",
]

# Common English function words (kept short on purpose: domain words stay).
STOPWORDS = frozenset("""
a an the of to in on at for by with and or nor is are was were be been being am it its itself
this that these those as from which who whom whose what when where how why do does did doing done
can could will would shall should may might must has have having had into onto than then there
their theirs they them we us our ours you your yours i me my he him his she her hers also so such
if but about just very too another own while whereas because since until unless upon via per etc
eg ie e g i e like even yet still here much lot lots get gets got make makes made way ways thing
things something anything basically actually really simply
""".split())

# Words that flip the polarity of a clause.  "no" and "none" count, "not only" is removed first.
NEGATIONS = frozenset("""
not no never none nothing nobody nowhere neither nor cannot cant dont doesnt didnt isnt arent
wasnt werent wont wouldnt shouldnt couldnt hasnt havent hadnt without
""".split())

# Phrase rewrites: (regex, canonical token).  Applied to lower-cased text, longest first.
_PHRASES: list[tuple[str, str]] = [
    (r"last[\s-]+in[\s,-]+first[\s-]+out", " lifo "),
    (r"first[\s-]+in[\s,-]+last[\s-]+out", " lifo "),
    (r"first[\s-]+in[\s,-]+first[\s-]+out", " fifo "),
    (r"last[\s-]+in[\s,-]+last[\s-]+out", " fifo "),
    (r"\bbig[\s-]*o\b", " complexity "),
    (r"\bo\s*\(\s*1\s*\)", " constant_time "),
    (r"\bo\s*\(\s*n\s*\)", " linear_time "),
    (r"\bo\s*\(\s*log\s*n\s*\)", " log_time "),
    (r"\bo\s*\(\s*n\s*\^?\s*2\s*\)", " quadratic_time "),
    (r"\bo\s*\(\s*n\s*log\s*n\s*\)", " nlogn_time "),
    (r"\bat\s+least\s+once\b", " at_least_once "),
    (r"\bmore\s+than\s+one\b", " multiple "),
    (r"\bas\s+many\s+as\b", " multiple "),
    (r"\bany\s+number\s+of\b", " unlimited "),
    (r"\bas\s+many\b", " unlimited "),
    (r"\bno\s+limit\b", " unlimited "),
    (r"\bnot\s+only\b", " "),
    (r"\bby\s+reference\b", " by_reference "),
    (r"\bby\s+value\b", " by_value "),
    (r"\bcompile[\s-]*time\b", " compile_time "),
    (r"\brun[\s-]*time\b", " run_time "),
    (r"\bc\+\+", " cpp "),
    (r"\bc#", " csharp "),
    (r"\.net\b", " dotnet "),
    (r"n't\b", " not"),
    (r"\bcan not\b", " cannot"),
]
_PHRASE_RES = [(re.compile(p), r) for p, r in _PHRASES]

# Single-word synonyms mapped to one canonical word (after lower-casing, before stemming).
_SYNONYMS: dict[str, str] = {
    "arguments": "parameter", "argument": "parameter", "params": "parameter", "param": "parameter",
    "parameters": "parameter", "args": "parameter", "arg": "parameter",
    "methods": "function", "method": "function", "procedure": "function", "procedures": "function",
    "routine": "function", "routines": "function", "subroutine": "function", "functions": "function",
    "func": "function",
    "infinite": "unlimited", "infinitely": "unlimited", "limitless": "unlimited", "unbounded": "unlimited",
    "boundless": "unlimited", "countless": "unlimited", "endless": "unlimited",
    "several": "multiple", "numerous": "multiple", "many": "multiple",
    "single": "one", "1": "one", "lone": "one",
    "location": "address", "locations": "address", "place": "address",
    "smallest": "minimum", "lowest": "minimum", "min": "minimum",
    "largest": "maximum", "biggest": "maximum", "highest": "maximum", "max": "maximum",
    "begin": "start", "begins": "start", "beginning": "start", "starts": "start", "starting": "start",
    "commence": "start",
    "finish": "end", "finishes": "end", "ends": "end", "terminate": "end", "terminates": "end",
    "faster": "fast", "quicker": "fast", "quickly": "fast", "quick": "fast", "speedy": "fast",
    "slower": "slow", "slowly": "slow",
    "reuse": "reusability", "reusable": "reusability", "reusing": "reusability",
    "duplicate": "copy", "duplicates": "copy", "copies": "copy", "copying": "copy", "clone": "copy",
    "error": "bug", "errors": "bug", "defect": "bug", "defects": "bug", "bugs": "bug",
    "declare": "declaration", "declared": "declaration", "declares": "declaration",
    "define": "definition", "defined": "definition", "defines": "definition",
    "invoke": "call", "invoked": "call", "invokes": "call", "called": "call", "calls": "call",
    "calling": "call", "invoking": "call",
    "repeat": "repetition", "repeats": "repetition", "repeated": "repetition", "loop": "repetition",
    "loops": "repetition", "looping": "repetition", "iterate": "iteration", "iterates": "iteration",
    "store": "hold", "stores": "hold", "holds": "hold", "contain": "hold", "contains": "hold",
    "keeps": "hold", "keep": "hold", "storing": "hold", "containing": "hold",
    "size": "length", "sizes": "length", "lengths": "length",
    "programmer": "developer", "programmers": "developer", "coder": "developer",
    "element": "item", "elements": "item", "items": "item", "entries": "item", "entry": "item",
    "remove": "delete", "removes": "delete", "removed": "delete", "pop": "delete", "pops": "delete",
    "insert": "add", "inserts": "add", "push": "add", "pushes": "add", "append": "add",
}

# Opposite concepts (canonical, unstemmed).  Either direction is a contradiction.
_OPPOSITES: list[tuple[str, str]] = [
    ("lifo", "fifo"), ("global", "local"), ("public", "private"),
    ("static", "dynamic"), ("minimum", "maximum"), ("ascending", "descending"),
    ("before", "after"), ("top", "bottom"), ("start", "end"), ("increase", "decrease"),
    ("always", "never"), ("true", "false"), ("inside", "outside"), ("sorted", "unsorted"),
    ("by_value", "by_reference"), ("compile_time", "run_time"), ("mutable", "immutable"),
    ("synchronous", "asynchronous"), ("fast", "slow"), ("constant_time", "linear_time"),
    ("log_time", "linear_time"), ("linear_time", "quadratic_time"), ("nlogn_time", "quadratic_time"),
    ("left", "right"), ("first", "last"), ("head", "tail"), ("input", "output"),
    ("encrypt", "decrypt"), ("client", "server"), ("horizontal", "vertical"),
    ("stateless", "stateful"), ("optional", "mandatory"), ("implicit", "explicit"),
    ("abstract", "concrete"), ("shallow", "deep"),
]

# Quantity words that answer "how many": used to compare counts.
_QUANTITY = {"unlimited": "many", "multiple": "many", "one": "one", "zero": "zero", "two": "two",
             "three": "three", "four": "four", "five": "five", "2": "two", "3": "three", "4": "four",
             "5": "five", "0": "zero"}

# Tokenisation only (no meaning): contractions and names of languages that lose their symbols.
_PLAIN_RES = [(re.compile(p), r) for p, r in (
    (r"\bc\+\+", " cpp "), (r"\bc#", " csharp "), (r"\.net\b", " dotnet "),
    (r"\bcan't\b", " cannot"), (r"\bwon't\b", " will not"), (r"n't\b", " not"), (r"\bcan not\b", " cannot"),
    (r"'d\b", " would"), (r"'m\b", " am"), (r"'re\b", " are"), (r"'ll\b", " will"), (r"'ve\b", " have"),
    (r"'s\b", ""),
)]

_WORD_RE = re.compile(r"[a-z0-9_]+")
_SENT_RE = re.compile(r"(?<=[.!?;])\s+|\n+")
_STEMMER = snowballstemmer.stemmer("english")


@lru_cache(maxsize=8192)
def canonicalize(text: str) -> str:
    """Lower-case and rewrite synonym phrases/words to canonical tokens."""
    t = " " + (text or "").lower().replace("’", "'") + " "
    for pattern, repl in _PHRASE_RES:
        t = pattern.sub(repl, t)
    t = t.replace("'", "")
    return " ".join(_SYNONYMS.get(w, w) for w in _WORD_RE.findall(t))


# A hyphenated compound of function words names a thing ("is-a", "has-a"): one word, not two
# function words. Switch for measurement (bench), on in the product.
JOIN_FUNCTION_COMPOUNDS = True
_COMPOUND_RE = re.compile(r"\b[a-z]+(?:-[a-z]+)+\b")


def _join_function_compound(m: re.Match) -> str:
    parts = m.group(0).split("-")
    return "".join(parts) if all(p in STOPWORDS for p in parts) else m.group(0)


@lru_cache(maxsize=8192)
def plain_words(text: str) -> list[str]:
    """Lower-case word tokens with contractions expanded, and no synonym or opposite lexicon:
    what the answer scorer uses, so it holds on questions nobody wrote word lists for."""
    t = " " + (text or "").lower().replace("’", "'") + " "
    for pattern, repl in _PLAIN_RES:
        t = pattern.sub(repl, t)
    if JOIN_FUNCTION_COMPOUNDS:
        t = _COMPOUND_RE.sub(_join_function_compound, t)
    return _WORD_RE.findall(t.replace("'", ""))


def plain_content_stems(text: str) -> list[str]:
    """Stems of the content words of ``text`` (see :func:`plain_words`), stopwords and negations removed."""
    return [stem(w) for w in plain_words(text) if w not in STOPWORDS and w not in NEGATIONS]


def words(text: str) -> list[str]:
    """Canonical lower-case word tokens of ``text`` (stopwords kept)."""
    return canonicalize(text).split()


@lru_cache(maxsize=32768)
def stem(word: str) -> str:
    """Snowball (Porter 2) stem; canonical tokens with underscores are kept whole."""
    return word if "_" in word else _STEMMER.stemWord(word)


def content_stems(text: str) -> list[str]:
    """Stems of the content words of ``text``, in order, stopwords and negations removed."""
    return [stem(w) for w in words(text) if w not in STOPWORDS and w not in NEGATIONS]


_CLAUSE_RE = re.compile(r"[,;:()]|\b(?:but|whereas|although|though|so|because|which|unlike)\b", re.IGNORECASE)


def split_clauses(text: str) -> list[str]:
    """Split a sentence into clauses at punctuation and contrastive/causal conjunctions."""
    return [c.strip() for c in _CLAUSE_RE.split(text or "") if c and c.strip()]


def correct_spelling(text: str, vocabulary: set[str], cutoff: int = 85) -> str:
    """Replace misspelt words of ``text`` by their closest word of ``vocabulary``.

    Only words of five or more letters that are absent from the vocabulary are
    considered, and only a close match (rapidfuzz ratio >= ``cutoff``) is used, so
    a misspelt "refrence" becomes "reference" when the reference text has it.
    """
    if not vocabulary:
        return text
    choices = sorted(vocabulary)

    def fix(match: re.Match[str]) -> str:
        word = match.group(0)
        low = word.lower()
        if len(low) < 5 or low in vocabulary or low in STOPWORDS:
            return word
        best = process.extractOne(low, choices, scorer=fuzz.ratio, score_cutoff=cutoff)
        return best[0] if best else word

    return re.sub(r"[A-Za-z]+", fix, text)


def split_sentences(text: str) -> list[str]:
    """Split on sentence punctuation, semicolons and newlines; drop empty pieces."""
    return [s.strip() for s in _SENT_RE.split(text or "") if s and s.strip(" .;,-")]


def negation_count(text: str) -> int:
    """Number of negation words in the canonical form of ``text``."""
    return sum(1 for w in words(text) if w in NEGATIONS)


def opposite_pairs(reference: str, answer: str) -> list[tuple[str, str]]:
    """Opposite-concept pairs ``(in_reference, in_answer)`` where the answer says the opposite.

    A pair counts only when the answer uses the opposite term *and not* the
    reference's own term (so "a stack, unlike a queue, is LIFO" is not flagged).
    """
    ref = set(words(reference))
    ans = set(words(answer))
    found: list[tuple[str, str]] = []
    for a, b in _OPPOSITES:
        for x, y in ((a, b), (b, a)):
            if x in ref and y not in ref and y in ans and x not in ans:
                found.append((x, y))
    return found


def quantity_class(text: str) -> set[str]:
    """Quantity classes ("one", "many", "two", ...) stated in ``text``."""
    return {_QUANTITY[w] for w in words(text) if w in _QUANTITY}


# The most frequent function words of other languages written in Latin script (Spanish, French,
# German, Portuguese, Italian, Dutch), leaving out any that are also English words or common in
# English technical speech ("um", "per", "come", "os", "van", "com", "met").
_FOREIGN_FUNCTION_WORDS = frozenset("""
el la los las del y que es por para con una unos unas pero como más muy sin sobre entre cuando también
le les des et est une dans pour avec sur qui pas du au aux ce cette sont mais ou très nous vous ils elle
der das und ist nicht mit ein eine einen einem zu von auf für sich dem den des wird werden oder auch
bei nach wenn kann sind wie aus noch
uma não mais ao à são pelo pela também
il di che è della delle degli nel sono una gli anche questo
het een en niet zijn voor op dat ook maar wordt naar bij
""".split())
_LATIN = re.compile(r"^[a-zà-öø-ÿ'-]+$")


def looks_foreign(text: str) -> bool:
    """Whether an answer is (mostly) in a language other than English: most of its words are in
    another script, or other languages' function words are frequent while English ones are rare.
    A list of English terms (few function words of any language) is not foreign. Needs six or
    more words to tell."""
    tokens = re.findall(r"[^\W\d_]+", (text or "").lower())
    if len(tokens) < 6:
        return False
    if sum(1 for t in tokens if not _LATIN.match(t)) / len(tokens) >= 0.5:
        return True
    foreign = sum(1 for t in tokens if t in _FOREIGN_FUNCTION_WORDS) / len(tokens)
    english = sum(1 for t in tokens if t in STOPWORDS or t in NEGATIONS) / len(tokens)
    return foreign >= 0.15 and english < 0.12



# ---- stories (behavioural answers) ------------------------------------------------------------
# English verbs whose simple past does not end in "-ed" (general grammar, no subject's words).
IRREGULAR_PAST = frozenset("""
was were had did made led took got gave faced felt found ran saw built wrote chose broke went came knew met won
lost began became dealt held kept left meant paid put said sent spent stood taught thought told understood
brought bought caught fought drove grew heard hid hit hurt let rode rose sang sat shook shot shut slept spoke
stole struck swore threw tore woke wore forgot forgave froze overcame oversaw rebuilt rewrote undertook withdrew
sold split spread set quit read cut cost sought shrank sank drew flew
""".split())
FIRST_PERSON = frozenset("i we me us my our mine ours myself ourselves".split())
_NOT_PAST_ED = frozenset("need speed seed feed indeed embed bed red shed bleed breed proceed exceed succeed "
                         "weed greed deed heed".split())


def is_past_tense(word: str) -> bool:
    """Whether a lower-case word reads as a simple past (or past participle): a regular "-ed" form
    or an irregular past. Adjectives in "-ed" ("distributed") read as past too; callers use it
    only where a story is expected."""
    if word in IRREGULAR_PAST:
        return True
    return len(word) > 4 and word.endswith("ed") and word not in _NOT_PAST_ED and not word.endswith("eed")
