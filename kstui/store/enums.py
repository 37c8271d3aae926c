"""Closed sets of values stored in the database (stored as their string values)."""

from __future__ import annotations

from enum import StrEnum


class ReturnPolicy(StrEnum):
    """Whether 7-day no-reason returns apply to a product, and if not, why."""

    STANDARD = "standard"
    FRESH = "fresh"
    VIRTUAL = "virtual"
    CUSTOM = "custom"

    @property
    def no_reason_returns(self) -> bool:
        """True when the 7-day no-reason return applies."""
        return self is ReturnPolicy.STANDARD


class PromotionKind(StrEnum):
    """Kinds of promotion shown on a product page."""

    LIMITED_TIME = "limited_time"
    FULL_REDUCTION = "full_reduction"
    GIFT = "gift"
    NEW_ARRIVAL = "new_arrival"


class CouponKind(StrEnum):
    """How a coupon takes money off.

    `amount_off`: 满X减Y (a zero threshold is 无门槛); `discount`: 打折, the shopper pays
    `pay_percent` percent (95 = 9.5折).
    """

    AMOUNT_OFF = "amount_off"
    DISCOUNT = "discount"


class CouponScope(StrEnum):
    """Who pays for a coupon and where it applies."""

    PLATFORM = "platform"
    SHOP = "shop"


class Role(StrEnum):
    """What an account is for."""

    SHOPPER = "shopper"
    MERCHANT = "merchant"


class OrderStatus(StrEnum):
    """Where an order stands (订单状态)."""

    PENDING_PAYMENT = "pending_payment"
    TO_SHIP = "to_ship"
    SHIPPED = "shipped"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


class CheckoutStatus(StrEnum):
    """Where the payment of a checkout (its orders together) stands."""

    AWAITING_PAYMENT = "awaiting_payment"
    PAID = "paid"
    CLOSED = "closed"


class PaymentMethod(StrEnum):
    """The four ways to pay."""

    ALIPAY = "alipay"
    WECHAT = "wechat"
    CARD = "card"
    BALANCE = "balance"

    @property
    def by_qr(self) -> bool:
        """True for the methods paid by scanning a QR code."""
        return self in (PaymentMethod.ALIPAY, PaymentMethod.WECHAT)


class PaymentPurpose(StrEnum):
    """What a payment pays for."""

    CHECKOUT = "checkout"
    RECHARGE = "recharge"


class PaymentStatus(StrEnum):
    """Where a payment attempt stands."""

    PENDING = "pending"
    """Waiting for the shopper (a QR code to scan, an SMS code to enter)."""
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    CLOSED = "closed"
    """Never paid, and can no longer be (the order was cancelled or paid otherwise)."""
    REFUNDED = "refunded"
    """Paid after its order was already paid or cancelled, so given back at once."""


class TradeStatus(StrEnum):
    """A trade as the simulated gateway sees it."""

    OPEN = "open"
    PAID = "paid"
    CLOSED = "closed"
    REFUNDED = "refunded"


class InvoiceKind(StrEnum):
    """Whether an order wants an invoice (发票), and for whom."""

    NONE = "none"
    PERSONAL = "personal"
    COMPANY = "company"
