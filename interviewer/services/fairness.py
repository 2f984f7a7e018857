"""The adverse-impact report (bias audit) per company or per job, for a date range.

Who is counted: every candidate with at least one completed, scored AI interview whose
``completed_at`` falls in the range (for a job: interviews for that job). One row per candidate,
however many interviews they had.

Decision points (a candidate is "selected" at a point when):

* ``ai_pass``  - any of their interviews in the range got the AI verdict PASS (the tool's own
  verdict, not HR's override: the audit is about the tool);
* ``advanced`` - they reached ``offer`` or ``hired`` (their status now, or any time in their
  status history), i.e. a person moved them past the interview;
* ``hired``    - they reached ``hired``.

Groups: self-identified sex, race/ethnicity (EEO-1 categories) and their intersection. People who
did not answer or chose "prefer not to say" are counted as unknown and left out of the ratios,
as published bias-audit summaries do; their numbers are reported.

Per group: the selection rate (selected / applicants), the impact ratio (the rate divided by the
highest rate among the groups large enough to judge) and the four-fifths flag (ratio < 0.8). A
group is *too small to judge* when it has fewer than ``MIN_GROUP_SIZE`` applicants or is under
``MIN_GROUP_SHARE`` of the people with a known category (the 2 % the NYC rules allow to leave
out); it still gets a rate and a ratio, but no flag, and it is never the reference.

Scores: the median AI score per group, and the *scoring rate* (the share of the group scoring
above the median of everyone counted) with its impact ratio, which is how scoring tools are
audited.

Everything is computed by three SQL aggregates in one query (no person's row leaves the
database); reading needs ``compliance:read``. Tenancy: a user sees only their own company; a
system admin names one.
"""

from __future__ import annotations

import csv
import io
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

import sqlalchemy as sa
from pydantic import BaseModel
from sqlmodel import Session, select

from interviewer.core import errors as E
from interviewer.models import (
    Candidate,
    CandidateStatus,
    CandidateStatusHistory,
    Company,
    Interview,
    InterviewStatus,
    JobTemplate,
    Verdict,
)
from interviewer.models.fairness import RACE_LABELS, SEX_LABELS, RaceCategory, SelfIdentification, SexCategory
from interviewer.services.authz import Actor, get_in_tenant

PERMISSION = "compliance:read"
FOUR_FIFTHS = 0.8
MIN_GROUP_SIZE = 5
MIN_GROUP_SHARE = 0.02
DEFAULT_RANGE_DAYS = 365
MAX_RANGE_DAYS = 366 * 10
UNKNOWN = "unknown"
FAIR_RANGE = "FAIR_422"
FAIR_NO_COMPANY = "FAIR_400"

DECISIONS: dict[str, str] = {
    "ai_pass": "AI verdict PASS",
    "advanced": "Advanced past the interview (offer or hired)",
    "hired": "Hired",
}
DIMENSIONS: dict[str, str] = {"sex": "Sex", "race_ethnicity": "Race/ethnicity",
                              "intersection": "Sex × race/ethnicity"}
_SEX_KNOWN = [c.value for c in SexCategory if c != SexCategory.PREFER_NOT_TO_SAY]
_RACE_KNOWN = [c.value for c in RaceCategory if c != RaceCategory.PREFER_NOT_TO_SAY]
_DECLINED = "prefer_not_to_say"


class OverallRow(BaseModel):
    decision: str
    decision_label: str
    selected: int
    rate: float | None


class RateRow(BaseModel):
    decision: str
    decision_label: str
    dimension: str
    group: str
    group_label: str
    applicants: int
    selected: int
    rate: float | None
    impact_ratio: float | None
    reference: bool
    small: bool
    four_fifths_flag: bool


class ScoreRow(BaseModel):
    dimension: str
    group: str
    group_label: str
    applicants: int
    median_score: float | None
    above_median: int
    scoring_rate: float | None
    impact_ratio: float | None
    reference: bool
    small: bool
    four_fifths_flag: bool


class UnknownRow(BaseModel):
    dimension: str
    not_answered: int
    prefer_not_to_say: int


class ImpactReport(BaseModel):
    company_id: uuid.UUID
    company_name: str
    job_template_id: uuid.UUID | None
    job_title: str
    date_from: date
    date_to: date
    generated_at: datetime
    applicants: int
    overall: list[OverallRow]
    overall_median_score: float | None
    unknown: list[UnknownRow]
    rates: list[RateRow]
    scores: list[ScoreRow]
    four_fifths: float = FOUR_FIFTHS
    min_group_size: int = MIN_GROUP_SIZE
    min_group_share: float = MIN_GROUP_SHARE


class ReportJob(BaseModel):
    id: uuid.UUID
    title: str


# ------------------------------------------------------------------------------ access
def _company(actor: Actor, company_id: uuid.UUID | None) -> uuid.UUID:
    actor.require(PERMISSION)
    target = actor.company_param(company_id)
    if target is None:
        raise E.ValidationError("Choose a company (company_id).", code=FAIR_NO_COMPANY)
    return target


def list_report_jobs(session: Session, actor: Actor, *, company_id: uuid.UUID | None = None) -> list[ReportJob]:
    """The jobs a compliance user can narrow the report to (id and title only)."""
    target = _company(actor, company_id)
    rows = session.exec(select(JobTemplate.id, JobTemplate.title).where(JobTemplate.company_id == target)
                        .order_by(JobTemplate.title)).all()
    return [ReportJob(id=i, title=t) for i, t in rows]


def resolve_range(date_from: date | None, date_to: date | None, *, today: date | None = None) -> tuple[date, date]:
    """Both ends inclusive; by default the last year up to today."""
    end = date_to or today or datetime.now(UTC).date()
    start = date_from or end - timedelta(days=DEFAULT_RANGE_DAYS - 1)
    if start > end:
        raise E.ValidationError("The start date is after the end date.", code=FAIR_RANGE)
    if (end - start).days > MAX_RANGE_DAYS:
        raise E.ValidationError("Choose a range of at most ten years.", code=FAIR_RANGE)
    return start, end


# ------------------------------------------------------------------------------ the query
# Categories travel as small integers inside the query: grouping 100,000 rows by integers is far
# cheaper than by collated strings.
_SEX_CODES = {c.value: i for i, c in enumerate(SexCategory, start=1)}
_RACE_CODES = {c.value: i for i, c in enumerate(RaceCategory, start=1)}
_SEX_BY_CODE = {i: v for v, i in _SEX_CODES.items()}
_RACE_BY_CODE = {i: v for v, i in _RACE_CODES.items()}


def _code(column: sa.ColumnElement, codes: dict[str, int]) -> sa.ColumnElement:
    return sa.case(*[(column == value, code) for value, code in codes.items()], else_=None)


def _cells(session: Session, company_id: uuid.UUID, job_id: uuid.UUID | None, start: datetime,
           end: datetime) -> list[tuple]:
    """(sex, race, passed, advanced, hired, score, n): people counted per combination."""
    iv = Interview.__table__
    cand = Candidate.__table__
    hist = CandidateStatusHistory.__table__
    sid = SelfIdentification.__table__
    in_scope = [iv.c.verdict.is_not(None), iv.c.completed_at >= start, iv.c.completed_at < end]
    if job_id is not None:
        in_scope.append(iv.c.job_template_id == job_id)
    counted = sa.and_(*in_scope)
    iv3 = iv.alias("job_iv")  # for one job: only the candidates interviewed for it are aggregated
    # One pass over the company's completed interviews, grouped by candidate. The answer may sit
    # on another of the candidate's interviews than the counted one (one answer per candidate).
    per = (sa.select(iv.c.candidate_id.label("cid"),
                     sa.func.max(sa.case((sa.and_(counted, iv.c.verdict == Verdict.PASS), 1), else_=0)).label("passed"),
                     sa.func.max(sa.case((counted, iv.c.score), else_=None)).label("score"),
                     sa.func.max(_code(sid.c.sex, _SEX_CODES)).label("sex"),
                     sa.func.max(_code(sid.c.race_ethnicity, _RACE_CODES)).label("race"))
           .select_from(iv.outerjoin(sid, sid.c.interview_id == iv.c.id))
           .where(iv.c.company_id == company_id, iv.c.status == InterviewStatus.COMPLETED,
                  *([iv.c.candidate_id.in_(sa.select(iv3.c.candidate_id).where(
                      iv3.c.company_id == company_id, iv3.c.job_template_id == job_id))] if job_id else []))
           .group_by(iv.c.candidate_id)
           # "> 0", not "= 1": the planner guesses a third of the groups pass (not 0.5 %), so it
           # joins the candidates by hash instead of 100,000 index probes.
           .having(sa.func.max(sa.case((counted, 1), else_=0)) > 0)
           .subquery("per"))

    def reached(*statuses: CandidateStatus) -> sa.ColumnElement:
        ever = sa.exists().where(hist.c.candidate_id == cand.c.id, hist.c.to_status.in_(statuses))
        return sa.case((sa.or_(cand.c.status.in_(statuses), ever), 1), else_=0)

    # Each person becomes one small integer (category codes, the three outcomes, the score), and
    # people are counted per integer: sorting or hashing one int column is several times cheaper
    # than six columns for 100,000 people. ``_decode`` takes it apart again.
    advanced = reached(CandidateStatus.OFFER, CandidateStatus.HIRED)
    hired = reached(CandidateStatus.HIRED)
    key = ((sa.func.coalesce(per.c.sex, 0) * 10 + sa.func.coalesce(per.c.race, 0)) * 8
           + per.c.passed * 4 + advanced * 2 + hired) * 102 + sa.case((per.c.score.between(0, 100), per.c.score + 1),
                                                             else_=0)  # a score outside 0-100: not scored
    people = (sa.select(key.label("k")).select_from(per.join(cand, cand.c.id == per.c.cid))
              .where(cand.c.company_id == company_id).subquery("people"))
    if session.get_bind().dialect.name == "postgresql":
        # The planner overestimates the joined rows a thousandfold, which switches on JIT
        # compilation (3 s for a 0.3 s query) and parallel workers that each build the same hash
        # tables (twice the CPU, slower on a busy machine); the per-candidate aggregates want more
        # than the default 4 MB. Measured: bench/bench_impact.py.
        session.execute(sa.text("SET LOCAL jit = off"))
        session.execute(sa.text("SET LOCAL max_parallel_workers_per_gather = 0"))
        session.execute(sa.text("SET LOCAL work_mem = '32MB'"))
    rows = session.execute(sa.select(people.c.k, sa.func.count()).group_by(people.c.k)).all()
    return [_decode(int(k), int(n)) for k, n in rows]


def _decode(key: int, n: int) -> tuple:
    key, score = divmod(key, 102)
    key, outcome = divmod(key, 8)
    sex, race = divmod(key, 10)
    return (_SEX_BY_CODE.get(sex), _RACE_BY_CODE.get(race), outcome >> 2 & 1, outcome >> 1 & 1, outcome & 1,
            score - 1 if score else None, n)


# ------------------------------------------------------------------------------ arithmetic
@dataclass
class _Group:
    n: int = 0
    selected: Counter = field(default_factory=Counter)
    scores: Counter = field(default_factory=Counter)


def median_of(counts: Counter) -> float | None:
    """The median of a histogram ({value: how many})."""
    total = sum(counts.values())
    if not total:
        return None
    wanted = [(total - 1) // 2, total // 2]
    found, seen = [], 0
    for value in sorted(counts):
        nxt = seen + counts[value]
        found += [value for w in wanted if seen <= w < nxt]
        seen = nxt
    return round((found[0] + found[1]) / 2, 2)


def _ratio(a: int, b: int) -> float | None:
    return round(a / b, 4) if b else None


def _label(dimension: str, key: str) -> str:
    if dimension == "sex":
        return SEX_LABELS[key]
    if dimension == "race_ethnicity":
        return RACE_LABELS[key]
    sex, race = key.split("|")
    return f"{SEX_LABELS[sex]} · {RACE_LABELS[race]}"


def _order(dimension: str) -> list[str]:
    if dimension == "sex":
        return _SEX_KNOWN
    if dimension == "race_ethnicity":
        return _RACE_KNOWN
    return [f"{s}|{r}" for s in _SEX_KNOWN for r in _RACE_KNOWN]


def _judged(groups: dict[str, _Group], rate_of) -> tuple[dict[str, bool], float | None]:
    """Which groups are too small, and the reference (highest) rate among the others."""
    known = sum(g.n for g in groups.values())
    small = {k: g.n < MIN_GROUP_SIZE or g.n < MIN_GROUP_SHARE * known for k, g in groups.items()}
    rates = [rate_of(g) for k, g in groups.items() if not small[k] and rate_of(g) is not None]
    if not rates:  # nobody large enough: compare with the highest rate anyway (no flags follow)
        rates = [rate_of(g) for g in groups.values() if rate_of(g) is not None]
    return small, max(rates) if rates else None


def _rows(dimension: str, groups: dict[str, _Group], rate_of, make):
    small, best = _judged(groups, rate_of)
    out = []
    for key in _order(dimension):
        if key not in groups:
            continue
        g, rate = groups[key], rate_of(groups[key])
        ratio = round(rate / best, 4) if rate is not None and best else None
        out.append(make(key, g, rate, ratio, reference=best is not None and best > 0 and rate == best
                        and not (small[key] and any(not v for v in small.values())),
                        small=small[key], flag=ratio is not None and ratio < FOUR_FIFTHS and not small[key]))
    return out


def build_report(cells: list[tuple]) -> tuple[int, list[OverallRow], float | None, list[UnknownRow], list[RateRow],
                                               list[ScoreRow]]:
    """The report's numbers from the aggregated cells (pure: tested on its own)."""
    total = _Group()
    dims: dict[str, dict[str, _Group]] = {d: {} for d in DIMENSIONS}
    unknown = {d: Counter() for d in ("sex", "race_ethnicity")}
    for sex, race, passed, advanced, hired, score, n in cells:
        flags = {"ai_pass": passed, "advanced": advanced, "hired": hired}
        keys = {"sex": sex if sex in _SEX_KNOWN else None, "race_ethnicity": race if race in _RACE_KNOWN else None}
        for dim, raw in (("sex", sex), ("race_ethnicity", race)):
            if keys[dim] is None:
                unknown[dim]["prefer_not_to_say" if raw == _DECLINED else "not_answered"] += n
        if keys["sex"] and keys["race_ethnicity"]:
            keys["intersection"] = f"{keys['sex']}|{keys['race_ethnicity']}"
        for g in [total] + [dims[d].setdefault(k, _Group()) for d, k in keys.items() if k]:
            g.n += n
            for decision, hit in flags.items():
                g.selected[decision] += n if hit else 0
            if score is not None:
                g.scores[int(score)] += n
    overall = [OverallRow(decision=d, decision_label=label, selected=total.selected[d],
                          rate=_ratio(total.selected[d], total.n)) for d, label in DECISIONS.items()]
    median = median_of(total.scores)
    rates: list[RateRow] = []
    scores: list[ScoreRow] = []
    for dim, groups in dims.items():
        for decision, label in DECISIONS.items():
            rates += _rows(dim, groups, lambda g, d=decision: _ratio(g.selected[d], g.n),
                           lambda key, g, rate, ratio, reference, small, flag, d=decision, lab=label, dm=dim: RateRow(
                               decision=d, decision_label=lab, dimension=dm, group=key, group_label=_label(dm, key),
                               applicants=g.n, selected=g.selected[d], rate=rate, impact_ratio=ratio,
                               reference=reference, small=small, four_fifths_flag=flag))

        def above(g: _Group) -> int:
            return sum(c for v, c in g.scores.items() if median is not None and v > median)

        scores += _rows(dim, groups, lambda g: _ratio(above(g), sum(g.scores.values())),
                        lambda key, g, rate, ratio, reference, small, flag, dm=dim: ScoreRow(
                            dimension=dm, group=key, group_label=_label(dm, key), applicants=g.n,
                            median_score=median_of(g.scores), above_median=above(g), scoring_rate=rate,
                            impact_ratio=ratio, reference=reference, small=small, four_fifths_flag=flag))
    unknown_rows = [UnknownRow(dimension=d, not_answered=c["not_answered"], prefer_not_to_say=c["prefer_not_to_say"])
                    for d, c in unknown.items()]
    return total.n, overall, median, unknown_rows, rates, scores


def impact_report(session: Session, actor: Actor, *, company_id: uuid.UUID | None = None,
                  job_template_id: uuid.UUID | None = None, date_from: date | None = None,
                  date_to: date | None = None) -> ImpactReport:
    target = _company(actor, company_id)
    start, end = resolve_range(date_from, date_to)
    job_title = "All jobs"
    if job_template_id is not None:
        job = get_in_tenant(session, JobTemplate, job_template_id, actor, what="Job", code="JOB_404")
        if job.company_id != target:
            raise E.NotFoundError("Job not found.", code="JOB_404")
        job_title = job.title
    company = session.get(Company, target)
    if company is None:
        raise E.NotFoundError("Company not found.", code=E.COMPANY_NOT_FOUND)
    cells = _cells(session, target, job_template_id, datetime.combine(start, time.min, UTC),
                   datetime.combine(end + timedelta(days=1), time.min, UTC))
    applicants, overall, median, unknown, rates, scores = build_report(cells)
    return ImpactReport(company_id=target, company_name=company.name, job_template_id=job_template_id,
                        job_title=job_title, date_from=start, date_to=end, generated_at=datetime.now(UTC),
                        applicants=applicants, overall=overall, overall_median_score=median, unknown=unknown,
                        rates=rates, scores=scores)


# ------------------------------------------------------------------------------ CSV
CSV_COLUMNS = ["section", "decision", "dimension", "group", "applicants", "selected", "rate", "impact_ratio",
               "median_score", "reference_group", "too_small_to_judge", "below_four_fifths"]


def _num(value: float | None) -> str:
    return "" if value is None else f"{value:.4f}".rstrip("0").rstrip(".") if value != int(value) else str(int(value))


def report_csv(report: ImpactReport) -> str:
    """The report as one CSV table: selection rates, scoring rates, unknown counts."""
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(CSV_COLUMNS)
    scope = f"{report.company_name} / {report.job_title} / {report.date_from} to {report.date_to}"
    w.writerow(["summary", "", "", scope, report.applicants, "", "", "", _num(report.overall_median_score), "", "", ""])
    for o in report.overall:
        w.writerow(["overall", o.decision, "", "all", report.applicants, o.selected, _num(o.rate), "", "", "", "", ""])
    for r in report.rates:
        w.writerow(["selection", r.decision, r.dimension, r.group_label, r.applicants, r.selected, _num(r.rate),
                    _num(r.impact_ratio), "", "yes" if r.reference else "", "yes" if r.small else "",
                    "yes" if r.four_fifths_flag else ""])
    for s in report.scores:
        w.writerow(["scoring", "score_above_median", s.dimension, s.group_label, s.applicants, s.above_median,
                    _num(s.scoring_rate), _num(s.impact_ratio), _num(s.median_score), "yes" if s.reference else "",
                    "yes" if s.small else "", "yes" if s.four_fifths_flag else ""])
    for u in report.unknown:
        w.writerow(["unknown", "", u.dimension, "not answered", u.not_answered, "", "", "", "", "", "", ""])
        w.writerow(["unknown", "", u.dimension, "prefer not to say", u.prefer_not_to_say, "", "", "", "", "", "", ""])
    return out.getvalue()
