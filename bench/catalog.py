"""Catalogue benchmark: search keystroke → results drawn, list navigation, first frame.

Usage (from the repository root, with the package installed):

    python bench/catalog.py                 # 100 000 and 1 000 000 products
    python bench/catalog.py --sizes 100000  # one size only
    python bench/catalog.py --fresh         # rebuild the stores instead of reusing them
    python bench/catalog.py --postgres --sizes 100000   # on a throwaway PostgreSQL server
    python bench/catalog.py --database-url postgresql://…/kstui_bench --sizes 100000

Stores are built with `kstui seed` and `kstui seed --synthetic N` into bench/.cache/ and
reused by later runs (on PostgreSQL: into the given database, or a throwaway server's).
Every figure is a median and a p95 over repeated runs inside this one process (or, for
the first frame, over repeated whole processes), printed as a table: the machines are
noisy, so compare ratios taken in the same run.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import fcntl
import gc
import os
import pty
import select
import shutil
import signal
import sqlite3
import statistics
import struct
import subprocess
import sys
import termios
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
CACHE = HERE / ".cache"
KEYSTROKE_REPEATS = 15
NAVIGATION_KEYS = 60
FIRST_FRAME_RUNS = 7

BARE_APP = """
from textual.app import App
from textual.widgets import DataTable
class Bare(App):
    def compose(self):
        yield DataTable()
    def on_mount(self):
        table = self.query_one(DataTable)
        table.add_columns("BAREMARK", "price")
        for i in range(50):
            table.add_row(f"product {i}", str(i))
Bare().run()
"""

# (kind, query text, filters applied before typing)
QUERIES: list[tuple[str, str, dict[str, object]]] = [
    ("1-char Chinese", "裙", {}),
    ("1-char Chinese", "茶", {}),
    ("2-char Chinese", "耳机", {}),
    ("2-char Chinese", "口红", {}),
    ("3+ char Chinese", "连衣裙", {}),
    ("3+ char Chinese", "蓝牙耳机", {}),
    ("pinyin full", "lianyiqun", {}),
    ("pinyin full", "erji", {}),
    ("pinyin initials", "lyq", {}),
    ("pinyin initials", "ej", {}),
    ("Latin brand", "aurora", {}),
    ("Latin brand", "MOKO", {}),
    ("+ category", "裙", {"category": "top"}),
    ("+ category", "耳机", {"category": "leaf"}),
    ("+ price", "连衣裙", {"min_price": 5000, "max_price": 30000}),
    ("+ price", "裙", {"min_price": 100, "max_price": 2000}),
    ("+ brand", "耳机", {"brands": 2}),
    ("+ in stock, sales", "lyq", {"in_stock": True, "sort": "sales"}),
    ("+ all filters", "裙", {"category": "top", "min_price": 3000, "in_stock": True,
                             "sort": "price_asc"}),
    ("no keyword, price sort", "", {"sort": "price_desc", "min_price": 1000}),
]  # fmt: skip


def build_store(size: int, fresh: bool, url: str = "") -> str:
    """A store with the demo seed plus `size` synthetic products: a cached SQLite file, or
    the PostgreSQL database at `url` (its location either way)."""
    if url:
        location, where = url, ["--database-url", url]
    else:
        CACHE.mkdir(exist_ok=True)
        path = CACHE / f"catalog-{size}.db"
        if fresh and path.exists():
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
        location, where = str(path), ["--db", str(path)]
    kstui = [sys.executable, "-m", "kstui", *where]
    started = time.perf_counter()
    subprocess.run([*kstui, "seed"], check=True, stdout=subprocess.DEVNULL)
    subprocess.run(
        [*kstui, "seed", "--synthetic", str(size)],
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    from kstui.store.bootstrap import connect

    store = connect(location)
    with store.reading() as tx:
        count = tx.fetch_value("SELECT count(*) FROM product")
    store.close()
    took = time.perf_counter() - started
    size_note = "" if url else f", {Path(location).stat().st_size / 1e6:,.0f} MB"
    print(f"store: {count:,} products{size_note} ({took:.0f} s)")
    return location


@contextlib.contextmanager
def throwaway_postgres(size: int) -> Iterator[str]:
    """A new database on a throwaway PostgreSQL server (tests/pg_server.py)."""
    sys.path.insert(0, str(ROOT))
    from tests.pg_server import PgServer, find_bin_dir

    server = PgServer(find_bin_dir())
    try:
        server.start()
        yield server.url(server.new_database(prefix=f"catalog{size}"))
    finally:
        server.stop()


def pct(values: list[float], q: float) -> float:
    """The q-quantile (0–1) of values, nearest rank."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * len(ordered) + 0.5) - 1))]


async def measure_app(location: str) -> tuple[dict[str, list[float]], list[float]]:
    """Keystroke → results drawn per query kind, and navigation key → frame, in ms."""
    os.environ.setdefault("TEXTUAL_FPS", "120")  # as `kstui` does (kstui/cli.py)
    from textual.widgets import Input

    from kstui.app import create_app
    from kstui.providers.clock import SystemClock
    from kstui.screens.catalog import CatalogScreen
    from kstui.services.catalog.listing import CatalogQuery, Sort
    from kstui.settings import Settings, store_home
    from kstui.store.bootstrap import connect, is_database_url
    from kstui.widgets.product_list import ProductList

    store = connect(location)
    home = store_home(location if is_database_url(location) else Path(location))
    app = create_app(Settings(db_path=home, animations=False), store, SystemClock())
    with store.reading() as tx:
        found = tx.fetch_one(
            "SELECT top_category_id, category_id FROM product WHERE name_zh LIKE '%耳机%' LIMIT 1"
        )
        assert found is not None
        top, leaf = found
        brands = [r[0] for r in tx.fetch_all("SELECT id FROM brand ORDER BY id LIMIT 4")]
    timings: dict[str, list[float]] = {}
    async with app.run_test(size=(120, 40)) as pilot:
        gc.freeze()  # as `kstui` does once the app is built (kstui/cli.py)
        screen = app.screen
        assert isinstance(screen, CatalogScreen)

        async def drawn(text: str) -> None:
            while True:
                results = screen.last_results_drawn
                if results is not None and results.query.text == text:
                    return
                await asyncio.sleep(0.0005)

        search = screen.query_one("#search", Input)
        for kind, text, filters in QUERIES:
            query = CatalogQuery(
                sort=Sort(str(filters.get("sort", "overall"))),
                category_id={"top": top, "leaf": leaf}.get(str(filters.get("category"))),
                min_price=filters.get("min_price"),  # type: ignore[arg-type]
                max_price=filters.get("max_price"),  # type: ignore[arg-type]
                brand_ids=frozenset(brands[: int(filters.get("brands", 0))]),  # type: ignore[call-overload]
                in_stock=bool(filters.get("in_stock", False)),
            )
            for repeat in range(KEYSTROKE_REPEATS):
                prefix = text[:-1] if text else "裙"  # for no keyword: the keystroke clears
                search.value = prefix
                screen.query_state = query.with_(text=prefix)
                await drawn(prefix)
                await pilot.pause()
                search.focus()
                search.cursor_position = len(prefix)
                started = time.perf_counter()
                if text:  # what a keystroke in the search box does
                    search.insert_text_at_cursor(text[-1])
                else:  # backspace over the last character
                    search.action_delete_left()
                await drawn(text)
                if repeat:  # the first run warms caches
                    timings.setdefault(f"{kind}: {text or '∅'}", []).append(
                        (time.perf_counter() - started) * 1000
                    )
        # Navigation on the unfiltered list.
        screen.query_state = CatalogQuery()
        await drawn("")
        products = screen.query_one(ProductList)
        products.focus()
        await pilot.pause()
        navigation: list[float] = []
        for _ in range(NAVIGATION_KEYS):
            before = products.cursor
            done = asyncio.Event()
            started = time.perf_counter()
            app.post_message(_key("down"))
            while products.cursor == before:
                await asyncio.sleep(0)
            products.call_after_refresh(done.set)
            await done.wait()
            navigation.append((time.perf_counter() - started) * 1000)
            await pilot.pause()
    store.close()
    return timings, navigation


def _key(name: str) -> Any:
    from textual import events

    return events.Key(name, None)


def first_frame(argv: list[str], marker: str, env: dict[str, str]) -> float:
    """Seconds from starting `argv` in a 120×40 pseudo-terminal to `marker` on screen."""
    pid, fd = pty.fork()
    if pid == 0:  # child
        os.execvpe(argv[0], argv, env)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    started = time.perf_counter()
    seen = b""
    target = marker.encode()
    try:
        while time.perf_counter() - started < 30:
            ready, _, _ = select.select([fd], [], [], 0.05)
            if not ready:
                continue
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                break
            if not chunk:
                break
            seen += chunk
            if target in seen:
                return time.perf_counter() - started
            if len(seen) > 1_000_000:
                seen = seen[-200_000:]
        raise RuntimeError(f"{marker!r} never appeared for {argv}")
    finally:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        os.close(fd)


def first_frames(location: str) -> dict[str, list[float]]:
    """Whole-process first frames: a bare Textual app with one table, and kstui."""
    env = {**os.environ, "TERM": "xterm-256color", "COLORTERM": "truecolor"}
    kstui = shutil.which("kstui") or "kstui"
    where = ["--database-url" if location.startswith("postgres") else "--db", location]
    runs: dict[str, list[float]] = {"bare": [], "kstui frame": [], "kstui results": []}
    for _ in range(FIRST_FRAME_RUNS):  # interleaved, so that drift hits all alike
        runs["bare"].append(first_frame([sys.executable, "-c", BARE_APP], "BAREMARK", env))
        runs["kstui frame"].append(first_frame([kstui, *where], "快手小店", env))
        runs["kstui results"].append(first_frame([kstui, *where], "已售", env))
    return runs


def report(title: str, rows: dict[str, list[float]], unit: str = "ms", scale: float = 1) -> None:
    print(f"\n{title}")
    print(f"  {'':44} {'median':>9} {'p95':>9}  n")
    for name, values in rows.items():
        med = statistics.median(values) * scale
        p95 = pct(values, 0.95) * scale
        print(f"  {name:44} {med:8.1f}{unit} {p95:7.1f}{unit}  {len(values)}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="100000,1000000")
    parser.add_argument("--fresh", action="store_true")
    parser.add_argument("--db", type=Path, help="measure this existing store instead")
    parser.add_argument(
        "--postgres", action="store_true", help="on a throwaway PostgreSQL server instead"
    )
    parser.add_argument("--database-url", default="", help="on this PostgreSQL database instead")
    args = parser.parse_args(argv)
    print(
        f"python {sys.version.split()[0]}, sqlite {sqlite3.sqlite_version}, cpus {os.cpu_count()}"
    )
    targets = [(0, args.db)] if args.db else [(int(s), None) for s in args.sizes.split(",")]
    for size, given in targets:
        with contextlib.ExitStack() as stack:
            url = args.database_url
            if args.postgres and not given:
                url = stack.enter_context(throwaway_postgres(size))
            engine = "postgresql" if url else "sqlite"
            print(f"\n=== {given or f'{size:,} synthetic products'} on {engine} ===")
            location = str(given) if given else build_store(size, args.fresh, url)
            measure(location)


def measure(location: str) -> None:
    """Print every figure of the store at `location`."""
    timings, navigation = asyncio.run(measure_app(location))
    report("search keystroke → results drawn", timings)
    every = [v for values in timings.values() for v in values]
    print(f"  {'ALL QUERIES':44} {statistics.median(every):8.1f}ms {pct(every, 0.95):7.1f}ms"
          f"  {len(every)}")  # fmt: skip
    report("list navigation key → frame", {"down": navigation})
    frames = first_frames(location)
    report("first frame, whole process (120×40 pty)", frames, scale=1000)
    bare = statistics.median(frames["bare"])
    for name in ("kstui frame", "kstui results"):
        ratio = statistics.median(frames[name]) / bare
        print(f"  ratio {name} / bare app with one table: {ratio:.2f}")


if __name__ == "__main__":
    main()
