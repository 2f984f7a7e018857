"""The adverse-impact report on a seeded population whose rates are known (tests/fairness_fixtures.py):
exact selection rates, impact ratios, four-fifths flags, small-group warnings, unknown counts,
medians and scoring rates; the date range, the job filter, tenancy and the permission."""

from __future__ import annotations

import statistics
from collections import Counter
from datetime import UTC, date

import pytest

from interviewer.core import errors as E
from interviewer.db import session_scope
from interviewer.models import User, UserRole
from interviewer.services import fairness
from interviewer.services.authz import actor_for
from tests.factories import make_tenant, make_user
from tests.fairness_fixtures import POPULATION, F, M, score_of, seed_population

FROM, TO = date(2026, 3, 1), date(2026, 6, 30)


def compliance_user(company_id):
    from interviewer.models import CustomRole

    with session_scope() as s:
        role = CustomRole(company_id=company_id, name=f"Compliance {company_id.hex[:4]}",
                          permissions=["compliance:read"])
        s.add(role)
        s.flush()
        role_id = role.id
    return make_user(UserRole.EMPLOYEE, company_id, custom_role_id=role_id)


def report(user, **kw):
    with session_scope(readonly=True) as s:
        return fairness.impact_report(s, actor_for(s, s.get(User, user.id)), **kw)


def rows(rep, decision, dimension):
    return {r.group: r for r in rep.rates if r.decision == decision and r.dimension == dimension}


def test_selection_rates_ratios_and_flags_are_exact():
    acme = make_tenant()
    seeded = seed_population(acme.company.id)
    rep = report(compliance_user(acme.company.id), job_template_id=seeded.job_id, date_from=FROM, date_to=TO)
    assert rep.applicants == 50 and rep.job_title == "Backend Engineer"
    assert {o.decision: (o.selected, o.rate) for o in rep.overall} == {
        "ai_pass": (22, 0.44), "advanced": (12, 0.24), "hired": (4, 0.08)}

    sex = rows(rep, "ai_pass", "sex")
    assert set(sex) == {"male", "female"}
    assert (sex["male"].applicants, sex["male"].selected, sex["male"].rate) == (21, 12, round(12 / 21, 4))
    assert (sex["female"].applicants, sex["female"].selected, sex["female"].rate) == (23, 8, round(8 / 23, 4))
    assert sex["male"].reference and sex["male"].impact_ratio == 1.0 and not sex["male"].four_fifths_flag
    assert sex["female"].impact_ratio == round(round(8 / 23, 4) / round(12 / 21, 4), 4)  # 0.6087
    assert sex["female"].four_fifths_flag and not sex["female"].reference

    race = rows(rep, "ai_pass", "race_ethnicity")
    assert {k: (r.applicants, r.selected, r.rate) for k, r in race.items()} == {
        "white": (20, 10, 0.5), "asian": (20, 8, 0.4), "black": (3, 1, 0.3333)}
    assert race["white"].reference
    assert race["asian"].impact_ratio == 0.8 and not race["asian"].four_fifths_flag  # exactly 4/5 is not below
    assert race["black"].small and race["black"].impact_ratio == 0.6666 and not race["black"].four_fifths_flag

    inter = rows(rep, "ai_pass", "intersection")
    assert {k: (r.rate, r.impact_ratio, r.four_fifths_flag, r.small) for k, r in inter.items()} == {
        "male|white": (0.6, 1.0, False, False), "male|asian": (0.5, 0.8333, False, False),
        "female|white": (0.4, 0.6667, True, False), "female|asian": (0.3, 0.5, True, False),
        "female|black": (0.3333, 0.5555, False, True)}

    # advanced: offers and hires, one of them only in the status history (offer, then withdrew)
    adv = rows(rep, "advanced", "race_ethnicity")
    assert {k: (r.selected, r.rate) for k, r in adv.items()} == {"white": (6, 0.3), "asian": (5, 0.25),
                                                                  "black": (0, 0.0)}
    assert adv["asian"].impact_ratio == round(0.25 / 0.3, 4) and not adv["asian"].four_fifths_flag
    hired = rows(rep, "hired", "sex")
    assert (hired["male"].rate, hired["female"].rate) == (round(3 / 21, 4), round(1 / 23, 4))
    assert hired["female"].four_fifths_flag and hired["female"].impact_ratio == round(
        round(1 / 23, 4) / round(3 / 21, 4), 4)


def test_unknown_categories_are_counted_not_compared():
    acme = make_tenant()
    seeded = seed_population(acme.company.id)
    rep = report(compliance_user(acme.company.id), job_template_id=seeded.job_id, date_from=FROM, date_to=TO)
    unknown = {u.dimension: (u.not_answered, u.prefer_not_to_say) for u in rep.unknown}
    assert unknown == {"sex": (4, 2), "race_ethnicity": (5, 2)}
    assert not any(r.group in ("unknown", "prefer_not_to_say") for r in rep.rates + rep.scores)


def test_score_medians_and_scoring_rates():
    acme = make_tenant()
    seeded = seed_population(acme.company.id)
    rep = report(compliance_user(acme.company.id), job_template_id=seeded.job_id, date_from=FROM, date_to=TO)
    people = [(sex, race, score_of(sex, race, i < passed)) for sex, race, n, passed, *_ in POPULATION
              for i in range(n)]
    overall = statistics.median(s for *_, s in people)
    assert rep.overall_median_score == overall == 50
    by_sex = {k: [s for sx, _, s in people if sx == v] for k, v in (("male", M), ("female", F))}
    scores = {r.group: r for r in rep.scores if r.dimension == "sex"}
    for key, values in by_sex.items():
        above = sum(v > overall for v in values)
        assert scores[key].median_score == statistics.median(values)
        assert (scores[key].above_median, scores[key].scoring_rate) == (above, round(above / len(values), 4))
    assert scores["female"].four_fifths_flag and scores["male"].reference
    inter = {r.group: r.median_score for r in rep.scores if r.dimension == "intersection"}
    assert inter == {"male|white": 80, "male|asian": 60, "female|white": 45, "female|asian": 45,
                     "female|black": 45}


def test_date_range_and_job_filter():
    acme = make_tenant()
    seeded = seed_population(acme.company.id)
    user = compliance_user(acme.company.id)
    # company-wide, wider range: the earlier hire and the other job's interview come in
    wide = report(user, date_from=date(2026, 1, 1), date_to=date(2026, 12, 31))
    assert wide.applicants == 52 and wide.job_title == "All jobs"
    assert report(user, job_template_id=seeded.other_job_id, date_from=FROM, date_to=TO).applicants == 0
    empty = report(user, job_template_id=seeded.other_job_id, date_from=FROM, date_to=TO)
    assert empty.rates == [] and all(o.rate is None for o in empty.overall)
    with pytest.raises(E.ValidationError):
        report(user, date_from=TO, date_to=FROM)


def test_only_compliance_reads_and_only_its_own_company():
    acme, globex = make_tenant("Acme"), make_tenant("Globex")
    seeded = seed_population(acme.company.id)
    seed_population(globex.company.id)
    for who in (acme.hr, acme.employee):  # HR does not hold compliance:read by default
        with pytest.raises(E.PermissionDeniedError):
            report(who, date_from=FROM, date_to=TO)
    spy = compliance_user(globex.company.id)
    with pytest.raises(E.PermissionDeniedError):  # naming another company is refused
        report(spy, company_id=acme.company.id, date_from=FROM, date_to=TO)
    with pytest.raises(E.NotFoundError):  # and so is another company's job
        report(spy, job_template_id=seeded.job_id, date_from=FROM, date_to=TO)
    own = report(spy, date_from=FROM, date_to=TO)
    assert own.company_id == globex.company.id and own.applicants == 50  # its own seeded people only


def test_median_of_histograms():
    assert fairness.median_of(Counter()) is None
    assert fairness.median_of(Counter({3: 1})) == 3
    assert fairness.median_of(Counter({1: 1, 2: 1})) == 1.5
    assert fairness.median_of(Counter({10: 2, 20: 1, 30: 3})) == 25


def test_csv_export_carries_every_row():
    acme = make_tenant()
    seeded = seed_population(acme.company.id)
    rep = report(compliance_user(acme.company.id), job_template_id=seeded.job_id, date_from=FROM, date_to=TO)
    text = fairness.report_csv(rep)
    lines = text.strip().split("\n")
    assert lines[0].split(",") == fairness.CSV_COLUMNS
    assert len(lines) == 1 + 1 + 3 + len(rep.rates) + len(rep.scores) + 4
    assert "selection,ai_pass,sex,Female,23,8,0.3478,0.6087,,,,yes" in lines
    assert "unknown,,race_ethnicity,not answered,5,,,,,,," in lines


def test_the_same_numbers_on_sqlite(tmp_path):
    """The embedded default (no DATABASE_URL) runs the same query on SQLite."""
    from contextlib import contextmanager

    import sqlalchemy as sa
    from sqlmodel import Session, SQLModel

    from interviewer.models import Company

    pg = make_tenant()
    pg_seeded = seed_population(pg.company.id)
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'fair.db'}")
    SQLModel.metadata.create_all(engine)

    @contextmanager
    def sqlite_session():
        with Session(engine) as s:
            yield s
            s.commit()

    with sqlite_session() as s:
        company = Company(name="Acme")
        s.add(company)
        s.flush()
        company_id = company.id
    seeded = seed_population(company_id, session_factory=sqlite_session)
    start, end = fairness.resolve_range(FROM, TO)
    from datetime import datetime, time, timedelta

    bounds = (datetime.combine(start, time.min, UTC),
              datetime.combine(end + timedelta(days=1), time.min, UTC))
    with sqlite_session() as s:
        lite = sorted(fairness._cells(s, company_id, seeded.job_id, *bounds), key=repr)
    with session_scope(readonly=True) as s:
        pg_cells = sorted(fairness._cells(s, pg.company.id, pg_seeded.job_id, *bounds), key=repr)
    assert lite == pg_cells and sum(c[-1] for c in lite) == 50
    engine.dispose()
