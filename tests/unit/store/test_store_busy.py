"""A SQLite store whose write lock another process holds: a plain `StoreBusy`, never a
crash."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from kstui.providers.clock import FrozenClock
from kstui.providers.sms import OutboxSms
from kstui.services.accounts import auth
from kstui.services.accounts.sms_codes import Purpose
from kstui.store import sqlite
from kstui.store.errors import StoreBusy, StoreError
from kstui.store.sqlite import SqliteStore


@pytest.fixture
def short_busy_timeout(monkeypatch: pytest.MonkeyPatch) -> None:
    pragmas = tuple(
        "PRAGMA busy_timeout=50" if p.startswith("PRAGMA busy_timeout") else p
        for p in sqlite.PRAGMAS
    )
    monkeypatch.setattr(sqlite, "PRAGMAS", pragmas)
    monkeypatch.setattr(sqlite, "BUSY_TIMEOUT_MS", 50)


@pytest.fixture
def held_write_lock(
    sqlite_store: SqliteStore,
    short_busy_timeout: None,  # noqa: ARG001  (needed before the lock is taken)
) -> Iterator[sqlite3.Connection]:
    """Another connection (another kstui, say) in the middle of a write."""
    other = sqlite3.connect(sqlite_store.path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    yield other
    other.execute("ROLLBACK")
    other.close()


@pytest.mark.usefixtures("held_write_lock")
def test_a_held_write_lock_is_store_busy(sqlite_store: SqliteStore, clock: FrozenClock) -> None:
    with pytest.raises(StoreBusy) as caught:
        auth.request_code(sqlite_store, "13800138000", Purpose.LOGIN, clock=clock, sms=OutboxSms())
    assert caught.value.message_key == "app.error.busy"
    assert isinstance(caught.value, StoreError)


def test_the_lock_released_lets_the_write_through(
    sqlite_store: SqliteStore, clock: FrozenClock, held_write_lock: sqlite3.Connection
) -> None:
    held_write_lock.execute("ROLLBACK")
    auth.request_code(sqlite_store, "13800138000", Purpose.LOGIN, clock=clock, sms=OutboxSms())
    held_write_lock.execute("BEGIN IMMEDIATE")  # for the fixture's ROLLBACK


def test_a_file_that_is_no_database_is_a_store_error(tmp_path: Path) -> None:
    path = tmp_path / "not-a-store.db"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError), SqliteStore(path).writing() as tx:
        tx.execute("SELECT 1")
