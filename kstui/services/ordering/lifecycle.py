"""A checkout's orders until paid: marking them paid, cancelling them unpaid.

A checkout's orders move together until paid. Closing a checkout is a conditional
update, so of two processes closing it (the shopper cancelling, the deadline passing)
only the winner cancels the orders and gives back their stock and coupons, exactly
once. Payments are `kstui.services.payments.cashier`'; the list of orders is
`kstui.services.orders`'.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime

from kstui.services.errors import DomainError
from kstui.services.ordering.coupons import release_checkout, use_checkout
from kstui.services.ordering.states import ORDERS
from kstui.store.db import db_time
from kstui.store.enums import CheckoutStatus, OrderStatus


class CheckoutNotFound(DomainError):
    """A checkout (or order) number that is not this shopper's."""

    key = "ordering.error.checkout_not_found"


class CancelReason:
    """Why an order was cancelled (stored in `cancel_reason`)."""

    TIMEOUT = "timeout"
    SHOPPER = "shopper"


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
