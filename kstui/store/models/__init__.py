"""The tables of a kstui store (SQLModel), one module per area.

Importing this package registers every table on `SQLModel.metadata` (what Alembic
compares the migrations with). Money columns are integer fen; datetimes are UTC; enum
columns hold the enum's string value. The full-text search tables are engine-specific
and made by the migrations, not described here.
"""

from __future__ import annotations

from kstui.store.models.accounts import (
    Account,
    AccountEvent,
    LinkedIdentity,
    Lockout,
    LoginSession,
    SmsCode,
    SmsQuota,
)
from kstui.store.models.catalog import (
    FILTER_COLUMNS,
    SORT_COLUMNS,
    Brand,
    Category,
    Picture,
    Product,
    ProductSpec,
    Promotion,
    Review,
    ReviewPhoto,
    ShippingRate,
    Shop,
    Sku,
    SpecValue,
)
from kstui.store.models.ordering import (
    Address,
    CartLine,
    Checkin,
    Checkout,
    Coupon,
    CouponTemplate,
    OrderEvent,
    OrderLine,
    ShopOrder,
)
from kstui.store.models.payments import Payment, PaymentEvent, Wallet, WalletEntry
from kstui.store.models.world import GatewayNotice, GatewayTrade, SmsMessage, WorldClock

__all__ = [
    "FILTER_COLUMNS",
    "SORT_COLUMNS",
    "Account",
    "AccountEvent",
    "Address",
    "Brand",
    "CartLine",
    "Category",
    "Checkin",
    "Checkout",
    "Coupon",
    "CouponTemplate",
    "GatewayNotice",
    "GatewayTrade",
    "LinkedIdentity",
    "Lockout",
    "LoginSession",
    "OrderEvent",
    "OrderLine",
    "Payment",
    "PaymentEvent",
    "Picture",
    "Product",
    "ProductSpec",
    "Promotion",
    "Review",
    "ReviewPhoto",
    "ShippingRate",
    "Shop",
    "ShopOrder",
    "Sku",
    "SmsCode",
    "SmsMessage",
    "SmsQuota",
    "SpecValue",
    "Wallet",
    "WalletEntry",
    "WorldClock",
]
