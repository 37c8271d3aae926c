"""lockouts: counted wrong secrets in their own table; one 微信 and one QQ per account

The payment-password counter moves from two account columns to `lockout` (scope
'payment', subject the account id), where login passwords are counted too (scope
'password', subject the phone number). An account links at most one identity per
social provider: where an earlier version linked two, the first one stays.

No table is rebuilt (SQLite drops the columns in place), so rows that refer to
accounts are never touched while foreign keys are enforced.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('lockout',
    sa.Column('scope', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('subject', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('failures', sa.Integer(), nullable=False),
    sa.Column('locked_until', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.PrimaryKeyConstraint('scope', 'subject')
    )
    op.execute(
        "INSERT INTO lockout (scope, subject, failures, locked_until)"
        " SELECT 'payment', CAST(id AS TEXT), payment_failures, payment_locked_until"
        " FROM account WHERE payment_failures > 0 OR payment_locked_until IS NOT NULL"
    )
    op.execute("ALTER TABLE account DROP COLUMN payment_locked_until")
    op.execute("ALTER TABLE account DROP COLUMN payment_failures")
    op.execute(
        "DELETE FROM linked_identity WHERE provider IN ('wechat', 'qq') AND EXISTS ("
        " SELECT 1 FROM linked_identity AS first WHERE first.account_id = linked_identity.account_id"
        " AND first.provider = linked_identity.provider AND first.id < linked_identity.id)"
    )
    op.create_index(
        'uq_linked_identity_account_provider', 'linked_identity', ['account_id', 'provider'],
        unique=True, sqlite_where=sa.text("provider IN ('wechat', 'qq')"),
        postgresql_where=sa.text("provider IN ('wechat', 'qq')"),
    )


def downgrade() -> None:
    op.drop_index('uq_linked_identity_account_provider', table_name='linked_identity')
    op.add_column('account', sa.Column('payment_failures', sa.Integer(), nullable=False, server_default='0'))
    op.add_column('account', sa.Column('payment_locked_until', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))
    op.execute(
        "UPDATE account SET payment_failures = l.failures, payment_locked_until = l.locked_until"
        " FROM lockout AS l WHERE l.scope = 'payment' AND l.subject = CAST(account.id AS TEXT)"
    )
    op.drop_table('lockout')
