"""candidate rights: accommodation_requests (HR's task list) and privacy_links (export / erasure by link)

* ``accommodation_requests``: a candidate's request for more time, typing only or another format,
  open until HR answers it in the app (the answer is emailed to the candidate).
* ``privacy_links``: the emailed, short-lived link to one company's data about one email address,
  for candidates without an account; only the SHA-256 of the token is stored.

Revision ID: 0012_rights
Revises: 0011
Create Date: 2026-12-02
"""
from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op
from interviewer.models.types import UTCDateTime

revision: str = "0012_rights"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "accommodation_requests",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("company_id", sa.Uuid(), nullable=False),
        sa.Column("interview_id", sa.Uuid(), nullable=False),
        sa.Column("candidate_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("status", sa.Enum("open", "answered", name="accommodation_status", native_enum=False,
                                    create_constraint=True, length=16), nullable=False),
        sa.Column("answer", sa.Text(), nullable=True),
        sa.Column("answered_by", sa.Uuid(), nullable=True),
        sa.Column("answered_at", UTCDateTime(), nullable=True),
        sa.Column("created_at", UTCDateTime(), server_default=sa.func.now(), nullable=False),
        sa.ForeignKeyConstraint(["company_id"], ["companies.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["interview_id"], ["interviews.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["candidate_id"], ["candidates.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["answered_by"], ["users.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("idx_accommodation_requests_company_status", "accommodation_requests",
                    ["company_id", "status", "created_at"])
    op.create_index("idx_accommodation_requests_interview", "accommodation_requests", ["interview_id"])
    op.create_table(
        "privacy_links",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("company_id", sa.Uuid(), nullable=False),
        sa.Column("email", sa.String(length=255), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("expires_at", UTCDateTime(), nullable=False),
        sa.Column("used_at", UTCDateTime(), nullable=True),
        sa.Column("ip_address", sa.String(length=64), nullable=True),
        sa.Column("created_at", UTCDateTime(), server_default=sa.func.now(), nullable=False),
        sa.ForeignKeyConstraint(["company_id"], ["companies.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("token_hash"),
    )
    op.create_index("idx_privacy_links_company_email", "privacy_links", ["company_id", "email"])


def downgrade() -> None:
    op.drop_index("idx_privacy_links_company_email", table_name="privacy_links")
    op.drop_table("privacy_links")
    op.drop_index("idx_accommodation_requests_interview", table_name="accommodation_requests")
    op.drop_index("idx_accommodation_requests_company_status", table_name="accommodation_requests")
    op.drop_table("accommodation_requests")
