"""Errors of the store layer, in a module light enough for the CLI to import at start."""

from __future__ import annotations


class StoreError(Exception):
    """The store cannot be opened or used."""

    message_key = "app.error.unexpected"
    """What the shopper is told (a translation key)."""


class StoreBusy(StoreError):
    """Another process held the store's write lock for longer than the busy timeout (or,
    on PostgreSQL, the transaction lost a deadlock or a serialization conflict)."""

    message_key = "app.error.busy"


class StoreFull(StoreError):
    """The disk (or the database's quota) is full: the write was rolled back whole."""

    message_key = "app.error.disk_full"


class StoreReadOnly(StoreError):
    """The store can be read but not changed (a read-only file or folder)."""

    message_key = "app.error.read_only"


class ReadCancelled(StoreError):
    """A read was stopped because a newer one replaced it."""


class StoreTooNew(StoreError):
    """The store was written by a newer kstui than this one."""


class NotAStore(StoreError):
    """The database holds tables of another program: kstui leaves it untouched."""

    message_key = "app.error.not_a_store"


class UniqueViolation(StoreError):
    """A write would duplicate a unique key.

    Args:
        table: The table written to.
        columns: The columns of the unique key that was taken.
    """

    def __init__(self, message: str, *, table: str, columns: tuple[str, ...]) -> None:
        super().__init__(message)
        self.table = table
        self.columns = columns

    def is_on(self, table: str, *columns: str) -> bool:
        """True if the duplicate is of this table's key on exactly these columns."""
        return self.table == table and set(self.columns) == set(columns)


class SeedError(Exception):
    """The seed file cannot be read or does not describe a valid shop."""
