"""The SQLite engine of the store interface: one file, pooled DB-API connections.

Nothing is opened at import time. Every connection gets the store's pragmas (WAL,
foreign keys, a busy timeout). Write transactions start with `BEGIN IMMEDIATE`, so two
writers queue on SQLite's lock instead of one failing half-way with "database is
locked" (SQLAlchemy's documented pysqlite recipe: the driver's own transaction handling
is off and the BEGIN is ours). Connections are pooled per kind (reads, writes) so that
their page caches and prepared statements stay warm.

Datetimes are stored as naive UTC text with microseconds (what SQLAlchemy writes for the
models' `DateTime` columns), so that they sort as text the way they sort as times.
"""

from __future__ import annotations

import errno
import operator
import queue
import re
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, date, datetime
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kstui.store.errors import (
    ReadCancelled,
    StoreBusy,
    StoreError,
    StoreFull,
    StoreReadOnly,
    UniqueViolation,
)
from kstui.store.interface import Engine, Row

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine as SqlAlchemyEngine

BUSY_TIMEOUT_MS = 15_000
PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=NORMAL",
    "PRAGMA foreign_keys=ON",
    f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}",
    "PRAGMA temp_store=MEMORY",
    "PRAGMA cache_size=-32000",
    "PRAGMA mmap_size=268435456",
)
READ_ONLY_PRAGMAS = tuple(p for p in PRAGMAS if "journal_mode" not in p)
"""A read-only store keeps the journal mode it has (changing it is a write)."""
_POOL_SIZE = 4


def db_time(moment: datetime) -> str:
    """A datetime as SQLite keeps it: naive UTC ISO text with microseconds.

    The last one is remembered: a transaction binds the same `now` to most of its
    statements, and writing it out (~2 µs) was most of what binding through the store
    interface cost over binding pre-made text (bench/checkout.py).
    """
    global _last_time
    last = _last_time
    if last[0] is moment:
        return last[1]
    naive = moment.astimezone(UTC).replace(tzinfo=None) if moment.tzinfo is not None else moment
    text = naive.isoformat(sep=" ", timespec="microseconds")
    _last_time = (moment, text)  # one tuple: threads read a matching pair or the old one
    return text


_last_time: tuple[datetime | None, str] = (None, "")


def _adapt_date(value: date) -> str:
    return value.isoformat()


_adapters_registered = False


def _register_adapters() -> None:
    """Teach sqlite3 to bind datetimes and dates the way the store keeps them.

    Done once per process; sqlite3's adapters are global (they also replace Python's
    deprecated default ones, which wrote a `T` and no UTC conversion).
    """
    global _adapters_registered
    if not _adapters_registered:
        sqlite3.register_adapter(datetime, db_time)
        sqlite3.register_adapter(date, _adapt_date)
        _adapters_registered = True


def translate_error(exc: sqlite3.Error, where: str) -> StoreError:
    """The store's own error for a SQLite error (the engine's texts stop here)."""
    text = str(exc)
    if isinstance(exc, sqlite3.IntegrityError) and text.startswith("UNIQUE constraint failed: "):
        columns = [c.strip() for c in text.removeprefix("UNIQUE constraint failed: ").split(",")]
        table = columns[0].split(".", 1)[0]
        return UniqueViolation(
            f"{where}: {text}", table=table, columns=tuple(c.split(".", 1)[-1] for c in columns)
        )
    if isinstance(exc, sqlite3.OperationalError):
        if text == "interrupted":
            return ReadCancelled(text)
        if "locked" in text or "busy" in text:
            return StoreBusy(f"{where}: {text}")
        if "disk is full" in text or "disk I/O error" in text:
            return StoreFull(f"{where}: {text}")
        if "readonly" in text or "read-only" in text:
            return StoreReadOnly(f"{where}: {text}")
    return StoreError(f"{where}: {text}")


_NAMED = re.compile(r"(?<![:\w]):([A-Za-z_]\w*)")
_Positional = tuple[str, Callable[[Mapping[str, object]], tuple[object, ...]]]


class _PositionalCache(dict[str, _Positional]):
    """Statement → (its `?` text, what picks its values out of the named parameters in
    order); `cache[sql]` builds what is missing. sqlite3 binds a tuple about twice as
    fast as a mapping (it looks a mapping's names up one by one through new strings).

    A subscript, not a function: a hit costs no Python call (the interface's whole
    overhead per statement is a few of those, see bench/checkout.py).
    """

    def __missing__(self, sql: str) -> _Positional:
        names = _NAMED.findall(sql)
        text = _NAMED.sub("?", sql)
        pick: Callable[[Mapping[str, object]], tuple[object, ...]]
        if not names:
            pick = _no_values
        elif len(names) == 1:
            one = names[0]
            pick = lambda params: (params[one],)  # noqa: E731
        else:
            pick = operator.itemgetter(*names)
        found = (text, pick)
        if len(self) < 10_000:  # statements are a fixed set; IN lists vary
            self[sql] = found
        return found


_positional = _PositionalCache()


def _no_values(_params: Mapping[str, object]) -> tuple[object, ...]:
    return ()


class SqliteTransaction:
    """A transaction on one pooled connection (see `kstui.store.interface.Transaction`)."""

    __slots__ = ("connection", "_where")

    def __init__(self, connection: sqlite3.Connection, where: str) -> None:
        self.connection = connection
        """The DB-API connection, for the engine's own modules (search) only."""
        self._where = where

    @property
    def engine(self) -> Engine:
        return "sqlite"

    def execute(self, sql: str, /, **params: object) -> int:
        text, pick = _positional[sql]
        try:
            return self.connection.execute(text, pick(params)).rowcount
        except sqlite3.Error as exc:
            raise translate_error(exc, self._where) from exc

    def execute_many(self, sql: str, rows: Iterable[Mapping[str, object]], /) -> None:
        text, pick = _positional[sql]
        try:
            self.connection.executemany(text, map(pick, rows))
        except sqlite3.Error as exc:
            raise translate_error(exc, self._where) from exc

    def fetch_one(self, sql: str, /, **params: object) -> Row | None:
        text, pick = _positional[sql]
        try:
            row: Row | None = self.connection.execute(text, pick(params)).fetchone()
        except sqlite3.Error as exc:
            raise translate_error(exc, self._where) from exc
        return row

    def fetch_all(self, sql: str, /, **params: object) -> list[Row]:
        text, pick = _positional[sql]
        try:
            return self.connection.execute(text, pick(params)).fetchall()
        except sqlite3.Error as exc:
            raise translate_error(exc, self._where) from exc

    def fetch_value(self, sql: str, /, **params: object) -> Any:
        text, pick = _positional[sql]
        try:
            row = self.connection.execute(text, pick(params)).fetchone()
        except sqlite3.Error as exc:
            raise translate_error(exc, self._where) from exc
        return None if row is None else row[0]

    def insert(self, sql: str, /, **params: object) -> int:
        # The rowid is the `id` of every table with an INTEGER PRIMARY KEY `id`; reading
        # it costs nothing, where `RETURNING id` costs a result row (~17 µs an insert).
        text, pick = _positional[sql]
        try:
            rowid = self.connection.execute(text, pick(params)).lastrowid
        except sqlite3.Error as exc:
            raise translate_error(exc, self._where) from exc
        assert rowid is not None
        return rowid


class SqliteStore:
    """One kstui store in a SQLite file.

    Args:
        path: The SQLite file; its folder is created (mode 0700) if missing.
        read_only: Open it without writing anything (a read-only file or folder).
    """

    def __init__(self, path: Path, *, read_only: bool = False) -> None:
        _register_adapters()
        self.path = Path(path)
        self._where = str(self.path)
        self._read_only = read_only
        self._readers: queue.LifoQueue[sqlite3.Connection] = queue.LifoQueue()
        self._writers: queue.LifoQueue[sqlite3.Connection] = queue.LifoQueue()
        self._closed = False

    @property
    def engine(self) -> Engine:
        return "sqlite"

    @property
    def location(self) -> str:
        return str(self.path)

    @property
    def read_only(self) -> bool:
        return self._read_only

    def connect(self) -> sqlite3.Connection:
        """Open a new DB-API connection in autocommit mode with the store's pragmas.

        Raises:
            StoreError: if the file cannot be opened as a database.
        """
        try:
            if self._read_only:
                conn = self._connect_read_only()
                pragmas = READ_ONLY_PRAGMAS
            else:
                self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
                conn = sqlite3.connect(
                    self.path,
                    timeout=BUSY_TIMEOUT_MS / 1000,
                    isolation_level=None,
                    check_same_thread=False,
                )
                pragmas = PRAGMAS
            for pragma in pragmas:
                conn.execute(pragma)
        except sqlite3.Error as exc:
            raise translate_error(exc, str(self.path)) from exc
        except OSError as exc:
            if exc.errno == errno.ENOSPC:
                raise StoreFull(f"{self.path}: {exc}") from exc
            raise StoreError(f"{self.path}: {exc}") from exc
        return conn

    def _connect_read_only(self) -> sqlite3.Connection:
        """A connection that never writes: `mode=ro`; where even that cannot start (a WAL
        store in a folder nobody may write: no `-shm` can be made), `immutable=1`, which
        reads the file alone (nobody can be writing it then)."""
        uri = self.path.resolve().as_uri()
        conn = sqlite3.connect(
            f"{uri}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_MS / 1000,
            isolation_level=None, check_same_thread=False,
        )  # fmt: skip
        try:
            conn.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchall()
        except sqlite3.OperationalError:
            conn.close()
            conn = sqlite3.connect(
                f"{uri}?immutable=1", uri=True, isolation_level=None, check_same_thread=False
            )
        return conn

    @contextmanager
    def reading(self) -> Iterator[SqliteTransaction]:
        try:
            conn = self._readers.get_nowait()
        except queue.Empty:
            conn = self.connect()
        try:
            yield SqliteTransaction(conn, self._where)
        except sqlite3.Error as exc:
            raise translate_error(exc, str(self.path)) from exc
        finally:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            if self._closed or self._readers.qsize() >= _POOL_SIZE:
                conn.close()
            else:
                self._readers.put(conn)

    @contextmanager
    def writing(self) -> Iterator[SqliteTransaction]:
        if self._read_only:
            raise StoreReadOnly(f"{self.path}: opened read-only")
        try:
            conn = self._writers.get_nowait()
        except queue.Empty:
            conn = self.connect()
        healthy = False
        try:
            try:
                with transaction(conn):
                    yield SqliteTransaction(conn, self._where)
            except sqlite3.Error as exc:
                raise translate_error(exc, str(self.path)) from exc
            healthy = True
        except StoreError:
            raise
        except BaseException:  # a domain error: rolled back, the connection is fine
            healthy = not conn.in_transaction
            raise
        finally:
            # A connection is reused (its prepared statements stay warm) only when it is
            # known to be clean; after a database error it is closed.
            if healthy and not self._closed and self._writers.qsize() < _POOL_SIZE:
                self._writers.put(conn)
            else:
                conn.close()

    def read_group(self) -> SqliteReadGroup:
        return SqliteReadGroup(self)

    @cached_property
    def sqlalchemy_engine(self) -> SqlAlchemyEngine:
        """A SQLAlchemy engine over the same connections, for Alembic only."""
        from sqlalchemy import create_engine, event

        engine = create_engine(f"sqlite:///{self.path}", creator=self.connect)

        @event.listens_for(engine, "begin")
        def _begin(conn: Any) -> None:
            conn.exec_driver_sql("BEGIN IMMEDIATE")

        return engine

    def close(self) -> None:
        """Close pooled connections and the SQLAlchemy engine."""
        self._closed = True
        for pool in (self._readers, self._writers):
            while True:
                try:
                    pool.get_nowait().close()
                except queue.Empty:
                    break
        if "sqlalchemy_engine" in self.__dict__:
            self.sqlalchemy_engine.dispose()


class SqliteReadGroup:
    """Reads that can be stopped together: the searches behind one search box.

    Each keystroke starts a search; the one before it is no longer wanted, and its
    query, possibly a long one, is interrupted instead of running to its end.
    """

    def __init__(self, store: SqliteStore) -> None:
        self._store = store
        self._lock = threading.Lock()
        self._running: set[sqlite3.Connection] = set()

    @contextmanager
    def reading(self) -> Iterator[SqliteTransaction]:
        with self._store.reading() as tx:
            with self._lock:
                self._running.add(tx.connection)
            try:
                yield tx
            finally:
                with self._lock:
                    self._running.discard(tx.connection)

    def cancel(self) -> None:
        with self._lock:
            for conn in self._running:
                conn.interrupt()


@contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[None]:
    """Run a block in one `BEGIN IMMEDIATE` transaction on an autocommit connection."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        if conn.in_transaction:  # some errors (a full disk) have rolled it back already
            conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
