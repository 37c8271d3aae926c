"""Migrations 0002 (accounts and security) and 0003 (lockouts) on a store that holds
data at revision 0001."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from kstui.providers.clock import FrozenClock
from kstui.services.accounts.records import account_info
from kstui.store.db import Store, db_time
from kstui.store.errors import StoreError
from kstui.store.migrate import (
    HEAD_REVISION,
    MIGRATIONS_DIR,
    current_revision,
    ensure_schema,
    upgrade,
)
from kstui.store.seed_loader import load_seed
from tests.conftest import NOW

SMALL_SEED = Path(__file__).parents[2] / "fixtures" / "seed_small.json"
NEW_ACCOUNT_COLUMNS = {"second_factor", "payment_password_hash"}
"""Account columns added by 0002 and kept."""
MOVED_ACCOUNT_COLUMNS = {"payment_failures", "payment_locked_until"}
"""Account columns added by 0002 whose counts 0003 moves to the `lockout` table."""
NEW_TABLES = {"sms_code", "sms_message", "account_event", "linked_identity", "login_session"}
"""Tables added by 0002; 0003 adds `lockout`."""
LOCKOUT_COLUMNS = [
    # (name, type, not null, primary key position)
    ("scope", "VARCHAR(16)", 1, 1),
    ("subject", "VARCHAR(32)", 1, 2),
    ("failures", "INTEGER", 1, 0),
    ("locked_until", "DATETIME", 0, 0),
]
LINK_CONSTRAINT = "uq_linked_identity_account_provider"
AT = db_time(NOW)
LOCKED_UNTIL = db_time(NOW + timedelta(minutes=30))
INSERT_LINK = (
    "INSERT INTO linked_identity (account_id, provider, subject, nickname, linked_at)"
    " VALUES (?, ?, ?, ?, ?)"
)


def rows(conn: sqlite3.Connection, table: str) -> dict[int, dict[str, object]]:
    cursor = conn.execute(f"SELECT * FROM {table} ORDER BY id")
    names = [d[0] for d in cursor.description]
    return {row[0]: dict(zip(names, row, strict=True)) for row in cursor}


def tables(conn: sqlite3.Connection) -> set[str]:
    """The tables of the store (a query of the schema: it also makes `conn` see a schema
    changed by another connection, which PRAGMAs alone do not)."""
    return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def columns(conn: sqlite3.Connection, table: str) -> set[str]:
    return {r[1] for r in conn.execute(f"PRAGMA table_info({table})")}


def table_sql(conn: sqlite3.Connection, table: str) -> str:
    row = conn.execute("SELECT sql FROM sqlite_master WHERE name = ?", (table,)).fetchone()
    return str(row[0])


def lockouts(conn: sqlite3.Connection) -> list[tuple[object, ...]]:
    return conn.execute("SELECT * FROM lockout ORDER BY scope, subject").fetchall()


def payment_counters(conn: sqlite3.Connection) -> list[tuple[object, ...]]:
    query = "SELECT id, payment_failures, payment_locked_until FROM account ORDER BY id"
    return conn.execute(query).fetchall()


def unique_column_sets(conn: sqlite3.Connection, table: str) -> set[tuple[str, ...]]:
    found = set()
    for _, name, unique, *_ in conn.execute(f"PRAGMA index_list({table})"):
        if unique:
            info = conn.execute(f"PRAGMA index_info({name})").fetchall()
            found.add(tuple(col for *_, col in sorted(info)))
    return found


def downgrade(store: Store, target: str) -> None:
    """Run the Alembic downgrades to `target` (kstui itself only ever upgrades)."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    with store.engine.execution_options(kstui_immediate=True).begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, target)


@pytest.fixture
def old_store(tmp_path: Path, clock: FrozenClock) -> Iterator[Store]:
    """A store at 0001, holding the small seed as far as 0001 can (loaded at the newest
    revision, which the loader writes, then taken back down)."""
    store = Store(tmp_path / "old.db")
    upgrade(store, "head")
    report = load_seed(store, SMALL_SEED, clock=clock)
    assert (report.loaded, report.accounts) == (True, 3)
    downgrade(store, "0001")
    yield store
    store.close()


@pytest.fixture
def store_0002(old_store: Store) -> Store:
    """The same store at 0002, as the accounts release left it."""
    upgrade(old_store, "0002")
    return old_store


def test_store_starts_at_0001(old_store: Store) -> None:
    with old_store.reading() as conn:
        assert current_revision(conn) == "0001"
        assert not (NEW_TABLES | {"lockout"}) & tables(conn)
        assert not (NEW_ACCOUNT_COLUMNS | MOVED_ACCOUNT_COLUMNS) & columns(conn, "account")


def test_upgrade_keeps_accounts_and_products(old_store: Store) -> None:
    with old_store.reading() as conn:
        accounts_before = rows(conn, "account")
        products_before = rows(conn, "product")
        skus_before = rows(conn, "sku")
    assert len(accounts_before) == 3
    assert len(products_before) == 12

    assert ensure_schema(old_store) is True

    with old_store.reading() as conn:
        assert current_revision(conn) == HEAD_REVISION
        assert tables(conn) >= NEW_TABLES | {"lockout"}
        accounts_after = rows(conn, "account")
        assert rows(conn, "product") == products_before
        assert rows(conn, "sku") == skus_before
        assert lockouts(conn) == []
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert accounts_after.keys() == accounts_before.keys()
    for key, before in accounts_before.items():
        after = accounts_after[key]
        assert {k: v for k, v in after.items() if k not in NEW_ACCOUNT_COLUMNS} == before
        assert {k: after[k] for k in NEW_ACCOUNT_COLUMNS} == {
            "second_factor": 0,
            "payment_password_hash": None,
        }
        assert type(after["second_factor"]) is int
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
    with pytest.raises(StoreError, match="constraint failed"), old_store.writing() as conn:
        conn.execute("UPDATE account SET id_number = ? WHERE phone = '13900139000'", (taken[0],))
    with old_store.writing() as conn:  # several accounts may still have no ID number
        conn.execute(
            "INSERT INTO account (phone, nickname, password_hash, role, created_at)"
            " VALUES ('13700137000', '新用户', 'x', 'shopper', '2026-11-22 02:00:00.000000')"
        )
        unverified = conn.execute("SELECT count(*) FROM account WHERE id_number IS NULL")
        assert unverified.fetchone() == (2,)
        second_factor, payment_hash = conn.execute(
            "SELECT second_factor, payment_password_hash FROM account WHERE phone = '13700137000'"
        ).fetchone()
    assert (second_factor, payment_hash) == (0, None)


# -- 0003: lockouts ---------------------------------------------------------------------------


def test_0002_counts_payment_failures_in_the_account(store_0002: Store) -> None:
    with store_0002.reading() as conn:
        assert current_revision(conn) == "0002"
        assert "lockout" not in tables(conn)
        assert columns(conn, "account") >= NEW_ACCOUNT_COLUMNS | MOVED_ACCOUNT_COLUMNS
        assert payment_counters(conn) == [(1, 0, None), (2, 0, None), (3, 0, None)]


def test_upgrade_creates_the_lockout_table(old_store: Store, store: Store) -> None:
    ensure_schema(old_store)
    for each in (old_store, store):
        with each.reading() as conn:
            assert "lockout" in tables(conn)
            info = conn.execute("PRAGMA table_info(lockout)").fetchall()
            assert [(name, kind, notnull, pk) for _, name, kind, notnull, _, pk in info] == (
                LOCKOUT_COLUMNS
            )
            assert not MOVED_ACCOUNT_COLUMNS & columns(conn, "account")
    with old_store.writing() as conn:
        conn.execute("INSERT INTO lockout VALUES ('password', '13800138000', 1, NULL)")
        conn.execute("INSERT INTO lockout VALUES ('payment', '13800138000', 1, NULL)")
    with pytest.raises(StoreError, match="constraint failed"), old_store.writing() as conn:
        conn.execute("INSERT INTO lockout VALUES ('password', '13800138000', 2, NULL)")
    with pytest.raises(StoreError, match="constraint failed"), old_store.writing() as conn:
        conn.execute("INSERT INTO lockout VALUES ('password', '13700137000', NULL, NULL)")


def test_upgrade_moves_the_payment_counters(store_0002: Store) -> None:
    with store_0002.writing() as conn:
        conn.execute("UPDATE account SET payment_failures = 3 WHERE id = 1")
        conn.execute("UPDATE account SET payment_locked_until = ? WHERE id = 2", (LOCKED_UNTIL,))

    assert ensure_schema(store_0002) is True

    with store_0002.reading() as conn:
        assert current_revision(conn) == HEAD_REVISION
        assert lockouts(conn) == [("payment", "1", 3, None), ("payment", "2", 0, LOCKED_UNTIL)]
        assert not MOVED_ACCOUNT_COLUMNS & columns(conn, "account")
        assert account_info(conn, 2).payment_locked_until == NOW + timedelta(minutes=30)
        assert account_info(conn, 3).payment_locked_until is None


def test_downgrade_gives_the_counters_back(store_0002: Store) -> None:
    ensure_schema(store_0002)
    with store_0002.writing() as conn:
        conn.execute("INSERT INTO lockout VALUES ('payment', '1', 2, NULL)")
        conn.execute("INSERT INTO lockout VALUES ('payment', '2', 0, ?)", (LOCKED_UNTIL,))
        conn.execute("INSERT INTO lockout VALUES ('password', '13800138000', 4, NULL)")
        # A password count whose subject looks like an account id is no payment count.
        conn.execute("INSERT INTO lockout VALUES ('password', '3', 4, NULL)")

    downgrade(store_0002, "0002")

    with store_0002.reading() as conn:
        assert current_revision(conn) == "0002"
        assert "lockout" not in tables(conn)
        assert payment_counters(conn) == [(1, 2, None), (2, 0, LOCKED_UNTIL), (3, 0, None)]
        assert LINK_CONSTRAINT not in table_sql(conn, "linked_identity")
        assert unique_column_sets(conn, "linked_identity") == {("provider", "subject")}
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_downgrade_removes_what_0002_and_0003_added(old_store: Store) -> None:
    with old_store.reading() as conn:
        accounts_before = rows(conn, "account")
    ensure_schema(old_store)

    downgrade(old_store, "0001")

    with old_store.reading() as conn:
        assert current_revision(conn) == "0001"
        assert not (NEW_TABLES | {"lockout"}) & tables(conn)
        assert not (NEW_ACCOUNT_COLUMNS | MOVED_ACCOUNT_COLUMNS) & columns(conn, "account")
        assert rows(conn, "account") == accounts_before
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert ensure_schema(old_store) is True  # and up again
    with old_store.reading() as conn:
        assert "lockout" in tables(conn)
        assert lockouts(conn) == []


def test_one_linked_identity_per_account_and_provider(old_store: Store, store: Store) -> None:
    ensure_schema(old_store)
    with old_store.reading() as conn:
        assert "provider IN ('wechat', 'qq')" in table_sql(conn, LINK_CONSTRAINT)
        migrated = unique_column_sets(conn, "linked_identity")
    with store.reading() as conn:
        assert "provider IN ('wechat', 'qq')" in table_sql(conn, LINK_CONSTRAINT)
        assert unique_column_sets(conn, "linked_identity") == migrated
    assert migrated == {("account_id", "provider"), ("provider", "subject")}

    with old_store.writing() as conn:
        conn.execute(INSERT_LINK, (1, "wechat", "wechat-a", "微信用户a", AT))
        conn.execute(INSERT_LINK, (1, "qq", "qq-a", "QQ用户a", AT))
        conn.execute(INSERT_LINK, (2, "wechat", "wechat-b", "微信用户b", AT))
    by_provider = "account_id, linked_identity.provider"
    with pytest.raises(StoreError, match=by_provider), old_store.writing() as conn:
        conn.execute(INSERT_LINK, (1, "wechat", "wechat-c", "微信用户c", AT))
    by_subject = "provider, linked_identity.subject"
    with pytest.raises(StoreError, match=by_subject), old_store.writing() as conn:
        conn.execute(INSERT_LINK, (3, "wechat", "wechat-a", "微信用户a", AT))
    with old_store.writing() as conn:  # other kinds (SSH keys, later) may be many
        conn.execute(INSERT_LINK, (1, "ssh", "key-a", "laptop", AT))
        conn.execute(INSERT_LINK, (1, "ssh", "key-b", "desktop", AT))
    with old_store.reading() as conn:
        assert conn.execute("SELECT count(*) FROM linked_identity").fetchone() == (5,)


def test_upgrade_keeps_the_first_of_two_links_of_a_kind(store_0002: Store) -> None:
    """Before 0003 an account could link two 微信 accounts; the first one stays."""
    with store_0002.writing() as conn:
        conn.execute(INSERT_LINK, (1, "wechat", "wechat-a", "微信用户a", AT))
        conn.execute(INSERT_LINK, (1, "wechat", "wechat-b", "微信用户b", AT))
        conn.execute(INSERT_LINK, (1, "qq", "qq-a", "QQ用户a", AT))
        conn.execute(INSERT_LINK, (2, "wechat", "wechat-c", "微信用户c", AT))
    ensure_schema(store_0002)
    with store_0002.reading() as conn:
        kept = conn.execute(
            "SELECT account_id, subject FROM linked_identity ORDER BY id"
        ).fetchall()
    assert kept == [(1, "wechat-a"), (1, "qq-a"), (2, "wechat-c")]


def test_upgrade_from_0002_keeps_account_history(store_0002: Store) -> None:
    """A 0002 store that was used: sessions, events, a linked 微信 account."""
    with store_0002.writing() as conn:
        conn.execute(
            "INSERT INTO account_event (account_id, kind, at, detail) VALUES (1, 'login', ?, '')",
            (AT,),
        )
        conn.execute(INSERT_LINK, (1, "wechat", "wechat-a", "微信用户a", AT))
        before = {t: rows(conn, t) for t in ("account", "account_event", "linked_identity")}

    ensure_schema(store_0002)

    with store_0002.reading() as conn:
        assert current_revision(conn) == HEAD_REVISION
        after = {t: rows(conn, t) for t in ("account_event", "linked_identity")}
        assert after == {t: before[t] for t in after}
        assert rows(conn, "account").keys() == before["account"].keys()
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
