"""The tables of a kstui store (SQLModel).

Money columns are integer fen. Datetimes are stored as naive UTC (SQLite has no time
zones); read them back through `kstui.providers.clock.as_utc`. Enum columns hold the
enum's string value. The product table carries denormalised aggregates of its SKUs and
reviews (`price`, `stock`, `sales`, ratings) so that the catalogue can filter and sort
on covering indexes; the services that change SKUs keep them in step.

Pictures (product photos, review photos) are stored in the database itself.

The full-text search tables (`search_tri`, `search_gram`) are FTS5 virtual tables that
SQLModel cannot describe; they are created by the migrations and filled by
`kstui.store.search_index`.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Index, String, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from kstui.store.enums import CouponKind, CouponScope, PromotionKind, ReturnPolicy, Role

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


class CouponTemplate(SQLModel, table=True):
    """A kind of coupon that shoppers can claim (platform-wide or for one shop)."""

    __tablename__ = "coupon_template"

    id: int | None = Field(default=None, primary_key=True)
    scope: CouponScope = Field(sa_type=String(16))
    shop_id: int | None = Field(default=None, foreign_key="shop.id", index=True)
    kind: CouponKind = Field(sa_type=String(16))
    title_zh: str = Field(max_length=64)
    title_en: str = Field(max_length=64)
    threshold: int = 0
    amount_off: int = 0
    pay_percent: int = 0
    starts_at: datetime
    ends_at: datetime
    total: int
    claimed: int = 0
    new_user: bool = False


class Account(SQLModel, table=True):
    """A person who can log in: a shopper or a shop's merchant."""

    __table_args__ = (UniqueConstraint("id_number", name="uq_account_id_number"),)

    id: int | None = Field(default=None, primary_key=True)
    phone: str = Field(max_length=11, unique=True)
    nickname: str = Field(max_length=30)
    password_hash: str = Field(max_length=200)
    role: Role = Field(sa_type=String(16))
    shop_id: int | None = Field(default=None, foreign_key="shop.id")
    real_name: str | None = Field(default=None, max_length=30)
    id_number: str | None = Field(default=None, max_length=18)
    birth_date: date | None = None
    created_at: datetime
    second_factor: bool = False
    """Ask for an SMS code after the password at login."""
    payment_password_hash: str | None = Field(default=None, max_length=200)


class SmsMessage(SQLModel, table=True):
    """The simulated phones' inbox: every text the shop sends (`kstui sms outbox`)."""

    __tablename__ = "sms_message"
    __table_args__ = (Index("ix_sms_message_phone_sent", "phone", "sent_at"),)

    id: int | None = Field(default=None, primary_key=True)
    phone: str = Field(max_length=11)
    text: str = Field(max_length=200)
    sent_at: datetime


class SmsCode(SQLModel, table=True):
    """A verification code: stored hashed, single use, short-lived."""

    __tablename__ = "sms_code"
    __table_args__ = (Index("ix_sms_code_phone_sent", "phone", "sent_at"),)

    id: int | None = Field(default=None, primary_key=True)
    phone: str = Field(max_length=11)
    purpose: str = Field(max_length=24)
    code_hash: str = Field(max_length=200)
    sent_at: datetime
    expires_at: datetime
    attempts: int = 0
    used_at: datetime | None = None
    revoked_at: datetime | None = None


class LoginSession(SQLModel, table=True):
    """A device logged in to an account; the token itself is only known to the device."""

    __tablename__ = "login_session"

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(foreign_key="account.id", index=True)
    token_hash: str = Field(max_length=64, unique=True)
    device: str = Field(max_length=60)
    created_at: datetime
    last_seen_at: datetime
    expires_at: datetime
    ended_at: datetime | None = None
    pending: bool = False
    """A password login waiting for its SMS code (second verification): not usable yet."""


class LinkedIdentity(SQLModel, table=True):
    """A third-party account (微信, QQ, an SSH key) that logs in to a kstui account."""

    __tablename__ = "linked_identity"
    __table_args__ = (
        UniqueConstraint("provider", "subject"),
        Index(
            "uq_linked_identity_account_provider",
            "account_id",
            "provider",
            unique=True,
            sqlite_where=text("provider IN ('wechat', 'qq')"),
        ),  # one 微信 and one QQ per account (SSH keys, later, may be many)
    )

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(foreign_key="account.id", index=True)
    provider: str = Field(max_length=16)
    subject: str = Field(max_length=128)
    nickname: str = Field(max_length=60)
    linked_at: datetime


class Lockout(SQLModel, table=True):
    """Wrong secrets in a row, and the lock they led to.

    `scope` says which secret: `password` (subject: the phone number, registered or
    not, so that a lock tells nothing about who has an account) or `payment`
    (subject: the account id).
    """

    __tablename__ = "lockout"

    scope: str = Field(max_length=16, primary_key=True)
    subject: str = Field(max_length=32, primary_key=True)
    failures: int = 0
    locked_until: datetime | None = None


class AccountEvent(SQLModel, table=True):
    """Something that happened to an account's security (login, password change…)."""

    __tablename__ = "account_event"
    __table_args__ = (Index("ix_account_event_account_at", "account_id", "at"),)

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(foreign_key="account.id")
    kind: str = Field(max_length=32)
    at: datetime
    detail: str = Field(default="", max_length=200)
