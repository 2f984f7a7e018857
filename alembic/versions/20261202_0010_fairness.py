"""fairness: self_identifications (voluntary sex and race/ethnicity, per interview, for bias audits)

Kept apart from ``candidates``: keyed by the interview, no candidate id, name or email; read only
in aggregate by ``services/fairness.py`` (permission ``compliance:read``).

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02
"""
from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op
from interviewer.models.types import UTCDateTime

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_SEX = ("female", "male", "another", "prefer_not_to_say")
_RACE = ("hispanic_latino", "white", "black", "native_hawaiian_pacific_islander", "asian",
         "american_indian_alaska_native", "two_or_more", "prefer_not_to_say")


def _enum(values: tuple[str, ...], name: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True,
                   length=max(len(v) for v in values) + 8)


def upgrade() -> None:
    op.create_table(
        "self_identifications",
        sa.Column("interview_id", sa.Uuid(), nullable=False),
        sa.Column("company_id", sa.Uuid(), nullable=False),
        sa.Column("sex", _enum(_SEX, "self_id_sex"), nullable=True),
        sa.Column("race_ethnicity", _enum(_RACE, "self_id_race"), nullable=True),
        sa.Column("created_at", UTCDateTime(), server_default=sa.func.now(), nullable=False),
        sa.ForeignKeyConstraint(["interview_id"], ["interviews.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["company_id"], ["companies.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("interview_id"),
    )
    op.create_index("idx_self_identifications_company", "self_identifications", ["company_id"])


def downgrade() -> None:
    op.drop_index("idx_self_identifications_company", table_name="self_identifications")
    op.drop_table("self_identifications")
