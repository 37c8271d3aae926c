"""Ordering's tables: coupon templates and coupons held, addresses, cart lines,
checkouts and their shop orders, order lines and events, check-ins.

Money columns are integer fen; datetimes are UTC; enum columns hold the enum's value.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Index, String, UniqueConstraint
from sqlmodel import Field, SQLModel

from kstui.store.enums import (
    CheckoutStatus,
    CouponKind,
    CouponScope,
    InvoiceKind,
    OrderStatus,
    PaymentMethod,
)


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


class Checkin(SQLModel, table=True):
    """A daily check-in (签到); `day` is the date in China."""

    __table_args__ = (UniqueConstraint("account_id", "day"),)

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(foreign_key="account.id")
    day: date
    streak: int
    coupon_id: int | None = Field(default=None, foreign_key="coupon.id")
