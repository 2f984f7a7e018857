"""initial schema

Revision ID: 0001
Revises: 
Create Date: 2026-11-26 16:26:55.930803
"""
from typing import Sequence, Union

import sqlalchemy as sa
import sqlmodel  # noqa: F401
from alembic import op
from interviewer.models.types import UTCDateTime
from sqlalchemy.dialects import postgresql

revision: str = '0001'
down_revision: Union[str, None] = None
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:

    op.create_table('companies',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
    sa.Column('domain', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=True),
    sa.Column('is_active', sa.Boolean(), server_default=sa.true(), nullable=False),
    sa.Column('settings', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), server_default='{}', nullable=False),
    sa.Column('created_at', UTCDateTime(), server_default=sa.func.now(), nullable=False),
    sa.Column('updated_at', UTCDateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_companies'))
    )
    op.create_table('custom_roles',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('company_id', sa.Uuid(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('description', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
    sa.Column('permissions', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('created_at', UTCDateTime(), server_default=sa.func.now(), nullable=False),
    sa.Column('updated_at', UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_custom_roles_company_id_companies'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_custom_roles')),
    sa.UniqueConstraint('company_id', 'name', name='uq_custom_roles_company_name')
    )
    op.create_table('email_outbox',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('company_id', sa.Uuid(), nullable=True),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=50), nullable=False),
    sa.Column('to_address', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
    sa.Column('subject', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.Column('body_text', sa.Text(), nullable=False),
    sa.Column('body_html', sa.Text(), nullable=True),
    sa.Column('attachments', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('status', sa.Enum('pending', 'sent', 'failed', 'outbox', name='email_status', native_enum=False, create_constraint=True, length=15), server_default='pending', nullable=False),
    sa.Column('attempts', sa.Integer(), server_default='0', nullable=False),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.Column('created_at', UTCDateTime(), server_default=sa.func.now(), nullable=False),
    sa.Column('sent_at', UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_email_outbox_company_id_companies'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_email_outbox'))
    )
    with op.batch_alter_table('email_outbox', schema=None) as batch_op:
        batch_op.create_index('idx_email_outbox_company', ['company_id', 'created_at'], unique=False)
        batch_op.create_index('idx_email_outbox_status', ['status', 'created_at'], unique=False)
        batch_op.create_index('idx_email_outbox_to', ['to_address'], unique=False)

    op.create_table('users',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('company_id', sa.Uuid(), nullable=True),
    sa.Column('email', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
    sa.Column('password_hash', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
    sa.Column('role', sa.Enum('SYSTEM_ADMIN', 'HR', 'EMPLOYEE', 'CANDIDATE', name='user_role', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('custom_role_id', sa.Uuid(), nullable=True),
    sa.Column('manager_id', sa.Uuid(), nullable=True),
    sa.Column('department', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True),
    sa.Column('is_active', sa.Boolean(), server_default=sa.true(), nullable=False),
    sa.Column('email_verified', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('verification_token', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=True),
    sa.Column('verification_expires_at', UTCDateTime(), nullable=True),
    sa.Column('last_login_at', UTCDateTime(), nullable=True),
    sa.Column('created_at', UTCDateTime(), server_default=sa.func.now(), nullable=False),
    sa.Column('updated_at', UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_users_company_id_companies'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['custom_role_id'], ['custom_roles.id'], name=op.f('fk_users_custom_role_id_custom_roles'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['manager_id'], ['users.id'], name=op.f('fk_users_manager_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users')),
    sa.UniqueConstraint('email', name=op.f('uq_users_email'))
    )
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.create_index('idx_users_company_id', ['company_id'], unique=False)
        batch_op.create_index('idx_users_email', ['email'], unique=False)

    op.create_table('audit_logs',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('company_id', sa.Uuid(), nullable=True),
    sa.Column('actor_id', sa.Uuid(), nullable=True),
    sa.Column('action', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('entity_type', sqlmodel.sql.sqltypes.AutoString(length=50), nullable=False),
    sa.Column('entity_id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    sa.Column('details', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('ip_address', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    sa.Column('created_at', UTCDateTime(), server_default=sa.func.now(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_audit_logs_actor_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_audit_logs_company_id_companies'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_logs'))
    )
    with op.batch_alter_table('audit_logs', schema=None) as batch_op:
        batch_op.create_index('idx_audit_logs_company_created', ['company_id', 'created_at'], unique=False)
        batch_op.create_index('idx_audit_logs_entity', ['entity_type', 'entity_id'], unique=False)

    op.create_table('company_registration_requests',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('company_name', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
    sa.Column('domain', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=True),
    sa.Column('contact_name', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
    sa.Column('contact_email', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
    sa.Column('message', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=True),
    sa.Column('status', sa.Enum('pending', 'approved', 'rejected', name='registration_status', native_enum=False, create_constraint=True, length=16), server_default='pending', nullable=False),
    sa.Column('decision_reason', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=True),
    sa.Column('reviewed_by', sa.Uuid(), nullable=True),
    sa.Column('reviewed_at', UTCDateTime(), nullable=True),
    sa.Column('company_id', sa.Uuid(), nullable=True),
    sa.Column('created_at', UTCDateTime(), server_default=sa.func.now(), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_company_registration_requests_company_id_companies'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['reviewed_by'], ['users.id'], name=op.f('fk_company_registration_requests_reviewed_by_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_company_registration_requests'))
    )
    with op.batch_alter_table('company_registration_requests', schema=None) as batch_op:
        batch_op.create_index('idx_company_requests_contact_email', ['contact_email'], unique=False)
        batch_op.create_index('idx_company_requests_status', ['status', 'created_at'], unique=False)

    op.create_table('job_templates',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('company_id', sa.Uuid(), nullable=False),
    sa.Column('created_by', sa.Uuid(), nullable=True),
    sa.Column('title', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('ai_prompt', sa.Text(), nullable=True),
    sa.Column('ai_model', sqlmodel.sql.sqltypes.AutoString(length=100), server_default='gemini-2.5-flash', nullable=False),
    sa.Column('created_at', UTCDateTime(), server_default=sa.func.now(), nullable=False),
    sa.Column('updated_at', UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_job_templates_company_id_companies'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by'], ['users.id'], name=op.f('fk_job_templates_created_by_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_job_templates'))
    )
    with op.batch_alter_table('job_templates', schema=None) as batch_op:
        batch_op.create_index('idx_job_templates_company_id', ['company_id'], unique=False)

    op.create_table('refresh_tokens',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('user_id', sa.Uuid(), nullable=False),
    sa.Column('family_id', sa.Uuid(), nullable=False),
    sa.Column('expires_at', UTCDateTime(), nullable=False),
    sa.Column('used_at', UTCDateTime(), nullable=True),
    sa.Column('revoked_at', UTCDateTime(), nullable=True),
    sa.Column('replaced_by', sa.Uuid(), nullable=True),
    sa.Column('user_agent', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=True),
    sa.Column('ip_address', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    sa.Column('created_at', UTCDateTime(), server_default=sa.func.now(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_refresh_tokens_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_refresh_tokens'))
    )
    with op.batch_alter_table('refresh_tokens', schema=None) as batch_op:
        batch_op.create_index('idx_refresh_tokens_family_id', ['family_id'], unique=False)
        batch_op.create_index('idx_refresh_tokens_user_id', ['user_id'], unique=False)

    op.create_table('candidates',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('company_id', sa.Uuid(), nullable=False),
    sa.Column('email', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
    sa.Column('phone', sqlmodel.sql.sqltypes.AutoString(length=50), nullable=True),
    sa.Column('resume_url', sa.Text(), nullable=True),
    sa.Column('resume_text', sa.Text(), nullable=True),
    sa.Column('status', sa.Enum('new', 'screening', 'interview_scheduled', 'interviewed', 'offer', 'hired', 'rejected', 'withdrawn', name='candidate_status', native_enum=False, create_constraint=True, length=27), server_default='new', nullable=False),
    sa.Column('assigned_to', sa.Uuid(), nullable=True),
    sa.Column('job_template_id', sa.Uuid(), nullable=True),
    sa.Column('source', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True),
    sa.Column('user_id', sa.Uuid(), nullable=True),
    sa.Column('created_at', UTCDateTime(), server_default=sa.func.now(), nullable=False),
    sa.Column('updated_at', UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['assigned_to'], ['users.id'], name=op.f('fk_candidates_assigned_to_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_candidates_company_id_companies'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['job_template_id'], ['job_templates.id'], name=op.f('fk_candidates_job_template_id_job_templates'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_candidates_user_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_candidates')),
    sa.UniqueConstraint('company_id', 'email', name='uq_candidates_company_email')
    )
    with op.batch_alter_table('candidates', schema=None) as batch_op:
        batch_op.create_index('idx_candidates_assigned_to', ['assigned_to'], unique=False)
        batch_op.create_index('idx_candidates_company_created', ['company_id', 'created_at'], unique=False)
        batch_op.create_index('idx_candidates_company_id', ['company_id'], unique=False)
        batch_op.create_index('idx_candidates_status', ['status'], unique=False)
        batch_op.create_index('idx_candidates_user_id', ['user_id'], unique=False)

    op.create_table('questions',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('job_template_id', sa.Uuid(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('created_by', sa.Uuid(), nullable=True),
    sa.Column('weight', sa.Integer(), server_default='1', nullable=False),
    sa.Column('position', sa.Integer(), server_default='0', nullable=False),
    sa.Column('key_points', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('created_at', UTCDateTime(), server_default=sa.func.now(), nullable=False),
    sa.Column('updated_at', UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['created_by'], ['users.id'], name=op.f('fk_questions_created_by_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['job_template_id'], ['job_templates.id'], name=op.f('fk_questions_job_template_id_job_templates'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_questions'))
    )
    with op.batch_alter_table('questions', schema=None) as batch_op:
        batch_op.create_index('idx_questions_job_template_id', ['job_template_id'], unique=False)

    op.create_table('candidate_status_history',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('candidate_id', sa.Uuid(), nullable=False),
    sa.Column('from_status', sa.Enum('new', 'screening', 'interview_scheduled', 'interviewed', 'offer', 'hired', 'rejected', 'withdrawn', name='candidate_status_from', native_enum=False, create_constraint=True, length=27), nullable=True),
    sa.Column('to_status', sa.Enum('new', 'screening', 'interview_scheduled', 'interviewed', 'offer', 'hired', 'rejected', 'withdrawn', name='candidate_status_to', native_enum=False, create_constraint=True, length=27), nullable=False),
    sa.Column('changed_by', sa.Uuid(), nullable=True),
    sa.Column('note', sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=True),
    sa.Column('created_at', UTCDateTime(), server_default=sa.func.now(), nullable=False),
    sa.ForeignKeyConstraint(['candidate_id'], ['candidates.id'], name=op.f('fk_candidate_status_history_candidate_id_candidates'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['changed_by'], ['users.id'], name=op.f('fk_candidate_status_history_changed_by_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_candidate_status_history'))
    )
    with op.batch_alter_table('candidate_status_history', schema=None) as batch_op:
        batch_op.create_index('idx_candidate_status_history_candidate', ['candidate_id', 'created_at'], unique=False)

    op.create_table('interviews',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('company_id', sa.Uuid(), nullable=False),
    sa.Column('candidate_id', sa.Uuid(), nullable=False),
    sa.Column('job_template_id', sa.Uuid(), nullable=True),
    sa.Column('interviewer_id', sa.Uuid(), nullable=True),
    sa.Column('token', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
    sa.Column('status', sa.Enum('scheduled', 'in_progress', 'completed', 'cancelled', 'expired', name='interview_status', native_enum=False, create_constraint=True, length=19), server_default='scheduled', nullable=False),
    sa.Column('scheduled_at', UTCDateTime(), nullable=True),
    sa.Column('duration_minutes', sa.Integer(), server_default='30', nullable=False),
    sa.Column('expires_at', UTCDateTime(), nullable=True),
    sa.Column('started_at', UTCDateTime(), nullable=True),
    sa.Column('completed_at', UTCDateTime(), nullable=True),
    sa.Column('cancelled_at', UTCDateTime(), nullable=True),
    sa.Column('transcript', sa.Text(), nullable=True),
    sa.Column('score', sa.Integer(), nullable=True),
    sa.Column('verdict', sa.Enum('PASS', 'REVIEW', 'FAIL', name='verdict', native_enum=False, create_constraint=True, length=14), nullable=True),
    sa.Column('ai_report', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=True),
    sa.Column('created_at', UTCDateTime(), server_default=sa.func.now(), nullable=False),
    sa.Column('updated_at', UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['candidate_id'], ['candidates.id'], name=op.f('fk_interviews_candidate_id_candidates'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_interviews_company_id_companies'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['interviewer_id'], ['users.id'], name=op.f('fk_interviews_interviewer_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['job_template_id'], ['job_templates.id'], name=op.f('fk_interviews_job_template_id_job_templates'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_interviews')),
    sa.UniqueConstraint('token', name=op.f('uq_interviews_token'))
    )
    with op.batch_alter_table('interviews', schema=None) as batch_op:
        batch_op.create_index('idx_interviews_candidate_id', ['candidate_id'], unique=False)
        batch_op.create_index('idx_interviews_company_scheduled', ['company_id', 'scheduled_at'], unique=False)
        batch_op.create_index('idx_interviews_interviewer_id', ['interviewer_id'], unique=False)
        batch_op.create_index('idx_interviews_token', ['token'], unique=False)

    op.create_table('interview_rounds',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('candidate_id', sa.Uuid(), nullable=False),
    sa.Column('job_template_id', sa.Uuid(), nullable=True),
    sa.Column('round_number', sa.Integer(), nullable=False),
    sa.Column('round_type', sqlmodel.sql.sqltypes.AutoString(length=50), nullable=False),
    sa.Column('status', sa.Enum('pending', 'scheduled', 'in_progress', 'completed', 'cancelled', 'skipped', name='round_status', native_enum=False, create_constraint=True, length=19), server_default='pending', nullable=False),
    sa.Column('scheduled_at', UTCDateTime(), nullable=True),
    sa.Column('interview_link', sa.Text(), nullable=True),
    sa.Column('interview_id', sa.Uuid(), nullable=True),
    sa.Column('created_at', UTCDateTime(), server_default=sa.func.now(), nullable=False),
    sa.ForeignKeyConstraint(['candidate_id'], ['candidates.id'], name=op.f('fk_interview_rounds_candidate_id_candidates'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['interview_id'], ['interviews.id'], name=op.f('fk_interview_rounds_interview_id_interviews'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['job_template_id'], ['job_templates.id'], name=op.f('fk_interview_rounds_job_template_id_job_templates'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_interview_rounds')),
    sa.UniqueConstraint('candidate_id', 'round_number', name='uq_interview_rounds_candidate_round')
    )
    with op.batch_alter_table('interview_rounds', schema=None) as batch_op:
        batch_op.create_index('idx_interview_rounds_candidate_id', ['candidate_id'], unique=False)




def downgrade() -> None:

    with op.batch_alter_table('interview_rounds', schema=None) as batch_op:
        batch_op.drop_index('idx_interview_rounds_candidate_id')

    op.drop_table('interview_rounds')
    with op.batch_alter_table('interviews', schema=None) as batch_op:
        batch_op.drop_index('idx_interviews_token')
        batch_op.drop_index('idx_interviews_interviewer_id')
        batch_op.drop_index('idx_interviews_company_scheduled')
        batch_op.drop_index('idx_interviews_candidate_id')

    op.drop_table('interviews')
    with op.batch_alter_table('candidate_status_history', schema=None) as batch_op:
        batch_op.drop_index('idx_candidate_status_history_candidate')

    op.drop_table('candidate_status_history')
    with op.batch_alter_table('questions', schema=None) as batch_op:
        batch_op.drop_index('idx_questions_job_template_id')

    op.drop_table('questions')
    with op.batch_alter_table('candidates', schema=None) as batch_op:
        batch_op.drop_index('idx_candidates_user_id')
        batch_op.drop_index('idx_candidates_status')
        batch_op.drop_index('idx_candidates_company_id')
        batch_op.drop_index('idx_candidates_company_created')
        batch_op.drop_index('idx_candidates_assigned_to')

    op.drop_table('candidates')
    with op.batch_alter_table('refresh_tokens', schema=None) as batch_op:
        batch_op.drop_index('idx_refresh_tokens_user_id')
        batch_op.drop_index('idx_refresh_tokens_family_id')

    op.drop_table('refresh_tokens')
    with op.batch_alter_table('job_templates', schema=None) as batch_op:
        batch_op.drop_index('idx_job_templates_company_id')

    op.drop_table('job_templates')
    with op.batch_alter_table('company_registration_requests', schema=None) as batch_op:
        batch_op.drop_index('idx_company_requests_status')
        batch_op.drop_index('idx_company_requests_contact_email')

    op.drop_table('company_registration_requests')
    with op.batch_alter_table('audit_logs', schema=None) as batch_op:
        batch_op.drop_index('idx_audit_logs_entity')
        batch_op.drop_index('idx_audit_logs_company_created')

    op.drop_table('audit_logs')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_index('idx_users_email')
        batch_op.drop_index('idx_users_company_id')

    op.drop_table('users')
    with op.batch_alter_table('email_outbox', schema=None) as batch_op:
        batch_op.drop_index('idx_email_outbox_to')
        batch_op.drop_index('idx_email_outbox_status')
        batch_op.drop_index('idx_email_outbox_company')

    op.drop_table('email_outbox')
    op.drop_table('custom_roles')
    op.drop_table('companies')

