"""A checkout's orders until paid: marking them paid, cancelling them unpaid.

A checkout's orders move together until paid. Closing a checkout is a conditional
update, so of two processes closing it (the shopper cancelling, the deadline passing)
only the winner cancels the orders and gives back their stock and coupons, exactly
once. Stock and sales move in one fixed order, the SKUs by id and then their products by
id (as checkout reserves them), so that two transactions changing the same rows on
PostgreSQL wait for each other instead of deadlocking. Payments are
`kstui.services.payments.cashier`'; the list of orders is `kstui.services.orders`'.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from kstui.services.errors import DomainError
from kstui.services.ordering.coupons import release_checkout, use_checkout
from kstui.services.ordering.states import ORDERS
from kstui.store.enums import CheckoutStatus, OrderStatus
from kstui.store.interface import Transaction, in_list


class CheckoutNotFound(DomainError):
    """A checkout (or order) number that is not this shopper's."""

    key = "ordering.error.checkout_not_found"


class CancelReason:
    """Why an order was cancelled (stored in `cancel_reason`)."""

    TIMEOUT = "timeout"
    SHOPPER = "shopper"


def close_checkout(
    tx: Transaction, checkout_id: int, now: datetime, reason: str, *, overdue_only: bool
) -> bool:
    """Cancel an unpaid checkout's orders and give back their stock and coupons (inside a
    write transaction; its payments are the caller's). False if it was no longer waiting
    for payment (or, with `overdue_only`, not yet due)."""
    due = " AND pay_deadline <= :now" if overdue_only else ""
    closed = tx.execute(
        "UPDATE checkout SET status = :closed, closed_at = :now"
        f" WHERE id = :id AND status = :awaiting{due}",
        closed=CheckoutStatus.CLOSED.value,
        now=now,
        id=checkout_id,
        awaiting=CheckoutStatus.AWAITING_PAYMENT.value,
    )
    if not closed:
        return False
    cancelled = [
        order_id
        for order_id in _pending_orders(tx, checkout_id)
        if ORDERS.move(
            tx,
            order_id,
            OrderStatus.PENDING_PAYMENT,
            OrderStatus.CANCELLED,
            at=now,
            detail=reason,
            cancelled_at=now,
            cancel_reason=reason,
        )
    ]
    _add_to_skus_and_products(tx, "stock", cancelled)
    release_checkout(tx, checkout_id)
    return True


def mark_paid(tx: Transaction, checkout_id: int, payment_id: int, now: datetime) -> bool:
    """The checkout was paid by `payment_id`: its orders become 待发货, the sales count,
    the coupons are used (inside a write transaction).

    The deadline is not checked here: a payment is only accepted before it (the cashier
    refuses later attempts, the gateway closes its trades at the deadline).

    Returns:
        False (nothing changed) if the checkout was not waiting for payment any more —
        closed, or paid by another payment.
    """
    paid = tx.execute(
        "UPDATE checkout SET status = :paid, paid_at = :now, payment_id = :payment"
        " WHERE id = :id AND status = :awaiting",
        paid=CheckoutStatus.PAID.value,
        now=now,
        payment=payment_id,
        id=checkout_id,
        awaiting=CheckoutStatus.AWAITING_PAYMENT.value,
    )
    if not paid:
        return False
    moved = [
        order_id
        for order_id in _pending_orders(tx, checkout_id)
        if ORDERS.move(
            tx,
            order_id,
            OrderStatus.PENDING_PAYMENT,
            OrderStatus.TO_SHIP,
            at=now,
            detail="paid",
            paid_at=now,
        )
    ]
    _add_to_skus_and_products(tx, "sales", moved)
    use_checkout(tx, checkout_id, now)
    return True


def _pending_orders(tx: Transaction, checkout_id: int) -> list[int]:
    """The ids of a checkout's orders waiting for payment, in order."""
    rows = tx.fetch_all(
        "SELECT id FROM shop_order WHERE checkout_id = :checkout AND status = :pending ORDER BY id",
        checkout=checkout_id,
        pending=OrderStatus.PENDING_PAYMENT.value,
    )
    return [order_id for (order_id,) in rows]


def _add_to_skus_and_products(tx: Transaction, column: str, order_ids: Sequence[int]) -> None:
    """Add the quantities of the orders' lines to `column` (`stock` given back, `sales`)
    of their SKUs, then of their products: one update per row, SKUs by id, then products
    by id."""
    if not order_ids:
        return
    ids, params = in_list("order", order_ids)
    lines = tx.fetch_all(
        f"SELECT sku_id, product_id, quantity FROM order_line WHERE order_id IN {ids}", **params
    )
    per_sku: dict[int, int] = {}
    per_product: dict[int, int] = {}
    for sku_id, product_id, quantity in lines:
        per_sku[sku_id] = per_sku.get(sku_id, 0) + quantity
        per_product[product_id] = per_product.get(product_id, 0) + quantity
    tx.execute_many(
        f"UPDATE sku SET {column} = {column} + :n WHERE id = :id",
        [{"n": n, "id": sku_id} for sku_id, n in sorted(per_sku.items())],
    )
    tx.execute_many(
        f"UPDATE product SET {column} = {column} + :n WHERE id = :id",
        [{"n": n, "id": product_id} for product_id, n in sorted(per_product.items())],
    )
