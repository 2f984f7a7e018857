"""Search finds any part of a name or an e-mail (a last name, an e-mail domain), case-insensitively,
and a 1-2 character term at the start of a word, on PostgreSQL (served by the company-scoped
indexes of migration 0013) and on SQLite (issue 13, item 4)."""

from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import Session, SQLModel

import interviewer.models  # noqa: F401  (registers every table)
from interviewer.db import make_engine, session_scope
from interviewer.models import Candidate, Company, User, UserRole
from interviewer.services import candidates as candidate_service
from interviewer.services import users as user_service
from interviewer.services.authz import actor_for
from tests.factories import make_candidate, make_tenant, make_user

PEOPLE = [("Ada Lee", "ada@lee-family.example"), ("Priya Natarajan", "priya.n@globex.test"),
          ("Bruce Leeway", "bruce@wayne.test"), ("Zoë Ångström", "zoe@nordic.example"),
          ("Sam O'Neil", "sam_oneil@globex.test"), ("Carlene Ek", "carlene@ek-consult.example")]


def _names(rows) -> set[str]:
    return {r.name for r in rows}


def _search(session: Session, actor, term: str) -> set[str]:
    rows, total = candidate_service.list_candidates(session, actor, search=term, per_page=50)
    assert total == len(rows)
    return _names(rows)


def _check_candidate_search(session: Session, actor) -> None:
    assert _search(session, actor, "lee") == {"Ada Lee", "Bruce Leeway"}          # last name, substring
    assert _search(session, actor, "Natarajan") == {"Priya Natarajan"}            # a last name
    assert _search(session, actor, "globex.test") == {"Priya Natarajan", "Sam O'Neil"}  # an e-mail domain
    assert _search(session, actor, "@wayne") == {"Bruce Leeway"}
    assert _search(session, actor, "  ÅNGSTRÖM ") == {"Zoë Ångström"}            # case-folded beyond ASCII
    assert _search(session, actor, "o'neil") == {"Sam O'Neil"}
    assert _search(session, actor, "m_o") == {"Sam O'Neil"}                      # "_" is literal, not a wildcard
    assert _search(session, actor, "%") == set()
    assert _search(session, actor, "nobody") == set()
    # an "@" with a domain after it: the domain starts there (the indexed domain prefix)
    assert _search(session, actor, "@globex.test") == {"Priya Natarajan", "Sam O'Neil"}
    assert _search(session, actor, "n@GLOB") == {"Priya Natarajan"}               # end of a local part too
    assert _search(session, actor, "ada@lee") == {"Ada Lee"}
    assert _search(session, actor, "@lee") == {"Ada Lee"}                        # "lee-family.example"
    assert _search(session, actor, "@consult") == set()                          # no address has it
    assert _search(session, actor, "@ek-consult.example") == {"Carlene Ek"}
    assert _search(session, actor, "e@ek") == {"Carlene Ek"}
    # 1-2 characters: the start of a word of the name, of the address or of its domain
    assert _search(session, actor, "le") == {"Ada Lee", "Bruce Leeway"}          # not "Carlene"
    assert _search(session, actor, "EK") == {"Carlene Ek"}                       # a last name; its domain too
    assert _search(session, actor, "gl") == {"Priya Natarajan", "Sam O'Neil"}    # a domain's start
    assert _search(session, actor, "pr") == {"Priya Natarajan"}
    assert _search(session, actor, "ån") == {"Zoë Ångström"}
    assert _search(session, actor, "o'") == {"Sam O'Neil"}
    assert _search(session, actor, "b") == {"Bruce Leeway"}
    assert _search(session, actor, "ne") == set()                                # inside "Carlene", "O'Neil"
    assert _search(session, actor, "_") == set()                                 # inside "sam_oneil" only


def test_candidate_search_any_part_on_postgresql():
    t, other = make_tenant("Acme"), make_tenant("Globex")
    for name, email in PEOPLE:
        make_candidate(t.company.id, email, name=name)
    make_candidate(other.company.id, "lee@elsewhere.test", name="Other Lee")  # another tenant: never found
    with session_scope() as s:
        actor = actor_for(s, s.get(User, t.hr.id))
        _check_candidate_search(s, actor)
        assert _search(s, actor, "@elsewhere") == set()   # the other tenant's domain
        assert _search(s, actor, "ot") == set()           # the other tenant's "Other Lee"


def test_user_search_any_part_on_postgresql():
    t = make_tenant("Acme")
    make_user(UserRole.EMPLOYEE, t.company.id, "grace.hopper@navy.example", name="Grace Hopper")
    with session_scope() as s:
        actor = actor_for(s, s.get(User, t.hr.id))
        rows, _ = user_service.list_users(s, actor, search="hopper")
        assert _names(rows) == {"Grace Hopper"}
        rows, _ = user_service.list_users(s, actor, search="navy.example")
        assert _names(rows) == {"Grace Hopper"}
        rows, _ = user_service.list_users(s, actor, search="acme.test")
        assert _names(rows) == {"Acme HR", "Acme Dev"}


def _plan(s: Session, actor, term: str) -> str:
    """EXPLAIN of the page query ``list_candidates`` runs for ``term`` (sequential scans off: the
    test tables are tiny, the question is whether an index can answer)."""
    statements = []

    def grab(conn, cursor, statement, parameters, context, executemany):
        if "FROM candidates" in statement and "count(" not in statement:
            statements.append((statement, parameters))

    engine = s.get_bind()
    sa.event.listen(engine, "before_cursor_execute", grab)
    try:
        candidate_service.list_candidates(s, actor, search=term, per_page=1)
    finally:
        sa.event.remove(engine, "before_cursor_execute", grab)
    statement, parameters = statements[-1]
    s.exec(sa.text("SET LOCAL enable_seqscan = off"))
    s.exec(sa.text("SET LOCAL enable_indexscan = off"))  # not the date index walk: a bitmap of matches
    return "\n".join(s.connection().exec_driver_sql("EXPLAIN " + statement, parameters).scalars())


def test_search_indexes_are_company_scoped_and_serve_each_term_kind():
    """Migration 0013 replaced 0008's table-wide candidate trigram indexes with a company-scoped one
    and an e-mail domain index, and the planner answers each kind of term from them."""
    t, other = make_tenant("Acme"), make_tenant("Globex")
    with session_scope() as s:  # enough rows, in two companies, for the planner's statistics
        for company in (t.company.id, other.company.id):
            s.exec(sa.text(
                "INSERT INTO candidates (id, company_id, email, name, status, created_at) "
                "SELECT gen_random_uuid(), :company, 'person' || i || '@domain' || (i % 50) || '.example', "
                "'Person ' || md5(i::text), 'new', now() - i * interval '1 minute' "
                "FROM generate_series(1, 5000) AS i"), params={"company": company})
        # what autovacuum does: GIN's pending list merged into the index, fresh statistics
        s.exec(sa.text("SELECT gin_clean_pending_list('idx_pg_candidates_company_search_trgm')"))
        s.exec(sa.text("ANALYZE candidates"))
    with session_scope() as s:
        names = set(s.exec(sa.text("SELECT indexname FROM pg_indexes WHERE indexname LIKE 'idx_pg_%'")).scalars())
        assert {"idx_pg_candidates_company_search_trgm", "idx_pg_candidates_company_email_domain",
                "idx_pg_users_lname_trgm", "idx_pg_users_email_trgm"} <= names
        assert not names & {"idx_pg_candidates_lname_trgm", "idx_pg_candidates_email_trgm"}
        actor = actor_for(s, s.get(User, t.hr.id))
        substring = _plan(s, actor, "natarajan")
        assert "idx_pg_candidates_company_search_trgm" in substring and "company_id = " in substring, substring
        domain = _plan(s, actor, "@domain7.example")
        assert "idx_pg_candidates_company_email_domain" in domain, domain  # the expression matched the index
        short = _plan(s, actor, "le")
        assert "idx_pg_candidates_company_search_trgm" in short, short     # '% le%': a word-start trigram


def test_candidate_search_any_part_on_sqlite(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'search.db'}")
    SQLModel.metadata.create_all(engine)
    try:
        with Session(engine) as s:
            company = Company(name="Acme", domain="acme.test")
            s.add(company)
            s.flush()
            hr = User(email="hr@acme.test", name="Acme HR", role=UserRole.HR, company_id=company.id,
                      password_hash="!", email_verified=True, is_active=True)
            s.add(hr)
            for name, email in PEOPLE:
                s.add(Candidate(company_id=company.id, email=email, name=name))
            s.add(Candidate(company_id=company.id, email="x@y.test", name="Xavier Y"))
            s.commit()
            _check_candidate_search(s, actor_for(s, hr))
    finally:
        engine.dispose()
