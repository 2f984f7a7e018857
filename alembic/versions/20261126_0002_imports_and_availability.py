"""imports and availability

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26 16:33:22.388658
"""
from typing import Sequence, Union

import sqlalchemy as sa
import sqlmodel  # noqa: F401
from alembic import op
from interviewer.models.types import UTCDateTime
from sqlalchemy.dialects import postgresql

revision: str = '0002'
down_revision: Union[str, None] = '0001'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:

    op.create_table('employee_availability',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('company_id', sa.Uuid(), nullable=False),
    sa.Column('user_id', sa.Uuid(), nullable=False),
    sa.Column('starts_at', UTCDateTime(), nullable=False),
    sa.Column('ends_at', UTCDateTime(), nullable=False),
    sa.Column('created_at', UTCDateTime(), server_default=sa.func.now(), nullable=False),
    sa.CheckConstraint('ends_at > starts_at', name=op.f('ck_employee_availability_slot_order')),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_employee_availability_company_id_companies'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_employee_availability_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_employee_availability'))
    )
    with op.batch_alter_table('employee_availability', schema=None) as batch_op:
        batch_op.create_index('idx_employee_availability_company', ['company_id'], unique=False)
        batch_op.create_index('idx_employee_availability_user_start', ['user_id', 'starts_at'], unique=False)

    op.create_table('import_jobs',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('company_id', sa.Uuid(), nullable=False),
    sa.Column('created_by', sa.Uuid(), nullable=True),
    sa.Column('filename', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
    sa.Column('file_path', sa.Text(), nullable=False),
    sa.Column('mode', sa.Enum('skip', 'update', name='import_mode', native_enum=False, create_constraint=True, length=14), server_default='skip', nullable=False),
    sa.Column('status', sa.Enum('queued', 'running', 'completed', 'failed', name='import_status', native_enum=False, create_constraint=True, length=17), server_default='queued', nullable=False),
    sa.Column('total_rows', sa.Integer(), server_default='0', nullable=False),
    sa.Column('processed_rows', sa.Integer(), server_default='0', nullable=False),
    sa.Column('created_count', sa.Integer(), server_default='0', nullable=False),
    sa.Column('updated_count', sa.Integer(), server_default='0', nullable=False),
    sa.Column('skipped_count', sa.Integer(), server_default='0', nullable=False),
    sa.Column('error_count', sa.Integer(), server_default='0', nullable=False),
    sa.Column('errors', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('failure_reason', sa.Text(), nullable=True),
    sa.Column('created_at', UTCDateTime(), server_default=sa.func.now(), nullable=False),
    sa.Column('started_at', UTCDateTime(), nullable=True),
    sa.Column('finished_at', UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_import_jobs_company_id_companies'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by'], ['users.id'], name=op.f('fk_import_jobs_created_by_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_import_jobs'))
    )
    with op.batch_alter_table('import_jobs', schema=None) as batch_op:
        batch_op.create_index('idx_import_jobs_company_created', ['company_id', 'created_at'], unique=False)




def downgrade() -> None:

    with op.batch_alter_table('import_jobs', schema=None) as batch_op:
        batch_op.drop_index('idx_import_jobs_company_created')

    op.drop_table('import_jobs')
    with op.batch_alter_table('employee_availability', schema=None) as batch_op:
        batch_op.drop_index('idx_employee_availability_user_start')
        batch_op.drop_index('idx_employee_availability_company')

    op.drop_table('employee_availability')

