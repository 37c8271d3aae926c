"""The store interface, the same on both engines: transactions, rows changed, new ids,
typed unique violations, times, booleans, `IN` lists, cancellable reads, and conditional
updates that stay exact under real concurrency."""

from __future__ import annotations

import threading
import time
from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from kstui.store.errors import ReadCancelled, StoreError, UniqueViolation
from kstui.store.interface import Store, from_db_date, from_db_time, in_list, parameter_names

INSERT_BRAND = "INSERT INTO brand (slug, name_zh, name_en) VALUES (:slug, '测', :en)"


def slugs(store: Store) -> set[str]:
    with store.reading() as tx:
        return {str(r[0]) for r in tx.fetch_all("SELECT slug FROM brand")}


def test_the_transaction_names_its_engine(store: Store, engine: str) -> None:
    assert store.engine == engine
    with store.reading() as tx:
        assert tx.engine == engine
    with store.writing() as tx:
        assert tx.engine == engine
    assert not store.read_only


def test_writing_commits_and_insert_returns_the_new_id(store: Store) -> None:
    with store.writing() as tx:
        first = tx.insert(INSERT_BRAND, slug="one", en="One")
        second = tx.insert(INSERT_BRAND, slug="two", en="Two")
    assert second == first + 1
    with store.reading() as tx:
        assert tx.fetch_one("SELECT slug, name_en FROM brand WHERE id = :id", id=first) == (
            "one",
            "One",
        )


def test_an_exception_rolls_the_whole_block_back(store: Store) -> None:
    before = slugs(store)

    def insert_then_fail() -> None:
        with store.writing() as tx:
            tx.insert(INSERT_BRAND, slug="lost", en="Lost")
            _ = 1 / 0

    with pytest.raises(ZeroDivisionError):
        insert_then_fail()
    assert slugs(store) == before


def test_execute_counts_the_rows_it_changed(store: Store) -> None:
    with store.writing() as tx:
        assert tx.execute("UPDATE product SET sales = sales + 1 WHERE shop_id = :s", s=1) == 5
        assert tx.execute("UPDATE product SET sales = 0 WHERE id = :id", id=10**9) == 0
        assert tx.execute("SELECT 1") in (0, -1, 1)  # a SELECT changes nothing (engine's count)


def test_fetch_value_one_and_all(store: Store) -> None:
    with store.reading() as tx:
        assert tx.fetch_value("SELECT count(*) FROM product") == 12
        assert tx.fetch_value("SELECT id FROM product WHERE id = :id", id=-5) is None
        assert tx.fetch_one("SELECT id FROM product WHERE id = :id", id=-5) is None
        rows = tx.fetch_all("SELECT id FROM product ORDER BY id LIMIT :n", n=3)
        assert rows == [(1,), (2,), (3,)]
        assert isinstance(rows[0], tuple)


def test_a_parameter_may_appear_twice_and_percent_signs_are_literal(store: Store) -> None:
    with store.writing() as tx:
        tx.insert(INSERT_BRAND, slug="pct", en="100% cotton")
    with store.reading() as tx:
        found = tx.fetch_all(
            "SELECT slug FROM brand WHERE name_en LIKE '%cotton' AND (id = :id OR :id IS NULL)",
            id=None,
        )
    assert found == [("pct",)]


def test_a_duplicate_key_is_a_typed_unique_violation(store: Store) -> None:
    with store.writing() as tx:
        tx.insert(INSERT_BRAND, slug="dup", en="Dup")
    with pytest.raises(UniqueViolation) as caught, store.writing() as tx:
        tx.insert(INSERT_BRAND, slug="dup", en="Again")
    assert caught.value.table == "brand"
    assert caught.value.columns == ("slug",)
    assert caught.value.is_on("brand", "slug")
    assert not caught.value.is_on("brand", "name_en")
    assert isinstance(caught.value, StoreError)
    assert slugs(store) >= {"dup"}


def test_on_conflict_do_nothing_lets_the_transaction_go_on(store: Store) -> None:
    with store.writing() as tx:
        tx.insert(INSERT_BRAND, slug="once", en="Once")
        again = tx.fetch_one(
            "INSERT INTO brand (slug, name_zh, name_en) VALUES (:slug, '测', 'x')"
            " ON CONFLICT (slug) DO NOTHING RETURNING id",
            slug="once",
        )
        assert again is None
        assert tx.insert(INSERT_BRAND, slug="after", en="After") > 0
    assert {"once", "after"} <= slugs(store)


def test_a_multi_column_unique_key_names_its_columns(store: Store) -> None:
    with pytest.raises(UniqueViolation) as caught, store.writing() as tx:
        tx.execute(
            "INSERT INTO shipping_rate (shop_id, province, fee) VALUES (1, '65', 100)"
            " , (1, '65', 200)"
        )
    assert caught.value.is_on("shipping_rate", "shop_id", "province")


def test_times_go_in_aware_and_come_back_as_the_same_instant(store: Store) -> None:
    moment = datetime(2030, 5, 6, 15, 8, 9, 123456, tzinfo=timezone(timedelta(hours=8)))
    with store.writing() as tx:
        tx.execute("UPDATE product SET listed_at = :at WHERE id = 1", at=moment)
    with store.reading() as tx:
        back = from_db_time(tx.fetch_value("SELECT listed_at FROM product WHERE id = 1"))
        earlier = tx.fetch_value(
            "SELECT count(*) FROM product WHERE id = 1 AND listed_at < :later",
            later=moment + timedelta(microseconds=1),
        )
    assert back == moment
    assert back.tzinfo is UTC
    assert earlier == 1  # compared as times, not as texts of another offset


def test_dates_and_booleans_round_trip(store: Store) -> None:
    with store.writing() as tx:
        tx.execute(
            "UPDATE account SET birth_date = :born, second_factor = :on WHERE phone = :p",
            born=date(2001, 2, 3),
            on=True,
            p="13800138000",
        )
    with store.reading() as tx:
        born, on = tx.fetch_one(
            "SELECT birth_date, second_factor FROM account WHERE phone = :p", p="13800138000"
        ) or (None, None)
        with_factor = tx.fetch_value("SELECT count(*) FROM account WHERE second_factor")
    assert from_db_date(born) == date(2001, 2, 3)
    assert bool(on) is True
    assert with_factor == 1


def test_in_list() -> None:
    assert in_list("ids", [4, 9]) == ("(:ids_0, :ids_1)", {"ids_0": 4, "ids_1": 9})
    assert in_list("ids", []) == ("(NULL)", {})
    assert list(parameter_names("SELECT :a, ':b', x::int, :c_1 FROM t WHERE y = :a")) == [
        "a",
        "b",
        "c_1",
        "a",
    ]


def test_in_list_queries(store: Store) -> None:
    part, params = in_list("ids", [3, 1, 2])
    empty, none = in_list("ids", [])
    with store.reading() as tx:
        assert tx.fetch_all(f"SELECT id FROM product WHERE id IN {part} ORDER BY id", **params) == [
            (1,),
            (2,),
            (3,),
        ]
        assert tx.fetch_all(f"SELECT id FROM product WHERE id IN {empty}", **none) == []


def test_execute_many(store: Store) -> None:
    with store.writing() as tx:
        tx.execute_many(INSERT_BRAND, [{"slug": f"m{i}", "en": f"M{i}"} for i in range(5)])
        tx.execute_many(INSERT_BRAND, [])
    assert {f"m{i}" for i in range(5)} <= slugs(store)


def test_a_conditional_decrement_never_oversells_under_threads(store: Store) -> None:
    with store.writing() as tx:
        tx.execute("UPDATE sku SET stock = 25 WHERE id = 1")
    sold: list[int] = []
    lock = threading.Lock()

    def buyer() -> None:
        mine = 0
        for _ in range(20):
            with store.writing() as tx:
                mine += tx.execute("UPDATE sku SET stock = stock - 1 WHERE id = 1 AND stock >= 1")
        with lock:
            sold.append(mine)

    threads = [threading.Thread(target=buyer) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sum(sold) == 25
    with store.reading() as tx:
        assert tx.fetch_value("SELECT stock FROM sku WHERE id = 1") == 0


def test_a_read_group_cancels_a_long_read(store: Store) -> None:
    group = store.read_group()
    started = threading.Event()
    outcome: list[BaseException | int] = []
    # a query that runs for minutes on either engine: a billion-step recursion counted
    slow = (
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < :n)"
        " SELECT count(*) FROM n"
    )

    def read() -> None:
        try:
            with group.reading() as tx:
                started.set()
                outcome.append(int(tx.fetch_value(slow, n=10**9)))
        except BaseException as error:
            outcome.append(error)

    thread = threading.Thread(target=read)
    thread.start()
    assert started.wait(10)
    # A cancel stops the statement the engine is running; one sent before the
    # statement reaches the engine has nothing to stop, so keep cancelling until the
    # read ends (it would run for minutes if no cancel ever reached it).
    deadline = time.monotonic() + 30
    while thread.is_alive() and time.monotonic() < deadline:
        time.sleep(0.1)
        group.cancel()
    thread.join(1)
    assert not thread.is_alive()
    assert len(outcome) == 1, outcome
    assert isinstance(outcome[0], ReadCancelled), outcome
    with store.reading() as tx:  # the connection went back to the pool healthy
        assert tx.fetch_value("SELECT count(*) FROM product") == 12
