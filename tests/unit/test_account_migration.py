"""Migration 0002 (accounts and security) on a store that holds data at revision 0001."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from kstui.providers.clock import FrozenClock
from kstui.store.db import Store
from kstui.store.migrate import HEAD_REVISION, current_revision, ensure_schema, upgrade
from kstui.store.seed_loader import load_seed

SMALL_SEED = Path(__file__).parent.parent / "fixtures" / "seed_small.json"
NEW_ACCOUNT_COLUMNS = {
    "second_factor",
    "payment_password_hash",
    "payment_failures",
    "payment_locked_until",
}
NEW_TABLES = {"sms_code", "sms_message", "account_event", "linked_identity", "login_session"}


def rows(conn: sqlite3.Connection, table: str) -> dict[int, dict[str, object]]:
    cursor = conn.execute(f"SELECT * FROM {table} ORDER BY id")
    names = [d[0] for d in cursor.description]
    return {row[0]: dict(zip(names, row, strict=True)) for row in cursor}


def tables(conn: sqlite3.Connection) -> set[str]:
    return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def unique_column_sets(conn: sqlite3.Connection, table: str) -> set[tuple[str, ...]]:
    found = set()
    for _, name, unique, *_ in conn.execute(f"PRAGMA index_list({table})"):
        if unique:
            info = conn.execute(f"PRAGMA index_info({name})").fetchall()
            found.add(tuple(col for *_, col in sorted(info)))
    return found


@pytest.fixture
def old_store(tmp_path: Path, clock: FrozenClock) -> Iterator[Store]:
    """A store migrated to 0001 only, holding the small seed."""
    store = Store(tmp_path / "old.db")
    upgrade(store, "0001")
    report = load_seed(store, SMALL_SEED, clock=clock)
    assert (report.loaded, report.accounts) == (True, 3)
    yield store
    store.close()


def test_store_starts_at_0001(old_store: Store) -> None:
    with old_store.reading() as conn:
        assert current_revision(conn) == "0001"
        assert not NEW_TABLES & tables(conn)
        columns = {r[1] for r in conn.execute("PRAGMA table_info(account)")}
    assert not NEW_ACCOUNT_COLUMNS & columns


def test_upgrade_keeps_accounts_and_products(old_store: Store) -> None:
    with old_store.reading() as conn:
        accounts_before = rows(conn, "account")
        products_before = rows(conn, "product")
        skus_before = rows(conn, "sku")
    assert len(accounts_before) == 3
    assert len(products_before) == 12

    assert ensure_schema(old_store) is True

    with old_store.reading() as conn:
        assert current_revision(conn) == HEAD_REVISION == "0002"
        assert tables(conn) >= NEW_TABLES
        accounts_after = rows(conn, "account")
        assert rows(conn, "product") == products_before
        assert rows(conn, "sku") == skus_before
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert accounts_after.keys() == accounts_before.keys()
    for key, before in accounts_before.items():
        after = accounts_after[key]
        assert {k: v for k, v in after.items() if k not in NEW_ACCOUNT_COLUMNS} == before
        assert {k: after[k] for k in NEW_ACCOUNT_COLUMNS} == {
            "second_factor": 0,
            "payment_password_hash": None,
            "payment_failures": 0,
            "payment_locked_until": None,
        }
        assert type(after["payment_failures"]) is int
    assert ensure_schema(old_store) is False


def test_upgraded_account_table_is_unique_on_id_number(old_store: Store, store: Store) -> None:
    ensure_schema(old_store)
    with old_store.reading() as conn:
        migrated = unique_column_sets(conn, "account")
    with store.reading() as conn:
        fresh = unique_column_sets(conn, "account")
    assert ("id_number",) in migrated
    assert ("phone",) in migrated
    assert migrated == fresh

    with old_store.writing() as conn:
        taken = conn.execute("SELECT id_number FROM account WHERE phone = '13800138000'").fetchone()
    with pytest.raises(sqlite3.IntegrityError), old_store.writing() as conn:
        conn.execute("UPDATE account SET id_number = ? WHERE phone = '13900139000'", (taken[0],))
    with old_store.writing() as conn:  # several accounts may still have no ID number
        conn.execute(
            "INSERT INTO account (phone, nickname, password_hash, role, created_at)"
            " VALUES ('13700137000', '新用户', 'x', 'shopper', '2026-11-22 02:00:00.000000')"
        )
        unverified = conn.execute("SELECT count(*) FROM account WHERE id_number IS NULL")
        assert unverified.fetchone() == (2,)
        second_factor, failures = conn.execute(
            "SELECT second_factor, payment_failures FROM account WHERE phone = '13700137000'"
        ).fetchone()
    assert (second_factor, failures) == (0, 0)
