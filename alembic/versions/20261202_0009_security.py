"""security: hashed interview link tokens, encrypted company AI keys, password-change session
cut-off, forgot-password tokens

- ``interviews.token`` now holds the SHA-256 (hex) of the link token; existing tokens are hashed
  in place, so links already sent keep working. ``interviews.token_salt`` lets the server
  re-derive links it issues from now on (services.interviews.link_token_of).
- ``interview_rounds.interview_link`` (a copy of the raw link) is dropped: the link is derived
  from the round's interview when staff read it.
- ``companies.settings.ai.api_key`` (plaintext) becomes ``api_key_enc`` (Fernet, ENCRYPTION_KEY).
- ``users.sessions_valid_after`` / ``kept_session_family``: a password change ends older sessions.
- ``password_reset_tokens``: single-use, short-lived, hashed forgot-password tokens.

Downgrade restores the schema and decrypts the AI keys; link tokens stay hashed (a hash cannot
be undone), so links sent before the downgrade stop working under the old code.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02
"""
import hashlib
import re
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

from interviewer.models.types import UTCDateTime

revision: str = "0009"
down_revision: Union[str, None] = "0008"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

_HASHED = re.compile(r"^[0-9a-f]{64}$")
_interviews = sa.table("interviews", sa.column("id", sa.Uuid()), sa.column("token", sa.String()))
_companies = sa.table("companies", sa.column("id", sa.Uuid()), sa.column("settings", sa.JSON()))


def _hash_link_tokens() -> None:
    bind = op.get_bind()
    rows = bind.execute(sa.select(_interviews.c.id, _interviews.c.token)).all()
    for interview_id, token in rows:
        if token and not _HASHED.match(token):
            digest = hashlib.sha256(token.encode()).hexdigest()
            bind.execute(_interviews.update().where(_interviews.c.id == interview_id).values(token=digest))


def _rewrite_ai_keys(transform) -> None:
    bind = op.get_bind()
    for company_id, settings in bind.execute(sa.select(_companies.c.id, _companies.c.settings)).all():
        ai = (settings or {}).get("ai") if isinstance(settings, dict) else None
        if not isinstance(ai, dict):
            continue
        new_ai = transform(ai)
        if new_ai != ai:
            bind.execute(_companies.update().where(_companies.c.id == company_id)
                         .values(settings={**settings, "ai": new_ai}))


def upgrade() -> None:
    with op.batch_alter_table("interviews") as batch_op:
        batch_op.add_column(sa.Column("token_salt", sa.String(length=64), nullable=True))
    _hash_link_tokens()
    with op.batch_alter_table("interview_rounds") as batch_op:
        batch_op.drop_column("interview_link")
    with op.batch_alter_table("users") as batch_op:
        batch_op.add_column(sa.Column("sessions_valid_after", UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column("kept_session_family", sa.Uuid(), nullable=True))
    op.create_table(
        "password_reset_tokens",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("expires_at", UTCDateTime(), nullable=False),
        sa.Column("used_at", UTCDateTime(), nullable=True),
        sa.Column("ip_address", sa.String(length=64), nullable=True),
        sa.Column("created_at", UTCDateTime(), server_default=sa.func.now(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("token_hash"),
    )
    op.create_index("idx_password_reset_tokens_user_id", "password_reset_tokens", ["user_id"])
    from interviewer.core.crypto import seal_secrets

    _rewrite_ai_keys(seal_secrets)


def downgrade() -> None:
    from interviewer.core.crypto import SecretDecryptError, open_secrets

    def _open(ai: dict) -> dict:
        try:
            return open_secrets(ai)
        except SecretDecryptError:
            return {k: v for k, v in ai.items() if k != "api_key_enc"}  # unreadable: the key is dropped

    _rewrite_ai_keys(_open)
    op.drop_index("idx_password_reset_tokens_user_id", table_name="password_reset_tokens")
    op.drop_table("password_reset_tokens")
    with op.batch_alter_table("users") as batch_op:
        batch_op.drop_column("kept_session_family")
        batch_op.drop_column("sessions_valid_after")
    with op.batch_alter_table("interview_rounds") as batch_op:
        batch_op.add_column(sa.Column("interview_link", sa.Text(), nullable=True))
    with op.batch_alter_table("interviews") as batch_op:
        batch_op.drop_column("token_salt")
