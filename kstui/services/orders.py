"""Orders after checkout: marking them paid, cancelling them unpaid, listing them.

A checkout's orders move together until paid. Closing a checkout is a conditional
update, so of two processes closing it (the shopper cancelling, the deadline passing)
only the winner cancels the orders and gives back their stock and coupons, exactly
once. Payments are `kstui.services.payments`'.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime

from kstui.i18n import Localized
from kstui.providers.clock import Clock
from kstui.services.account_records import session_account
from kstui.services.coupons import release_checkout, use_checkout
from kstui.services.errors import DomainError
from kstui.services.state_machines import ORDERS
from kstui.store.db import Store, db_time, from_db_time
from kstui.store.enums import CheckoutStatus, OrderStatus

LIST_LIMIT = 100


class CheckoutNotFound(DomainError):
    """A checkout (or order) number that is not this shopper's."""

    key = "error.checkout_not_found"


class CancelReason:
    """Why an order was cancelled (stored in `cancel_reason`)."""

    TIMEOUT = "timeout"
    SHOPPER = "shopper"


@dataclass(frozen=True)
class OrderLineView:
    """A line of an order as bought."""

    name: Localized
    spec: Localized
    unit_price: int
    quantity: int
    amount: int
    discount: int


@dataclass(frozen=True)
class OrderSummary:
    """An order in 我的订单."""

    no: str
    checkout_no: str
    shop_name: Localized
    status: OrderStatus
    total: int
    created_at: datetime
    paid_at: datetime | None
    pay_deadline: datetime
    lines: list[OrderLineView]


def close_checkout(
    conn: sqlite3.Connection, checkout_id: int, now: datetime, reason: str, *, overdue_only: bool
) -> bool:
    """Cancel an unpaid checkout's orders and give back their stock and coupons (inside a
    write transaction; its payments are the caller's). False if it was no longer waiting
    for payment (or, with `overdue_only`, not yet due)."""
    stamp = db_time(now)
    due = " AND pay_deadline <= ?" if overdue_only else ""
    closed = conn.execute(
        f"UPDATE checkout SET status = ?, closed_at = ? WHERE id = ? AND status = ?{due}",
        (CheckoutStatus.CLOSED.value, stamp, checkout_id, CheckoutStatus.AWAITING_PAYMENT.value)
        + ((stamp,) if overdue_only else ()),
    ).rowcount
    if not closed:
        return False
    orders = conn.execute(
        "SELECT id FROM shop_order WHERE checkout_id = ? AND status = ?",
        (checkout_id, OrderStatus.PENDING_PAYMENT.value),
    ).fetchall()
    for (order_id,) in orders:
        if not ORDERS.move(
            conn, order_id, OrderStatus.PENDING_PAYMENT, OrderStatus.CANCELLED,
            at=now, detail=reason, cancelled_at=stamp, cancel_reason=reason,
        ):  # fmt: skip
            continue
        lines = conn.execute(
            "SELECT sku_id, product_id, quantity FROM order_line WHERE order_id = ?", (order_id,)
        ).fetchall()
        conn.executemany(
            "UPDATE sku SET stock = stock + ? WHERE id = ?", [(q, sku) for sku, _, q in lines]
        )
        conn.executemany(
            "UPDATE product SET stock = stock + ? WHERE id = ?", [(q, p) for _, p, q in lines]
        )
    release_checkout(conn, checkout_id)
    return True


def mark_paid(conn: sqlite3.Connection, checkout_id: int, payment_id: int, now: datetime) -> bool:
    """The checkout was paid by `payment_id`: its orders become 待发货, the sales count,
    the coupons are used (inside a write transaction).

    The deadline is not checked here: a payment is only accepted before it (the cashier
    refuses later attempts, the gateway closes its trades at the deadline).

    Returns:
        False (nothing changed) if the checkout was not waiting for payment any more —
        closed, or paid by another payment.
    """
    stamp = db_time(now)
    paid = conn.execute(
        "UPDATE checkout SET status = ?, paid_at = ?, payment_id = ? WHERE id = ? AND status = ?",
        (CheckoutStatus.PAID.value, stamp, payment_id, checkout_id,
         CheckoutStatus.AWAITING_PAYMENT.value),
    ).rowcount  # fmt: skip
    if not paid:
        return False
    orders = conn.execute(
        "SELECT id FROM shop_order WHERE checkout_id = ? AND status = ?",
        (checkout_id, OrderStatus.PENDING_PAYMENT.value),
    ).fetchall()
    for (order_id,) in orders:
        ORDERS.move(
            conn, order_id, OrderStatus.PENDING_PAYMENT, OrderStatus.TO_SHIP, at=now,
            detail="paid", paid_at=stamp,
        )  # fmt: skip
        lines = conn.execute(
            "SELECT sku_id, product_id, quantity FROM order_line WHERE order_id = ?", (order_id,)
        ).fetchall()
        conn.executemany(
            "UPDATE sku SET sales = sales + ? WHERE id = ?", [(q, sku) for sku, _, q in lines]
        )
        conn.executemany(
            "UPDATE product SET sales = sales + ? WHERE id = ?", [(q, p) for _, p, q in lines]
        )
    use_checkout(conn, checkout_id, now)
    return True


def my_orders(
    store: Store, token: str, *, clock: Clock, status: OrderStatus | None = None
) -> list[OrderSummary]:
    """The shopper's orders, newest first (at most `LIST_LIMIT`)."""
    with store.reading() as conn:
        account_id = session_account(conn, token, clock=clock)
        return orders_of(conn, account_id, status=status)


def orders_of(
    conn: sqlite3.Connection, account_id: int, *, status: OrderStatus | None = None
) -> list[OrderSummary]:
    """An account's orders, newest first (for the screens and `kstui orders list`)."""
    where = "" if status is None else " AND o.status = ?"
    rows = conn.execute(
        f"""
        SELECT o.id, o.no, c.no, s.name_zh, s.name_en, o.status, o.total, o.created_at,
               o.paid_at, c.pay_deadline
        FROM shop_order AS o JOIN checkout AS c ON c.id = o.checkout_id
        JOIN shop AS s ON s.id = o.shop_id
        WHERE o.account_id = ?{where}
        ORDER BY o.created_at DESC, o.id DESC LIMIT ?
        """,
        (account_id,) + ((status.value,) if status else ()) + (LIST_LIMIT,),
    ).fetchall()
    ids = [row[0] for row in rows]
    lines: dict[int, list[OrderLineView]] = {i: [] for i in ids}
    if ids:
        marks = ",".join("?" * len(ids))
        for (
            order_id,
            name_zh,
            name_en,
            spec_zh,
            spec_en,
            unit,
            quantity,
            amount,
            discount,
        ) in conn.execute(
            f"SELECT order_id, name_zh, name_en, spec_zh, spec_en, unit_price, quantity, amount,"
            f" discount FROM order_line WHERE order_id IN ({marks}) ORDER BY order_id, position",
            ids,
        ):
            lines[order_id].append(
                OrderLineView(Localized(name_zh, name_en), Localized(spec_zh, spec_en), unit,
                              quantity, amount, discount)
            )  # fmt: skip
    return [
        OrderSummary(
            no=no,
            checkout_no=checkout_no,
            shop_name=Localized(zh, en),
            status=OrderStatus(status_value),
            total=total,
            created_at=from_db_time(created),
            paid_at=from_db_time(paid) if paid else None,
            pay_deadline=from_db_time(deadline),
            lines=lines[order_id],
        )
        for order_id, no, checkout_no, zh, en, status_value, total, created, paid, deadline in rows
    ]
