"""transcript entries: latency (the turn's latency budget on the last utterance of a spoken answer)

JSON: endpoint_ms, transcript_ms, decision_ms, send_ms, total_ms, reason, stt, question_index,
attempt (interviewer.live.latency). Nullable; no backfill (older turns were not measured).

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02
"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0011"
down_revision: Union[str, None] = "0010"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table("transcript_entries", schema=None) as batch_op:
        batch_op.add_column(sa.Column(
            "latency", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("transcript_entries", schema=None) as batch_op:
        batch_op.drop_column("latency")
