"""A full disk: the write is rolled back whole and reported as `StoreFull` (what the
shopper is told: the disk is full and nothing was lost), never as "something went wrong".

SQLite's `max_page_count` makes the store "full" for real: the next page it would need
is refused with SQLITE_FULL, the error a full disk gives.
"""

from __future__ import annotations

import sqlite3

import pytest

from kstui.store import sqlite
from kstui.store.errors import StoreFull
from kstui.store.sqlite import SqliteStore

BIG = "x" * 200_000  # needs overflow pages: more than the store may grow


@pytest.fixture
def full(sqlite_store: SqliteStore, monkeypatch: pytest.MonkeyPatch) -> SqliteStore:
    """The store with no room to grow (its connections may not add a page)."""
    with sqlite_store.reading() as tx:
        pages = int(tx.fetch_value("PRAGMA page_count"))
    sqlite_store.close()
    monkeypatch.setattr(sqlite, "PRAGMAS", (*sqlite.PRAGMAS, f"PRAGMA max_page_count={pages}"))
    return SqliteStore(sqlite_store.path)


def test_a_write_that_needs_room_is_store_full_and_leaves_nothing(full: SqliteStore) -> None:
    with full.reading() as tx:
        brands = tx.fetch_value("SELECT count(*) FROM brand")
        sales = tx.fetch_value("SELECT sales FROM product WHERE id = 1")

    def write() -> None:
        with full.writing() as tx:
            tx.execute("UPDATE product SET sales = sales + 1 WHERE id = 1")
            tx.execute(
                "INSERT INTO brand (slug, name_zh, name_en) VALUES ('big', :z, 'Big')", z=BIG
            )

    with pytest.raises(StoreFull) as caught:
        write()
    assert caught.value.message_key == "app.error.disk_full"
    with full.reading() as tx:
        assert tx.fetch_value("SELECT count(*) FROM brand") == brands
        assert tx.fetch_value("SELECT sales FROM product WHERE id = 1") == sales  # rolled back
    conn = sqlite3.connect(full.path)
    assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    conn.close()
    full.close()


def test_the_message_says_the_disk_is_full_and_nothing_was_lost() -> None:
    from kstui.i18n import Translator

    assert "磁盘已满" in Translator("zh")("app.error.disk_full")
    assert "完好" in Translator("zh")("app.error.disk_full")
    assert "nothing was lost" in Translator("en")("app.error.disk_full")
