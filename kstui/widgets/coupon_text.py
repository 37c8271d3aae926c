"""How a coupon's numbers read: 满100减10, 无门槛减5, 满200打9.5折."""

from __future__ import annotations

from typing import Protocol

from kstui.i18n import Translator
from kstui.money import format_yuan_plain
from kstui.store.enums import CouponKind


class CouponNumbers(Protocol):
    """What a coupon takes off (a template on a product page, or a held coupon's terms)."""

    @property
    def kind(self) -> CouponKind: ...
    @property
    def threshold(self) -> int: ...
    @property
    def amount_off(self) -> int: ...
    @property
    def pay_percent(self) -> int: ...


def coupon_label(t: Translator, coupon: CouponNumbers) -> str:
    """满100减10 / 无门槛减5 / 满200打9.5折 (English: ¥10 off ¥100…), from the numbers."""
    if coupon.kind is CouponKind.DISCOUNT:
        tenths, rest = divmod(coupon.pay_percent, 10)
        rate = f"{tenths}.{rest}" if rest else str(tenths)
        off = 100 - coupon.pay_percent
        if coupon.threshold:
            return t(
                "ordering.coupon.percent_over",
                threshold=format_yuan_plain(coupon.threshold),
                rate=rate,
                off=off,
            )
        return t("ordering.coupon.percent", rate=rate, off=off)
    amount = format_yuan_plain(coupon.amount_off)
    if coupon.threshold:
        return t(
            "ordering.coupon.amount_over",
            threshold=format_yuan_plain(coupon.threshold),
            amount=amount,
        )
    return t("ordering.coupon.amount", amount=amount)
