"""Payments (收银台): 支付宝/微信支付 by QR code, bank cards, the platform balance; and
recharging the wallet through the same gateways.

Never twice, on SQLite and on PostgreSQL (where write transactions run at the same time):
- every attempt carries the client's idempotency key (unique): the same key again
  returns the first attempt's result, whatever happened since; of two requests with one
  key at the same moment, the one whose insert finds the key taken (`ON CONFLICT DO
  NOTHING`) returns the other's result;
- an attempt on a checkout, once its payment row is written, holds the checkout's row
  (a conditional update: still awaiting payment, before its deadline), so that paying or
  closing the checkout at the same moment waits for it and then sees it;
- a checkout becomes paid by one conditional update (`status = 'awaiting_payment'`),
  so of two payments racing for it one wins; its other attempts still open are then
  closed (at the gateway too), and a gateway payment that lost (paid there before it
  could be closed, its notification still on the way) is refunded at once;
- the gateway's notifications are claimed one at a time (a conditional update: not yet
  delivered), checked (signature, trade, amount) and applied by a conditional move of
  the payment (`pending → succeeded`): ten copies, one charge;
- balance payments debit the wallet in the same transaction that pays the checkout.

Before an unpaid checkout is closed at its deadline (or by the shopper), its open trades
are asked at the gateway (交易查询): a trade paid in time is applied, not cancelled; one
paid while the checkout was being closed makes the close start again.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from datetime import datetime
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
from kstui.services.time_limits import DEFAULT_LIMITS
from kstui.store.enums import (
    CheckoutStatus,
    PaymentMethod,
    PaymentPurpose,
    PaymentStatus,
    TradeStatus,
)
from kstui.store.interface import Store, StoreBusy, Transaction, from_db_time
from kstui.timefmt import CHINA

RECHARGE_TIMEOUT = DEFAULT_LIMITS.recharge_window
"""How long a recharge's QR code can be paid."""
_CLOSE_ATTEMPTS = 20
"""How many times closing a checkout starts again because one of its trades was paid
while it was being closed (each time, the payment is applied: a few at most)."""


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


class _PaidMeanwhile(Exception):
    """A trade of a checkout being closed was paid after it was asked about: the close is
    rolled back and starts again (and then applies the payment)."""


@dataclass(frozen=True)
class _Notice:
    """The fields of a notification whose signature is the gateway's."""

    out_trade_no: str
    trade_no: str
    amount: object
    status: object


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
    with store.reading() as tx:
        account_id = session_account(tx, token, clock=clock)
        row = tx.fetch_one(
            "SELECT id, amount, status, pay_deadline, method FROM checkout"
            " WHERE no = :no AND account_id = :account",
            no=checkout_no,
            account=account_id,
        )
        if row is None:
            raise CheckoutNotFound()
        checkout_id, amount, status, deadline, method = row
        orders = [
            CashierOrder(no, Localized(zh, en), total)
            for no, zh, en, total in tx.fetch_all(
                "SELECT o.no, s.name_zh, s.name_en, o.total FROM shop_order AS o"
                " JOIN shop AS s ON s.id = o.shop_id WHERE o.checkout_id = :checkout"
                " ORDER BY o.id",
                checkout=checkout_id,
            )
        ]
        account = tx.fetch_one(
            "SELECT real_name, payment_password_hash FROM account WHERE id = :id", id=account_id
        )
        assert account is not None  # the session's account
        real_name, password = account
        return CashierView(
            checkout_no=checkout_no,
            amount=amount,
            status=CheckoutStatus(status),
            pay_deadline=from_db_time(deadline),
            method=PaymentMethod(method),
            orders=orders,
            balance=balance_of(tx, account_id),
            verified=real_name is not None,
            payment_password_set=password is not None,
            phone=phone_of(tx, account_id),
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
    with store.writing() as tx:
        account_id = _payer(tx, token, clock)
        target = _payable(tx, key, account_id, method, checkout_no, now)
        if isinstance(target, PaymentView):
            return target  # the same request, sent again
        return _open_qr(tx, account_id, target, method, key, now)


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
    with store.writing() as tx:
        account_id = _payer(tx, token, clock)
        target = _payable(tx, key, account_id, PaymentMethod.CARD, checkout_no, now)
        if isinstance(target, PaymentView):
            return target  # the same request, sent again
        return _charge_card(tx, account_id, target, card, key, now, clock=clock, sms=sms)


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
    with store.writing() as tx:
        account_id = _payer(tx, token, clock)
        target = _payable(tx, key, account_id, PaymentMethod.BALANCE, checkout_no, now)
        if isinstance(target, PaymentView):
            return target  # the same request, sent again
        created = _new_payment(tx, account_id, target, PaymentMethod.BALANCE, key, now)
        if created is None:
            return _replayed(tx, key, account_id, target, PaymentMethod.BALANCE)
        payment_id, no = created
        debit(
            tx, account_id, target.amount, kind=EntryKind.PAYMENT, ref=checkout_no,
            entry_key=f"pay:{no}", now=now,
        )  # fmt: skip
        _succeed(tx, payment_id, now)  # the checkout is held: it takes the payment
        return _view(tx, payment_id)


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
    with store.writing() as tx:
        account_id = session_account(tx, token, clock=clock)
        payment_id = _payment_id(tx, account_id, payment_no)
        view = _view(tx, payment_id)
        if not view.awaiting_code or view.trade_no is None:
            raise NotAwaitingCode()
        target_open = _target_open(tx, payment_id, now)  # the checkout is held from here
        failure = check_code(tx, phone_of(tx, account_id), Purpose.CARD_PAYMENT, code, clock=clock)
        if failure is None:
            if target_open and gateway.confirm_card(tx, view.trade_no, now):
                _succeed(tx, payment_id, now)
            else:
                gateway.close_trade(tx, view.trade_no, now)
                PAYMENTS.move(
                    tx, payment_id, PaymentStatus.PENDING, PaymentStatus.CLOSED, at=now,
                    detail="closed_before_code", updated_at=now,
                )  # fmt: skip
            view = _view(tx, payment_id)
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
    with store.reading() as tx:
        account_id = session_account(tx, token, clock=clock)
        view = _view(tx, _payment_id(tx, account_id, payment_no))
    waiting = view.status is PaymentStatus.PENDING and view.method.by_qr
    if not (query_gateway and waiting and view.trade_no is not None):
        return view
    with store.writing() as tx:
        found = gateway.trade(tx, view.trade_no)
        payment_id = _payment_id(tx, account_id, payment_no)
        if found.status is TradeStatus.PAID and found.amount == view.amount:
            _succeed(tx, payment_id, now)
        return _view(tx, payment_id)


def simulate_scan(store: Store, token: str, payment_no: str, *, clock: Clock) -> bool:
    """The shopper's (simulated) phone scans this payment's QR code and pays at the gateway.

    Returns:
        False if the gateway refused: the code was paid already, closed or expired.

    Raises:
        NotLoggedIn, PaymentNotFound.
    """
    with store.reading() as tx:
        account_id = session_account(tx, token, clock=clock)
        view = _view(tx, _payment_id(tx, account_id, payment_no))
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
    with store.reading() as tx:
        account_id = session_account(tx, token, clock=clock)
        checkout_id = tx.fetch_value(
            "SELECT id FROM checkout WHERE no = :no AND account_id = :account",
            no=checkout_no,
            account=account_id,
        )
    if checkout_id is None:
        raise CheckoutNotFound()
    return _closing(store, int(checkout_id), now, CancelReason.SHOPPER, overdue_only=False)


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
    with store.writing() as tx:
        account_id = _payer(tx, token, clock)
        earlier = _replay(tx, key, account_id, method, None, amount)
        if earlier is not None:
            return earlier
        target = _Target(PaymentPurpose.RECHARGE, None, None, amount, now + RECHARGE_TIMEOUT)
        return _open_qr(tx, account_id, target, method, key, now)


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
    with store.writing() as tx:
        account_id = _payer(tx, token, clock)
        earlier = _replay(tx, key, account_id, PaymentMethod.CARD, None, amount)
        if earlier is not None:
            return earlier
        target = _Target(PaymentPurpose.RECHARGE, None, None, amount, now + RECHARGE_TIMEOUT)
        return _charge_card(tx, account_id, target, card, key, now, clock=clock, sms=sms)


# -- the gateway's notifications and the deadline ------------------------------------------


def handle_notice(store: Store, body: str, *, clock: Clock) -> NoticeOutcome:
    """Receive one gateway notification (as its HTTP endpoint would).

    It is applied only if its signature is the gateway's, it names one of our payments
    and that payment's trade, and its amount is that payment's amount; anything else is
    rejected and changes nothing (the rejection is recorded on the payment if it
    names one). Copies received at the same moment apply it once: the others are
    duplicates.
    """
    notice = _read_notice(body)
    if notice is None:
        return NoticeOutcome.REJECTED
    with store.writing() as tx:
        return _apply_notice(tx, notice, clock.now())


def deliver_notices(store: Store, *, clock: Clock) -> int:
    """Deliver the gateway's notifications that are due (a "catch up to now" step, safe
    from any number of processes at once: each notification is claimed by one of them,
    and applying one twice charges once); how many this call delivered."""
    now = clock.now()
    with store.reading() as tx:
        due = gateway.due_notices(tx, now)
    delivered = 0
    for notice in due:
        fields = _read_notice(notice.body)
        with store.writing() as tx:
            if not gateway.mark_delivered(tx, notice.id, now):
                continue  # another process delivered it meanwhile
            if fields is not None:  # a rejected one is delivered all the same
                _apply_notice(tx, fields, now)
        delivered += 1
    return delivered


def cancel_overdue(store: Store, *, clock: Clock) -> int:
    """Close every unpaid checkout past its deadline (after asking the gateway about its
    QR trades); how many this call cancelled. Safe from any process, any number of times."""
    now = clock.now()
    with store.reading() as tx:
        due = [
            int(checkout_id)
            for (checkout_id,) in tx.fetch_all(
                "SELECT id FROM checkout WHERE status = :awaiting AND pay_deadline <= :now"
                " ORDER BY pay_deadline, id LIMIT 500",
                awaiting=CheckoutStatus.AWAITING_PAYMENT.value,
                now=now,
            )
        ]
    cancelled = 0
    for checkout_id in due:
        cancelled += _closing(store, checkout_id, now, CancelReason.TIMEOUT, overdue_only=True)
    return cancelled


def close_stale_recharges(store: Store, *, clock: Clock) -> int:
    """Close recharge attempts whose QR code or card verification ran out of time (after
    asking the gateway: one paid in time is applied); how many were closed. Safe from
    any process: closing the trade and the payment are conditional updates."""
    now = clock.now()
    with store.reading() as tx:
        stale = tx.fetch_all(
            "SELECT id, trade_no FROM payment WHERE purpose = :recharge AND status = :pending"
            " AND expires_at <= :now ORDER BY expires_at, id",
            recharge=PaymentPurpose.RECHARGE.value,
            pending=PaymentStatus.PENDING.value,
            now=now,
        )
    closed = 0
    for payment_id, trade_no in stale:
        with store.writing() as tx:
            if trade_no is not None and not gateway.close_trade(tx, trade_no, now):
                _succeed(tx, payment_id, now)  # paid in time: applied (once)
                continue
            closed += PAYMENTS.move(
                tx, payment_id, PaymentStatus.PENDING, PaymentStatus.CLOSED, at=now,
                detail="expired", updated_at=now,
            )  # fmt: skip
    return closed


# -- inside the transactions ----------------------------------------------------------------


def _payer(tx: Transaction, token: str, clock: Clock) -> int:
    account_id = session_account(tx, token, clock=clock)
    real_name = tx.fetch_value("SELECT real_name FROM account WHERE id = :id", id=account_id)
    if real_name is None:
        raise RealNameRequired()
    return account_id


def _check_password(store: Store, token: str, password: str, clock: Clock) -> None:
    with store.reading() as tx:
        account_id = _payer(tx, token, clock)
    verify_payment_password(store, account_id, password, clock=clock)


def _close_if_overdue(store: Store, checkout_no: str, *, clock: Clock) -> None:
    now = clock.now()
    with store.reading() as tx:
        checkout_id = tx.fetch_value(
            "SELECT id FROM checkout WHERE no = :no AND status = :awaiting"
            " AND pay_deadline <= :now",
            no=checkout_no,
            awaiting=CheckoutStatus.AWAITING_PAYMENT.value,
            now=now,
        )
    if checkout_id is not None:
        _closing(store, int(checkout_id), now, CancelReason.TIMEOUT, overdue_only=True)


def _closing(
    store: Store, checkout_id: int, now: datetime, reason: str, *, overdue_only: bool
) -> bool:
    """`_close` in a write transaction of its own, started again while one of the
    checkout's trades turns out paid during the close; True if closed."""
    for _ in range(_CLOSE_ATTEMPTS):
        try:
            with store.writing() as tx:
                return _close(tx, checkout_id, now, reason, overdue_only=overdue_only)
        except _PaidMeanwhile:
            continue
    raise StoreBusy(f"checkout {checkout_id}: its trades kept being paid while it was closed")


def _close(
    tx: Transaction, checkout_id: int, now: datetime, reason: str, *, overdue_only: bool
) -> bool:
    """Close a checkout unless one of its payments turns out paid; True if closed.

    Its trades still waiting are asked about first: one paid in time (its notification
    still on its way) is applied, not cancelled. Then the checkout is closed (a
    conditional update, which waits for an attempt holding it), and its attempts still
    waiting, read again, are closed at the gateway and here.

    Raises:
        _PaidMeanwhile: a trade was paid between the question and its closing (both
            conditional updates, so it is one or the other): roll back and start again.
    """
    for payment_id, trade_no in _waiting(tx, checkout_id):
        paid_in_time = (  # its notification is still on its way: apply it, do not cancel
            trade_no is not None and gateway.trade(tx, trade_no).status is TradeStatus.PAID
        )
        if paid_in_time and _succeed(tx, payment_id, now) is PaymentStatus.SUCCEEDED:
            return False
    if not close_checkout(tx, checkout_id, now, reason, overdue_only=overdue_only):
        return False
    for payment_id, trade_no in _waiting(tx, checkout_id):
        if trade_no is not None and not gateway.close_trade(tx, trade_no, now):
            raise _PaidMeanwhile()
        PAYMENTS.move(
            tx, payment_id, PaymentStatus.PENDING, PaymentStatus.CLOSED, at=now, detail=reason,
            updated_at=now,
        )  # fmt: skip
    return True


def _waiting(tx: Transaction, checkout_id: int) -> list[tuple[int, str | None]]:
    """The checkout's attempts still pending (id, trade number), oldest first."""
    return [
        (int(payment_id), trade_no)
        for payment_id, trade_no in tx.fetch_all(
            "SELECT id, trade_no FROM payment WHERE checkout_id = :checkout AND status = :pending"
            " ORDER BY id",
            checkout=checkout_id,
            pending=PaymentStatus.PENDING.value,
        )
    ]


def _payable(
    tx: Transaction,
    key: str,
    account_id: int,
    method: PaymentMethod,
    checkout_no: str,
    now: datetime,
) -> _Target | PaymentView:
    """What a payment attempt under `key` would pay, or the payment this key already made.

    The key is looked up first, and again if the checkout turns out paid or closed: on
    PostgreSQL the same request sent twice at once can commit between the two reads (the
    first read saw no payment, the second sees the checkout paid by it), and the second
    copy must answer with that payment, not with `AlreadyPaid`.

    Raises:
        CheckoutNotFound, AlreadyPaid, CheckoutClosed, KeyReused.
    """
    earlier = _replay(tx, key, account_id, method, checkout_no)
    if earlier is not None:
        return earlier
    try:
        return _checkout_target(tx, account_id, checkout_no, now)
    except (AlreadyPaid, CheckoutClosed):
        earlier = _replay(tx, key, account_id, method, checkout_no)
        if earlier is not None:
            return earlier
        raise


def _checkout_target(tx: Transaction, account_id: int, checkout_no: str, now: datetime) -> _Target:
    row = tx.fetch_one(
        "SELECT id, status, amount, pay_deadline FROM checkout"
        " WHERE no = :no AND account_id = :account",
        no=checkout_no,
        account=account_id,
    )
    if row is None:
        raise CheckoutNotFound()
    checkout_id, status, amount, deadline = row
    if status == CheckoutStatus.PAID:
        raise AlreadyPaid()
    expires = from_db_time(deadline)
    if status == CheckoutStatus.CLOSED or expires <= now:
        raise CheckoutClosed()
    return _Target(PaymentPurpose.CHECKOUT, checkout_id, checkout_no, amount, expires)


def _hold(tx: Transaction, checkout_id: int, now: datetime) -> bool:
    """Hold a checkout that can still be paid (awaiting payment, before its deadline);
    False if it cannot.

    A conditional update that changes nothing but takes the checkout's row until the
    transaction ends: paying or closing the checkout at the same moment (conditional
    updates of that row) waits for this transaction and then sees what it wrote. (On
    SQLite every writer waits for the others anyway.)
    """
    held = tx.execute(
        "UPDATE checkout SET status = status"
        " WHERE id = :id AND status = :awaiting AND pay_deadline > :now",
        id=checkout_id,
        awaiting=CheckoutStatus.AWAITING_PAYMENT.value,
        now=now,
    )
    return bool(held)


def _target_open(tx: Transaction, payment_id: int, now: datetime) -> bool:
    """True if the payment's checkout can still be paid (then it is held, see `_hold`);
    always for a recharge."""
    checkout_id = tx.fetch_value("SELECT checkout_id FROM payment WHERE id = :id", id=payment_id)
    if checkout_id is None:  # a recharge
        return True
    return _hold(tx, int(checkout_id), now)


def _not_payable(tx: Transaction, checkout_id: int) -> DomainError:
    """Why a checkout that could be paid a moment ago no longer can."""
    status = tx.fetch_value("SELECT status FROM checkout WHERE id = :id", id=checkout_id)
    return AlreadyPaid() if status == CheckoutStatus.PAID else CheckoutClosed()


def _new_payment(
    tx: Transaction,
    account_id: int,
    target: _Target,
    method: PaymentMethod,
    key: str,
    now: datetime,
) -> tuple[int, str] | None:
    """Write a new attempt, pending, under the client's key, and hold its checkout.

    Returns:
        Its id and number; None if the key was taken since `_replay` looked (the same
        request sent again, a moment earlier, just committed: see `_replayed`).

    Raises:
        AlreadyPaid, CheckoutClosed: the checkout was paid or closed since it was read.
    """
    no = f"P{now.astimezone(CHINA):%y%m%d}{secrets.randbelow(10**12):012d}"
    row = tx.fetch_one(
        "INSERT INTO payment (no, idempotency_key, account_id, purpose, checkout_id, method,"
        " amount, status, created_at, updated_at, expires_at) VALUES (:no, :key, :account,"
        " :purpose, :checkout, :method, :amount, :status, :now, :now, :expires)"
        " ON CONFLICT (idempotency_key) DO NOTHING RETURNING id",
        no=no,
        key=key,
        account=account_id,
        purpose=target.purpose.value,
        checkout=target.checkout_id,
        method=method.value,
        amount=target.amount,
        status=PaymentStatus.PENDING.value,
        now=now,
        expires=target.expires_at,
    )
    if row is None:
        return None
    payment_id = int(row[0])
    if target.checkout_id is not None and not _hold(tx, target.checkout_id, now):
        raise _not_payable(tx, target.checkout_id)
    PAYMENTS.record(tx, payment_id, None, PaymentStatus.PENDING, at=now)
    return payment_id, no


def _open_qr(
    tx: Transaction,
    account_id: int,
    target: _Target,
    method: PaymentMethod,
    key: str,
    now: datetime,
) -> PaymentView:
    created = _new_payment(tx, account_id, target, method, key, now)
    if created is None:
        return _replayed(tx, key, account_id, target, method)
    payment_id, no = created
    opened = gateway.open_trade(
        tx, no, method, target.amount, now=now, expires_at=target.expires_at
    )
    tx.execute(
        "UPDATE payment SET trade_no = :trade_no WHERE id = :id",
        trade_no=opened.trade_no,
        id=payment_id,
    )
    return _view(tx, payment_id)


def _charge_card(
    tx: Transaction,
    account_id: int,
    target: _Target,
    card: CardDetails,
    key: str,
    now: datetime,
    *,
    clock: Clock,
    sms: SmsGateway,
) -> PaymentView:
    created = _new_payment(tx, account_id, target, PaymentMethod.CARD, key, now)
    if created is None:
        return _replayed(tx, key, account_id, target, PaymentMethod.CARD)
    payment_id, no = created
    opened = gateway.open_trade(
        tx, no, PaymentMethod.CARD, target.amount, now=now, expires_at=target.expires_at
    )
    tx.execute(
        "UPDATE payment SET trade_no = :trade_no, card_last4 = :last4 WHERE id = :id",
        trade_no=opened.trade_no,
        last4=card.last4,
        id=payment_id,
    )
    outcome = gateway.charge_card(tx, card.number, opened, now)
    if outcome is CardOutcome.APPROVED:
        _succeed(tx, payment_id, now)  # the checkout is held: it takes the payment
    elif outcome is CardOutcome.VERIFY_BY_SMS:
        phone = phone_of(tx, account_id)
        try:
            send_code(tx, phone, Purpose.CARD_PAYMENT, clock=clock, sms=sms)
        except SendTooSoon:
            # The card code sent a moment ago is still good; but if the code of a moment
            # ago was for something else (a login), no card code can come for a while:
            # refuse (rolling back) rather than wait for a code that never comes.
            if not _card_code_waiting(tx, phone, now):
                raise
        PAYMENTS.record(tx, payment_id, PaymentStatus.PENDING, PaymentStatus.PENDING, at=now,
                        detail="awaiting_code")  # fmt: skip
    else:
        PAYMENTS.move(
            tx, payment_id, PaymentStatus.PENDING, PaymentStatus.FAILED, at=now,
            detail=outcome.value, failure=outcome.value, updated_at=now,
        )  # fmt: skip
    return _view(tx, payment_id)


def _card_code_waiting(tx: Transaction, phone: str, now: datetime) -> bool:
    """True if a card-payment code sent to `phone` can still be entered."""
    found = tx.fetch_one(
        "SELECT 1 FROM sms_code WHERE phone = :phone AND purpose = :purpose AND used_at IS NULL"
        " AND revoked_at IS NULL AND expires_at > :now",
        phone=phone,
        purpose=Purpose.CARD_PAYMENT.value,
        now=now,
    )
    return found is not None


def _succeed(tx: Transaction, payment_id: int, now: datetime) -> PaymentStatus | None:
    """A payment was made (gateway paid, card approved, balance debited): apply it once.

    Returns the payment's status afterwards: SUCCEEDED, or REFUNDED when its checkout
    could not take it (closed, or paid by another payment); None, with nothing done, if
    it was no longer pending (applied or closed already, perhaps a moment ago by another
    process).
    """
    row = tx.fetch_one(
        "SELECT no, purpose, checkout_id, account_id, method, amount, trade_no"
        " FROM payment WHERE id = :id",
        id=payment_id,
    )
    assert row is not None, payment_id
    no, purpose, checkout_id, account_id, method, amount, trade_no = row
    if not PAYMENTS.move(
        tx, payment_id, PaymentStatus.PENDING, PaymentStatus.SUCCEEDED, at=now, updated_at=now
    ):
        return None
    if purpose == PaymentPurpose.RECHARGE:
        credit(
            tx, account_id, amount, kind=EntryKind.RECHARGE, ref=no,
            entry_key=f"recharge:{no}", now=now,
        )  # fmt: skip
        return PaymentStatus.SUCCEEDED
    if mark_paid(tx, checkout_id, payment_id, now):
        _close_other_attempts(tx, checkout_id, payment_id, now)
        return PaymentStatus.SUCCEEDED
    if method == PaymentMethod.BALANCE:
        credit(
            tx, account_id, amount, kind=EntryKind.REFUND, ref=no, entry_key=f"refund:{no}",
            now=now,
        )  # fmt: skip
    elif trade_no is not None:
        gateway.refund_trade(tx, trade_no, now)
    PAYMENTS.move(
        tx, payment_id, PaymentStatus.SUCCEEDED, PaymentStatus.REFUNDED, at=now,
        detail="checkout_not_awaiting", updated_at=now,
    )  # fmt: skip
    return PaymentStatus.REFUNDED


def _close_other_attempts(tx: Transaction, checkout_id: int, paid_by: int, now: datetime) -> None:
    """The checkout was paid by `paid_by`: its other attempts still waiting (a QR code
    shown, a card waiting for its SMS code) are closed at the gateway and here, rather
    than left pending for ever. One already paid at the gateway stays pending: its
    notification (or the trade query) refunds it."""
    for other_id, trade_no in _waiting(tx, checkout_id):
        if other_id == paid_by:
            continue
        if trade_no is not None and not gateway.close_trade(tx, trade_no, now):
            continue
        PAYMENTS.move(
            tx, other_id, PaymentStatus.PENDING, PaymentStatus.CLOSED, at=now,
            detail="checkout_paid", updated_at=now,
        )  # fmt: skip


def _read_notice(body: str) -> _Notice | None:
    """A notification's fields if it can be read and its signature is the gateway's."""
    try:
        fields = json.loads(body)
        signature = fields.pop("sign")
        out_trade_no, trade_no = str(fields["out_trade_no"]), str(fields["trade_no"])
        amount, status = fields["amount"], fields["status"]
    except (ValueError, KeyError, TypeError, AttributeError):
        return None
    if not isinstance(signature, str) or not gateway.signature_valid(fields, signature):
        return None
    return _Notice(out_trade_no, trade_no, amount, status)


def _apply_notice(tx: Transaction, notice: _Notice, now: datetime) -> NoticeOutcome:
    """Check a signed notification against our payment and apply it (once)."""
    row = tx.fetch_one(
        "SELECT id, trade_no, amount, status FROM payment WHERE no = :no", no=notice.out_trade_no
    )
    if row is None:
        return NoticeOutcome.REJECTED
    payment_id, our_trade, our_amount, our_status = row
    current = PaymentStatus(our_status)
    amount = notice.amount
    reason = (
        "wrong_trade" if notice.trade_no != our_trade
        else "wrong_amount" if amount != our_amount or isinstance(amount, bool)
        else "not_paid" if notice.status != TradeStatus.PAID.value
        else None
    )  # fmt: skip
    if reason is not None:
        PAYMENTS.record(
            tx, payment_id, current, current, at=now, detail=f"notice_rejected:{reason}"
        )
        return NoticeOutcome.REJECTED
    outcome = _succeed(tx, payment_id, now) if current is PaymentStatus.PENDING else None
    if outcome is None:  # applied before, or a moment ago by another copy of it
        if current is PaymentStatus.PENDING:
            current = PaymentStatus(
                tx.fetch_value("SELECT status FROM payment WHERE id = :id", id=payment_id)
            )
        PAYMENTS.record(tx, payment_id, current, current, at=now, detail="notice_duplicate")
        return NoticeOutcome.DUPLICATE
    return NoticeOutcome.APPLIED if outcome is PaymentStatus.SUCCEEDED else NoticeOutcome.REFUNDED


def _replay(
    tx: Transaction,
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
    row = tx.fetch_one("SELECT id, account_id FROM payment WHERE idempotency_key = :key", key=key)
    if row is None:
        return None
    view = _view(tx, row[0])
    if row[1] != account_id or view.method is not method or view.checkout_no != checkout_no:
        raise KeyReused()
    if amount is not None and view.amount != amount:
        raise KeyReused()
    return view


def _replayed(
    tx: Transaction, key: str, account_id: int, target: _Target, method: PaymentMethod
) -> PaymentView:
    """The payment of the request that took this key a moment ago (`_new_payment` found
    it taken: that request has committed, so it can be read now).

    Raises:
        KeyReused: it was a different payment.
    """
    amount = target.amount if target.purpose is PaymentPurpose.RECHARGE else None
    earlier = _replay(tx, key, account_id, method, target.checkout_no, amount)
    assert earlier is not None, key  # the key's row exists: its insert found it
    return earlier


def _payment_id(tx: Transaction, account_id: int, payment_no: str) -> int:
    found = tx.fetch_value(
        "SELECT id FROM payment WHERE no = :no AND account_id = :account",
        no=payment_no,
        account=account_id,
    )
    if found is None:
        raise PaymentNotFound()
    return int(found)


def _view(tx: Transaction, payment_id: int) -> PaymentView:
    row = tx.fetch_one(
        """
        SELECT p.no, p.purpose, p.method, p.amount, p.status, p.failure, c.no, p.trade_no,
               p.card_last4,
               EXISTS (SELECT 1 FROM payment_event AS e WHERE e.payment_id = p.id
                       AND e.detail = 'awaiting_code')
        FROM payment AS p LEFT JOIN checkout AS c ON c.id = p.checkout_id
        WHERE p.id = :id
        """,
        id=payment_id,
    )
    assert row is not None, payment_id
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
