"""Payments (收银台): 支付宝/微信支付 by QR code, bank cards, the platform balance; and
recharging the wallet through the same gateways.

Never twice:
- every attempt carries the client's idempotency key (unique): the same key again
  returns the first attempt's result, whatever happened since;
- a checkout becomes paid by one conditional update (`status = 'awaiting_payment'`),
  so of two payments racing for it one wins; its other attempts still open are then
  closed (at the gateway too), and a gateway payment that lost (paid there before it
  could be closed, its notification still on the way) is refunded at once;
- the gateway's notifications are checked (signature, trade, amount) and applied by
  a conditional move of the payment (`pending → succeeded`): ten copies, one charge;
- balance payments debit the wallet in the same transaction that pays the checkout.

Before an unpaid checkout is closed at its deadline, its open QR trades are asked at
the gateway (交易查询): a trade paid in time is applied, not cancelled.
"""

from __future__ import annotations

import json
import secrets
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from kstui.i18n import Localized
from kstui.providers import gateway
from kstui.providers.clock import Clock
from kstui.providers.gateway import CardOutcome
from kstui.providers.sms import SmsGateway
from kstui.services.accounts.errors import CodeRejected, SendTooSoon
from kstui.services.accounts.records import phone_of, session_account
from kstui.services.accounts.security import verify_payment_password
from kstui.services.accounts.sms_codes import Purpose, check_code, send_code
from kstui.services.errors import DomainError
from kstui.services.ordering.lifecycle import (
    CancelReason,
    CheckoutNotFound,
    close_checkout,
    mark_paid,
)
from kstui.services.payments.cards import CardDetails
from kstui.services.payments.states import PAYMENTS
from kstui.services.payments.wallet import (
    EntryKind,
    balance_of,
    check_recharge_amount,
    credit,
    debit,
)
from kstui.store.db import Store, db_time, from_db_time
from kstui.store.enums import (
    CheckoutStatus,
    PaymentMethod,
    PaymentPurpose,
    PaymentStatus,
    TradeStatus,
)
from kstui.timefmt import CHINA

RECHARGE_TIMEOUT = timedelta(minutes=15)
"""How long a recharge's QR code can be paid."""


class RealNameRequired(DomainError):
    """Paying needs a real-name-verified account (实名认证)."""

    key = "payments.error.real_name_required"


class AlreadyPaid(DomainError):
    """The checkout is paid already."""

    key = "payments.error.already_paid"


class CheckoutClosed(DomainError):
    """The checkout was cancelled (by the shopper or at its deadline): it cannot be paid."""

    key = "payments.error.checkout_closed"


class PaymentNotFound(DomainError):
    """A payment number that is not this shopper's."""

    key = "payments.error.payment_not_found"


class KeyReused(DomainError):
    """An idempotency key sent again for a different payment."""

    key = "payments.error.payment_key_reused"


class NotAwaitingCode(DomainError):
    """An SMS code for a card payment that is not waiting for one."""

    key = "payments.error.payment_not_awaiting_code"


class WrongMethod(DomainError):
    """A method that cannot pay this (the balance cannot recharge itself)."""

    key = "payments.error.payment_wrong_method"


class NoticeOutcome(StrEnum):
    """What the shop answered to a gateway notification."""

    APPLIED = "applied"
    DUPLICATE = "duplicate"
    REFUNDED = "refunded"
    """Paid after its checkout was closed or paid otherwise: given back."""
    REJECTED = "rejected"


@dataclass(frozen=True)
class PaymentView:
    """A payment attempt as the cashier shows it."""

    no: str
    purpose: PaymentPurpose
    method: PaymentMethod
    amount: int
    status: PaymentStatus
    failure: str | None
    checkout_no: str | None
    trade_no: str | None
    card_last4: str | None
    awaiting_code: bool
    qr_url: str | None


@dataclass(frozen=True)
class CashierOrder:
    """An order of the checkout being paid."""

    no: str
    shop_name: Localized
    total: int


@dataclass(frozen=True)
class CashierView:
    """What the cashier (收银台) shows."""

    checkout_no: str
    amount: int
    status: CheckoutStatus
    pay_deadline: datetime
    method: PaymentMethod
    orders: list[CashierOrder]
    balance: int
    verified: bool
    payment_password_set: bool
    phone: str


@dataclass(frozen=True)
class _Target:
    purpose: PaymentPurpose
    checkout_id: int | None
    checkout_no: str | None
    amount: int
    expires_at: datetime


# -- the cashier ----------------------------------------------------------------------------


def cashier(store: Store, token: str, checkout_no: str, *, clock: Clock) -> CashierView:
    """The checkout to pay, after closing it if its deadline has passed.

    Raises:
        NotLoggedIn, CheckoutNotFound.
    """
    _close_if_overdue(store, checkout_no, clock=clock)
    with store.reading() as conn:
        account_id = session_account(conn, token, clock=clock)
        row = conn.execute(
            "SELECT id, amount, status, pay_deadline, method FROM checkout"
            " WHERE no = ? AND account_id = ?",
            (checkout_no, account_id),
        ).fetchone()
        if row is None:
            raise CheckoutNotFound()
        checkout_id, amount, status, deadline, method = row
        orders = [
            CashierOrder(no, Localized(zh, en), total)
            for no, zh, en, total in conn.execute(
                "SELECT o.no, s.name_zh, s.name_en, o.total FROM shop_order AS o"
                " JOIN shop AS s ON s.id = o.shop_id WHERE o.checkout_id = ? ORDER BY o.id",
                (checkout_id,),
            )
        ]
        real_name, password = conn.execute(
            "SELECT real_name, payment_password_hash FROM account WHERE id = ?", (account_id,)
        ).fetchone()
        return CashierView(
            checkout_no=checkout_no,
            amount=amount,
            status=CheckoutStatus(status),
            pay_deadline=from_db_time(deadline),
            method=PaymentMethod(method),
            orders=orders,
            balance=balance_of(conn, account_id),
            verified=real_name is not None,
            payment_password_set=password is not None,
            phone=phone_of(conn, account_id),
        )


# -- paying a checkout ----------------------------------------------------------------------


def start_qr(
    store: Store, token: str, checkout_no: str, method: PaymentMethod, key: str, *, clock: Clock
) -> PaymentView:
    """Show a 支付宝/微信支付 QR code for the checkout: a gateway trade to scan.

    Raises:
        NotLoggedIn, RealNameRequired, CheckoutNotFound, AlreadyPaid, CheckoutClosed,
        KeyReused, WrongMethod.
    """
    if not method.by_qr:
        raise WrongMethod()
    _close_if_overdue(store, checkout_no, clock=clock)
    now = clock.now()
    with store.writing() as conn:
        account_id = _payer(conn, token, clock)
        earlier = _replay(conn, key, account_id, method, checkout_no)
        if earlier is not None:
            return earlier
        target = _checkout_target(conn, account_id, checkout_no, now)
        return _open_qr(conn, account_id, target, method, key, now)


def pay_by_card(
    store: Store,
    token: str,
    checkout_no: str,
    card: CardDetails,
    payment_password: str,
    key: str,
    *,
    clock: Clock,
    sms: SmsGateway,
) -> PaymentView:
    """Pay the checkout with a bank card, after the payment password.

    The result may be a success, a failure in plain words (declined, insufficient
    funds: the checkout stays unpaid and can be paid again), or a wait for the SMS code
    the bank sent (`confirm_card_code`).

    Raises:
        NotLoggedIn, RealNameRequired, PaymentPasswordNotSet, PaymentPasswordWrong,
        PaymentLocked, CheckoutNotFound, AlreadyPaid, CheckoutClosed, KeyReused,
        SendTooSoon, DailySmsLimit (the bank's SMS code cannot be sent now; nothing
        changed).
    """
    _close_if_overdue(store, checkout_no, clock=clock)
    _check_password(store, token, payment_password, clock)
    now = clock.now()
    with store.writing() as conn:
        account_id = _payer(conn, token, clock)
        earlier = _replay(conn, key, account_id, PaymentMethod.CARD, checkout_no)
        if earlier is not None:
            return earlier
        target = _checkout_target(conn, account_id, checkout_no, now)
        return _charge_card(conn, account_id, target, card, key, now, clock=clock, sms=sms)


def pay_by_balance(
    store: Store, token: str, checkout_no: str, payment_password: str, key: str, *, clock: Clock
) -> PaymentView:
    """Pay the checkout from the wallet, after the payment password.

    Raises:
        NotLoggedIn, RealNameRequired, PaymentPasswordNotSet, PaymentPasswordWrong,
        PaymentLocked, CheckoutNotFound, AlreadyPaid, CheckoutClosed, KeyReused,
        InsufficientBalance (nothing changed).
    """
    _close_if_overdue(store, checkout_no, clock=clock)
    _check_password(store, token, payment_password, clock)
    now = clock.now()
    with store.writing() as conn:
        account_id = _payer(conn, token, clock)
        earlier = _replay(conn, key, account_id, PaymentMethod.BALANCE, checkout_no)
        if earlier is not None:
            return earlier
        target = _checkout_target(conn, account_id, checkout_no, now)
        payment_id, no = _new_payment(conn, account_id, target, PaymentMethod.BALANCE, key, now)
        debit(
            conn, account_id, target.amount, kind=EntryKind.PAYMENT, ref=checkout_no,
            entry_key=f"pay:{no}", now=now,
        )  # fmt: skip
        _succeed(conn, payment_id, now)
        return _view(conn, payment_id)


def confirm_card_code(
    store: Store, token: str, payment_no: str, code: str, *, clock: Clock
) -> PaymentView:
    """The SMS code of a card payment that needed one.

    Raises:
        NotLoggedIn, PaymentNotFound, NotAwaitingCode, CodeRejected (a wrong try is
        counted).
    """
    now = clock.now()
    failure: CodeRejected | None = None
    with store.writing() as conn:
        account_id = session_account(conn, token, clock=clock)
        payment_id = _payment_id(conn, account_id, payment_no)
        view = _view(conn, payment_id)
        if not view.awaiting_code or view.trade_no is None:
            raise NotAwaitingCode()
        failure = check_code(
            conn, phone_of(conn, account_id), Purpose.CARD_PAYMENT, code, clock=clock
        )
        if failure is None:
            if _target_open(conn, payment_id, now) and gateway.confirm_card(
                conn, view.trade_no, now
            ):
                _succeed(conn, payment_id, now)
            else:
                gateway.close_trade(conn, view.trade_no, now)
                PAYMENTS.move(
                    conn, payment_id, PaymentStatus.PENDING, PaymentStatus.CLOSED, at=now,
                    detail="closed_before_code", updated_at=db_time(now),
                )  # fmt: skip
            view = _view(conn, payment_id)
    if failure is not None:
        raise failure
    return view


def payment_status(
    store: Store, token: str, payment_no: str, *, clock: Clock, query_gateway: bool = True
) -> PaymentView:
    """A payment as it stands now. With `query_gateway`, a QR payment still pending is
    asked about at the gateway (交易查询: 我已完成支付) and a trade paid there is applied,
    as its notification would be; without, only what the notifications told is known.

    Raises:
        NotLoggedIn, PaymentNotFound.
    """
    now = clock.now()
    with store.reading() as conn:
        account_id = session_account(conn, token, clock=clock)
        view = _view(conn, _payment_id(conn, account_id, payment_no))
    waiting = view.status is PaymentStatus.PENDING and view.method.by_qr
    if not (query_gateway and waiting and view.trade_no is not None):
        return view
    with store.writing() as conn:
        found = gateway.trade(conn, view.trade_no)
        payment_id = _payment_id(conn, account_id, payment_no)
        if found.status is TradeStatus.PAID and found.amount == view.amount:
            _succeed(conn, payment_id, now)
        return _view(conn, payment_id)


def simulate_scan(store: Store, token: str, payment_no: str, *, clock: Clock) -> bool:
    """The shopper's (simulated) phone scans this payment's QR code and pays at the gateway.

    Returns:
        False if the gateway refused: the code was paid already, closed or expired.

    Raises:
        NotLoggedIn, PaymentNotFound.
    """
    with store.reading() as conn:
        account_id = session_account(conn, token, clock=clock)
        view = _view(conn, _payment_id(conn, account_id, payment_no))
    if view.trade_no is None or not view.method.by_qr:
        raise PaymentNotFound()
    return gateway.scan_and_pay(store, view.trade_no, clock=clock)


def cancel_unpaid(store: Store, token: str, checkout_no: str, *, clock: Clock) -> bool:
    """The shopper cancels an unpaid checkout (all its orders). False if it could not
    be: paid meanwhile (at the gateway too) or closed already.

    Raises:
        NotLoggedIn, CheckoutNotFound.
    """
    now = clock.now()
    with store.writing() as conn:
        account_id = session_account(conn, token, clock=clock)
        row = conn.execute(
            "SELECT id FROM checkout WHERE no = ? AND account_id = ?", (checkout_no, account_id)
        ).fetchone()
        if row is None:
            raise CheckoutNotFound()
        return _close(conn, row[0], now, CancelReason.SHOPPER, overdue_only=False)


# -- recharging the wallet ------------------------------------------------------------------


def recharge_qr(
    store: Store, token: str, amount: int, method: PaymentMethod, key: str, *, clock: Clock
) -> PaymentView:
    """充值 by 支付宝/微信支付: a QR code for `amount` fen.

    Raises:
        NotLoggedIn, RealNameRequired, InvalidRecharge, KeyReused, WrongMethod.
    """
    if not method.by_qr:
        raise WrongMethod()
    check_recharge_amount(amount)
    now = clock.now()
    with store.writing() as conn:
        account_id = _payer(conn, token, clock)
        earlier = _replay(conn, key, account_id, method, None, amount)
        if earlier is not None:
            return earlier
        target = _Target(PaymentPurpose.RECHARGE, None, None, amount, now + RECHARGE_TIMEOUT)
        return _open_qr(conn, account_id, target, method, key, now)


def recharge_by_card(
    store: Store,
    token: str,
    amount: int,
    card: CardDetails,
    payment_password: str,
    key: str,
    *,
    clock: Clock,
    sms: SmsGateway,
) -> PaymentView:
    """充值 from a bank card, after the payment password.

    Raises:
        NotLoggedIn, RealNameRequired, InvalidRecharge, PaymentPasswordNotSet,
        PaymentPasswordWrong, PaymentLocked, KeyReused, SendTooSoon, DailySmsLimit.
    """
    check_recharge_amount(amount)
    _check_password(store, token, payment_password, clock)
    now = clock.now()
    with store.writing() as conn:
        account_id = _payer(conn, token, clock)
        earlier = _replay(conn, key, account_id, PaymentMethod.CARD, None, amount)
        if earlier is not None:
            return earlier
        target = _Target(PaymentPurpose.RECHARGE, None, None, amount, now + RECHARGE_TIMEOUT)
        return _charge_card(conn, account_id, target, card, key, now, clock=clock, sms=sms)


# -- the gateway's notifications and the deadline ------------------------------------------


def handle_notice(store: Store, body: str, *, clock: Clock) -> NoticeOutcome:
    """Receive one gateway notification (as its HTTP endpoint would).

    It is applied only if its signature is the gateway's, it names one of our payments
    and that payment's trade, and its amount is that payment's amount; anything else is
    rejected and changes nothing (the rejection is recorded on the payment if it
    names one).
    """
    now = clock.now()
    try:
        fields = json.loads(body)
        signature = fields.pop("sign")
        out_trade_no, trade_no = str(fields["out_trade_no"]), str(fields["trade_no"])
        amount, status = fields["amount"], fields["status"]
    except (ValueError, KeyError, TypeError, AttributeError):
        return NoticeOutcome.REJECTED
    if not isinstance(signature, str) or not gateway.signature_valid(fields, signature):
        return NoticeOutcome.REJECTED
    with store.writing() as conn:
        row = conn.execute(
            "SELECT id, trade_no, amount, status FROM payment WHERE no = ?", (out_trade_no,)
        ).fetchone()
        if row is None:
            return NoticeOutcome.REJECTED
        payment_id, our_trade, our_amount, our_status = row
        current = PaymentStatus(our_status)
        reason = (
            "wrong_trade" if trade_no != our_trade
            else "wrong_amount" if amount != our_amount or isinstance(amount, bool)
            else "not_paid" if status != TradeStatus.PAID.value
            else None
        )  # fmt: skip
        if reason is not None:
            PAYMENTS.record(
                conn, payment_id, current, current, at=now, detail=f"notice_rejected:{reason}"
            )
            return NoticeOutcome.REJECTED
        if current is not PaymentStatus.PENDING:
            PAYMENTS.record(conn, payment_id, current, current, at=now, detail="notice_duplicate")
            return NoticeOutcome.DUPLICATE
        outcome = _succeed(conn, payment_id, now)
    return NoticeOutcome.APPLIED if outcome is PaymentStatus.SUCCEEDED else NoticeOutcome.REFUNDED


def deliver_notices(store: Store, *, clock: Clock) -> int:
    """Deliver the gateway's notifications that are due (a "catch up to now" step, safe
    from any process: each notification is idempotent); how many were delivered."""
    now = clock.now()
    with store.reading() as conn:
        due = gateway.due_notices(conn, now)
    for notice in due:
        handle_notice(store, notice.body, clock=clock)
        with store.writing() as conn:
            gateway.mark_delivered(conn, notice.id, now)
    return len(due)


def cancel_overdue(store: Store, *, clock: Clock) -> int:
    """Close every unpaid checkout past its deadline (after asking the gateway about its
    QR trades); how many this call cancelled. Safe from any process, any number of times."""
    now = clock.now()
    with store.reading() as conn:
        due = [
            row[0]
            for row in conn.execute(
                "SELECT id FROM checkout WHERE status = ? AND pay_deadline <= ? LIMIT 500",
                (CheckoutStatus.AWAITING_PAYMENT.value, db_time(now)),
            )
        ]
    cancelled = 0
    for checkout_id in due:
        with store.writing() as conn:
            cancelled += _close(conn, checkout_id, now, CancelReason.TIMEOUT, overdue_only=True)
    return cancelled


def close_stale_recharges(store: Store, *, clock: Clock) -> int:
    """Close recharge attempts whose QR code or card verification ran out of time (after
    asking the gateway: one paid in time is applied); how many were closed."""
    now = clock.now()
    since = db_time(now - RECHARGE_TIMEOUT)
    with store.reading() as conn:
        stale = conn.execute(
            "SELECT id, trade_no FROM payment WHERE purpose = ? AND status = ? AND created_at <= ?",
            (PaymentPurpose.RECHARGE.value, PaymentStatus.PENDING.value, since),
        ).fetchall()
    closed = 0
    for payment_id, trade_no in stale:
        with store.writing() as conn:
            if trade_no is not None and gateway.trade(conn, trade_no).status is TradeStatus.PAID:
                _succeed(conn, payment_id, now)
                continue
            if trade_no is not None:
                gateway.close_trade(conn, trade_no, now)
            closed += PAYMENTS.move(
                conn, payment_id, PaymentStatus.PENDING, PaymentStatus.CLOSED, at=now,
                detail="expired", updated_at=db_time(now),
            )  # fmt: skip
    return closed


def catch_up(store: Store, *, clock: Clock) -> tuple[int, int]:
    """Everything about payments that falls due by now: notifications, then deadlines.

    Returns:
        (notifications delivered, checkouts cancelled).
    """
    delivered = deliver_notices(store, clock=clock)
    cancelled = cancel_overdue(store, clock=clock)
    close_stale_recharges(store, clock=clock)
    return delivered, cancelled


# -- inside the transactions ----------------------------------------------------------------


def _payer(conn: sqlite3.Connection, token: str, clock: Clock) -> int:
    account_id = session_account(conn, token, clock=clock)
    (real_name,) = conn.execute(
        "SELECT real_name FROM account WHERE id = ?", (account_id,)
    ).fetchone()
    if real_name is None:
        raise RealNameRequired()
    return account_id


def _check_password(store: Store, token: str, password: str, clock: Clock) -> None:
    with store.reading() as conn:
        account_id = _payer(conn, token, clock)
    verify_payment_password(store, account_id, password, clock=clock)


def _close_if_overdue(store: Store, checkout_no: str, *, clock: Clock) -> None:
    now = clock.now()
    with store.reading() as conn:
        row = conn.execute(
            "SELECT id FROM checkout WHERE no = ? AND status = ? AND pay_deadline <= ?",
            (checkout_no, CheckoutStatus.AWAITING_PAYMENT.value, db_time(now)),
        ).fetchone()
    if row is not None:
        with store.writing() as conn:
            _close(conn, row[0], now, CancelReason.TIMEOUT, overdue_only=True)


def _close(
    conn: sqlite3.Connection, checkout_id: int, now: datetime, reason: str, *, overdue_only: bool
) -> bool:
    """Close a checkout unless one of its payments turns out paid; True if closed."""
    pending = conn.execute(
        "SELECT id, trade_no FROM payment WHERE checkout_id = ? AND status = ?",
        (checkout_id, PaymentStatus.PENDING.value),
    ).fetchall()
    for payment_id, trade_no in pending:
        paid_in_time = (  # its notification is still on its way: apply it, do not cancel
            trade_no is not None and gateway.trade(conn, trade_no).status is TradeStatus.PAID
        )
        if paid_in_time and _succeed(conn, payment_id, now) is PaymentStatus.SUCCEEDED:
            return False
    if not close_checkout(conn, checkout_id, now, reason, overdue_only=overdue_only):
        return False
    for payment_id, trade_no in pending:
        if trade_no is not None:
            gateway.close_trade(conn, trade_no, now)
        PAYMENTS.move(
            conn, payment_id, PaymentStatus.PENDING, PaymentStatus.CLOSED, at=now, detail=reason,
            updated_at=db_time(now),
        )  # fmt: skip
    return True


def _checkout_target(
    conn: sqlite3.Connection, account_id: int, checkout_no: str, now: datetime
) -> _Target:
    row = conn.execute(
        "SELECT id, status, amount, pay_deadline FROM checkout WHERE no = ? AND account_id = ?",
        (checkout_no, account_id),
    ).fetchone()
    if row is None:
        raise CheckoutNotFound()
    checkout_id, status, amount, deadline = row
    if status == CheckoutStatus.PAID:
        raise AlreadyPaid()
    expires = from_db_time(deadline)
    if status == CheckoutStatus.CLOSED or expires <= now:
        raise CheckoutClosed()
    return _Target(PaymentPurpose.CHECKOUT, checkout_id, checkout_no, amount, expires)


def _target_open(conn: sqlite3.Connection, payment_id: int, now: datetime) -> bool:
    row = conn.execute(
        "SELECT c.status, c.pay_deadline FROM payment AS p JOIN checkout AS c"
        " ON c.id = p.checkout_id WHERE p.id = ?",
        (payment_id,),
    ).fetchone()
    if row is None:  # a recharge
        return True
    return row[0] == CheckoutStatus.AWAITING_PAYMENT and from_db_time(row[1]) > now


def _new_payment(
    conn: sqlite3.Connection,
    account_id: int,
    target: _Target,
    method: PaymentMethod,
    key: str,
    now: datetime,
) -> tuple[int, str]:
    no = f"P{now.astimezone(CHINA):%y%m%d}{secrets.randbelow(10**12):012d}"
    stamp = db_time(now)
    payment_id = conn.execute(
        "INSERT INTO payment (no, idempotency_key, account_id, purpose, checkout_id, method,"
        " amount, status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (no, key, account_id, target.purpose.value, target.checkout_id, method.value,
         target.amount, PaymentStatus.PENDING.value, stamp, stamp),
    ).lastrowid  # fmt: skip
    assert payment_id is not None
    PAYMENTS.record(conn, payment_id, None, PaymentStatus.PENDING, at=now)
    return payment_id, no


def _open_qr(
    conn: sqlite3.Connection,
    account_id: int,
    target: _Target,
    method: PaymentMethod,
    key: str,
    now: datetime,
) -> PaymentView:
    payment_id, no = _new_payment(conn, account_id, target, method, key, now)
    opened = gateway.open_trade(
        conn, no, method, target.amount, now=now, expires_at=target.expires_at
    )
    conn.execute("UPDATE payment SET trade_no = ? WHERE id = ?", (opened.trade_no, payment_id))
    return _view(conn, payment_id)


def _charge_card(
    conn: sqlite3.Connection,
    account_id: int,
    target: _Target,
    card: CardDetails,
    key: str,
    now: datetime,
    *,
    clock: Clock,
    sms: SmsGateway,
) -> PaymentView:
    payment_id, no = _new_payment(conn, account_id, target, PaymentMethod.CARD, key, now)
    opened = gateway.open_trade(
        conn, no, PaymentMethod.CARD, target.amount, now=now, expires_at=target.expires_at
    )
    conn.execute(
        "UPDATE payment SET trade_no = ?, card_last4 = ? WHERE id = ?",
        (opened.trade_no, card.last4, payment_id),
    )
    outcome = gateway.charge_card(conn, card.number, opened, now)
    if outcome is CardOutcome.APPROVED:
        _succeed(conn, payment_id, now)
    elif outcome is CardOutcome.VERIFY_BY_SMS:
        phone = phone_of(conn, account_id)
        try:
            send_code(conn, phone, Purpose.CARD_PAYMENT, clock=clock, sms=sms)
        except SendTooSoon:
            # The card code sent a moment ago is still good; but if the code of a moment
            # ago was for something else (a login), no card code can come for a while:
            # refuse (rolling back) rather than wait for a code that never comes.
            if not _card_code_waiting(conn, phone, now):
                raise
        PAYMENTS.record(conn, payment_id, PaymentStatus.PENDING, PaymentStatus.PENDING, at=now,
                        detail="awaiting_code")  # fmt: skip
    else:
        PAYMENTS.move(
            conn, payment_id, PaymentStatus.PENDING, PaymentStatus.FAILED, at=now,
            detail=outcome.value, failure=outcome.value, updated_at=db_time(now),
        )  # fmt: skip
    return _view(conn, payment_id)


def _card_code_waiting(conn: sqlite3.Connection, phone: str, now: datetime) -> bool:
    """True if a card-payment code sent to `phone` can still be entered."""
    return (
        conn.execute(
            "SELECT 1 FROM sms_code WHERE phone = ? AND purpose = ? AND used_at IS NULL"
            " AND revoked_at IS NULL AND expires_at > ?",
            (phone, Purpose.CARD_PAYMENT.value, db_time(now)),
        ).fetchone()
        is not None
    )


def _succeed(conn: sqlite3.Connection, payment_id: int, now: datetime) -> PaymentStatus:
    """A payment was made (gateway paid, card approved, balance debited): apply it once.

    Returns the payment's status afterwards: SUCCEEDED, or REFUNDED when its checkout
    could not take it (closed, or paid by another payment).
    """
    no, purpose, checkout_id, account_id, method, amount, trade_no, status = conn.execute(
        "SELECT no, purpose, checkout_id, account_id, method, amount, trade_no, status"
        " FROM payment WHERE id = ?",
        (payment_id,),
    ).fetchone()
    stamp = db_time(now)
    if not PAYMENTS.move(
        conn, payment_id, PaymentStatus.PENDING, PaymentStatus.SUCCEEDED, at=now, updated_at=stamp
    ):
        return PaymentStatus(status)
    if purpose == PaymentPurpose.RECHARGE:
        credit(
            conn, account_id, amount, kind=EntryKind.RECHARGE, ref=no,
            entry_key=f"recharge:{no}", now=now,
        )  # fmt: skip
        return PaymentStatus.SUCCEEDED
    if mark_paid(conn, checkout_id, payment_id, now):
        _close_other_attempts(conn, checkout_id, payment_id, now)
        return PaymentStatus.SUCCEEDED
    if method == PaymentMethod.BALANCE:
        credit(
            conn, account_id, amount, kind=EntryKind.REFUND, ref=no, entry_key=f"refund:{no}",
            now=now,
        )  # fmt: skip
    elif trade_no is not None:
        gateway.refund_trade(conn, trade_no, now)
    PAYMENTS.move(
        conn, payment_id, PaymentStatus.SUCCEEDED, PaymentStatus.REFUNDED, at=now,
        detail="checkout_not_awaiting", updated_at=stamp,
    )  # fmt: skip
    return PaymentStatus.REFUNDED


def _close_other_attempts(
    conn: sqlite3.Connection, checkout_id: int, paid_by: int, now: datetime
) -> None:
    """The checkout was paid by `paid_by`: its other attempts still waiting (a QR code
    shown, a card waiting for its SMS code) are closed at the gateway and here, rather
    than left pending for ever. One already paid at the gateway stays pending: its
    notification (or the trade query) refunds it."""
    waiting = conn.execute(
        "SELECT id, trade_no FROM payment WHERE checkout_id = ? AND status = ? AND id != ?",
        (checkout_id, PaymentStatus.PENDING.value, paid_by),
    ).fetchall()
    for other_id, trade_no in waiting:
        if trade_no is not None and not gateway.close_trade(conn, trade_no, now):
            continue
        PAYMENTS.move(
            conn, other_id, PaymentStatus.PENDING, PaymentStatus.CLOSED, at=now,
            detail="checkout_paid", updated_at=db_time(now),
        )  # fmt: skip


def _replay(
    conn: sqlite3.Connection,
    key: str,
    account_id: int,
    method: PaymentMethod,
    checkout_no: str | None,
    amount: int | None = None,
) -> PaymentView | None:
    """The payment made earlier with this key (the same request sent again), if any.

    Raises:
        KeyReused: the key was used for a different payment (another account, method,
            checkout, or recharge amount).
    """
    row = conn.execute(
        "SELECT id, account_id FROM payment WHERE idempotency_key = ?", (key,)
    ).fetchone()
    if row is None:
        return None
    view = _view(conn, row[0])
    if row[1] != account_id or view.method is not method or view.checkout_no != checkout_no:
        raise KeyReused()
    if amount is not None and view.amount != amount:
        raise KeyReused()
    return view


def _payment_id(conn: sqlite3.Connection, account_id: int, payment_no: str) -> int:
    row = conn.execute(
        "SELECT id FROM payment WHERE no = ? AND account_id = ?", (payment_no, account_id)
    ).fetchone()
    if row is None:
        raise PaymentNotFound()
    return int(row[0])


def _view(conn: sqlite3.Connection, payment_id: int) -> PaymentView:
    row = conn.execute(
        """
        SELECT p.no, p.purpose, p.method, p.amount, p.status, p.failure, c.no, p.trade_no,
               p.card_last4,
               EXISTS (SELECT 1 FROM payment_event AS e WHERE e.payment_id = p.id
                       AND e.detail = 'awaiting_code')
        FROM payment AS p LEFT JOIN checkout AS c ON c.id = p.checkout_id
        WHERE p.id = ?
        """,
        (payment_id,),
    ).fetchone()
    no, purpose, method, amount, status, failure, checkout_no, trade_no, last4, code = row
    method = PaymentMethod(method)
    status = PaymentStatus(status)
    qr_url = gateway.qr_url(method, trade_no) if method.by_qr and trade_no else None
    return PaymentView(
        no=no,
        purpose=PaymentPurpose(purpose),
        method=method,
        amount=amount,
        status=status,
        failure=failure,
        checkout_no=checkout_no,
        trade_no=trade_no,
        card_last4=last4,
        awaiting_code=bool(code) and status is PaymentStatus.PENDING,
        qr_url=qr_url,
    )
