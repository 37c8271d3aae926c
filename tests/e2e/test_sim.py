"""`kstui sim advance|status` as separate processes, on SQLite and on PostgreSQL."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import timedelta

import pytest

from kstui.cli.sim import BadDuration, format_duration, parse_duration
from kstui.providers.clock import SystemClock
from kstui.providers.world_clock import WorldClock, read_state
from kstui.services.ordering.checkout import Placed
from kstui.store.interface import Store
from tests.conftest import NOW
from tests.e2e.processes import location_of
from tests.unit.ordering_helpers import HOME, address, place, skus, stock, value

ENGINES = ("sqlite", "postgresql")


@pytest.fixture(params=ENGINES)
def engine(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def store(engine: str, request: pytest.FixtureRequest) -> Store:
    found: Store = request.getfixturevalue("sqlite_store" if engine == "sqlite" else "pg_store")
    return found


def store_option(store: Store) -> list[str]:
    if store.engine == "sqlite":
        return ["--db", location_of(store)]
    return ["--database-url", location_of(store)]


def kstui(store: Store, *args: str, lang: str = "en") -> subprocess.Popen[str]:
    """`kstui … ARGS` as a process of its own."""
    return subprocess.Popen(
        [sys.executable, "-m", "kstui", "--lang", lang, *store_option(store), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "NO_COLOR": "1"},
    )


def finish(process: subprocess.Popen[str]) -> tuple[int, str, str]:
    out, err = process.communicate(timeout=120)
    return process.returncode, out, err


@pytest.fixture
def world_at_now(store: Store) -> WorldClock:
    """The store's world clock set to the tests' `NOW` (whatever the real date), as a
    process of the shop sees it."""
    offset = NOW - SystemClock().now()
    with store.writing() as tx:
        tx.execute(
            "UPDATE world_clock SET offset_us = :offset WHERE id = 1",
            offset=offset // timedelta(microseconds=1),
        )
    return WorldClock(store)


@pytest.fixture
def unpaid(store: Store, shopper: str, world_at_now: WorldClock) -> Placed:
    """An order submitted now by the world clock (as the shop would), left unpaid."""
    clock = world_at_now
    home = address(store, shopper, clock, HOME)  # type: ignore[arg-type]
    return place(store, shopper, clock, {skus(store).dress: 2}, address_id=home)  # type: ignore[arg-type]


def test_advance_cancels_an_order_made_in_another_process_once(
    store: Store, unpaid: Placed
) -> None:
    dress = skus(store).dress
    assert stock(store, dress)[0] == 3
    code, out, err = finish(kstui(store, "sim", "advance", "14m"))
    assert (code, err) == (0, "")
    assert "unpaid orders cancelled" not in out
    assert value(store, "SELECT status FROM checkout WHERE no = :no", no=unpaid.no) == (
        "awaiting_payment"
    )

    code, out, err = finish(kstui(store, "sim", "advance", "2m"))

    assert (code, err) == (0, "")
    assert "moved 2m forward" in out
    assert "unpaid orders cancelled: 1" in out
    assert value(store, "SELECT status FROM checkout WHERE no = :no", no=unpaid.no) == "closed"
    assert stock(store, dress)[0] == 5
    code, out, _ = finish(kstui(store, "sim", "advance", "1h"))  # nothing more to do
    assert code == 0
    assert "cancelled" not in out
    assert stock(store, dress)[0] == 5
    cancelled = "SELECT COUNT(*) FROM order_event WHERE to_status = 'cancelled'"
    assert value(store, cancelled) == 1


def test_two_processes_advancing_at_once_act_once(store: Store, unpaid: Placed) -> None:
    dress = skus(store).dress
    offset_before = read_state(store).offset
    both = [kstui(store, "sim", "advance", "16m", "--json") for _ in range(2)]
    results = [finish(process) for process in both]

    assert [code for code, _, _ in results] == [0, 0], results
    done = [json.loads(out)["done"] for _, out, _ in results]
    assert sum(d.get("overdue_checkouts", 0) for d in done) == 1, done
    assert stock(store, dress)[0] == 5
    events = value(
        store,
        "SELECT COUNT(*) FROM order_event AS e JOIN shop_order AS o ON o.id = e.order_id"
        " JOIN checkout AS c ON c.id = o.checkout_id WHERE c.no = :no",
        no=unpaid.no,
    )
    assert events == 2  # created, cancelled: no duplicate
    assert read_state(store).offset - offset_before == timedelta(minutes=32)  # both count


@pytest.mark.usefixtures("unpaid")
def test_status_lists_what_falls_due_and_the_limits(store: Store) -> None:
    code, out, err = finish(kstui(store, "sim", "status", "--json"))
    assert (code, err) == (0, "")
    status = json.loads(out)
    assert status["speed"] == 1
    assert status["simulated"].startswith("2026-11-22T02:0")  # the tests' NOW, moved on a bit
    assert [d["step"] for d in status["next_due"]] == ["overdue_checkouts"]
    assert status["limits"]["pay_window"] == 15 * 60
    assert set(status["limits"]) >= {"pay_window", "recharge_window", "sms_code", "session"}

    code, out, _ = finish(kstui(store, "sim", "status", lang="zh"))
    assert code == 0
    assert "模拟时间" in out
    assert "超时未付款的订单取消" in out
    assert "下单后付款期限：15m" in out


@pytest.mark.parametrize("bad", ["3x", "", "-5m", "m", "2h30", "9999999999d", "1e3m", "\x1b[31m"])
def test_a_bad_duration_is_one_plain_line(store: Store, bad: str) -> None:
    code, out, err = finish(kstui(store, "sim", "advance", bad, lang="zh"))
    assert code != 0
    assert out == ""
    assert len(err.strip().splitlines()) == 1, err
    assert "\x1b" not in err
    assert read_state(store).offset == timedelta(0)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("30m", timedelta(minutes=30)),
        ("2h", timedelta(hours=2)),
        ("3d", timedelta(days=3)),
        ("90s", timedelta(seconds=90)),
        ("1h30m", timedelta(hours=1, minutes=30)),
        (" 2H ", timedelta(hours=2)),
        ("0m", timedelta(0)),
    ],
)
def test_parse_duration(text: str, value: timedelta) -> None:
    assert parse_duration(text) == value


@pytest.mark.parametrize("text", ["", "h", "3", "3x", "1.5h", "-1h", "3651d", "1h 30m"])
def test_parse_duration_refuses(text: str) -> None:
    with pytest.raises(BadDuration):
        parse_duration(text)


def test_format_duration() -> None:
    assert format_duration(timedelta(minutes=15)) == "15m"
    assert format_duration(timedelta(days=30)) == "30d"
    assert format_duration(timedelta(hours=1, minutes=30)) == "1h30m"
    assert format_duration(timedelta(0)) == "0s"
