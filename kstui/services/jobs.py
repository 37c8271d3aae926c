"""The catch-up runner: everything time-driven in the shop, as one ordered list of steps.

Each step acts on what is due by the world clock's "now" (deadlines are stored on the
rows) and is idempotent: a row is moved by a conditional update, so any number of
processes may run the steps at the same time, any number of times, and each due thing
happens once. Each process runs the list on one timer (the app) or once per command
(`kstui sim advance`); no screen runs its own.

The order matters where one thing can settle another: the gateway's notifications are
delivered before unpaid checkouts are cancelled, so a payment made in time wins over the
deadline. The next issues add their steps (shipping, carrier scans, auto-confirm,
merchant replies, refunds arriving) to `STEPS`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from kstui.providers.clock import Clock
from kstui.services.payments import cashier
from kstui.store.enums import CheckoutStatus, PaymentPurpose, PaymentStatus
from kstui.store.interface import Store, Transaction, from_db_time

MAX_ROUNDS = 5
"""`catch_up` repeats the list while a round changed something, at most this often."""


@dataclass(frozen=True)
class Step:
    """One kind of time-driven work.

    Attributes:
        name: Its name (a translation key's last part, and the JSON of `sim status`).
        run: Does what is due by the clock's now; how many things it changed.
        due: The next `limit` times something falls due, for `kstui sim status`.
    """

    name: str
    run: Callable[[Store, Clock], int]
    due: Callable[[Transaction, int], list[datetime]]


def _notices_due(tx: Transaction, limit: int) -> list[datetime]:
    rows = tx.fetch_all(
        "SELECT due_at FROM gateway_notice WHERE delivered_at IS NULL ORDER BY due_at LIMIT :n",
        n=limit,
    )
    return [from_db_time(at) for (at,) in rows]


def _checkouts_due(tx: Transaction, limit: int) -> list[datetime]:
    rows = tx.fetch_all(
        "SELECT pay_deadline FROM checkout WHERE status = :status ORDER BY pay_deadline LIMIT :n",
        status=CheckoutStatus.AWAITING_PAYMENT.value,
        n=limit,
    )
    return [from_db_time(at) for (at,) in rows]


def _recharges_due(tx: Transaction, limit: int) -> list[datetime]:
    rows = tx.fetch_all(
        "SELECT expires_at FROM payment WHERE purpose = :purpose AND status = :status"
        " ORDER BY expires_at LIMIT :n",
        purpose=PaymentPurpose.RECHARGE.value,
        status=PaymentStatus.PENDING.value,
        n=limit,
    )
    return [from_db_time(at) for (at,) in rows]


def _deliver(store: Store, clock: Clock) -> int:
    return cashier.deliver_notices(store, clock=clock)


def _cancel_overdue(store: Store, clock: Clock) -> int:
    return cashier.cancel_overdue(store, clock=clock)


def _close_recharges(store: Store, clock: Clock) -> int:
    return cashier.close_stale_recharges(store, clock=clock)


STEPS: tuple[Step, ...] = (
    Step("payment_notices", _deliver, _notices_due),
    Step("overdue_checkouts", _cancel_overdue, _checkouts_due),
    Step("stale_recharges", _close_recharges, _recharges_due),
)
"""Every time-driven step of the shop, in the order they run."""


@dataclass(frozen=True)
class CatchUp:
    """What one catch-up changed: step name → things done (steps with none left out)."""

    done: dict[str, int]

    @property
    def changed(self) -> bool:
        """True if anything changed (screens showing it should look again)."""
        return bool(self.done)


def catch_up(store: Store, *, clock: Clock) -> CatchUp:
    """Run every step on what is due by now, again while a round still changes something.

    Safe from any number of processes at once. A step's store errors propagate (the
    caller, a timer or a command, tries again later).
    """
    done: dict[str, int] = {}
    for _ in range(MAX_ROUNDS):
        changed = False
        for step in STEPS:
            count = step.run(store, clock)
            if count:
                done[step.name] = done.get(step.name, 0) + count
                changed = True
        if not changed:
            break
    return CatchUp(done)


@dataclass(frozen=True)
class Due:
    """Something that falls due: when, and which step acts on it."""

    at: datetime
    step: str


def next_due(store: Store, *, limit: int = 10) -> list[Due]:
    """The next `limit` things that fall due, soonest first, over every step."""
    found: list[Due] = []
    with store.reading() as tx:
        for step in STEPS:
            found.extend(Due(at, step.name) for at in step.due(tx, limit))
    found.sort(key=lambda due: (due.at, due.step))
    return found[:limit]


def watermark(store: Store) -> tuple[int, int, int]:
    """The newest payment event, order event and wallet entry: when it moves, something
    a screen may show changed, whichever process changed it."""
    with store.reading() as tx:
        row = tx.fetch_one(
            "SELECT (SELECT COALESCE(MAX(id), 0) FROM payment_event),"
            " (SELECT COALESCE(MAX(id), 0) FROM order_event),"
            " (SELECT COALESCE(MAX(id), 0) FROM wallet_entry)"
        )
    assert row is not None
    return int(row[0]), int(row[1]), int(row[2])
