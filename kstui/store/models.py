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

from sqlalchemy import CheckConstraint, Index, String, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from kstui.store.enums import (
    CheckoutStatus,
    CouponKind,
    CouponScope,
    InvoiceKind,
    OrderStatus,
    PaymentMethod,
    PaymentPurpose,
    PaymentStatus,
    PromotionKind,
    ReturnPolicy,
    Role,
    TradeStatus,
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
    """Granted to every new account at registration (not claimable)."""
    valid_days: int | None = None
    """A granted coupon is valid this many days (never beyond `ends_at`); None: until then."""
    checkin_day: int | None = None
    """The reward for this day of a check-in streak (not claimable)."""


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


class Address(SQLModel, table=True):
    """An entry of a shopper's address book (收货地址). Regions are GB/T 2260 codes."""

    __table_args__ = (Index("ix_address_account", "account_id", "is_default"),)

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(foreign_key="account.id")
    recipient: str = Field(max_length=20)
    phone: str = Field(max_length=11)
    province: str = Field(max_length=2)
    city: str = Field(max_length=4)
    district: str = Field(max_length=6)
    detail: str = Field(max_length=120)
    is_default: bool = False
    created_at: datetime
    updated_at: datetime


class CartLine(SQLModel, table=True):
    """A SKU in a shopper's cart (购物车), with its quantity and whether it is ticked."""

    __tablename__ = "cart_line"
    __table_args__ = (UniqueConstraint("account_id", "sku_id"),)

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(foreign_key="account.id")
    sku_id: int = Field(foreign_key="sku.id")
    quantity: int
    selected: bool = True
    added_at: datetime


class Coupon(SQLModel, table=True):
    """A coupon a shopper holds, granted from a template.

    `grant_key` makes every grant happen once (a claim, the new-user gift, a check-in
    reward). `checkout_id` is set while an order uses it (cleared if the order is
    cancelled unpaid); `used_at` is set when that order is paid.
    """

    __table_args__ = (Index("ix_coupon_account_valid", "account_id", "valid_until"),)

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(foreign_key="account.id")
    template_id: int = Field(foreign_key="coupon_template.id")
    grant_key: str = Field(max_length=64, unique=True)
    granted_at: datetime
    valid_from: datetime
    valid_until: datetime
    checkout_id: int | None = Field(default=None, foreign_key="checkout.id")
    used_at: datetime | None = None


class Checkout(SQLModel, table=True):
    """One 提交订单: the orders it created (one per store) are paid together.

    `submit_key` is the checkout page's idempotency key: submitting twice creates the
    orders once.
    """

    __table_args__ = (Index("ix_checkout_status_deadline", "status", "pay_deadline"),)

    id: int | None = Field(default=None, primary_key=True)
    no: str = Field(max_length=24, unique=True)
    submit_key: str = Field(max_length=64, unique=True)
    account_id: int = Field(foreign_key="account.id")  # no index: every write pays for one
    status: CheckoutStatus = Field(sa_type=String(16))
    amount: int
    method: PaymentMethod = Field(sa_type=String(16))
    platform_coupon_id: int | None = None
    created_at: datetime
    pay_deadline: datetime
    paid_at: datetime | None = None
    closed_at: datetime | None = None
    payment_id: int | None = None


class ShopOrder(SQLModel, table=True):
    """An order with one store; the address and the invoice are copied into it."""

    __tablename__ = "shop_order"
    __table_args__ = (Index("ix_shop_order_account_created", "account_id", "created_at"),)

    id: int | None = Field(default=None, primary_key=True)
    no: str = Field(max_length=24, unique=True)
    checkout_id: int = Field(foreign_key="checkout.id", index=True)
    account_id: int = Field(foreign_key="account.id")
    shop_id: int = Field(foreign_key="shop.id")
    status: OrderStatus = Field(sa_type=String(24))
    goods_total: int
    freight: int
    shop_discount: int
    platform_discount: int
    total: int
    shop_coupon_id: int | None = None
    recipient: str = Field(max_length=20)
    phone: str = Field(max_length=11)
    province: str = Field(max_length=2)
    region: str = Field(max_length=60)
    detail: str = Field(max_length=120)
    note: str = Field(default="", max_length=200)
    invoice_kind: InvoiceKind = Field(sa_type=String(16), default=InvoiceKind.NONE)
    invoice_title: str = Field(default="", max_length=100)
    invoice_tax_no: str = Field(default="", max_length=18)
    created_at: datetime
    paid_at: datetime | None = None
    cancelled_at: datetime | None = None
    cancel_reason: str | None = Field(default=None, max_length=32)


class OrderLine(SQLModel, table=True):
    """A SKU bought in an order, priced and named as it was when ordered.

    `discount` is this line's share of the order's coupons; the shopper paid
    `amount - discount` for it.
    """

    __tablename__ = "order_line"
    __table_args__ = (UniqueConstraint("order_id", "position"),)

    id: int | None = Field(default=None, primary_key=True)
    order_id: int = Field(foreign_key="shop_order.id")
    position: int
    product_id: int = Field(foreign_key="product.id")
    sku_id: int = Field(foreign_key="sku.id")
    name_zh: str = Field(max_length=200)
    name_en: str = Field(max_length=300)
    spec_zh: str = Field(max_length=100)
    spec_en: str = Field(max_length=100)
    unit_price: int
    quantity: int
    amount: int
    discount: int


class OrderEvent(SQLModel, table=True):
    """A status change of an order (its timeline)."""

    __tablename__ = "order_event"
    __table_args__ = (Index("ix_order_event_order_at", "order_id", "at"),)

    id: int | None = Field(default=None, primary_key=True)
    order_id: int = Field(foreign_key="shop_order.id")
    from_status: str | None = Field(default=None, max_length=24)
    to_status: str = Field(max_length=24)
    at: datetime
    detail: str = Field(default="", max_length=64)


class Payment(SQLModel, table=True):
    """One attempt to pay a checkout or to recharge the wallet.

    `idempotency_key` comes from the client: the same attempt sent twice is one
    payment, and its first result is returned again.
    """

    __table_args__ = (Index("ix_payment_checkout", "checkout_id"),)

    id: int | None = Field(default=None, primary_key=True)
    no: str = Field(max_length=24, unique=True)
    idempotency_key: str = Field(max_length=64, unique=True)
    account_id: int = Field(foreign_key="account.id", index=True)
    purpose: PaymentPurpose = Field(sa_type=String(16))
    checkout_id: int | None = Field(default=None, foreign_key="checkout.id")
    method: PaymentMethod = Field(sa_type=String(16))
    amount: int
    status: PaymentStatus = Field(sa_type=String(16))
    created_at: datetime
    updated_at: datetime
    trade_no: str | None = Field(default=None, max_length=32)
    card_last4: str | None = Field(default=None, max_length=4)
    failure: str | None = Field(default=None, max_length=32)


class PaymentEvent(SQLModel, table=True):
    """A status change of a payment, or a notification received about it."""

    __tablename__ = "payment_event"
    __table_args__ = (Index("ix_payment_event_payment_at", "payment_id", "at"),)

    id: int | None = Field(default=None, primary_key=True)
    payment_id: int = Field(foreign_key="payment.id")
    from_status: str | None = Field(default=None, max_length=16)
    to_status: str = Field(max_length=16)
    at: datetime
    detail: str = Field(default="", max_length=64)


class Wallet(SQLModel, table=True):
    """A shopper's platform balance (平台余额); it always equals the sum of the ledger."""

    __table_args__ = (CheckConstraint("balance >= 0", name="ck_wallet_balance"),)

    account_id: int = Field(foreign_key="account.id", primary_key=True)
    balance: int = 0
    updated_at: datetime


class WalletEntry(SQLModel, table=True):
    """One movement of a wallet (the ledger); `entry_key` makes each movement happen once."""

    __tablename__ = "wallet_entry"
    __table_args__ = (Index("ix_wallet_entry_account_at", "account_id", "at"),)

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(foreign_key="account.id")
    amount: int
    balance_after: int
    kind: str = Field(max_length=16)
    ref: str = Field(max_length=32)
    entry_key: str = Field(max_length=64, unique=True)
    at: datetime


class Checkin(SQLModel, table=True):
    """A daily check-in (签到); `day` is the date in China."""

    __table_args__ = (UniqueConstraint("account_id", "day"),)

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(foreign_key="account.id")
    day: date
    streak: int
    coupon_id: int | None = Field(default=None, foreign_key="coupon.id")


class GatewayTrade(SQLModel, table=True):
    """The simulated payment gateway's own record of a trade (支付宝, 微信支付, bank card)."""

    __tablename__ = "gateway_trade"

    trade_no: str = Field(max_length=32, primary_key=True)
    out_trade_no: str = Field(max_length=24, index=True)
    channel: PaymentMethod = Field(sa_type=String(16))
    amount: int
    status: TradeStatus = Field(sa_type=String(16))
    created_at: datetime
    expires_at: datetime
    """An open trade can no longer be paid from then on (the order's deadline)."""
    paid_at: datetime | None = None
    closed_at: datetime | None = None
    refunded_at: datetime | None = None


class GatewayNotice(SQLModel, table=True):
    """A notification the simulated gateway will deliver (late, and sometimes twice)."""

    __tablename__ = "gateway_notice"
    __table_args__ = (Index("ix_gateway_notice_due", "delivered_at", "due_at"),)

    id: int | None = Field(default=None, primary_key=True)
    trade_no: str = Field(foreign_key="gateway_trade.trade_no")
    body: str = Field(max_length=1000)
    due_at: datetime
    delivered_at: datetime | None = None
