"""Offline, explainable grading of a free-text interview answer against a reference.

``score_answer(question, reference, answer)`` splits the reference into key points,
then judges each point on its own:

* soft coverage: BERTScore-style recall, i.e. every content word-piece of the
  point is aligned to its closest contextual word-piece of the answer (MiniLM),
  minus half of what merely restating the question would earn;
* lexical coverage: canonical synonyms + Snowball stems, rapidfuzz for typos (the
  answer is also spell-corrected towards the question/reference vocabulary);
* evidence: the answer sentence closest to the point (MiniLM sentence cosine).

Words that merely repeat the question are down-weighted ("question demoting").
Opposite concepts ("LIFO" vs "first in first out") and flipped negations in the
sentence that matches a point void that point and cap the score; a different
count for a "how many" question does too.  The 0-5 score is a monotone mapping of
whole-reference and mean key-point coverage; its three constants were fitted on
graded short answers and checked with leave-one-assignment-out cross-validation
(see ``bench/bench_answer_scoring.py``).  When the reference is an explicit list of
key points (an interview rubric), each missed point also costs a share of the score.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
from rapidfuzz import fuzz, process

from . import text as tx
from .embeddings import get_encoder

__all__ = ["AnswerScore", "PointCoverage", "score_answer", "split_key_points"]

# ---- global constants (the same for every question) -----------------------------------
QUESTION_WORD_WEIGHT = 0.10   # weight of reference words that only repeat the question
BASELINE_SHARE = 0.5          # share of the question's own recall treated as "free" coverage
WHOLE_WEIGHT = 0.5            # weight of whole-reference coverage vs mean key-point coverage
COVERED_THRESHOLD = 0.55      # a point with coverage >= this is reported as covered
LEXICAL_THRESHOLD = 0.8       # ... or with this share of its content words present
FUZZY_CUTOFF = 86             # rapidfuzz ratio for a misspelt word to count as present
FLIP_FACTOR = 0.2             # coverage kept by a point the answer contradicts or negates
NEGATION_OVERLAP = 0.7        # shared content needed before a negation flip counts
OFF_TOPIC_SIM = 0.20          # answer-vs-question+reference cosine below which it is off topic
CONTRADICTION_CAP = 2.0       # maximum score of a contradicting answer (plus its covered share)
WRONG_COUNT_CAP = 1.0         # maximum score of an answer giving a different count
OFF_TOPIC_CAP = 0.5           # maximum score of an off-topic answer
RUBRIC_MISS_PENALTY = 0.3     # explicit key-point list: share of the score lost if all points are missed
# coverage c (0-1) -> score = A + B*c + C*c^2 (rising part only), clipped to 0-5.
MAP_A, MAP_B, MAP_C = 2.5, 5.8, -3.4

_NON_ANSWERS = re.compile(
    r"^\s*(?:n/?a|none|no idea|no answer|not answered|idk|i\s*(?:do\s*not|don'?t)\s*know|"
    r"not sure|pass|skip|blank)\s*[.!]*\s*$",
    re.IGNORECASE,
)
_COUNT_QUESTION = re.compile(r"\bhow\s+many\b|\bnumber\s+of\b|\bhow\s+much\b", re.IGNORECASE)
_LIST_SPLIT = re.compile(r";|,\s*(?:and|or)\s+|\s+and\s+|,\s+", re.IGNORECASE)  # bare "or" = alternatives
_BULLET = re.compile(r"^\s*(?:[-*\u2022]|\d+[.)])\s+")


@dataclass(frozen=True)
class PointCoverage:
    """How well one key point of the reference is covered by the answer."""

    point: str
    coverage: float
    lexical: float
    evidence: str
    flags: tuple[str, ...] = ()


@dataclass
class AnswerScore:
    """Result of :func:`score_answer`; ``score`` is on a 0-5 scale."""

    score: float
    coverage: float = 0.0
    covered_points: list[str] = field(default_factory=list)
    missed_points: list[str] = field(default_factory=list)
    evidence: list[str] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    rationale: str = ""
    points: list[PointCoverage] = field(default_factory=list)


# ---- key points -----------------------------------------------------------------------
def _split_outside_parens(sentence: str) -> list[str]:
    """Split a sentence at list separators that are not inside parentheses."""
    masked = re.sub(r"\([^)]*\)", lambda m: "\x00" * len(m.group(0)), sentence)
    pieces, start = [], 0
    for m in _LIST_SPLIT.finditer(masked):
        pieces.append(sentence[start:m.start()])
        start = m.end()
    pieces.append(sentence[start:])
    return [p.strip(" ,.;:") for p in pieces if p.strip(" ,.;:")]


def split_key_points(reference: str | list[str]) -> list[str]:
    """Split a reference answer into key points.

    A list is taken as already split.  Otherwise the text is cut into sentences
    (and bullet lines); a sentence that is a list of short items ("abstraction and
    reusability", "the name and the parameter types") is cut into its items.
    Pieces without any content word are merged into their neighbour.
    """
    if isinstance(reference, (list, tuple)):
        return [p.strip() for p in reference if p and p.strip()]
    points: list[str] = []
    for sentence in tx.split_sentences(reference):
        sentence = _BULLET.sub("", sentence).strip(" .;")
        head, _, tail = sentence.partition(":")
        tail_items = _split_outside_parens(tail) if tail.strip() else []
        if len(tail_items) > 1 and len(tx.content_stems(head)) <= 4:
            sentence = tail.strip()  # "There are three kinds: a, b and c" -> the items
        pieces = _split_outside_parens(sentence)
        sizes = [len(tx.content_stems(p)) for p in pieces]
        is_list = bool(re.search(r"\b(?:and|or)\b", sentence))
        if len(pieces) > 1 and is_list and all(1 <= n <= 4 for n in sizes):
            points.extend(pieces)
        elif tx.content_stems(sentence):
            points.append(sentence)
    if not points and reference and reference.strip():
        points = [reference.strip()]
    return points


# ---- per-point evidence -----------------------------------------------------------------
def _word_weights(pieces: list[str], question_stems: set[str]) -> np.ndarray:
    """Weight of each word-piece: 0 for stopwords/punctuation, demoted for question words."""
    weights = np.zeros(len(pieces), dtype=np.float32)
    i = 0
    while i < len(pieces):
        j = i + 1
        while j < len(pieces) and pieces[j].startswith("##"):
            j += 1
        word = "".join(p.removeprefix("##") for p in pieces[i:j])
        canon = tx.words(word)
        w = 0.0
        if canon and re.match(r"[a-z0-9]", word) and canon[0] not in tx.STOPWORDS:
            w = QUESTION_WORD_WEIGHT if tx.stem(canon[0]) in question_stems else 1.0
        weights[i:j] = w / (j - i)
        i = j
    return weights


def _lexical_coverage(point: str, answer_stems: set[str], answer_words: list[str],
                      question_stems: set[str]) -> float:
    """Weighted share of the point's content stems found in the answer (typos tolerated)."""
    total = got = 0.0
    for s in dict.fromkeys(tx.content_stems(point)):
        w = QUESTION_WORD_WEIGHT if s in question_stems else 1.0
        total += w
        if s in answer_stems:
            got += w
        elif len(s) >= 5 and answer_words and process.extractOne(
                s, answer_words, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF):
            got += 0.8 * w
    return got / total if total else 0.0


def _soft_recall(point: str, other: str, question_stems: set[str]) -> float:
    """BERTScore-style recall: weighted mean, over the point's content word-pieces,
    of the cosine to the closest contextual word-piece of ``other`` (MiniLM)."""
    enc = get_encoder()
    p_tok, p_vec = enc.encode_tokens(point)
    o_tok, o_vec = enc.encode_tokens(other)
    if not p_tok or not o_tok:
        return 0.0
    weights = _word_weights(p_tok, question_stems)
    if weights.sum() <= 0:
        weights = np.ones(len(p_tok), dtype=np.float32)
    best = (p_vec @ o_vec.T).max(axis=1)
    return float((best * weights).sum() / weights.sum())


def _coverage(point: str, answer: str, question: str, question_stems: set[str]) -> float:
    """Soft recall of the point in the answer, discounted by what merely restating the
    question would already earn, on a 0-1 scale."""
    base = BASELINE_SHARE * _soft_recall(point, question, question_stems) if question.strip() else 0.0
    got = _soft_recall(point, answer, question_stems)
    return float(np.clip((got - base) / (1.0 - base), 0.0, 1.0))


def coverage_to_score(coverage: float, flags: list[str] | tuple[str, ...] = (),
                      mapping: tuple[float, float, float] | None = None) -> float:
    """Map a 0-1 coverage to the 0-5 grade scale (monotone, saturating), then apply
    the caps implied by ``flags``.  ``mapping`` overrides ``(MAP_A, MAP_B, MAP_C)``."""
    a, b, c2 = mapping or (MAP_A, MAP_B, MAP_C)
    top = min(1.0, -b / (2 * c2)) if c2 < 0 else 1.0
    c = float(np.clip(coverage, 0.0, top))
    score = float(np.clip(a + b * c + c2 * c * c, 0.0, 5.0))
    if "not_answered" in flags:
        return 0.0
    if "off_topic" in flags:
        score = min(score, OFF_TOPIC_CAP)
    if "wrong_count" in flags:
        score = min(score, WRONG_COUNT_CAP)
    return score


def _best_sentence(point: str, sentences: list[str], sent_vecs: np.ndarray) -> tuple[str, float]:
    """Answer sentence closest to the point (MiniLM cosine)."""
    sims = sent_vecs @ get_encoder().encode(point)
    k = int(np.argmax(sims))
    return sentences[k], float(sims[k])


def _polarity_check(point: str, sentence: str) -> str | None:
    """Compare the polarity of a key point with the answer sentence that matches it.

    Each opposite-concept swap ("inside" -> "outside") and a differing number of
    negations each flip the meaning; two flips cancel ("can only be used inside"
    vs "cannot be used outside").  Returns "contradiction" for a net flip that
    involves an opposite concept, "negation" for a bare negation flip of the same
    statement (most content words shared), else None.
    """
    p_stems = set(tx.content_stems(point))
    if not p_stems:
        return None
    swaps = tx.opposite_pairs(point, sentence)
    neg_flip = (tx.negation_count(point) % 2) != (tx.negation_count(sentence) % 2)
    if swaps:
        return "contradiction" if (len(swaps) + neg_flip) % 2 == 1 else None
    point_parity = tx.negation_count(point) % 2
    verdicts = []
    for clause in tx.split_clauses(sentence):
        shared = len(p_stems & set(tx.content_stems(clause))) / len(p_stems)
        if shared >= NEGATION_OVERLAP:
            verdicts.append(tx.negation_count(clause) % 2 != point_parity)
    return "negation" if verdicts and all(verdicts) else None


# ---- public entry point -------------------------------------------------------------------
def _empty(missed: list[str], flag: str, why: str) -> AnswerScore:
    return AnswerScore(score=0.0, missed_points=missed, flags=[flag], rationale=why)


def score_answer(question: str, reference: str | list[str], answer: str) -> AnswerScore:
    """Grade ``answer`` to ``question`` against ``reference`` (text or key-point list), 0-5."""
    points = split_key_points(reference)
    answer = (answer or "").strip()
    if not points:
        raise ValueError("reference must contain at least one key point")
    if not answer or _NON_ANSWERS.match(answer) or not re.search(r"[A-Za-z0-9]", answer):
        return _empty(points, "not_answered", "No substantive answer was given.")
    vocabulary = {w.lower() for w in re.findall(r"[A-Za-z]+", f"{question} {' '.join(points)}")}
    answer = tx.correct_spelling(answer, vocabulary)

    question_stems = set(tx.content_stems(question or ""))
    answer_stems = set(tx.content_stems(answer))
    ref_stems = {s for p in points for s in tx.content_stems(p)}
    if answer_stems and answer_stems <= question_stems and not answer_stems & ref_stems \
            and len(tx.words(answer)) <= 8:
        return _empty(points, "not_answered", "The answer only repeats words of the question.")
    answer_words = sorted({w for w in tx.words(answer) if len(w) >= 4})
    sentences = tx.split_sentences(answer) or [answer]
    if len(sentences) > 1:
        sentences = sentences + [answer]
    enc = get_encoder()
    sent_vecs = enc.encode(sentences)
    question = question or ""

    results: list[PointCoverage] = []
    for point in points:
        lexical = _lexical_coverage(point, answer_stems, answer_words, question_stems)
        coverage = _coverage(point, answer, question, question_stems)
        sentence, _ = _best_sentence(point, sentences, sent_vecs)
        verdict = _polarity_check(point, sentence)
        if verdict:
            coverage *= FLIP_FACTOR
        results.append(PointCoverage(point, round(coverage, 4), round(lexical, 4), sentence,
                                     (verdict,) if verdict else ()))

    flipped = sum(1 for r in results if r.flags) / len(results)
    whole = _coverage(" ".join(points), answer, question, question_stems)
    whole *= 1.0 - flipped * (1.0 - FLIP_FACTOR)
    raw = WHOLE_WEIGHT * whole + (1.0 - WHOLE_WEIGHT) * float(np.mean([r.coverage for r in results]))

    flags: list[str] = sorted({f for r in results for f in r.flags})
    ref_text = " ".join(points)
    if _COUNT_QUESTION.search(question) and len(tx.words(answer)) <= 12 \
            and len(tx.content_stems(ref_text)) <= 3:
        ref_q, ans_q = tx.quantity_class(ref_text), tx.quantity_class(answer)
        if ref_q and ans_q and not ref_q & ans_q:
            flags += ["contradiction", "wrong_count"]
    whole_sim = float(enc.encode(answer) @ enc.encode(f"{question} {ref_text}"))
    if not answer_stems & (ref_stems | question_stems) and whole_sim < OFF_TOPIC_SIM:
        flags.append("off_topic")
    score = coverage_to_score(raw, flags)

    covered = [r for r in results if not r.flags
               and (r.coverage >= COVERED_THRESHOLD or r.lexical >= LEXICAL_THRESHOLD)]
    missed = [r.point for r in results if r not in covered]
    if "contradiction" in flags:
        # Saying the opposite of a point caps the grade by how much else is right
        # (a bare negation flip only voids its point: it is less certain).
        score = min(score, CONTRADICTION_CAP + (5.0 - CONTRADICTION_CAP) * len(covered) / len(results))
    if isinstance(reference, (list, tuple)):
        # An explicit rubric asks for every point: each missed one costs its share.
        score *= 1.0 - RUBRIC_MISS_PENALTY * len(missed) / len(results)
    why = [f"Covered {len(covered)} of {len(results)} key point(s)."]
    if missed:
        why.append("Missing: " + "; ".join(missed[:3]) + ("…" if len(missed) > 3 else "") + ".")
    for r in results:
        if "contradiction" in r.flags:
            swaps = ", ".join(f"'{b}' instead of '{a}'" for a, b in tx.opposite_pairs(r.point, r.evidence))
            why.append(f"Contradicts '{r.point}': {swaps}.")
    if "wrong_count" in flags:
        why.append("States a different quantity than the reference.")
    if "negation" in flags:
        why.append("Negates a statement of the reference.")
    if "off_topic" in flags:
        why.append("The answer does not address the question.")
    return AnswerScore(
        score=round(score, 2),
        coverage=round(float(raw), 4),
        covered_points=[r.point for r in covered],
        missed_points=missed,
        evidence=list(dict.fromkeys(r.evidence for r in covered)),
        flags=flags,
        rationale=" ".join(why),
        points=results,
    )
