"""The simulated payment gateway: 支付宝 and 微信支付 by QR code, and bank cards.

It plays the outside party. It keeps its own records (`gateway_trade`), and it tells
the shop about a paid QR trade the way real gateways do: by a signed asynchronous
notification (`gateway_notice`) that arrives some time later and, as real ones do,
sometimes more than once. The shop must check the signature, the trade and the amount,
and apply a payment exactly once however many notifications arrive.

Bank cards answer at once, by card number (the test cards below, documented in the
README); any other valid card number is accepted.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from kstui.providers.clock import Clock
from kstui.store.enums import PaymentMethod, TradeStatus
from kstui.store.interface import Store, Transaction, from_db_time
from kstui.timefmt import CHINA

SIGNING_KEY = b"kstui-simulated-gateway-2026"
"""The key the gateway signs notifications with (shared with the shop, as with a real
gateway's merchant key)."""

PAY_HOST = "https://pay.kstui.test"
NOTICE_DELAYS = (timedelta(seconds=2), timedelta(seconds=8))
"""When the notifications of a paid QR trade arrive: late, and twice."""


class CardOutcome(StrEnum):
    """What the card's bank answers."""

    APPROVED = "approved"
    DECLINED = "declined"
    INSUFFICIENT_FUNDS = "insufficient_funds"
    VERIFY_BY_SMS = "verify_by_sms"


TEST_CARDS: dict[str, CardOutcome] = {
    "6222021234567890128": CardOutcome.APPROVED,
    "6222020000000000018": CardOutcome.DECLINED,
    "6222020000000000026": CardOutcome.INSUFFICIENT_FUNDS,
    "6222020000000000034": CardOutcome.VERIFY_BY_SMS,
}
"""Test card numbers and their outcomes; every other valid number is approved."""


class UnknownTrade(LookupError):
    """A trade number the gateway never issued."""


@dataclass(frozen=True)
class Trade:
    """A trade as the gateway reports it."""

    trade_no: str
    out_trade_no: str
    channel: PaymentMethod
    amount: int
    status: TradeStatus
    created_at: datetime
    expires_at: datetime

    @property
    def qr_url(self) -> str:
        """What the QR code of a 支付宝/微信支付 trade encodes."""
        return qr_url(self.channel, self.trade_no)


@dataclass(frozen=True)
class Notice:
    """A notification due for delivery: its row id and its signed body."""

    id: int
    body: str


def qr_url(channel: PaymentMethod, trade_no: str) -> str:
    """The payment URL a 支付宝/微信支付 trade's QR code encodes."""
    return f"{PAY_HOST}/{channel.value}/qr/{trade_no}"


def open_trade(
    tx: Transaction,
    out_trade_no: str,
    channel: PaymentMethod,
    amount: int,
    *,
    now: datetime,
    expires_at: datetime,
) -> Trade:
    """Open a trade for the shop's payment `out_trade_no` (支付宝/微信 precreate, or a
    card), payable until `expires_at`."""
    trade_no = f"T{now.astimezone(CHINA):%Y%m%d}{secrets.randbelow(10**12):012d}"
    tx.execute(
        "INSERT INTO gateway_trade (trade_no, out_trade_no, channel, amount, status, created_at,"
        " expires_at) VALUES (:trade_no, :out_trade_no, :channel, :amount, :status, :created_at,"
        " :expires_at)",
        trade_no=trade_no,
        out_trade_no=out_trade_no,
        channel=channel.value,
        amount=amount,
        status=TradeStatus.OPEN.value,
        created_at=now,
        expires_at=expires_at,
    )
    return Trade(trade_no, out_trade_no, channel, amount, TradeStatus.OPEN, now, expires_at)


def trade(tx: Transaction, trade_no: str) -> Trade:
    """The gateway's answer to a trade query (交易查询).

    Raises:
        UnknownTrade: if there is no such trade.
    """
    row = tx.fetch_one(
        "SELECT trade_no, out_trade_no, channel, amount, status, created_at, expires_at"
        " FROM gateway_trade WHERE trade_no = :trade_no",
        trade_no=trade_no,
    )
    if row is None:
        raise UnknownTrade(trade_no)
    no, out_no, channel, amount, status, created, expires = row
    return Trade(
        no, out_no, PaymentMethod(channel), amount, TradeStatus(status), from_db_time(created),
        from_db_time(expires),
    )  # fmt: skip


def scan_and_pay(
    store: Store, trade_no: str, *, clock: Clock, delays: Sequence[timedelta] = NOTICE_DELAYS
) -> bool:
    """The shopper scans the QR code with the phone and pays: the trade is paid and its
    notifications are queued (one per delay).

    Paying is a conditional update of the trade (still open, not expired): of the shop
    closing it and the shopper paying it at the same moment, exactly one wins.

    Returns:
        False if the trade was not open (already paid, closed by the shop, or expired).

    Raises:
        UnknownTrade: if there is no such trade.
    """
    now = clock.now()
    with store.writing() as tx:
        found = trade(tx, trade_no)
        if not _settle(tx, trade_no, TradeStatus.PAID, now):
            return False
        body = notice_body(found, TradeStatus.PAID)
        tx.execute_many(
            "INSERT INTO gateway_notice (trade_no, body, due_at)"
            " VALUES (:trade_no, :body, :due_at)",
            [{"trade_no": trade_no, "body": body, "due_at": now + delay} for delay in delays],
        )
    return True


def charge_card(tx: Transaction, card_number: str, opened: Trade, now: datetime) -> CardOutcome:
    """Charge a card for an open card trade; approved trades are paid at once."""
    outcome = TEST_CARDS.get(card_number, CardOutcome.APPROVED)
    if outcome is CardOutcome.APPROVED:
        _settle(tx, opened.trade_no, TradeStatus.PAID, now)
    elif outcome is not CardOutcome.VERIFY_BY_SMS:
        _settle(tx, opened.trade_no, TradeStatus.CLOSED, now)
    return outcome


def confirm_card(tx: Transaction, trade_no: str, now: datetime) -> bool:
    """The card's SMS verification passed: the waiting trade is paid (False if not open)."""
    return _settle(tx, trade_no, TradeStatus.PAID, now)


def close_trade(tx: Transaction, trade_no: str, now: datetime) -> bool:
    """关闭交易: an open trade can no longer be paid. False if it was already paid.

    The close is a conditional update (still open), so a payment racing with it either
    lands first (False here) or finds the trade closed.
    """
    if _settle(tx, trade_no, TradeStatus.CLOSED, now):
        return True
    return trade(tx, trade_no).status is not TradeStatus.PAID


def refund_trade(tx: Transaction, trade_no: str, now: datetime) -> bool:
    """Give a paid trade's money back to where it came from (False if it was not paid)."""
    return bool(
        tx.execute(
            "UPDATE gateway_trade SET status = :refunded, refunded_at = :now"
            " WHERE trade_no = :trade_no AND status = :paid",
            refunded=TradeStatus.REFUNDED.value,
            now=now,
            trade_no=trade_no,
            paid=TradeStatus.PAID.value,
        )
    )


def due_notices(tx: Transaction, now: datetime, *, limit: int = 100) -> list[Notice]:
    """Notifications whose time has come and that were not delivered yet."""
    rows = tx.fetch_all(
        "SELECT id, body FROM gateway_notice WHERE delivered_at IS NULL AND due_at <= :now"
        " ORDER BY due_at, id LIMIT :limit",
        now=now,
        limit=limit,
    )
    return [Notice(notice_id, body) for notice_id, body in rows]


def mark_delivered(tx: Transaction, notice_id: int, now: datetime) -> bool:
    """Claim a notification for delivery: it is not sent again.

    A conditional update (not delivered yet), so of several processes delivering the
    same notification at once exactly one gets True and hands it to the shop, in the
    same transaction as the shop's handling of it (rolled back together, it is sent
    again later).
    """
    return bool(
        tx.execute(
            "UPDATE gateway_notice SET delivered_at = :now WHERE id = :id AND delivered_at IS NULL",
            now=now,
            id=notice_id,
        )
    )


def notice_body(paid: Trade, status: TradeStatus) -> str:
    """The signed JSON body of a notification about a trade."""
    fields = {
        "trade_no": paid.trade_no,
        "out_trade_no": paid.out_trade_no,
        "amount": paid.amount,
        "status": status.value,
    }
    return json.dumps({**fields, "sign": sign(fields)}, sort_keys=True)


def sign(fields: dict[str, object]) -> str:
    """HMAC-SHA256 over the fields in a canonical order."""
    canonical = "&".join(f"{key}={fields[key]}" for key in sorted(fields))
    return hmac.new(SIGNING_KEY, canonical.encode(), hashlib.sha256).hexdigest()


def signature_valid(fields: dict[str, object], signature: str) -> bool:
    """True if `signature` is the gateway's signature of `fields`."""
    return hmac.compare_digest(sign(fields), signature)


def _settle(tx: Transaction, trade_no: str, status: TradeStatus, now: datetime) -> bool:
    """Move an open trade to PAID (only before it expires) or CLOSED; False if it was not
    open (a conditional update: of two settlements racing, one wins)."""
    if status is TradeStatus.PAID:  # an expired trade cannot be paid
        sql = (
            "UPDATE gateway_trade SET status = :status, paid_at = :now"
            " WHERE trade_no = :trade_no AND status = :open AND expires_at > :now"
        )
    else:
        sql = (
            "UPDATE gateway_trade SET status = :status, closed_at = :now"
            " WHERE trade_no = :trade_no AND status = :open"
        )
    changed = tx.execute(
        sql, status=status.value, now=now, trade_no=trade_no, open=TradeStatus.OPEN.value
    )
    return bool(changed)
