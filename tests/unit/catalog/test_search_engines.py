"""Catalogue search gives the same pages on SQLite and on PostgreSQL for every query kind
of SPEC §11: 1- and 2-character Chinese, longer Chinese, full pinyin and initials, Latin
brand names, several words, and each of these combined with category, price, brand and
stock filters, in every sort, page by page, under both plans of each engine."""

from __future__ import annotations

import itertools

import pytest

from kstui.services.catalog.listing import (
    CatalogQuery,
    Sort,
    count_products,
    search_products,
)
from kstui.store.interface import Store
from kstui.store.search import postgres as postgres_search
from kstui.store.search import sqlite as sqlite_search

TEXTS = ["", "裙", "耳机", "连衣裙", "蓝牙耳机", "lianyiqun", "lyq", "aurora", "Lumi", "蓝牙 耳机"]
TEXTS += ["battery", "zzzz", "er", "ej"]


DIGITAL, SKIRTS = 5, 3  # a parent category and a leaf (build_seed_small.py)
LUMI, AURORA = 2, 1
FILTERS: list[dict[str, object]] = [
    {},
    {"category_id": DIGITAL},
    {"category_id": SKIRTS},
    {"min_price": 5000, "max_price": 50000},
    {"brand_ids": frozenset({LUMI, AURORA})},
    {"in_stock": True},
    {"category_id": DIGITAL, "brand_ids": frozenset({LUMI}), "in_stock": True, "max_price": 40000},
]


def pages(store: Store, query: CatalogQuery, limit: int = 2) -> list[list[tuple[int, int]]]:
    """Every page of `query` as (id, price) pairs, following the cursors."""
    found: list[list[tuple[int, int]]] = []
    with store.reading() as tx:
        page = search_products(tx, query, limit=limit)
        found.append([(card.id, card.price) for card in page.cards])
        while page.next_cursor is not None and len(found) < 20:
            page = search_products(tx, query, after=page.next_cursor, limit=limit)
            found.append([(card.id, card.price) for card in page.cards])
    return found


def count(store: Store, query: CatalogQuery) -> int:
    with store.reading() as tx:
        return count_products(tx, query)


@pytest.fixture(params=["drive", "walk"])
def plan(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Both plans of each engine: the matches fetched and sorted (what few matches get),
    and the sort index walked with the keyword as a filter (what many get)."""
    if request.param == "walk":
        monkeypatch.setattr(sqlite_search, "DRIVE_FROM_SET_BELOW", 0)
        monkeypatch.setattr(postgres_search, "DRIVE_BELOW", 0)
    return str(request.param)


@pytest.mark.usefixtures("plan")
@pytest.mark.parametrize("text", TEXTS)
def test_both_engines_give_the_same_pages(text: str, sqlite_store: Store, pg_store: Store) -> None:
    compared = 0
    for extra, sort in itertools.product(FILTERS, Sort):
        query = CatalogQuery(text=text, sort=sort, **extra)  # type: ignore[arg-type]
        on_sqlite = pages(sqlite_store, query)
        assert pages(pg_store, query) == on_sqlite, query
        assert count(pg_store, query) == count(sqlite_store, query), query
        compared += sum(len(page) for page in on_sqlite)
    if text not in ("zzzz",):
        assert compared > 0  # the query finds something somewhere: the comparison has teeth
