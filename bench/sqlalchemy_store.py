"""The store interface over SQLAlchemy Core: the other candidate for `kstui.store.interface`.

`bench/checkout.py` runs the very same `kstui.services.ordering.checkout.submit` through
this store and through the shop's own engines (`kstui.store.sqlite`, `kstui.store.postgres`)
to price the hand-written layer against the library one. It speaks the same protocol
(`Store`, `Transaction`, `ReadGroup`) with SQLAlchemy's idioms:

- statements are `text(sql)` clauses with the same `:name` parameters (one clause per
  distinct text, kept: SQLAlchemy caches the compiled form by the clause's text);
- a write is `engine.begin()` on an engine of its own; on SQLite its "begin" event emits
  `BEGIN IMMEDIATE` (SQLAlchemy's documented pysqlite recipe: the DB-API connection is in
  autocommit and the BEGIN is ours), on PostgreSQL the driver opens the transaction
  (READ COMMITTED);
- reads go through a second engine without a BEGIN: on SQLite the connection stays in
  autocommit (every statement sees what is committed, as `SqliteStore.reading` does),
  on PostgreSQL the engine runs `isolation_level="AUTOCOMMIT"` (as `PostgresStore` does);
- a changed-rows count is `CursorResult.rowcount`, a new id comes from `RETURNING id`;
- a driver error (`sqlalchemy.exc.DBAPIError`) is translated by the engine module's own
  `translate_error` into `kstui.store.errors`, so the services see the same errors.

SQLite connections come from `SqliteStore.connect` (the same pragmas and datetime
adapters); PostgreSQL connections get the same `TimeZone=UTC` options as `PostgresStore`.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import Connection
from sqlalchemy.engine import Engine as SaEngine
from sqlalchemy.exc import DBAPIError, SQLAlchemyError
from sqlalchemy.sql.elements import TextClause

from kstui.store.errors import StoreError
from kstui.store.interface import Engine, Row

_clauses: dict[str, TextClause] = {}


def clause(sql: str) -> TextClause:
    """The `text()` clause of a statement, made once per distinct text."""
    found = _clauses.get(sql)
    if found is None:
        found = text(sql)
        if len(_clauses) < 10_000:  # statements are a fixed set; dynamic IN lists vary
            _clauses[sql] = found
    return found


Translate = Callable[[SQLAlchemyError], StoreError]


def _translator(engine: Engine, where: str) -> Translate:
    """The engine module's own error translation, applied to the DB-API error inside."""
    if engine == "sqlite":
        from kstui.store.sqlite import translate_error as sqlite_error

        def translate(exc: SQLAlchemyError) -> StoreError:
            if isinstance(exc, DBAPIError) and exc.orig is not None:
                return sqlite_error(exc.orig, where)  # type: ignore[arg-type]
            return StoreError(f"{where}: {exc}")

    else:
        from kstui.store.postgres import translate_error as postgres_error

        def translate(exc: SQLAlchemyError) -> StoreError:
            if isinstance(exc, DBAPIError) and exc.orig is not None:
                return postgres_error(exc.orig, where)
            return StoreError(f"{where}: {exc}")

    return translate


class SqlAlchemyTransaction:
    """A transaction on one SQLAlchemy connection (see `kstui.store.interface.Transaction`)."""

    __slots__ = ("connection", "_engine", "_translate")

    def __init__(self, connection: Connection, engine: Engine, translate: Translate) -> None:
        self.connection = connection
        self._engine = engine
        self._translate = translate

    @property
    def engine(self) -> Engine:
        return self._engine

    def execute(self, sql: str, /, **params: object) -> int:
        try:
            result = self.connection.execute(clause(sql), params)
            count = result.rowcount
            if result.returns_rows:
                result.close()
        except SQLAlchemyError as exc:
            raise self._translate(exc) from exc
        return count

    def execute_many(self, sql: str, rows: Iterable[Mapping[str, object]], /) -> None:
        batch = list(rows)
        if not batch:  # an empty list would run the statement once without parameters
            return
        try:
            self.connection.execute(clause(sql), batch)
        except SQLAlchemyError as exc:
            raise self._translate(exc) from exc

    def fetch_one(self, sql: str, /, **params: object) -> Row | None:
        try:
            row = self.connection.execute(clause(sql), params).first()
        except SQLAlchemyError as exc:
            raise self._translate(exc) from exc
        return None if row is None else tuple(row)

    def fetch_all(self, sql: str, /, **params: object) -> list[Row]:
        try:
            rows = self.connection.execute(clause(sql), params).all()
        except SQLAlchemyError as exc:
            raise self._translate(exc) from exc
        return [tuple(row) for row in rows]

    def fetch_value(self, sql: str, /, **params: object) -> Any:
        try:
            return self.connection.execute(clause(sql), params).scalar()
        except SQLAlchemyError as exc:
            raise self._translate(exc) from exc

    def insert(self, sql: str, /, **params: object) -> int:
        try:
            new_id = self.connection.execute(clause(sql + " RETURNING id"), params).scalar_one()
        except SQLAlchemyError as exc:
            raise self._translate(exc) from exc
        return int(new_id)


class SqlAlchemyStore:
    """A kstui store reached through SQLAlchemy Core (use `sqlite()` or `postgresql()`)."""

    def __init__(
        self,
        engine: Engine,
        location: str,
        reads: SaEngine,
        writes: SaEngine,
    ) -> None:
        self._engine = engine
        self._location = location
        self._reads = reads
        self._writes = writes
        self._translate = _translator(engine, location)

    @classmethod
    def sqlite(cls, path: Path) -> SqlAlchemyStore:
        """The store in a SQLite file (connections made by `SqliteStore.connect`)."""
        from kstui.store.sqlite import SqliteStore

        connections = SqliteStore(Path(path))  # only its connect(): pragmas, adapters
        url = f"sqlite:///{path}"
        reads = create_engine(url, creator=connections.connect)
        writes = create_engine(url, creator=connections.connect)

        @event.listens_for(writes, "begin")
        def _begin_immediate(conn: Connection) -> None:
            conn.exec_driver_sql("BEGIN IMMEDIATE")

        return cls("sqlite", str(path), reads, writes)

    @classmethod
    def postgresql(cls, url: str) -> SqlAlchemyStore:
        """The store in a PostgreSQL database (psycopg 3 driver, UTC sessions)."""
        from kstui.store.postgres import public_url

        scheme, rest = url.split("://", 1)
        sa_url = f"postgresql+psycopg://{rest}"
        options = {"options": "-c TimeZone=UTC -c client_encoding=UTF8"}
        reads = create_engine(sa_url, connect_args=options, isolation_level="AUTOCOMMIT")
        writes = create_engine(sa_url, connect_args=options)
        return cls("postgresql", public_url(url), reads, writes)

    @property
    def engine(self) -> Engine:
        return self._engine

    @property
    def location(self) -> str:
        return self._location

    @property
    def read_only(self) -> bool:
        return False

    @contextmanager
    def reading(self) -> Iterator[SqlAlchemyTransaction]:
        try:
            with self._reads.connect() as conn:
                yield SqlAlchemyTransaction(conn, self._engine, self._translate)
        except SQLAlchemyError as exc:
            raise self._translate(exc) from exc

    @contextmanager
    def writing(self) -> Iterator[SqlAlchemyTransaction]:
        try:
            with self._writes.begin() as conn:
                yield SqlAlchemyTransaction(conn, self._engine, self._translate)
        except SQLAlchemyError as exc:
            raise self._translate(exc) from exc

    def read_group(self) -> SqlAlchemyReadGroup:
        return SqlAlchemyReadGroup(self)

    def close(self) -> None:
        """Close both engines' pooled connections."""
        self._reads.dispose()
        self._writes.dispose()


class SqlAlchemyReadGroup:
    """Reads that can be stopped together (the DB-API connection is interrupted)."""

    def __init__(self, store: SqlAlchemyStore) -> None:
        self._store = store
        self._lock = threading.Lock()
        self._running: set[Any] = set()

    @contextmanager
    def reading(self) -> Iterator[SqlAlchemyTransaction]:
        with self._store.reading() as tx:
            raw = tx.connection.connection.dbapi_connection
            with self._lock:
                self._running.add(raw)
            try:
                yield tx
            finally:
                with self._lock:
                    self._running.discard(raw)

    def cancel(self) -> None:
        with self._lock:
            for raw in self._running:
                if self._store.engine == "sqlite":
                    raw.interrupt()
                else:
                    raw.cancel_safe(timeout=1.0)
