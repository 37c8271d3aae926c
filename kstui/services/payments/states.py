"""The payment state machine: an attempt waits, then succeeds, fails or is closed."""

from __future__ import annotations

from kstui.services.state_machine import StateMachine
from kstui.store.enums import PaymentStatus

PAYMENTS = StateMachine(
    table="payment",
    events="payment_event",
    fk="payment_id",
    allowed={
        PaymentStatus.PENDING: frozenset(
            {PaymentStatus.SUCCEEDED, PaymentStatus.FAILED, PaymentStatus.CLOSED}
        ),
        PaymentStatus.SUCCEEDED: frozenset({PaymentStatus.REFUNDED}),
    },
)
"""A payment waits, then succeeds, fails or is closed; a success that came too late (its
checkout already paid or cancelled) is refunded."""
