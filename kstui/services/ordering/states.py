"""The order state machine: from 待付款 to 已完成 or 已取消."""

from __future__ import annotations

from kstui.services.state_machine import StateMachine
from kstui.store.enums import OrderStatus

ORDERS = StateMachine(
    table="shop_order",
    events="order_event",
    fk="order_id",
    allowed={
        OrderStatus.PENDING_PAYMENT: frozenset({OrderStatus.TO_SHIP, OrderStatus.CANCELLED}),
        OrderStatus.TO_SHIP: frozenset({OrderStatus.SHIPPED, OrderStatus.CANCELLED}),
        OrderStatus.SHIPPED: frozenset({OrderStatus.COMPLETED}),
    },
)
"""待付款 → 待发货 (paid) or 已取消; 待发货 → 已发货 or 已取消 (refunded); 已发货 → 已完成."""
