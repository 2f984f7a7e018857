"""ai layer and live interview

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26 16:38:38.728565
"""
from typing import Sequence, Union

import sqlalchemy as sa
import sqlmodel  # noqa: F401
from alembic import op
from interviewer.models.types import UTCDateTime
from sqlalchemy.dialects import postgresql

revision: str = '0003'
down_revision: Union[str, None] = '0002'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:

    op.create_table('resume_checks',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('user_id', sa.Uuid(), nullable=True),
    sa.Column('candidate_id', sa.Uuid(), nullable=True),
    sa.Column('company_id', sa.Uuid(), nullable=True),
    sa.Column('filename', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
    sa.Column('file_path', sa.Text(), nullable=False),
    sa.Column('job_description', sa.Text(), nullable=True),
    sa.Column('status', sa.Enum('queued', 'running', 'completed', 'failed', name='resume_check_status', native_enum=False, create_constraint=True, length=17), server_default='queued', nullable=False),
    sa.Column('provider', sqlmodel.sql.sqltypes.AutoString(length=50), nullable=True),
    sa.Column('result', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=True),
    sa.Column('score', sa.Integer(), nullable=True),
    sa.Column('error_code', sqlmodel.sql.sqltypes.AutoString(length=50), nullable=True),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('created_at', UTCDateTime(), server_default=sa.func.now(), nullable=False),
    sa.Column('completed_at', UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['candidate_id'], ['candidates.id'], name=op.f('fk_resume_checks_candidate_id_candidates'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_resume_checks_company_id_companies'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_resume_checks_user_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_resume_checks'))
    )
    with op.batch_alter_table('resume_checks', schema=None) as batch_op:
        batch_op.create_index('idx_resume_checks_candidate', ['candidate_id'], unique=False)
        batch_op.create_index('idx_resume_checks_user_created', ['user_id', 'created_at'], unique=False)

    op.create_table('integrity_signals',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('interview_id', sa.Uuid(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=30), nullable=False),
    sa.Column('detail', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('occurred_at', UTCDateTime(), nullable=False),
    sa.Column('created_at', UTCDateTime(), server_default=sa.func.now(), nullable=False),
    sa.ForeignKeyConstraint(['interview_id'], ['interviews.id'], name=op.f('fk_integrity_signals_interview_id_interviews'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_integrity_signals'))
    )
    with op.batch_alter_table('integrity_signals', schema=None) as batch_op:
        batch_op.create_index('idx_integrity_signals_interview', ['interview_id', 'occurred_at'], unique=False)

    op.create_table('transcript_entries',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('interview_id', sa.Uuid(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.Uuid(), nullable=True),
    sa.Column('question_index', sa.Integer(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('speaker', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('started_ms', sa.Integer(), nullable=True),
    sa.Column('ended_ms', sa.Integer(), nullable=True),
    sa.Column('confidence', sa.Float(), nullable=True),
    sa.Column('source', sqlmodel.sql.sqltypes.AutoString(length=30), nullable=True),
    sa.Column('created_at', UTCDateTime(), server_default=sa.func.now(), nullable=False),
    sa.ForeignKeyConstraint(['interview_id'], ['interviews.id'], name=op.f('fk_transcript_entries_interview_id_interviews'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['question_id'], ['questions.id'], name=op.f('fk_transcript_entries_question_id_questions'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_transcript_entries')),
    sa.UniqueConstraint('interview_id', 'seq', name='uq_transcript_entries_interview_seq')
    )
    with op.batch_alter_table('transcript_entries', schema=None) as batch_op:
        batch_op.create_index('idx_transcript_entries_interview', ['interview_id', 'seq'], unique=False)

    with op.batch_alter_table('candidates', schema=None) as batch_op:
        batch_op.add_column(sa.Column('ats_score', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('ats_checked_at', UTCDateTime(), nullable=True))

    with op.batch_alter_table('interviews', schema=None) as batch_op:
        batch_op.add_column(sa.Column('scoring_status', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True))
        batch_op.add_column(sa.Column('scoring_error', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('verdict_override', sa.Enum('PASS', 'REVIEW', 'FAIL', name='verdict_override', native_enum=False, create_constraint=True, length=14), nullable=True))
        batch_op.add_column(sa.Column('override_reason', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('overridden_by', sa.Uuid(), nullable=True))
        batch_op.add_column(sa.Column('overridden_at', UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column('current_question_index', sa.Integer(), server_default='0', nullable=False))
        batch_op.create_foreign_key(batch_op.f('fk_interviews_overridden_by_users'), 'users', ['overridden_by'], ['id'], ondelete='SET NULL')

    with op.batch_alter_table('questions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True))
        batch_op.add_column(sa.Column('difficulty', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True))
        batch_op.add_column(sa.Column('source', sqlmodel.sql.sqltypes.AutoString(length=20), server_default='manual', nullable=False))




def downgrade() -> None:

    with op.batch_alter_table('questions', schema=None) as batch_op:
        batch_op.drop_column('source')
        batch_op.drop_column('difficulty')
        batch_op.drop_column('kind')

    with op.batch_alter_table('interviews', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_interviews_overridden_by_users'), type_='foreignkey')
        batch_op.drop_column('current_question_index')
        batch_op.drop_column('overridden_at')
        batch_op.drop_column('overridden_by')
        batch_op.drop_column('override_reason')
        batch_op.drop_constraint(op.f('ck_interviews_verdict_override'), type_='check')
        batch_op.drop_column('verdict_override')
        batch_op.drop_column('scoring_error')
        batch_op.drop_column('scoring_status')

    with op.batch_alter_table('candidates', schema=None) as batch_op:
        batch_op.drop_column('ats_checked_at')
        batch_op.drop_column('ats_score')

    with op.batch_alter_table('transcript_entries', schema=None) as batch_op:
        batch_op.drop_index('idx_transcript_entries_interview')

    op.drop_table('transcript_entries')
    with op.batch_alter_table('integrity_signals', schema=None) as batch_op:
        batch_op.drop_index('idx_integrity_signals_interview')

    op.drop_table('integrity_signals')
    with op.batch_alter_table('resume_checks', schema=None) as batch_op:
        batch_op.drop_index('idx_resume_checks_user_created')
        batch_op.drop_index('idx_resume_checks_candidate')

    op.drop_table('resume_checks')

