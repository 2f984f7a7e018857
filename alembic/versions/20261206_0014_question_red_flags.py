"""questions.red_flags: the wrong ideas HR lists for a question

A JSON list of short sentences, each a common wrong belief about one of the question's key points
("Adding an index makes inserts faster too."). The scorers read them: Gemini treats an answer that
states one as contradicting the point it is about; the offline judge doubts a point whose best
sentence resembles one more than the point (docs/scoring.md, offline-judge-12). Existing questions
get an empty list.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("questions") as batch:
        batch.add_column(sa.Column(
            "red_flags", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False, server_default=sa.text("'[]'")))


def downgrade() -> None:
    with op.batch_alter_table("questions") as batch:
        batch.drop_column("red_flags")
