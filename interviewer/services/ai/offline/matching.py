"""Offline, explainable resume <-> job description matching.

``match_resume(resume_text, job_description)`` returns a 0-100 score built from
three parts, each reported in the result:

* skill coverage: the job's skills (from the project's own vocabulary, weighted by
  how often the posting mentions them) found in the resume, each weighted by the
  context it appears in: a skill used in an experience line ("Built ... with
  Django") counts fully, one that only sits in a bare skills list counts less;
* field similarity: cosine between the job's and the resume's distribution over
  skill fields (web, data, devops, hr, finance, ...), broad job families and single
  skills, so a resume from the job's own field ranks above neighbouring roles, and
  within a field the one with the job's own technologies ranks first;
* semantic similarity: MiniLM embeddings of the posting (its title as a chunk of its own) vs the
  resume's sections.

``extract_skills`` is reused by the ATS check.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from ..skills_vocab import FIELD_FAMILY, GENERIC_FIELDS, SKILLS
from . import text as tx
from .embeddings import get_encoder

__all__ = ["DocProfile", "MatchResult", "SkillHit", "experience_years", "extract_skills",
           "is_english", "match_profiles", "match_resume", "profile_document", "required_years", "skill_profile"]

# Bump when the matcher or what it reads changes: stored fits and resume profiles are then recomputed.
MATCHER_VERSION = "fit-4"  # fit-4: a different product is a skill of its own (Tomcat is not Nginx); fit-3: more
#                            ways a posting states its minimum years (the seniority reason)

# ---- global constants -------------------------------------------------------------------
W_SKILLS, W_FIELD, W_SEMANTIC = 0.25, 0.50, 0.25   # weights of the three parts (sum to 1)
FAMILY_SHARE = 0.6              # share of the broad-family cosine in field similarity
SKILL_SHARE = 0.2               # share of the skill-by-skill cosine (the rest is the fine-field cosine)
CONTEXT_WEIGHT = {"title": 1.0, "experience": 1.0, "summary": 0.75, "other": 0.7, "education": 0.5, "list": 0.4}
TITLE_BOOST = 3.0               # field mass multiplier for skills named in the headline
HEADLINE_LINES = 2              # leading lines (before any section header) read as the headline
HEADLINE_MAX_WORDS = 12         # a longer leading line is body text (a one-line, pre-processed document)
GENERIC_SKILL_WEIGHT = 0.3      # job-skill weight of generic skills (Excel, leadership)
DEMONSTRATED_SHARE = 0.5        # share of field similarity computed on skills shown beyond a bare list
CORE_FLOOR = 0.5                # score multiplier when none of the skills in the job's title is found
CORE_WEIGHT = 2.0               # coverage weight multiplier of the skills in the job's title
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
    core_skills: list[str] = field(default_factory=list)   # skills named in the job's title
    core_factor: float = 1.0                               # multiplier for how far the resume shows them
    explanation: str = ""


# ---- skill extraction ---------------------------------------------------------------------
def _alias_pattern(alias: str) -> re.Pattern[str]:
    if alias.startswith("cs:"):
        return re.compile(rf"(?<![A-Za-z0-9]){alias[3:]}")
    if alias.startswith("re:"):   # grouped: a pattern may hold alternatives of its own
        return re.compile(rf"(?<![A-Za-z0-9])(?:{alias[3:]})(?![A-Za-z0-9])", re.IGNORECASE)
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


def is_preprocessed(text: str) -> bool:
    """A document lower-cased with its punctuation stripped (as some job boards and datasets
    deliver them): 50+ words, no capital letter, almost no punctuation."""
    words = len(text.split())
    return words >= 50 and not re.search(r"[A-Z]", text) and len(re.findall(r"[.,;:/+#()]", text)) < words / 50


@lru_cache(maxsize=1)
def _compiled_flat() -> list[tuple[str, str, list[re.Pattern[str]]]]:
    """``_compiled`` plus, for a pre-processed document, each alias with its punctuation turned into
    spaces ("ci/cd" -> "ci cd", "asp.net" -> "asp net") where that stays specific (two words, or one
    of four letters or more); case-sensitive aliases cannot apply to lower-cased text."""
    out = []
    for name, fld, patterns in _compiled():
        flat = set()
        for alias in SKILLS[name][1]:
            if alias.startswith(("cs:", "re:")):
                continue
            spaced = re.sub(r"[^a-z0-9]+", " ", alias.lower()).strip()
            if spaced and spaced != alias.lower() and (len(spaced.split()) >= 2 or len(spaced) >= 4):
                flat.add(spaced)
        if flat:
            body = "|".join(r"\s+".join(re.escape(p) for p in a.split()) for a in sorted(flat))
            patterns = [*patterns, re.compile(rf"(?<![a-z0-9])(?:{body})(?![a-z0-9])")]
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
        headline = section == "title" and len(line.split()) <= HEADLINE_MAX_WORDS  # a run-on line is no title
        context = "title" if headline else _line_context(line, "other" if section == "title" else section)
        out.append((line, context))
    return out


def skill_profile(text: str) -> dict[str, SkillHit]:
    """All vocabulary skills in ``text`` with their strongest context and strength."""
    return dict(_profile(text or ""))


@lru_cache(maxsize=512)
def _profile(text: str) -> tuple[tuple[str, SkillHit], ...]:
    found: dict[str, list[tuple[str, str]]] = defaultdict(list)
    compiled = _compiled_flat() if is_preprocessed(text) else _compiled()
    for line, context in _segments(text):
        for name, _, patterns in compiled:
            if any(p.search(line) for p in patterns):
                found[name].append((context, line))
    hits: dict[str, SkillHit] = {}
    for name, places in found.items():
        # The strongest context; among equals, a line of work done beats the headline as the quote.
        context, quote = max(places, key=lambda p: (CONTEXT_WEIGHT[p[0]], p[0] == "experience"))
        quote = quote.lstrip("-–•*·▪● \t")
        strength = min(1.0, CONTEXT_WEIGHT[context] + 0.05 * min(4, len(places) - 1))
        headline = any(c == "title" for c, _ in places)
        hits[name] = SkillHit(name, SKILLS[name][0], context, round(strength, 3), len(places), quote[:160],
                              headline)
    return tuple(hits.items())


def extract_skills(text: str) -> list[str]:
    """Canonical skill names found in ``text``, strongest and most frequent first."""
    hits = skill_profile(text)
    return sorted(hits, key=lambda s: (-hits[s].strength, -hits[s].count, s))


# ---- similarity parts ----------------------------------------------------------------------
def _field_vectors(hits: dict[str, SkillHit], *, demonstrated: bool = False
                   ) -> tuple[dict[str, float], dict[str, float], dict[str, float]]:
    """Per skill, per fine field and per broad family, the mass of the skills found
    (``demonstrated``: only those shown beyond a bare list)."""
    skills: dict[str, float] = {}
    fields: dict[str, float] = defaultdict(float)
    families: dict[str, float] = defaultdict(float)
    for hit in hits.values():
        if hit.field in GENERIC_FIELDS or (demonstrated and hit.context == "list"):
            continue
        mass = hit.strength * (1.0 + np.log(hit.count)) * (TITLE_BOOST if hit.in_headline else 1.0)
        skills[hit.skill] = mass
        fields[hit.field] += mass
        families[FIELD_FAMILY[hit.field]] += mass
    return skills, fields, families


def _field_similarity(job: tuple[dict[str, float], ...], resume: tuple[dict[str, float], ...]) -> float:
    """Skill, fine-field and family cosines, mixed by ``SKILL_SHARE`` and ``FAMILY_SHARE``."""
    fine = 1.0 - FAMILY_SHARE - SKILL_SHARE
    return (SKILL_SHARE * _cosine(job[0], resume[0]) + fine * _cosine(job[1], resume[1])
            + FAMILY_SHARE * _cosine(job[2], resume[2]))


def _cosine(a: dict[str, float], b: dict[str, float]) -> float:
    """Cosine of two sparse vectors (a few dozen entries: plain Python beats building arrays)."""
    if len(b) < len(a):
        a, b = b, a
    dot = sum(v * b[k] for k, v in a.items() if k in b)
    na, nb = math.sqrt(sum(v * v for v in a.values())), math.sqrt(sum(v * v for v in b.values()))
    return dot / (na * nb) if na and nb else 0.0


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


# ---- seniority and language ----------------------------------------------------------------
_MONTHS = {m: i for i, m in enumerate("jan feb mar apr may jun jul aug sep oct nov dec".split(), start=1)}
_MONTH_RX = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
def _point(p: str) -> str:
    """A date at one end of a span: "Jan 2015", "01/2015" or "2015", with named groups."""
    return (rf"(?:(?P<{p}m>{_MONTH_RX})\s*,?\s*(?P<{p}y>(?:19|20)\d\d)|(?P<{p}n>\d{{1,2}})/(?P<{p}ny>(?:19|20)\d\d)"
            rf"|(?P<{p}b>(?:19|20)\d\d))")


_SPAN_RE = re.compile(rf"(?i){_point('a')}\s*(?:-|–|—|to|until|through)\s*"
                      rf"(?:{_point('b')}|(?P<now>present|current|now|today|date))")
_REQUIRED_YEARS_RE = re.compile(r"(?i)(?<![\d.])(\d{1,2})\s*\+?\s*(?:(?:-|–|to)\s*\d{1,2}\s*)?(?:\+\s*)?"
                                r"(?:years?|yrs?)\b(?:\W+\w+){0,5}?\W+(?:experience|exp\b)")
_YEARS = r"(?<![\d.])(\d{1,2})\s*\+?\s*(?:(?:-|–|to)\s*\d{1,2}\s*)?(?:\+\s*)?(?:years?|yrs?)\b"
# Other ways postings state a minimum (wording of English job ads, not of any one posting): an
# experience label before the figure ("Experience required: 2 - 5 Yrs"), "at least / minimum N
# years", a skill's years marked required ("Django: 6 years (Required)"; "(Preferred)" is no
# minimum), and a bare "N+ years" not said of the company ("for 45+ years").
_REQUIRED_YEARS_MORE_RE = re.compile(
    r"(?i)(?:\bexp(?:erience)?\b(?:\s+required)?\s*[:\-–]\s*(?:-\s*)?" + _YEARS
    + r"|\b(?:at\s+least|minimum(?:\s+of)?|min\.?)\s+" + _YEARS
    + r"|:\s*" + _YEARS + r"\s*\(required\)"
    + r"|(?<!for )(?<!over )(?<!than )(?<![\d.])(\d{1,2})\s*\+\s*(?:years?|yrs?)\b(?!\s+(?:ago|old|of\s+history)))")
_CLAIMED_YEARS_RE = re.compile(r"(?i)(?<![\d.])(\d{1,2})\s*\+?\s*(?:years?|yrs?)\b(?:\W+\w+){0,3}?\W+"
                               r"(?:experience|expertise|background)")
# The commonest English function words (general knowledge of the language, not of any posting).
_ENGLISH_FUNCTION_WORDS = frozenset("""
the and of to in a for with is are on as be you we our will or an at by this that from your have has
""".split())
MIN_ENGLISH_SHARE = 0.08        # below this share of function words a 40+ word text is not English
MAX_SPAN_YEARS = 45


def _month_index(m: re.Match[str], p: str) -> int | None:
    if m.group(f"{p}y"):
        return int(m.group(f"{p}y")) * 12 + _MONTHS[m.group(f"{p}m")[:3].lower()] - 1
    if m.group(f"{p}ny"):
        month = int(m.group(f"{p}n"))
        return int(m.group(f"{p}ny")) * 12 + month - 1 if 1 <= month <= 12 else None
    if m.group(f"{p}b"):
        return int(m.group(f"{p}b")) * 12
    return None


def experience_years(text: str, *, today: tuple[int, int] | None = None) -> float | None:
    """Years covered by the resume's dated roles (overlapping roles counted once), or the
    largest "N years of experience" the resume claims when it dates nothing; None if neither."""
    from datetime import date

    year, month = today or (date.today().year, date.today().month)
    now = year * 12 + month - 1
    spans = []
    for m in _SPAN_RE.finditer(text or ""):
        start = _month_index(m, "a")
        end = now if m.group("now") else _month_index(m, "b")
        if m.group("bb") and not m.group("now"):
            end = end + 11 if end is not None else None  # "2015 - 2018" covers 2018
        if start is None or end is None or end < start or end > now + 1 or (end - start) > MAX_SPAN_YEARS * 12:
            continue
        spans.append((start, end))
    if spans:
        spans.sort()
        total, (cur_a, cur_b) = 0, spans[0]
        for a, b in spans[1:]:
            if a <= cur_b:
                cur_b = max(cur_b, b)
            else:
                total += cur_b - cur_a + 1
                cur_a, cur_b = a, b
        total += cur_b - cur_a + 1
        return round(total / 12, 1)
    claims = [int(n) for n in _CLAIMED_YEARS_RE.findall(text or "") if 0 < int(n) <= MAX_SPAN_YEARS]
    return float(max(claims)) if claims else None


def required_years(text: str) -> int | None:
    """The smallest "N+ years of experience" a posting asks for (None when it names none)."""
    found = [int(n) for n in _REQUIRED_YEARS_RE.findall(text or "") if 0 < int(n) <= 30]
    found += [int(n) for groups in _REQUIRED_YEARS_MORE_RE.findall(text or "") for n in groups
              if n and 0 < int(n) <= 30]
    return min(found) if found else None


def is_english(text: str) -> bool:
    """False only for a text long enough to tell (40+ words) whose words are barely English
    function words: the matcher's vocabulary and model are English-only."""
    words = re.findall(r"[^\W\d_]+", (text or "").lower())
    if len(words) < 40:
        return True
    return sum(w in _ENGLISH_FUNCTION_WORDS for w in words) / len(words) >= MIN_ENGLISH_SHARE


# ---- document profiles (computed once per text, reused for every pair) ------------------------
@dataclass
class DocProfile:
    """What the matcher needs from one document: its skills (with context and a quote), its
    chunk embeddings (unit rows; None when embeddings are off), dated years and language."""

    hits: dict[str, SkillHit]
    embeddings: np.ndarray | None = None
    years: float | None = None
    english: bool = True
    words: int = 0
    core: tuple[str, ...] = ()   # a posting's title skills: the role it names
    _vectors: dict = field(default_factory=dict, repr=False, compare=False)   # memo of field_vectors

    def field_vectors(self, *, demonstrated: bool = False) -> tuple[dict[str, float], ...]:
        """``_field_vectors`` of the hits, computed once per profile (a posting meets every candidate)."""
        if demonstrated not in self._vectors:
            self._vectors[demonstrated] = _field_vectors(self.hits, demonstrated=demonstrated)
        return self._vectors[demonstrated]

    def to_json(self) -> dict:
        return {"hits": {k: [h.field, h.context, h.strength, h.count, h.quote, h.in_headline]
                         for k, h in self.hits.items()},
                "years": self.years, "english": self.english, "words": self.words, "core": list(self.core)}

    @classmethod
    def from_json(cls, data: dict, embeddings: np.ndarray | None = None) -> DocProfile:
        hits = {k: SkillHit(k, v[0], v[1], float(v[2]), int(v[3]), v[4], bool(v[5]))
                for k, v in (data.get("hits") or {}).items()}
        return cls(hits, embeddings, data.get("years"), bool(data.get("english", True)), int(data.get("words", 0)),
                   tuple(data.get("core") or ()))


def profile_document(text: str, *, embed: bool = True, role: str = "resume", title: str = "") -> DocProfile:
    """Profile a resume (``role="resume"``: dated years of experience) or a posting
    (``role="job"``: the years it requires; ``title``, the job's title, names its core skills)."""
    text = text or ""
    if title and not text.startswith(title):
        text = f"{title}\n\n{text}"
    chunks = _chunks(text) if embed else []
    if chunks and role == "job" and title.strip():
        chunks = [title.strip(), *chunks]   # the role in a few words: its own chunk of text similarity
    embeddings = get_encoder().encode(chunks).astype(np.float32) if chunks else None
    years = experience_years(text) if role == "resume" else required_years(text)
    core = tuple(extract_skills(title)) if role == "job" and title else ()
    return DocProfile(skill_profile(text), embeddings, years, is_english(text), len(text.split()), core)


# ---- public entry point --------------------------------------------------------------------
def match_resume(resume_text: str, job_description: str, use_embeddings: bool = True) -> MatchResult:
    """Score how well a resume fits a job posting, 0-100, with the reasons."""
    return match_profiles(profile_document(resume_text, embed=use_embeddings),
                          profile_document(job_description, embed=use_embeddings, role="job"),
                          use_embeddings=use_embeddings)


def match_profiles(resume_p: DocProfile, job_p: DocProfile, use_embeddings: bool = True) -> MatchResult:
    """The fit of a profiled resume to a profiled posting (see the module docstring)."""
    job, resume = job_p.hits, resume_p.hits
    core = [s for s in job_p.core if s in job]
    weights = {s: (GENERIC_SKILL_WEIGHT if h.field in GENERIC_FIELDS else 1.0) * (1.0 + 0.5 * min(2, h.count - 1))
               * (CORE_WEIGHT if s in core else 1.0) for s, h in job.items()}
    total = sum(weights.values())
    got = sum(w * resume[s].strength for s, w in weights.items() if s in resume)
    coverage = got / total if total else 0.0

    job_vectors, res_vectors = job_p.field_vectors(), resume_p.field_vectors()
    job_fields, res_fields = job_vectors[1], res_vectors[1]
    field_sim = _field_similarity(job_vectors, res_vectors)
    if DEMONSTRATED_SHARE:
        shown = _field_similarity(job_vectors, resume_p.field_vectors(demonstrated=True))
        field_sim = (1.0 - DEMONSTRATED_SHARE) * field_sim + DEMONSTRATED_SHARE * shown
    core_found = float(np.mean([resume[s].strength if s in resume else 0.0 for s in core])) if core else 1.0

    use_embeddings = use_embeddings and resume_p.embeddings is not None and job_p.embeddings is not None
    semantic = float((job_p.embeddings @ resume_p.embeddings.T).max(axis=1).mean()) if use_embeddings else 0.0
    semantic_part = float(np.clip((semantic - SEMANTIC_FLOOR) / SEMANTIC_SPAN, 0.0, 1.0))
    if use_embeddings:
        raw = W_SKILLS * coverage + W_FIELD * field_sim + W_SEMANTIC * semantic_part
    else:
        raw = (W_SKILLS * coverage + W_FIELD * field_sim) / (W_SKILLS + W_FIELD)
    core_factor = CORE_FLOOR + (1.0 - CORE_FLOOR) * core_found
    raw *= core_factor
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
    if core and core_factor < 1.0:
        parts.append(f"The job's title asks for {', '.join(core)}: "
                     + ("not found" if core_found == 0 else "only partly shown") + f" (x{core_factor:.2f}).")
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
        core_skills=core,
        core_factor=round(core_factor, 3),
        explanation=" ".join(parts),
    )
