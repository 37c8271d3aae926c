"""我的订单: an account's orders, newest first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from kstui.i18n import Localized
from kstui.providers.clock import Clock
from kstui.services.accounts.records import session_account
from kstui.store.enums import OrderStatus
from kstui.store.interface import Store, Transaction, from_db_time, in_list

LIST_LIMIT = 100


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


def my_orders(
    store: Store, token: str, *, clock: Clock, status: OrderStatus | None = None
) -> list[OrderSummary]:
    """The shopper's orders, newest first (at most `LIST_LIMIT`)."""
    with store.reading() as tx:
        account_id = session_account(tx, token, clock=clock)
        return orders_of(tx, account_id, status=status)


def orders_of(
    tx: Transaction, account_id: int, *, status: OrderStatus | None = None
) -> list[OrderSummary]:
    """An account's orders, newest first (for the screens and `kstui orders list`)."""
    where = "" if status is None else " AND o.status = :status"
    params: dict[str, object] = {} if status is None else {"status": status.value}
    rows = tx.fetch_all(
        f"""
        SELECT o.id, o.no, c.no, s.name_zh, s.name_en, o.status, o.total, o.created_at,
               o.paid_at, c.pay_deadline
        FROM shop_order AS o JOIN checkout AS c ON c.id = o.checkout_id
        JOIN shop AS s ON s.id = o.shop_id
        WHERE o.account_id = :account{where}
        ORDER BY o.created_at DESC, o.id DESC LIMIT :limit
        """,
        account=account_id,
        limit=LIST_LIMIT,
        **params,
    )
    ids = [row[0] for row in rows]
    lines: dict[int, list[OrderLineView]] = {i: [] for i in ids}
    if ids:
        marks, id_params = in_list("order", ids)
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
        ) in tx.fetch_all(
            f"SELECT order_id, name_zh, name_en, spec_zh, spec_en, unit_price, quantity, amount,"
            f" discount FROM order_line WHERE order_id IN {marks} ORDER BY order_id, position",
            **id_params,
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
