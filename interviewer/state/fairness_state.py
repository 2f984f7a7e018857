"""/fairness: the adverse-impact report for users with ``compliance:read`` (services/fairness.py).

Only aggregates reach this state: per-group counts, rates and ratios; never a person's answer."""

from __future__ import annotations

import dataclasses
import uuid
from datetime import date

import reflex as rx
from sqlmodel import Session

from interviewer.core import errors as E
from interviewer.services import companies as company_service
from interviewer.services import fairness
from interviewer.services.fairness import DIMENSIONS, FOUR_FIFTHS  # the page reads them through the state
from interviewer.services.authz import Actor
from interviewer.state.auth_state import AuthState

ALL_JOBS = "all"


@dataclasses.dataclass
class JobOption:
    id: str = ""
    title: str = ""


@dataclasses.dataclass
class OverallView:
    label: str = ""
    selected: int = 0
    rate: str = ""


@dataclasses.dataclass
class RateView:
    decision: str = ""
    dimension: str = ""
    group: str = ""
    applicants: int = 0
    selected: int = 0
    rate: str = ""
    ratio: str = ""
    rate_pct: float = 0.0
    flag: bool = False
    small: bool = False
    reference: bool = False


@dataclasses.dataclass
class SummaryRow:
    """One line of the printable summary: a category with every decision point side by side."""

    dimension: str = ""
    group: str = ""
    applicants: int = 0
    cells: list[str] = dataclasses.field(default_factory=list)
    flags: list[bool] = dataclasses.field(default_factory=list)
    small: bool = False


@dataclasses.dataclass
class UnknownView:
    dimension: str = ""
    not_answered: int = 0
    prefer_not_to_say: int = 0


def pct(value: float | None) -> str:
    return "–" if value is None else f"{value * 100:.1f}%"


def ratio_text(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}"


def _parse_date(value: str) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        raise E.ValidationError("Dates must look like 2026-01-31.") from None


class FairnessState(AuthState):
    admin_view: bool = False            # a system admin audits any company: they choose which
    companies: list[JobOption] = []     # (id, name) for the admin's company choice
    company_id: str = ""
    jobs: list[JobOption] = []
    job_id: str = ALL_JOBS
    date_from: str = ""
    date_to: str = ""
    loaded: bool = False
    has_report: bool = False
    decision: str = "ai_pass"
    dimension: str = "sex"

    company_name: str = ""
    job_title: str = ""
    range_text: str = ""
    generated: str = ""
    applicants: int = 0
    median_score: str = ""
    overall: list[OverallView] = []
    unknown: list[UnknownView] = []
    rates: list[RateView] = []
    summary: list[SummaryRow] = []
    flagged: int = 0
    min_group_size: int = fairness.MIN_GROUP_SIZE

    # --- loading ------------------------------------------------------------------------
    def _company(self) -> uuid.UUID | None:
        return uuid.UUID(self.company_id) if self.admin_view and self.company_id else None

    def _query(self) -> dict:
        return {"company_id": self._company(),
                "job_template_id": uuid.UUID(self.job_id) if self.job_id not in ("", ALL_JOBS) else None,
                "date_from": _parse_date(self.date_from), "date_to": _parse_date(self.date_to)}

    def _compute(self, session: Session, actor: Actor) -> None:
        report = fairness.impact_report(session, actor, **self._query())
        self.date_from, self.date_to = report.date_from.isoformat(), report.date_to.isoformat()
        self.company_name, self.job_title = report.company_name, report.job_title
        self.range_text = f"{report.date_from:%d %b %Y} – {report.date_to:%d %b %Y}"
        self.generated = f"{report.generated_at:%d %b %Y %H:%M} UTC"
        self.applicants = report.applicants
        self.median_score = "–" if report.overall_median_score is None else f"{report.overall_median_score:g}"
        self.overall = [OverallView(label=o.decision_label, selected=o.selected, rate=pct(o.rate))
                        for o in report.overall]
        self.unknown = [UnknownView(dimension=fairness.DIMENSIONS[u.dimension], not_answered=u.not_answered,
                                    prefer_not_to_say=u.prefer_not_to_say) for u in report.unknown]
        self.rates = [RateView(decision=r.decision, dimension=r.dimension, group=r.group_label,
                               applicants=r.applicants, selected=r.selected, rate=pct(r.rate),
                               ratio=ratio_text(r.impact_ratio), rate_pct=round((r.rate or 0) * 100, 1),
                               flag=r.four_fifths_flag, small=r.small, reference=r.reference) for r in report.rates]
        self.flagged = sum(r.four_fifths_flag for r in report.rates) + sum(s.four_fifths_flag for s in report.scores)
        self.summary = self._summary(report)
        self.has_report, self.loaded = True, True

    @staticmethod
    def _summary(report: fairness.ImpactReport) -> list[SummaryRow]:
        rows: dict[tuple[str, str], SummaryRow] = {}
        for r in report.rates:
            row = rows.setdefault((r.dimension, r.group), SummaryRow(
                dimension=fairness.DIMENSIONS[r.dimension], group=r.group_label, applicants=r.applicants,
                small=r.small))
            row.cells += [pct(r.rate), ratio_text(r.impact_ratio)]
            row.flags += [False, r.four_fifths_flag]
        for s in report.scores:
            row = rows[(s.dimension, s.group)]
            row.cells += ["–" if s.median_score is None else f"{s.median_score:g}", pct(s.scoring_rate),
                          ratio_text(s.impact_ratio)]
            row.flags += [False, False, s.four_fifths_flag]
        return list(rows.values())

    def _load(self, session: Session, actor: Actor) -> None:
        self.admin_view = actor.is_admin
        if actor.is_admin:
            self.companies = [JobOption(id=i, title=n) for i, n in company_service.company_choices(session, actor)]
            if not any(c.id == self.company_id for c in self.companies):
                self.company_id = self.companies[0].id if self.companies else ""
            if not self.company_id:  # no company yet: nothing to audit
                self.jobs, self.loaded = [], True
                return
        self._load_company(session, actor)

    def _load_company(self, session: Session, actor: Actor) -> None:
        self.jobs = [JobOption(id=str(j.id), title=j.title)
                     for j in fairness.list_report_jobs(session, actor, company_id=self._company())]
        if not any(j.id == self.job_id for j in self.jobs):
            self.job_id = ALL_JOBS
        self._compute(session, actor)

    @rx.event
    def load(self):
        self.has_report = self.loaded = False
        return self._run(self._load, page_load=True)

    @rx.event
    def run_report(self):
        return self._run(self._compute)

    # --- filters ------------------------------------------------------------------------
    @rx.event
    def set_company(self, value: str):
        if not self.admin_view or not any(c.id == value for c in self.companies):
            return None
        self.company_id, self.job_id, self.has_report = value, ALL_JOBS, False
        return self._run(self._load_company)

    @rx.event
    def set_job(self, value: str):
        self.job_id = value if value == ALL_JOBS or any(j.id == value for j in self.jobs) else ALL_JOBS
        return FairnessState.run_report

    @rx.event
    def set_date_from(self, value: str):
        self.date_from = value[:10]

    @rx.event
    def set_date_to(self, value: str):
        self.date_to = value[:10]

    @rx.event
    def set_decision(self, value: str | list[str]):
        value = value[0] if isinstance(value, list) and value else value
        self.decision = value if isinstance(value, str) and value in fairness.DECISIONS else "ai_pass"

    @rx.event
    def set_dimension(self, value: str | list[str]):
        value = value[0] if isinstance(value, list) and value else value
        self.dimension = value if isinstance(value, str) and value in fairness.DIMENSIONS else "sex"

    # --- views --------------------------------------------------------------------------
    @rx.var
    def shown(self) -> list[RateView]:
        return [r for r in self.rates if r.decision == self.decision and r.dimension == self.dimension]

    @rx.var
    def chart_data(self) -> list[dict]:
        return [{"group": r.group, "rate": r.rate_pct,
                 "fill": "var(--red-9)" if r.flag else "var(--gray-8)" if r.small else "var(--indigo-9)"}
                for r in self.shown]

    @rx.var
    def threshold_pct(self) -> float:
        """Four fifths of the reference (highest) rate: bars under this line are flagged."""
        best = max((r.rate_pct for r in self.shown if r.reference), default=0.0)
        return round(best * fairness.FOUR_FIFTHS, 1)

    @rx.var
    def chart_height(self) -> int:
        return 60 + 38 * max(1, len(self.shown))

    # --- export -------------------------------------------------------------------------
    @rx.event
    def download_csv(self):
        def _csv(session: Session, actor: Actor):
            report = fairness.impact_report(session, actor, **self._query())
            name = f"impact-report-{report.date_from}-{report.date_to}.csv"
            return rx.download(data=fairness.report_csv(report), filename=name, mime_type="text/csv")

        return self._run(_csv)
