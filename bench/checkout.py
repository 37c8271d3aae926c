"""Checkout benchmark: 提交订单 per second from several processes on one store file, next to
the raw conditional decrement measured in the same run, and that racing shoppers never
oversell.

Usage (from the repository root, with the package installed):

    python bench/checkout.py                        # 2 and 4 processes, 5 rounds of 2 s
    python bench/checkout.py --seconds 3 --rounds 3 --processes 1 2 4
    python bench/checkout.py --no-profile           # skip the single-process cProfile

A fresh store is built in a temporary directory from the small test seed (or `--seed`),
with one shopper account, session and address per process and three SKUs of their own:
one with stock for the whole run (the checkouts), one with a huge stock (the baseline)
and one with `--race-stock` units (the race). For each process count, persistent worker
processes (spawned once) run, after a common start barrier, interleaved rounds of:

- baseline: `BEGIN IMMEDIATE; UPDATE sku SET stock = stock - 1 WHERE id = ? AND stock >= 1;
  COMMIT` in a loop on one connection per process (`Store.connect()`: WAL, the store's
  pragmas) — what SPEC §11 calls the raw conditional decrement (~16 000 tx/s on 2 processes);
- checkout: `kstui.services.ordering.checkout.submit` of one unit of one SKU (立即购买, balance),
  each with a new `submit_key`, for `--seconds`.

Then all processes race for the small-stock SKU until each is told it is sold out: the
units sold (order lines of orders not cancelled) must equal the stock put up, and the stock
must end at 0 — "oversold" counts units sold beyond it (or a negative stock).

How to read it: every throughput is the sum over processes of each one's operations per
second, and the table shows the median over rounds (with min–max); compare the ratio
checkout / baseline, taken in the same run, against the SPEC target (≥ 50 %) — absolute
figures move with the load of the shared machine. The phase table splits the mean wall
time of one checkout, seen from inside a process: reading (session, idempotency check and
the quote, outside the write lock), waiting for the write lock (`BEGIN IMMEDIATE` and the
busy handler), holding it (the inserts, the decrement, COMMIT) and the rest (Python
between the phases). However many processes, throughput can never exceed 1 / (time the
lock is held) — the "1/held" column; with more processes than cores, a holder is often
descheduled with the lock taken, so "held" grows. The single-process part adds the SQL
time per statement ("L": inside the write lock) and a cProfile listing by cumulative time.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import io
import multiprocessing
import os
import pstats
import sqlite3
import statistics
import sys
import sysconfig
import tempfile
import time
import traceback
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from multiprocessing.context import SpawnProcess
from multiprocessing.queues import Queue
from multiprocessing.synchronize import Barrier
from pathlib import Path
from typing import Any

from kstui.store.db import _PRAGMAS, BUSY_TIMEOUT_MS, Store, db_time

ROOT = Path(__file__).resolve().parent.parent
SMALL_SEED = ROOT / "tests" / "fixtures" / "seed_small.json"
BASELINE_STOCK = 10**9
CHECKOUT_STOCK = 10**7
BASELINE_SQL = "UPDATE sku SET stock = stock - 1 WHERE id = ? AND stock >= 1"
MAX_ERRORS = 20
"""A worker stops a job after this many unexpected errors (the first is reported)."""


@dataclass(frozen=True)
class Shopper:
    """One process's account: its session token and delivery address."""

    token: str
    address_id: int


@dataclass(frozen=True)
class Setup:
    """The benchmark store and what the workers use in it."""

    path: Path
    shoppers: list[Shopper]
    checkout_sku: int
    baseline_sku: int
    race_sku: int


@dataclass
class Outcome:
    """What one process did in one job."""

    ops: int = 0
    out_of_stock: int = 0
    errors: int = 0
    first_error: str = ""
    elapsed: float = 0.0
    read: float = 0.0
    wait: float = 0.0
    hold: float = 0.0

    @property
    def rate(self) -> float:
        """Successful operations per second."""
        return self.ops / self.elapsed if self.elapsed else 0.0


@dataclass
class Figures:
    """Everything measured for one process count."""

    processes: int
    baseline: list[float] = field(default_factory=list)
    checkout: list[float] = field(default_factory=list)
    outcomes: list[Outcome] = field(default_factory=list)
    race_rate: float = 0.0
    race_sold: int = 0
    race_orders: int = 0
    race_left: int = 0
    oversold: int = 0


class TimedStore(Store):
    """A `Store` that adds up the time spent in `reading()` and in `writing()` (split
    into waiting for the write lock and holding it). Costs ~1 µs per block."""

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self.read = self.wait = self.hold = 0.0

    @contextmanager
    def reading(self) -> Iterator[sqlite3.Connection]:
        started = time.perf_counter()
        try:
            with super().reading() as conn:
                yield conn
        finally:
            self.read += time.perf_counter() - started

    @contextmanager
    def writing(self) -> Iterator[sqlite3.Connection]:
        started = time.perf_counter()
        locked: float | None = None
        try:
            with super().writing() as conn:
                locked = time.perf_counter()  # BEGIN IMMEDIATE has returned
                yield conn
        finally:  # after COMMIT (or ROLLBACK)
            ended = time.perf_counter()
            if locked is None:
                self.wait += ended - started
            else:
                self.wait += locked - started
                self.hold += ended - locked


class TimingConnection(sqlite3.Connection):
    """A connection that adds up the wall time of each SQL text it executes (the first
    step of a query: enough for the one-row statements of a checkout), noting whether
    it ran inside a transaction (the write lock: readers run in autocommit)."""

    spent: dict[tuple[bool, str], list[float]]

    def execute(self, sql: str, parameters: Any = (), /) -> sqlite3.Cursor:
        locked = self.in_transaction or sql.startswith("BEGIN")
        started = time.perf_counter()
        try:
            return super().execute(sql, parameters)
        finally:
            self._note(locked, sql, time.perf_counter() - started)

    def executemany(self, sql: str, parameters: Iterable[Any], /) -> sqlite3.Cursor:
        started = time.perf_counter()
        try:
            return super().executemany(sql, parameters)
        finally:
            self._note(self.in_transaction, sql, time.perf_counter() - started)

    def _note(self, locked: bool, sql: str, took: float) -> None:
        entry = TimingConnection.spent.setdefault((locked, " ".join(sql.split())), [0, 0.0])
        entry[0] += 1
        entry[1] += took


TimingConnection.spent = {}


class StatementStore(TimedStore):
    """A `TimedStore` whose connections are `TimingConnection`s (same pragmas)."""

    def connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(
            self.path,
            timeout=BUSY_TIMEOUT_MS / 1000,
            isolation_level=None,
            check_same_thread=False,
            factory=TimingConnection,
        )
        for pragma in _PRAGMAS:
            conn.execute(pragma)
        return conn


def statements(count: int) -> None:
    """Print where the SQL time of `count` checkouts went, statement by statement."""
    rows = sorted(TimingConnection.spent.items(), key=lambda item: -item[1][1])
    total = sum(spent for _, (_, spent) in rows)
    print(f"\nSQL per checkout, 1 process ({count} checkouts; µs per checkout; L = in the lock):")
    for (locked, sql), (calls, spent) in rows:
        text = sql if len(sql) <= 74 else sql[:71] + "..."
        print(f"  {spent / count * 1e6:6.1f} {calls / count:4.1f}× {'L' if locked else ' '} {text}")
    inside = sum(spent for (locked, _), (_, spent) in rows if locked)
    print(f"  {total / count * 1e6:6.1f} in all, {inside / count * 1e6:.1f} of it in the lock")


# -- the store ------------------------------------------------------------------------------


def work_around_coupon_join(path: Path) -> bool:
    """If `held_coupons` fails on this SQLite ("near "ON": syntax error": its query writes
    `coupon AS c JOIN coupon_template AS t LEFT JOIN shop AS s ON … ON …`, a nested join
    SQLite does not parse without parentheses), parenthesise the join in this process only.
    The same query then runs, so the checkout costs what it would once fixed. True if the
    workaround was needed."""
    from kstui.services.ordering import coupons

    with contextlib.closing(Store(path).connect()) as conn:
        try:
            coupons.held_coupons(conn, 0, datetime.now(UTC))
        except sqlite3.OperationalError as exc:
            if "syntax error" not in str(exc) or coupons._TERMS_JOIN.startswith("("):
                raise
        else:
            return False
    coupons._TERMS_JOIN = f"({coupons._TERMS_JOIN})"
    return True


def build_store(directory: Path, seed: Path, shoppers: int, race_stock: int) -> Setup:
    """A seeded store with `shoppers` logged-in accounts with an address, and three SKUs."""
    from kstui.providers.clock import SystemClock
    from kstui.services.accounts.records import log_in
    from kstui.services.ordering.addresses import AddressInput, add_address
    from kstui.store.bootstrap import open_store

    clock = SystemClock()
    path = directory / "bench.db"
    store = open_store(path, clock=clock, seed_path=seed)
    with store.writing() as conn:
        # Three SKUs of three products without a per-order limit.
        rows = conn.execute(
            "SELECT min(k.id) FROM sku AS k JOIN product AS p ON p.id = k.product_id"
            " WHERE p.per_order_limit IS NULL GROUP BY p.id ORDER BY p.id LIMIT 3"
        ).fetchall()
        if len(rows) < 3:
            raise SystemExit(f"{seed}: needs 3 products without a per-order limit")
        checkout_sku, baseline_sku, race_sku = (r[0] for r in rows)
        for sku_id, stock in (
            (checkout_sku, CHECKOUT_STOCK),
            (baseline_sku, BASELINE_STOCK),
            (race_sku, race_stock),
        ):
            conn.execute("UPDATE sku SET stock = ? WHERE id = ?", (stock, sku_id))
        conn.execute(
            "UPDATE product SET stock = (SELECT sum(stock) FROM sku WHERE product_id = product.id)"
        )
        # Fresh accounts: no coupons, so every checkout is priced and written alike.
        now = db_time(clock.now())
        account_ids = [
            conn.execute(
                "INSERT INTO account (phone, nickname, password_hash, role, created_at)"
                " VALUES (?, ?, '!', 'shopper', ?)",
                (f"1370000{n:04d}", f"bench {n}", now),
            ).lastrowid
            for n in range(shoppers)
        ]
        tokens = [
            log_in(conn, account_id, clock=clock, device="bench", how="bench").token
            for account_id in account_ids
            if account_id is not None
        ]
    people = []
    for n, token in enumerate(tokens):
        address = AddressInput(
            recipient="林小满",
            phone=f"1370000{n:04d}",
            province="33",
            city="3301",
            district="330106",
            detail=f"文三路 {n + 1} 号",
            make_default=True,
        )
        people.append(Shopper(token, add_address(store, token, address, clock=clock).id))
    with store.reading() as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    return Setup(path, people, checkout_sku, baseline_sku, race_sku)


def sold(conn: sqlite3.Connection, sku_id: int) -> tuple[int, int, int]:
    """Units of a SKU in orders not cancelled, those orders, and the SKU's stock."""
    units, orders = conn.execute(
        "SELECT coalesce(sum(l.quantity), 0), count(DISTINCT o.id) FROM order_line AS l"
        " JOIN shop_order AS o ON o.id = l.order_id WHERE l.sku_id = ? AND o.status != ?",
        (sku_id, "cancelled"),
    ).fetchone()
    (stock,) = conn.execute("SELECT stock FROM sku WHERE id = ?", (sku_id,)).fetchone()
    return int(units), int(orders), int(stock)


# -- the measured loops ---------------------------------------------------------------------


def run_baseline(conn: sqlite3.Connection, sku_id: int, seconds: float) -> Outcome:
    """The raw conditional decrement, one transaction per unit, for `seconds`."""
    ops = 0
    started = time.perf_counter()
    deadline = started + seconds
    execute = conn.execute
    while True:
        execute("BEGIN IMMEDIATE")
        ops += execute(BASELINE_SQL, (sku_id,)).rowcount
        execute("COMMIT")
        if time.perf_counter() >= deadline:
            break
    return Outcome(ops=ops, elapsed=time.perf_counter() - started)


def run_checkouts(
    store: Store,
    shopper: Shopper,
    sku_id: int,
    tag: str,
    *,
    seconds: float | None = None,
    count: int | None = None,
) -> Outcome:
    """Submit checkouts of one unit of `sku_id` for `seconds`, `count` times, or (neither)
    until the SKU is sold out."""
    from kstui.providers.clock import SystemClock
    from kstui.services.ordering.cart import OutOfStock
    from kstui.services.ordering.checkout import Item, OrderRequest, submit
    from kstui.store.enums import PaymentMethod

    clock = SystemClock()
    items = (Item(sku_id, 1),)
    outcome = Outcome()
    timed = store if isinstance(store, TimedStore) else None
    if timed is not None:
        timed.read = timed.wait = timed.hold = 0.0
    started = time.perf_counter()
    deadline = started + seconds if seconds is not None else float("inf")
    n = 0
    while time.perf_counter() < deadline and (count is None or n < count):
        n += 1
        request = OrderRequest(
            items=items,
            submit_key=f"{tag}-{n}",
            address_id=shopper.address_id,
            method=PaymentMethod.BALANCE,
        )
        try:
            submit(store, shopper.token, request, clock=clock)
        except OutOfStock:
            outcome.out_of_stock += 1
            if seconds is None and count is None:
                break  # the race: sold out
        except Exception:
            outcome.errors += 1
            outcome.first_error = outcome.first_error or traceback.format_exc()
            if outcome.errors >= MAX_ERRORS:
                break
        else:
            outcome.ops += 1
    outcome.elapsed = time.perf_counter() - started
    if timed is not None:
        outcome.read, outcome.wait, outcome.hold = timed.read, timed.wait, timed.hold
    return outcome


def worker(
    index: int,
    setup: Setup,
    barrier: Barrier,
    commands: Queue[tuple[str, float, str] | None],
    results: Queue[tuple[int, Outcome | str]],
) -> None:
    """One process: warm up, then run the jobs it is sent, each after the common barrier."""
    try:
        work_around_coupon_join(setup.path)
        store = TimedStore(setup.path)
        raw = Store(setup.path).connect()
        shopper = setup.shoppers[index]
        run_checkouts(store, shopper, setup.checkout_sku, f"w{index}-warm", count=30)
        run_baseline(raw, setup.baseline_sku, 0.05)
        results.put((index, "ready"))
        while (command := commands.get()) is not None:
            job, seconds, tag = command
            barrier.wait(timeout=120)
            if job == "baseline":
                outcome = run_baseline(raw, setup.baseline_sku, seconds)
            elif job == "checkout":
                outcome = run_checkouts(
                    store, shopper, setup.checkout_sku, f"{tag}-w{index}", seconds=seconds
                )
            else:  # the race
                outcome = run_checkouts(store, shopper, setup.race_sku, f"{tag}-w{index}")
            results.put((index, outcome))
        raw.close()
        store.close()
    except Exception:
        results.put((index, traceback.format_exc()))


# -- the driver -----------------------------------------------------------------------------


class Workers:
    """`n` spawned worker processes on the benchmark store."""

    def __init__(self, setup: Setup, n: int) -> None:
        context = multiprocessing.get_context("spawn")
        self.n = n
        self.barrier = context.Barrier(n)
        self.results: Queue[tuple[int, Outcome | str]] = context.Queue()
        self.commands: list[Queue[tuple[str, float, str] | None]] = [
            context.Queue() for _ in range(n)
        ]
        self.processes: list[SpawnProcess] = [
            context.Process(
                target=worker, args=(i, setup, self.barrier, self.commands[i], self.results)
            )
            for i in range(n)
        ]
        for process in self.processes:
            process.start()
        self._collect(timeout=120)

    def _collect(self, timeout: float) -> list[Outcome]:
        outcomes: list[Outcome] = []
        for _ in range(self.n):
            index, result = self.results.get(timeout=timeout)
            if isinstance(result, str):
                if result != "ready":
                    self.close()
                    raise SystemExit(f"worker {index} failed:\n{result}")
            else:
                outcomes.append(result)
        return outcomes

    def run(self, job: str, seconds: float, tag: str) -> list[Outcome]:
        """Run one job in every process at once; what each did."""
        for queue in self.commands:
            queue.put((job, seconds, tag))
        return self._collect(timeout=seconds + 120)

    def close(self) -> None:
        """Stop the processes."""
        for queue in self.commands:
            queue.put(None)
        for process in self.processes:
            process.join(timeout=30)
            if process.is_alive():
                process.kill()


def measure(setup: Setup, n: int, seconds: float, rounds: int, race_stock: int) -> Figures:
    """Baseline and checkout rounds, then the race, with `n` processes."""
    figures = Figures(n)
    workers = Workers(setup, n)
    try:
        for r in range(rounds):
            jobs = ("baseline", "checkout") if r % 2 == 0 else ("checkout", "baseline")
            for job in jobs:  # interleaved, so that drift hits both alike
                outcomes = workers.run(job, seconds, f"p{n}-r{r}")
                report_errors(job, outcomes)
                rate = sum(o.rate for o in outcomes)
                if job == "baseline":
                    figures.baseline.append(rate)
                else:
                    figures.checkout.append(rate)
                    figures.outcomes.extend(outcomes)
        with contextlib.closing(Store(setup.path).connect()) as conn:
            conn.execute("UPDATE sku SET stock = ? WHERE id = ?", (race_stock, setup.race_sku))
            units_before, orders_before, _ = sold(conn, setup.race_sku)
            outcomes = workers.run("race", 0, f"p{n}-race")
            report_errors("race", outcomes)
            units, orders, left = sold(conn, setup.race_sku)
    finally:
        workers.close()
    figures.race_rate = sum(o.ops for o in outcomes) / max(o.elapsed for o in outcomes)
    figures.race_sold = units - units_before
    figures.race_orders = orders - orders_before
    figures.race_left = left
    figures.oversold = max(0, figures.race_sold - race_stock) + max(0, -left)
    if sum(o.ops for o in outcomes) != figures.race_sold:
        print(f"  !! race: processes counted {sum(o.ops for o in outcomes)} checkouts,"
              f" the store holds {figures.race_sold} units")  # fmt: skip
    return figures


def report_errors(job: str, outcomes: list[Outcome]) -> None:
    """Print unexpected failures (a bug in the service, or a busy store)."""
    errors = sum(o.errors for o in outcomes)
    if errors:
        first = next(o.first_error for o in outcomes if o.first_error)
        print(f"  !! {job}: {errors} unexpected errors; the first:\n{first}")


def single_process(setup: Setup, seconds: float, profile: bool) -> None:
    """One process, no contention: baseline, checkout, the phase split and a cProfile."""
    store = TimedStore(setup.path)
    shopper = setup.shoppers[0]
    with contextlib.closing(Store(setup.path).connect()) as raw:
        run_baseline(raw, setup.baseline_sku, 0.1)
        baseline = run_baseline(raw, setup.baseline_sku, seconds)
    run_checkouts(store, shopper, setup.checkout_sku, "single-warm", count=30)
    outcome = run_checkouts(store, shopper, setup.checkout_sku, "single", seconds=seconds)
    report_errors("checkout", [outcome])
    print(f"\n1 process (parent, {seconds:g} s each): baseline {baseline.rate:,.0f} tx/s,"
          f" checkout {outcome.rate:,.0f}/s ({outcome.rate / baseline.rate:.1%})")  # fmt: skip
    phases({"1 process": [outcome]})
    timed = StatementStore(setup.path)
    run_checkouts(timed, shopper, setup.checkout_sku, "statements-warm", count=30)
    TimingConnection.spent.clear()
    count = max(200, int(outcome.rate * seconds / 2))
    run_checkouts(timed, shopper, setup.checkout_sku, "statements", count=count)
    statements(count)
    timed.close()
    if profile:
        plain = Store(setup.path)  # not the TimedStore: its wrappers would show up
        run_checkouts(plain, shopper, setup.checkout_sku, "profile-warm", count=30)
        profiler = cProfile.Profile()
        profiler.enable()
        run_checkouts(plain, shopper, setup.checkout_sku, "profile", count=count)
        profiler.disable()
        plain.close()
        text = io.StringIO()
        pstats.Stats(profiler, stream=text).sort_stats("cumulative").print_stats(18)
        body = text.getvalue().replace(f"{ROOT}/", "")
        body = body.replace(f"{sysconfig.get_paths()['stdlib']}/", "")
        start = body.find("   ncalls")
        print(f"\ncProfile, 1 process, {count} checkouts, top by cumulative time (seconds):")
        print(body[start:].rstrip() if start >= 0 else body)
    store.close()


def phases(rows: dict[str, list[Outcome]]) -> None:
    """The mean wall time of one checkout split by phase, in µs."""
    print("\nper checkout (mean wall µs in one process; the lock is held for 'held'):")
    print(f"  {'':12} {'total':>7} {'read+quote':>10} {'lock wait':>10} {'lock held':>10}"
          f" {'other':>7}   1/held")  # fmt: skip
    for name, outcomes in rows.items():
        attempts = sum(o.ops + o.out_of_stock + o.errors for o in outcomes)
        if not attempts:
            continue
        total = sum(o.elapsed for o in outcomes) / attempts * 1e6
        read = sum(o.read for o in outcomes) / attempts * 1e6
        wait = sum(o.wait for o in outcomes) / attempts * 1e6
        hold = sum(o.hold for o in outcomes) / attempts * 1e6
        other = total - read - wait - hold
        ceiling = 1e6 / hold if hold else 0.0
        print(f"  {name:12} {total:7.0f} {read:10.0f} {wait:10.0f} {hold:10.0f} {other:7.0f}"
              f"   {ceiling:,.0f}/s")  # fmt: skip


def spread(values: list[float]) -> str:
    """Median (min–max)."""
    return f"{statistics.median(values):>9,.0f} ({min(values):,.0f}–{max(values):,.0f})"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--seconds", type=float, default=2.0, help="length of one round")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--processes", type=int, nargs="+", default=[2, 4])
    parser.add_argument("--race-stock", type=int, default=500)
    parser.add_argument("--seed", type=Path, default=SMALL_SEED)
    parser.add_argument("--no-profile", action="store_true", help="skip the cProfile listing")
    args = parser.parse_args(argv)
    print(f"python {sys.version.split()[0]}, sqlite {sqlite3.sqlite_version},"
          f" cpus {os.cpu_count()}, load {os.getloadavg()[0]:.2f},"
          f" {datetime.now(UTC):%Y-%m-%d %H:%M} UTC")  # fmt: skip
    began = time.perf_counter()
    with tempfile.TemporaryDirectory() as directory:
        setup = build_store(Path(directory), args.seed, max(args.processes), args.race_stock)
        if work_around_coupon_join(setup.path):
            print("!! services.ordering.coupons.held_coupons fails on this SQLite (nested JOIN …"
                  " LEFT JOIN … ON … ON …): the bench parenthesises the join in its own"
                  " processes (same query, same cost); fix it in coupons._TERMS_JOIN")  # fmt: skip
        print(f"store: {args.seed.name}, {len(setup.shoppers)} shoppers; SKUs checkout"
              f" {setup.checkout_sku}, baseline {setup.baseline_sku}, race {setup.race_sku}"
              f" ({args.race_stock} units); {args.rounds} rounds × {args.seconds:g} s")  # fmt: skip
        results = [
            measure(setup, n, args.seconds, args.rounds, args.race_stock) for n in args.processes
        ]
        with contextlib.closing(Store(setup.path).connect()) as conn:
            units, _, stock = sold(conn, setup.checkout_sku)
            (negative,) = conn.execute("SELECT count(*) FROM sku WHERE stock < 0").fetchone()
        print(f"\ncheckout SKU: {units:,} units sold, stock {CHECKOUT_STOCK:,} → {stock:,}"
              f" ({'consistent' if units + stock == CHECKOUT_STOCK else 'INCONSISTENT'});"
              f" SKUs with negative stock: {negative}")  # fmt: skip
        print(f"\n{'processes':>9} {'baseline tx/s (min–max)':>28} {'checkout/s (min–max)':>26}"
              f" {'ratio':>6}  {'race/s':>7} {'sold/stock':>11} {'oversold':>8}")  # fmt: skip
        for f in results:
            ratio = statistics.median(f.checkout) / statistics.median(f.baseline)
            print(f"{f.processes:>9} {spread(f.baseline):>28} {spread(f.checkout):>26}"
                  f" {ratio:6.1%}  {f.race_rate:7,.0f} {f'{f.race_sold}/{args.race_stock}':>11}"
                  f" {f.oversold:>8}")  # fmt: skip
        for f in results:
            print(
                f"oversold ({f.processes} processes): {f.oversold}"
                f" (left {f.race_left}, {f.race_orders} orders)"
            )
        print("SPEC §11 target: checkout ≥ 50 % of the baseline, oversold 0")
        phases({f"{f.processes} processes": f.outcomes for f in results})
        single_process(setup, min(args.seconds, 2.0), not args.no_profile)
    print(f"\ntotal {time.perf_counter() - began:.0f} s")


if __name__ == "__main__":
    main()
