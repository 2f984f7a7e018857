"""Offline, explainable resume <-> job description matching.

``match_resume(resume_text, job_description)`` returns a 0-100 score built from
three parts, each reported in the result:

* skill coverage: the job's skills (from the project's own vocabulary, weighted by
  how often the posting mentions them) found in the resume, each weighted by the
  context it appears in: a skill used in an experience line ("Built ... with
  Django") counts fully, one that only sits in a bare skills list counts less;
* field similarity: cosine between the job's and the resume's distribution over
  skill fields (web, data, devops, hr, finance, ...) and broad job families, so a
  resume from the job's own field ranks above neighbouring roles;
* semantic similarity: MiniLM embeddings of the posting vs the resume's sections.

``extract_skills`` and ``extract_keywords`` are reused by the ATS check.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from ..skills_vocab import FIELD_FAMILY, GENERIC_FIELDS, SKILLS
from . import text as tx
from .embeddings import get_encoder

__all__ = ["MatchResult", "SkillHit", "extract_skills", "extract_keywords", "match_resume", "skill_profile"]

# ---- global constants -------------------------------------------------------------------
W_SKILLS, W_FIELD, W_SEMANTIC = 0.25, 0.50, 0.25   # weights of the three parts (sum to 1)
FAMILY_SHARE = 0.6              # share of broad-family vs fine-field cosine in field similarity
CONTEXT_WEIGHT = {"title": 1.0, "experience": 1.0, "summary": 0.75, "other": 0.7, "education": 0.5, "list": 0.4}
TITLE_BOOST = 3.0               # field mass multiplier for skills named in the headline
HEADLINE_LINES = 2              # leading lines (before any section header) read as the headline
GENERIC_SKILL_WEIGHT = 0.3      # job-skill weight of generic skills (Excel, leadership)
SEMANTIC_FLOOR, SEMANTIC_SPAN = 0.15, 0.45   # cosine -> 0-1: (cos - floor) / span
CHUNK_WORDS = 150               # words per embedded chunk (~200 word-pieces, under the 256 limit)
MAX_CHUNKS = 8                  # chunks embedded per document

_SECTION_HEADERS = {
    "list": r"skills|technical skills|core qualifications|qualifications|highlights|competencies|"
            r"core competencies|expertise|areas of expertise|technologies|tools|technical proficiencies|"
            r"languages|certifications|software|computer skills|key skills|skill highlights",
    "experience": r"experience|work experience|professional experience|work history|employment|"
                  r"employment history|projects|accomplishments|achievements|career history",
    "summary": r"summary|professional summary|profile|objective|career objective|about me|overview",
    "education": r"education|education and training|training|coursework|academic background",
}
_HEADER_RE = {kind: re.compile(rf"^\s*(?:{pat})\s*:?\s*$", re.IGNORECASE) for kind, pat in _SECTION_HEADERS.items()}

# Stems of verbs that show work being done (past, present and -ing forms share a stem).
_ACTION_STEMS = frozenset(tx.stem(w) for w in """
develop design build built implement creat deploy autom manag led lead maintain configur install
administ migrat optim engin program code wrote write test integr architect analyz analys recruit hire
onboard coordin conduct train process negoti supervis perform provid support resolv monitor prepar
reduc improv increas launch deliv establish oversaw overse facilit handl respons work use util
research model queri script refactor upgrad troubleshoot secur plan direct organ evalu review
prepar produc ran run operat execut collabor partner mentor interview schedul draft author
""".split())

_LIST_LINE = re.compile(r"[,|;•·/]")


@dataclass(frozen=True)
class SkillHit:
    """A skill found in a text: its field, strongest context, strength 0-1 and a quote."""

    skill: str
    field: str
    context: str
    strength: float
    count: int
    quote: str
    in_headline: bool = False


@dataclass
class MatchResult:
    """Result of :func:`match_resume`; ``score`` is 0-100."""

    score: float
    matched_skills: list[str] = field(default_factory=list)
    missing_skills: list[str] = field(default_factory=list)
    listed_only_skills: list[str] = field(default_factory=list)
    skill_coverage: float = 0.0
    field_similarity: float = 0.0
    semantic_similarity: float = 0.0
    job_fields: list[str] = field(default_factory=list)
    resume_fields: list[str] = field(default_factory=list)
    explanation: str = ""


# ---- skill extraction ---------------------------------------------------------------------
def _alias_pattern(alias: str) -> re.Pattern[str]:
    if alias.startswith("cs:"):
        return re.compile(rf"(?<![A-Za-z0-9]){alias[3:]}")
    if alias.startswith("re:"):
        return re.compile(rf"(?<![A-Za-z0-9]){alias[3:]}(?![A-Za-z0-9])", re.IGNORECASE)
    body = r"[\s\-]+".join(re.escape(part) for part in alias.split())
    return re.compile(rf"(?<![A-Za-z0-9]){body}(?![A-Za-z0-9+#])", re.IGNORECASE)


@lru_cache(maxsize=1)
def _compiled() -> list[tuple[str, str, list[re.Pattern[str]]]]:
    """Per skill: one case-insensitive alternation of its plain aliases, plus raw patterns."""
    out = []
    for name, (fld, aliases) in SKILLS.items():
        plain = [a for a in aliases if not a.startswith(("cs:", "re:"))]
        patterns = [_alias_pattern(a) for a in aliases if a.startswith(("cs:", "re:"))]
        if plain:
            body = "|".join(r"[\s\-]+".join(re.escape(p) for p in a.split()) for a in plain)
            patterns.insert(0, re.compile(rf"(?<![A-Za-z0-9])(?:{body})(?![A-Za-z0-9+#])", re.IGNORECASE))
        out.append((name, fld, patterns))
    return out


def _line_context(line: str, section: str) -> str:
    """Classify one line: experience (work being done), list, summary, education, other."""
    tokens = re.findall(r"[A-Za-z][A-Za-z+#.\-]*", line)
    first = [tx.stem(t.lower()) for t in tokens[:4]]
    separators = len(_LIST_LINE.findall(line))
    list_like = (separators >= 2 and separators * 3 >= len(tokens) * 0.5) or len(tokens) <= 3
    has_action = any(s in _ACTION_STEMS for s in first)
    if has_action and not list_like:
        return "experience"
    if section == "list" or list_like:
        return "list"
    if section == "experience":
        return "experience" if len(tokens) >= 6 else "list"
    return section if section in ("summary", "education") else "other"


def _segments(text: str) -> list[tuple[str, str]]:
    """(line, context) pairs, following section headers through the document.

    The first lines before any section header are the headline ("title" context),
    where resumes name the candidate's role.
    """
    section = "title"
    out: list[tuple[str, str]] = []
    for raw in (text or "").splitlines():
        line = raw.strip()
        if not line:
            continue
        header = next((k for k, rx in _HEADER_RE.items() if rx.match(line)), None)
        if header:
            section = header
            continue
        if section == "title" and len(out) >= HEADLINE_LINES:
            section = "other"
        context = "title" if section == "title" else _line_context(line, section)
        out.append((line, context))
    return out


def skill_profile(text: str) -> dict[str, SkillHit]:
    """All vocabulary skills in ``text`` with their strongest context and strength."""
    return dict(_profile(text or ""))


@lru_cache(maxsize=512)
def _profile(text: str) -> tuple[tuple[str, SkillHit], ...]:
    found: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for line, context in _segments(text):
        for name, _, patterns in _compiled():
            if any(p.search(line) for p in patterns):
                found[name].append((context, line))
    hits: dict[str, SkillHit] = {}
    for name, places in found.items():
        context, quote = max(places, key=lambda p: CONTEXT_WEIGHT[p[0]])
        strength = min(1.0, CONTEXT_WEIGHT[context] + 0.05 * min(4, len(places) - 1))
        headline = any(c == "title" for c, _ in places)
        hits[name] = SkillHit(name, SKILLS[name][0], context, round(strength, 3), len(places), quote[:160],
                              headline)
    return tuple(hits.items())


def extract_skills(text: str) -> list[str]:
    """Canonical skill names found in ``text``, strongest and most frequent first."""
    hits = skill_profile(text)
    return sorted(hits, key=lambda s: (-hits[s].strength, -hits[s].count, s))


_GENERIC_JD_WORDS = frozenset("""
experience years year ability strong excellent good knowledge understanding skills skill work working
team teams candidate candidates role position job company business opportunity required requirements
preferred plus including include includes must responsibilities responsible duties new environment
related degree bachelor bachelors master masters field level high best well time support using based
other within across across ensure provide etc join looking seeking ideal minimum equivalent please apply
employer equal opportunity benefits salary pay full part remote location office day days world
""".split())


def extract_keywords(job_description: str, limit: int = 25) -> list[str]:
    """Keywords an ATS would look for: vocabulary skills first (most mentioned first),
    then frequent multi-word phrases of the posting that the vocabulary does not know."""
    hits = skill_profile(job_description)
    skills = sorted(hits, key=lambda s: (SKILLS[s][0] in GENERIC_FIELDS, -hits[s].count, s))
    known = {w for s in skills for w in s.lower().split()}
    phrases: Counter[str] = Counter()
    for chunk in re.split(r"[^A-Za-z0-9+#.\- ]+", job_description or ""):
        words: list[str] = []
        for w in chunk.split() + [""]:
            lw = w.lower().strip(".-")
            if lw and lw not in tx.STOPWORDS and lw not in _GENERIC_JD_WORDS and not lw.isdigit():
                words.append(lw)
                continue
            if 2 <= len(words) <= 3 and not set(words) & known:
                phrases[" ".join(words)] += 1
            words = []
    extra = [p for p, n in phrases.most_common() if n >= 2]
    return (skills + extra)[:limit]


# ---- similarity parts ----------------------------------------------------------------------
def _field_vectors(hits: dict[str, SkillHit]) -> tuple[dict[str, float], dict[str, float]]:
    fields: dict[str, float] = defaultdict(float)
    families: dict[str, float] = defaultdict(float)
    for hit in hits.values():
        if hit.field in GENERIC_FIELDS:
            continue
        mass = hit.strength * (1.0 + np.log(hit.count)) * (TITLE_BOOST if hit.in_headline else 1.0)
        fields[hit.field] += mass
        families[FIELD_FAMILY[hit.field]] += mass
    return fields, families


def _cosine(a: dict[str, float], b: dict[str, float]) -> float:
    keys = set(a) | set(b)
    va = np.array([a.get(k, 0.0) for k in keys])
    vb = np.array([b.get(k, 0.0) for k in keys])
    na, nb = np.linalg.norm(va), np.linalg.norm(vb)
    return float(va @ vb / (na * nb)) if na and nb else 0.0


def _chunks(text: str) -> list[str]:
    words = (text or "").split()
    return [" ".join(words[i:i + CHUNK_WORDS]) for i in range(0, len(words), CHUNK_WORDS)][:MAX_CHUNKS]


def semantic_similarity(resume_text: str, job_description: str) -> float:
    """Mean over posting chunks of the best-matching resume chunk (MiniLM cosine)."""
    job, resume = _chunks(job_description), _chunks(resume_text)
    if not job or not resume:
        return 0.0
    enc = get_encoder()
    sims = enc.encode(job) @ enc.encode(resume).T
    return float(sims.max(axis=1).mean())


def _top(weights: dict[str, float], n: int = 3) -> list[str]:
    total = sum(weights.values()) or 1.0
    return [k for k, v in sorted(weights.items(), key=lambda kv: -kv[1])[:n] if v / total >= 0.1]


# ---- public entry point --------------------------------------------------------------------
def match_resume(resume_text: str, job_description: str, use_embeddings: bool = True) -> MatchResult:
    """Score how well a resume fits a job posting, 0-100, with the reasons."""
    job = skill_profile(job_description)
    resume = skill_profile(resume_text)

    weights = {s: (GENERIC_SKILL_WEIGHT if h.field in GENERIC_FIELDS else 1.0) * (1.0 + 0.5 * min(2, h.count - 1))
               for s, h in job.items()}
    total = sum(weights.values())
    got = sum(w * resume[s].strength for s, w in weights.items() if s in resume)
    coverage = got / total if total else 0.0

    job_fields, job_families = _field_vectors(job)
    res_fields, res_families = _field_vectors(resume)
    field_sim = ((1.0 - FAMILY_SHARE) * _cosine(job_fields, res_fields)
                 + FAMILY_SHARE * _cosine(job_families, res_families))

    semantic = semantic_similarity(resume_text, job_description) if use_embeddings else 0.0
    semantic_part = float(np.clip((semantic - SEMANTIC_FLOOR) / SEMANTIC_SPAN, 0.0, 1.0))
    if use_embeddings:
        raw = W_SKILLS * coverage + W_FIELD * field_sim + W_SEMANTIC * semantic_part
    else:
        raw = (W_SKILLS * coverage + W_FIELD * field_sim) / (W_SKILLS + W_FIELD)
    score = round(100.0 * float(np.clip(raw, 0.0, 1.0)), 1)

    order = sorted(weights, key=lambda s: (-weights[s], s))
    matched = [s for s in order if s in resume]
    missing = [s for s in order if s not in resume]
    listed_only = [s for s in matched if resume[s].context == "list"]
    parts = [f"Match {score:.0f}/100.",
             f"Skills: {len(matched)} of {len(order)} required skills found"
             + (f" ({len(listed_only)} only listed, not shown in experience)" if listed_only else "") + "."]
    if missing:
        parts.append("Missing: " + ", ".join(missing[:8]) + ("…" if len(missing) > 8 else "") + ".")
    parts.append(f"Field fit {field_sim:.2f} (job: {', '.join(_top(job_fields)) or 'unclear'}; "
                 f"resume: {', '.join(_top(res_fields)) or 'unclear'}).")
    if use_embeddings:
        parts.append(f"Text similarity {semantic:.2f}.")
    return MatchResult(
        score=score,
        matched_skills=matched,
        missing_skills=missing,
        listed_only_skills=listed_only,
        skill_coverage=round(coverage, 3),
        field_similarity=round(field_sim, 3),
        semantic_similarity=round(semantic, 3),
        job_fields=_top(job_fields),
        resume_fields=_top(res_fields),
        explanation=" ".join(parts),
    )
