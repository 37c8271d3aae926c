"""Migrations 0002 (accounts and security) and 0003 (lockouts) on a store that holds
data at revision 0001.

These tests look at SQLite's own schema (`sqlite_master`, PRAGMAs): they run on SQLite
stores only (`sqlite_store`, and stores of their own files).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from kstui.providers.clock import FrozenClock
from kstui.services.accounts.records import account_info
from kstui.store.errors import StoreError, UniqueViolation
from kstui.store.interface import Transaction
from kstui.store.migrate import (
    HEAD_REVISION,
    MIGRATIONS_DIR,
    current_revision,
    ensure_schema,
    upgrade,
)
from kstui.store.seed_loader import load_seed
from kstui.store.sqlite import SqliteStore, db_time
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
    " VALUES (:account_id, :provider, :subject, :nickname, :linked_at)"
)


def link(tx: Transaction, account_id: int, provider: str, subject: str, nickname: str) -> None:
    tx.execute(
        INSERT_LINK,
        account_id=account_id,
        provider=provider,
        subject=subject,
        nickname=nickname,
        linked_at=AT,
    )


def rows(tx: Transaction, table: str) -> dict[int, dict[str, object]]:
    names = [r[1] for r in tx.fetch_all(f"PRAGMA table_info({table})")]
    found = tx.fetch_all(f"SELECT {', '.join(names)} FROM {table} ORDER BY id")
    return {row[0]: dict(zip(names, row, strict=True)) for row in found}


def tables(tx: Transaction) -> set[str]:
    """The tables of the store (a query of the schema: it also makes `tx` see a schema
    changed by another connection, which PRAGMAs alone do not)."""
    return {r[0] for r in tx.fetch_all("SELECT name FROM sqlite_master WHERE type = 'table'")}


def columns(tx: Transaction, table: str) -> set[str]:
    return {r[1] for r in tx.fetch_all(f"PRAGMA table_info({table})")}


def table_sql(tx: Transaction, table: str) -> str:
    return str(tx.fetch_value("SELECT sql FROM sqlite_master WHERE name = :name", name=table))


def lockouts(tx: Transaction) -> list[tuple[object, ...]]:
    return tx.fetch_all(
        "SELECT scope, subject, failures, locked_until FROM lockout ORDER BY scope, subject"
    )


def payment_counters(tx: Transaction) -> list[tuple[object, ...]]:
    return tx.fetch_all(
        "SELECT id, payment_failures, payment_locked_until FROM account ORDER BY id"
    )


def unique_column_sets(tx: Transaction, table: str) -> set[tuple[str, ...]]:
    found = set()
    for _, name, unique, *_ in tx.fetch_all(f"PRAGMA index_list({table})"):
        if unique:
            info = tx.fetch_all(f"PRAGMA index_info({name})")
            found.add(tuple(col for *_, col in sorted(info)))
    return found


def downgrade(store: SqliteStore, target: str) -> None:
    """Run the Alembic downgrades to `target` (kstui itself only ever upgrades), in one
    transaction (the SQLite engine's `begin` emits `BEGIN IMMEDIATE`)."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    with store.sqlalchemy_engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, target)


@pytest.fixture
def old_store(tmp_path: Path, clock: FrozenClock) -> Iterator[SqliteStore]:
    """A store at 0001, holding the small seed as far as 0001 can (loaded at the newest
    revision, which the loader writes, then taken back down)."""
    store = SqliteStore(tmp_path / "old.db")
    upgrade(store, "head")
    report = load_seed(store, SMALL_SEED, clock=clock)
    assert (report.loaded, report.accounts) == (True, 3)
    downgrade(store, "0001")
    yield store
    store.close()


@pytest.fixture
def store_0002(old_store: SqliteStore) -> SqliteStore:
    """The same store at 0002, as the accounts release left it."""
    upgrade(old_store, "0002")
    return old_store


def test_store_starts_at_0001(old_store: SqliteStore) -> None:
    with old_store.reading() as tx:
        assert current_revision(tx) == "0001"
        assert not (NEW_TABLES | {"lockout"}) & tables(tx)
        assert not (NEW_ACCOUNT_COLUMNS | MOVED_ACCOUNT_COLUMNS) & columns(tx, "account")


def test_upgrade_keeps_accounts_and_products(old_store: SqliteStore) -> None:
    with old_store.reading() as tx:
        accounts_before = rows(tx, "account")
        products_before = rows(tx, "product")
        skus_before = rows(tx, "sku")
    assert len(accounts_before) == 3
    assert len(products_before) == 12

    assert ensure_schema(old_store) is True

    with old_store.reading() as tx:
        assert current_revision(tx) == HEAD_REVISION
        assert tables(tx) >= NEW_TABLES | {"lockout"}
        accounts_after = rows(tx, "account")
        assert rows(tx, "product") == products_before
        assert rows(tx, "sku") == skus_before
        assert lockouts(tx) == []
        assert tx.fetch_all("PRAGMA foreign_key_check") == []
        assert tx.fetch_one("PRAGMA integrity_check") == ("ok",)
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


def test_upgraded_account_table_is_unique_on_id_number(
    old_store: SqliteStore, sqlite_store: SqliteStore
) -> None:
    ensure_schema(old_store)
    with old_store.reading() as tx:
        migrated = unique_column_sets(tx, "account")
    with sqlite_store.reading() as tx:
        fresh = unique_column_sets(tx, "account")
    assert ("id_number",) in migrated
    assert ("phone",) in migrated
    assert migrated == fresh

    with old_store.writing() as tx:
        taken = tx.fetch_value("SELECT id_number FROM account WHERE phone = '13800138000'")
    with pytest.raises(UniqueViolation) as caught, old_store.writing() as tx:
        tx.execute("UPDATE account SET id_number = :taken WHERE phone = '13900139000'", taken=taken)
    assert caught.value.is_on("account", "id_number")
    with old_store.writing() as tx:  # several accounts may still have no ID number
        tx.execute(
            "INSERT INTO account (phone, nickname, password_hash, role, created_at)"
            " VALUES ('13700137000', '新用户', 'x', 'shopper', '2026-11-22 02:00:00.000000')"
        )
        assert tx.fetch_value("SELECT count(*) FROM account WHERE id_number IS NULL") == 2
        new_account = tx.fetch_one(
            "SELECT second_factor, payment_password_hash FROM account WHERE phone = '13700137000'"
        )
    assert new_account == (0, None)


# -- 0003: lockouts ---------------------------------------------------------------------------


def test_0002_counts_payment_failures_in_the_account(store_0002: SqliteStore) -> None:
    with store_0002.reading() as tx:
        assert current_revision(tx) == "0002"
        assert "lockout" not in tables(tx)
        assert columns(tx, "account") >= NEW_ACCOUNT_COLUMNS | MOVED_ACCOUNT_COLUMNS
        assert payment_counters(tx) == [(1, 0, None), (2, 0, None), (3, 0, None)]


def test_upgrade_creates_the_lockout_table(
    old_store: SqliteStore, sqlite_store: SqliteStore
) -> None:
    ensure_schema(old_store)
    for each in (old_store, sqlite_store):
        with each.reading() as tx:
            assert "lockout" in tables(tx)
            info = tx.fetch_all("PRAGMA table_info(lockout)")
            assert [(name, kind, notnull, pk) for _, name, kind, notnull, _, pk in info] == (
                LOCKOUT_COLUMNS
            )
            assert not MOVED_ACCOUNT_COLUMNS & columns(tx, "account")
    with old_store.writing() as tx:
        tx.execute("INSERT INTO lockout VALUES ('password', '13800138000', 1, NULL)")
        tx.execute("INSERT INTO lockout VALUES ('payment', '13800138000', 1, NULL)")
    with pytest.raises(UniqueViolation) as caught, old_store.writing() as tx:
        tx.execute("INSERT INTO lockout VALUES ('password', '13800138000', 2, NULL)")
    assert caught.value.is_on("lockout", "scope", "subject")
    with pytest.raises(StoreError, match="NOT NULL constraint failed"), old_store.writing() as tx:
        tx.execute("INSERT INTO lockout VALUES ('password', '13700137000', NULL, NULL)")


def test_upgrade_moves_the_payment_counters(store_0002: SqliteStore) -> None:
    with store_0002.writing() as tx:
        tx.execute("UPDATE account SET payment_failures = 3 WHERE id = 1")
        tx.execute(
            "UPDATE account SET payment_locked_until = :until WHERE id = 2", until=LOCKED_UNTIL
        )

    assert ensure_schema(store_0002) is True

    with store_0002.reading() as tx:
        assert current_revision(tx) == HEAD_REVISION
        assert lockouts(tx) == [("payment", "1", 3, None), ("payment", "2", 0, LOCKED_UNTIL)]
        assert not MOVED_ACCOUNT_COLUMNS & columns(tx, "account")
        assert account_info(tx, 2).payment_locked_until == NOW + timedelta(minutes=30)
        assert account_info(tx, 3).payment_locked_until is None


def test_downgrade_gives_the_counters_back(store_0002: SqliteStore) -> None:
    ensure_schema(store_0002)
    with store_0002.writing() as tx:
        tx.execute("INSERT INTO lockout VALUES ('payment', '1', 2, NULL)")
        tx.execute("INSERT INTO lockout VALUES ('payment', '2', 0, :until)", until=LOCKED_UNTIL)
        tx.execute("INSERT INTO lockout VALUES ('password', '13800138000', 4, NULL)")
        # A password count whose subject looks like an account id is no payment count.
        tx.execute("INSERT INTO lockout VALUES ('password', '3', 4, NULL)")

    downgrade(store_0002, "0002")

    with store_0002.reading() as tx:
        assert current_revision(tx) == "0002"
        assert "lockout" not in tables(tx)
        assert payment_counters(tx) == [(1, 2, None), (2, 0, LOCKED_UNTIL), (3, 0, None)]
        assert LINK_CONSTRAINT not in table_sql(tx, "linked_identity")
        assert unique_column_sets(tx, "linked_identity") == {("provider", "subject")}
        assert tx.fetch_one("PRAGMA integrity_check") == ("ok",)


def test_downgrade_removes_what_0002_and_0003_added(old_store: SqliteStore) -> None:
    with old_store.reading() as tx:
        accounts_before = rows(tx, "account")
    ensure_schema(old_store)

    downgrade(old_store, "0001")

    with old_store.reading() as tx:
        assert current_revision(tx) == "0001"
        assert not (NEW_TABLES | {"lockout"}) & tables(tx)
        assert not (NEW_ACCOUNT_COLUMNS | MOVED_ACCOUNT_COLUMNS) & columns(tx, "account")
        assert rows(tx, "account") == accounts_before
        assert tx.fetch_one("PRAGMA integrity_check") == ("ok",)
    assert ensure_schema(old_store) is True  # and up again
    with old_store.reading() as tx:
        assert "lockout" in tables(tx)
        assert lockouts(tx) == []


def test_one_linked_identity_per_account_and_provider(
    old_store: SqliteStore, sqlite_store: SqliteStore
) -> None:
    ensure_schema(old_store)
    with old_store.reading() as tx:
        assert "provider IN ('wechat', 'qq')" in table_sql(tx, LINK_CONSTRAINT)
        migrated = unique_column_sets(tx, "linked_identity")
    with sqlite_store.reading() as tx:
        assert "provider IN ('wechat', 'qq')" in table_sql(tx, LINK_CONSTRAINT)
        assert unique_column_sets(tx, "linked_identity") == migrated
    assert migrated == {("account_id", "provider"), ("provider", "subject")}

    with old_store.writing() as tx:
        link(tx, 1, "wechat", "wechat-a", "微信用户a")
        link(tx, 1, "qq", "qq-a", "QQ用户a")
        link(tx, 2, "wechat", "wechat-b", "微信用户b")
    with pytest.raises(UniqueViolation) as by_provider, old_store.writing() as tx:
        link(tx, 1, "wechat", "wechat-c", "微信用户c")
    assert by_provider.value.is_on("linked_identity", "account_id", "provider")
    with pytest.raises(UniqueViolation) as by_subject, old_store.writing() as tx:
        link(tx, 3, "wechat", "wechat-a", "微信用户a")
    assert by_subject.value.is_on("linked_identity", "provider", "subject")
    with old_store.writing() as tx:  # other kinds (SSH keys, later) may be many
        link(tx, 1, "ssh", "key-a", "laptop")
        link(tx, 1, "ssh", "key-b", "desktop")
    with old_store.reading() as tx:
        assert tx.fetch_value("SELECT count(*) FROM linked_identity") == 5


def test_upgrade_keeps_the_first_of_two_links_of_a_kind(store_0002: SqliteStore) -> None:
    """Before 0003 an account could link two 微信 accounts; the first one stays."""
    with store_0002.writing() as tx:
        link(tx, 1, "wechat", "wechat-a", "微信用户a")
        link(tx, 1, "wechat", "wechat-b", "微信用户b")
        link(tx, 1, "qq", "qq-a", "QQ用户a")
        link(tx, 2, "wechat", "wechat-c", "微信用户c")
    ensure_schema(store_0002)
    with store_0002.reading() as tx:
        kept = tx.fetch_all("SELECT account_id, subject FROM linked_identity ORDER BY id")
    assert kept == [(1, "wechat-a"), (1, "qq-a"), (2, "wechat-c")]


def test_upgrade_from_0002_keeps_account_history(store_0002: SqliteStore) -> None:
    """A 0002 store that was used: sessions, events, a linked 微信 account."""
    with store_0002.writing() as tx:
        tx.execute(
            "INSERT INTO account_event (account_id, kind, at, detail) VALUES (1, 'login', :at, '')",
            at=AT,
        )
        link(tx, 1, "wechat", "wechat-a", "微信用户a")
        before = {t: rows(tx, t) for t in ("account", "account_event", "linked_identity")}

    ensure_schema(store_0002)

    with store_0002.reading() as tx:
        assert current_revision(tx) == HEAD_REVISION
        after = {t: rows(tx, t) for t in ("account_event", "linked_identity")}
        assert after == {t: before[t] for t in after}
        assert rows(tx, "account").keys() == before["account"].keys()
        assert tx.fetch_all("PRAGMA foreign_key_check") == []
