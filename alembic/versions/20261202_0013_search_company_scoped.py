"""company-scoped candidate search indexes: one tenant's rows, e-mail domains, word starts (PostgreSQL)

Migration 0008's trigram indexes covered the whole table, so a search in one company read every
company's matches and threw the others away, and a term such as "@globex.test" combined trigrams
that nearly every address has ("com", "exa", ...). At 100,000 candidates that was p95 80-130 ms
(docs/benchmarks.md). Now:

- ``idx_pg_candidates_company_search_trgm``: one GIN index on ``(company_id, lower(name)
  gin_trgm_ops, email gin_trgm_ops)`` (``btree_gin`` gives the uuid column a GIN operator class),
  so the tenant filter and the substring are answered together from the index. It also serves
  searches without a company filter (a GIN index answers any subset of its columns), so the two
  table-wide candidate indexes of 0008 are dropped (the users' ones stay).
- ``idx_pg_candidates_company_email_domain``: a B-tree on ``(company_id, <the text after the
  address's "@">)`` with ``text_pattern_ops``; a term with an "@" ("@globex", "lee@globex.test")
  matches an address only if its domain starts with the part after the "@", an index range scan.
  The expression is ``interviewer.db.email_domain`` compiled for PostgreSQL, character for
  character (the planner matches index expressions textually).

Short terms (1-2 characters, no trigram of their own) match word starts: the name's words are
served by this GIN index (pg_trgm indexes " an" for a word starting "an"), the address's start by
0004's ``(company_id, email text_pattern_ops)`` and its domain's start by the B-tree above.

SQLite: nothing to build (its scans are fine at the sizes SQLite is meant for); the revision is
recorded. Index names start with ``idx_pg_`` so model/migration comparisons skip them.

Revision ID: 0013
Revises: 0012_rights
Create Date: 2026-12-02
"""
from collections.abc import Sequence

from alembic import op

revision: str = "0013"
down_revision: str | None = "0012_rights"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Keep in step with interviewer.db.EMAIL_DOMAIN_SQL (tests/services/test_search.py checks both).
EMAIL_DOMAIN = "substr(email, strpos(email, '@') + 1)"
NEW = {
    "idx_pg_candidates_company_search_trgm":
        "candidates USING gin (company_id, lower(name) gin_trgm_ops, email gin_trgm_ops)",
    "idx_pg_candidates_company_email_domain":
        f"candidates (company_id, ({EMAIL_DOMAIN}) text_pattern_ops)",
}
OLD = {
    "idx_pg_candidates_lname_trgm": "candidates USING gin (lower(name) gin_trgm_ops)",
    "idx_pg_candidates_email_trgm": "candidates USING gin (email gin_trgm_ops)",
}


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    # btree_gin, like pg_trgm, is a trusted extension (PostgreSQL 13+): the database owner may
    # create it.
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    op.execute("CREATE EXTENSION IF NOT EXISTS btree_gin")
    for name, definition in NEW.items():
        op.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {definition}")
    for name in OLD:
        op.execute(f"DROP INDEX IF EXISTS {name}")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for name, definition in OLD.items():
        op.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {definition}")
    for name in NEW:
        op.execute(f"DROP INDEX IF EXISTS {name}")
    # btree_gin stays, as pg_trgm does in 0008: it holds no data and others may use it.
