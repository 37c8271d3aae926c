"""SIGKILL at random points of checkout, payment and recharge: nothing half-done survives.

A shopper process loops over recharging the wallet by card, submitting an order and
paying it by balance or by card, and reports each success on a line of its own once the
call has returned. The test kills it with SIGKILL at a random moment, more than twenty
times, reopens the store each time and checks: the file is sound (SQLite's
`integrity_check`), no stock is lost or made up, no checkout is charged twice, the wallet
balance is the sum of its ledger, and every success reported before the kill is there.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import time
from pathlib import Path

import pytest

from kstui.providers.clock import FrozenClock
from kstui.providers.sms import OutboxSms
from kstui.services.ordering.checkout import Item, OrderRequest
from kstui.services.payments import cashier
from kstui.store.enums import PaymentMethod
from kstui.store.interface import Store
from tests.conftest import NOW
from tests.e2e.processes import SPAWN, location_of, open_location
from tests.unit.ordering_helpers import (
    HOME,
    PAY_PASSWORD,
    account_of,
    address,
    balance,
    card,
    ledger_sum,
    new_shopper,
    set_pay_password,
    skus,
    stock,
    value,
)

KILLS = 22
ENGINES = ("sqlite", "postgresql")


@pytest.fixture(params=ENGINES)
def engine(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def store(engine: str, request: pytest.FixtureRequest) -> Store:
    found: Store = request.getfixturevalue("sqlite_store" if engine == "sqlite" else "pg_store")
    return found


def shop_forever(location: str, token: str, home: int, sku_id: int, report: str, seed: int) -> None:
    """The victim: recharge, buy, pay, again and again, reporting each success."""
    store = open_location(location)
    clock = FrozenClock(NOW)
    sms = OutboxSms()
    rng = random.Random(seed)
    with open(report, "a", encoding="utf-8") as out:  # noqa: PTH123
        out.write("ready\n")
        out.flush()
        n = 0
        while True:
            n += 1
            key = f"{seed}-{n}"
            if n % 3 == 1:
                view = cashier.recharge_by_card(
                    store, token, 50_000, card(), PAY_PASSWORD, f"r{key}", clock=clock, sms=sms
                )
                out.write(f"recharged {view.no} {view.status.value}\n")
                out.flush()
            request = OrderRequest(
                items=(Item(sku_id, 1),), submit_key=f"s{key}", address_id=home,
                method=PaymentMethod.BALANCE,
            )  # fmt: skip
            placed = cashier_checkout_submit(store, token, request, clock)
            out.write(f"placed {placed}\n")
            out.flush()
            if rng.random() < 0.5:
                view = cashier.pay_by_balance(
                    store, token, placed, PAY_PASSWORD, f"b{key}", clock=clock
                )
            else:
                view = cashier.pay_by_card(
                    store, token, placed, card(), PAY_PASSWORD, f"c{key}", clock=clock, sms=sms
                )
            out.write(f"paid {placed} {view.status.value}\n")
            out.flush()


def cashier_checkout_submit(
    store: Store, token: str, request: OrderRequest, clock: FrozenClock
) -> str:
    from kstui.services.ordering import checkout

    return checkout.submit(store, token, request, clock=clock).no


@pytest.fixture
def shopper_setup(store: Store, clock: FrozenClock) -> tuple[str, int, int]:
    token = new_shopper(store, clock, "13700400001")
    set_pay_password(store, token, clock)
    home = address(store, token, clock, HOME)
    sku_id = skus(store).skirt
    with store.writing() as tx:  # enough stock for every order of the run
        tx.execute("UPDATE sku SET stock = stock + 100000 WHERE id = :id", id=sku_id)
        tx.execute(
            "UPDATE product SET stock = stock + 100000 WHERE id ="
            " (SELECT product_id FROM sku WHERE id = :id)",
            id=sku_id,
        )
    return token, home, sku_id


def check_invariants(store: Store, account_id: int, sku_id: int, start: tuple[int, int]) -> None:
    if store.engine == "sqlite":
        conn = sqlite3.connect(store.path)  # type: ignore[attr-defined]
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        conn.close()
    sku_stock, product_stock = stock(store, sku_id)
    held = value(
        store,
        "SELECT COALESCE(SUM(l.quantity), 0) FROM order_line AS l"
        " JOIN shop_order AS o ON o.id = l.order_id"
        " WHERE l.sku_id = :s AND o.status <> 'cancelled'",
        s=sku_id,
    )
    assert sku_stock + held == start[0]  # every unit is on the shelf or in an order
    assert start[1] - product_stock == start[0] - sku_stock
    twice = value(
        store,
        "SELECT COUNT(*) FROM (SELECT checkout_id FROM payment WHERE status = 'succeeded'"
        " AND checkout_id IS NOT NULL GROUP BY checkout_id HAVING COUNT(*) > 1) AS t",
    )
    assert twice == 0
    unpaid_charged = value(
        store,
        "SELECT COUNT(*) FROM checkout AS c WHERE c.status = 'paid' AND NOT EXISTS ("
        " SELECT 1 FROM payment AS p WHERE p.id = c.payment_id AND p.status = 'succeeded')",
    )
    assert unpaid_charged == 0
    assert balance(store, account_id) == ledger_sum(store, account_id)


def test_killed_at_random_points_leaves_a_sound_store(
    store: Store, clock: FrozenClock, shopper_setup: tuple[str, int, int], tmp_path: Path
) -> None:
    token, home, sku_id = shopper_setup
    me = account_of(store, token, clock)
    start = stock(store, sku_id)
    location = location_of(store)
    rng = random.Random(20261204)
    reported: list[str] = []
    for kill in range(KILLS):
        report = tmp_path / f"report-{kill}.txt"
        victim = SPAWN.Process(
            target=shop_forever, args=(location, token, home, sku_id, str(report), kill)
        )
        victim.start()
        deadline = time.monotonic() + 60
        while not (report.exists() and report.read_text(encoding="utf-8").startswith("ready")):
            assert time.monotonic() < deadline, "the shopper process did not start"
            assert victim.is_alive(), f"the shopper process died: {victim.exitcode}"
            time.sleep(0.01)
        time.sleep(rng.uniform(0.02, 0.5))
        assert victim.pid is not None
        os.kill(victim.pid, signal.SIGKILL)
        victim.join(10)
        assert victim.exitcode == -signal.SIGKILL, report.read_text(encoding="utf-8")
        reported.extend(report.read_text(encoding="utf-8").splitlines()[1:])
        check_invariants(store, me, sku_id, start)
    successes = [line.split() for line in reported]
    placed = {s[1] for s in successes if s[0] == "placed"}
    paid = {s[1] for s in successes if s[0] == "paid" and s[2] == "succeeded"}
    recharged = {s[1] for s in successes if s[0] == "recharged" and s[2] == "succeeded"}
    assert len(placed) >= 5, reported  # the kills did not all land before any work
    for no in placed:
        assert value(store, "SELECT COUNT(*) FROM checkout WHERE no = :no", no=no) == 1
    for no in paid:
        assert value(store, "SELECT status FROM checkout WHERE no = :no", no=no) == "paid"
    for no in recharged:
        assert value(store, "SELECT status FROM payment WHERE no = :no", no=no) == "succeeded"
