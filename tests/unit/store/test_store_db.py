"""`kstui.store.db`: connections, pragmas, transactions and stored times."""

from __future__ import annotations

import sqlite3
import threading
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import event

from kstui.store.db import (
    BUSY_TIMEOUT_MS,
    Store,
    StoreError,
    db_time,
    from_db_time,
    transaction,
)

NAIVE = datetime(2026, 3, 4, 5, 6, 7, 89, tzinfo=UTC).replace(tzinfo=None)
INSERT_BRAND = "INSERT INTO brand (slug, name_zh, name_en) VALUES (?, '测', 'Test')"


def brand_slugs(store: Store) -> set[str]:
    with store.reading() as conn:
        return {r[0] for r in conn.execute("SELECT slug FROM brand")}


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


def test_pragmas_of_read_and_write_connections(store: Store) -> None:
    assert BUSY_TIMEOUT_MS == 15_000
    with store.reading() as conn:
        assert _pragmas(conn) == ("wal", 1, 15_000, 1)
    with store.writing() as conn:
        assert _pragmas(conn) == ("wal", 1, 15_000, 1)
    conn = store.connect()
    assert _pragmas(conn) == ("wal", 1, 15_000, 1)
    assert conn.isolation_level is None  # autocommit: transactions are begun explicitly
    conn.close()


def test_pragmas_of_orm_sessions(store: Store) -> None:
    for session in (store.session(), store.write_session()):
        with session:
            raw = session.connection().connection.dbapi_connection
            assert isinstance(raw, sqlite3.Connection)
            assert _pragmas(raw) == ("wal", 1, 15_000, 1)


def test_foreign_keys_are_enforced(store: Store) -> None:
    with pytest.raises(StoreError, match="constraint failed"), store.writing() as conn:
        conn.execute(
            "INSERT INTO product_spec (product_id, position, name_zh, name_en) "
            "VALUES (999, 0, '颜色', 'Colour')"
        )
    with store.reading() as conn:
        assert (
            conn.execute("SELECT count(*) FROM product_spec WHERE product_id = 999").fetchone()[0]
            == 0
        )


# -- writing() --------------------------------------------------------------------------------


def test_writing_commits(store: Store) -> None:
    with store.writing() as conn:
        assert conn.in_transaction
        conn.execute(INSERT_BRAND, ("committed",))
    assert "committed" in brand_slugs(store)
    other = sqlite3.connect(store.path)
    assert other.execute("SELECT count(*) FROM brand WHERE slug = 'committed'").fetchone() == (1,)
    other.close()


def test_writing_rolls_back_on_error(store: Store) -> None:
    before = brand_slugs(store)

    class Boom(Exception):
        pass

    def insert_then_fail() -> None:
        with store.writing() as conn:
            conn.execute(INSERT_BRAND, ("rolled-back",))
            raise Boom

    with pytest.raises(Boom):
        insert_then_fail()
    assert brand_slugs(store) == before
    assert lock_is_free(store.path)


def test_writing_holds_the_write_lock_from_the_start(store: Store) -> None:
    assert lock_is_free(store.path)
    with store.writing():
        assert not lock_is_free(store.path)  # BEGIN IMMEDIATE, before any statement
    assert lock_is_free(store.path)


def test_transaction_helper(store: Store) -> None:
    conn = store.connect()
    with transaction(conn, immediate=False):
        assert conn.in_transaction
        assert lock_is_free(store.path)  # deferred: no lock until the first write
        conn.execute(INSERT_BRAND, ("deferred",))
        assert not lock_is_free(store.path)
    assert not conn.in_transaction

    def insert_then_fail() -> None:
        with transaction(conn):
            conn.execute(INSERT_BRAND, ("lost",))
            _ = 1 / 0

    with pytest.raises(ZeroDivisionError):
        insert_then_fail()
    assert not conn.in_transaction
    conn.close()
    assert {"deferred"} <= brand_slugs(store)
    assert "lost" not in brand_slugs(store)


# -- reading() --------------------------------------------------------------------------------


def test_reading_reuses_connections(store: Store) -> None:
    with store.reading() as first:
        pass
    with store.reading() as second:
        assert second is first
        with store.reading() as nested:
            assert nested is not second


def test_reading_rolls_back_what_a_borrower_left_open(store: Store) -> None:
    with store.reading() as conn:
        conn.execute("BEGIN")
        conn.execute(INSERT_BRAND, ("left-open",))
    with store.reading() as conn:
        assert not conn.in_transaction
    assert "left-open" not in brand_slugs(store)
    assert lock_is_free(store.path)


def test_connections_after_close_are_not_pooled(store: Store) -> None:
    with store.reading() as conn:
        pass
    store.close()
    with pytest.raises(sqlite3.ProgrammingError):
        conn.execute("SELECT 1")  # the pooled connection was closed
    with store.reading() as late:
        assert late.execute("SELECT count(*) FROM product").fetchone() == (12,)
    with pytest.raises(sqlite3.ProgrammingError):
        late.execute("SELECT 1")


def test_connect_creates_the_folder(tmp_path: Path) -> None:
    store = Store(tmp_path / "a" / "b" / "kstui.db")
    conn = store.connect()
    assert (tmp_path / "a" / "b").is_dir()
    conn.close()
    store.close()


def test_connect_to_something_that_is_no_database(tmp_path: Path) -> None:
    folder = tmp_path / "folder.db"
    folder.mkdir()
    with pytest.raises(StoreError, match=r"folder\.db"):
        Store(folder).connect()
    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(b"\x00garbage" * 1000)
    with pytest.raises(StoreError):
        Store(garbage).connect()


# -- ORM sessions -----------------------------------------------------------------------------


def _statements(store: Store) -> list[str]:
    seen: list[str] = []

    @event.listens_for(store.engine, "before_cursor_execute")
    def _record(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        seen.append(statement)

    return seen


def test_write_session_begins_immediate_and_session_deferred(store: Store) -> None:
    seen = _statements(store)
    with store.write_session() as session:
        session.connection().exec_driver_sql("SELECT 1")
        assert seen[0] == "BEGIN IMMEDIATE"
        assert not lock_is_free(store.path)
        session.commit()
    assert lock_is_free(store.path)
    seen.clear()
    with store.session() as session:
        session.connection().exec_driver_sql("SELECT 1")
        assert seen[0] == "BEGIN"
        assert lock_is_free(store.path)


def test_write_session_commits_and_rolls_back(store: Store) -> None:
    with store.write_session() as session:
        session.connection().exec_driver_sql(INSERT_BRAND, ("orm-kept",))
        session.commit()
    with store.write_session() as session:
        session.connection().exec_driver_sql(INSERT_BRAND, ("orm-dropped",))
        session.rollback()
    with store.write_session() as session:
        session.connection().exec_driver_sql(INSERT_BRAND, ("orm-unfinished",))
    slugs = brand_slugs(store)
    assert "orm-kept" in slugs
    assert "orm-dropped" not in slugs
    assert "orm-unfinished" not in slugs  # closing without commit rolls back
    assert lock_is_free(store.path)


def test_two_write_sessions_queue_instead_of_failing(store: Store) -> None:
    first_in, release, second_in = threading.Event(), threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def first() -> None:
        try:
            with store.write_session() as session:
                # a read first: with a deferred BEGIN this is where the upgrade later fails
                session.connection().exec_driver_sql("SELECT count(*) FROM brand").fetchone()
                first_in.set()
                release.wait(10)
                session.connection().exec_driver_sql(INSERT_BRAND, ("first",))
                session.commit()
        except BaseException as error:
            errors.append(error)
            first_in.set()

    def second() -> None:
        try:
            first_in.wait(10)
            with store.write_session() as session:
                session.connection().exec_driver_sql("SELECT count(*) FROM brand").fetchone()
                second_in.set()
                session.connection().exec_driver_sql(INSERT_BRAND, ("second",))
                session.commit()
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    assert first_in.wait(10)
    # the second session is held at its BEGIN IMMEDIATE while the first one writes
    assert not second_in.wait(0.3)
    release.set()
    for thread in threads:
        thread.join(20)
        assert not thread.is_alive()
    assert errors == []
    assert second_in.is_set()
    assert {"first", "second"} <= brand_slugs(store)


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


def test_times_survive_sqlite(store: Store) -> None:
    moment = datetime(2030, 5, 6, 7, 8, 9, 123456, tzinfo=UTC)
    with store.writing() as conn:
        conn.execute("UPDATE product SET listed_at = ? WHERE id = 1", (db_time(moment),))
    with store.reading() as conn:
        [text] = conn.execute("SELECT listed_at FROM product WHERE id = 1").fetchone()
    assert from_db_time(text) == moment
