"""candidate list indexes: keyset listing per stage, prefix search on name and email (PostgreSQL)

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26
"""
from typing import Sequence, Union

from alembic import op

revision: str = "0004"
down_revision: Union[str, None] = "0003"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

PG_ONLY = {
    "idx_pg_candidates_company_lname_prefix": "(company_id, lower(name) text_pattern_ops)",
    "idx_pg_candidates_company_email_prefix": "(company_id, email text_pattern_ops)",
    "idx_pg_candidates_company_lname_sort": "(company_id, lower(name), id)",
}


def upgrade() -> None:
    with op.batch_alter_table("candidates", schema=None) as batch_op:
        batch_op.drop_index("idx_candidates_company_created")
        batch_op.create_index("idx_candidates_company_created", ["company_id", "created_at", "id"], unique=False)
        batch_op.create_index("idx_candidates_company_status_created", ["company_id", "status", "created_at", "id"],
                              unique=False)
    if op.get_bind().dialect.name == "postgresql":
        for name, columns in PG_ONLY.items():
            op.execute(f"CREATE INDEX {name} ON candidates {columns}")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for name in PG_ONLY:
            op.execute(f"DROP INDEX IF EXISTS {name}")
    with op.batch_alter_table("candidates", schema=None) as batch_op:
        batch_op.drop_index("idx_candidates_company_status_created")
        batch_op.drop_index("idx_candidates_company_created")
        batch_op.create_index("idx_candidates_company_created", ["company_id", "created_at"], unique=False)
