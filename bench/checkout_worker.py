"""One worker process of `bench/checkout.py` (started by it; not run by hand).

The driver starts it as `python bench/checkout_worker.py` with `PYTHONPATH` naming the
kstui tree it measures: the working tree, or a `git worktree` of the commit before the
store interface. It reads one JSON command per line on stdin and answers each with one
JSON line on stdout (everything else the process prints goes to stderr). It imports
kstui only inside the commands, and only what the tree it runs on has: the old tree has
`kstui.store.db.Store` (services on raw `sqlite3` connections), the new one
`kstui.store.interface` and its engines.

A target is one way of doing the measured work: `raw` (the conditional decrement on a
DB-API connection), `before` (`checkout.submit` on the old `Store`), `interface`
(`checkout.submit` on today's store, `kstui.store.bootstrap.connect`) or `sqlalchemy`
(`checkout.submit` on `bench/sqlalchemy_store.py`), on SQLite or PostgreSQL.
"""

from __future__ import annotations

import contextlib
import cProfile
import io
import json
import os
import pstats
import sqlite3
import sys
import sysconfig
import time
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

CHECKOUT_STOCK = 10**7
BASELINE_STOCK = 10**9
SQLITE_DECREMENT = "UPDATE sku SET stock = stock - 1 WHERE id = :id AND stock >= 1"
PG_DECREMENT = "UPDATE sku SET stock = stock - 1 WHERE id = %(id)s AND stock >= 1"
PG_OPTIONS = "-c TimeZone=UTC -c client_encoding=UTF8"
MAX_ERRORS = 20
"""A job stops after this many unexpected errors (the first is reported)."""
THREE_SKUS = (
    "SELECT min(k.id) FROM sku AS k JOIN product AS p ON p.id = k.product_id"
    " WHERE p.per_order_limit IS NULL GROUP BY p.id ORDER BY p.id LIMIT 3"
)
"""Three SKUs of three products without a per-order limit: checkout, baseline, race."""

Json = dict[str, Any]
clock_now = time.monotonic
"""One clock for every process (CLOCK_MONOTONIC): the driver's start times are its."""


# -- building a store -----------------------------------------------------------------------


def _address(n: int, phone: str) -> Any:
    from kstui.services.ordering.addresses import AddressInput

    return AddressInput(
        recipient="林小满",
        phone=phone,
        province="33",
        city="3301",
        district="330106",
        detail=f"文三路 {n + 1} 号",
        make_default=True,
    )


def build_before(path: Path, seed: Path, phones: list[str], race_stock: int) -> Json:
    """A seeded store made by the old code (its `open_store`, raw `sqlite3` connections),
    as the old `bench/checkout.py` made it: fresh accounts, one session and address each."""
    from kstui.providers.clock import SystemClock
    from kstui.services.accounts.records import log_in
    from kstui.services.ordering.addresses import add_address
    from kstui.store import db as old_db
    from kstui.store.bootstrap import open_store

    clock = SystemClock()
    store = open_store(path, clock=clock, seed_path=seed)
    with store.writing() as conn:
        skus = [r[0] for r in conn.execute(THREE_SKUS).fetchall()]
        if len(skus) < 3:
            raise SystemExit(f"{seed}: needs 3 products without a per-order limit")
        for sku_id, stock in zip(skus, (CHECKOUT_STOCK, BASELINE_STOCK, race_stock), strict=True):
            conn.execute("UPDATE sku SET stock = ? WHERE id = ?", (stock, sku_id))
        conn.execute(
            "UPDATE product SET stock = (SELECT sum(stock) FROM sku WHERE product_id = product.id)"
        )
        now = old_db.db_time(clock.now())
        account_ids = [
            conn.execute(
                "INSERT INTO account (phone, nickname, password_hash, role, created_at)"
                " VALUES (?, ?, '!', 'shopper', ?)",
                (phone, f"bench {n}", now),
            ).lastrowid
            for n, phone in enumerate(phones)
        ]
        tokens = [
            log_in(conn, account_id, clock=clock, device="bench", how="bench").token
            for account_id in account_ids
        ]
    shoppers = [
        [token, add_address(store, token, _address(n, phones[n]), clock=clock).id]
        for n, token in enumerate(tokens)
    ]
    store.close()
    return {"shoppers": shoppers, "checkout_sku": skus[0], "baseline_sku": skus[1],
            "race_sku": skus[2]}  # fmt: skip


def build_now(location: str, seed: Path, phones: list[str], race_stock: int) -> Json:
    """A seeded store made by today's code, through the store interface (either engine)."""
    from kstui.providers.clock import SystemClock
    from kstui.services.accounts.records import log_in
    from kstui.services.ordering.addresses import add_address
    from kstui.store.bootstrap import is_database_url, open_store

    clock = SystemClock()
    where: str | Path = location if is_database_url(location) else Path(location)
    store = open_store(where, clock=clock, seed_path=seed)
    with store.writing() as tx:
        skus = [r[0] for r in tx.fetch_all(THREE_SKUS)]
        if len(skus) < 3:
            raise SystemExit(f"{seed}: needs 3 products without a per-order limit")
        for sku_id, stock in zip(skus, (CHECKOUT_STOCK, BASELINE_STOCK, race_stock), strict=True):
            tx.execute("UPDATE sku SET stock = :stock WHERE id = :id", stock=stock, id=sku_id)
        tx.execute(
            "UPDATE product SET stock ="
            " COALESCE((SELECT sum(stock) FROM sku WHERE product_id = product.id), 0)"
        )
        account_ids = [
            tx.insert(
                "INSERT INTO account (phone, nickname, password_hash, role, created_at,"
                " second_factor) VALUES (:phone, :nickname, '!', 'shopper', :now, FALSE)",
                phone=phone,
                nickname=f"bench {n}",
                now=clock.now(),
            )
            for n, phone in enumerate(phones)
        ]
        tokens = [
            log_in(tx, account_id, clock=clock, device="bench", how="bench").token
            for account_id in account_ids
        ]
    shoppers = [
        [token, add_address(store, token, _address(n, phones[n]), clock=clock).id]
        for n, token in enumerate(tokens)
    ]
    store.close()
    return {"shoppers": shoppers, "checkout_sku": skus[0], "baseline_sku": skus[1],
            "race_sku": skus[2]}  # fmt: skip


# -- opening a target -----------------------------------------------------------------------


def open_target(target: Json) -> Any:
    """The connection (raw) or store the target's work runs on, newly opened."""
    via, engine, location = target["via"], target["engine"], target["location"]
    if via == "raw":
        if engine == "sqlite":
            from kstui.store.sqlite import SqliteStore

            return SqliteStore(Path(location)).connect()  # the store's pragmas, autocommit
        import psycopg

        return psycopg.connect(location, autocommit=False, options=PG_OPTIONS)
    if via == "before":
        from kstui.store.db import Store

        return Store(Path(location))
    if via == "interface":
        from kstui.store.bootstrap import connect

        return connect(location if engine == "postgresql" else Path(location))
    from sqlalchemy_store import SqlAlchemyStore

    if engine == "sqlite":
        return SqlAlchemyStore.sqlite(Path(location))
    return SqlAlchemyStore.postgresql(location)


def close_target(opened: Any) -> None:
    opened.close()


class TimedStore:
    """A store that adds up the time spent in `reading()` and in `writing()`, split into
    entering it (SQLite: `BEGIN IMMEDIATE`, waiting for the lock; PostgreSQL: a pooled
    connection and `BEGIN`) and the rest (the block and COMMIT). ~1 µs per block."""

    def __init__(self, inner: Any) -> None:
        self._inner = inner
        self.read = self.wait = self.hold = 0.0

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)

    @contextmanager
    def reading(self) -> Iterator[Any]:
        started = clock_now()
        try:
            with self._inner.reading() as tx:
                yield tx
        finally:
            self.read += clock_now() - started

    @contextmanager
    def writing(self) -> Iterator[Any]:
        started = clock_now()
        entered: float | None = None
        try:
            with self._inner.writing() as tx:
                entered = clock_now()
                yield tx
        finally:  # after COMMIT (or ROLLBACK)
            ended = clock_now()
            if entered is None:
                self.wait += ended - started
            else:
                self.wait += entered - started
                self.hold += ended - entered


class TimingTransaction:
    """A transaction that adds up the wall time of each statement text it runs (on the old
    code, a `sqlite3.Connection`: there only `execute`, the first step, is timed)."""

    def __init__(self, inner: Any, spent: dict[tuple[bool, str], list[float]], locked: bool):
        self._inner = inner
        self._spent = spent
        self._locked = locked

    def __getattr__(self, name: str) -> Any:
        method = getattr(self._inner, name)
        if name not in ("execute", "execute_many", "fetch_one", "fetch_all", "fetch_value",
                        "insert", "executemany"):  # fmt: skip
            return method

        def timed(sql: str, *args: Any, **params: Any) -> Any:
            started = clock_now()
            try:
                return method(sql, *args, **params)
            finally:
                note(self._spent, self._locked, sql, clock_now() - started)

        return timed


def note(spent: dict[tuple[bool, str], list[float]], locked: bool, sql: str, took: float) -> None:
    entry = spent.setdefault((locked, " ".join(sql.split())), [0, 0.0])
    entry[0] += 1
    entry[1] += took


class StatementStore:
    """A store whose transactions time their statements (and the BEGIN and COMMIT)."""

    def __init__(self, inner: Any) -> None:
        self._inner = inner
        self.spent: dict[tuple[bool, str], list[float]] = {}

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)

    @contextmanager
    def reading(self) -> Iterator[Any]:
        with self._inner.reading() as tx:
            yield TimingTransaction(tx, self.spent, False)

    @contextmanager
    def writing(self) -> Iterator[Any]:
        manager = self._inner.writing()
        started = clock_now()
        tx = manager.__enter__()
        note(self.spent, True, "(enter writing(): BEGIN)", clock_now() - started)
        try:
            yield TimingTransaction(tx, self.spent, True)
        except BaseException:
            if not manager.__exit__(*sys.exc_info()):
                raise
        else:
            started = clock_now()
            manager.__exit__(None, None, None)
            note(self.spent, True, "(leave writing(): COMMIT)", clock_now() - started)


# -- the measured loops ---------------------------------------------------------------------


def outcome(**values: Any) -> Json:
    base = {"ops": 0, "out_of_stock": 0, "errors": 0, "first_error": "", "elapsed": 0.0,
            "read": 0.0, "wait": 0.0, "hold": 0.0}  # fmt: skip
    base.update(values)
    return base


def decrements(conn: Any, engine: str, sku_id: int, deadline: float, count: int | None) -> Json:
    """The raw conditional decrement, one transaction per unit, until `deadline` (or
    `count` times): SQLite `BEGIN IMMEDIATE; UPDATE …; COMMIT` on an autocommit connection,
    PostgreSQL the UPDATE and `commit()` with autocommit off (psycopg sends the BEGIN)."""
    ops = done = 0
    params = {"id": sku_id}
    started = clock_now()
    if engine == "sqlite":
        execute = conn.execute
        while True:
            execute("BEGIN IMMEDIATE")
            ops += execute(SQLITE_DECREMENT, params).rowcount
            execute("COMMIT")
            done += 1
            if clock_now() >= deadline or done == count:
                break
    else:
        cursor = conn.cursor()
        run, commit = cursor.execute, conn.commit
        while True:
            run(PG_DECREMENT, params)
            ops += cursor.rowcount
            commit()
            done += 1
            if clock_now() >= deadline or done == count:
                break
    return outcome(ops=ops, elapsed=clock_now() - started)


def checkouts(
    store: Any,
    shopper: list[Any],
    sku_id: int,
    tag: str,
    *,
    deadline: float = float("inf"),
    count: int | None = None,
    until_sold_out: bool = False,
) -> Json:
    """`checkout.submit` of one unit of `sku_id` (立即购买, balance), each with a new
    `submit_key`, until `deadline`, `count` times or (the race) the first `OutOfStock`."""
    from kstui.providers.clock import SystemClock
    from kstui.services.ordering.cart import OutOfStock
    from kstui.services.ordering.checkout import Item, OrderRequest, submit
    from kstui.store.enums import PaymentMethod

    clock = SystemClock()
    token, address_id = shopper
    items = (Item(sku_id, 1),)
    result = outcome()
    started = clock_now()
    n = 0
    while clock_now() < deadline and (count is None or n < count):
        n += 1
        request = OrderRequest(
            items=items, submit_key=f"{tag}-{n}", address_id=address_id,
            method=PaymentMethod.BALANCE,
        )  # fmt: skip
        try:
            submit(store, token, request, clock=clock)
        except OutOfStock:
            result["out_of_stock"] += 1
            if until_sold_out:
                break
        except Exception:
            result["errors"] += 1
            result["first_error"] = result["first_error"] or traceback.format_exc()
            if result["errors"] >= MAX_ERRORS:
                break
        else:
            result["ops"] += 1
    result["elapsed"] = clock_now() - started
    if isinstance(store, TimedStore):
        result.update(read=store.read, wait=store.wait, hold=store.hold)
    return result


# -- written per operation ------------------------------------------------------------------


def pg_counters(url: str) -> tuple[int, int, int, int]:
    """Rows inserted, updated, deleted in the database's tables, and the WAL position."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        row = conn.execute(
            "SELECT coalesce(sum(n_tup_ins), 0), coalesce(sum(n_tup_upd), 0),"
            " coalesce(sum(n_tup_del), 0), pg_current_wal_lsn() - '0/0'::pg_lsn"
            " FROM pg_stat_user_tables"
        ).fetchone()
    assert row is not None
    return int(row[0]), int(row[1]), int(row[2]), int(row[3])


def pg_settled(url: str) -> tuple[int, int, int, int]:
    """The counters once the backends that just closed have flushed theirs (a backend
    flushes its table counters when it exits): the same twice, 0.3 s apart."""
    time.sleep(0.3)
    last = pg_counters(url)
    for _ in range(30):
        time.sleep(0.3)
        now = pg_counters(url)
        if now[:3] == last[:3]:
            return now
        last = now
    return last


# -- the process ----------------------------------------------------------------------------


class Worker:
    """The state of one worker: its index (which shopper it is) and open targets."""

    def __init__(self) -> None:
        self.index = 0
        self.targets: dict[str, Json] = {}
        self.opened: dict[str, Any] = {}

    def handle(self, message: Json) -> Json:
        command = getattr(self, f"cmd_{message['cmd']}")
        reply: Json = command(message)
        return reply

    def cmd_hello(self, _message: Json) -> Json:
        import kstui

        return {"kstui": kstui.__file__, "pid": os.getpid(), "sqlite": sqlite3.sqlite_version}

    def cmd_build(self, message: Json) -> Json:
        seed, phones, race = Path(message["seed"]), message["phones"], message["race_stock"]
        if message["code"] == "before":
            return build_before(Path(message["location"]), seed, phones, race)
        return build_now(message["location"], seed, phones, race)

    def cmd_open(self, message: Json) -> Json:
        self.index = message["index"]
        self.targets = {t["name"]: t for t in message["targets"]}
        return {}

    def _opened(self, name: str) -> Any:
        found = self.opened.get(name)
        if found is None:
            found = self.opened[name] = open_target(self.targets[name])
        return found

    def _work(
        self,
        target: Json,
        opened: Any,
        tag: str,
        *,
        deadline: float = float("inf"),
        count: int | None = None,
        until_sold_out: bool = False,
    ) -> Json:
        if target["via"] == "raw":
            return decrements(opened, target["engine"], target["baseline_sku"], deadline, count)
        shopper = target["shoppers"][self.index]
        sku = target["race_sku"] if until_sold_out else target["checkout_sku"]
        return checkouts(
            opened, shopper, sku, tag, deadline=deadline, count=count,
            until_sold_out=until_sold_out,
        )  # fmt: skip

    def cmd_warm(self, message: Json) -> Json:
        target = self.targets[message["target"]]
        count = 300 if target["via"] == "raw" else 30
        self._work(target, self._opened(target["name"]), message["tag"], count=count)
        return {}

    def cmd_run(self, message: Json) -> Json:
        """One measured job, started at the driver's `start` (all workers at once)."""
        target = self.targets[message["target"]]
        opened = self._opened(target["name"])
        job = message["job"]
        if job == "timed":
            opened = TimedStore(opened)
        delay = message["start"] - clock_now()
        if delay > 0:
            time.sleep(delay)
        if job == "race":
            return self._work(target, opened, message["tag"], until_sold_out=True)
        deadline = message["start"] + message["seconds"]
        return self._work(target, opened, message["tag"], deadline=deadline)

    def cmd_close(self, _message: Json) -> Json:
        for opened in self.opened.values():
            close_target(opened)
        self.opened.clear()
        return {}

    def cmd_written(self, message: Json) -> Json:
        """What `count` operations write, in this process alone (the others idle)."""
        target, count = self.targets[message["target"]], message["count"]
        if target["engine"] == "sqlite":
            return self._sqlite_pages(target, count, message["tag"])
        return self._pg_rows(target, count, message["tag"])

    def _sqlite_pages(self, target: Json, count: int, tag: str) -> Json:
        """WAL frames appended by `count` operations: one frame is one page written.

        After a TRUNCATE checkpoint the WAL is empty; a read transaction then held open on
        another connection reads the database file only, which keeps any checkpoint from
        copying frames back and so the WAL from being restarted: it only grows. Once the
        reader is gone, `PRAGMA wal_checkpoint` reports how many frames it holds."""
        path = target["location"]
        opened = open_target(target)
        try:
            self._work(target, opened, f"{tag}w", count=5)
            with contextlib.closing(sqlite3.connect(path, timeout=15, isolation_level=None)) as c:
                busy, _, _ = c.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
                if busy:
                    raise RuntimeError(f"{path}: the WAL could not be truncated")
                (page_size,) = c.execute("PRAGMA page_size").fetchone()
                with contextlib.closing(sqlite3.connect(path, isolation_level=None)) as reader:
                    reader.execute("BEGIN")
                    reader.execute("SELECT count(*) FROM sqlite_master").fetchone()
                    result = self._work(target, opened, tag, count=count)
                    reader.execute("ROLLBACK")
                busy, frames, _ = c.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
        finally:
            close_target(opened)
        return {"ops": result["ops"], "attempts": count, "errors": result["errors"],
                "first_error": result["first_error"], "frames": frames,
                "page_size": page_size}  # fmt: skip

    def _pg_rows(self, target: Json, count: int, tag: str) -> Json:
        """Rows written by `count` operations (pg_stat_user_tables), and WAL bytes."""
        url = target["location"]
        opened = open_target(target)
        try:
            self._work(target, opened, f"{tag}w", count=5)
        finally:
            close_target(opened)
        before = pg_settled(url)
        opened = open_target(target)
        try:
            result = self._work(target, opened, tag, count=count)
        finally:
            close_target(opened)
        after = pg_settled(url)
        ins, upd, dele, wal = (b - a for a, b in zip(before, after, strict=True))
        return {"ops": result["ops"], "attempts": count, "errors": result["errors"],
                "first_error": result["first_error"], "inserted": ins, "updated": upd,
                "deleted": dele, "wal_bytes": wal}  # fmt: skip

    def cmd_profile(self, message: Json) -> Json:
        """SQL time per statement and a cProfile of `count` checkouts in this process."""
        target, count = self.targets[message["target"]], message["count"]
        opened = open_target(target)
        try:
            timed = StatementStore(opened)
            self._work(target, timed, f"{message['tag']}a", count=30)
            timed.spent.clear()
            self._work(target, timed, f"{message['tag']}b", count=count)
            rows = sorted(timed.spent.items(), key=lambda item: -item[1][1])
            lines = []
            for (locked, sql), (calls, spent) in rows:
                text = sql if len(sql) <= 74 else sql[:71] + "..."
                lines.append(
                    f"  {spent / count * 1e6:6.1f} {calls / count:4.1f}× {'L' if locked else ' '}"
                    f" {text}"
                )
            inside = sum(spent for (locked, _), (_, spent) in rows if locked)
            total = sum(spent for _, (_, spent) in rows)
            lines.append(
                f"  {total / count * 1e6:6.1f} in all, {inside / count * 1e6:.1f} of it in"
                " the write transaction"
            )
            profiler = cProfile.Profile()
            profiler.enable()
            self._work(target, opened, f"{message['tag']}c", count=count)
            profiler.disable()
        finally:
            close_target(opened)
        text = io.StringIO()
        pstats.Stats(profiler, stream=text).sort_stats("cumulative").print_stats(20)
        body = text.getvalue().replace(f"{message['root']}/", "")
        body = body.replace(f"{sysconfig.get_paths()['stdlib']}/", "")
        body = body.replace(f"{sysconfig.get_paths()['purelib']}/", "")
        start = body.find("   ncalls")
        return {"statements": "\n".join(lines), "profile": body[start:].rstrip()}


def main() -> None:
    replies = os.fdopen(os.dup(1), "w", buffering=1)
    os.dup2(2, 1)  # anything printed by the code measured goes to stderr
    sys.stdout = sys.stderr
    worker = Worker()
    for line in sys.stdin:
        message = json.loads(line)
        if message["cmd"] == "exit":
            break
        try:
            reply = worker.handle(message)
        except BaseException:
            reply = {"error": traceback.format_exc()}
        replies.write(json.dumps(reply) + "\n")
    with contextlib.suppress(Exception):
        worker.cmd_close({})


if __name__ == "__main__":
    main()
