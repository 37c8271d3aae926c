"""Category, brand and price band carried as tags by the search documents."""

from __future__ import annotations

import sqlite3

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kstui.services.catalog.listing import CatalogQuery, search_products
from kstui.store.errors import ReadCancelled
from kstui.store.interface import Store
from kstui.store.search import sqlite as sqlite_search
from kstui.store.search_index import (
    PRICE_BANDS,
    Facet,
    Facets,
    build_doc,
    price_band,
    price_bands,
    tag_text,
    tag_token,
)
from kstui.store.sqlite import SqliteStore


@given(
    st.sampled_from(list(Facet)),
    st.integers(0, 2_000_000),
    st.sampled_from(list(Facet)),
    st.integers(0, 2_000_000),
)
def test_tags_are_three_characters_and_distinct(f1: Facet, v1: int, f2: Facet, v2: int) -> None:
    assert len(tag_text(f1, v1)) == 3
    assert all(0xE000 <= ord(c) <= 0xF8FF for c in tag_text(f1, v1))  # private use only
    assert (tag_text(f1, v1) == tag_text(f2, v2)) == ((f1, v1) == (f2, v2))
    assert (tag_token(f1, v1) == tag_token(f2, v2)) == ((f1, v1) == (f2, v2))
    assert len(tag_token(f1, v1)) >= 4  # longer than any gram a query looks up


@pytest.mark.parametrize(
    ("price", "band"),
    [(0, 0), (999, 0), (1000, 1), (1999, 1), (2000, 2), (12900, 4), (99_999_999, 10)],
)
def test_price_band(price: int, band: int) -> None:
    assert price_band(price) == band


@given(st.integers(0, 10**9), st.integers(0, 10**9))
def test_price_bands_cover_the_range(a: int, b: int) -> None:
    low, high = min(a, b), max(a, b)
    bands = price_bands(low, high)
    assert price_band(low) in bands
    assert price_band(high) in bands
    assert bands == sorted(bands)
    assert price_bands(None, None) == list(range(len(PRICE_BANDS)))


def test_document_carries_its_facets() -> None:
    doc = build_doc(name_zh="连衣裙", name_en="Dress", facets=Facets(1, 2, 3, 12900))
    assert doc.tags.split(" ") == [
        tag_text(Facet.TOP_CATEGORY, 1),
        tag_text(Facet.CATEGORY, 2),
        tag_text(Facet.PRICE_BAND, 4),
        tag_text(Facet.BRAND, 3),
    ]
    grams = doc.grams.split()
    assert {"zzt1", "zzc2", "zzp4", "zzb3"} <= set(grams)
    no_brand = build_doc(name_zh="苹果", name_en="Apple", facets=Facets(1, 2, None, 100))
    assert tag_text(Facet.BRAND, 0) not in no_brand.tags


def test_facet_tags_are_indexed_for_every_product(store: Store) -> None:
    """Each engine keeps the tags its own way: FTS5 as trigram tags, PostgreSQL as grams."""
    if store.engine == "sqlite":
        sql, tag = "SELECT tags FROM search_tri WHERE rowid = :id", tag_text
    else:
        sql, tag = "SELECT grams FROM search_doc WHERE product_id = :id", tag_token
    with store.reading() as tx:
        products = tx.fetch_all(
            "SELECT id, top_category_id, category_id, brand_id, price FROM product ORDER BY id"
        )
        for pid, top, category, brand, price in products:
            tags = tx.fetch_value(sql, id=pid)
            assert tag(Facet.TOP_CATEGORY, top) in tags
            assert tag(Facet.CATEGORY, category) in tags
            assert tag(Facet.PRICE_BAND, price_band(price)) in tags
            assert (brand is None) or tag(Facet.BRAND, brand) in tags


@pytest.mark.parametrize("drive_below", [0, 3000])
def test_keyword_within_facets_gives_the_exact_answer(
    store: Store, monkeypatch: pytest.MonkeyPatch, drive_below: int
) -> None:
    """Tags only narrow: the exact filters still decide (both query plans of SQLite)."""
    monkeypatch.setattr(sqlite_search, "DRIVE_FROM_SET_BELOW", drive_below)
    with store.reading() as tx:
        cases = {
            CatalogQuery(text="裙", category_id=1): {1, 2, 9},
            CatalogQuery(text="裙", category_id=4): set(),
            CatalogQuery(text="lyq", min_price=12900, max_price=12900): {1},
            CatalogQuery(text="lyq", min_price=12901, max_price=13000): set(),
            CatalogQuery(text="耳机", brand_ids=frozenset({2}), in_stock=True): {3, 10},
            CatalogQuery(text="连衣裙", category_id=2): {1},
            CatalogQuery(text="连衣裙", category_id=3): set(),
        }
        for query, expected in cases.items():
            found = {card.id for card in search_products(tx, query).cards}
            assert found == expected, query


def test_fts_query_syntax_for_facet_groups() -> None:
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE VIRTUAL TABLE t USING fts5(text, tags, tokenize='trigram')")
    conn.execute(
        "INSERT INTO t VALUES ('连衣裙', ?)",
        (" ".join([tag_text(Facet.BRAND, 1), tag_text(Facet.CATEGORY, 2)]),),
    )
    other, mine = tag_text(Facet.BRAND, 9), tag_text(Facet.BRAND, 1)
    hit = f'(text : "连衣裙") AND tags : ("{other}" OR "{mine}")'
    miss = f'(text : "连衣裙") AND tags : ("{other}")'
    assert conn.execute("SELECT count(*) FROM t WHERE t MATCH ?", (hit,)).fetchone()[0] == 1
    assert conn.execute("SELECT count(*) FROM t WHERE t MATCH ?", (miss,)).fetchone()[0] == 0


def test_a_walk_over_its_time_budget_falls_back_to_the_id_set(
    sqlite_store: SqliteStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With no time at all for walking the index, every answer comes from the fallback."""
    monkeypatch.setattr(sqlite_search, "DRIVE_FROM_SET_BELOW", 0)  # never drive up front
    monkeypatch.setattr(sqlite_search, "_fetch_within", lambda *_: None)  # walks are too long
    fallbacks: list[object] = []
    original = sqlite_search._Plan.driven_by

    def spy(self: sqlite_search._Plan, sql: str, params: dict[str, object]) -> sqlite_search._Plan:
        fallbacks.append(sql)
        return original(self, sql, params)

    monkeypatch.setattr(sqlite_search._Plan, "driven_by", spy)
    with sqlite_store.reading() as tx:
        page = search_products(tx, CatalogQuery(text="裙", category_id=1))
        assert {card.id for card in page.cards} == {1, 2, 9}
        assert len(fallbacks) == 1
        first = search_products(tx, CatalogQuery(text="耳机"), limit=1)
        second = search_products(tx, CatalogQuery(text="耳机"), after=first.next_cursor)
        assert [c.id for c in first.cards + second.cards] == [3, 10, 4]  # 综合 order


SLOW_QUERY = (
    "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT slow(i) + 1 FROM n WHERE i < 1000)"
    " SELECT count(*) FROM n"
)


def test_a_query_over_its_budget_is_stopped(sqlite_store: SqliteStore) -> None:
    import threading
    import time

    from kstui.store.search.sqlite import _fetch_within

    with sqlite_store.reading() as tx:
        tx.connection.create_function("slow", 1, lambda x: threading.Event().wait(0.002) or x)
        started = time.perf_counter()
        assert _fetch_within(tx, SLOW_QUERY, {}, 0.02) is None
        assert time.perf_counter() - started < 1.0  # stopped, not run to its end (2 s)
        assert _fetch_within(tx, "SELECT 1", {}, 0.02) == [(1,)]


def test_an_interrupt_from_outside_is_not_taken_for_the_budget(
    sqlite_store: SqliteStore,
) -> None:
    import threading

    from kstui.store.search.sqlite import _fetch_within

    with sqlite_store.reading() as tx:
        tx.connection.create_function("slow", 1, lambda x: threading.Event().wait(0.01) or x)
        timer = threading.Timer(0.05, tx.connection.interrupt)
        timer.start()
        with pytest.raises(ReadCancelled):
            _fetch_within(tx, SLOW_QUERY, {}, 60.0)
        timer.cancel()


@pytest.mark.parametrize(("text", "found"), [("T恤", {8}), ("A字", {2}), ("a字", {2}), ("5G", {5})])
def test_two_characters_mixing_latin_and_chinese(store: Store, text: str, found: set[int]) -> None:
    with store.reading() as tx:
        assert {c.id for c in search_products(tx, CatalogQuery(text=text)).cards} == found


@pytest.mark.parametrize("text", ["!!", "*", "“”", "、"])
def test_a_search_of_only_punctuation_finds_nothing(store: Store, text: str) -> None:
    from kstui.services.catalog.listing import count_products

    with store.reading() as tx:
        assert search_products(tx, CatalogQuery(text=text)).cards == []
        assert count_products(tx, CatalogQuery(text=text)) == 0
        assert len(search_products(tx, CatalogQuery(text="  ")).cards) == 12  # blank: all


def test_ships_from_names_a_municipality_once() -> None:
    from kstui.i18n import Localized, Translator
    from kstui.screens.product import ships_from_place

    zh, en = Translator("zh"), Translator("en")
    assert ships_from_place(zh, "31", Localized("上海", "Shanghai")) == "上海"
    assert ships_from_place(en, "31", Localized("上海", "Shanghai")) == "Shanghai"
    assert ships_from_place(zh, "33", Localized("杭州", "Hangzhou")) == "浙江杭州"
    assert ships_from_place(en, "33", Localized("杭州", "Hangzhou")) == "Hangzhou, Zhejiang"
