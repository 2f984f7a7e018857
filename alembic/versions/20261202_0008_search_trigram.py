"""search trigram indexes: substring search on candidate and user names and e-mails (PostgreSQL)

Search matches any part of a name or an e-mail ("lee" finds "Ada Lee", "example.org" finds every
address at that domain): ``lower(name) LIKE '%term%'``. A B-tree cannot serve a leading wildcard,
so PostgreSQL gets pg_trgm GIN indexes on exactly the expressions the services filter on. SQLite
has no such index type: there the migration only records the revision (its scans are fine at the
sizes SQLite is meant for).

The index names start with ``idx_pg_`` so model/migration comparisons skip them
(``interviewer.db.include_in_autogenerate``): the models cannot describe an operator-class index
that SQLite would also have to build.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02
"""
from typing import Sequence, Union

from alembic import op

revision: str = "0008"
down_revision: Union[str, None] = "0007"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

TRIGRAM_INDEXES = {
    "idx_pg_candidates_lname_trgm": ("candidates", "lower(name) gin_trgm_ops"),
    "idx_pg_candidates_email_trgm": ("candidates", "email gin_trgm_ops"),
    "idx_pg_users_lname_trgm": ("users", "lower(name) gin_trgm_ops"),
    "idx_pg_users_email_trgm": ("users", "email gin_trgm_ops"),
}


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    # pg_trgm is a trusted extension (PostgreSQL 13+): the database owner may create it.
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, (table, expression) in TRIGRAM_INDEXES.items():
        op.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin ({expression})")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for name in TRIGRAM_INDEXES:
        op.execute(f"DROP INDEX IF EXISTS {name}")
    # The pg_trgm extension stays: other objects (or an operator's own indexes) may use it, and
    # it holds no data.
