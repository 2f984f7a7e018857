"""job fit: resume_profiles (per-candidate matcher input), job_fits (cached fit per job and candidate),
resume_checks.measures (format and fit numbers of an ATS check)

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from interviewer.models.types import UTCDateTime

revision: str = "0007"
down_revision: Union[str, None] = "0006"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

_JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    with op.batch_alter_table("resume_checks") as batch:
        batch.add_column(sa.Column("measures", _JSON, nullable=True))
    op.create_table(
        "resume_profiles",
        sa.Column("candidate_id", sa.Uuid(), nullable=False),
        sa.Column("company_id", sa.Uuid(), nullable=False),
        sa.Column("text_hash", sa.String(length=64), nullable=False),
        sa.Column("matcher_version", sa.String(length=40), nullable=False),
        sa.Column("profile", _JSON, nullable=False),
        sa.Column("embeddings", sa.LargeBinary(), nullable=True),
        sa.Column("computed_at", UTCDateTime(), server_default=sa.func.now(), nullable=False),
        sa.ForeignKeyConstraint(["candidate_id"], ["candidates.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["company_id"], ["companies.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("candidate_id"),
    )
    op.create_table(
        "job_fits",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("company_id", sa.Uuid(), nullable=False),
        sa.Column("job_template_id", sa.Uuid(), nullable=False),
        sa.Column("candidate_id", sa.Uuid(), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("inputs_hash", sa.String(length=64), nullable=False),
        sa.Column("matcher_version", sa.String(length=40), nullable=False),
        sa.Column("details", _JSON, nullable=False),
        sa.Column("computed_at", UTCDateTime(), server_default=sa.func.now(), nullable=False),
        sa.ForeignKeyConstraint(["company_id"], ["companies.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["job_template_id"], ["job_templates.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["candidate_id"], ["candidates.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("job_template_id", "candidate_id", name="uq_job_fits_job_candidate"),
    )
    op.create_index("idx_job_fits_job_score", "job_fits", ["job_template_id", "score"])
    op.create_index("idx_job_fits_candidate", "job_fits", ["candidate_id"])


def downgrade() -> None:
    op.drop_index("idx_job_fits_candidate", table_name="job_fits")
    op.drop_index("idx_job_fits_job_score", table_name="job_fits")
    op.drop_table("job_fits")
    op.drop_table("resume_profiles")
    with op.batch_alter_table("resume_checks") as batch:
        batch.drop_column("measures")
