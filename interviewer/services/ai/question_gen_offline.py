"""Offline interview-question generation from the bank in ``question_bank``.

``generate`` is deterministic for the same input and works like this:

1. Skills: every skill tag mentioned in the job title (weight 3 per mention), the skills hint
   (3), the custom prompt (2) and the description (1, at most 3 mentions counted), plus the
   skills the title's role implies ("Backend" -> API design, SQL...; weight 1.5). Nothing found:
   a generic set (system design, testing, Git, behavioural).
2. Selection, one question at a time: relevance of the question's skills, divided by how many
   questions that skill already has (spreads coverage), plus a bonus while the theory/practice
   or intermediate/advanced quota is not yet met (about half each). Ties break on a hash of the
   input, so different jobs see different orders but one job always gets the same questions.
3. Near-duplicates of ``existing_questions`` (and of questions already picked) are refused:
   content-word overlap after stemming, see :func:`is_near_duplicate`.
4. Wording is adapted to the role: "In a Backend Engineer role, how would you ..." for practice
   questions, "As a Backend Engineer, explain ..." for half of the theory questions.

Fewer than ``count`` questions come back only when the matching bank is exhausted (the generic
skills are used as a last resort before that).
"""

from __future__ import annotations

import hashlib
import math
import re
from collections import Counter
from collections.abc import Sequence

from rapidfuzz import fuzz

from .offline import text as tx
from .provider import GeneratedQuestion
from .question_bank import BANK, GENERIC_TAGS, SKILLS, BankQuestion, role_defaults, skill_mentions

MAX_COUNT = 50
TITLE_WEIGHT, HINT_WEIGHT, PROMPT_WEIGHT, DESCRIPTION_WEIGHT, ROLE_WEIGHT = 3.0, 3.0, 2.0, 1.0, 1.5
DESCRIPTION_MENTION_CAP = 3
MIX_BONUS = 0.35          # score bonus while a kind/difficulty quota is unmet (relevance is 0-1)
DIVERSITY_EXPONENT = 1.3  # how strongly a skill's score drops with each question it already has

# Words that frame a question rather than say what it is about.
_FILLER = frozenset(tx.stem(w) for w in """explain describe discuss tell walk through mean meaning practical
practice differ difference between compare example choose would use using work works kind sort give please
question questions interview approach""".split())
_LOWER_FIRST = frozenset("""how what why when which where who explain describe design compare tell walk write model
records your you a an one the is are do does can should""".split())
_ADAPTED_PREFIX = re.compile(r"^(?:In an? [^,]{1,80} role,|As an? [^,]{1,80},)\s*", re.IGNORECASE)


# ---------------------------------------------------------------------------------- similarity
def _content(text: str) -> frozenset[str]:
    text = _ADAPTED_PREFIX.sub("", text or "")
    return frozenset(s for s in tx.content_stems(text) if s not in _FILLER)


def is_near_duplicate(a: str, b: str) -> bool:
    """True when two questions ask essentially the same thing.

    Compared on stemmed content words (framing words such as "explain", "difference" and the
    role prefix removed): Jaccard >= 0.5; or the smaller question's words (at least two) are
    80% contained in the other with Jaccard >= 0.3 ("Explain the CAP theorem" vs "Explain the
    CAP theorem and its practical meaning"); or rapidfuzz token-sort ratio >= 88 of the word lists.
    """
    sa, sb = _content(a), _content(b)
    if not sa or not sb:
        return fuzz.ratio(a.lower().strip(), b.lower().strip()) >= 90
    inter = len(sa & sb)
    jaccard = inter / len(sa | sb)
    overlap = inter / min(len(sa), len(sb))
    if jaccard >= 0.5 or (min(len(sa), len(sb)) >= 2 and overlap >= 0.8 and jaccard >= 0.3):
        return True
    return fuzz.token_sort_ratio(" ".join(sorted(sa)), " ".join(sorted(sb))) >= 88


# ---------------------------------------------------------------------------------- skills
def _hint_as_text(item: str) -> str:
    """A hint is an explicit skill name: tag or display name -> display name, else title case
    (so "rust" and "go" match the case-sensitive aliases)."""
    key = item.strip().lower()
    for tag, (display, _) in SKILLS.items():
        if key in (tag, display.lower()):
            return display
    return item.strip().title()


def detect_skills(job_title: str, job_description: str, skills_hint: Sequence[str] | str | None = None,
                  custom_prompt: str | None = None) -> dict[str, float]:
    """Skill tag -> weight for a job (see the module docstring); ordered by weight, then tag."""
    items = [skills_hint] if isinstance(skills_hint, str) else list(skills_hint or ())
    hint = ", ".join(_hint_as_text(item) for item in items if item and item.strip())
    weights: Counter[str] = Counter()
    for source, weight, cap in ((job_title, TITLE_WEIGHT, None), (hint, HINT_WEIGHT, None),
                                (custom_prompt or "", PROMPT_WEIGHT, None),
                                (job_description, DESCRIPTION_WEIGHT, DESCRIPTION_MENTION_CAP)):
        for tag, n in skill_mentions(source or "").items():
            weights[tag] += weight * (min(n, cap) if cap else n)
    for tag in role_defaults(job_title):
        weights[tag] += ROLE_WEIGHT
    if not weights:
        weights.update(dict.fromkeys(GENERIC_TAGS, 1.0))
    return dict(sorted(weights.items(), key=lambda kv: (-kv[1], kv[0])))


# ---------------------------------------------------------------------------------- wording
def _role(job_title: str) -> str:
    role = re.sub(r"\s+", " ", re.sub(r"[\(\[].*?[\)\]]", "", job_title or "")).strip(" -–|,")
    return role[:80]


def _article(phrase: str) -> str:
    first = phrase.split(" ", 1)[0]
    if len(first) > 1 and first.isupper():  # an acronym is read letter by letter: "an HR", "a QA"
        return "an" if first[0] in "AEFHILMNORSX" else "a"
    return "an" if first[:1].lower() in "aeiou" else "a"


def _lower_first(text: str) -> str:
    first = text.split(" ", 1)[0]
    return text[0].lower() + text[1:] if first.lower() in _LOWER_FIRST else text


def adapt(question: BankQuestion, job_title: str, salt: int) -> str:
    """The bank question worded for the role (unchanged without a job title)."""
    role = _role(job_title)
    if not role:
        return question.text
    if question.kind == "practice":
        return f"In {_article(role)} {role} role, {_lower_first(question.text)}"
    if salt % 2 == 0:
        return f"As {_article(role)} {role}, {_lower_first(question.text)}"
    return question.text


# ---------------------------------------------------------------------------------- selection
def _hash(*parts: str) -> int:
    return int.from_bytes(hashlib.sha256("\x1f".join(parts).encode()).digest()[:8], "big")


def generate(job_title: str, job_description: str = "", skills_hint: Sequence[str] | str | None = None,
             existing_questions: Sequence[str] = (), count: int = 5,
             custom_prompt: str | None = None) -> list[GeneratedQuestion]:
    """Pick ``count`` bank questions for the job (deterministic; see the module docstring)."""
    count = max(0, min(int(count), MAX_COUNT))
    weights = detect_skills(job_title, job_description, skills_hint, custom_prompt)
    seed = "|".join([job_title or "", job_description or "", str(skills_hint or ""), custom_prompt or ""])
    blocked = [q for q in existing_questions if q and q.strip()]
    top = max(weights.values())

    def relevance(q: BankQuestion, table: dict[str, float]) -> float:
        return (table.get(q.tags[0], 0.0) + 0.25 * sum(table.get(t, 0.0) for t in q.tags[1:])) / top

    quota = {"practice": math.ceil(count / 2), "theory": count // 2,
             "intermediate": math.ceil(count / 2), "advanced": count // 2}
    have: Counter[str] = Counter()
    per_skill: Counter[str] = Counter()
    chosen: list[tuple[BankQuestion, str]] = []

    def score(q: BankQuestion, table: dict[str, float]) -> float:
        bonus = MIX_BONUS * ((have[q.kind] < quota[q.kind]) + (have[q.difficulty] < quota[q.difficulty]))
        tiebreak = (_hash(seed, q.id) % 10_000) / 1_000_000
        return relevance(q, table) / (1 + per_skill[q.tags[0]]) ** DIVERSITY_EXPONENT + bonus + tiebreak

    pools = [weights, {t: top * 0.2 for t in GENERIC_TAGS if t not in weights}]
    for table in pools:
        pool = sorted((q for q in BANK if relevance(q, table) > 0), key=lambda q: q.id)
        while len(chosen) < count and pool:
            best = max(pool, key=lambda q, t=table: score(q, t))
            pool.remove(best)
            text = adapt(best, job_title, _hash(seed, best.id, "wording"))
            taken = blocked + [t for _, t in chosen] + [q.text for q, _ in chosen]
            if any(is_near_duplicate(candidate, other) for candidate in (best.text, text) for other in taken):
                continue
            chosen.append((best, text))
            have.update((best.kind, best.difficulty))
            per_skill[best.tags[0]] += 1
        if len(chosen) >= count:
            break
    return [GeneratedQuestion(text=text, key_points=list(q.key_points), kind=q.kind, difficulty=q.difficulty,
                              topic=SKILLS[q.tags[0]][0], red_flags=list(q.red_flags)) for q, text in chosen]
