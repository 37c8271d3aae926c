"""Checkout benchmark: 提交订单 per second through the store interface, against the code
before it, against SQLAlchemy Core and against the raw conditional decrement, all in one
run; that racing shoppers never oversell; what one checkout writes.

Usage (from the repository root, with the package installed):

    python bench/checkout.py                          # SQLite: 2 processes, 9 rounds of 1.5 s
    python bench/checkout.py --postgres               # + a throwaway PostgreSQL server
    python bench/checkout.py --database-url postgresql://…/kstui_bench
    python bench/checkout.py --seconds 3 --rounds 5 --processes 1 2 4 --profile

What runs, each in persistent worker processes (one per `--processes`, all started at
once on a common start time; the sum of each one's operations per second is the
throughput):

- BEFORE: `checkout.submit` as it was before the store interface (commit `--before`,
  42e1c7d "import-linter: areas depend one way…"), from a temporary `git worktree`, in
  worker processes of their own whose `PYTHONPATH` is that worktree, on a store file
  built by that code (its `open_store`, its services on raw `sqlite3` connections);
- AFTER: today's `kstui.services.ordering.checkout.submit` through the store interface
  (`kstui.store.bootstrap.connect`: `SqliteStore`, or `PostgresStore` on PostgreSQL);
- SQLAlchemy Core: the same `submit` through `bench/sqlalchemy_store.py`, the interface
  implemented over `engine.connect()` / `text()`;
- raw decrement: `BEGIN IMMEDIATE; UPDATE sku SET stock = stock - 1 WHERE id = :id AND
  stock >= 1; COMMIT` on one connection per process with the store's pragmas (on
  PostgreSQL: the UPDATE and a commit, autocommit off: one transaction per decrement).

Each checkout buys one unit of one SKU (立即购买, balance) with a new `submit_key`, as one
of `max(--processes)` fresh shoppers (account, session, default address; no coupons). The
stores are built from the small test seed in a temporary folder; the SQLAlchemy runs get
a copy of the AFTER store (a file copy; on `--postgres` a template copy), so that no
store grows faster than another. Rounds run every job once, in an order rotated each
round, so that drift of the shared machine hits every job alike; the table shows the
median over rounds (min–max), and every ratio is the median of the per-round ratios of
two jobs run in the same round.

Then, for every checkout path, the processes race for a SKU of `--race-stock` units
until each is told it is sold out: units sold (order lines of orders not cancelled) must
equal the stock put up and the stock must end at 0; "oversold" counts units beyond it
(or a negative stock). One more round per checkout path, with each store wrapped in a
timer, splits the wall time of one checkout by phase; then, in one process with the
others idle, `--written-ops` operations measure what one writes (pages on SQLite, rows
on PostgreSQL; the method is printed with the figures).

The interface cost is 1 − AFTER/BEFORE per round (SPEC §11: at most 5 %); AFTER against
SQLAlchemy Core is printed the same way (negative: AFTER is the faster). The old bench
parenthesised a nested JOIN of `coupons.held_coupons` that SQLite would not parse; both
trees now write that query's joins one after the other (it runs on SQLite 3.40), so the
workaround is gone: every path runs the services' SQL as it is.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
WORKER = Path(__file__).with_name("checkout_worker.py")
SMALL_SEED = Path("tests") / "fixtures" / "seed_small.json"
BEFORE = "42e1c7d"
"""The last commit before the store interface ("import-linter: areas depend one way…")."""
CHECKOUT_STOCK = 10**7
START_DELAY = 0.15
"""Seconds between sending a job and its common start (every worker is waiting by then)."""
RUN = f"{random.randrange(16**4):04x}"
"""In every submit_key: a second run on one PostgreSQL database makes new ones."""
TARGET_RATIO = 0.10
TARGET_COST = 0.05

Json = dict[str, Any]


@dataclass(frozen=True)
class Target:
    """One measured job: a kind of work on one engine, run by one pool of workers."""

    name: str
    code: str  # two letters, in every submit_key of its checkouts
    label: str
    engine: str  # "sqlite" | "postgresql"
    via: str  # "raw" | "before" | "interface" | "sqlalchemy"
    pool: str  # "before" | "now"
    setup: Json

    @property
    def checkout(self) -> bool:
        return self.via != "raw"

    def tag(self, rest: str) -> str:
        """A submit_key prefix no other job, process count or run uses (≤ 64 characters)."""
        return f"{RUN}{self.code}{rest}"

    def message(self) -> Json:
        return {"name": self.name, "engine": self.engine, "via": self.via, **self.setup}


@dataclass
class Race:
    """One race for the small-stock SKU."""

    rate: float
    sold: int
    orders: int
    left: int
    counted: int

    def oversold(self, stock: int) -> int:
        return max(0, self.sold - stock) + max(0, -self.left)


@dataclass
class Figures:
    """Everything measured for one process count."""

    processes: int
    rates: dict[str, list[float]] = field(default_factory=dict)
    phases: dict[str, list[Json]] = field(default_factory=dict)
    races: dict[str, Race] = field(default_factory=dict)


# -- the worker processes -------------------------------------------------------------------


class Pool:
    """Worker processes (`bench/checkout_worker.py`) on one kstui tree."""

    def __init__(self, label: str, n: int, tree: Path) -> None:
        self.label = label
        self.tree = tree
        env = dict(os.environ, PYTHONPATH=str(tree))
        self.processes = [
            subprocess.Popen(
                [sys.executable, str(WORKER)],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                env=env,
                text=True,
                bufsize=1,
                cwd=tree,
            )
            for _ in range(n)
        ]
        hellos = self.each(n, lambda _: {"cmd": "hello"})
        for hello in hellos:
            if not Path(hello["kstui"]).is_relative_to(tree):
                raise SystemExit(f"{label} worker imported kstui from {hello['kstui']}, not {tree}")
        self.kstui = hellos[0]["kstui"]

    def send(self, i: int, message: Json) -> None:
        stdin = self.processes[i].stdin
        assert stdin is not None
        stdin.write(json.dumps(message) + "\n")
        stdin.flush()

    def receive(self, i: int) -> Json:
        stdout = self.processes[i].stdout
        assert stdout is not None
        line = stdout.readline()
        if not line:
            raise SystemExit(f"{self.label} worker {i} ended (see its stderr above)")
        reply: Json = json.loads(line)
        if "error" in reply:
            raise SystemExit(f"{self.label} worker {i} failed:\n{reply['error']}")
        return reply

    def ask(self, i: int, message: Json) -> Json:
        self.send(i, message)
        return self.receive(i)

    def each(self, n: int, message: Callable[[int], Json]) -> list[Json]:
        """Send the first `n` workers their message, then collect every answer."""
        for i in range(n):
            self.send(i, message(i))
        return [self.receive(i) for i in range(n)]

    def close(self) -> None:
        for process in self.processes:
            with contextlib.suppress(OSError):
                assert process.stdin is not None
                process.stdin.write(json.dumps({"cmd": "exit"}) + "\n")
                process.stdin.close()
        for process in self.processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def run_job(
    pools: dict[str, Pool], target: Target, n: int, job: str, seconds: float, tag: str
) -> list[Json]:
    """One job on the first `n` workers of the target's pool, started at one moment."""
    start = time.monotonic() + START_DELAY
    return pools[target.pool].each(
        n,
        lambda i: {"cmd": "run", "target": target.name, "job": job, "start": start,
                   "seconds": seconds, "tag": f"{tag}w{i}"},
    )  # fmt: skip


def report_errors(what: str, outcomes: list[Json]) -> None:
    """Print unexpected failures (a bug in a service, or a busy store)."""
    errors = sum(o["errors"] for o in outcomes)
    if errors:
        first = next(o["first_error"] for o in outcomes if o["first_error"])
        print(f"  !! {what}: {errors} unexpected errors; the first:\n{first}")


def rate(outcomes: list[Json]) -> float:
    return sum(o["ops"] / o["elapsed"] for o in outcomes if o["elapsed"])


# -- direct access to the stores, for the checks only -----------------------------------------


def query(engine: str, location: str, sql: str, params: tuple[Any, ...] = ()) -> list[Any]:
    """Run one statement on a store with the bare driver (`%s` parameters)."""
    if engine == "sqlite":
        with contextlib.closing(sqlite3.connect(location, timeout=15, isolation_level=None)) as c:
            return c.execute(sql.replace("%s", "?"), params).fetchall()
    import psycopg

    with psycopg.connect(location, autocommit=True) as conn:
        cursor = conn.execute(sql, params)  # type: ignore[arg-type]
        return cursor.fetchall() if cursor.description else []


def sold(target: Target, sku_id: int) -> tuple[int, int, int]:
    """Units of a SKU in orders not cancelled, those orders, and the SKU's stock."""
    engine, location = target.engine, target.setup["location"]
    ((units, orders),) = query(
        engine,
        location,
        "SELECT coalesce(sum(l.quantity), 0), count(DISTINCT o.id) FROM order_line AS l"
        " JOIN shop_order AS o ON o.id = l.order_id WHERE l.sku_id = %s AND o.status != %s",
        (sku_id, "cancelled"),
    )
    ((stock,),) = query(engine, location, "SELECT stock FROM sku WHERE id = %s", (sku_id,))
    return int(units), int(orders), int(stock)


def put_up(target: Target, sku_id: int, stock: int) -> None:
    """Give a SKU `stock` units (and its product the sum of its SKUs')."""
    engine, location = target.engine, target.setup["location"]
    query(engine, location, "UPDATE sku SET stock = %s WHERE id = %s", (stock, sku_id))
    query(
        engine,
        location,
        "UPDATE product SET stock = (SELECT sum(stock) FROM sku WHERE product_id = product.id)"
        " WHERE id = (SELECT product_id FROM sku WHERE id = %s)",
        (sku_id,),
    )


# -- the run --------------------------------------------------------------------------------


def measure(
    pools: dict[str, Pool], targets: list[Target], n: int, args: argparse.Namespace
) -> Figures:
    """Rotated rounds of every job, a timed round per checkout path, then the races."""
    figures = Figures(n, rates={t.name: [] for t in targets})
    for r in range(args.rounds):
        shift = r % len(targets)
        for target in targets[shift:] + targets[:shift]:
            outcomes = run_job(pools, target, n, "rate", args.seconds, target.tag(f"{n}r{r}"))
            report_errors(f"{target.label}, {n} processes", outcomes)
            figures.rates[target.name].append(rate(outcomes))
    for target in targets:
        if target.checkout:
            outcomes = run_job(pools, target, n, "timed", args.seconds, target.tag(f"{n}t"))
            report_errors(f"{target.label}, timed", outcomes)
            figures.phases[target.name] = outcomes
    for target in targets:
        if not target.checkout:
            continue
        race_sku = target.setup["race_sku"]
        put_up(target, race_sku, args.race_stock)
        units_before, orders_before, _ = sold(target, race_sku)
        outcomes = run_job(pools, target, n, "race", 0, target.tag(f"{n}race"))
        report_errors(f"{target.label}, race", outcomes)
        units, orders, left = sold(target, race_sku)
        counted = sum(o["ops"] for o in outcomes)
        race = Race(
            rate=counted / max(o["elapsed"] for o in outcomes),
            sold=units - units_before,
            orders=orders - orders_before,
            left=left,
            counted=counted,
        )
        if race.counted != race.sold:
            print(f"  !! race {target.label}: the processes counted {race.counted} checkouts,"
                  f" the store holds {race.sold} units")  # fmt: skip
        figures.races[target.name] = race
    return figures


def written(pools: dict[str, Pool], targets: list[Target], count: int) -> dict[str, Json]:
    """What one operation writes, measured in one process with every other one idle."""
    for pool in pools.values():  # close every connection: idle, and flushed on PostgreSQL
        pool.each(len(pool.processes), lambda _: {"cmd": "close"})
    found = {}
    for target in targets:
        ops = count * 10 if target.via == "raw" else count
        message = {"cmd": "written", "target": target.name, "count": ops, "tag": target.tag("wr")}
        reply = pools[target.pool].ask(0, message)
        report_errors(f"{target.label}, written", [reply])
        found[target.name] = reply
    return found


# -- the report -----------------------------------------------------------------------------


def spread(values: list[float], unit: str = "") -> str:
    """Median (min–max)."""
    if not values:
        return "—"
    return f"{statistics.median(values):,.0f}{unit} ({min(values):,.0f}–{max(values):,.0f})"


def ratios(top: list[float], bottom: list[float]) -> list[float]:
    return [a / b for a, b in zip(top, bottom, strict=True) if b]


def percent(values: list[float], signed: bool = False) -> str:
    """Median % (min–max %)."""
    sign = "+" if signed else ""
    median = statistics.median(values)
    return f"{median:{sign}.1%} ({min(values):{sign}.1%} … {max(values):{sign}.1%})"


def engine_name(engine: str) -> str:
    return "SQLite" if engine == "sqlite" else "PostgreSQL"


def written_text(target: Target, w: Json | None) -> str:
    if w is None:
        return "—"
    ops = w["ops"] or 1
    if target.engine == "sqlite":
        return f"{w['frames'] / ops:.1f} pages"
    rows = (w["inserted"] + w["updated"] + w["deleted"]) / ops
    return (
        f"{rows:.1f} rows ({w['inserted'] / ops:.1f} ins {w['updated'] / ops:.1f} upd"
        f" {w['deleted'] / ops:.1f} del), {w['wal_bytes'] / ops:,.0f} B WAL"
    )


def report(
    figures: Figures,
    targets: list[Target],
    writes: dict[str, Json],
    args: argparse.Namespace,
) -> list[tuple[str, bool]]:
    """Print the table of one process count; the SPEC verdicts it gives."""
    n = figures.processes
    rates = figures.rates
    raw = {t.engine: t.name for t in targets if t.via == "raw"}
    print(f"\n== {n} processes: throughput (sum over processes), median of {args.rounds} rounds"
          f" × {args.seconds:g} s (min–max) ==")  # fmt: skip
    print(f"{'engine':<11}{'what':<34}{'per second (min–max)':>30}{'/ raw':>8}"
          f"  {'race: sold/stock':>24} {'oversold':>8}  written per operation")  # fmt: skip
    for t in targets:
        share = "—"
        if t.checkout:
            share = f"{statistics.median(ratios(rates[t.name], rates[raw[t.engine]])):.1%}"
        race = figures.races.get(t.name)
        race_text = "—" if race is None else f"{race.sold}/{args.race_stock} ({race.rate:,.0f}/s)"
        over = "—" if race is None else str(race.oversold(args.race_stock))
        print(f"{engine_name(t.engine):<11}{t.label:<34}{spread(rates[t.name]):>30}{share:>8}"
              f"  {race_text:>24} {over:>8}  {written_text(t, writes.get(t.name))}")  # fmt: skip

    verdicts: list[tuple[str, bool]] = []
    by = {(t.engine, t.via): t.name for t in targets}
    print("\ninterface cost = 1 − AFTER/other, per round (median (min … max); + = AFTER slower):")
    for engine, other, label in (
        ("sqlite", "before", f"BEFORE ({args.before})"),
        ("sqlite", "sqlalchemy", "SQLAlchemy Core"),
        ("postgresql", "sqlalchemy", "SQLAlchemy Core"),
    ):
        if (engine, other) not in by:
            continue
        shares = ratios(rates[by[engine, "interface"]], rates[by[engine, other]])
        costs = [1 - r for r in shares]
        median = statistics.median(costs)
        verdict = ""
        if other == "before":
            ok = median <= TARGET_COST
            verdict = f"   target ≤ {TARGET_COST:.0%}: {'met' if ok else 'NOT MET'}"
            verdicts.append((f"{n} processes: interface cost on SQLite {median:+.1%}", ok))
        print(f"  {engine_name(engine):<11} AFTER vs {label:<22} {percent(costs, True):<28}"
              f" (AFTER at {statistics.median(shares):.2f}× its throughput){verdict}")  # fmt: skip

    for engine, raw_name in raw.items():
        if (engine, "interface") in by:
            share = statistics.median(ratios(rates[by[engine, "interface"]], rates[raw_name]))
            verdicts.append(
                (f"{n} processes: {engine_name(engine)} checkout (AFTER) {share:.1%} of the raw"
                 " decrement", share >= TARGET_RATIO)
            )  # fmt: skip
    oversold = sum(r.oversold(args.race_stock) for r in figures.races.values())
    short = [t.label for t in targets if t.name in figures.races
             and figures.races[t.name].sold != args.race_stock]  # fmt: skip
    verdicts.append(
        (f"{n} processes: {len(figures.races)} races, {oversold} units oversold"
         + (f", not sold out: {', '.join(short)}" if short else ""), oversold == 0 and not short)
    )  # fmt: skip

    print("\nper checkout, mean wall µs inside one process (one more timed round each):")
    print(f"  {'engine':<11}{'what':<34}{'total':>7}{'read+quote':>11}{'write enter':>12}"
          f"{'write held':>11}{'other':>7}   1/held")  # fmt: skip
    for t in targets:
        outcomes = figures.phases.get(t.name)
        if not outcomes:
            continue
        attempts = sum(o["ops"] + o["out_of_stock"] + o["errors"] for o in outcomes)
        if not attempts:
            continue
        total, read, wait, hold = (
            sum(o[key] for o in outcomes) / attempts * 1e6
            for key in ("elapsed", "read", "wait", "hold")
        )
        ceiling = f"{1e6 / hold:,.0f}/s" if hold else "—"
        print(f"  {engine_name(t.engine):<11}{t.label:<34}{total:7.0f}{read:11.0f}{wait:12.0f}"
              f"{hold:11.0f}{total - read - wait - hold:7.0f}   {ceiling}")  # fmt: skip
    return verdicts


def explain(writes: dict[str, Json], targets: list[Target], count: int) -> None:
    """How the figures were taken, wrapped to 100 columns."""
    notes = [
        "/ raw: the checkout's throughput over the raw decrement's on the same engine, the"
        " median of the per-round ratios. Phases: read+quote is inside reading(); write enter"
        " is entering writing() (SQLite: BEGIN IMMEDIATE, waiting for the lock; PostgreSQL: a"
        " pooled connection and BEGIN); write held is the block and COMMIT (PostgreSQL's"
        " row-lock waits land here); other is Python outside both. SQLite has one write lock"
        " per file: 1/held bounds its throughput however many processes write.",
    ]
    sqlite_w = next((writes[t.name] for t in targets if t.engine == "sqlite"), None)
    if sqlite_w is not None:
        notes.append(
            "SQLite written: WAL frames appended per operation, one frame per page written"
            f" (page size {sqlite_w['page_size']} B), over {count} checkouts or {count * 10}"
            " decrements in one process: `PRAGMA wal_checkpoint(TRUNCATE)` empties the WAL, a"
            " read transaction held open on another connection meanwhile keeps any checkpoint"
            " from copying frames back and so the WAL from being restarted, then `PRAGMA"
            " wal_checkpoint` reports the frames it holds. (The next checkpoint writes each"
            " page once more, into the database file.)"
        )
    if any(t.engine == "postgresql" for t in targets):
        notes.append(
            "PostgreSQL written: rows inserted, updated and deleted per operation, the deltas of"
            " pg_stat_user_tables n_tup_ins/n_tup_upd/n_tup_del over the same counts in one"
            " process, read once its connections had closed (a backend flushes its counters"
            " when it exits) and two reads 0.3 s apart agreed; WAL bytes: the delta of"
            " pg_current_wal_lsn() per operation (see full_page_writes above)."
        )
    print("\nhow to read it:")
    for text in notes:
        print(textwrap.fill(text, width=100, initial_indent="  ", subsequent_indent="  "))


# -- setting up -----------------------------------------------------------------------------


def git(*args: str) -> str:
    done = subprocess.run(["git", "-C", str(ROOT), *args], capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"git {' '.join(args)}: {done.stderr.strip()}")
    return done.stdout.strip()


@contextlib.contextmanager
def worktree(revision: str) -> Iterator[tuple[Path, str]]:
    """A temporary `git worktree` of `revision` (removed at the end); its one-line log."""
    line = git("log", "-1", "--format=%h %s", revision)
    path = Path(tempfile.mkdtemp(prefix="kstui-before-"))
    git("worktree", "add", "--detach", "--quiet", str(path), revision)
    try:
        yield path, line
    finally:
        done = subprocess.run(
            ["git", "-C", str(ROOT), "worktree", "remove", "--force", str(path)],
            capture_output=True,
            text=True,
        )
        if done.returncode != 0:
            print(f"!! git worktree remove {path}: {done.stderr.strip()}")
        shutil.rmtree(path, ignore_errors=True)


@contextlib.contextmanager
def postgres(args: argparse.Namespace) -> Iterator[tuple[str, Any]]:
    """The PostgreSQL database to measure (URL, "" for none) and the throwaway server."""
    if not args.postgres:
        yield args.database_url or "", None
        return
    sys.path.insert(0, str(ROOT))
    from tests.pg_server import PgServer, find_bin_dir

    server = PgServer(find_bin_dir())
    try:
        server.start()
        yield server.url(server.new_database(prefix="bench")), server
    finally:
        server.stop()


def copy_database(server: Any, url: str) -> str:
    """A copy of the database at `url` on the throwaway server (`CREATE DATABASE … TEMPLATE`:
    it waits for the backends of the store just closed to end)."""
    import psycopg

    template = urlsplit(url).path.lstrip("/")
    for attempt in range(50):
        try:
            return str(server.url(server.new_database(template, prefix="bsa")))
        except psycopg.errors.ObjectInUse:
            if attempt == 49:
                raise
            time.sleep(0.1)
    raise AssertionError


def phones(n: int) -> list[str]:
    """Phone numbers nobody in the store has (a second run on one database adds more)."""
    run = random.randrange(10_000)
    return [f"137{run:04d}{i:04d}" for i in range(n)]


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    add = parser.add_argument
    add("--seconds", type=float, default=1.5, help="length of one job in seconds (1.5)")
    add("--rounds", type=int, default=9, help="rounds of every job (9)")
    add("--processes", type=int, nargs="+", default=[2], help="process counts to measure (2)")
    add("--race-stock", type=int, default=500, help="units the processes race for (500)")
    add(
        "--written-ops",
        type=int,
        default=200,
        help="checkouts (and 10× as many decrements) counted for what one writes (200)",
    )
    add(
        "--seed",
        type=Path,
        default=None,
        help="seed file of every store (default: each tree's tests/fixtures/seed_small.json)",
    )
    add("--before", default=BEFORE, help=f"the commit before the store interface ({BEFORE})")
    group = parser.add_mutually_exclusive_group()
    group.add_argument(
        "--postgres",
        action="store_true",
        help="also measure PostgreSQL on a throwaway server (tests/pg_server.py)",
    )
    group.add_argument(
        "--database-url",
        metavar="URL",
        help="also measure PostgreSQL on this database, empty or made by this"
        " bench: it is seeded, and accounts and orders are added to it",
    )
    add("--no-sqlalchemy", action="store_true", help="skip the SQLAlchemy Core runs")
    add(
        "--profile",
        action="store_true",
        help="then SQL time per statement and a cProfile of BEFORE and AFTER in one process",
    )
    return parser.parse_args(argv)  # fmt: skip


def main(argv: list[str] | None = None) -> None:
    args = parse(argv)
    began = time.monotonic()
    most = max(args.processes)
    print(f"python {sys.version.split()[0]}, sqlite {sqlite3.sqlite_version},"
          f" cpus {os.cpu_count()}, load {os.getloadavg()[0]:.2f},"
          f" {datetime.now(UTC):%Y-%m-%d %H:%M} UTC")  # fmt: skip
    with contextlib.ExitStack() as stack:
        tree, before_line = stack.enter_context(worktree(args.before))
        url, server = stack.enter_context(postgres(args))
        directory = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="kstui-bench-")))
        pools: dict[str, Pool] = {}
        for name, label, where in (("before", "BEFORE", tree), ("now", "AFTER", ROOT)):
            pools[name] = Pool(label, most, where)
            stack.callback(pools[name].close)
        print(f"BEFORE: {before_line} (git worktree {tree}, kstui from {pools['before'].kstui})")
        print(f"AFTER:  the working tree {ROOT} (kstui from {pools['now'].kstui})")

        def build(pool: str, location: str, seed_tree: Path) -> Json:
            seed = args.seed or seed_tree / SMALL_SEED
            setup = pools[pool].ask(
                0, {"cmd": "build", "code": pool, "location": location, "seed": str(seed),
                    "phones": phones(most), "race_stock": args.race_stock},
            )  # fmt: skip
            setup["location"] = location
            if not location.startswith("postgres"):  # an empty WAL: copies and runs start alike
                query("sqlite", location, "PRAGMA wal_checkpoint(TRUNCATE)")
            return setup

        old = build("before", str(directory / "before.db"), tree)
        new = build("now", str(directory / "after.db"), ROOT)
        targets = [
            Target("sqlite-raw", "sr", "raw decrement", "sqlite", "raw", "now", new),
            Target("sqlite-before", "sb", f"checkout BEFORE ({args.before})", "sqlite",
                   "before", "before", old),
            Target("sqlite-after", "sa", "checkout AFTER (store interface)", "sqlite",
                   "interface", "now", new),
        ]  # fmt: skip
        if not args.no_sqlalchemy:
            shutil.copyfile(directory / "after.db", directory / "sqlalchemy.db")
            copy = {**new, "location": str(directory / "sqlalchemy.db")}
            targets.append(Target("sqlite-sqlalchemy", "sq", "checkout SQLAlchemy Core",
                                  "sqlite", "sqlalchemy", "now", copy))  # fmt: skip
        if url:
            pg = build("now", url, ROOT)
            targets += [
                Target("pg-raw", "pr", "raw decrement", "postgresql", "raw", "now", pg),
                Target("pg-after", "pa", "checkout AFTER (store interface)", "postgresql",
                       "interface", "now", pg),
            ]  # fmt: skip
            if not args.no_sqlalchemy:  # its own copy of the store on our server, as on SQLite
                pg_copy = pg if server is None else {**pg, "location": copy_database(server, url)}
                targets.append(Target("pg-sqlalchemy", "pq", "checkout SQLAlchemy Core",
                                      "postgresql", "sqlalchemy", "now", pg_copy))  # fmt: skip
            ((version, fsync, sync, full),) = query(
                "postgresql", url,
                "SELECT current_setting('server_version'), current_setting('fsync'),"
                " current_setting('synchronous_commit'), current_setting('full_page_writes')",
            )  # fmt: skip
            database = urlsplit(url).path.lstrip("/")
            print(f"PostgreSQL {version} (fsync={fsync}, synchronous_commit={sync},"
                  f" full_page_writes={full}), database {database}")  # fmt: skip
        print(
            f"SQLite: store files in {directory} (WAL, synchronous=NORMAL: no fsync per"
            f" commit); {most} shoppers per store; SKUs checkout {new['checkout_sku']},"
            f" raw {new['baseline_sku']}, race {new['race_sku']} ({args.race_stock} units)"
        )

        for name, pool in pools.items():
            mine = [t.message() for t in targets if t.pool == name]
            pool.each(most, lambda i, mine=mine: {"cmd": "open", "index": i, "targets": mine})
        for t in targets:  # warm every path in every process (connections, statements)
            pools[t.pool].each(
                most, lambda i, t=t: {"cmd": "warm", "target": t.name, "tag": t.tag(f"warm{i}")}
            )
        print(
            f"set up in {time.monotonic() - began:.0f} s; now {len(targets)} jobs ×"
            f" {args.rounds} rounds × {args.seconds:g} s for {args.processes} processes"
        )

        results = [measure(pools, targets, n, args) for n in args.processes]
        writes = written(pools, targets, args.written_ops)
        checked: set[str] = set()
        for t in targets:
            location = t.setup["location"]
            if not t.checkout or location in checked:
                continue
            checked.add(location)
            units, _, stock = sold(t, t.setup["checkout_sku"])
            ((negative,),) = query(t.engine, location, "SELECT count(*) FROM sku WHERE stock < 0")
            state = "consistent" if units + stock == CHECKOUT_STOCK else "INCONSISTENT"
            print(
                f"{engine_name(t.engine)}, {t.label}: checkout SKU {units:,} units sold, stock"
                f" {CHECKOUT_STOCK:,} → {stock:,} ({state}); SKUs below 0: {negative}"
            )
        verdicts = []
        for figures in results:
            verdicts += report(figures, targets, writes, args)
        explain(writes, targets, args.written_ops)
        print("\nSPEC §11 targets (same run):")
        for text, ok in verdicts:
            print(f"  {'met    ' if ok else 'NOT MET'}  {text}")
        print(
            f"  (checkout ≥ {TARGET_RATIO:.0%} of the raw decrement on the same engine; the"
            f" store interface costs ≤ {TARGET_COST:.0%}; no oversell)"
        )
        if args.profile:
            for t in targets:
                if t.via in ("before", "interface"):
                    profile(pools, t)
    print(f"\ntotal {time.monotonic() - began:.0f} s")


def profile(pools: dict[str, Pool], target: Target) -> None:
    """Where one checkout's time goes, in one process (the others idle)."""
    count = 500
    pool = pools[target.pool]
    reply = pool.ask(
        0, {"cmd": "profile", "target": target.name, "count": count, "root": str(pool.tree),
            "tag": target.tag("prof")},
    )  # fmt: skip
    print(
        f"\n{engine_name(target.engine)}, {target.label}, 1 process, {count} checkouts:"
        " SQL µs per checkout (L = inside writing())"
    )
    print(reply["statements"])
    print(f"cProfile, top by cumulative time (seconds):\n{reply['profile']}")


if __name__ == "__main__":
    main()
