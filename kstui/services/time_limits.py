"""Every time limit of the shop, in one place, with its default.

A limit that runs out acts through a deadline stored on its row (`checkout.pay_deadline`,
`payment.expires_at`, `sms_code.expires_at`, …), written when the row is made: changing a
limit changes what comes next, not what is already waiting. `kstui sim status` lists them;
`kstui --pay-timeout N` changes the pay window. The next issues add theirs here
(shipping delay, auto-confirm after 10 days, the review and return windows).
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import timedelta


@dataclass(frozen=True)
class TimeLimits:
    """The shop's time limits.

    Attributes:
        pay_window: A submitted order waits this long for payment, then cancels itself
            and gives its stock and coupons back (待付款 → 已取消).
        recharge_window: A wallet recharge waits this long for its QR code to be paid or
            its card to be verified, then closes.
        sms_code: An SMS code is valid this long (single use, 5 tries).
        sms_resend: A phone gets at most one text this often.
        password_lock: Five wrong login passwords in a row lock password login this long.
        payment_lock: Five wrong payment passwords in a row lock paying this long.
        session: A login is remembered this long.
        second_factor: A started second verification (the SMS after the password) waits
            this long for its code.
    """

    pay_window: timedelta = timedelta(minutes=15)
    recharge_window: timedelta = timedelta(minutes=15)
    sms_code: timedelta = timedelta(minutes=5)
    sms_resend: timedelta = timedelta(seconds=60)
    password_lock: timedelta = timedelta(minutes=30)
    payment_lock: timedelta = timedelta(minutes=30)
    session: timedelta = timedelta(days=30)
    second_factor: timedelta = timedelta(minutes=10)

    def items(self) -> list[tuple[str, timedelta]]:
        """(name, value) of every limit, in the order above."""
        return [(f.name, getattr(self, f.name)) for f in fields(self)]


DEFAULT_LIMITS = TimeLimits()
"""The limits of a shop started without options."""
