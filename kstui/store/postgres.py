"""The PostgreSQL engine of the store interface: psycopg 3 with a connection pool.

Nothing is opened at import time, and psycopg itself is imported only when a
PostgreSQL store is opened (it is not needed for the embedded SQLite default).

Statements arrive in the store's portable SQL with named parameters (`:name`) and are
rewritten once per distinct text to psycopg's `%(name)s` (a literal `%` becomes `%%`);
psycopg prepares a statement on the server after it has run a few times. Every
connection runs with `TimeZone=UTC`, so `timestamptz` values come back as aware UTC
datetimes. Reads run in autocommit (each statement sees what is committed, as a SQLite
read does); a write is one transaction, at READ COMMITTED: the services make every
write that depends on current state a conditional update, so concurrent writers from
any number of processes stay correct without a global lock.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from functools import cached_property
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit, urlunsplit

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
    import psycopg
    from psycopg_pool import ConnectionPool
    from sqlalchemy.engine import Engine as SqlAlchemyEngine

POOL_MAX = 8
"""The most connections one process keeps open to the server."""
POOL_TIMEOUT_S = 15.0
"""How long a transaction waits for a free connection before the store is busy."""
OPTIONS = "-c TimeZone=UTC -c client_encoding=UTF8"
"""Every connection's session settings: times in UTC, text in UTF-8."""
MIGRATION_LOCK = 0x6B737475  # "kstu"
"""The advisory lock that lets one process at a time migrate or seed a database."""

_NAMED = re.compile(r"(?<![:\w]):([A-Za-z_]\w*)")
_translated: dict[str, str] = {}


def translate(sql: str) -> str:
    """The store's SQL with psycopg's placeholders: `:name` → `%(name)s`, `%` → `%%`."""
    found = _translated.get(sql)
    if found is None:
        found = _NAMED.sub(r"%(\1)s", sql.replace("%", "%%"))
        if len(_translated) < 10_000:  # statements are a fixed set; dynamic IN lists vary
            _translated[sql] = found
    return found


def public_url(url: str) -> str:
    """A database URL without its password, for messages."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname or ""
    netloc = f"{parts.username}@{host}" if parts.username else host
    if parts.port is not None:
        netloc += f":{parts.port}"
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


_DETAIL_KEY = re.compile(r"Key \((?P<columns>[^)]*)\)=")


def translate_error(exc: Exception, where: str) -> StoreError:
    """The store's own error for a psycopg error (the engine's texts stop here)."""
    from psycopg import errors

    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    if isinstance(exc, errors.UniqueViolation):
        diag = exc.diag
        match = _DETAIL_KEY.match(diag.message_detail or "")
        columns = tuple(c.strip() for c in match["columns"].split(",")) if match else ()
        return UniqueViolation(f"{where}: {text}", table=diag.table_name or "", columns=columns)
    if isinstance(exc, errors.QueryCanceled):
        return ReadCancelled(text)
    if isinstance(
        exc, errors.DeadlockDetected | errors.SerializationFailure | errors.LockNotAvailable
    ):
        return StoreBusy(f"{where}: {text}")
    if isinstance(exc, errors.DiskFull):
        return StoreFull(f"{where}: {text}")
    if isinstance(exc, errors.ReadOnlySqlTransaction):
        return StoreReadOnly(f"{where}: {text}")
    return StoreError(f"{where}: {text}")


class PostgresTransaction:
    """A transaction on one pooled connection (see `kstui.store.interface.Transaction`)."""

    __slots__ = ("connection", "_where")

    def __init__(self, connection: psycopg.Connection[Any], where: str) -> None:
        self.connection = connection
        """The psycopg connection, for the engine's own modules (search) only."""
        self._where = where

    @property
    def engine(self) -> Engine:
        return "postgresql"

    def _run(self, sql: str, params: Mapping[str, object]) -> psycopg.Cursor[Any]:
        import psycopg

        try:
            return self.connection.execute(translate(sql), params)
        except psycopg.Error as exc:
            raise translate_error(exc, self._where) from exc

    def execute(self, sql: str, /, **params: object) -> int:
        return self._run(sql, params).rowcount

    def execute_many(self, sql: str, rows: Iterable[Mapping[str, object]], /) -> None:
        import psycopg

        batch = list(rows)
        if not batch:
            return
        try:
            with self.connection.cursor() as cursor:
                cursor.executemany(translate(sql), batch)
        except psycopg.Error as exc:
            raise translate_error(exc, self._where) from exc

    def fetch_one(self, sql: str, /, **params: object) -> Row | None:
        row: Row | None = self._run(sql, params).fetchone()
        return row

    def fetch_all(self, sql: str, /, **params: object) -> list[Row]:
        return self._run(sql, params).fetchall()

    def fetch_value(self, sql: str, /, **params: object) -> Any:
        row = self._run(sql, params).fetchone()
        return None if row is None else row[0]

    def insert(self, sql: str, /, **params: object) -> int:
        row = self._run(sql + " RETURNING id", params).fetchone()
        assert row is not None
        return int(row[0])


class PostgresStore:
    """One kstui store in a PostgreSQL database.

    Args:
        url: A `postgresql://user:password@host:port/dbname?host=/socket/dir` URL.
    """

    def __init__(self, url: str) -> None:
        self.url = url
        self._lock = threading.Lock()
        self._closed = False

    @property
    def engine(self) -> Engine:
        return "postgresql"

    @property
    def location(self) -> str:
        return public_url(self.url)

    @property
    def read_only(self) -> bool:
        return False

    @cached_property
    def _pool(self) -> ConnectionPool[Any]:
        import psycopg
        from psycopg_pool import ConnectionPool, PoolTimeout

        def configure(conn: psycopg.Connection[Any]) -> None:
            conn.autocommit = True

        try:  # one plain connection first: a wrong URL is told at once, not after the
            # pool's retries for POOL_TIMEOUT_S
            psycopg.connect(self.url, connect_timeout=int(POOL_TIMEOUT_S), options=OPTIONS).close()
        except psycopg.Error as exc:
            raise StoreError(f"{self.location}: cannot connect ({_reason(exc)})") from exc
        pool: ConnectionPool[Any] = ConnectionPool(
            self.url,
            kwargs={"options": OPTIONS},
            min_size=1,
            max_size=POOL_MAX,
            timeout=POOL_TIMEOUT_S,
            configure=configure,
            open=False,
            num_workers=1,
            name="kstui",
        )
        try:
            pool.open(wait=True, timeout=POOL_TIMEOUT_S)
        except (PoolTimeout, psycopg.Error) as exc:
            pool.close()
            raise StoreError(f"{self.location}: cannot connect ({_reason(exc)})") from exc
        return pool

    @contextmanager
    def _connection(self) -> Iterator[psycopg.Connection[Any]]:
        from psycopg_pool import PoolTimeout

        if self._closed:
            raise StoreError(f"{self.location}: the store is closed")
        try:
            with self._pool.connection() as conn:
                yield conn
        except PoolTimeout as exc:
            raise StoreBusy(f"{self.location}: no free connection") from exc

    @contextmanager
    def reading(self) -> Iterator[PostgresTransaction]:
        import psycopg

        with self._connection() as conn:
            try:
                yield PostgresTransaction(conn, self.location)
            except psycopg.Error as exc:
                raise translate_error(exc, self.location) from exc

    @contextmanager
    def writing(self) -> Iterator[PostgresTransaction]:
        import psycopg

        with self._connection() as conn:
            try:
                with conn.transaction():
                    yield PostgresTransaction(conn, self.location)
            except psycopg.Error as exc:
                raise translate_error(exc, self.location) from exc

    def read_group(self) -> PostgresReadGroup:
        return PostgresReadGroup(self)

    @cached_property
    def sqlalchemy_engine(self) -> SqlAlchemyEngine:
        """A SQLAlchemy engine on the same database (psycopg 3 driver), for Alembic only."""
        from sqlalchemy import create_engine

        scheme, rest = self.url.split("://", 1)
        return create_engine(
            f"postgresql+psycopg://{rest}",
            connect_args={"options": "-c TimeZone=UTC -c client_encoding=UTF8"},
            poolclass=_null_pool(),
        )

    def close(self) -> None:
        """Close the pool's connections (and the SQLAlchemy engine, if one was made)."""
        with self._lock:
            self._closed = True
            if "_pool" in self.__dict__:
                self._pool.close()
            if "sqlalchemy_engine" in self.__dict__:
                self.sqlalchemy_engine.dispose()


def _null_pool() -> Any:
    from sqlalchemy.pool import NullPool

    return NullPool


def _reason(exc: BaseException) -> str:
    """The engine's first line about `exc` (the rest are hints), without the tab indents."""
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    return lines[0] if lines else type(exc).__name__


class PostgresReadGroup:
    """Reads that can be stopped together: the searches behind one search box."""

    def __init__(self, store: PostgresStore) -> None:
        self._store = store
        self._lock = threading.Lock()
        self._running: set[psycopg.Connection[Any]] = set()

    @contextmanager
    def reading(self) -> Iterator[PostgresTransaction]:
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
                conn.cancel_safe(timeout=1.0)
