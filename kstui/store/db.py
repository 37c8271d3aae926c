"""Opening a store: SQLite connections with the right pragmas, transactions, sessions.

Nothing is opened at import time. A `Store` is created by the CLI or a test and handed
down. Two ways in, sharing one connection factory (and so the same pragmas):

- `Store.reading()` lends a pooled DB-API connection for the hot read paths (the
  catalogue), which are plain SQL over FTS5 and covering indexes and need neither the
  ORM nor its import time.
- `Store.session()` / `Store.write_session()` give SQLModel sessions for domain logic.
  Write sessions and `Store.writing()` start with `BEGIN IMMEDIATE`, so that two
  writers queue on SQLite's lock instead of failing half-way with "database is locked"
  (SQLAlchemy's documented pysqlite recipe: the driver's own transaction handling is
  switched off and the BEGIN is emitted by us).
"""

from __future__ import annotations

import queue
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kstui.store.errors import ReadCancelled, StoreBusy, StoreError

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine
    from sqlmodel import Session

BUSY_TIMEOUT_MS = 15_000
_PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=NORMAL",
    "PRAGMA foreign_keys=ON",
    f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}",
    "PRAGMA temp_store=MEMORY",
    "PRAGMA cache_size=-32000",
    "PRAGMA mmap_size=268435456",
)
_READ_POOL_SIZE = 4


class Store:
    """One kstui database file.

    Args:
        path: The SQLite file; its directory is created if missing.
    """

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._readers: queue.LifoQueue[sqlite3.Connection] = queue.LifoQueue()
        self._writers: queue.LifoQueue[sqlite3.Connection] = queue.LifoQueue()
        self._closed = False

    def connect(self) -> sqlite3.Connection:
        """Open a new DB-API connection in autocommit mode with the store's pragmas.

        Raises:
            StoreError: if the file cannot be opened as a database.
        """
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(
                self.path,
                timeout=BUSY_TIMEOUT_MS / 1000,
                isolation_level=None,
                check_same_thread=False,
            )
            for pragma in _PRAGMAS:
                conn.execute(pragma)
        except (sqlite3.Error, OSError) as exc:
            raise StoreError(f"{self.path}: {exc}") from exc
        return conn

    @contextmanager
    def reading(self) -> Iterator[sqlite3.Connection]:
        """Lend a pooled connection for reads (its page cache stays warm between uses).

        Raises:
            ReadCancelled: the read was stopped by `ReadGroup.cancel`.
            StoreError: any other database failure inside the block.
        """
        try:
            conn = self._readers.get_nowait()
        except queue.Empty:
            conn = self.connect()
        try:
            yield conn
        except sqlite3.Error as exc:
            if isinstance(exc, sqlite3.OperationalError) and str(exc) == "interrupted":
                raise ReadCancelled(str(exc)) from exc
            raise StoreError(f"{self.path}: {exc}") from exc
        finally:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            if self._closed or self._readers.qsize() >= _READ_POOL_SIZE:
                conn.close()
            else:
                self._readers.put(conn)

    @contextmanager
    def writing(self) -> Iterator[sqlite3.Connection]:
        """A pooled DB-API connection inside `BEGIN IMMEDIATE … COMMIT` (rolled back on error).

        Raises:
            StoreBusy: the write lock stayed taken for the whole busy timeout.
            StoreError: any other database failure inside the block.
        """
        try:
            conn = self._writers.get_nowait()
        except queue.Empty:
            conn = self.connect()
        healthy = False
        try:
            with transaction(conn):
                yield conn
            healthy = True
        except sqlite3.OperationalError as exc:
            if "locked" in str(exc) or "busy" in str(exc):
                raise StoreBusy(f"{self.path}: {exc}") from exc
            raise StoreError(f"{self.path}: {exc}") from exc
        except sqlite3.Error as exc:
            raise StoreError(f"{self.path}: {exc}") from exc
        except BaseException:  # a domain error: rolled back, the connection is fine
            healthy = not conn.in_transaction
            raise
        finally:
            # A connection is reused (its prepared statements stay warm) only when it is
            # known to be clean; after a database error it is closed.
            if healthy and not self._closed and self._writers.qsize() < _READ_POOL_SIZE:
                self._writers.put(conn)
            else:
                conn.close()

    @cached_property
    def engine(self) -> Engine:
        """The SQLAlchemy engine over the same connection factory (created on first use)."""
        from sqlalchemy import create_engine, event

        engine = create_engine(f"sqlite:///{self.path}", creator=self.connect)

        @event.listens_for(engine, "begin")
        def _begin(conn: Any) -> None:
            immediate = conn.get_execution_options().get("kstui_immediate", False)
            conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

        return engine

    def session(self) -> Session:
        """A SQLModel session whose transactions start deferred (for reads)."""
        from sqlmodel import Session

        return Session(self.engine, expire_on_commit=False)

    def write_session(self) -> Session:
        """A SQLModel session whose transactions start with `BEGIN IMMEDIATE`."""
        from sqlmodel import Session

        return Session(self.engine.execution_options(kstui_immediate=True), expire_on_commit=False)

    def close(self) -> None:
        """Close pooled connections and the engine."""
        self._closed = True
        for pool in (self._readers, self._writers):
            while True:
                try:
                    pool.get_nowait().close()
                except queue.Empty:
                    break
        if "engine" in self.__dict__:
            self.engine.dispose()


class ReadGroup:
    """Reads that can be stopped together: the searches behind one search box.

    Each keystroke starts a search; the one before it is no longer wanted, and its
    query, possibly a long one, is interrupted instead of running to its end.
    """

    def __init__(self, store: Store) -> None:
        self._store = store
        self._lock = threading.Lock()
        self._running: set[sqlite3.Connection] = set()

    @contextmanager
    def reading(self) -> Iterator[sqlite3.Connection]:
        """Like `Store.reading`, and stopped by `cancel`."""
        with self._store.reading() as conn:
            with self._lock:
                self._running.add(conn)
            try:
                yield conn
            finally:
                with self._lock:
                    self._running.discard(conn)

    def cancel(self) -> None:
        """Stop every read of the group now running (they raise `ReadCancelled`)."""
        with self._lock:
            for conn in self._running:
                conn.interrupt()


@contextmanager
def transaction(conn: sqlite3.Connection, *, immediate: bool = True) -> Iterator[None]:
    """Run a block in one transaction on an autocommit DB-API connection."""
    conn.execute("BEGIN IMMEDIATE" if immediate else "BEGIN")
    try:
        yield
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def is_seeded(conn: sqlite3.Connection) -> bool:
    """True if the store already holds a catalogue."""
    return bool(conn.execute("SELECT EXISTS (SELECT 1 FROM category)").fetchone()[0])


def db_time(moment: datetime) -> str:
    """A datetime as SQLModel stores it in SQLite: naive UTC ISO text with microseconds."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment.isoformat(sep=" ", timespec="microseconds")


def from_db_time(text: str) -> datetime:
    """The aware UTC datetime of a stored time text."""
    return datetime.fromisoformat(text).replace(tzinfo=UTC)
