"""The catalogue's tables: categories, brands, shops and their freight, products with
their specs, SKUs, reviews, promotions and pictures.

The product table carries denormalised aggregates of its SKUs and reviews (`price`,
`stock`, `sales`, ratings) so that the catalogue can filter and sort on covering indexes;
the services that change SKUs keep them in step. Pictures (product photos, review photos)
are stored in the database itself. The full-text search tables are made by the
migrations (they are engine-specific) and filled by `kstui.store.search_index`.

Money columns are integer fen; datetimes are UTC; enum columns hold the enum's value.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, String, UniqueConstraint
from sqlmodel import Field, SQLModel

from kstui.store.enums import (
    PromotionKind,
    ReturnPolicy,
)

SORT_COLUMNS = ("score", "sales", "price", "listed_at")
"""Columns the catalogue sorts on; each has a covering index and per-category indexes."""

FILTER_COLUMNS = ("top_category_id", "category_id", "brand_id", "price", "stock")
"""Columns the catalogue filters on, carried in the sort indexes so filtering needs no row."""


def _sort_indexes() -> tuple[Index, ...]:
    indexes: list[Index] = []
    for key in SORT_COLUMNS:
        covering = [c for c in FILTER_COLUMNS if c != key]
        indexes.append(Index(f"ix_product_by_{key}", key, "id", *covering))
        indexes.append(Index(f"ix_product_top_category_by_{key}", "top_category_id", key, "id"))
        indexes.append(Index(f"ix_product_category_by_{key}", "category_id", key, "id"))
    return tuple(indexes)


class Picture(SQLModel, table=True):
    """An image kept inside the store (PNG bytes), so that every way of serving the shop
    sees the same pictures; identical images are stored once."""

    id: int | None = Field(default=None, primary_key=True)
    sha256: str = Field(max_length=64, unique=True)
    png: bytes


class Category(SQLModel, table=True):
    """A node of the two-level category tree (top categories and their sub-categories)."""

    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(max_length=64, unique=True)
    parent_id: int | None = Field(default=None, foreign_key="category.id", index=True)
    position: int
    name_zh: str = Field(max_length=64)
    name_en: str = Field(max_length=64)


class Brand(SQLModel, table=True):
    """A brand; `name_en` is its Latin name (searched case-insensitively)."""

    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(max_length=64, unique=True)
    name_zh: str = Field(max_length=64)
    name_en: str = Field(max_length=64)


class Shop(SQLModel, table=True):
    """A store (店铺) on the platform, with its shipping template."""

    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(max_length=64, unique=True)
    name_zh: str = Field(max_length=64)
    name_en: str = Field(max_length=64)
    rating_tenths: int
    ships_from: str = Field(max_length=2)
    ships_from_city_zh: str = Field(max_length=32)
    ships_from_city_en: str = Field(max_length=32)
    default_freight: int
    free_shipping_threshold: int | None = None


class ShippingRate(SQLModel, table=True):
    """A shop's freight to one province, where it differs from the shop's default."""

    __tablename__ = "shipping_rate"

    __table_args__ = (UniqueConstraint("shop_id", "province"),)

    id: int | None = Field(default=None, primary_key=True)
    shop_id: int = Field(foreign_key="shop.id")
    province: str = Field(max_length=2)
    fee: int


class Product(SQLModel, table=True):
    """A listing. Aggregates of its SKUs and reviews are kept here for the catalogue."""

    __table_args__ = _sort_indexes()

    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(max_length=64, unique=True)
    shop_id: int = Field(foreign_key="shop.id", index=True)
    brand_id: int | None = Field(default=None, foreign_key="brand.id", index=True)
    category_id: int = Field(foreign_key="category.id")
    top_category_id: int = Field(foreign_key="category.id")
    name_zh: str = Field(max_length=200)
    name_en: str = Field(max_length=300)
    description_zh: str
    description_en: str
    picture_id: int | None = Field(default=None, foreign_key="picture.id")
    price: int
    original_price: int | None = None
    sales: int = 0
    stock: int = 0
    listed_at: datetime
    score: int = 0
    rating_sum: int = 0
    review_count: int = 0
    photo_review_count: int = 0
    return_policy: ReturnPolicy = Field(sa_type=String(16), default=ReturnPolicy.STANDARD)
    per_order_limit: int | None = None


class ProductSpec(SQLModel, table=True):
    """A dimension of a product's SKUs, e.g. 颜色 or 尺码."""

    __tablename__ = "product_spec"

    __table_args__ = (UniqueConstraint("product_id", "position"),)

    id: int | None = Field(default=None, primary_key=True)
    product_id: int = Field(foreign_key="product.id")
    position: int
    name_zh: str = Field(max_length=32)
    name_en: str = Field(max_length=32)


class SpecValue(SQLModel, table=True):
    """One value of a spec, e.g. 藏青 or XL."""

    __tablename__ = "spec_value"

    __table_args__ = (UniqueConstraint("spec_id", "position"),)

    id: int | None = Field(default=None, primary_key=True)
    spec_id: int = Field(foreign_key="product_spec.id")
    position: int
    value_zh: str = Field(max_length=64)
    value_en: str = Field(max_length=64)


class Sku(SQLModel, table=True):
    """A buyable combination of spec values, with its own price and stock.

    `spec_key` lists the positions of its values in spec order, e.g. `"1.3"` for the
    second colour in the fourth size; a product without specs has one SKU with key `""`.
    """

    __table_args__ = (UniqueConstraint("product_id", "spec_key"),)

    id: int | None = Field(default=None, primary_key=True)
    product_id: int = Field(foreign_key="product.id")
    spec_key: str = Field(max_length=64)
    price: int
    original_price: int | None = None
    stock: int
    sales: int = 0


class Review(SQLModel, table=True):
    """A shopper's review of a product."""

    __table_args__ = (
        Index("ix_review_product_created", "product_id", "created_at"),
        Index("ix_review_product_photos_created", "product_id", "has_photos", "created_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    product_id: int = Field(foreign_key="product.id")
    sku_id: int | None = Field(default=None, foreign_key="sku.id")
    author: str = Field(max_length=40)
    rating: int
    text: str = Field(max_length=1000)
    has_photos: bool = False
    created_at: datetime


class ReviewPhoto(SQLModel, table=True):
    """A picture attached to a review."""

    __tablename__ = "review_photo"

    __table_args__ = (UniqueConstraint("review_id", "position"),)

    id: int | None = Field(default=None, primary_key=True)
    review_id: int = Field(foreign_key="review.id")
    position: int
    picture_id: int = Field(foreign_key="picture.id")


class Promotion(SQLModel, table=True):
    """A promotion shown on a product page."""

    id: int | None = Field(default=None, primary_key=True)
    product_id: int = Field(foreign_key="product.id", index=True)
    kind: PromotionKind = Field(sa_type=String(16))
    title_zh: str = Field(max_length=64)
    title_en: str = Field(max_length=64)
    ends_at: datetime
