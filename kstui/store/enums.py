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
