"""initial schema

Revision ID: 0001
Revises: 
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('brand',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('name_zh', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('name_en', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('slug')
    )
    op.create_table('category',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('name_zh', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('name_en', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.ForeignKeyConstraint(['parent_id'], ['category.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('slug')
    )
    with op.batch_alter_table('category', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_category_parent_id'), ['parent_id'], unique=False)

    op.create_table('picture',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('sha256', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('png', sa.LargeBinary(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('sha256')
    )
    op.create_table('shop',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('name_zh', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('name_en', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('rating_tenths', sa.Integer(), nullable=False),
    sa.Column('ships_from', sqlmodel.sql.sqltypes.AutoString(length=2), nullable=False),
    sa.Column('ships_from_city_zh', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('ships_from_city_en', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('default_freight', sa.Integer(), nullable=False),
    sa.Column('free_shipping_threshold', sa.Integer(), nullable=True),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('slug')
    )
    op.create_table('account',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('phone', sqlmodel.sql.sqltypes.AutoString(length=11), nullable=False),
    sa.Column('nickname', sqlmodel.sql.sqltypes.AutoString(length=30), nullable=False),
    sa.Column('password_hash', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('shop_id', sa.Integer(), nullable=True),
    sa.Column('real_name', sqlmodel.sql.sqltypes.AutoString(length=30), nullable=True),
    sa.Column('id_number', sqlmodel.sql.sqltypes.AutoString(length=18), nullable=True),
    sa.Column('birth_date', sa.Date(), nullable=True),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['shop_id'], ['shop.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('phone')
    )
    op.create_table('coupon_template',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('scope', sa.String(length=16), nullable=False),
    sa.Column('shop_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('title_zh', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('title_en', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('threshold', sa.Integer(), nullable=False),
    sa.Column('amount_off', sa.Integer(), nullable=False),
    sa.Column('pay_percent', sa.Integer(), nullable=False),
    sa.Column('starts_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('ends_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('total', sa.Integer(), nullable=False),
    sa.Column('claimed', sa.Integer(), nullable=False),
    sa.Column('new_user', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['shop_id'], ['shop.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('coupon_template', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_coupon_template_shop_id'), ['shop_id'], unique=False)

    op.create_table('product',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('shop_id', sa.Integer(), nullable=False),
    sa.Column('brand_id', sa.Integer(), nullable=True),
    sa.Column('category_id', sa.Integer(), nullable=False),
    sa.Column('top_category_id', sa.Integer(), nullable=False),
    sa.Column('name_zh', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('name_en', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('description_zh', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('description_en', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('picture_id', sa.Integer(), nullable=True),
    sa.Column('price', sa.Integer(), nullable=False),
    sa.Column('original_price', sa.Integer(), nullable=True),
    sa.Column('sales', sa.Integer(), nullable=False),
    sa.Column('stock', sa.Integer(), nullable=False),
    sa.Column('listed_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('score', sa.Integer(), nullable=False),
    sa.Column('rating_sum', sa.Integer(), nullable=False),
    sa.Column('review_count', sa.Integer(), nullable=False),
    sa.Column('photo_review_count', sa.Integer(), nullable=False),
    sa.Column('return_policy', sa.String(length=16), nullable=False),
    sa.Column('per_order_limit', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['brand_id'], ['brand.id'], ),
    sa.ForeignKeyConstraint(['category_id'], ['category.id'], ),
    sa.ForeignKeyConstraint(['picture_id'], ['picture.id'], ),
    sa.ForeignKeyConstraint(['shop_id'], ['shop.id'], ),
    sa.ForeignKeyConstraint(['top_category_id'], ['category.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('slug')
    )
    with op.batch_alter_table('product', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_product_brand_id'), ['brand_id'], unique=False)
        batch_op.create_index('ix_product_by_listed_at', ['listed_at', 'id', 'top_category_id', 'category_id', 'brand_id', 'price', 'stock'], unique=False)
        batch_op.create_index('ix_product_by_price', ['price', 'id', 'top_category_id', 'category_id', 'brand_id', 'stock'], unique=False)
        batch_op.create_index('ix_product_by_sales', ['sales', 'id', 'top_category_id', 'category_id', 'brand_id', 'price', 'stock'], unique=False)
        batch_op.create_index('ix_product_by_score', ['score', 'id', 'top_category_id', 'category_id', 'brand_id', 'price', 'stock'], unique=False)
        batch_op.create_index('ix_product_category_by_listed_at', ['category_id', 'listed_at', 'id'], unique=False)
        batch_op.create_index('ix_product_category_by_price', ['category_id', 'price', 'id'], unique=False)
        batch_op.create_index('ix_product_category_by_sales', ['category_id', 'sales', 'id'], unique=False)
        batch_op.create_index('ix_product_category_by_score', ['category_id', 'score', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_product_shop_id'), ['shop_id'], unique=False)
        batch_op.create_index('ix_product_top_category_by_listed_at', ['top_category_id', 'listed_at', 'id'], unique=False)
        batch_op.create_index('ix_product_top_category_by_price', ['top_category_id', 'price', 'id'], unique=False)
        batch_op.create_index('ix_product_top_category_by_sales', ['top_category_id', 'sales', 'id'], unique=False)
        batch_op.create_index('ix_product_top_category_by_score', ['top_category_id', 'score', 'id'], unique=False)

    op.create_table('shipping_rate',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('shop_id', sa.Integer(), nullable=False),
    sa.Column('province', sqlmodel.sql.sqltypes.AutoString(length=2), nullable=False),
    sa.Column('fee', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['shop_id'], ['shop.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('shop_id', 'province')
    )
    op.create_table('product_spec',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('name_zh', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('name_en', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.ForeignKeyConstraint(['product_id'], ['product.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('product_id', 'position')
    )
    op.create_table('promotion',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('title_zh', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('title_en', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('ends_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['product_id'], ['product.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('promotion', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_promotion_product_id'), ['product_id'], unique=False)

    op.create_table('sku',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('spec_key', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('price', sa.Integer(), nullable=False),
    sa.Column('original_price', sa.Integer(), nullable=True),
    sa.Column('stock', sa.Integer(), nullable=False),
    sa.Column('sales', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['product_id'], ['product.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('product_id', 'spec_key')
    )
    op.create_table('review',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('sku_id', sa.Integer(), nullable=True),
    sa.Column('author', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('rating', sa.Integer(), nullable=False),
    sa.Column('text', sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=False),
    sa.Column('has_photos', sa.Boolean(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['product_id'], ['product.id'], ),
    sa.ForeignKeyConstraint(['sku_id'], ['sku.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('review', schema=None) as batch_op:
        batch_op.create_index('ix_review_product_created', ['product_id', 'created_at'], unique=False)
        batch_op.create_index('ix_review_product_photos_created', ['product_id', 'has_photos', 'created_at'], unique=False)

    op.create_table('spec_value',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('spec_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('value_zh', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('value_en', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.ForeignKeyConstraint(['spec_id'], ['product_spec.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('spec_id', 'position')
    )
    op.create_table('review_photo',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('review_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('picture_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['picture_id'], ['picture.id'], ),
    sa.ForeignKeyConstraint(['review_id'], ['review.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('review_id', 'position')
    )
    # Full-text search, filled by kstui.store.search_index (rowid = product.id):
    # trigrams answer terms of 3+ characters, 1- and 2-character grams the shorter ones.
    # SQLite's FTS5 only; PostgreSQL's search tables (pg_trgm) come with 0005.
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            "CREATE VIRTUAL TABLE search_tri USING fts5("
            "text, en, py, ini, tags, tokenize='trigram', detail=full)"
        )
        op.execute("CREATE VIRTUAL TABLE search_gram USING fts5(g, tokenize='unicode61', detail=none)")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE search_gram")
        op.execute("DROP TABLE search_tri")
    op.drop_table('review_photo')
    op.drop_table('spec_value')
    with op.batch_alter_table('review', schema=None) as batch_op:
        batch_op.drop_index('ix_review_product_photos_created')
        batch_op.drop_index('ix_review_product_created')

    op.drop_table('review')
    op.drop_table('sku')
    with op.batch_alter_table('promotion', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_promotion_product_id'))

    op.drop_table('promotion')
    op.drop_table('product_spec')
    op.drop_table('shipping_rate')
    with op.batch_alter_table('product', schema=None) as batch_op:
        batch_op.drop_index('ix_product_top_category_by_score')
        batch_op.drop_index('ix_product_top_category_by_sales')
        batch_op.drop_index('ix_product_top_category_by_price')
        batch_op.drop_index('ix_product_top_category_by_listed_at')
        batch_op.drop_index(batch_op.f('ix_product_shop_id'))
        batch_op.drop_index('ix_product_category_by_score')
        batch_op.drop_index('ix_product_category_by_sales')
        batch_op.drop_index('ix_product_category_by_price')
        batch_op.drop_index('ix_product_category_by_listed_at')
        batch_op.drop_index('ix_product_by_score')
        batch_op.drop_index('ix_product_by_sales')
        batch_op.drop_index('ix_product_by_price')
        batch_op.drop_index('ix_product_by_listed_at')
        batch_op.drop_index(batch_op.f('ix_product_brand_id'))

    op.drop_table('product')
    with op.batch_alter_table('coupon_template', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_coupon_template_shop_id'))

    op.drop_table('coupon_template')
    op.drop_table('account')
    op.drop_table('shop')
    op.drop_table('picture')
    with op.batch_alter_table('category', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_category_parent_id'))

    op.drop_table('category')
    op.drop_table('brand')
