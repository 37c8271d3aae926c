"""world clock; payments' deadlines; SMS quotas; PostgreSQL's search tables

The simulated world clock every process shares (one row). A payment attempt carries
its deadline (`expires_at`): the catch-up closes recharges past it instead of working
it out from their creation time. A phone's SMS quota (one a minute, ten a day) is a row
of its own, counted by one conditional upsert. On PostgreSQL, the search
documents that FTS5 keeps on SQLite: a table of documents with pg_trgm GIN indexes for
substrings of 3+ characters and a GIN-indexed array of the 1–2-character grams and the
filter tags.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

POSTGRESQL_SEARCH = (
    # pg_trgm is a trusted extension: the database's owner may create it.
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    # One document per product (what search_tri and search_gram hold on SQLite):
    #   han    the Chinese name and brand, folded (terms with Chinese characters);
    #   latin  han, the English name and brand, and the pinyin initials, joined by U+001F
    #          (a character no query holds: a substring never spans two of them);
    #   py     the pinyin of the Chinese, one CJK Extension-A character per syllable;
    #   grams  the 1- and 2-character tokens and the filter tags (category, brand,
    #          price band) of kstui.store.search_index.
    "CREATE TABLE search_doc ("
    " product_id INTEGER PRIMARY KEY REFERENCES product (id) ON DELETE CASCADE,"
    " han TEXT NOT NULL, latin TEXT NOT NULL, py TEXT NOT NULL, grams TEXT[] NOT NULL)",
    "CREATE INDEX ix_search_doc_han ON search_doc USING gin (han gin_trgm_ops)",
    "CREATE INDEX ix_search_doc_latin ON search_doc USING gin (latin gin_trgm_ops)",
    "CREATE INDEX ix_search_doc_py ON search_doc USING gin (py gin_trgm_ops)",
    "CREATE INDEX ix_search_doc_grams ON search_doc USING gin (grams)",
)


def upgrade() -> None:
    op.create_table('world_clock',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('offset_us', sa.BigInteger(), nullable=False),
    sa.Column('speed', sa.Integer(), nullable=False),
    sa.Column('anchor_real', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('speed_until', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.CheckConstraint('id = 1', name='ck_world_clock_one_row'),
    sa.CheckConstraint('speed >= 1', name='ck_world_clock_speed'),
    sa.PrimaryKeyConstraint('id')
    )
    op.execute(
        "INSERT INTO world_clock (id, offset_us, speed, anchor_real, version)"
        " VALUES (1, 0, 1, CURRENT_TIMESTAMP, 0)"
    )
    op.create_table('sms_quota',
    sa.Column('phone', sqlmodel.sql.sqltypes.AutoString(length=11), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('sent', sa.Integer(), nullable=False),
    sa.Column('last_sent_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('phone')
    )
    with op.batch_alter_table('payment', schema=None) as batch_op:
        batch_op.add_column(sa.Column('expires_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))
        batch_op.create_index('ix_payment_due', ['purpose', 'status', 'expires_at'], unique=False)
    # Attempts already waiting keep the window they had (15 minutes for a recharge, the
    # checkout's own deadline for a checkout).
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            "UPDATE payment SET expires_at = strftime('%Y-%m-%d %H:%M:%f000',"
            " created_at, '+15 minutes') WHERE purpose = 'recharge'"
        )
    else:
        op.execute(
            "UPDATE payment SET expires_at = created_at + interval '15 minutes'"
            " WHERE purpose = 'recharge'"
        )
    op.execute(
        "UPDATE payment SET expires_at = (SELECT pay_deadline FROM checkout"
        " WHERE checkout.id = payment.checkout_id) WHERE purpose = 'checkout'"
    )
    if op.get_bind().dialect.name == "postgresql":
        for statement in POSTGRESQL_SEARCH:
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TABLE search_doc")
    with op.batch_alter_table('payment', schema=None) as batch_op:
        batch_op.drop_index('ix_payment_due')
    op.execute("ALTER TABLE payment DROP COLUMN expires_at")
    op.drop_table('sms_quota')
    op.drop_table('world_clock')
