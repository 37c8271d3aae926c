"""The store interface: what services hold instead of an engine's connection.

A service never sees `sqlite3` or `psycopg`. It asks the store for a transaction and
runs SQL through it:

    with store.writing() as tx:
        taken = tx.execute(
            "UPDATE sku SET stock = stock - :n WHERE id = :id AND stock >= :n", n=2, id=7
        )
        order_id = tx.insert("INSERT INTO shop_order (no, status) VALUES (:no, :s)", no=no, s=s)

The SQL is the portable subset both engines speak: named parameters (`:name`), `TRUE` /
`FALSE`, `COALESCE`, `CASE`, `||`, `ON CONFLICT (…) DO NOTHING / DO UPDATE`, no
engine-specific functions. Datetimes are passed as aware `datetime`s and read back with
`from_db_time` (SQLite keeps them as text, PostgreSQL as `timestamptz`); booleans are
passed as `bool` and read back with `bool()`. Engine-specific SQL (search, DDL) lives in
the engine's own modules.

- `Store.reading()` lends a transaction for reads, `Store.writing()` one that commits at
  the end of the block (or rolls back on an exception); on SQLite it starts with
  `BEGIN IMMEDIATE`, so writers queue instead of failing half-way.
- A duplicate unique key raises `UniqueViolation` naming its table and columns, never
  an engine's own error. On PostgreSQL a failed statement ends the transaction: a
  service that expects a duplicate writes `ON CONFLICT … DO NOTHING` and looks at the
  rows changed instead of catching the error and going on.
- `Store.read_group()` groups reads that a newer one replaces (the searches behind one
  search box): `cancel()` stops those running.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from datetime import UTC, date, datetime
from typing import Any, Literal, Protocol

from kstui.store.errors import (
    ReadCancelled,
    StoreBusy,
    StoreError,
    StoreFull,
    StoreReadOnly,
    UniqueViolation,
)

__all__ = [
    "Engine",
    "ReadCancelled",
    "ReadGroup",
    "Row",
    "Store",
    "StoreBusy",
    "StoreError",
    "StoreFull",
    "StoreReadOnly",
    "Transaction",
    "UniqueViolation",
    "from_db_date",
    "from_db_time",
    "in_list",
]

Engine = Literal["sqlite", "postgresql"]
Row = tuple[Any, ...]
"""A result row: its columns in the order of the SELECT."""


class Transaction(Protocol):
    """One transaction on the store (a read one or a write one)."""

    @property
    def engine(self) -> Engine:
        """Which engine runs it (for the engine-specific modules: search, DDL)."""
        ...

    def execute(self, sql: str, /, **params: object) -> int:
        """Run one statement; the number of rows it changed (0 for a SELECT)."""
        ...

    def execute_many(self, sql: str, rows: Iterable[Mapping[str, object]], /) -> None:
        """Run one statement once per parameter mapping."""
        ...

    def fetch_one(self, sql: str, /, **params: object) -> Row | None:
        """The first row of a query, or None."""
        ...

    def fetch_all(self, sql: str, /, **params: object) -> list[Row]:
        """Every row of a query."""
        ...

    def fetch_value(self, sql: str, /, **params: object) -> Any:
        """The first column of the first row of a query, or None without a row."""
        ...

    def insert(self, sql: str, /, **params: object) -> int:
        """Run an `INSERT` of one row and return its new `id` (`RETURNING id` is added).

        Raises:
            UniqueViolation: a unique key of the row is taken.
        """
        ...


class ReadGroup(Protocol):
    """Reads that can be stopped together (they raise `ReadCancelled`)."""

    def reading(self) -> AbstractContextManager[Transaction]:
        """Like `Store.reading`, and stopped by `cancel`."""
        ...

    def cancel(self) -> None:
        """Stop every read of the group now running."""
        ...


class Store(Protocol):
    """One kstui database: a SQLite file or a PostgreSQL database."""

    @property
    def engine(self) -> Engine:
        """Which engine keeps it."""
        ...

    @property
    def location(self) -> str:
        """Where it is, for messages: a path, or a URL without its password."""
        ...

    @property
    def read_only(self) -> bool:
        """True when the store can be read but not changed (a read-only file)."""
        ...

    def reading(self) -> AbstractContextManager[Transaction]:
        """A transaction for reads.

        Raises:
            ReadCancelled: a read of a `ReadGroup` was stopped.
            StoreError: any database failure inside the block.
        """
        ...

    def writing(self) -> AbstractContextManager[Transaction]:
        """A transaction that commits at the end of the block (rolled back on error).

        Raises:
            StoreBusy: the write lock stayed taken for the whole busy timeout.
            StoreReadOnly: the store cannot be changed.
            StoreFull: the disk is full (nothing of the block was written).
            StoreError: any other database failure inside the block.
        """
        ...

    def read_group(self) -> ReadGroup:
        """A new group of reads that `ReadGroup.cancel` stops together."""
        ...

    def close(self) -> None:
        """Close the store's connections."""
        ...


def in_list(name: str, values: Sequence[object]) -> tuple[str, dict[str, object]]:
    """Named parameters for `IN (…)`: `("(:id_0, :id_1)", {"id_0": 4, "id_1": 9})`.

    Both engines take the list; a list of one value still reads `(:id_0)`. An empty list
    reads `(NULL)`, which matches nothing.
    """
    if not values:
        return "(NULL)", {}
    params = {f"{name}_{i}": value for i, value in enumerate(values)}
    return "(" + ", ".join(f":{key}" for key in params) + ")", params


def from_db_time(value: str | datetime) -> datetime:
    """The aware UTC datetime of a stored time (SQLite's text or PostgreSQL's value)."""
    if isinstance(value, datetime):
        return value.astimezone(UTC) if value.tzinfo is not None else value.replace(tzinfo=UTC)
    return datetime.fromisoformat(value).replace(tzinfo=UTC)


def from_db_date(value: str | date) -> date:
    """The date of a stored date (SQLite's ISO text or PostgreSQL's value)."""
    return value if isinstance(value, date) else date.fromisoformat(value)


_NAMED = re.compile(r"(?<![:\w]):([A-Za-z_]\w*)")
"""A named parameter: `:name`, not `::type` (no such casts in shared SQL) nor `a:b`."""


def parameter_names(sql: str) -> Iterator[str]:
    """The named parameters of a statement, in order (for the engines and the tests)."""
    for match in _NAMED.finditer(sql):
        yield match.group(1)
