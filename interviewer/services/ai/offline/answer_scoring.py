"""Offline, explainable grading of an interview answer: one judgement per key point.

``score_answer(question, key_points, answer)`` judges every key point on its own as
**covered**, **partly covered** or **missed**, with the verbatim quote(s) of the answer that
decide it, and derives the 0-5 score from those judgements alone (:func:`score_from_statuses`):

    score = 5 * max(0, covered + 0.5 * partly - 0.5 * contradicted) / number of key points

so every number shown to a recruiter can be recomputed from the list beside it.

How a point is judged (no word list written for any question or subject):

1. The answer is cut into *claims* (sentences; long ones at clause boundaries), each with its
   character span in the verbatim answer (contractions are expanded in a working copy).
2. A claim does not count as knowledge when it is
   * *telegraphic*: few function words, a comma list of short terms, an answer made of fragments
     ("Salt. Hashing."), or eight or more content words with no comma and no article, pronoun or
     auxiliary - unless the key point itself is just a term to be named;
   * an *echo*: no content word beyond the question's (conversation words aside);
   * a non-answer ("I don't know.").
3. Support for a point is BERTScore-style recall: each content word-piece of the point is aligned
   to its closest contextual word-piece (MiniLM) among the claims that count; words that merely
   repeat the question weigh little, and what restating the question would earn is subtracted.
   Recall ignores what else the answer says, so hedges and padding neither help nor hurt.
4. The claims holding most of the aligned words are the point's quotes. A point is *contradicted*
   (missed, and it costs half a point) when the claim that best states it flips its polarity: a
   negation of the same statement (hedges such as "not sure" and "not only" aside) or a general
   English opposite (``antonyms.py``), compared in the clause that best states the point. A
   negation is read as the point means it: one in the point's label counts ("Never: ..."); a
   negated point is not opposed by a sentence that negates it in another clause; "without" in the answer
   negates only a negated point; "non-root"/"unready" meet "not ... root"/"not ready".
   When the question names the things the points are about ("What do Send and Sync mean?", points
   labelled "Send: ..." and "Sync: ..."), a point's statement said of another of those things
   ("Sync means it can be moved to another thread" for "Send: can be moved to another thread")
   contradicts it too: the clause that best states the point names another named label and not
   its own (or, naming none, its sentence does). So does dismissing the thing a point is labelled
   with ("no backoff", "idempotency doesn't matter" for "Backoff: ..." / "Idempotency: ...") or
   all of a short point's body ("you don't need to handle SIGTERM" for "Signals: handle SIGTERM"),
   outside a condition's clauses. A point whose verb holds the negation ("prevents data races", "avoid
   re-rendering") may be stated with an explicit one ("you can't have data races"): a negation
   difference is no flip then, unless the claim repeats the verb ("doesn't prevent").

5. A question that asks for the candidate's own experience ("Tell me about a time you...") has key
   points that name the parts of a story, not facts a sentence could repeat: a story told to it is
   left to a person (flag ``story``, every point "Not judged"), and anything else (general
   statements, hypotheticals, the key points said back) meets no point (flag ``no_story``).

The two thresholds are chosen with questions held out (``bench/choose_thresholds.py``); each rule
is kept only if it helps on held-out data (``bench/bench_answer_scoring.py --ablate``,
``bench/bench_rubric.py``). See ``docs/scoring.md``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from itertools import pairwise
from typing import Literal

import numpy as np

from ..judgement import CREDIT, NOT_JUDGED_FLAGS, RED_FLAG_DOUBT, score_from_statuses
from . import text as tx
from .antonyms import base_word, opposite_stems, swapped
from .embeddings import get_encoder

__all__ = ["AnswerScore", "PointJudgement", "Params", "PARAMS", "SCORER_VERSION", "assign_red_flags", "score_answer",
           "score_from_statuses", "split_key_points", "status_for", "asks_for_story"]

SCORER_VERSION = "offline-judge-13"

Status = Literal["covered", "partial", "missed"]


@dataclass(frozen=True)
class Params:
    """The scorer's constants (the same for every question); see the module docstring."""

    question_weight: float = 0.10     # weight of point words that only repeat the question
    baseline_share: float = 0.5       # share of the question's own recall treated as free
    covered_at: float = 0.40          # support >= this: covered (chosen by bench/choose_thresholds.py)
    partial_at: float = 0.25          # support >= this: partly covered
    min_function_share: float = 0.12  # claims with fewer function words are telegraphic lists
    list_rules: bool = True           # comma lists of short items and answers of fragments are telegraphic
    glue_rule: bool = True            # eight or more content words, no comma, no article/pronoun/auxiliary too
    # auxiliaries, modals and negations copied in a 3-word run from a key point or the question glue no string
    # of terms into a sentence: "glue" (in the glue-word rule); measured and not adopted: "verbs" (in the
    # function-word share rules too), "all" (every copied function word, everywhere); "off"
    borrowed_glue: str = "glue"
    echo: bool = True                 # claims with no content word beyond the question's are echoes
    negation_overlap: float = 0.6     # shared content before a negation flip counts
    quote_share: float = 0.35         # a claim is quoted if it holds this share of the best claim's support
    off_topic_sim: float = 0.20       # answer-vs-question cosine below which an unsupported answer is off topic
    antonyms: bool = True
    spell_fix: bool = False           # correcting typos towards the rubric did not help on held-out data
    aligned_polarity: bool = True     # also compare polarity in the clause that best states the point
    aligned_negation: bool = True     # ... including a bare negation there, not only an opposite word (ablation)
    list_questions: bool = True       # a list answers a question that asks for one (no keyword_list)
    contrast_exempt: bool = True      # a contrast sentence ("X is A, whereas Y is not") contradicts no point
    aligned_min: float = 0.35         # ... when that clause states the point at least this well
    label_polarity: bool = True       # a negation in a point's label ("Never: plain text") is part of the point
    negated_point_rule: bool = True   # a negated point is not opposed by a claim that negates it in another clause
    weak_only_if_negated: bool = True  # "without" in a claim counts only against a point that has a negation
    prefix_negation: bool = True      # "non-root" / "unready" meet "not ... root" / "not ready"
    label_swap: bool = True           # a point's statement said of another thing the question names contradicts it
    label_dismissal: bool = True      # "no backoff" / "idempotency doesn't matter" contradicts "Backoff: ..."
    body_dismissal: bool = True       # dismissing a short point's body ("you don't need to handle SIGTERM"); a
                                      # condition spares only its own clause and the one it follows
    conditional_opposites: bool = True  # opposite words still count in the main clauses of a conditional sentence
    implicit_negation: bool = True    # "prevents X" may be said as "X can't happen": no negation flip then
    implicit_in_claim: bool = True    # ... and "without a rewrite" as "skip the rewrite"
    acronyms: bool = True             # "the GIL" repeats a question about the "Global Interpreter Lock"
    contrast_agrees: bool = True      # a clause stating the point as it is also spares the best-stating clause
    language_check: bool = True       # an answer in another language is flagged for a person, not scored 0
    stated_values: bool = True        # a point's number or complexity must be the one the answer gives
    comparatives: bool = True         # "cheaper" meets the opposite of "cheap" ("more expensive")
    privative: bool = True            # "connectionless" in a point is not dismissed by "no connection"
    mixed_polarity: bool = True       # "X, not Y" / "A does X, B does not": polarity compared part by part
    comma_fragments: bool = True      # a two-word comma piece stays with its neighbour ("last in, first out")
    less_negation: bool = True        # "connectionless" meets "not ... a connection" as a negation of "connection"
    thing_parts: bool = True          # a clause naming one thing of a two-thing point is compared with its part
    subject_swap: bool = True         # "TCP is connectionless" against "TCP ... handshake, UDP is connectionless"
    parts_own: bool = True            # a clause states a part of "TCP does X, UDP does not" only if it names its side
    and_before_named: bool = True     # "and" before a thing the question names side by side starts a clause
    label_phrase: bool = True         # a label word the body also uses names the label only if said more often
    function_compounds: bool = True   # "has-a" is one content word, not two function words
    vp_and: bool = True               # "and can never be ..." starts a clause of its own
    label_names_negation: bool = True  # a label's negation is not counted again when the body has its own
    label_runs: bool = True           # a label is found in the question where all its words stand together
    story_anchors: bool = True        # "last year", "at my previous job": a story in the present tense is one too
    story_questions: bool = True      # a question asking for the candidate's own experience: a story is left
                                      # to a person, a read-back of the key points is no story
    item_dismissal: bool = True       # dismissing one item of a list point ("sharding never helps" against
    #                                   "Scaling: more memory, sharding or moving data elsewhere")
    denied_alternative: bool = True   # "split at every transformation, not at shuffles": the point said of
    #                                   what the answer denies ("..., not Y", "rather than Y", "instead of Y")
    order_swap: bool = True           # "source code first and the dependency files last" against "copy dependency
    #                                   files before source code": the order the other way round
    swap_words: bool = True           # a clause naming another named thing that restates the point in its words
    #                                   better than that thing's own point is a swap, whatever MiniLM aligns
    order_states: bool = True         # a sentence giving an order point's order is compared no further
    out_of: bool = True               # "keep X out of Y" denies like "avoid": "X never reaches Y" states it
    whether_condition: bool = True    # "check whether X never happens" claims nothing about X, like "if"
    vanish: bool = True               # "types disappear" is said as "no types left": no negation flip
    able_verbs: bool = True           # "unrecoverable" meets "can't recover" as its negation
    label_name: bool = True           # "Not found: return 404" names a status; "Never: plain text" negates its body
    glue_digits: bool = True          # "HTTP/2 and HTTP/3": a version's digits are no words of a string of terms
    denied_word: bool = True          # "never serve stale data" against "simple but stale in between": a word of
    #                                   the point, beyond the question's, negated right where it is said
    relative_swap: bool = True        # "a Deployment, which manages ... pods": a relative clause speaks of the
    #                                   thing before it, not of a thing it names as an object
    name_forms: bool = True           # a named thing starts a part only by its own word ("deployable" is no
    #                                   mention of "Deployment")
    one_implicit: bool = True         # "avoid peeking and stopping early": only the first negating verb negates
    need_object: bool = True          # "file handles that don't need closing" dismisses the closing, not the handles
    label_negative_words: bool = True  # "the services should be stateless" says the label "Stateless services"
    rejection_scope: bool = True      # "plain text, or a fast digest like SHA-1, is out" rejects all it names
    rejecting_verbs: bool = True      # "I'd skip engagement surveys", "free is useless": what the point recommends,
    #                                   rejected
    denied_np: bool = True            # "rather than behaviour and mocks drift ...": the denied part ends before a
    #                                   clause of its own
    denied_support: bool = True       # "one big rewrite rather than lots of small changes": the claim meets the
    #                                   point mainly through the words it denies (they alone meet it better)
    than_alternative: bool = True     # ... and "which is more reliable than roles and temporary credentials" denies
    #                                   what it is preferred to, as "rather than" does
    label_opposite: bool = True       # "all instances in one zone" against "Multiple zones: ...": the label's noun
    #                                   with the opposite of its modifier
    item_absence: bool = True         # "so there's no head-of-line blocking at all" dismisses that item of a list point
    negated_privative: bool = True    # denied_word: a negated verb of leaving out ("don't forget to fsync", "never
    #                                   remove the focus outline") says it is done; "not ... without", "isn't enough"
    #                                   and a negated opposite ("a single point wouldn't balance") deny nothing
    label_term: bool = True           # "the same-origin policy stops scripts reading responses from a different
    #                                   origin": a label said as a name holds no opposite of the body's words
    rejection_object: bool = True     # "consensus avoids it with majority quorums": a pronoun is what is rejected
    denial_manner: bool = True        # "the kernel doesn't pick randomly", "I wouldn't ship anything that hasn't
    #                                   beaten the current model": a manner or a negated condition is what is denied
    doubtful: str = "partial"         # a contradiction read from a bare negation ("negates it", 'denies "X"') was
    #                                   right about as often as wrong on new questions: "partial" counts the point
    #                                   partly covered, with the quote and the doubt in the note; "contradiction"
    #                                   keeps it a contradiction (docs/scoring.md, offline-judge-11)
    body_rejection: bool = True       # "rewriting history is overkill", "capturing current behaviour is pointless":
    #                                   most of a short point's body rejected as the verb's object or the subject
    token_layer: int | tuple[int, ...] = 6  # MiniLM layer(s) aligned; other layers did worse held out
    red_flag_at: float = 0.55         # a claim resembles a wrong idea HR listed for the question when it meets the
    red_flag_margin: float = 0.10     # idea this well, and by this margin better than it meets the point the idea is
    #                                   about (chosen on new-question sets 5-8; docs/scoring.md, offline-judge-12)
    red_flag_polarity: bool = False   # only a sentence that negates as the idea does (set 13: not adopted)
    red_flag_reading: str = "doubt"   # "doubt": that point is at most partly covered, and doubted (a person reads
    #                                   it when the verdict depends on it); "contradiction" cost correct answers


PARAMS = Params()

_NON_ANSWER = re.compile(
    r"^\s*(?:n/?a|none|nothing|no idea|no clue|no answer|not answered|idk|pass|skip|blank|sorry|"
    r"i\s*(?:do\s*not|don'?t|dont)\s*know|i\s*(?:have|'ve)\s*no\s*idea|not\s*sure|i\s*(?:can'?t|cannot)\s*remember)"
    r"(?:[\s,.!]*(?:sorry|really|at all|the answer|about (?:this|that)|to be honest))*\s*[.!?]*\s*$",
    re.IGNORECASE)
_HEDGE_NEGATION = re.compile(
    r"(?i)\bor\s+not\b|\bnot\s+(?:only|just|merely|simply|to\s+mention|least)\b|\b(?:not|n't|never)\s+(?:\d+\s*%\s*|a\s+hundred\s+percent\s+|one\s+hundred\s+percent\s+|entirely\s+|"
    r"completely\s+|totally\s+|quite\s+|really\s+|fully\s+|exactly\s+)?(?:sure|certain|positive|remember|recall|know)\b")
_UNIT_SPLIT = re.compile(r"(?<=[.!?;])\s+|\n+")
_CLAUSE_SPLIT = re.compile(r",\s+(?=(?:and|but|so|which|because|whereas|while|although|though)\b)|;\s*",
                           re.IGNORECASE)
# a dash between words ("not waste time on Git at all — I'd revoke the secret") ends a clause, as a comma does
_CLAUSES = re.compile(r"[,;:()—–]|\s-{1,2}\s|\b(?:but|whereas|although|though|so|because|which|unlike|while|if|when)\b|"
                      r"\band\s+(?=(?:it|they|this|that|he|she|we|you|i|there)\b)", re.IGNORECASE)
# "... identifies each row and can never be null": a second predicate of the same subject is a
# clause of its own, so its negation is not read into the first one
_CLAUSES_VP = re.compile(_CLAUSES.pattern + r"|\band\s+(?=(?:can|cannot|could|must|should|will|would|may|might|is|"
                         r"are|was|were|has|have|had|does|do|did|never|also)\b)", re.IGNORECASE)
_CONDITIONAL = re.compile(r"\b(?:if|when|whenever|unless|otherwise|until)\b", re.IGNORECASE)
# "check whether keys ... never expire" asks, like "if": it claims nothing ("don't affect whether" does)
_CONDITIONAL_WHETHER = re.compile(_CONDITIONAL.pattern + r"|\b(?:check|checks|checking|see|verify|test|ask|confirm|"
                                  r"find\s+out|look\s+at)\s+(?:\w+\s+)?whether\b", re.IGNORECASE)


def _clause_re(params: Params) -> re.Pattern[str]:
    return _CLAUSES_VP if params.vp_and else _CLAUSES


_FRAGMENT_WORDS = 2  # a comma piece this short is no clause of its own ("last in, first out")


def _clauses(text: str, params: Params) -> list[str]:
    """``text`` cut at clause boundaries; a piece of at most ``_FRAGMENT_WORDS`` words cut off by
    a comma, with no negation, stays with the piece before it (or after it, when it comes first)."""
    pieces, seps, start = [], [], 0
    for m in _clause_re(params).finditer(text):
        pieces.append(text[start:m.start()])
        seps.append(m.group(0))
        start = m.end()
    pieces.append(text[start:])
    if not params.comma_fragments:
        return pieces
    out: list[str] = []
    joined_next = False
    for i, piece in enumerate(pieces):
        # "..., not global": a short negated piece corrects what came before; it stays apart
        short = 0 < len(piece.split()) <= _FRAGMENT_WORDS and not _negations(piece)
        if joined_next:
            out[-1] += piece
            joined_next = False
        elif short and i > 0 and seps[i - 1] == "," and out:
            out[-1] += "," + piece
        elif short and i < len(seps) and seps[i] == ",":
            out.append(piece + ",")
            joined_next = True
        else:
            out.append(piece)
    return out
# A question that asks for an enumeration ("What are the different ways...", "Name three...",
# "What stages... are") is answered properly by a list: its terms count, and the list is no
# gaming. ("What are X?" without "the" asks what X are: an explanation.)
_ENUMERATION = re.compile(
    r"^\s*(?:what|which)\s+(?:are|were)\s+the\b|^\s*(?:name|list|enumerate)\b|"
    r"^\s*(?:what|which)\s+[a-z]+s\b[^?.]*\b(?:are|were)\b|"
    r"\b(?:two|three|four|five|several|different)\s+(?:[a-z]+\s+)?(?:ways|types|kinds|stages|steps|methods|forms|"
    r"categories|examples|phases)\b", re.IGNORECASE)
# A sentence that sets two things against each other says opposite things about them by design.
_CONTRAST = re.compile(r"\b(?:whereas|whilst|however|unlike|but|although|though|instead|rather than|"
                       r"as opposed to|in contrast|on the other hand|while)\b", re.IGNORECASE)
# A question that asks for the candidate's own experience ("Tell me about a time you...", "Describe an
# incident you were involved in", "Have you ever..."): its key points describe the parts of a story
# ("Situation: the context"), they do not state facts, so word similarity cannot judge the answer.
_PAST_VERB = r"(?:\w{2,}ed|" + "|".join(sorted(tx.IRREGULAR_PAST)) + r")"
_STORY_QUESTION = re.compile(
    r"\b(?:a|an|one)\s+(?:\w+\s+){0,4}?(?:time|occasion|situation|instance|moment|example|case)\b[^.?!]{0,30}?"
    r"\byou\b(?!\s+(?:would|could|should|might|will|can|may)\b)"
    r"|\b(?:a|an|one|the)\s+(?:\w+\s+){0,5}?(?:that\s+|which\s+|where\s+)?you\s+(?:were|have\s+been|had|have\s+"
    + _PAST_VERB + r"|" + _PAST_VERB + r")\b"
    r"|\bhave\s+you\s+ever\b", re.IGNORECASE)
_BULLET = re.compile(r"^\s*(?:[-*\u2022]|\d+[.)])\s+")
_LIST_SPLIT = re.compile(r";|,\s*(?:and|or)\s+|\s+and\s+|,\s+", re.IGNORECASE)
_LONG_UNIT_WORDS = 35
# Conversation words that carry no claim ("So the question is..., which is important").
_DISCOURSE = frozenset(tx.stem(w) for w in """question questions answer important importance interesting think thinking
yes yeah ok okay well good great basically topic really obviously definitely talk discuss mention say saying ask
asked know guess mean sure right correct""".split())
# Words that hold an English sentence together (articles, pronouns, auxiliaries and modals): a run of
# eight or more content words with none of them and no comma is a string of terms, not a statement.
# the glue words that give a string of terms a sentence's verb: auxiliaries, modals, "not"
_VERB_GLUE = frozenset("""is are was were be been being am do does did has have had can could will would shall should
may might must not""".split())
_GLUE = frozenset("""a an the this that these those it its i we you they he she me us them my our your their
there""".split()) | _VERB_GLUE
_GLUE_VERBS = _VERB_GLUE | tx.NEGATIONS  # what a copied run lends (borrowed_glue)
FUNCTION_WORDS = tx.STOPWORDS | tx.NEGATIONS | frozenset("""
whether each every some any all both either only not than then there because if so about over under between
through during up down out off again once more most other same few no yes one ones someone somebody anyone
into onto across around without within upon toward towards against among
""".split())


# ---- results ------------------------------------------------------------------------------
@dataclass(frozen=True)
class PointJudgement:
    """The judgement of one key point: its status, the quotes that decide it and why."""

    point: str
    status: Status
    quotes: tuple[str, ...] = ()
    spans: tuple[tuple[int, int], ...] = ()  # character spans of the quotes in the verbatim answer
    support: float = 0.0
    contradiction: str | None = None
    note: str = ""
    doubt: str | None = None  # a contradiction read from a bare negation, counted as partly covered (Params.doubtful)

    @property
    def reading(self) -> str | None:
        """What the answer was read to say against the point, counted (a contradiction) or doubted."""
        return self.contradiction or self.doubt


@dataclass
class AnswerScore:
    """Result of :func:`score_answer`; ``score`` (0-5) follows from ``points`` alone."""

    score: float
    points: list[PointJudgement] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    rationale: str = ""

    @property
    def covered_points(self) -> list[str]:
        return [p.point for p in self.points if p.status == "covered"]

    @property
    def partial_points(self) -> list[str]:
        return [p.point for p in self.points if p.status == "partial"]

    @property
    def missed_points(self) -> list[str]:
        return [p.point for p in self.points if p.status == "missed"]


# ---- key points -----------------------------------------------------------------------------
def _split_outside_parens(sentence: str) -> list[str]:
    masked = re.sub(r"\([^)]*\)", lambda m: "\x00" * len(m.group(0)), sentence)
    pieces, start = [], 0
    for m in _LIST_SPLIT.finditer(masked):
        pieces.append(sentence[start:m.start()])
        start = m.end()
    pieces.append(sentence[start:])
    return [p.strip(" ,.;:") for p in pieces if p.strip(" ,.;:")]


def split_key_points(reference: str | list[str] | tuple[str, ...]) -> list[str]:
    """Key points of a reference: a list is taken as it is; a text is cut into sentences, and a
    sentence that is a list of short items ("abstraction and reusability") into its items."""
    if isinstance(reference, (list, tuple)):
        return [p.strip() for p in reference if p and p.strip()]
    points: list[str] = []
    for sentence in tx.split_sentences(reference):
        sentence = _BULLET.sub("", sentence).strip(" .;")
        head, _, tail = sentence.partition(":")
        tail_items = _split_outside_parens(tail) if tail.strip() else []
        if len(tail_items) > 1 and len(tx.plain_content_stems(head)) <= 4:
            sentence = tail.strip()
        pieces = _split_outside_parens(sentence)
        sizes = [len(tx.plain_content_stems(p)) for p in pieces]
        if len(pieces) > 1 and re.search(r"\b(?:and|or)\b", sentence) and all(1 <= n <= 4 for n in sizes):
            points.extend(pieces)
        elif tx.plain_content_stems(sentence):
            points.append(sentence)
    if not points and reference and reference.strip():
        points = [reference.strip()]
    return points


def _label_and_body(point: str) -> tuple[str, str]:
    """"Topic: explanation" -> ("Topic", "explanation"); other points have no label."""
    head, sep, body = point.partition(":")
    if sep and body.strip() and 0 < len(head.split()) <= 5:
        return head.strip(), body.strip()
    return "", point.strip()


# ---- claims -----------------------------------------------------------------------------------
@dataclass
class _Claim:
    start: int
    end: int
    text: str            # verbatim
    work: str            # spelling-corrected working copy
    kind: str = "claim"  # claim | telegraphic | echo | non_answer | filler
    stems: frozenset[str] = frozenset()


def _segments(answer: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    pos = 0
    for piece in _UNIT_SPLIT.split(answer):
        at = answer.find(piece, pos)
        if at < 0 or not piece.strip(" .;,-"):
            pos = max(pos, at + len(piece)) if at >= 0 else pos
            continue
        end = at + len(piece)
        pos = end
        if len(piece.split()) > _LONG_UNIT_WORDS:
            sub_start = at
            for m in _CLAUSE_SPLIT.finditer(piece):
                cut = at + m.start()
                if len(answer[sub_start:cut].split()) >= 6:
                    spans.append((sub_start, cut))
                    sub_start = at + m.end()
            spans.append((sub_start, end))
        else:
            spans.append((at, end))
    out = []
    for s, e in spans:
        while s < e and answer[s].isspace():
            s += 1
        while e > s and answer[e - 1] in " \t\r\n,;":
            e -= 1
        if e > s:
            out.append((s, e))
    return out


def _function_share(words: list[str]) -> float:
    return sum(1 for w in words if w in FUNCTION_WORDS) / len(words) if words else 0.0


def _is_list(text: str) -> bool:
    """Three or more comma-separated items, nearly all of at most three words, with few function
    words: a list of terms ("TTL, write-through, cache-aside, stale reads")."""
    items = [i.split() for i in re.split(r"[,;]", text) if i.strip(" .")]
    if len(items) < 3:
        return False
    short = sum(1 for i in items if len(i) <= 3) / len(items)
    return short >= 0.75 and _function_share(tx.plain_words(text)) < 0.25


_BORROWED_RUN = 3  # words in a row copied from a key point or the question


def _rubric_runs(texts: list[str]) -> frozenset[tuple[str, ...]]:
    """Every run of ``_BORROWED_RUN`` consecutive words of the question and the key points."""
    runs = set()
    for text in texts:
        words = tx.plain_words(text)
        runs.update(tuple(words[i:i + _BORROWED_RUN]) for i in range(len(words) - _BORROWED_RUN + 1))
    return frozenset(runs)


def _own_words(words: list[str], runs: frozenset[tuple[str, ...]], blank: frozenset[str]) -> list[str]:
    """``words`` with the ``blank`` words that sit in a run copied from the question or a key point
    blanked ("SIGKILL cannot be caught" copied with the point: "cannot be" are the point's verbs, not
    the answer's): whether the answer glues its terms into sentences is then read from its own words."""
    borrowed = [False] * len(words)
    for i in range(len(words) - _BORROWED_RUN + 1):
        if tuple(words[i:i + _BORROWED_RUN]) in runs:
            borrowed[i:i + _BORROWED_RUN] = [True] * _BORROWED_RUN
    return ["" if b and w in blank else w for w, b in zip(words, borrowed)]


def _claims(answer: str, question_stems: set[str], vocabulary: set[str], params: Params,
            runs: frozenset[tuple[str, ...]] = frozenset()) -> list[_Claim]:
    """``runs``: word runs of the question and the key points (:func:`_rubric_runs`), whose function
    words are not the answer's own glue (``Params.borrowed_glue``)."""
    blank = {"glue": _GLUE_VERBS, "verbs": _GLUE_VERBS, "all": FUNCTION_WORDS}.get(params.borrowed_glue)
    own = (lambda words: _own_words(words, runs, blank)) if blank and runs else (lambda words: words)
    # "glue" reads the borrowed verbs out of the glue-word rule only (a long string of terms), so a short
    # sentence said in the point's words ("Bubble sort is O(n^2)") keeps its verb for the other rules
    shares = own if params.borrowed_glue in ("verbs", "all") else (lambda words: words)
    claims = []
    for start, end in _segments(answer):
        text = answer[start:end]
        work = tx.correct_spelling(text, vocabulary) if params.spell_fix else text
        claims.append(_Claim(start, end, text, work, stems=frozenset(tx.plain_content_stems(work))))
    all_words = shares(tx.plain_words(" ".join(c.work for c in claims if not _NON_ANSWER.match(c.text))))
    content_total = sum(1 for w in all_words if w and w not in FUNCTION_WORDS)
    telegraphic_answer = content_total >= 5 and _function_share(all_words) < params.min_function_share
    # an answer made of three or more fragments ("Salt. Hashing. Rate limiting.") recites, it does not claim
    lengths = [len(c.work.split()) for c in claims if not _NON_ANSWER.match(c.text)]
    fragments = params.list_rules and len(lengths) >= 3 and float(np.median(lengths)) <= 3
    for c in claims:
        plain = tx.plain_words(c.work)
        words = shares(plain)
        content = [w for w in words if w and w not in FUNCTION_WORDS]
        if _NON_ANSWER.match(c.text):
            c.kind = "non_answer"
        elif not content or not (c.stems - _DISCOURSE):
            c.kind = "filler"
        elif telegraphic_answer or (len(content) >= 4 and _function_share(words) < params.min_function_share) \
                or (params.glue_rule and len([w for w in content if not (params.glue_digits and w.isdigit())]) >= 8
                    and "," not in c.work and not set(own(plain)) & _GLUE) \
                or (params.list_rules and (_is_list(c.work) or (fragments and len(c.work.split()) <= 4))):
            c.kind = "telegraphic"
        elif params.echo and c.stems and not (c.stems - question_stems - _DISCOURSE):
            c.kind = "echo"
    return claims


def asks_for_story(question: str) -> bool:
    """Whether ``question`` asks for the candidate's own experience ("Tell me about a time you...")."""
    return bool(_STORY_QUESTION.search(question or ""))


STORY_NOTE = "Not judged: a story from the candidate's own experience."
NO_STORY_NOTE = "No example from the candidate's own experience."
_STORY_MIN_CLAIMS = 2  # narrative claims that make a story (one could be a general remark in the past tense)


# Where and when a story happened ("last year", "two years ago", "at my previous job", "once"):
# a story told in the present tense ("so my manager comes to me and says...") still has one.
_STORY_ANCHOR = re.compile(
    r"\b(?:last|this|that|one|the other)\s+(?:year|month|week|quarter|spring|summer|autumn|fall|winter|sprint|day)\b"
    r"|\b\w+\s+(?:years?|months?|weeks?)\s+ago\b|\bonce\b|\bone time\b|\bin (?:19|20)\d\d\b"
    r"|\b(?:at|in)\s+(?:my|our)\s+(?:last|previous|former|old|first|current|second)\s+"
    r"(?:job|company|role|team|position|employer|project|startup|internship)\b"
    r"|\bwhen I (?:was|worked|joined|started)\b", re.IGNORECASE)


def _tells_story(claims: list[_Claim], known_stems: set[str], answer: str = "", params: Params = PARAMS) -> bool:
    """Whether the answer tells the candidate's own story: it speaks in the first person, and at
    least two of its claims are in the past tense and name two or more things of their own, beyond
    the question's and the key points' words (a read-back in the past tense names none). With
    ``story_anchors``, an answer that says when or where it happened ("last year", "at my previous
    job") needs only one such claim, or two claims of their own in any tense ("so my manager comes
    to me and says...")."""
    words = [tx.plain_words(c.work) for c in claims]
    if not any(set(w) & tx.FIRST_PERSON for w in words):
        return False
    own = [c.kind not in ("non_answer", "filler") and len(c.stems - known_stems - _DISCOURSE) >= 2 for c in claims]
    narrative = sum(1 for c, w, o in zip(claims, words, own) if o and any(tx.is_past_tense(x) for x in w))
    if narrative >= _STORY_MIN_CLAIMS:
        return True
    return params.story_anchors and bool(_STORY_ANCHOR.search(answer)) and (narrative >= 1 or sum(own) >= 2)


# ---- alignment --------------------------------------------------------------------------------
def _weights(pieces: list[str], question_stems: set[str], params: Params) -> np.ndarray:
    """Weight of each word-piece of a point: 0 for function words, demoted for question words."""
    weights = np.zeros(len(pieces), dtype=np.float32)
    i = 0
    while i < len(pieces):
        j = i + 1
        while j < len(pieces) and pieces[j].startswith("##"):
            j += 1
        word = "".join(p.removeprefix("##") for p in pieces[i:j])
        plain = tx.plain_words(word)
        w = 0.0
        if plain and re.match(r"[a-z0-9]", word) and plain[0] not in FUNCTION_WORDS:
            w = params.question_weight if tx.stem(plain[0]) in question_stems else 1.0
        weights[i:j] = w / (j - i)
        i = j
    if params.function_compounds:
        # "has-a" / "is-a": a compound of function words is one content word, spread over its pieces
        k = 0
        while k < len(pieces):
            end = k + 1
            while end + 1 < len(pieces) and pieces[end] == "-" and not pieces[end + 1].startswith("##"):
                end += 2
            if end - k >= 3 and all(pieces[m] in tx.STOPWORDS for m in range(k, end, 2)):
                stem = tx.stem("".join(pieces[m] for m in range(k, end, 2)))
                w = params.question_weight if stem in question_stems else 1.0
                weights[k:end] = w / (end - k)
            k = end
    return weights


def _recall(point_vecs: np.ndarray, weights: np.ndarray, other: np.ndarray) -> tuple[float, np.ndarray, np.ndarray]:
    if other.size == 0 or weights.sum() <= 0:
        return 0.0, np.zeros(len(weights)), np.zeros(len(weights), dtype=int)
    sims = point_vecs @ other.T
    best, where = sims.max(axis=1), sims.argmax(axis=1)
    return float((best * weights).sum() / weights.sum()), best, where


# ---- polarity ---------------------------------------------------------------------------------
_WEAK_NEGATIONS = frozenset({"without"})
# verbs of neglect with no opposite in the general list ("lose" has "keep"): negated, they cancel
_NEGLECT = frozenset("forget forgets neglect neglects overlook overlooks ignore ignores omit omits".split())
_COORDINATED_NEGATIONS = frozenset({"no", "not", "never", "nothing", "none"})
_COORDINATORS = frozenset({"and", "or"})


def _negations(text: str, *, weak: bool = True) -> int:
    """Negation words of ``text``, hedges ("not sure", "not only") left out; ``weak=False`` also
    leaves out "without", which rarely flips what a clause claims ("without much hassle"), unless a
    negation comes before it ("can't ... without a majority" says one is needed). "little"
    (not "a little") and "rarely", "seldom", "hardly", "barely", "scarcely" negate too:
    "low-selectivity columns gain little" is what "doesn't help much" says. "few" does not: "few,
    covering critical journeys" counts tests, as "only a few" does."""
    text = _HEDGE_NEGATION.sub(" ", text)
    words = tx.plain_words(text)
    n = 0
    for i, w in enumerate(words):
        if w in _WEAK_NEGATIONS and not weak:
            # "it can't become leader without a majority's votes": "not ... without" says it is needed
            n += bool(n)
        elif n and (w == "nor" or (w in _COORDINATED_NEGATIONS and words[i - 1] in _COORDINATORS)):
            # "no voting and no terms", "neither X nor Y": one negation said of two things, not two
            # that cancel
            continue
        elif w in tx.NEGATIONS or w in _NEGATIVE_ADVERBS or (w == "little" and (i == 0 or words[i - 1] != "a")):
            n += 1
        elif w in _NEGLECT and n and tx.NEGATIONS & set(words[max(0, i - 2):i]):
            n += 1  # "don't forget to fsync": neglecting it is what is denied
    return n + len(_REJECTED.findall(text))


# "MD5 is out", "plain text is off the table": predicates that reject their subject, as "never" does
# (general English, a closed class)
_REJECTED = re.compile(r"(?i)\b(?:is|are|was|were|'s|'re)\s+(?:(?:simply|just|definitely|completely|totally)\s+)?"
                       r"(?:out(?=\s*(?:[.,;!]|$))|off\s+the\s+table|out\s+of\s+the\s+question|forbidden|banned"
                       r"|unacceptable|a\s+bad\s+idea|an?\s+(?:\w+\s+)?anti-pattern"
                       r"|(?:far\s+|way\s+|just\s+)?too\s+(?:risky|dangerous|costly|expensive|slow|complicated))\b"
                       # "produce too many false positives to be worth running": "too ... to" denies
                       r"|\btoo\s+(?:\w+\s+){1,4}to\s+be\s+(?:worth|useful|practical|reliable|trusted)\b")


# "gain little", "rarely helps": negations in all but form ("a little" is not)
_NEGATIVE_ADVERBS = frozenset("rarely seldom hardly barely scarcely".split())
_NEG_PREFIX = re.compile(r"^(?:non|un)(?=[a-z]{4})")


def _negative_formed(word: str) -> bool:
    """A word that holds a negation in its form: "unready", "nonblocking", "stateless" ("non-root" is
    two plain words; its "non" is checked where it matters)."""
    return bool(_NEG_PREFIX.match(word)) or (word.endswith("less") and len(word) > 7)


def _merge_non(words: list[str]) -> list[str]:
    """"non-root" arrives as "non", "root": join them again."""
    merged: list[str] = []
    for w in words:
        if merged and merged[-1] == "non":
            merged[-1] = "non" + w
        else:
            merged.append(w)
    return merged


def _unprefixed(text: str, other: str, context: str = "", less: bool = True, able: bool = False
                ) -> tuple[list[str], int]:
    """Content stems of ``text`` with "non"/"un" prefixes taken off where ``other`` has the bare
    word and not the prefixed one ("unready" -> "ready" when the claim says "not ready"), and how
    many were; with ``less``, a "-less" word too ("connectionless" -> "connection" when the other
    says "not ... a connection"); with ``able``, an "un...able" word meets its verb ("unrecoverable"
    -> "recover" when the other says "can't recover"). A prefixed word does not count when ``text``
    or ``context`` (the whole sentence) also has the bare word: "a static array ..., a non static
    array ..." sets the two apart."""
    opposites, out, n = opposite_stems(), [], 0
    merged = _merge_non(tx.plain_words(text))
    own = {tx.stem(w) for w in merged} | set(tx.plain_content_stems(context))
    other_plain = set(tx.plain_content_stems(other))
    other_merged = {tx.stem(w) for w in _merge_non(tx.plain_words(other))}
    for w in merged:
        if w in tx.STOPWORDS or w in tx.NEGATIONS or w == "non":
            continue
        st, m = tx.stem(w), _NEG_PREFIX.match(w)
        if m and st not in opposites and st not in other_merged:
            bare = tx.stem(w[m.end():])
            if able and bare not in other_plain and w.endswith(("able", "ible")) and len(w) - m.end() > 7:
                bare = tx.stem(w[m.end():-4])  # "unrecoverable" meets "can't recover"
            if bare in other_plain and bare not in own:
                out.append(bare)
                n += 1
                continue
        if less and w.endswith("less") and len(w) > 7 and st not in other_merged:
            bare = tx.stem(w[:-4])  # "connectionless" meets "a connection" as "no connection"
            if bare in other_plain and bare not in own:
                out.append(bare)
                n += 1
                continue
        out.append(st)
    return out, n


def _mentions(stems: set[str], label: frozenset[str] | set[str]) -> bool:
    """Whether any word of ``label`` is among ``stems`` (same stem or the same first five letters)."""
    return any(s in stems or (len(s) >= 5 and any(t[:5] == s[:5] for t in stems)) for s in label)


_AND_WORD = re.compile(r"\band\s+(?:the\s+|a\s+|an\s+)?([A-Za-z][\w-]*)", re.IGNORECASE)


def _clause_spans(text: str, params: Params, split_before: frozenset[str] = frozenset()) -> list[tuple[int, int]]:
    """Character spans of the clauses of ``text``; "and" before a word whose stem is in
    ``split_before`` (a thing the question asks about) starts a clause too."""
    cuts = [(m.start(), m.end()) for m in _clause_re(params).finditer(text)]
    cuts += [(m.start(), m.start() + 3) for m in _AND_WORD.finditer(text) if tx.stem(m.group(1).lower()) in split_before]
    spans, start = [], 0
    for a, b in sorted(set(cuts)):
        if a < start:
            continue
        spans.append((start, a))
        start = b
    spans.append((start, len(text)))
    return spans


def _aligned_clause(claim: _Claim, offsets: list[tuple[int, int]], vecs: np.ndarray, p_vecs: np.ndarray,
                    weights: np.ndarray, base: float, params: Params,
                    named_stems: frozenset[str] = frozenset()) -> tuple[str, np.ndarray] | None:
    """The clause of ``claim`` that best states the point (MiniLM recall over that clause's word
    pieces only), if it states it at least partly, with its word pieces' vectors. "and" before one
    of the things the question names side by side (``named_stems``) starts a clause too:
    "Authorization checks who you are and authentication decides what you may do" says two things."""
    spans = _clause_spans(claim.work, params, named_stems if params.and_before_named else frozenset())
    best, best_support = None, params.aligned_min
    starts = np.array([o[0] for o in offsets]) if offsets else np.zeros(0, int)
    for a, b in spans:
        mask = (starts >= a) & (starts < b)
        if not mask.any() or not claim.work[a:b].strip():
            continue
        support = _normalise(_recall(p_vecs, weights, vecs[mask])[0], base)
        if support >= best_support:
            best, best_support = (claim.work[a:b], vecs[mask]), support
    return best


_RELATIVE_PRONOUNS = frozenset({"which", "who", "that", "whose"})
_COORD_TOKEN = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9/+#'-]|\.(?=[A-Za-z0-9]))*|,")
_COORD_GLUE = frozenset({",", "and", "or", "vs", "vs.", "versus", "a", "an", "the"})


def named_labels(question: str, labels: dict[str, frozenset[str]], params: Params = PARAMS
                 ) -> dict[str, frozenset[str]]:
    """The points about things the question names side by side ("What do Send and Sync mean?",
    "liveness, readiness and startup probes"), each with the label words no other such point
    shares. A point's label is named when all its words are in the question and its first word
    stands in one coordination ("A, B and C", "A or B", "A vs B") with another point's label;
    aspects the question also mentions ("... when they are misconfigured") are not things."""
    tokens = [t.lower() for t in _COORD_TOKEN.findall(question)]
    stems = [tx.stem(t) if t != "," else "," for t in tokens]
    asked = set(tx.plain_content_stems(question))
    where: dict[str, tuple[int, int]] = {}  # point -> (first, last) token of its label in the question
    for p, label in labels.items():
        if not label or not label <= asked:
            continue
        hits = [i for i, st in enumerate(stems) if st in label]
        runs = []  # (first, last) of each run of label words; "primary key and foreign key" has two
        for i in hits:
            if runs and i == runs[-1][1] + 1:
                runs[-1][1] = i
            else:
                runs.append([i, i])
        # the run that holds the whole label ("foreign key"), not a word it shares with another's
        whole = [r for r in runs if params.label_runs and label <= set(stems[r[0]:r[1] + 1])]
        if runs:
            where[p] = tuple(whole[0] if whole else runs[0])
    order = sorted(where, key=lambda q: where[q][0])
    grouped: set[str] = set()
    for a, b in pairwise(order):
        between = tokens[where[a][1] + 1:where[b][0]]
        if between and len(between) <= 3 and all(t in _COORD_GLUE for t in between) \
                and any(t in {",", "and", "or", "vs", "vs.", "versus"} for t in between):
            grouped |= {a, b}
    out: dict[str, frozenset[str]] = {}
    for p in grouped:
        others = set().union(*(labels[q] for q in grouped if q != p))
        own = frozenset(st for st in labels[p] if not _mentions(others, {st}))
        if own:
            out[p] = own
    return out if len(out) > 1 else {}


def _misattributed(point: str, claim: _Claim, aligned: tuple[str, np.ndarray], named: dict[str, frozenset[str]],
                   point_states: dict[str, tuple[np.ndarray, np.ndarray]], params: Params = PARAMS) -> str | None:
    """The label of the other named thing that ``aligned`` (the clause that best states ``point``)
    says the point of, or None. The clause (or, naming no label, its sentence) must name that
    thing and not the point's own, and state ``point`` better than that thing's own point: a
    sentence that correctly says what the other thing is ("Sync means it can be shared") is about
    the other thing, not a swap."""
    own = named.get(point)
    if not own or point not in point_states:
        return None
    body = set(tx.plain_content_stems(_label_and_body(point)[1]))
    others = {q: stems for q, stems in named.items() if q != point and not _mentions(body, stems)}
    text, vecs = aligned
    body_list = tx.plain_content_stems(_label_and_body(point)[1])
    scopes = (text, claim.work)
    if params.relative_swap:
        at = claim.work.find(text)
        lead = tx.plain_words(claim.work[max(0, at - 12):at]) if at > 0 else []
        if lead and lead[-1] in _RELATIVE_PRONOUNS:
            scopes = (claim.work,)  # "..., which manages ... pods": its subject is in the clause before
    for scope in scopes:
        scope_list = tx.plain_content_stems(scope)
        stems = set(scope_list)
        if _mentions(stems, own):
            # a label word the body uses too ("Left join: every row of the left table") names the
            # label only when said more often than the body says it: "left keeps all rows of the
            # left table" names it, "an inner join keeps every row of the left table" does not
            if not (params.label_phrase and own <= body) or any(
                    scope_list.count(w) > body_list.count(w) for w in own):
                return None
        # its own label: any word of it; another's: all of its words ("container layer" does
        # not name "image layers")
        said_of = [q for q, o in others.items() if all(_mentions(stems, {w}) for w in o) and q in point_states]
        if said_of:
            mine = _recall(*point_states[point], vecs)[0]
            for q in said_of:
                if mine > _recall(*point_states[q], vecs)[0]:
                    return _label_and_body(q)[0]
            return None
    return None


_ADJECTIVE_ENDINGS = ("able", "ible", "ive", "ous", "ful")


def _same_noun(word: str, form: str) -> bool:
    """Whether ``word`` (of the same stem as the label word ``form``) names the label's thing:
    "pods" names "Pod" and "filters" names "Filtering", but the adjective "deployable" does not name
    "Deployment"."""
    word, form = word.lower(), form.lower()
    return not (word.endswith(_ADJECTIVE_ENDINGS) and not form.endswith(word[-3:]))


def _misattributed_words(point: str, claim: _Claim, named: dict[str, frozenset[str]], params: Params) -> str | None:
    """The label of the other named thing ``claim`` says the point of, judged by words, or None.
    The claim is cut where a named thing is named ("Send means ..., and Sync means ..."); the part
    that a thing starts speaks of that thing. A part started by another thing swaps the point when
    it restates most of the point's body (``negation_overlap`` of its content words), more of it than
    of that thing's own point, and no less than any part started by the point's own label does: "Send
    means a type can be shared by reference, and Sync means it can be moved to another thread"
    against "Send: a type can be moved to another thread". A part with a negation is left alone."""
    own = named.get(point)
    if not own:
        return None
    body = set(tx.plain_content_stems(_label_and_body(point)[1]))
    if not body:
        return None
    words = tx.plain_words(claim.work)
    stems = [tx.stem(w) for w in words]
    starts: list[tuple[int, str]] = []
    for q, label in named.items():
        n = len(label)
        forms = {w for w in tx.plain_words(_label_and_body(q)[0]) if tx.stem(w) in label}
        if n:
            starts += [(i, q) for i in range(len(stems) - n + 1) if set(stems[i:i + n]) == label
                       and (not params.name_forms or not forms
                            or all(any(_same_noun(w, f) for f in forms) for w in words[i:i + n]))]
    starts.sort()
    own_best, swaps = 0.0, {}  # the best share said in a part the point's label starts; other thing -> share
    for j, (i, q) in enumerate(starts):
        end = starts[j + 1][0] if j + 1 < len(starts) else len(words)
        part_stems = set(stems[i:end]) - named[q]
        if not part_stems or _negations(" ".join(words[i:end])):
            continue
        mine = len(part_stems & body) / len(body)
        if q == point:
            own_best = max(own_best, mine)
        elif not _mentions(body, named[q]):
            theirs = set(tx.plain_content_stems(_label_and_body(q)[1]))
            if mine >= params.negation_overlap and theirs and mine > len(part_stems & theirs) / len(theirs):
                swaps[q] = max(swaps.get(q, 0.0), mine)
    for q, mine in swaps.items():
        if mine >= own_best:
            return _label_and_body(q)[0]
    return None


_PART_SPLIT = re.compile(r"[,;]|\b(?:whereas|while|but)\b", re.IGNORECASE)


def _content(text: str) -> set[str]:
    """Stems of the content words of ``text``: function words ("one", "each", "more") left out."""
    return {tx.stem(w) for w in tx.plain_words(text) if w not in FUNCTION_WORDS}


def _thing_parts(body: str, question_stems: frozenset[str]) -> tuple[list[str], list[set[str]], list[set[str]]] | None:
    """The parts of a point that says one thing of each of two or more things the question asks
    about, with each part's content stems and its thing (its words that the question has and no
    other part has); None for any other point."""
    pieces = [p for p in _PART_SPLIT.split(body) if p and _content(p)]
    if len(pieces) < 2:
        return None
    stems = [_content(p) for p in pieces]
    things = [{w for w in st if w in question_stems
               and not any(w in stems[j] for j in range(len(stems)) if j != i)} for i, st in enumerate(stems)]
    if sum(1 for t in things if t) < 2:
        return None
    return pieces, stems, things


def _subject_swap(point: str, claim: _Claim, question_stems: frozenset[str], params: Params) -> str | None:
    """A point that says one thing of each of two things the question asks about ("TCP sets up a
    connection with a handshake, UDP is connectionless"; "composition models a has-a relationship,
    inheritance an is-a one") is contradicted by a clause that says what one part says, the same
    way round, of the other part's thing ("TCP is connectionless"). Each part's thing is its word
    that the question has and no other part has; the clause must name exactly one such thing and
    state another part's words at least as fully as ``negation_overlap``."""
    split = _thing_parts(_label_and_body(point)[1], question_stems)
    if split is None:
        return None
    pieces, stems, things = split
    said = [stems[i] - things[i] for i in range(len(pieces))]
    for a, b in _clause_spans(claim.work, params, frozenset().union(*things)):
        clause = claim.work[a:b]
        c_stems = _content(clause)
        named = [i for i, t in enumerate(things) if t & c_stems]
        if len(named) != 1:
            continue
        own = named[0]
        fill = [len(said[i] & c_stems) / len(said[i]) if said[i] and things[i] else 0.0 for i in range(len(pieces))]
        other = max(range(len(pieces)), key=lambda i: fill[i])
        if other != own and fill[other] >= params.negation_overlap and fill[other] > fill[own] \
                and _negations(clause) % 2 == _negations(pieces[other]) % 2:
            name = lambda i: " ".join(w for w in re.findall(r"[A-Za-z][\w-]*", pieces[i])  # noqa: E731
                                      if tx.stem(w.lower()) in things[i]) or "it"
            return f"says it of {name(own)}, not of {name(other)}"
    return None


# Verbs whose meaning holds a negation (general English, a closed class): "prevents data races" is
# said as well by "you can't have data races", "rejected at compile time" by "doesn't compile".
# (verb forms only, so the noun "rejections" is not the verb "reject")
_IMPLICIT_NEGATION = frozenset("""
avoid avoids avoided avoiding prevent prevents prevented preventing stop stops stopped stopping
block blocks blocked blocking reject rejects rejected rejecting refuse refuses refused refusing
forbid forbids forbade forbidden forbidding deny denies denied denying exclude excludes excluded excluding
omit omits omitted omitting skip skips skipped skipping ignore ignores ignored ignoring
eliminate eliminates eliminated eliminating remove removes removed removing drop drops dropped dropping
lack lacks lacked lacking fail fails failed failing ban bans banned banning
disable disables disabled disabling protect protects protected protecting guard guards guarded guarding
""".split())
# verbs whose subject stops being there: what they say is said by "no X left", "X is gone"
_VANISH = frozenset("disappear disappears disappeared disappearing vanish vanishes vanished vanishing".split())
_IMPLICIT_STEMS = {w: tx.stem(w) for w in _IMPLICIT_NEGATION | _VANISH}
_BE = frozenset("is are was were be been being get gets got".split())
_DETERMINERS = frozenset("a an the any all every each some this that these those its their your our his her".split())


def _implicitly_negated(body: str, clause: str, out_of: bool = False, vanish: bool = False,
                        one: bool = False) -> bool:
    """Whether ``body`` holds a negation in a verb ("prevents", "avoid") that ``clause`` does not
    repeat (with ``out_of``, "keep X out of Y" too; with ``vanish``, "disappear" and "vanish", which
    deny their subject): then the clause may state the point with an explicit negation, and a
    difference in negations says nothing (a clause that repeats the verb is compared as usual:
    "doesn't prevent"). The verb must negate something of the point: its object ("avoid
    re-rendering", "protect against retaliation") or, in the passive, its subject ("data races are
    rejected"); "a polite request to stop, can be handled" negates nothing the point claims. With
    ``one``, a negating verb after the first is what the first negates ("avoid peeking and stopping
    early"), not a negation of its own."""
    words = tx.plain_words(body)
    implicit = set()
    for i, w in enumerate(words):
        if out_of and w == "out" and words[i + 1:i + 2] == ["of"] and i and words[i - 1] not in _BE:
            implicit.add("out")  # "keep build tools out of the final image": "never reach it" says the same
            continue
        if vanish and w in _VANISH:
            implicit.add(_IMPLICIT_STEMS[w])  # "types disappear in the emitted JavaScript": "has no types left"
            continue
        if w not in _IMPLICIT_NEGATION:
            continue
        if one and implicit:
            break  # "avoid peeking and stopping early": "stopping" is what is avoided
        rest = [x for x in words[i + 1:i + 4] if x not in _DETERMINERS]  # "avoid the N+1 queries"
        nxt = rest[0] if rest else ""
        if (nxt and (nxt not in FUNCTION_WORDS or nxt in {"against", "from"})) or (i and words[i - 1] in _BE):
            implicit.add(_IMPLICIT_STEMS[w])
    return bool(implicit) and not implicit & {tx.stem(w) for w in tx.plain_words(clause)}


# Predicates that, negated, say a thing is of no use (general English, a closed class).
_DISMISSIVE = frozenset(tx.stem(w) for w in ("matter", "matters", "need", "needed", "necessary", "important",
                                              "concern", "required", "bother", "worth", "care", "help",
                                              "helps"))
# "check that no firewall blocks it", "make sure no request is lost": an absence aimed for, not a dismissal
_AIMED = frozenset({"that", "whether", "sure", "ensure", "ensures", "so"})


_ITEM_SPLIT = re.compile(r";|,|\s+(?:and|or|such\s+as|like|e\.g\.|including)\s+", re.IGNORECASE)
_ITEM_STEMS = 3  # an item of a list is a short noun phrase ("sharding", "process controls")


def _list_items(body: str, question_stems: frozenset[str] | set[str]) -> list[set[str]]:
    """The items of a point that lists things ("more memory, sharding or moving data elsewhere";
    "audits and process controls"), each as its content stems less the question's; [] when the
    point is no list. An item of only the question's words names no thing of its own."""
    items = [set(tx.plain_content_stems(piece)) - set(question_stems) for piece in _ITEM_SPLIT.split(body)]
    items = [i for i in items if i]
    if len(items) < 2 or any(len(i) > _ITEM_STEMS for i in items):
        return []
    return items


# "audits aren't worth it", "sharding never helps", "X doesn't really matter": an item of a list point
# as the subject of a negated predicate of use or need (words, so "requirements" is not "required")
_USE_WORDS = frozenset("""matter matters mattered need needs needed necessary important worth worthwhile help helps
helped helpful useful required concern bother""".split())
_BETWEEN = frozenset("""is are was were be do does did will would can could should may might really just even also
actually generally usually ever that very much all""".split())


# a claim of use said for some cases only ("not needed at first", "usually isn't needed", "isn't worth
# it for small datasets") dismisses nothing
_QUALIFIERS = frozenset("at yet initially early until unless for in before while when if on".split())
_SCOPING = frozenset("usually often generally typically mostly rarely sometimes".split())
_SKIPPED = _BETWEEN | frozenset({"a", "an", "the", "real", "big", "of", "any", "longer"})


def _item_dismissed(words: list[str], stems: list[str], item: set[str], need_object: bool = False,
                    point_stems: frozenset[str] | set[str] = frozenset()) -> bool:
    """Whether the clause (``words`` and their ``stems``) says ``item`` is of no use or need: the
    item's words, then at most three auxiliaries or adverbs, a negation, and a predicate of use
    within two more words ("audits aren't worth it", "adding memory never helps"); or a negated
    need whose object is the item ("there is no need for audits", "you don't need sharding"). A claim
    scoped by an adverb ("usually") or a qualifier after the predicate ("at first", "for small
    datasets", "in most cases") is no dismissal."""
    where = [i for i, st in enumerate(stems) if st in item]
    if not where or {stems[i] for i in where} != item or _SCOPING & set(words):
        return False
    for n, w in enumerate(words):
        if w not in {"not", "never", "no"}:
            continue
        after = [x for x in words[n + 1:n + 4] if x not in _SKIPPED]
        if not after or after[0] not in _USE_WORDS:
            continue
        pred = words.index(after[0], n + 1)
        if _QUALIFIERS & set(words[pred + 1:pred + 3]):
            continue  # "not needed at first", "isn't worth it for small datasets": a scoped claim
        # "file handles that don't need explicit closing": what is not needed is the object
        # ("edge cases don't need tests" against "test edge cases": the point's own word, so it is one)
        obj = [x for x in words[pred + 1:pred + 3] if x not in _SKIPPED]
        needs_object = bool(need_object and after[0] in {"need", "needs"} and obj
                            and obj[0] not in {"to", "it", "them", "that", "this"}
                            and tx.stem(obj[0]) not in point_stems)
        before = [i for i in where if i < n]
        if before and {stems[i] for i in before} == item and not needs_object:
            gap = words[max(before) + 1:n]
            if gap[:1] in (["and"], ["or"]):  # a coordinated subject: "sharding or adding memory never helps"
                gap = gap[1 + next((j for j, x in enumerate(gap[1:4]) if x in _BETWEEN), min(3, len(gap) - 1)):]
            if all(x in _BETWEEN for x in gap) and len(gap) <= 3:
                return True
        if after[0] in {"need", "needed"}:
            obj = [i for i in where if n + 1 < i < n + 7]
            between = words[n + 2:obj[-1] + 1] if obj else []  # "no need for audits", "don't need to shard"
            if obj and {stems[i] for i in obj} == item and all(
                    x in {"to", "for", "the", "any", "a", "an"} or tx.stem(x) in item or x == words[n + 2]
                    for x in between):
                return True
    return False


def _dismissal(point: str, claim: _Claim, params: Params = PARAMS,
               question_stems: frozenset[str] = frozenset()) -> str | None:
    """The clause of ``claim`` that dismisses the thing ``point`` is labelled with, or None: the
    clause names every word of the label and either puts "no" right before it ("no backoff",
    "there's no real extra cost"; not "check that no firewall ...") or negates a predicate of
    need, use or importance ("idempotency doesn't matter", "you don't need to measure anything",
    "isn't a concern", "doesn't help"), while the point itself has no negation. With
    ``body_dismissal``, a clause naming every word of a short point's body (at most four content
    words: "Signals: handle SIGTERM") dismisses it the same way ("you don't need to handle
    SIGTERM"). A condition ("if there is no timeout, ...") dismisses nothing: neither the clause
    that states it nor the clause it qualifies."""
    label, body = _label_and_body(point)
    label_stems = set(tx.plain_content_stems(label))
    body_stems = set(tx.plain_content_stems(body))
    targets = [label_stems] if label_stems else []
    if params.body_dismissal and 0 < len(body_stems) <= 4:
        targets.append(body_stems)
    items = _list_items(body, question_stems) if params.item_dismissal else []
    if params.privative:
        # "UDP is connectionless" says "no connection" itself: saying so again dismisses nothing
        without = {tx.stem(w[:-4]) for w in tx.plain_words(body) if w.endswith("less") and len(w) > 7}
        targets = [t for t in targets if not t & without]
    if not (targets or items) or _negations(point):
        return None
    if not params.body_dismissal and _CONDITIONAL.search(claim.work):
        return None
    pieces, start, after = [], 0, []
    for m in _CLAUSES.finditer(claim.work):
        pieces.append(claim.work[start:m.start()])
        after.append(m.group(0))
        start = m.end()
    pieces.append(claim.work[start:])
    after.append("")
    for i, clause in enumerate(pieces):
        if not clause or _negations(clause, weak=False) % 2 == 0:
            continue
        if _CONDITIONAL.search(clause) or _CONDITIONAL.fullmatch(after[i].strip()) \
                or (i and _CONDITIONAL.fullmatch(after[i - 1].strip())):
            continue
        words = tx.plain_words(clause)
        stems = [tx.stem(w) for w in words]
        # "partitioning isn't needed for small tables" against "partition ... large tables" speaks of
        # the other case: it agrees with the point
        if any(_item_dismissed(words, stems, item, params.need_object, body_stems) for item in items) \
                and not swapped(tx.plain_content_stems(body), tx.plain_content_stems(clause), params.comparatives):
            return clause.strip()
        if params.item_absence:
            for item in items:
                # "no" right before all the item's words, as "no backoff" for a label
                if any(w == "no" and item <= set(stems[j + 1:j + 1 + len(item) + 2])
                       and (j == 0 or words[j - 1] not in _AIMED) for j, w in enumerate(words)):
                    return clause.strip()
        for target in targets:
            if not target <= set(tx.plain_content_stems(clause)):
                continue
            no_before = any(w == "no" and set(stems[j + 1:j + 4]) & target and (j == 0 or words[j - 1] not in _AIMED)
                            for j, w in enumerate(words))
            if no_before or set(stems) & _DISMISSIVE:
                return clause.strip()
    return None


# Verbs and predicates that reject their object or subject (general English, a closed class): "I'd
# skip engagement surveys", "avoid structured 30-60-90 plans", "I wouldn't bother with top", "free
# is useless".
_REJECTING_VERBS = frozenset("""avoid avoids avoiding skip skips skipping ignore ignores ignoring drop drops
dropping ditch ditches ditching abandon abandons""".split())
_NEGATED_USE = frozenset("use using bother rely".split())  # "I wouldn't bother with top", "don't use X"
_USELESS = frozenset("useless pointless overkill unnecessary worthless".split())
_OBJECT_SKIP = frozenset("a an the any all every each of with on their your our its these those this that".split())


def _rejected_item(point: str, claim: _Claim, params: Params, question_stems: frozenset[str] = frozenset()
                   ) -> str | None:
    """The clause of ``claim`` that rejects what ``point`` recommends, or None: a verb of rejection
    with the point's label or one of its items as object ("I'd skip engagement surveys" against
    "Engagement: survey results and eNPS"; "avoid structured 30-60-90 plans" against "Structure: a
    30-60-90 day plan"), a negated verb of use ("I wouldn't bother with top or htop"), or a predicate
    that calls it useless ("free is useless", "there's no point looking for seams"). Not when the
    point rejects something itself ("avoid peeking"), under a condition or a contrast, for the other
    kind by a general opposite ("I wouldn't use a fast hash"), for a rejected negation ("avoid
    non-repeatable reads"), or scoped to some cases ("skip it for small tables")."""
    label, body = _label_and_body(point)
    if _negations(point) or _implicitly_negated(body, "", params.out_of, params.vanish) or _DENIES.search(point):
        return None
    label_stems = set(tx.plain_content_stems(label)) - question_stems
    items = _list_items(body, question_stems)
    targets = [t for t in ([label_stems] if label_stems else []) + items if t]
    # most of a short body ("rewrite history with a history-filtering tool": "rewriting history")
    body_target = set(tx.plain_content_stems(body)) - question_stems if params.body_rejection else set()
    if not 2 <= len(body_target) <= 4:
        body_target = set()

    def named(said: set[str]) -> bool:
        return any(t <= said for t in targets) or (
            len(said & body_target) >= 2 and 2 * len(said & body_target) >= len(body_target))
    cond_re = _CONDITIONAL_WHETHER if params.whether_condition else _CONDITIONAL
    if not (targets or body_target) or cond_re.search(claim.work) or _CONTRAST.search(claim.work):
        return None
    body_list = tx.plain_content_stems(body)
    for start, end in _clause_spans(claim.work, params):
        clause = claim.work[start:end]
        words = tx.plain_words(clause)
        stems = [tx.stem(w) for w in words]
        negs = _negations(clause, weak=False)
        # "I wouldn't use a fast hash" against "a slow adaptive hash" rejects the other kind
        if swapped(body_list, tx.plain_content_stems(clause), params.comparatives):
            continue
        for n, w in enumerate(words):
            rejecting = (w in _REJECTING_VERBS and negs % 2 == 0) or (
                w in _NEGATED_USE and bool({"not", "never"} & set(words[max(0, n - 3):n])))
            if rejecting and params.rejection_object and words[n + 1:n + 2] in (["it"], ["them"]):
                rejecting = False  # "avoids it with majority quorums": the quorums are the means
            if rejecting:
                rest = [i for i in range(n + 1, min(n + 6, len(words))) if words[i] not in _OBJECT_SKIP]
                window = [stems[i] for i in rest[:3]]
                after = rest[3:5]
                # "avoid non-repeatable reads" rejects the negation: it keeps the point
                if any(words[i] == "non" or _negative_formed(words[i]) for i in rest[:3]):
                    continue
                if named(set(window)) and not (_QUALIFIERS & {words[i] for i in after}):
                    return clause.strip(" ,.")
            if w == "no" and words[n + 1:n + 2] in (["point"], ["sense"], ["use"]) and negs % 2 == 1:
                # "there's no point looking for seams": as "pointless"
                rest = [i for i in range(n + 2, min(n + 8, len(words))) if words[i] not in _OBJECT_SKIP
                        and words[i] not in {"in", "looking", "for", "trying", "to"}]
                if named({stems[i] for i in rest[:3]}):
                    return clause.strip(" ,.")
            useless = w in _USELESS or (params.body_rejection and (
                w == "obsolete" or (w == "waste" and words[n - 1:n] == ["a"])))  # "is a waste of time"
            if useless and negs % 2 == 0:
                before = set(stems[max(0, n - 5):n])
                if named(before):
                    return clause.strip(" ,.")
    return None


# ---- order ----------------------------------------------------------------------------------
_ORDER_POINT = re.compile(r"^(.*\S)\s+(before|after)\s+(\S.*)$", re.IGNORECASE)
_THEN = frozenset({"then", "afterwards", "afterward", "later", "next", "followed"})
_FIRST = frozenset({"first", "earlier", "beforehand", "initially"})
_LAST = frozenset({"last", "later", "afterwards", "afterward", "finally", "second"})
_ORDER_STEMS = frozenset(tx.stem(w) for w in ("before", "after", "first", "last", "earlier", "later"))


def _order_of(words: list[str], stems: list[str], a: set[str], b: set[str]) -> int:
    """+1 when the sentence puts ``a`` before ``b``, -1 when after, 0 when it says no order: "a
    before b", "b after a", "a, then b", "a first ... b last"."""
    ia = [i for i, st in enumerate(stems) if st in a]
    ib = [i for i, st in enumerate(stems) if st in b]
    if not ia or not ib:
        return 0
    lo, hi = (min(ia), min(ib)) if min(ia) < min(ib) else (min(ib), min(ia))
    first_is_a = min(ia) < min(ib)
    second = ib if first_is_a else ia
    if set(words[max(0, lo - 3):max(second) + 3]) & tx.NEGATIONS:
        return 0
    between = words[max(i for i in (ia if first_is_a else ib) if i < hi) + 1:hi]
    sign = 1 if first_is_a else -1
    if "before" in between or _THEN & set(between):
        return sign
    if "after" in between:
        return -sign
    if lo and words[lo - 1] in _THEN:  # "..., then SIGKILL once a timeout passes": ordered after something else
        return 0
    near_first = set(words[max(0, lo - 1):lo]) | set(words[lo + 1:min(hi, lo + 3)])
    near_second = set(words[hi - 1:hi]) | set(words[max(second) + 1:max(second) + 3])
    if near_first & _FIRST or near_second & _LAST:
        return sign
    if near_second & _FIRST or near_first & _LAST:
        return -sign
    return 0


def _order(point: str, claim: _Claim) -> int:
    """-1 when ``claim`` gives the order of ``point`` the other way round, +1 when it gives the
    same order, 0 when it gives none. The point says "X before Y" (or "after"); the two things are
    the content word nearest the marker on each side ("dependency files", "source code"). A
    sentence that names both and orders them by "before", "after", "then", "first" or "last" gives
    an order; a negation or a condition near them leaves it to the other checks."""
    _, body = _label_and_body(point)
    m = _ORDER_POINT.match(body.strip().rstrip("."))
    if not m or _negations(body) or _CONDITIONAL.search(body):
        return 0
    left, right = tx.plain_content_stems(m.group(1)), tx.plain_content_stems(m.group(3))
    a, b = set(left[-1:]) - set(right), set(right[:1]) - set(left)
    if not a or not b:
        return 0
    if m.group(2).lower() == "after":
        a, b = b, a
    work = claim.work
    if _CONDITIONAL.search(work) or _DENIED.search(work):
        return 0
    words = tx.plain_words(work)
    stems = [tx.stem(w) for w in words]
    return _order_of(words, stems, a, b)


# "A, not B" / "A rather than B" / "A instead of B": the sentence asserts A and denies B
# ("..., not to mention X", "not least", "not necessarily", "not always" add or soften; they deny nothing)
_DENIED = re.compile(r"(?:,\s*(?:and\s+|but\s+)?not(?!\s+(?:to\s+mention|least|necessarily|always|only|just|"
                     r"merely|simply)\b)|\brather\s+than|\binstead\s+of|\bas\s+opposed\s+to)\s+"
                     r"([^,.;:!?()]{1,80})", re.IGNORECASE)
_DENIES = re.compile(r"\bnot\b|\brather\s+than\b|\binstead\s+of\b|\bas\s+opposed\s+to\b", re.IGNORECASE)
_DENIED_WORDS = 8


def _denied_alternative(point: str, claim: _Claim, params: Params = PARAMS) -> str | None:
    """Why ``claim`` denies ``point``, or None: the point is stated only with the words of what the
    sentence denies ("Stages are split at every single transformation, not at shuffles" against
    "Stages: split at shuffle boundaries"; "alert on every internal cause rather than on user-facing
    errors" against "alert on user-facing symptoms such as errors"). The asserted part with the
    denied part restates the point (``negation_overlap`` of its words) while the asserted part
    alone does not, and the denied part holds a word of the point the asserted part lacks. A point
    that itself denies something ("by event time, not arrival time", "avoid SELECT star") is
    compared elsewhere."""
    label, body = _label_and_body(point)
    body_stems = set(tx.plain_content_stems(body))
    # the label counts for the asserted part: "backfill in small batches instead of one huge update"
    # states "Backfill: update in batches"
    point_stems = body_stems | set(tx.plain_content_stems(label))
    # "avoid SELECT star" denies it itself: "rather than SELECT star" agrees (no parts then)
    for m, denied in _denied_parts(point, claim, params):
        asserted = set(tx.plain_content_stems(claim.work[:m.start()]))
        if len(asserted & point_stems) / len(point_stems) >= params.negation_overlap:
            continue
        if len((asserted | set(tx.plain_content_stems(denied))) & body_stems) / len(body_stems) \
                >= params.negation_overlap:
            return f'denies it ("{m.group(0).strip(" ,")}")'
    return None


# a comparative of preference: what comes after "than" is what the sentence advises against ("keep it
# on each server, which is more available than a shared store"; general English, a closed class)
_PREFERRED = re.compile(r"\b(?:better|safer|simpler|easier|cheaper|more\s+(?:reliable|available|secure|robust|"
                        r"efficient|scalable|flexible|practical|useful|resilient|predictable|maintainable))"
                        r"\s+than\s+([^,.;:!?()]{1,80})", re.IGNORECASE)


def _denied_parts(point: str, claim: _Claim, params: Params) -> list[tuple[re.Match[str], str]]:
    """The parts of ``claim`` that it denies ("rather than X", ", not X") and that hold a word of
    ``point`` the part before them lacks; [] for a point that denies something itself."""
    label, body = _label_and_body(point)
    body_stems = set(tx.plain_content_stems(body))
    if not body_stems or _negations(point) or _DENIES.search(point) or _implicitly_negated(body, ""):
        return []
    out = []
    found = list(_DENIED.finditer(claim.work))
    if params.than_alternative and not re.search(r"\bthan\b", point, re.IGNORECASE):
        # a point that compares itself ("cheaper than processes") is compared by its comparative
        found += list(_PREFERRED.finditer(claim.work))
    for m in found:
        denied = m.group(1)
        if params.denied_np:
            # "rather than behaviour and mocks drift from the real dependencies": what is denied is a
            # noun phrase; "and" before three or more words starts a clause of its own
            cut = re.search(r"\s(?:and|or)\s+((?:\S+\s+){2,}\S+)\s*$", denied)
            if cut:
                denied = denied[:cut.start()]
        if len(denied.split()) > _DENIED_WORDS or _negations(denied) or _HEDGE_NEGATION.search(m.group(0)) \
                or _CONDITIONAL.search(denied):
            continue
        asserted = set(tx.plain_content_stems(claim.work[:m.start()]))
        if (set(tx.plain_content_stems(denied)) & body_stems) - asserted:
            out.append((m, denied))
    return out


def _denied_support(point: str, claim: _Claim, support: float, offsets: list[tuple[int, int]], vecs: np.ndarray,
                    p_vecs: np.ndarray, weights: np.ndarray, base: float, params: Params) -> str | None:
    """Why ``claim`` denies ``point``, or None: the claim meets the point (its ``support`` at least
    ``partial_at``) mainly through the words of a part it denies: that part alone meets it (at least
    ``partial_at``), and better than the rest of the claim does ("the efficient move is one big
    rewrite of the module rather than lots of small changes" against "Small steps: refactor in small
    verified changes"). Measured on word pieces in context, so no threshold of word counts."""
    if support < params.partial_at:
        return None
    for m, denied in _denied_parts(point, claim, params):
        lo, hi = m.start(), m.start(1) + len(denied)
        keep = [i for i, (a, b) in enumerate(offsets) if b <= lo or a >= hi]
        part = [i for i, (a, b) in enumerate(offsets) if a >= m.start(1) and b <= hi]
        # the denied part alone meets the point ("rather than all at once" is no statement of "only once")
        if not (keep and part):
            continue
        alone = _normalise(_recall(p_vecs, weights, vecs[part])[0], base)
        if alone >= params.partial_at and _normalise(_recall(p_vecs, weights, vecs[keep])[0], base) < alone:
            return f'denies it ("{claim.work[m.start():hi].strip(" ,")}")'
    return None


# verbs of leaving out (general English, a closed class): negated, they say the thing is done or kept
_PRIVATIVE = _NEGLECT | frozenset("""skip skips remove removes drop drops lose loses miss misses disable disables
discard discards delete deletes""".split())
_DENIERS = frozenset({"not", "never"})  # "no X" names an absence ("no rendering in between"), read elsewhere
_DENIED_GAP = 2  # words between a negation and the word it denies ("never serve stale data")
# a clause after these gives a consequence or a reason about something else ("so changing code doesn't
# bust the cache"); a negation after a relative word is about its own noun ("rows where they don't match")
_SUBORDINATE = frozenset("so because since".split())
_RELATIVE = _RELATIVE_PRONOUNS | {"where", "wherever", "whom"}


def _denied_word(point: str, claim: _Claim, question_stems: frozenset[str], params: Params = PARAMS) -> str | None:
    """Why ``claim`` denies ``point``, or None: a word of the point (beyond the question's) is
    negated where the answer says it: "not" or "never", at most ``_DENIED_GAP`` words, then the
    word, in a main clause ("that guarantees you never serve stale data" against "TTL: entries
    expire after a time, simple but stale in between"; "they aren't shared" against "Image layers:
    read-only, shared between containers"). Another clause agreeing with the rest of the point
    does not spare it. Only points with no negation or condition of their own (label, body,
    "non-", a verb like "avoid"); not in conditions, consequences ("so ..."), relative clauses or
    contrasts; a negated need or use ("doesn't need a type") is a dismissal, read elsewhere."""
    body = _label_and_body(point)[1]
    if _negations(point) or _implicitly_negated(body, "", params.out_of, params.vanish) \
            or any(w == "non" or _negative_formed(w) for w in tx.plain_words(body)) \
            or _CONDITIONAL.search(body) or _DENIES.search(body):
        return None  # "add optional fields rather than changing meaning" denies something itself
    own = set(tx.plain_content_stems(body)) - question_stems
    cond_re = _CONDITIONAL_WHETHER if params.whether_condition else _CONDITIONAL
    if not own or _CONTRAST.search(claim.work) or cond_re.search(claim.work):
        return None
    text = claim.work
    prev_end = 0
    denied, plain = [], []  # (word's stem, the point's own words said, quote) / own words of each other clause
    for start, end in _clause_spans(text, params):
        before = tx.plain_words(text[prev_end:start])
        prev_end = end
        words = tx.plain_words(_HEDGE_NEGATION.sub(" ", text[start:end]))
        said = set(tx.plain_content_stems(text[start:end])) & own
        hit = None
        # "rows where they don't match"; "and that guarantees you never ..." is no relative clause
        lead = 1 if words[:1] in (["and"], ["but"]) else 0
        # "a single point wouldn't balance well" denies the other kind ("many positions")
        other_kind = params.negated_privative and bool(_DENIERS & set(words)) and bool(
            swapped(list(own), tx.plain_content_stems(" ".join(words)), params.comparatives))
        if not (before and (before[-1] in _SUBORDINATE or before[-1] in _RELATIVE)):
            for n, w in enumerate(words):
                if w not in _DENIERS or _RELATIVE & set(words[lead + 1:n]):
                    continue
                if other_kind or params.negated_privative and (
                        "without" in words[n + 1:] or words[n + 1:n + 2] == ["enough"]):
                    # "don't make calls without a deadline" needs one; "it isn't enough to change the
                    # password" asks for more
                    continue
                for j in range(n + 1, min(n + 2 + _DENIED_GAP, len(words))):
                    # "it doesn't mind duplicates" allows them; "don't forget to fsync" does it
                    if words[j] in _DENIERS or words[j] in ("and", "or", "mind", "minds") or words[j] in _USE_WORDS:
                        break
                    stems = set(tx.plain_content_stems(words[j])) & own
                    if stems:
                        after = words[j + 1:j + 5]
                        if params.denial_manner and (
                                (after[:1] and after[0].endswith("ly") and len(after[0]) > 5)
                                or (_RELATIVE_PRONOUNS & set(after[:3]) and tx.NEGATIONS & set(after))):
                            # "doesn't pick randomly" denies the manner; "anything that hasn't beaten
                            # it" denies a condition
                            break
                        hit = (stems, words[j])
                        break
                    if params.negated_privative and words[j] in _PRIVATIVE:
                        break
                if hit:
                    break
        if hit:
            quote = text[start:end].strip(" ,.")
            said_as = re.search(rf"(?i)\b{re.escape(hit[1])}[\w-]*", quote)  # "Retry-After", as written
            denied.append((hit[0], said, f'denies "{said_as.group(0) if said_as else hit[1]}" ("{quote}")'))
        else:
            plain.append(said)
    for stems, said, reason in denied:
        # "their IPs aren't stable, so a Service gives you a stable virtual IP": another clause says
        # the word as the point does, at least as fully; the denial is about something else
        if not any(stems <= other and len(other) >= len(said) for other in plain):
            return reason
    return None


_ELLIPSIS = re.compile(r"^\s*(?:\S+\s+){0,2}?(?:does|do|did|is|are|was|were|can|could|will|would|has|have|should)"
                       r"\s*(?:not|n't)\s*$", re.IGNORECASE)


def _polarity_parts(body: str) -> list[str] | None:
    """The parts of a point that says one thing and denies another ("aggregate by event time, not
    arrival time"; "TCP guarantees delivery and order, UDP does not"), each to be compared on its
    own; None when all its parts have the same polarity. An elliptical part ("UDP does not")
    borrows what the part before it says, less that part's first word (its subject)."""
    pieces = [p for p in _CLAUSES.split(body) if p and tx.plain_words(p)]
    if len(pieces) < 2 or len({_negations(p) % 2 for p in pieces}) < 2:
        return None
    parts: list[str] = []
    for i, piece in enumerate(pieces):
        if i and _ELLIPSIS.match(piece):
            before = pieces[i - 1].split()
            first = next((j for j, w in enumerate(before) if tx.plain_content_stems(w)), 0)
            piece = piece.strip() + " " + " ".join(before[first + 1:])
        parts.append(piece.strip())
    return parts


def _best_part(parts: list[str], clause: str, body: str, enough: float, params: Params = PARAMS) -> str | None:
    """The part of a mixed-polarity point that ``clause`` speaks to (most of its words, an opposite
    counting as shared); the whole ``body`` when the clause states ``enough`` of more than one
    part ("SIGKILL can't be caught and stops at once"); None when it shares no word with any."""
    clause_list = tx.plain_content_stems(clause)
    best, best_key, full = None, (0.0, 0), 0
    stems_of = {part: set(tx.plain_content_stems(part)) for part in parts}
    for part in parts:
        part_list = tx.plain_content_stems(part)
        if not part_list:
            continue
        shared = len(set(part_list) & set(clause_list))
        key = ((shared + len(swapped(part_list, clause_list))) / len(set(part_list)), shared)
        # a part is stated only with the words that set it apart ("UDP" in "UDP does not ..."): the
        # parts of "TCP guarantees delivery, UDP does not" share all else
        own = stems_of[part] - set().union(*(stems_of[q] for q in parts if q != part))
        full += key[0] >= enough and (not params.parts_own or not own or bool(own & set(clause_list)))
        if key > best_key:
            best, best_key = part, key
    return body if full > 1 else best


def _label_opposite(point: str, claim: _Claim, params: Params) -> str | None:
    """Why ``claim`` says the opposite of ``point``'s label, or None: the label is a modifier and a
    noun ("Multiple zones", "Small steps") and a clause puts the modifier's general opposite right
    before the noun ("putting all instances in one zone"). Not under a condition or a contrast, and
    not in a negated clause ("not a single zone" agrees)."""
    label, _ = _label_and_body(point)
    words = tx.plain_words(label)
    if not 2 <= len(words) <= 3 or _negations(label):
        return None
    table = opposite_stems()
    stems = [base_word(tx.stem(w)) for w in words]
    mods = [(i, s) for i, s in enumerate(stems[:-1]) if s in table]
    if not mods:
        return None
    nouns = {tx.stem(w) for w in words[mods[-1][0] + 1:]} - {"", *tx.STOPWORDS}
    cond_re = _CONDITIONAL_WHETHER if params.whether_condition else _CONDITIONAL
    if not nouns or cond_re.search(claim.work) or _CONTRAST.search(claim.work):
        return None
    for start, end in _clause_spans(claim.work, params):
        clause = claim.work[start:end]
        if _negations(clause) % 2:
            continue
        c_words = tx.plain_words(clause)
        c_stems = [base_word(tx.stem(w)) for w in c_words]
        for j in range(1, len(c_stems)):
            if tx.stem(c_words[j]) in nouns:
                before = set(c_stems[max(0, j - 2):j])
                for _, m in mods:
                    if before & table[m] and m not in before:
                        return _opposite_reason(m, next(iter(before & table[m])), label, clause)
    return None


def _opposite_reason(point_stem: str, claim_stem: str, point_text: str, claim_text: str) -> str:
    """"says the opposite ('more expensive' where the point has 'cheaper')", in the words the
    answer and the point use, not their stems."""
    def surface(target: str, text: str) -> str:
        words = re.findall(r"[A-Za-z][A-Za-z'-]*", text)
        for i, w in enumerate(words):
            if target in (tx.stem(w.lower()), base_word(tx.stem(w.lower()))):
                # "more/less expensive", "most secure": the comparative is two words
                before = words[i - 1].lower() if i else ""
                if before in ("more", "less", "most", "least") and tx.stem(before) != target:
                    return f"{words[i - 1]} {w}"
                return w
        return target

    return f"says the opposite ('{surface(claim_stem, claim_text)}' where the point has '{surface(point_stem, point_text)}')"


def _part_of_thing(body: str, clause: str, question_stems: frozenset[str]) -> str | None:
    """The part of a two-thing point ("TCP sets up a connection ..., UDP is connectionless") whose
    thing ``clause`` names, when it names exactly one; None otherwise."""
    split = _thing_parts(body, question_stems)
    if split is None:
        return None
    pieces, _stems, things = split
    c_stems = _content(clause)
    named = [i for i, t in enumerate(things) if t & c_stems]
    return pieces[named[0]].strip() if len(named) == 1 else None


def _label_free(clause: str, words: frozenset[str]) -> str:
    """``clause`` without the label's negative-formed words (``words``), or unchanged."""
    if not words or not words & set(tx.plain_words(clause)):
        return clause
    return " ".join(w for w in tx.plain_words(clause) if w not in words)


def _contradiction(point: str, claim: _Claim, params: Params, aligned: str | None = None,
                   question_stems: frozenset[str] = frozenset(), same_order: bool = False) -> str | None:
    """Why ``claim`` says the opposite of ``point``, or None.

    Only a clause that restates most of the point (``negation_overlap`` of its content words)
    is compared, so a negation or an opposite elsewhere in the sentence does not count. With
    ``same_order`` the claim puts the point's two things in its order ("copy the source code after
    the dependency files"): "after" in place of "before" is then no opposite."""
    label, body = _label_and_body(point)
    label_stems = set(tx.plain_content_stems(label))
    named_label = None
    if params.label_term and len(tx.plain_words(label)) >= 2:
        named_label = re.compile(r"(?i)\b" + r"[\s-]+".join(map(re.escape, tx.plain_words(label))) + r"\b")

    def opposites(point_words: list[str], claim_words: list[str], text: str = "") -> list[tuple[str, str]]:
        found = swapped(point_words, claim_words, params.comparatives) if params.antonyms else []
        # "the same-origin policy" names the label: its "same" is no opposite of the body's "different"
        said_as_name = bool(named_label and named_label.search(text))
        return [pair for pair in found if not (same_order and pair[0] in _ORDER_STEMS)
                and not (said_as_name and pair[1] in label_stems)]

    body_stems = set(tx.plain_content_stems(body))
    if not body_stems:
        return None
    # "Never: plain text or fast hashes" states its body negated
    label_neg = _negations(label, weak=False) if params.label_polarity and label else 0
    if label_neg and params.label_name and set(tx.plain_content_stems(label)) - body_stems:
        label_neg = 0  # "Not found: return 404 ...": a label with a word of its own is a name, not a polarity
    if params.label_names_negation and label_neg and _negations(body):
        label_neg = 0  # "Not null: it can never be empty": the label names the body's negation, once
    point_negs = _negations(body) + label_neg
    # "Stateless services: keep state in shared stores": "the services should be stateless" says the
    # label, not the opposite of "state"
    label_words = frozenset(filter(_negative_formed, tx.plain_words(label))) if params.label_negative_words \
        else frozenset()
    # "Storing plain text, or using a fast digest like SHA-1, is out": the predicate rejects every
    # clause of its subject before it
    reject = _REJECTED.search(claim.work) if params.rejection_scope else None

    def rejected(clause: str) -> int:
        return int(bool(reject) and clause.strip() != "" and clause in claim.work[:reject.start()])
    # a negation said in a clause that is about the point ("..., with no table rewrite")
    claim_negs = sum(_negations(c, weak=False) for c in _CLAUSES.split(claim.work)
                     if c and set(tx.plain_content_stems(c)) & body_stems)
    # conditions change what a negation means ("does not create one if one is defined"): only
    # plain statements are compared
    cond_re = _CONDITIONAL_WHETHER if params.whether_condition else _CONDITIONAL
    conditional = _CONDITIONAL.search(body) or cond_re.search(claim.work)
    if params.contrast_exempt and _CONTRAST.search(claim.work) and not _CONTRAST.search(body):
        return None
    body_list = tx.plain_content_stems(body)
    # ... but an opposite word in the main clauses, before any condition, stays an opposite ("a
    # value has several owners" against "each value has one owner and is dropped when ...")
    main_only = bool(conditional) and params.conditional_opposites
    scope, loop_list, loop_stems = claim.work, body_list, body_stems
    if main_only:
        cut_body, cut_claim = _CONDITIONAL.search(body), cond_re.search(claim.work)
        scope = claim.work[:cut_claim.start()] if cut_claim else claim.work
        loop_list = tx.plain_content_stems(body[:cut_body.start()] if cut_body else body)
        loop_stems = set(loop_list)
    # a point that says one thing and denies another is compared part by part
    parts = _polarity_parts(body) if params.mixed_polarity and not main_only else None
    clause_list_all = [c for c in _clauses(scope, params) if c and c.strip()]
    part_of = {c: _best_part(parts, c, body, params.negation_overlap, params) for c in clause_list_all} if parts else {}
    agrees, opposes = 0.0, None  # (overlap, reason) of the fullest opposing clause
    for whole in ([] if conditional and not (main_only and loop_stems) else clause_list_all):
        clause = _label_free(whole, label_words)
        clause_list = tx.plain_content_stems(clause)
        stems = set(clause_list)
        clause_negs = _negations(clause, weak=not params.weak_only_if_negated or point_negs > 0) + rejected(whole)
        b_list, b_stems, p_negs, ref, ref_claim_negs = loop_list, loop_stems, point_negs, body, claim_negs
        if parts:
            if part_of[whole] is None:
                continue
            ref = part_of[whole]
            b_list = tx.plain_content_stems(ref)
            b_stems, p_negs = set(b_list), _negations(ref) + label_neg
            ref_claim_negs = sum(_negations(c, weak=False) for c in clause_list_all
                                 if part_of[c] == ref)
        if main_only:
            clause_negs = p_negs  # only opposite words count here
        elif params.prefix_negation:
            # "non-root" / "unready" in the point meet "not ... root" / "not ready" in the clause
            plain_body, extra = _unprefixed(ref, clause, less=params.less_negation, able=params.able_verbs)
            plain_clause, extra_c = _unprefixed(clause, ref, claim.work, less=params.less_negation,
                                                able=params.able_verbs)
            if extra or extra_c:
                b_list, b_stems, p_negs = plain_body, set(plain_body), p_negs + extra
                clause_list, stems, clause_negs = plain_clause, set(plain_clause), clause_negs + extra_c
        pairs = opposites(b_list, clause_list, whole)
        # an opposite replaces one of the point's words: count it as shared for the overlap
        shared = len(b_stems & stems) + len(pairs)
        overlap = shared / len(b_stems)
        if not stems or overlap < params.negation_overlap:
            continue
        negation_flip = clause_negs % 2 != p_negs % 2
        if negation_flip and params.negated_point_rule and p_negs > 0 and ref_claim_negs > 0:
            # the point's negation is said in another clause ("a constant default, with no rewrite")
            negation_flip = False
        if negation_flip and params.implicit_negation and (
                _implicitly_negated(ref, clause, params.out_of, params.vanish, params.one_implicit)
                or (params.implicit_in_claim and _implicitly_negated(clause, ref))):
            negation_flip = False
        flips = len(pairs) + negation_flip
        if flips % 2 == 0:
            agrees = max(agrees, overlap)
        elif opposes is None or overlap > opposes[0]:
            a, b = pairs[0] if pairs else ("", "")
            opposes = (overlap, _opposite_reason(a, b, ref, clause) if pairs else "negates it")
    # A sentence that also states the point as it is, at least as fully, is a contrast ("a stack
    # is last in first out, and a queue is first in first out"): the opposing clause is about
    # something else, and the point is judged by its support.
    if opposes is not None and agrees < opposes[0]:
        return opposes[1]
    # the same holds for the best-stating clause: another clause of the sentence that states the
    # point as it is ("any number of shared immutable references, or exactly one mutable
    # reference") makes the sentence a contrast, not a contradiction
    contrast = params.contrast_agrees and agrees >= params.negation_overlap
    ref = body
    if parts and aligned is not None:
        # the part of a mixed-polarity point the best-stating clause speaks to; none: no verdict
        ref = _best_part(parts, aligned, body, params.negation_overlap, params)
    elif params.thing_parts and aligned is not None and question_stems:
        # a point that says one thing of each of two things the question asks about: a clause that
        # names one of them is compared with what the point says of that one
        ref = _part_of_thing(body, aligned, question_stems) or body
    if params.aligned_polarity and aligned is not None and ref is not None and not conditional and not contrast:
        clause = _label_free(aligned, label_words)
        c_rejected = rejected(aligned)
        clause_list = tx.plain_content_stems(clause)
        b_list = tx.plain_content_stems(ref)
        p_negs, c_negs = _negations(ref, weak=False) + label_neg, _negations(clause, weak=False) + c_rejected
        if params.prefix_negation:
            plain_body, extra = _unprefixed(ref, clause, less=params.less_negation, able=params.able_verbs)
            plain_clause, extra_c = _unprefixed(clause, ref, claim.work, less=params.less_negation,
                                                able=params.able_verbs)
            if extra or extra_c:
                b_list, clause_list = plain_body, plain_clause
                p_negs, c_negs = p_negs + extra, c_negs + extra_c
        pairs = opposites(b_list, clause_list, aligned)
        negation_flip = c_negs % 2 != p_negs % 2
        if negation_flip and params.negated_point_rule and _negations(ref) + label_neg + p_negs > 0 and claim_negs > 0:
            negation_flip = False
        if negation_flip and params.implicit_negation and (
                _implicitly_negated(ref, clause, params.out_of, params.vanish, params.one_implicit)
                or (params.implicit_in_claim and _implicitly_negated(clause, ref))):
            negation_flip = False
        if clause_list and (len(pairs) + negation_flip) % 2 == 1:
            if pairs:
                a, b = pairs[0]
                return _opposite_reason(a, b, ref, clause)
            if params.aligned_negation:
                return "negates it"
    return None


# ---- stated values ------------------------------------------------------------------------------
# A point that names a value (a status code, a version, a count, a complexity) is stated only with
# that value: "503" does not state "reject with HTTP 429", "O(n) on average" does not state
# "Average: O(1) lookup". Complexity classes also go by their English names.
_BIG_O = re.compile(r"\b[OΘΩ]\s*\(([^()]*(?:\([^()]*\)[^()]*)*)\)")
_COMPLEXITY_NAMES = ((re.compile(r"\bconstant[- ]time\b", re.I), "1"),
                     (re.compile(r"\blinear[- ]time\b", re.I), "n"),
                     (re.compile(r"\blogarithmic\b", re.I), "logn"),
                     (re.compile(r"\bquadratic\b", re.I), "n^2"),
                     (re.compile(r"\bn\s*log\s*n\b", re.I), "nlogn"))
# "500." at a sentence's end too; "1,000" is one number
_NUMBER = re.compile(r"(?<![\w.,])(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?!\w|[.,]\d)")


def _normal_complexity(inner: str) -> str:
    """"N log(N)", "n lg n" -> "nlogn"; "n²", "n**2" -> "n^2"."""
    v = re.sub(r"[\s()]+", "", inner.lower()).replace("**", "^").replace("²", "^2").replace("³", "^3")
    return re.sub(r"\blg|(?<=n)lg|^lg", "log", v)


def _complexity_forms(text: str) -> dict[str, str]:
    """Complexity classes named in ``text``: normalised value -> the words used for it."""
    forms = {_normal_complexity(m.group(1)): m.group(0) for m in _BIG_O.finditer(text)}
    for pattern, value in _COMPLEXITY_NAMES:
        m = pattern.search(text)
        if m and value not in forms:
            forms[value] = m.group(0)
    return forms


def _complexities(text: str) -> set[str]:
    return set(_complexity_forms(text))


_EXAMPLE = re.compile(r"(?:\be\.?g\.?|\bsuch as|\bfor example|\blike|\baround|\babout|\broughly|\bsay|~)\W*$",
                      re.IGNORECASE)


def _numbers(text: str, examples: bool = True) -> set[str]:
    """Numbers of ``text`` (not inside a complexity); ``examples=False`` leaves out the ones given as
    an example or an estimate ("e.g. 2 seconds", "around 100")."""
    plain = _BIG_O.sub(" ", text)
    out = set()
    for m in _NUMBER.finditer(plain):
        if not examples and _EXAMPLE.search(plain[max(0, m.start() - 20):m.start()]):
            continue
        value = m.group(0).replace(",", "")
        out.add(value.rstrip("0").rstrip(".") if "." in value else value.lstrip("0") or "0")
    return out


def _same_number(said: str, wanted: str) -> bool:
    """"3.8" gives the "3" of a point ("Python 3"); otherwise the numbers must be equal."""
    return said == wanted or said.startswith(wanted + ".")


def _value_clause(point: str, claim_text: str, params: Params) -> str | None:
    """The clause of a claim that speaks to ``point``: most of the point's words (values aside).
    A complexity's parentheses are no clause boundary."""
    point_stems = set(tx.plain_content_stems(_NUMBER.sub(" ", _BIG_O.sub(" ", point))))
    found: list[str] = []

    def hide(m: re.Match) -> str:
        found.append(m.group(0))
        return f"bigo{len(found) - 1}x"

    best, best_shared = None, 0
    for clause in _clauses(_BIG_O.sub(hide, claim_text), params):
        words = re.sub(r"bigo\d+x", " ", clause)
        shared = len(point_stems & set(tx.plain_content_stems(_NUMBER.sub(" ", words))))
        if shared > best_shared:
            best, best_shared = clause, shared
    return None if best is None else re.sub(r"bigo(\d+)x", lambda m: found[int(m.group(1))], best)


def _gives_value(point: str, text: str) -> bool:
    """Whether ``text`` names one of the point's own values anywhere."""
    if _complexities(point) & _complexities(text):
        return True
    return any(_same_number(a, b) for a in _numbers(text) for b in _numbers(point, examples=False))


def _value_mismatch(point: str, claim_text: str, params: Params) -> tuple[str, str, str] | None:
    """("complexity" | "number", what the answer says, what the point has) when the clause that
    speaks to the point gives another value of the same kind and not the point's own."""
    if not params.stated_values:
        return None
    wanted_o, wanted_n = _complexities(point), _numbers(point, examples=False)
    if not wanted_o and not wanted_n:
        return None
    # the clause that shares the point's words; failing that, the claim the judgement quoted
    clause = _value_clause(point, claim_text, params) or claim_text
    said_o, said_n = _complexities(clause), _numbers(clause)
    if wanted_o and said_o and not wanted_o & said_o:
        said, wanted = _complexity_forms(clause), _complexity_forms(point)
        return ("complexity", ", ".join(said[v] for v in sorted(said_o)),
                ", ".join(wanted[v] for v in sorted(wanted_o)))
    if wanted_n and said_n and not any(_same_number(a, b) for a in said_n for b in wanted_n):
        return "number", ", ".join(sorted(said_n)), ", ".join(sorted(wanted_n))
    return None


# ---- public entry point -----------------------------------------------------------------------
def _rationale(points: list[PointJudgement], score: float, flags: list[str]) -> str:
    n = len(points)
    counts = {s: sum(1 for p in points if p.status == s and not p.contradiction) for s in CREDIT}
    wrong = sum(1 for p in points if p.contradiction)
    parts = [f"{counts['covered']} of {n} key point(s) covered"]
    if counts["partial"]:
        parts.append(f"{counts['partial']} partly")
    if wrong:
        parts.append(f"{wrong} contradicted")
    formula = f"{counts['covered']} + 0.5 x {counts['partial']}" + (f" - 0.5 x {wrong}" if wrong else "")
    # nobody judged it: there is no arithmetic to show, only why
    why = [] if NOT_JUDGED_FLAGS & set(flags) else [", ".join(parts) + f": 5 x ({formula}) / {n} = {score:.2f}."]
    notes = {"keyword_list": "The answer lists terms without stating anything about them, so they do not count.",
             "echo": "Parts of the answer only repeat the question.",
             "off_topic": "The answer does not address the question.",
             "not_answered": "No substantive answer was given.",
             "contradiction": "Statements that contradict a key point count against the score.",
             "not_english": "Not judged: the answer is not in English, and the offline analysis reads English only.",
             "story": "Not judged: the answer tells a story from the candidate's own experience, and the offline "
                      "analysis cannot tell which part of a story meets which key point.",
             "no_story": "The question asks for an example from the candidate's own experience, and the answer "
                         "tells none: general statements, or the key points said back, meet no key point."}
    why += [notes[f] for f in flags if f in notes]
    return " ".join(why)


def status_for(support: float, covered_at: float, partial_at: float) -> Status:
    """A point's status from its support (0-1) and the two thresholds."""
    return "covered" if support >= covered_at else "partial" if support >= partial_at else "missed"


def _normalise(recall: float, base: float) -> float:
    return float(np.clip((recall - base) / (1.0 - base), 0.0, 1.0)) if recall else 0.0


def _point_state(point: str, question_stems: set[str], params: Params) -> tuple[np.ndarray, np.ndarray]:
    """The point's word-piece vectors and their weights (question words weigh little)."""
    p_tok, _, p_vecs = get_encoder().token_states(point, params.token_layer)
    weights = _weights(p_tok, question_stems, params)
    if weights.sum() <= 0:
        weights = np.ones(len(p_tok), dtype=np.float32)
    return p_vecs, weights


def _judge_point(point: str, claims: list[_Claim], claim_vecs: list[np.ndarray],
                 claim_offsets: list[list[tuple[int, int]]], named: dict[str, frozenset[str]],
                 point_states: dict[str, tuple[np.ndarray, np.ndarray]], q_tokens: np.ndarray,
                 params: Params, list_wanted: bool = False, question_stems: frozenset[str] = frozenset(),
                 flag_states: tuple[tuple[str, np.ndarray, np.ndarray], ...] = ()) -> PointJudgement:
    """``named``: the points about things the question names side by side (:func:`named_labels`);
    ``point_states``: every point's word-piece vectors and weights (:func:`_point_state`)."""
    p_vecs, weights = point_states[point]
    # a point that is a statement needs a statement; a point that names a term can be named
    is_term = len(tx.plain_content_stems(_label_and_body(point)[1])) <= 2
    kinds = {"claim", "telegraphic"} if is_term or list_wanted else {"claim"}
    eligible = [k for k, c in enumerate(claims) if c.kind in kinds]
    base = params.baseline_share * _recall(p_vecs, weights, q_tokens)[0] if len(q_tokens) else 0.0
    vecs = {k: claim_vecs[k] for k in eligible}
    per_claim = {k: _normalise(_recall(p_vecs, weights, vecs[k])[0], base) for k in eligible}
    # a point that names a value (a number, a complexity) is stated only with it
    has_values = params.stated_values and bool(_complexities(point) or _numbers(point, examples=False))
    # a claim that says the opposite of the point decides it only when nothing else in the
    # answer states the point (a contradiction elsewhere may be about something else)
    wrong = {}
    named_stems = frozenset().union(*named.values()) if point in named else frozenset()
    for k in eligible:
        if per_claim[k] >= params.partial_at * 0.75:
            aligned = _aligned_clause(claims[k], claim_offsets[k], vecs[k], p_vecs, weights, base, params,
                                      named_stems) \
                if params.aligned_polarity or params.label_swap else None
            reason = None
            if params.label_swap and aligned is not None and point in named:
                other = _misattributed(point, claims[k], aligned, named, point_states, params)
                if not other and params.swap_words:
                    other = _misattributed_words(point, claims[k], named, params)
                if other:
                    reason = f"says it of {other}, not of {_label_and_body(point)[0]}"
            if reason is None and params.subject_swap:
                reason = _subject_swap(point, claims[k], question_stems, params)
            if reason is None and params.label_dismissal:
                dismissed = _dismissal(point, claims[k], params, question_stems)
                if dismissed:
                    reason = f'dismisses it ("{dismissed}")'
            if reason is None and params.rejecting_verbs:
                rejected = _rejected_item(point, claims[k], params, question_stems)
                if rejected:
                    reason = f'dismisses it ("{rejected}")'
            if reason is None and params.label_opposite:
                reason = _label_opposite(point, claims[k], params)
            order = _order(point, claims[k]) if params.order_swap and reason is None else 0
            if reason is None and order < 0:
                reason = f'gives the order the other way round (the point has "{_label_and_body(point)[1].strip()}")'
            if reason is None and params.denied_alternative:
                reason = _denied_alternative(point, claims[k], params)
            if reason is None and params.denied_support:
                reason = _denied_support(point, claims[k], per_claim[k], claim_offsets[k], vecs[k], p_vecs, weights,
                                         base, params)
            if reason is None and params.denied_word:
                reason = _denied_word(point, claims[k], question_stems, params)
            if reason is None and not (order > 0 and params.order_states):
                # a sentence giving an order point's order ("dependency files ... first, then the
                # source") states it: a negation elsewhere in it ("doesn't bust the cache") is not about it
                reason = _contradiction(point, claims[k], params,
                                        aligned[0] if aligned is not None and params.aligned_polarity else None,
                                        question_stems, same_order=order > 0)
            if reason is None and has_values:
                mismatch = _value_mismatch(point, claims[k].work, params)
                if mismatch and mismatch[0] == "complexity":
                    reason = f"gives {mismatch[1]} where the point has {mismatch[2]}"
            if reason:
                wrong[k] = reason
    # a claim that meets a wrong idea HR listed for this point better than the point itself
    strength = dict(per_claim)
    f_bases = [params.baseline_share * _recall(f_vecs, f_weights, q_tokens)[0] if len(q_tokens) else 0.0
               for _, f_vecs, f_weights in flag_states]
    for k in eligible:
        if k in wrong:
            continue
        for (flag, f_vecs, f_weights), f_base in zip(flag_states, f_bases):
            if params.red_flag_polarity and _negations(claims[k].text) % 2 != _negations(flag) % 2:
                continue
            meets = _normalise(_recall(f_vecs, f_weights, vecs[k])[0], f_base)
            if meets >= params.red_flag_at and meets >= per_claim[k] + params.red_flag_margin:
                wrong[k] = f'{RED_FLAG_DOUBT} for this question ("{flag}")'
                strength[k] = meets
                break
    clean = [k for k in eligible if k not in wrong]
    best_clean = max((per_claim[k] for k in clean), default=0.0)
    if wrong and (best_clean < params.partial_at or max(strength[k] for k in wrong) >= best_clean):
        k = max(wrong, key=lambda j: strength[j])
        c = claims[k]
        if wrong[k].startswith(RED_FLAG_DOUBT) and params.red_flag_reading == "doubt":
            # no other sentence states the point: not counted (counting that sentence as partly covering it
            # did worse on sets 5-8), but doubted, so that a verdict resting on it goes to a person
            status = "missed" if best_clean < params.partial_at else "partial"
            return PointJudgement(point, status, (c.text,), ((c.start, c.end),), round(strength[k], 4), None,
                                  _red_flag_note(wrong[k], status), wrong[k])
        if params.doubtful == "partial" and _doubtful(wrong[k]):
            return PointJudgement(point, "partial", (c.text,), ((c.start, c.end),), round(per_claim[k], 4), None,
                                  _doubt_note(wrong[k]), wrong[k])
        return PointJudgement(point, "missed", (c.text,), ((c.start, c.end),), round(per_claim[k], 4), wrong[k],
                              f"The answer {wrong[k]}.")
    support, quotes = 0.0, []
    if clean:
        stacked = np.vstack([vecs[k] for k in clean])
        owner = np.concatenate([[k] * len(vecs[k]) for k in clean]).astype(int)
        got, best, where = _recall(p_vecs, weights, stacked)
        support = _normalise(got, base)
        contrib: dict[int, float] = {}
        for i in range(len(weights)):
            k = int(owner[where[i]])
            contrib[k] = contrib.get(k, 0.0) + float(weights[i] * best[i])
        top = max(contrib.values())
        quotes = sorted(k for k, v in sorted(contrib.items(), key=lambda kv: -kv[1])[:2]
                        if v >= params.quote_share * top)
    status = status_for(support, params.covered_at, params.partial_at)
    value_note = ""
    if has_values and status != "missed" and quotes and not any(_gives_value(point, claims[k].work) for k in quotes):
        mismatch = next((m for m in (_value_mismatch(point, claims[k].work, params) for k in quotes) if m), None)
        if mismatch:
            status = "partial"
            value_note = f"Gives {mismatch[1]} where the point has {mismatch[2]}."
    if status == "missed":
        note = "Not found in the answer."
        if not is_term and not list_wanted and any(c.kind == "telegraphic" for c in claims):
            note = "Not stated: terms listed without saying anything about them do not count."
        quotes = []
    else:
        note = value_note or ("" if status == "covered" else "Touched on, but not fully stated.")
    keep = [claims[k] for k in quotes]
    return PointJudgement(point, status, tuple(c.text for c in keep), tuple((c.start, c.end) for c in keep),
                          round(support, 4), None, note)


def assign_red_flags(question: str, points: list[str], red_flags: list[str], params: Params = PARAMS
                     ) -> dict[str, list[str]]:
    """Each wrong idea HR listed for a question, given to the key point it is most about (the point
    whose words it meets best, both ways round)."""
    out: dict[str, list[str]] = {p: [] for p in points}
    flags = [f.strip() for f in red_flags if f and f.strip()]
    if not points or not flags:
        return out
    question_stems = set(tx.plain_content_stems(question or ""))
    states = {p: _point_state(p, question_stems, params) for p in points}
    for flag in flags:
        f_vecs, f_weights = _point_state(flag, question_stems, params)
        fit = [(_recall(f_vecs, f_weights, states[p][0])[0] + _recall(states[p][0], states[p][1], f_vecs)[0]) / 2
               for p in points]
        out[points[int(np.argmax(fit))]].append(flag)
    return out


def _red_flag_note(reason: str, status: str) -> str:
    """The note of a point whose best sentence resembles a wrong idea HR listed, in a recruiter's words."""
    idea = re.search(r'\("(.*)"\)$', reason)
    said = f'"{idea.group(1)}"' if idea else "a wrong idea listed for this question"
    counted = "not counted" if status == "missed" else "counted as partly covered"
    return (f"Doubtful: the quoted sentence resembles a wrong idea you listed ({said}) more than this point; "
            f"{counted}. Word similarity cannot tell stating an idea from denying it: check the quote.")


def _doubtful(reason: str) -> bool:
    """A contradiction read from a bare negation ("negates it", 'denies "X"'): on new questions these
    were right about as often as wrong."""
    return reason == "negates it" or reason.startswith('denies "')


def _doubt_note(reason: str) -> str:
    """The note of a doubted point, in a recruiter's words."""
    denied = re.match(r'denies "([^"]+)"', reason)
    seems = f'seems to deny "{denied.group(1)}"' if denied else "seems to say the opposite of this point"
    return (f"Doubtful: the answer {seems}, but only through a negation, which the offline analysis often "
            "misreads; counted as partly covered. Check the quote.")


def _acronyms(question: str) -> set[str]:
    """Stems of the acronyms (three to five letters) of the question's capitalised phrases
    ("Global Interpreter Lock" -> "gil", "Time To Live" -> "ttl"): an answer that says "the GIL"
    repeats the question."""
    out = set()
    for m in re.finditer(r"\b[A-Z][a-z]+(?:[ -](?:[A-Z][a-z]+|[Tt]o|[Oo]f|[Aa]nd))+\b", question):
        words = re.split(r"[ -]", m.group(0))
        for i in range(len(words) - 1):  # "Explain Time To Live": "ettl" and "ttl"
            initials = "".join(w[0] for w in words[i:] if w[0].isupper()).lower()
            if 3 <= len(initials) <= 5:
                out.add(tx.stem(initials))
    return out


def score_answer(question: str, reference: str | list[str] | tuple[str, ...], answer: str,
                 params: Params = PARAMS, red_flags: dict[str, list[str]] | None = None) -> AnswerScore:
    """Judge ``answer`` to ``question`` against ``reference`` (key-point list or reference text);
    ``red_flags``: wrong ideas HR listed, by the key point each is about (:func:`assign_red_flags`)."""
    points = split_key_points(reference)
    if not points:
        raise ValueError("reference must contain at least one key point")
    answer = answer or ""
    question = question or ""
    if not answer.strip() or _NON_ANSWER.match(answer) or not re.search(r"[A-Za-z0-9]", answer):
        judged = [PointJudgement(p, "missed", note="not answered") for p in points]
        return AnswerScore(0.0, judged, ["not_answered"], _rationale(judged, 0.0, ["not_answered"]))
    if params.language_check and tx.looks_foreign(answer):
        # the model and every rule here read English: a person judges this answer, not a 0
        judged = [PointJudgement(p, "missed", note="Not judged: the answer is not in English.") for p in points]
        return AnswerScore(0.0, judged, ["not_english"], _rationale(judged, 0.0, ["not_english"]))

    enc = get_encoder()
    question_stems = set(tx.plain_content_stems(question)) | (_acronyms(question) if params.acronyms else set())
    vocabulary = {w.lower() for w in re.findall(r"[A-Za-z]+", f"{question} {' '.join(points)}")}
    story_question = params.story_questions and asks_for_story(question)
    # a story question's key points describe the story: saying them back is an echo, not a story
    echo_stems = question_stems | {s for p in points for s in tx.plain_content_stems(p)} if story_question \
        else question_stems
    claims = _claims(answer, echo_stems, vocabulary, params, _rubric_runs([question, *points]))
    if story_question and _tells_story(claims, echo_stems, answer, params):
        # word similarity cannot tell which part of a real story meets "Situation: the context": a person does
        judged = [PointJudgement(p, "missed", note=STORY_NOTE) for p in points]
        return AnswerScore(0.0, judged, ["story"], _rationale(judged, 0.0, ["story"]))
    named = named_labels(question, {p: frozenset(tx.plain_content_stems(_label_and_body(p)[0])) for p in points},
                         params)

    q_tokens = (enc.token_states(question, params.token_layer)[2] if question.strip()
                else np.zeros((0, enc.dim), np.float32))

    states = [enc.token_states(c.work, params.token_layer) for c in claims]
    claim_vecs, claim_offsets = [st[2] for st in states], [st[1] for st in states]
    list_wanted = params.list_questions and bool(_ENUMERATION.search(question))
    point_states = {p: _point_state(p, question_stems, params) for p in points}
    flag_states = {p: tuple((f, *_point_state(f, question_stems, params)) for f in (red_flags or {}).get(p, ()))
                   for p in points}
    judged = [_judge_point(point, claims, claim_vecs, claim_offsets, named, point_states, q_tokens, params,
                           list_wanted, frozenset(question_stems), flag_states[point]) for point in points]

    flags: list[str] = []
    kinds = {c.kind for c in claims}
    if "telegraphic" in kinds and not list_wanted:
        flags.append("keyword_list")
    if "echo" in kinds:
        flags.append("echo")
    if any(p.contradiction for p in judged):
        flags.append("contradiction")
    if kinds <= {"non_answer", "filler"}:
        flags.append("not_answered")
    elif all(p.status == "missed" and not p.contradiction for p in judged):
        sim = float(enc.encode(answer) @ enc.encode(f"{question} {' '.join(points)}"))
        if sim < params.off_topic_sim:
            flags.append("off_topic")
    if story_question and "not_answered" not in flags:
        # only a story answers a story question: general statements or its key points said back meet no point
        judged = [PointJudgement(p.point, "missed", note=NO_STORY_NOTE) for p in judged]
        flags = [f for f in flags if f != "contradiction"] + ["no_story"]
    score = score_from_statuses([(p.status, p.contradiction is not None) for p in judged])
    return AnswerScore(score, judged, flags, _rationale(judged, score, flags))


def with_params(**changes: object) -> Params:
    """A copy of the shipped constants with some changed (benchmarks and ablations)."""
    return replace(PARAMS, **changes)
