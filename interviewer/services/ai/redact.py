"""Fairness redaction: strip personal identifiers and gender markers before text reaches a model.

Every text sent to an AI provider (resume, answer, question, job description) goes through
:func:`redact`, which removes

* names: the candidate's known name (each part too) plus a heuristic for "my name is X",
  greeting/sign-off lines ("Hi, I'm ...", "Regards, X"), "Name: X", honorific + surname, and
  (``resume=True``) a name-like first line;
* emails, phone numbers, street addresses and postcodes, profile URLs with personal handles
  (LinkedIn, GitHub, GitLab, X/Twitter, ...);
* gendered words: pronouns become they/them/their, family and partner words become neutral
  ("wife" -> "spouse", "mother" -> "parent"), honorifics and "sir"/"madam" become "[REDACTED]".

All detectors run on the original text, overlaps are resolved by priority and the output is
built in one pass, so :meth:`Redaction.restore` can map a fragment of the redacted text (an
evidence quote a model returned) back to the candidate's verbatim words.

``style="synthetic"`` replaces emails, phones and profile URLs with well-formed stand-ins
(``candidate@example.com``) instead of tags, so resume-format checks (is there an email?) keep
working on redacted resumes. Generic URLs (documentation links) and city names are kept.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Literal

from pydantic import BaseModel, Field

CATEGORIES = ("names", "emails", "phones", "addresses", "profile_urls", "gendered_terms")
Style = Literal["tag", "synthetic"]


class RedactionReport(BaseModel):
    """How many items of each category were removed (for reports: "2 names, 1 email removed")."""

    counts: dict[str, int] = Field(default_factory=lambda: dict.fromkeys(CATEGORIES, 0))

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def merged(self, *others: RedactionReport) -> RedactionReport:
        counts = dict(self.counts)
        for other in others:
            for key, value in other.counts.items():
                counts[key] = counts.get(key, 0) + value
        return RedactionReport(counts=counts)

    def describe(self) -> str:
        parts = [f"{n} {k.replace('_', ' ')}" for k, n in self.counts.items() if n]
        return ("Removed before analysis: " + ", ".join(parts) + ".") if parts else "Nothing to remove."


@dataclass(frozen=True)
class _Span:
    start: int
    end: int
    replacement: str
    category: str


@dataclass
class Redaction:
    original: str
    text: str
    report: RedactionReport
    spans: list[_Span] = field(default_factory=list)
    _out_starts: list[int] = field(default_factory=list)

    def _to_original(self, pos: int, *, is_end: bool) -> int:
        shift = 0
        for span, out_start in zip(self.spans, self._out_starts, strict=True):
            out_end = out_start + len(span.replacement)
            if pos < out_start or (is_end and pos == out_start):
                break
            if pos < out_end or (is_end and pos == out_end):
                return span.end if is_end else span.start
            shift = span.end - out_end
        return pos + shift

    def restore(self, fragment: str) -> str | None:
        """The original text behind ``fragment`` of the redacted text (first occurrence), else None."""
        fragment = fragment.strip()
        at = self.text.find(fragment) if fragment else -1
        if at < 0:
            return None
        start = self._to_original(at, is_end=False)
        end = self._to_original(at + len(fragment), is_end=True)
        return self.original[start:end]


# ---------------------------------------------------------------------------------- detectors
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
_PROFILE = re.compile(
    r"(?i)(?:https?://)?(?:www\.)?(?P<site>linkedin\.com/(?:in|pub|profile)/|github\.com/|gitlab\.com/|"
    r"bitbucket\.org/|twitter\.com/|x\.com/|medium\.com/@|stackoverflow\.com/users/|behance\.net/|"
    r"dribbble\.com/|instagram\.com/|facebook\.com/|t\.me/)[^\s,;)\]>\"']+")
_HANDLE = re.compile(r"(?i)\b(?:github|gitlab|twitter|telegram|instagram|skype|x)\s*(?:handle|username|id)?\s*"
                     r"[:=]\s*@?[A-Za-z0-9_.-]{2,39}")
_AT_HANDLE = re.compile(r"(?<![\w@.])@[A-Za-z][A-Za-z0-9_.]{1,29}(?<!\.)(?![\w@])")  # @janedoe (not an email)
_PHONE = re.compile(r"(?<![\w+.-])(?:\+\d{1,3}[\s.-]?)?(?:\(\d{1,5}\)[\s.-]?)?\d{2,6}(?:[\s.-]\d{2,8}){1,4}(?![\w-])"
                    r"|(?<![\w+.-])\+?\d{10,15}(?![\w-])")  # grouped, or one unseparated run (07700900123)
# A web address (with or without scheme); it is personal when its host names the person, or when it
# sits in a resume's contact header (a portfolio or home page).
_SITE = re.compile(r"(?i)(?<![\w@.-])(?:https?://)?(?:www\.)?(?P<host>[a-z0-9](?:[a-z0-9-]*[a-z0-9])?"
                   r"(?:\.[a-z0-9-]+)*\.[a-z]{2,12})(?P<path>/[^\s,;)\]>\"']*)?(?![\w@-])")
_SITE_SCHEME = re.compile(r"(?i)^(?:https?://|www\.)")
_OWN_SITE = re.compile(r"(?i)\bmy\s+(?:personal\s+)?(?:portfolio|website|web\s+site|site|blog|home\s*page|page)"
                       r"(?:\s+(?:is|at|lives\s+at))?\s*[:\-]?")
HEADER_LINES = 6  # a resume's contact header: its first lines
_IPV4 = re.compile(r"^\d{1,3}(?:\.\d{1,3}){3}$")
_THOUSANDS = re.compile(r"^\d{1,3}(?: \d{3})+$")
_STREET = re.compile(
    r"\b\d{1,5}[A-Za-z]?(?:\s+[A-Z][A-Za-z.'-]*){1,4}\s+(?:Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|"
    r"Drive|Dr|Court|Ct|Way|Place|Pl|Terrace|Close|Crescent|Square|Sq|Parkway|Pkwy|Highway|Hwy|Strasse|Straße)\b\.?"
    r"(?:,?\s*(?:Apt|Apartment|Suite|Unit|Flat)\.?\s*#?\w+)?")
_ADDRESS_LINE = re.compile(r"(?im)^(\s*(?:home\s+|postal\s+|mailing\s+)?address\s*[:\-]\s*)(\S.*)$")
_POSTCODES = (
    re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s?\d[ABD-HJLNP-UW-Z]{2}\b(?<!GB)(?<!TB)(?<!PB)"),  # UK
    re.compile(r"\b[ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z]\s?\d[ABCEGHJ-NPRSTV-Z]\d\b"),  # Canada
)
_US_ZIP = re.compile(r"\b(?:A[KLRZ]|C[AOT]|D[CE]|FL|GA|HI|I[ADLN]|K[SY]|LA|M[ADEINOST]|N[CDEHJMVY]|O[HKR]|PA|RI|"
                     r"S[CD]|T[NX]|UT|V[AT]|W[AIVY]),?\s+(\d{5}(?:-\d{4})?)\b")

_UP, _LOW = "A-ZÀ-ÖØ-Þ\u0100-\u017f", "a-zß-öø-ÿ\u0100-\u017f"  # Latin letters with accents (Tomás, Łukasz)
_NAME_WORD = rf"[{_UP}][{_LOW}]+(?:[-'][{_UP}]?[{_LOW}]+)?"
_NAME = rf"{_NAME_WORD}(?:\s+(?:[A-Z]\.\s*)?{_NAME_WORD}){{0,2}}"
_INTRO = re.compile(rf"(?i:\bmy\s+name\s+is|\bmy\s+name's|\bi\s+am\s+called|\bcall\s+me|\bname\s*:)\s+({_NAME})")
_SELF = re.compile(rf"(?m)(?:^|(?<=[.!?]))\s*(?i:hi|hello|hey|good\s+(?:morning|afternoon|evening))?[\s,!.]*"
                   rf"(?i:i'm|i\s+am|this\s+is)\s+({_NAME})(?=\s*(?:[,.!;]|$|\s+(?i:and|from|here)\b))")
_SIGNOFF = re.compile(rf"(?m)^\s*(?:(?i:dear|hi|hello|hey)\s*[,!:\-]?|(?i:thanks|thank\s+you|regards|best\s+regards|"
                      rf"kind\s+regards|best\s+wishes|sincerely|yours\s+sincerely|cheers|best)\s*[,!:\-])\s*"
                      rf"({_NAME})\s*[,.!]?\s*$")
_TITLE = re.compile(rf"\b(?:Mr|Mrs|Ms|Miss|Mx)\b\.?(?=\s+{_NAME_WORD})")
_HONORIFIC = re.compile(rf"\b(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof)\.?\s+({_NAME_WORD}(?:\s+{_NAME_WORD})?)")
_NOT_NAMES = frozenset("""
senior junior lead principal staff software backend frontend full stack data engineer developer manager
happy ready sure glad excited interested available not very really here from the a an and or thanks thank
python java javascript typescript react node docker kubernetes linux sql postgres postgresql redis kafka aws gcp
azure go rust git github google amazon microsoft spark airflow django flask spring angular vue ruby scala swift
kotlin team everyone all interviewer candidate sir madam hiring recruiter
""".split())
def _person_names(attrs: tuple[str, ...]) -> frozenset[str]:
    """Names (lower-cased) of the ``Faker`` package's person data for 86 locales."""
    import importlib
    import pkgutil

    import faker.providers.person as people

    found: set[str] = set()
    for module in pkgutil.iter_modules(people.__path__):
        try:
            provider = importlib.import_module(f"{people.__name__}.{module.name}").Provider
        except (ImportError, AttributeError):
            continue
        for attr in attrs:
            value = next((base.__dict__[attr] for base in provider.__mro__ if attr in base.__dict__), ())
            if isinstance(value, (dict, tuple, list)):
                found.update(n.lower() for n in value if isinstance(n, str) and len(n) >= 2)
    return frozenset(found)


@lru_cache(maxsize=1)
def given_names() -> frozenset[str]:
    """Given names of many countries (~30,000): a gazetteer to tell a person's name from a job
    title in a resume's headline when the candidate's name is not known. Only used to recognise
    names for removal, never to infer anything about a person."""
    return _person_names(("first_names", "first_names_male", "first_names_female"))


@lru_cache(maxsize=1)
def family_names() -> frozenset[str]:
    """Family names of many countries, the gazetteer's other half (a headline whose last word is one)."""
    return _person_names(("last_names", "last_names_male", "last_names_female"))


def _is_given_name(word: str) -> bool:
    return word.strip(".,").lower() in given_names()


def _is_family_name(word: str) -> bool:
    return word.strip(".,").lower() in family_names()


_PARTICLES = frozenset("van von der den de del della da di du la le bin binti al el st".split())
_RESUME_HEAD_NOT_NAME = re.compile(r"(?i)\b(?:resume|curriculum|vitae|cv|summary|profile|experience|engineer|"
                                   r"developer|manager|analyst|designer|contact|objective|intern|internship|"
                                   r"student|graduate|specialist|consultant|assistant|director|officer|"
                                   r"coordinator|administrator|technician|accountant|nurse|teacher|chef|"
                                   r"associate|executive|representative|supervisor|architect|scientist)\b")

# Gendered words -> neutral words. Pairs are handled first so "he or she" becomes "they".
_PAIRS = re.compile(r"(?i)\b(?:he\s+or\s+she|she\s+or\s+he|he/she|she/he|s/he|him\s+or\s+her|her\s+or\s+him|"
                    r"him/her|his\s+or\s+her|her\s+or\s+his|his/her|her/his|himself\s+or\s+herself|"
                    r"himself/herself|her/him|herself\s+or\s+himself|herself/himself)\b")
def _pair_target(pair: str) -> str:
    """The neutral word for a gendered pair, decided by its masculine half ("her or his" -> "their",
    "her/him" -> "them"), since "her" alone can be either."""
    words = set(re.split(r"\s+or\s+|/|\s+", pair.lower()))
    if words & {"himself", "herself"}:
        return "themselves"
    if "his" in words:
        return "their"
    if "him" in words:
        return "them"
    return "they"
_VERB_AGREEMENT = {"is": "are", "was": "were", "has": "have", "does": "do", "doesn't": "don't", "isn't": "aren't",
                   "wasn't": "weren't", "hasn't": "haven't"}
_SUBJECT = re.compile(r"(?i)\b(he|she)(?:\s+(is|was|has|does|doesn't|isn't|wasn't|hasn't))?\b(?!['’-])")
_CONTRACTED = re.compile(r"(?i)\b(he|she)(['’])(s|d|ll)\b")
_WORDS = {
    "him": "them", "his": "their", "hers": "theirs", "himself": "themselves", "herself": "themselves",
    "husband": "spouse", "wife": "spouse", "husbands": "spouses", "wives": "spouses",
    "boyfriend": "partner", "girlfriend": "partner", "boyfriends": "partners", "girlfriends": "partners",
    "fiance": "partner", "fiancee": "partner", "fiancé": "partner", "fiancée": "partner",
    "mother": "parent", "father": "parent", "mothers": "parents", "fathers": "parents", "mom": "parent",
    "mum": "parent", "dad": "parent", "moms": "parents", "mums": "parents", "dads": "parents",
    "son": "child", "daughter": "child", "sons": "children", "daughters": "children",
    "brother": "sibling", "sister": "sibling", "brothers": "siblings", "sisters": "siblings",
    "aunt": "relative", "uncle": "relative", "niece": "relative", "nephew": "relative",
    "grandmother": "grandparent", "grandfather": "grandparent", "grandma": "grandparent", "grandpa": "grandparent",
    "woman": "person", "women": "people", "man": "person", "men": "people", "lady": "person", "ladies": "people",
    "gentleman": "person", "gentlemen": "people", "girl": "person", "girls": "people", "boy": "person",
    "boys": "people", "male": "[REDACTED]", "female": "[REDACTED]", "maternity": "parental",
    "paternity": "parental", "chairman": "chairperson", "chairwoman": "chairperson", "businessman": "businessperson",
    "businesswoman": "businessperson", "salesman": "salesperson", "saleswoman": "salesperson",
    "sir": "[REDACTED]", "madam": "[REDACTED]", "ma'am": "[REDACTED]",
}
_WORD_RE = re.compile(r"(?i)(?<![\w-])(?:" + "|".join(sorted((re.escape(w) for w in _WORDS), key=len, reverse=True))
                      + r")(?![\w]|[-\s]in[-\s]the[-\s]middle|\s+pages?\b|-hours?\b|-made\b)")
_HER = re.compile(r"(?i)\bher\b")
_HER_OBJECT_NEXT = frozenset("""and or to for with in on at about from as that than but so if when because by
into onto of off up down out over again back too also very really the a an this those these""".split())

_SYNTHETIC = {"emails": "candidate@example.com", "phones": "+1 555 010 0199"}
_TAGS = {"names": "[NAME]", "emails": "[EMAIL]", "phones": "[PHONE]", "addresses": "[ADDRESS]",
         "profile_urls": "[PROFILE_URL]"}


def _case_like(source: str, word: str) -> str:
    if word.startswith("["):
        return word
    if source.isupper() and len(source) > 1:
        return word.upper()
    return word[0].upper() + word[1:] if source[:1].isupper() else word


def _phone_ok(match: str) -> bool:
    digits = sum(c.isdigit() for c in match)
    core = match.strip()
    return 9 <= digits <= 15 and not _IPV4.match(core) and not _THOUSANDS.match(core)


def _name_spans(text: str, known_names: Iterable[str], resume: bool) -> list[tuple[int, int]]:
    found: list[tuple[int, int]] = []
    names = {n.strip() for n in known_names if n and n.strip()}
    discovered: set[str] = set()
    for rx in (_INTRO, _SELF, _SIGNOFF, _HONORIFIC):
        for m in rx.finditer(text):
            if m.group(1).split()[0].lower() not in _NOT_NAMES and not _RESUME_HEAD_NOT_NAME.search(m.group(1)):
                discovered.add(m.group(1))
                found.append(m.span(1))
    if resume:
        head = _resume_head_name(text)
        if head:
            discovered.add(head)
    full = sorted(names | discovered, key=len, reverse=True)
    if full:  # whole names: any case
        rx = re.compile(r"(?i)(?<![\w@./])(?:" + "|".join(re.escape(t) for t in full) + r")(?![\w@])")
        found.extend(m.span() for m in rx.finditer(text))
    parts = {p for n in full for p in re.split(r"[\s,]+", n)
             if len(p.strip(".")) >= 2 and p[:1].isupper() and p.lower() not in _PARTICLES}
    variants = sorted({v for p in parts for v in (p.capitalize(), p.upper(), p)}, key=len, reverse=True)
    if variants:  # single name parts: as names are written (so "Will" redacts, "will" stays)
        rx = re.compile(r"(?<![\w@./])(?:" + "|".join(re.escape(t) for t in variants) + r")(?![\w@])")
        found.extend(m.span() for m in rx.finditer(text))
    return found


def _email_words(text: str) -> set[str]:
    """The words of the text's email addresses' local parts (jane.doe@ -> jane, doe), 3+ letters:
    the person's name as they spelled it, when the text does not say it otherwise."""
    return {w for m in _EMAIL.finditer(text) for w in re.split(r"[._+\-\d]+", m.group(0).split("@")[0].lower())
            if len(w) >= 3}


def _resume_head_name(text: str) -> str | None:
    """The candidate's name in a resume's first lines: 2-4 name-shaped words (any case) whose first
    word (after an initial) is a given name, whose last word is a family name, or one of which is in
    the resume's email address. A job-title headline ("SENIOR ACCOUNTANT") is not."""
    word = rf"(?:{_NAME_WORD}|[{_UP}][{_UP}'-]+|[A-Z]\.)"
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()][:3]
    # The words of the resume's email addresses (jane.doe@, jdoe_84@): a headline word among them is a name.
    in_email = _email_words(text)
    for line in lines:
        head = re.split(r"\s*[|,•·–—]\s*|\s{3,}", line)[0].strip()
        if not re.fullmatch(rf"{word}(?:\s+{word}){{1,3}}", head) or _RESUME_HEAD_NOT_NAME.search(head) \
                or any(w.lower() in _NOT_NAMES for w in head.split()):
            continue
        words = [w for w in head.split() if not re.fullmatch(r"[A-Z]\.", w)]
        if words and (_is_given_name(words[0]) or _is_family_name(words[-1])
                      or any(w.lower() in in_email for w in words)):
            return head
    return None


def _header_end(text: str) -> int:
    """Where a resume's contact header (its first ``HEADER_LINES`` lines) ends."""
    for i, m in enumerate(re.finditer(r"\n", text)):
        if i + 1 >= HEADER_LINES:
            return m.start()
    return len(text)


def _site_spans(text: str, names: Iterable[str], resume: bool) -> list[tuple[int, int]]:
    """Personal web addresses: a host that names the person (janedoe.dev, www.jane-doe.com), or,
    in a resume, any web address in its contact header."""
    parts = {p.lower() for n in names for p in re.split(r"[\s,.'-]+", n) if len(p) >= 3} | _email_words(text)
    header_end = _header_end(text) if resume else 0
    spans = []
    owned = [m.end() for m in _OWN_SITE.finditer(text)]
    for m in _SITE.finditer(text):
        host = m.group("host").lower()
        label = re.sub(r"[^a-z0-9]", "", host.rsplit(".", 1)[0])
        names_person = any(p in label for p in parts)
        in_header = m.start() < header_end and bool(_SITE_SCHEME.match(m.group(0)) or m.group("path"))
        if names_person or in_header or any(0 <= m.start() - end <= 3 for end in owned):
            spans.append(m.span())
    return spans


def _gendered_spans(text: str) -> list[tuple[int, int, str]]:
    spans: list[tuple[int, int, str]] = []
    for m in _PAIRS.finditer(text):
        spans.append((m.start(), m.end(), _case_like(m.group(0), _pair_target(m.group(0)))))
    for m in _CONTRACTED.finditer(text):
        tail = {"s": "'re", "d": "'d", "ll": "'ll"}[m.group(3).lower()]
        spans.append((m.start(), m.end(), _case_like(m.group(1), "they") + tail.replace("'", m.group(2))))
    for m in _SUBJECT.finditer(text):
        verb = m.group(2)
        spans.append((m.start(), m.end(), _case_like(m.group(1), "they") + (f" {_VERB_AGREEMENT[verb.lower()]}"
                                                                            if verb else "")))
    for m in _HER.finditer(text):
        nxt = re.match(r"\s*([A-Za-z']+)", text[m.end():])
        possessive = bool(nxt) and nxt.group(1).lower() not in _HER_OBJECT_NEXT
        spans.append((m.start(), m.end(), _case_like(m.group(0), "their" if possessive else "them")))
    for m in _TITLE.finditer(text):
        spans.append((m.start(), m.end(), "[REDACTED]"))
    for m in _WORD_RE.finditer(text):
        word = m.group(0)
        if word.lower() == "his" and re.match(r"\s*(?:[.,;:!?)]|$)", text[m.end():]):
            target = "theirs"
        else:
            target = _WORDS[word.lower()]
        spans.append((m.start(), m.end(), _case_like(word, target)))
    return spans


def redact_detailed(text: str, *, known_names: Sequence[str] = (), style: Style = "tag",
                    resume: bool = False) -> Redaction:
    """Redact ``text``; the result can map fragments back to the original (see module doc)."""
    text = text or ""
    tags = dict(_TAGS)
    if style == "synthetic":
        tags.update(_SYNTHETIC)
    candidates: list[_Span] = []  # in priority order: earlier detectors win overlaps

    def add(start: int, end: int, replacement: str, category: str) -> None:
        if end > start:
            candidates.append(_Span(start, end, replacement, category))

    for m in _EMAIL.finditer(text):
        add(*m.span(), tags["emails"], "emails")
    for m in _PROFILE.finditer(text):
        site = m.group("site").lower()
        stand_in = {"linkedin": "linkedin.com/in/candidate", "github": "github.com/candidate"}
        key = next((k for k in stand_in if site.startswith(k)), None)
        add(*m.span(), stand_in[key] if style == "synthetic" and key else tags["profile_urls"], "profile_urls")
    for m in _HANDLE.finditer(text):
        add(*m.span(), tags["profile_urls"], "profile_urls")
    if resume:  # a bare @handle only in a resume's contact header (elsewhere it is often code: @dataclass)
        for m in _AT_HANDLE.finditer(text, 0, _header_end(text)):
            add(*m.span(), tags["profile_urls"], "profile_urls")
    for m in _ADDRESS_LINE.finditer(text):
        add(*m.span(2), tags["addresses"], "addresses")
    for m in _STREET.finditer(text):
        add(*m.span(), tags["addresses"], "addresses")
    for m in _US_ZIP.finditer(text):
        add(*m.span(1), tags["addresses"], "addresses")
    for rx in _POSTCODES:
        for m in rx.finditer(text):
            add(*m.span(), tags["addresses"], "addresses")
    for m in _PHONE.finditer(text):
        if _phone_ok(m.group(0)):
            add(*m.span(), tags["phones"], "phones")
    name_spans = _name_spans(text, known_names, resume)
    person = [*known_names, *(text[a:b] for a, b in name_spans)]
    for start, end in _site_spans(text, person, resume):
        add(start, end, tags["profile_urls"], "profile_urls")
    for start, end in name_spans:
        add(start, end, tags["names"], "names")
    for start, end, repl in _gendered_spans(text):
        add(start, end, repl, "gendered_terms")

    accepted: list[_Span] = []
    for span in candidates:
        if all(span.end <= a.start or span.start >= a.end for a in accepted):
            accepted.append(span)
    accepted.sort(key=lambda s: s.start)

    out: list[str] = []
    starts: list[int] = []
    counts = dict.fromkeys(CATEGORIES, 0)
    cursor = length = 0
    for span in accepted:
        out.append(text[cursor:span.start])
        length += span.start - cursor
        starts.append(length)
        out.append(span.replacement)
        length += len(span.replacement)
        cursor = span.end
        counts[span.category] += 1
    out.append(text[cursor:])
    return Redaction(text, "".join(out), RedactionReport(counts=counts), accepted, starts)


def redact(text: str, *, known_names: Sequence[str] = (), style: Style = "tag",
           resume: bool = False) -> tuple[str, RedactionReport]:
    """Return ``(redacted_text, report)`` for ``text`` (see the module docstring for what goes)."""
    result = redact_detailed(text, known_names=known_names, style=style, resume=resume)
    return result.text, result.report
