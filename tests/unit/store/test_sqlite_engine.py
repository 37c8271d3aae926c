"""`kstui.store.sqlite`: connections, pragmas, SQLite's write lock, pooling, stored times.

What both engines must do alike is in `test_store_interface.py`; this is SQLite itself.
"""

from __future__ import annotations

import sqlite3
import threading
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kstui.store.errors import StoreBusy, StoreError
from kstui.store.interface import from_db_time
from kstui.store.sqlite import BUSY_TIMEOUT_MS, SqliteStore, db_time, transaction

NAIVE = datetime(2026, 3, 4, 5, 6, 7, 89, tzinfo=UTC).replace(tzinfo=None)
INSERT_BRAND = "INSERT INTO brand (slug, name_zh, name_en) VALUES (:slug, '测', 'Test')"


def brand_slugs(store: SqliteStore) -> set[str]:
    with store.reading() as tx:
        return {r[0] for r in tx.fetch_all("SELECT slug FROM brand")}


def lock_is_free(path: Path) -> bool:
    """True if another connection could take the write lock right now (without waiting)."""
    other = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as error:
        if "locked" not in str(error):
            raise
        return False
    else:
        other.execute("ROLLBACK")
        return True
    finally:
        other.close()


# -- pragmas ----------------------------------------------------------------------------------


def _pragmas(conn: sqlite3.Connection) -> tuple[object, ...]:
    return tuple(
        conn.execute(f"PRAGMA {name}").fetchone()[0]
        for name in ("journal_mode", "foreign_keys", "busy_timeout", "synchronous")
    )


def test_pragmas_of_read_and_write_connections(sqlite_store: SqliteStore) -> None:
    assert BUSY_TIMEOUT_MS == 15_000
    with sqlite_store.reading() as tx:
        assert _pragmas(tx.connection) == ("wal", 1, 15_000, 1)
    with sqlite_store.writing() as tx:
        assert _pragmas(tx.connection) == ("wal", 1, 15_000, 1)
    conn = sqlite_store.connect()
    assert _pragmas(conn) == ("wal", 1, 15_000, 1)
    assert conn.isolation_level is None  # autocommit: transactions are begun explicitly
    conn.close()


def test_the_engine_is_named(sqlite_store: SqliteStore) -> None:
    assert sqlite_store.engine == "sqlite"
    assert sqlite_store.location == str(sqlite_store.path)
    with sqlite_store.reading() as tx:
        assert tx.engine == "sqlite"


# -- writing() --------------------------------------------------------------------------------


def test_writing_commits_for_other_connections(sqlite_store: SqliteStore) -> None:
    with sqlite_store.writing() as tx:
        assert tx.connection.in_transaction
        tx.execute(INSERT_BRAND, slug="committed")
    other = sqlite3.connect(sqlite_store.path)
    assert other.execute("SELECT count(*) FROM brand WHERE slug = 'committed'").fetchone() == (1,)
    other.close()


def test_a_rolled_back_write_frees_the_lock(sqlite_store: SqliteStore) -> None:
    def insert_then_fail() -> None:
        with sqlite_store.writing() as tx:
            tx.execute(INSERT_BRAND, slug="rolled-back")
            _ = 1 / 0

    with pytest.raises(ZeroDivisionError):
        insert_then_fail()
    assert "rolled-back" not in brand_slugs(sqlite_store)
    assert lock_is_free(sqlite_store.path)


def test_writing_holds_the_write_lock_from_the_start(sqlite_store: SqliteStore) -> None:
    assert lock_is_free(sqlite_store.path)
    with sqlite_store.writing():
        assert not lock_is_free(sqlite_store.path)  # BEGIN IMMEDIATE, before any statement
    assert lock_is_free(sqlite_store.path)


def test_transaction_helper(sqlite_store: SqliteStore) -> None:
    conn = sqlite_store.connect()
    with transaction(conn):
        assert conn.in_transaction
        assert not lock_is_free(sqlite_store.path)
        conn.execute(INSERT_BRAND, {"slug": "helper"})
    assert not conn.in_transaction

    def insert_then_fail() -> None:
        with transaction(conn):
            conn.execute(INSERT_BRAND, {"slug": "lost"})
            _ = 1 / 0

    with pytest.raises(ZeroDivisionError):
        insert_then_fail()
    assert not conn.in_transaction
    conn.close()
    assert {"helper"} <= brand_slugs(sqlite_store)
    assert "lost" not in brand_slugs(sqlite_store)


def test_two_writers_queue_instead_of_failing(sqlite_store: SqliteStore) -> None:
    first_in, release, second_in = threading.Event(), threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def first() -> None:
        try:
            with sqlite_store.writing() as tx:
                # a read first: with a deferred BEGIN this is where the upgrade later fails
                tx.fetch_value("SELECT count(*) FROM brand")
                first_in.set()
                release.wait(10)
                tx.execute(INSERT_BRAND, slug="first")
        except BaseException as error:
            errors.append(error)
            first_in.set()

    def second() -> None:
        try:
            first_in.wait(10)
            with sqlite_store.writing() as tx:
                tx.fetch_value("SELECT count(*) FROM brand")
                second_in.set()
                tx.execute(INSERT_BRAND, slug="second")
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    assert first_in.wait(10)
    # the second writer is held at its BEGIN IMMEDIATE while the first one writes
    assert not second_in.wait(0.3)
    release.set()
    for thread in threads:
        thread.join(20)
        assert not thread.is_alive()
    assert errors == []
    assert second_in.is_set()
    assert {"first", "second"} <= brand_slugs(sqlite_store)


def test_a_held_write_lock_is_store_busy(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "busy.db")
    with store.writing() as tx:
        tx.execute("CREATE TABLE t (x INTEGER)")
    other = sqlite3.connect(store.path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        conn = store.connect()
        conn.execute("PRAGMA busy_timeout=50")
        store._writers.put(conn)  # the next write uses this impatient connection
        with pytest.raises(StoreBusy) as caught, store.writing() as tx:
            tx.execute("INSERT INTO t VALUES (1)")
        assert caught.value.message_key == "app.error.busy"
    finally:
        other.execute("ROLLBACK")
        other.close()
        store.close()


# -- reading() --------------------------------------------------------------------------------


def test_reading_reuses_connections(sqlite_store: SqliteStore) -> None:
    with sqlite_store.reading() as first:
        pass
    with sqlite_store.reading() as second:
        assert second.connection is first.connection
        with sqlite_store.reading() as nested:
            assert nested.connection is not second.connection


def test_reading_rolls_back_what_a_borrower_left_open(sqlite_store: SqliteStore) -> None:
    with sqlite_store.reading() as tx:
        tx.execute("BEGIN")
        tx.execute(INSERT_BRAND, slug="left-open")
    with sqlite_store.reading() as tx:
        assert not tx.connection.in_transaction
    assert "left-open" not in brand_slugs(sqlite_store)
    assert lock_is_free(sqlite_store.path)


def test_connections_after_close_are_not_pooled(sqlite_store: SqliteStore) -> None:
    with sqlite_store.reading() as tx:
        pass
    sqlite_store.close()
    with pytest.raises(sqlite3.ProgrammingError):
        tx.connection.execute("SELECT 1")  # the pooled connection was closed
    with sqlite_store.reading() as late:
        assert late.fetch_value("SELECT count(*) FROM product") == 12
    with pytest.raises(sqlite3.ProgrammingError):
        late.connection.execute("SELECT 1")


def test_connect_creates_the_folder_private(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "a" / "b" / "kstui.db")
    conn = store.connect()
    assert (tmp_path / "a" / "b").is_dir()
    assert (tmp_path / "a" / "b").stat().st_mode & 0o777 == 0o700
    conn.close()
    store.close()


def test_connect_to_something_that_is_no_database(tmp_path: Path) -> None:
    folder = tmp_path / "folder.db"
    folder.mkdir()
    with pytest.raises(StoreError, match=r"folder\.db"):
        SqliteStore(folder).connect()
    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(b"\x00garbage" * 1000)
    with pytest.raises(StoreError), SqliteStore(garbage).writing() as tx:
        tx.execute("SELECT 1")


def test_other_database_errors_inside_a_write_are_store_errors(sqlite_store: SqliteStore) -> None:
    with pytest.raises(StoreError) as caught, sqlite_store.writing() as tx:
        tx.execute("SELECT * FROM no_such_table")
    assert not isinstance(caught.value, StoreBusy)
    assert caught.value.message_key == "app.error.unexpected"


def test_sqlalchemy_engine_begins_immediate(sqlite_store: SqliteStore) -> None:
    with sqlite_store.sqlalchemy_engine.begin() as connection:
        connection.exec_driver_sql("SELECT 1")
        assert not lock_is_free(sqlite_store.path)
    assert lock_is_free(sqlite_store.path)


# -- stored times -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("moment", "text"),
    [
        (datetime(2026, 11, 22, 2, 0, tzinfo=UTC), "2026-11-22 02:00:00.000000"),
        (
            datetime(2026, 11, 22, 10, 0, tzinfo=timezone(timedelta(hours=8))),
            "2026-11-22 02:00:00.000000",
        ),
        (
            datetime(2026, 1, 1, 0, 30, tzinfo=timezone(timedelta(hours=8))),
            "2025-12-31 16:30:00.000000",
        ),
        (NAIVE, "2026-03-04 05:06:07.000089"),  # naive: taken as UTC
    ],
)
def test_db_time(moment: datetime, text: str) -> None:
    assert db_time(moment) == text


def test_from_db_time() -> None:
    moment = from_db_time("2026-11-22 02:00:00.000000")
    assert moment == datetime(2026, 11, 22, 2, 0, tzinfo=UTC)
    assert moment.tzinfo is UTC
    assert from_db_time("2026-11-22 02:00:00") == moment


def test_stored_texts_sort_like_times() -> None:
    early = datetime(2026, 1, 1, 23, 59, 59, 999999, tzinfo=UTC)
    late = datetime(2026, 1, 2, tzinfo=UTC)
    assert db_time(early) < db_time(late)
    assert db_time(late - timedelta(microseconds=1)) == db_time(early)


@settings(max_examples=200, deadline=None)
@given(
    moment=st.datetimes(
        min_value=datetime(1970, 1, 2, tzinfo=UTC).replace(tzinfo=None),
        max_value=datetime(9999, 12, 30, tzinfo=UTC).replace(tzinfo=None),
        timezones=st.sampled_from(
            [UTC, timezone(timedelta(hours=8)), timezone(timedelta(hours=-5))]
        ),
    )
)
def test_db_time_round_trip(moment: datetime) -> None:
    back = from_db_time(db_time(moment))
    assert back == moment  # the same instant
    assert back.tzinfo is UTC
    assert back.utcoffset() == timedelta(0)
    assert len(db_time(moment)) == 26


def test_a_datetime_parameter_is_stored_as_sortable_text(sqlite_store: SqliteStore) -> None:
    moment = datetime(2030, 5, 6, 15, 8, 9, 123456, tzinfo=timezone(timedelta(hours=8)))
    with sqlite_store.writing() as tx:
        tx.execute("UPDATE product SET listed_at = :at WHERE id = 1", at=moment)
    with sqlite_store.reading() as tx:
        text = tx.fetch_value("SELECT listed_at FROM product WHERE id = 1")
    assert text == "2030-05-06 07:08:09.123456"
    assert from_db_time(text) == moment
