"""Offline (no LLM) ATS analysis of resume text: deterministic, explainable heuristics.

Each of the seven sections gets an integer score 0-5 made of named evidence points (see the
``_score_*`` functions), and every feedback sentence says what was found and what was missing.
The overall score follows ``SCORING_FORMULA``; ``ats_friendly`` is ``score >= ATS_FRIENDLY_MIN_SCORE``
with no blocking formatting issue (no recognisable section headings, too little text, or
garbled characters: the cases where an ATS parser would lose the content whatever the score).
Keyword logic (vocabulary, aliases, JD keyword extraction) is self-contained in this module.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from interviewer.core.wording import noun, plural

from .offline import matching
from .offline.matching import MatchResult
from .schemas import SECTION_KEYS, ATSResult, SectionScore, SectionScores

SECTION_WEIGHTS = {"contact_info": 10, "format_structure": 15, "professional_summary": 10, "work_experience": 25,
                   "technical_skills": 15, "education": 10, "keyword_optimization": 15}
FORMATTING_PENALTY = 3
MAX_FORMATTING_PENALTY = 15
ATS_FRIENDLY_MIN_SCORE = 60
SCORING_FORMULA = ("score = clamp(round(sum(SECTION_WEIGHTS[s] * section_score[s] / 5)) "
                   "- min(MAX_FORMATTING_PENALTY, FORMATTING_PENALTY * len(formatting_issues)), 0, 100)")
assert sum(SECTION_WEIGHTS.values()) == 100 and tuple(SECTION_WEIGHTS) == SECTION_KEYS

# ----------------------------------------------------------------------------------- vocabulary
# Entries "Display name|alias|alias" separated by ";" or newlines. A leading "!" makes matching case-sensitive
# (for names that are also ordinary words: Go, Swift, Excel, Word...).
_SKILLS = """Python|py;Java;JavaScript|js|ecmascript|es6;TypeScript|ts;!C;C++|cpp;C#|c sharp|csharp
!Go|Golang|golang;!Rust
Ruby|ruby on rails|rails;PHP;Kotlin;!Swift;Scala;!R|RStudio|R studio;SQL;MATLAB;Bash|shell scripting
HTML|html5;CSS|css3|sass|scss;React|react.js|reactjs;Angular|angularjs;Vue|vue.js|vuejs;Node.js|nodejs
Django;Flask;FastAPI;Spring Boot|spring framework;.NET|dotnet|asp.net;GraphQL;REST|rest api|restful|rest apis
Microservices|microservice;PostgreSQL|postgres;MySQL;MongoDB|mongo;Redis;Elasticsearch;Kafka|apache kafka
RabbitMQ;Spark|apache spark|pyspark;Hadoop;AWS|amazon web services;Azure|microsoft azure
GCP|google cloud|google cloud platform;Docker;Kubernetes|k8s;Terraform;Ansible
CI/CD|cicd|continuous integration|continuous delivery|continuous deployment;Jenkins;GitHub Actions
Git|github|gitlab;Linux|unix;Machine Learning|ml;Deep Learning;NLP|natural language processing;PyTorch
TensorFlow;scikit-learn|sklearn;Pandas;NumPy;Data Analysis|data analytics;Data Visualization|tableau|power bi
Statistics|statistical analysis;ETL;Agile|scrum|kanban;Jira;Unit Testing|pytest|junit|tdd|test automation
Distributed Systems;System Design;Security|cybersecurity|information security
Networking|tcp/ip|network administration;SolidWorks;AutoCAD;CAD|creo|autodesk inventor;Photoshop|adobe photoshop
Illustrator|adobe illustrator;InDesign|adobe indesign;Figma;UX|user experience|ux design
UI|user interface|ui design;SEO|search engine optimization;Digital Marketing|social media marketing
Content Strategy|content management;Salesforce;CRM;SAP;!Excel|microsoft excel|ms excel
MS Office|microsoft office|ms office;QuickBooks;Accounting|bookkeeping;Budgeting|budget management|forecasting
Financial Analysis|financial reporting|financial modeling;Auditing|audit|internal audit;Payroll
Recruiting|recruitment|talent acquisition|staffing;Employee Relations;Onboarding|new hire orientation
Project Management|pmp|project manager;Stakeholder Management;Customer Service|customer relations
Sales|business development;Leadership|team leadership|people management
Communication|communication skills|public speaking;Problem Solving|troubleshooting|root cause analysis"""

_ACTION_VERBS = set("""accelerated achieved administered analyzed analysed architected automated built calculated
championed coached collaborated collected completed conducted consolidated coordinated created cut decreased
defined delivered deployed designed developed directed drove eliminated enabled engineered established evaluated
executed expanded facilitated forecasted generated grew guided handled identified implemented improved increased
initiated installed integrated introduced investigated launched led maintained managed mentored migrated modernized
monitored negotiated optimized optimised organized orchestrated oversaw performed piloted planned prepared presented
produced programmed proposed published recruited redesigned reduced refactored reported researched resolved
restructured reviewed saved scaled shipped simplified spearheaded streamlined strengthened supervised supported
tested trained transformed troubleshot upgraded won wrote""".split())

_STOPWORDS = set("""a about above across after again all also an and any are as at be been being both but by can
could did do does each either etc for from had has have having he her here his how i if in into is it its itself
just least less like may me might more most must my no nor not of off on once only or other our ours out over own
per please plus same she should so some such than that the their them then there these they this those through to
too under until up upon us very via was we well were what when where which while who whom why will with within
without would you your yours years year strong excellent good great ability able experience experienced
knowledge understanding skills skill work working team teams role position candidate candidates job company
including include includes required requirements preferred plus responsibilities responsible new using use
ideal looking join help build across environment opportunity benefits salary apply bonus must-have nice senior
junior engineer engineers developer developers manager lead staff principal remote hybrid full-time part-time we're
you'll monday friday""".split())

_HEADINGS = {
    "professional_summary": ("summary", "professional summary", "profile", "professional profile", "objective",
                             "career objective", "about me", "executive summary", "career summary", "overview",
                             "personal statement", "summary of qualifications", "qualifications summary"),
    "work_experience": ("experience", "work experience", "professional experience", "work history",
                        "employment history", "employment", "career history", "relevant experience",
                        "experience summary"),
    "education": ("education", "academic background", "education and training", "academic qualifications",
                  "educational background", "education & training"),
    "technical_skills": ("skills", "technical skills", "core competencies", "key skills", "competencies",
                         "technologies", "tech stack", "skills & tools", "areas of expertise", "highlights",
                         "skill highlights", "expertise", "core qualifications", "skills summary", "tools"),
    "projects": ("projects", "personal projects", "key projects", "selected projects"),
    "certifications": ("certifications", "certification", "certificates", "licenses", "training",
                       "licenses & certifications", "licenses and certifications"),
    "other": ("awards", "honors", "languages", "interests", "publications", "volunteer", "volunteering",
              "references", "additional information", "accomplishments", "activities", "affiliations"),
}
_HEADING_LOOKUP = {phrase: key for key, phrases in _HEADINGS.items() for phrase in phrases}
_HEADING_TAILS = {"summary": "professional_summary", "profile": "professional_summary",
                  "objective": "professional_summary",
                  "overview": "professional_summary", "experience": "work_experience", "history": "work_experience",
                  "employment": "work_experience", "education": "education", "skills": "technical_skills",
                  "competencies": "technical_skills", "expertise": "technical_skills", "highlights": "technical_skills",
                  "technologies": "technical_skills", "projects": "projects", "certifications": "certifications"}


def _build_vocabulary() -> tuple[re.Pattern[str], dict[str, str], dict[str, str]]:
    """One case-insensitive scanner over every alias (longest first), plus alias -> display-name
    maps: lower-cased aliases for ordinary entries, exact spellings for case-sensitive ones."""
    folded: dict[str, str] = {}
    exact: dict[str, str] = {}
    for entry in re.split(r"[;\n]", _SKILLS):
        names = entry.lstrip("!").split("|")
        target = exact if entry.startswith("!") else folded
        target.update({(n if target is exact else n.lower()): names[0] for n in names})
    alts = "|".join(re.escape(a) for a in sorted({*folded, *exact}, key=len, reverse=True))
    return re.compile(rf"(?<![\w+#.])(?:{alts})(?![\w+#&]|\.\w)", re.I), folded, exact


_SKILL_SCANNER, _FOLDED_ALIASES, _EXACT_ALIASES = _build_vocabulary()
_SKILL_NAMES = set(_FOLDED_ALIASES.values()) | set(_EXACT_ALIASES.values())


def _skill_mentions(text: str) -> list[str]:
    """Display names of every vocabulary mention in ``text``, in order (repeats included)."""
    out = []
    for match in _SKILL_SCANNER.finditer(text):
        name = _FOLDED_ALIASES.get(match.group(0).lower()) or _EXACT_ALIASES.get(match.group(0))
        if name:
            out.append(name)
    return out
_EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_PHONE_RE = re.compile(r"(?<!\d)(?:\+?\d{1,3}[\s.-]?)?(?:\(\d{2,4}\)|\d{2,4})[\s.-]?\d{3,4}[\s.-]?\d{3,4}(?!\d)")
_PROFILE_RE = re.compile(r"(?i)\b(?:linkedin\.com/\S+|github\.com/\S+|gitlab\.com/\S+)")
_URL_RE = re.compile(r"(?i)\b(?:https?://|www\.)\S+")
_LOCATION_RE = re.compile(r"\b[A-Z][a-z]+(?: [A-Z][a-z]+)* ?, ?(?:[A-Z]{2}\b|[A-Z][a-z]+)|(?i:\bremote\b)")
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_DATE = rf"(?:{_MONTH}\s+\d{{4}}|\d{{1,2}}/\d{{4}}|(?:19|20)\d{{2}})"
_RANGE_RE = re.compile(rf"(?i){_DATE}\s*(?:-|–|—|to|until)\s*(?:{_DATE}|present|current|now|today)")
_YEAR_RE = re.compile(r"\b(19[5-9]\d|20\d{2})\b")
_QUANT_RE = re.compile(r"(?i)\d+(?:\.\d+)?\s?%|[$€£]\s?\d|\b\d+(?:\.\d+)?\s?(?:k|m|bn|x)\b|"
                       r"\b\d{2,}(?:,\d{3})*\+?\s+(?:[a-z]+\s)?(?:users|customers|clients|people|employees|staff|"
                       r"engineers|projects|stores|accounts|members|requests|hours|reports|students|sites)")
_BULLET_RE = re.compile(r"^\s*[•●▪■◦‣∙·\-*–]\s+\S")
_DEGREE_RE = re.compile(r"(?i)\b(?:bachelor|master|ph\.?d|doctorate|mba|associate(?:'s)? degree|diploma|b\.?sc|"
                        r"m\.?sc|b\.?s\.?|m\.?s\.?|b\.?a\.?|m\.?a\.?|b\.?tech|m\.?tech|b\.?eng|m\.?eng|s\.e|ged)\b")
_SCHOOL_RE = re.compile(r"(?i)\b(?:university|college|institute|school|academy|polytechnic)\b")
_ODD_CHAR_RE = re.compile("[\ue000-\uf8ff\ufffd\u2500-\u27bf\U0001f300-\U0001faff]|Ã.|â€")
_SUMMARY_CLAIM_RE = re.compile(r"(?i)\b\d+\+?\s*(?:\(\d+\)\s*)?years?\b|\b(?:engineer|developer|manager|analyst|"
                               r"designer|specialist|consultant|scientist|administrator|accountant|technician|"
                               r"director|lead|architect|graduate)\b")


def find_skills(text: str) -> list[str]:
    """Vocabulary skills mentioned in ``text``, in order of first mention."""
    return list(dict.fromkeys(_skill_mentions(text)))


# ----------------------------------------------------------------------------------- parsing


@dataclass
class _Resume:
    text: str
    lines: list[str]
    words: int
    sections: dict[str, list[str]]  # canonical section -> its body lines
    preamble: list[str]  # lines before the first heading (name, contact, maybe a summary)
    skills: list[str]


def _heading_key(line: str) -> str | None:
    stripped = line.strip().strip(":").strip()
    if not stripped or len(stripped) > 40 or len(stripped.split()) > 5:
        return None
    phrase = re.sub(r"\s+", " ", re.sub(r"[^a-z& ]", " ", stripped.lower())).strip()
    if phrase in _HEADING_LOOKUP:
        return _HEADING_LOOKUP[phrase]
    words = phrase.split()
    if re.search(r"\d|[.,;]", stripped) or not 1 < len(words) <= 4:
        return None
    return _HEADING_TAILS.get(words[-1])  # "Executive Profile", "Relevant Work Experience", ...


def _parse(text: str) -> _Resume:
    lines = [line.strip() for line in text.splitlines()]
    sections: dict[str, list[str]] = {}
    preamble: list[str] = []
    current: list[str] = preamble
    for line in lines:
        key = _heading_key(line)
        if key:
            current = sections.setdefault(key, [])
        elif line:
            current.append(line)
    return _Resume(text, [ln for ln in lines if ln], len(re.findall(r"\w+", text)), sections, preamble,
                   find_skills(text))


def _starts_with_verb(line: str) -> bool:
    first = re.sub(r"^[^A-Za-z]+", "", line).split(" ", 1)[0].lower().strip(",:;")
    return first in _ACTION_VERBS


def _quantified(lines: list[str]) -> list[str]:
    return [ln for ln in lines if _QUANT_RE.search(ln)]


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


@dataclass
class _Evidence:
    """A section's score and the evidence behind it, phrased for the candidate."""

    score: int
    found: list[str]
    missing: list[str]
    note: str = ""

    @classmethod
    def of(cls, checks: list[tuple[bool, int, str, str]], cap: int = 5, note: str = "") -> _Evidence:
        """Score ``(passed, points, found_text, missing_text)`` checks, capped at ``cap``."""
        score = min(cap, sum(points for ok, points, _, _ in checks if ok))
        found = [text for ok, _, text, _ in checks if ok and text]
        return cls(score, found, [miss for ok, _, _, miss in checks if not ok and miss], note)

    def feedback(self) -> str:
        parts = [f"Found {_join(self.found)}" if self.found else "Found nothing for this section"]
        if self.missing:
            parts.append(f"missing {_join(self.missing)}")
        return (self.note + " " if self.note else "") + "; ".join(parts) + "."


_CORE_SECTIONS = ("professional_summary", "work_experience", "technical_skills", "education")


def _score_contact(r: _Resume) -> _Evidence:
    head = "\n".join(r.lines[:15])
    url = bool(_PROFILE_RE.search(r.text) or _URL_RE.search(r.text))
    return _Evidence.of([(bool(_EMAIL_RE.search(r.text)), 2, "email", "an email address"),
                         (bool(_PHONE_RE.search(head)), 1, "phone", "a phone number"),
                         (url, 1, "a LinkedIn/GitHub/portfolio URL", "a LinkedIn/GitHub/portfolio URL"),
                         (bool(_LOCATION_RE.search(head)), 1, "location", "a location (city, region)")])


def _score_format(r: _Resume, issues: list[tuple[str, str]]) -> _Evidence:
    headings = len(r.sections)
    absent = [k.replace("_", " ") for k in _CORE_SECTIONS if k not in r.sections]
    bullets = sum(1 for ln in r.lines if _BULLET_RE.match(ln))
    verb_lines = sum(1 for ln in r.lines if _starts_with_verb(ln))
    return _Evidence.of([
        (headings >= 1, 1, plural(headings, "recognised section heading"), "standard section headings"),
        (headings >= 3, 1, "", f"{noun(len(absent), 'a heading', 'headings')} for {_join(absent)}" if absent
         else "3+ section headings"),
        (bullets >= 3 or verb_lines >= 5, 1, f"list-style achievements ({plural(bullets, 'bullet')}, "
         f"{plural(verb_lines, 'action-verb line')})", "bullet points for achievements"),
        (300 <= r.words <= 1000, 1, f"a scannable length ({r.words} words)", f"a 300-1000 word length "
         f"(has {r.words})"),
        (not issues, 1, "no formatting issues", f"a clean layout ({plural(len(issues), 'formatting issue')})")])


def _score_summary(r: _Resume, jd_skills: list[str]) -> _Evidence:
    body = r.sections.get("professional_summary")
    if body is None:
        intro = sum(len(ln.split()) for ln in r.preamble if len(ln.split()) >= 8)
        return _Evidence.of([(intro >= 25, 1, "an untitled introduction paragraph", ""),
                             (False, 0, "", "a 2-4 sentence professional summary under a 'Summary' heading")])
    text = " ".join(body)
    words = len(text.split())
    terms = set(find_skills(text)) | {k for k in jd_skills if k.lower() in text.lower()}
    return _Evidence.of([(True, 2, "a summary section", ""),
                         (25 <= words <= 120, 1, f"a focused length ({words} words)",
                          f"a 25-120 word length (has {words})"),
                         (bool(_SUMMARY_CLAIM_RE.search(text)), 1, "a role or years-of-experience claim",
                          "your target role or years of experience"),
                         (len(terms) >= 2, 1, f"{len(terms)} key skills named", "at least 2 key skills named")])


def _score_experience(r: _Resume, today: date) -> _Evidence:
    body = r.sections.get("work_experience")
    lines = body if body is not None else r.lines
    text = "\n".join(lines)
    ranges = _RANGE_RE.findall(text)
    quantified = _quantified(lines)
    verbs = sum(1 for ln in lines if _starts_with_verb(ln))
    years = [int(y) for y in _YEAR_RE.findall(" ".join(ranges) or text)]
    recent = bool(re.search(r"(?i)\b(present|current|now|today)\b", " ".join(ranges))) or \
        bool(years and max(years) >= today.year - 3)
    return _Evidence.of([
        (body is not None, 1, "an experience section", "an 'Experience' section heading"),
        (bool(ranges), 1, plural(len(ranges), "dated role"), "date ranges for roles"),
        (len(quantified) >= 3, 1, f"{len(quantified)} quantified achievements",
         f"3+ quantified achievements (has {len(quantified)})"),
        (verbs >= 5, 1, f"{verbs} lines starting with action verbs", f"5+ action-verb bullets (has {verbs})"),
        (recent, 1, "recent experience (within 3 years)", "recent dates (within 3 years)")],
        cap=5 if body is not None else 2)


def _score_skills(r: _Resume) -> _Evidence:
    experience = "\n".join(r.sections.get("work_experience", []))
    backed = find_skills(experience)
    count = len(r.skills)
    return _Evidence.of([("technical_skills" in r.sections, 2, "a skills section", "a 'Skills' section"),
                         (count >= 5, 1, f"{count} recognised skills", f"5+ recognised skills (has {count})"),
                         (count >= 10, 1, "", "10+ recognised skills" if count >= 5 else ""),
                         (len(backed) >= 3, 1, f"{len(backed)} skills backed by experience",
                          "skills demonstrated in experience bullets (3+)")])


def _score_education(r: _Resume) -> _Evidence:
    body = r.sections.get("education")
    if body is None:
        degree = bool(_DEGREE_RE.search(r.text) and _SCHOOL_RE.search(r.text))
        return _Evidence.of([(degree, 1, "a degree mentioned outside an 'Education' section",
                              "an 'Education' section with degree, institution and year")])
    text = "\n".join(body)
    return _Evidence.of([(True, 2, "an education section", ""),
                         (bool(_DEGREE_RE.search(text)), 1, "a degree", "the degree name"),
                         (bool(_SCHOOL_RE.search(text)), 1, "an institution", "the institution"),
                         (bool(_YEAR_RE.search(text)), 1, "a graduation year", "the graduation year")])


def _fit_evidence(fit: MatchResult) -> _Evidence:
    """With a posting, the keyword section is the job-fit matcher's judgement (0-100 -> 0-5): the
    posting's required skills found in the resume, how close its field is, and text similarity."""
    required = len(fit.matched_skills) + len(fit.missing_skills)
    found = [f"fit {fit.score:.0f}/100 to this posting: {len(fit.matched_skills)} of {required} of its "
             f"required skills" + (f" ({_join(fit.matched_skills[:6])})" if fit.matched_skills else "")]
    missing = [f"its skills {_join(fit.missing_skills[:8])}"] if fit.missing_skills else []
    return _Evidence(fit_section_score(fit.score), found, missing)


def with_fit(result: ATSResult, fit: MatchResult) -> ATSResult:
    """``result`` (from any provider) with its posting-dependent part taken from the job-fit
    matcher: the keyword section, keywords found and missing (the posting's required skills) and
    the overall score by the spec's formula. So the score moves with the posting the same way,
    deterministically, whichever provider judged the rest of the resume. Whether the resume is
    ATS-friendly follows the new score, and an offline summary's figures are rewritten to match
    (the provider saw a redacted text, so its fit can differ by a point or two)."""
    evidence = _fit_evidence(fit)
    sections = result.section_scores.model_copy(update={
        "keyword_optimization": SectionScore(score=evidence.score, feedback=evidence.feedback())})
    points = {k: getattr(sections, k).score for k in SECTION_KEYS}
    score = compute_overall_score(points, len(result.formatting_issues))
    issues = list(result.formatting_issues)
    # not friendly whatever the score: a blocking issue, or the provider's own judgement of the layout
    blocked = any(is_blocking_issue(msg) for msg in issues) or (
        not result.ats_friendly and result.score >= ATS_FRIENDLY_MIN_SCORE)
    friendly = score >= ATS_FRIENDLY_MIN_SCORE and not blocked
    summary = result.summary
    lead = _LEAD_RE.match(summary)
    if lead is not None:  # written by the offline analysis: its lead and its "why not" are ours to restate
        old_why = _why_not(result.score, result.ats_friendly, issues)
        summary = (summary_lead(score, friendly, int(lead.group(1)), fit.score)
                   + _RANKS_RE.sub(lambda _: _ranks_sentence(points), summary[lead.end():], count=1))
        if old_why and old_why in summary:
            summary = summary.replace(old_why, "", 1)
        note = _NOTE_RE.search(summary)
        at = note.start() if note else len(summary)
        summary = summary[:at] + _why_not(score, friendly, issues) + summary[at:]
    return result.model_copy(update={
        "section_scores": sections, "keywords_found": list(fit.matched_skills),
        "keywords_missing": list(fit.missing_skills), "score": score, "ats_friendly": friendly,
        "summary": summary})


_LEAD_RE = re.compile(r"ATS score \d+/100 \((?:not )?ATS-friendly\): format and readability (\d+)/100"
                      r"(?:, fit to the posting \d+/100|, no posting given)\.")
_RANKS_RE = re.compile(r" Strongest: [a-z ]+ \(\d/5\); weakest: [a-z ]+ \(\d/5\)\.")
_NOTE_RE = re.compile(r" The (?:job description|resume) is not in English, ")


def summary_lead(score: int, friendly: bool, readability: int, fit_score: float | None) -> str:
    """The first sentence of an offline summary: the overall score and the two numbers it mixes."""
    return (f"ATS score {score}/100 ({'ATS-friendly' if friendly else 'not ATS-friendly'}): format and "
            f"readability {readability}/100"
            + (f", fit to the posting {fit_score:.0f}/100" if fit_score is not None else ", no posting given") + ".")


def _ranks_sentence(points: dict[str, int]) -> str:
    ranked = sorted(SECTION_KEYS, key=lambda k: (-points[k], SECTION_KEYS.index(k)))
    return (f" Strongest: {ranked[0].replace('_', ' ')} ({points[ranked[0]]}/5); weakest: "
            f"{ranked[-1].replace('_', ' ')} ({points[ranked[-1]]}/5).")


def _why_not(score: int, friendly: bool, issues: list[str]) -> str:
    reason = not_friendly_reason(score, friendly, issues)
    if not reason:
        return ""
    if score < ATS_FRIENDLY_MIN_SCORE:
        return f" Not ATS-friendly because the score is under {ATS_FRIENDLY_MIN_SCORE}."
    return f" Not ATS-friendly because of this: {reason}"


def _score_keywords(r: _Resume, fit: MatchResult | None) -> _Evidence:
    if fit is not None:
        return _fit_evidence(fit)
    summary = " ".join(r.sections.get("professional_summary", r.preamble))
    experience = "\n".join(r.sections.get("work_experience", []))
    density = len(_skill_mentions(r.text)) / max(r.words, 1)
    count = len(r.skills)
    return _Evidence.of([(count >= 8, 1, f"{count} recognised keywords", f"8+ recognised keywords (has {count})"),
                         (count >= 15, 1, "", "15+ keywords" if count >= 8 else ""),
                         (len(find_skills(summary)) >= 2, 1, "keywords in the summary", "keywords in the summary"),
                         (len(find_skills(experience)) >= 3, 1, "keywords in experience", "keywords in experience"),
                         (0.01 <= density <= 0.12, 1, f"a natural keyword density ({density:.1%})",
                          f"a natural keyword density of 1-12% (has {density:.1%})")],
                        note="No job description given; judged on keyword density and placement.")


def fit_section_score(fit_score: float) -> int:
    """The keyword section's 0-5 from a 0-100 fit: one point per 20, rounded."""
    return int(max(0, min(5, round(fit_score / 20))))


# ----------------------------------------------------------------------------------- issues

_BLOCKING = {"no_headings", "too_short", "garbled"}
LAYOUT_REASON = "The analysis found the layout hard for an ATS to read."


def not_friendly_reason(score: int, ats_friendly: bool, formatting_issues: list[str]) -> str:
    """Why a result is not ATS-friendly ("" when it is): a score under the bar, else its first
    formatting issue (the offline analysis lists blocking issues first)."""
    if ats_friendly:
        return ""
    if score < ATS_FRIENDLY_MIN_SCORE:
        return f"The score is under {ATS_FRIENDLY_MIN_SCORE}."
    return formatting_issues[0] if formatting_issues else LAYOUT_REASON


# the messages of the blocking issues below, as they read (a result only keeps the messages)
_BLOCKING_MESSAGE_RE = re.compile(r"No standard section headings |Only \d+ words of text;|\d+ unreadable or broken "
                                  r"characters;")


def is_blocking_issue(message: str) -> bool:
    """Whether a formatting issue (its message) stops an ATS whatever the score."""
    return bool(_BLOCKING_MESSAGE_RE.match(message))


def _formatting_issues(r: _Resume) -> list[tuple[str, str]]:
    issues: list[tuple[str, str]] = []
    if not r.sections:
        issues.append(("no_headings", "No standard section headings (Experience, Education, Skills) were recognised, "
                                      "so an ATS cannot split the resume into sections."))
    if r.words < 150:
        issues.append(("too_short", f"Only {r.words} words of text; an ATS needs a fuller resume (300+ words)."))
    elif r.words > 1500:
        issues.append(("too_long", f"{r.words} words is long for a resume; aim for 1-2 pages (under 1000 words)."))
    odd = len(_ODD_CHAR_RE.findall(r.text))
    if odd > max(5, len(r.text) * 0.05):
        issues.append(("garbled", f"{odd} unreadable or broken characters; the text layer looks garbled."))
    elif odd >= 5:
        issues.append(("special_chars", f"{odd} icons, symbols or broken-encoding characters that ATS may drop."))
    long_lines = sum(1 for ln in r.lines if len(ln) > 300)
    if long_lines >= 2:
        issues.append(("long_lines", f"{long_lines} very long lines/paragraphs (over 300 characters); "
                                     "break them into bullets."))
    cells = sum(1 for ln in r.lines if " | " in ln or "\t" in ln)
    if cells >= 3:
        issues.append(("tables", f"{cells} table- or column-style lines; ATS often read tables row by row and "
                                 "scramble their order."))
    caps = sum(1 for ln in r.lines if len(ln) > 20 and ln.isupper() and not _heading_key(ln))
    if caps >= 3:
        issues.append(("all_caps", f"{caps} long lines in ALL CAPS; use sentence case for body text."))
    if not _YEAR_RE.search(r.text):
        issues.append(("no_dates", "No dates found; add month/year ranges for roles and education."))
    return issues


# ----------------------------------------------------------------------------------- entry point


def analyze_resume_offline(text: str, job_description: str | None, *, today: date | None = None) -> ATSResult:
    """Score resume ``text`` (optionally against ``job_description``) without any model.

    ``today`` anchors the recency check (defaults to the current date) so results are reproducible.
    With a posting, the keyword section, keywords found and keywords missing come from the job-fit
    matcher (``offline.matching``): the posting's required skills, not its frequent words.
    """
    today = today or date.today()
    r = _parse(text or "")
    posting = (job_description or "").strip()
    fit = None
    note = ""
    if posting:
        if not matching.is_english(posting):
            note = " The job description is not in English, so fit to it is not measured (not supported)."
        elif not matching.is_english(text or ""):
            note = " The resume is not in English, so fit to the posting is not measured (not supported)."
        else:
            fit = matching.match_resume(text or "", posting)
    jd_skills = (fit.matched_skills + fit.missing_skills) if fit else []
    issues = sorted(_formatting_issues(r), key=lambda issue: issue[0] not in _BLOCKING)  # blocking ones first
    evidence = {
        "contact_info": _score_contact(r),
        "format_structure": _score_format(r, issues),
        "professional_summary": _score_summary(r, jd_skills),
        "work_experience": _score_experience(r, today),
        "technical_skills": _score_skills(r),
        "education": _score_education(r),
        "keyword_optimization": _score_keywords(r, fit),
    }
    sections = {k: SectionScore(score=e.score, feedback=e.feedback()) for k, e in evidence.items()}
    section_points = {k: e.score for k, e in evidence.items()}
    score = compute_overall_score(section_points, len(issues))
    readability = format_score(section_points, len(issues))
    friendly = score >= ATS_FRIENDLY_MIN_SCORE and not any(key in _BLOCKING for key, _ in issues)
    ranked = sorted(SECTION_KEYS, key=lambda k: (-evidence[k].score, SECTION_KEYS.index(k)))
    title = {k: k.replace("_", " ").capitalize() for k in SECTION_KEYS}
    highlights = [f"{title[k]}: {_join(evidence[k].found)}." for k in ranked if evidence[k].score >= 4][:5]
    quantified = _quantified(r.sections.get("work_experience", r.lines))
    if quantified:
        highlights.append(f'{plural(len(quantified), "quantified achievement")}, e.g. "{quantified[0][:90]}".')
    improvements = [f"{title[k]} ({evidence[k].score}/5): needs {_join(evidence[k].missing)}."
                    for k in reversed(ranked) if evidence[k].missing and k != "keyword_optimization"]
    if fit is not None and fit.missing_skills:
        improvements.append("Skills the posting asks for that the resume does not show: "
                            f"{', '.join(fit.missing_skills[:10])}.")
    elif fit is None and evidence["keyword_optimization"].missing:
        improvements.append(f"Keyword optimization: needs {_join(evidence['keyword_optimization'].missing)}.")
    why_not = _why_not(score, friendly, [msg for _, msg in issues])
    summary = (summary_lead(score, friendly, readability, fit.score if fit is not None else None)
               + _ranks_sentence(section_points) + f" {plural(r.words, 'word')}, "
               f"{plural(len(r.sections), 'section')}, {plural(len(issues), 'formatting issue')}.{why_not}{note}")
    return ATSResult(score=score, summary=summary, section_scores=SectionScores(**sections), highlights=highlights,
                     improvements=improvements,
                     keywords_found=list(fit.matched_skills) if fit is not None else r.skills[:30],
                     keywords_missing=list(fit.missing_skills) if fit is not None else [],
                     formatting_issues=[msg for _, msg in issues], ats_friendly=friendly)


FORMAT_SECTIONS = tuple(k for k in SECTION_KEYS if k != "keyword_optimization")


def format_score(section_scores: dict[str, int], issue_count: int) -> int:
    """Format/readability 0-100, independent of any job: the spec formula over the six sections that
    do not read the posting, rescaled to their weight (85), minus the same formatting penalty."""
    weight = sum(SECTION_WEIGHTS[k] for k in FORMAT_SECTIONS)
    base = round(100 * sum(SECTION_WEIGHTS[k] * section_scores[k] / 5 for k in FORMAT_SECTIONS) / weight)
    return max(0, min(100, base - min(MAX_FORMATTING_PENALTY, FORMATTING_PENALTY * issue_count)))


def compute_overall_score(section_scores: dict[str, int], issue_count: int) -> int:
    """Apply ``SCORING_FORMULA`` to 0-5 section scores and the number of formatting issues."""
    base = round(sum(SECTION_WEIGHTS[k] * section_scores[k] / 5 for k in SECTION_KEYS))
    return max(0, min(100, base - min(MAX_FORMATTING_PENALTY, FORMATTING_PENALTY * issue_count)))
