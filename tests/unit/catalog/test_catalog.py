"""`kstui.services.catalog.listing` against the small seeded store (12 products).

The seed is built by `tests/fixtures/build_seed_small.py`. Expected results below are
written out from that file, not read back from the service under test.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from kstui.i18n import Localized
from kstui.services.catalog.errors import (
    InvalidLimit,
    InvalidPriceRange,
    QueryTooLong,
    UnknownBrand,
    UnknownCategory,
)
from kstui.services.catalog.listing import (
    MAX_PAGE,
    CatalogQuery,
    Page,
    Sort,
    brand_options,
    category_tree,
    count_products,
    find_brands,
    find_category,
    search_products,
)
from kstui.store.interface import Store, Transaction, from_db_time
from kstui.store.search import sqlite as sqlite_search

NOW = datetime(2026, 11, 22, 2, 0, tzinfo=UTC)
"""The time of the seed's `listed_at` ages (the `clock` fixture's)."""

# Category ids (file order: each top category, then its children).
CLOTHING, DRESSES, SKIRTS, TEES, DIGITAL, EARPHONES, PHONES, FRESH, FRUIT = range(1, 10)
AURORA, LUMI, MOKO, IDLE = range(1, 5)
MARKUP_ID = 6
MARKUP_NAME = Localized(
    "标记测试 [b]粗体[/b] [@click=app.quit]退出[/]",
    "Markup test [red]red[/red] [@click=app.quit]quit[/]",
)


@dataclass(frozen=True)
class Row:
    id: int
    category: int
    top: int
    brand: int | None
    price: int
    sales: int
    stock: int
    days_ago: int


# From build_seed_small.py: price is the cheapest in-stock SKU, stock the sum of SKU stocks.
ROWS = [
    Row(1, DRESSES, CLOTHING, AURORA, 12900, 12840, 30, 20),
    Row(2, SKIRTS, CLOTHING, AURORA, 6900, 3200, 60, 60),
    Row(3, EARPHONES, DIGITAL, LUMI, 29900, 56000, 50, 100),
    Row(4, EARPHONES, DIGITAL, LUMI, 45900, 800, 0, 200),
    Row(5, PHONES, DIGITAL, MOKO, 159900, 9100, 34, 5),
    Row(MARKUP_ID, SKIRTS, CLOTHING, None, 100, 0, 1, 400),
    Row(7, FRUIT, FRESH, None, 2990, 150000, 280, 15),
    Row(8, TEES, CLOTHING, AURORA, 3900, 40000, 0, 3),
    Row(9, SKIRTS, CLOTHING, None, 5900, 700, 10, 1),
    Row(10, EARPHONES, DIGITAL, LUMI, 9900, 22000, 20, 40),
    Row(11, FRUIT, FRESH, None, 4590, 8000, 30, 9),
    Row(12, PHONES, DIGITAL, MOKO, 12900, 3000, 40, 70),
]
ALL_IDS = {r.id for r in ROWS}

EXPECTED_ORDER = {
    Sort.OVERALL: [7, 8, 3, 10, 5, 1, 11, 2, 12, 9, 4, 6],
    Sort.SALES: [7, 3, 8, 10, 1, 5, 11, 2, 12, 4, 9, 6],
    Sort.PRICE_ASC: [6, 7, 8, 11, 9, 2, 10, 1, 12, 3, 4, 5],
    Sort.PRICE_DESC: [5, 4, 3, 12, 1, 10, 2, 9, 11, 8, 7, 6],
    Sort.NEWEST: [9, 8, 5, 11, 7, 1, 10, 2, 12, 3, 4, 6],
}

KEYWORDS: dict[str, set[int]] = {
    "": ALL_IDS,
    "裙": {1, 2, 9},
    "耳机": {3, 4, 10},
    "连衣裙": {1},
    "lianyiqun": {1},
    "lyq": {1},
    "aurora": {1, 2, 8},
    "AURORA": {1, 2, 8},
    "Lumi": {3, 4, 10},
    "moko": {5, 12},
    "蓝牙 耳机": {3, 10},
    "battery": {3, 5},
    "zzzz": set(),
}


@pytest.fixture
def tx(store: Store) -> Iterator[Transaction]:
    with store.reading() as transaction:
        yield transaction


@pytest.fixture(params=["drive", "walk"])
def plan(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Run a test under both query plans of SQLite's search: driven from the keyword/brand id
    set (what a small set gets), and walking the sort index with the set as a filter (what a
    big set gets). On PostgreSQL the two runs are the same."""
    if request.param == "walk":
        monkeypatch.setattr(sqlite_search, "DRIVE_FROM_SET_BELOW", 0)
    return str(request.param)


def ids(page: Page) -> list[int]:
    return [card.id for card in page.cards]


def search_ids(tx: Transaction, query: CatalogQuery) -> list[int]:
    page = search_products(tx, query, limit=MAX_PAGE)
    assert page.next_cursor is None
    return ids(page)


def all_pages(tx: Transaction, query: CatalogQuery, limit: int) -> list[Page]:
    pages = [search_products(tx, query, limit=limit)]
    while pages[-1].next_cursor is not None:
        pages.append(search_products(tx, query, after=pages[-1].next_cursor, limit=limit))
        assert len(pages) <= 20
    return pages


def scores(tx: Transaction) -> dict[int, int]:
    found: dict[int, int] = dict(tx.fetch_all("SELECT id, score FROM product"))
    return found


def sort_key(row: Row, sort: Sort, score: dict[int, int]) -> tuple[int, int]:
    """The expected order: by the sort's value, ties by id in the same direction."""
    value = {
        Sort.OVERALL: -score[row.id],
        Sort.SALES: -row.sales,
        Sort.PRICE_ASC: row.price,
        Sort.PRICE_DESC: -row.price,
        Sort.NEWEST: row.days_ago,
    }[sort]
    return (value, row.id if sort.ascending else -row.id)


def expected(query: CatalogQuery, score: dict[int, int], keyword: set[int]) -> list[int]:
    rows = [
        r
        for r in ROWS
        if r.id in keyword
        and (query.category_id is None or query.category_id in (r.category, r.top))
        and (query.min_price is None or r.price >= query.min_price)
        and (query.max_price is None or r.price <= query.max_price)
        and (not query.brand_ids or r.brand in query.brand_ids)
        and (not query.in_stock or r.stock > 0)
    ]
    return [r.id for r in sorted(rows, key=lambda r: sort_key(r, query.sort, score))]


# -- the fixture data itself ----------------------------------------------------------------


def test_the_expected_rows_match_the_store(tx: Transaction) -> None:
    stored = tx.fetch_all(
        "SELECT id, category_id, top_category_id, brand_id, price, sales, stock, listed_at "
        "FROM product ORDER BY id"
    )
    days_ago = [round((NOW - from_db_time(r[-1])) / timedelta(days=1)) for r in stored]
    assert [Row(*r[:-1], days) for r, days in zip(stored, days_ago, strict=True)] == ROWS


# -- sorts ------------------------------------------------------------------------------------


@pytest.mark.parametrize("sort", list(Sort))
def test_every_sort(tx: Transaction, sort: Sort) -> None:
    page = search_products(tx, CatalogQuery(sort=sort), limit=50)
    assert ids(page) == EXPECTED_ORDER[sort]
    assert page.next_cursor is None
    raw = {
        row[0]: row[1:]
        for row in tx.fetch_all("SELECT id, score, sales, price, listed_at FROM product")
    }
    column = {"score": 0, "sales": 1, "price": 2, "listed_at": 3}[sort.column]
    values = [(raw[i][column], i) for i in ids(page)]
    assert values == sorted(values, reverse=not sort.ascending)
    assert [card.sort_value for card in page.cards] == [v for v, _ in values]


def test_sort_columns() -> None:
    assert [s.column for s in Sort] == ["score", "sales", "price", "price", "listed_at"]
    assert [s.ascending for s in Sort] == [False, False, True, False, False]
    assert [s.value for s in Sort] == ["overall", "sales", "price_asc", "price_desc", "newest"]


def test_price_ties_are_broken_by_id(tx: Transaction) -> None:
    # products 1 and 12 both cost ¥129
    assert [i for i in search_ids(tx, CatalogQuery(sort=Sort.PRICE_ASC)) if i in (1, 12)] == [
        1,
        12,
    ]
    desc = search_ids(tx, CatalogQuery(sort=Sort.PRICE_DESC))
    assert [i for i in desc if i in (1, 12)] == [12, 1]


def test_cards_carry_the_list_fields(tx: Transaction) -> None:
    cards = {c.id: c for c in search_products(tx, CatalogQuery(), limit=50).cards}
    dress = cards[1]
    assert dress.name == Localized(
        "法式碎花雪纺连衣裙女夏季中长款", "French Floral Chiffon Midi Dress"
    )
    assert (dress.price, dress.original_price, dress.sales, dress.stock) == (
        12900,
        15900,
        12840,
        30,
    )
    assert dress.shop == Localized("衣衣小铺", "Yiyi Boutique")
    assert dress.brand == Localized("极光", "Aurora")
    apples = cards[7]
    assert (apples.price, apples.original_price) == (2990, None)  # the 5斤 pack, no discount
    assert apples.brand is None
    assert apples.shop == Localized("果园直发", "Orchard Direct")
    headphones = cards[4]
    assert (headphones.price, headphones.stock) == (45900, 0)


# -- filters ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("category", "found"),
    [
        (CLOTHING, {1, 2, 6, 8, 9}),
        (DIGITAL, {3, 4, 5, 10, 12}),
        (FRESH, {7, 11}),
        (DRESSES, {1}),
        (SKIRTS, {2, 6, 9}),
        (TEES, {8}),
        (EARPHONES, {3, 4, 10}),
        (PHONES, {5, 12}),
        (FRUIT, {7, 11}),
    ],
)
def test_category_filter(tx: Transaction, category: int, found: set[int]) -> None:
    for sort in Sort:
        result = search_ids(tx, CatalogQuery(category_id=category, sort=sort))
        assert result == [i for i in EXPECTED_ORDER[sort] if i in found]


@pytest.mark.parametrize(
    ("low", "high", "found"),
    [
        (5000, None, {1, 2, 3, 4, 5, 9, 10, 12}),
        (None, 5000, {6, 7, 8, 11}),
        (5900, 12900, {1, 2, 9, 10, 12}),  # both bounds are inclusive
        (12900, 12900, {1, 12}),
        (0, None, ALL_IDS),
        (None, 99, set()),
        (100, 100, {MARKUP_ID}),
        (160000, None, set()),
    ],
)
def test_price_filter(tx: Transaction, low: int | None, high: int | None, found: set[int]) -> None:
    result = search_ids(tx, CatalogQuery(min_price=low, max_price=high))
    assert result == [i for i in EXPECTED_ORDER[Sort.OVERALL] if i in found]


@pytest.mark.usefixtures("plan")
@pytest.mark.parametrize(
    ("brands", "found"),
    [
        ({AURORA}, {1, 2, 8}),
        ({LUMI}, {3, 4, 10}),
        ({AURORA, MOKO}, {1, 2, 8, 5, 12}),
        ({AURORA, LUMI, MOKO}, {1, 2, 3, 4, 5, 8, 10, 12}),
        ({IDLE}, set()),
        ({IDLE, MOKO}, {5, 12}),
    ],
)
def test_brand_filter(tx: Transaction, brands: set[int], found: set[int]) -> None:
    for sort in (Sort.OVERALL, Sort.PRICE_ASC):
        result = search_ids(tx, CatalogQuery(brand_ids=frozenset(brands), sort=sort))
        assert result == [i for i in EXPECTED_ORDER[sort] if i in found]


def test_in_stock_filter(tx: Transaction) -> None:
    result = search_ids(tx, CatalogQuery(in_stock=True))
    assert result == [i for i in EXPECTED_ORDER[Sort.OVERALL] if i not in (4, 8)]


@pytest.mark.usefixtures("plan")
@pytest.mark.parametrize(
    ("query", "found"),
    [
        (CatalogQuery(category_id=CLOTHING, in_stock=True), [1, 2, 9, 6]),
        (CatalogQuery(category_id=DIGITAL, brand_ids=frozenset({LUMI}), max_price=30000), [3, 10]),
        (CatalogQuery(text="耳机", in_stock=True), [3, 10]),
        (CatalogQuery(text="裙", max_price=6000, sort=Sort.PRICE_ASC), [9]),
        (CatalogQuery(text="裙", category_id=SKIRTS), [2, 9]),
        (CatalogQuery(text="裙", category_id=FRESH), []),
        (CatalogQuery(text="aurora", category_id=TEES, in_stock=True), []),
        (CatalogQuery(text="aurora", brand_ids=frozenset({AURORA}), min_price=5000), [1, 2]),
        (CatalogQuery(text="lyq", brand_ids=frozenset({LUMI})), []),
        (
            CatalogQuery(
                category_id=CLOTHING,
                brand_ids=frozenset({AURORA}),
                min_price=4000,
                max_price=20000,
                in_stock=True,
                sort=Sort.NEWEST,
            ),
            [1, 2],
        ),  # fmt: skip
    ],
)
def test_filter_combinations(tx: Transaction, query: CatalogQuery, found: list[int]) -> None:
    assert search_ids(tx, query) == found
    assert count_products(tx, query) == len(found)


# -- keyword search ---------------------------------------------------------------------------


@pytest.mark.usefixtures("plan")
@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("裙", {1, 2, 9}),  # one character
        ("耳机", {3, 4, 10}),  # two characters
        ("连衣裙", {1}),  # three characters
        ("雪纺连衣裙", {1}),
        ("lianyiqun", {1}),  # full pinyin
        ("LianYiQun", {1}),
        ("lianyiq", {1}),  # still typing
        ("lyq", {1}),  # initials
        ("erji", {3, 4, 10}),
        ("ej", {3, 4, 10}),
        ("aurora", {1, 2, 8}),  # Latin brand, any case
        ("AURORA", {1, 2, 8}),
        ("Aurora", {1, 2, 8}),
        ("Ａｕｒｏｒａ", {1, 2, 8}),  # full-width letters
        ("Lumi", {3, 4, 10}),
        ("lumi", {3, 4, 10}),
        ("LUMI", {3, 4, 10}),
        ("极光", {1, 2, 8}),  # brand's Chinese name
        ("dress", {1}),  # English words of names
        ("Dress", {1}),
        ("headphones", {4}),
        ("bluetooth", {3, 10}),
        ("kiwifruit", {11}),
        ("apples", {7}),
        ("skirt", {2, 9}),
        ("x5", {5}),
        ("5g", {5}),
        ("蓝牙 耳机", {3, 10}),  # every term must match
        ("耳机 蓝牙", {3, 10}),
        ("耳机 有线", {4}),
        ("lumi 蓝牙", {3, 10}),
        ("aurora 裙", {1, 2}),
        ("裙 耳机", set()),
        ("zzzz", set()),
        ("连衣裙连衣裙", set()),
    ],
)
def test_keyword_search(tx: Transaction, text: str, found: set[int]) -> None:
    result = search_ids(tx, CatalogQuery(text=text))
    assert result == [i for i in EXPECTED_ORDER[Sort.OVERALL] if i in found]
    assert count_products(tx, CatalogQuery(text=text)) == len(found)


def test_no_match_is_an_empty_last_page(tx: Transaction) -> None:
    page = search_products(tx, CatalogQuery(text="zzzz"), limit=10)
    assert page.cards == []
    assert page.next_cursor is None
    assert count_products(tx, CatalogQuery(text="zzzz")) == 0


@pytest.mark.parametrize(
    "text", ["[@click=app.quit]", "[/]", "[b]", "[/b]", "[red]", "[@click=app.quit]退出[/]"]
)
def test_markup_in_a_query_never_raises(tx: Transaction, text: str) -> None:
    result = search_ids(tx, CatalogQuery(text=text))
    assert result in ([], [MARKUP_ID])


@pytest.mark.parametrize(
    "text", ['"', '""', '"连衣裙"', "a'b", "*", "^ab", "NEAR(a b)", "a OR b", "-x", ":"]
)
def test_fts_syntax_in_a_query_never_raises(tx: Transaction, text: str) -> None:
    result = search_ids(tx, CatalogQuery(text=text))
    assert set(result) <= ALL_IDS
    assert count_products(tx, CatalogQuery(text=text)) == len(result)


def test_a_nul_character_in_a_query_does_not_raise(tx: Transaction) -> None:
    result = search_ids(tx, CatalogQuery(text="连衣裙\x00"))
    assert set(result) <= {1}


def test_the_markup_product_comes_back_unchanged(tx: Transaction) -> None:
    [card] = search_products(tx, CatalogQuery(text="[@click=app.quit]"), limit=5).cards
    assert card.id == MARKUP_ID
    assert card.name == MARKUP_NAME
    assert card.name.zh.encode() == MARKUP_NAME.zh.encode()
    [same] = [c for c in search_products(tx, CatalogQuery(), limit=50).cards if c.id == 6]
    assert same.name == MARKUP_NAME


def test_a_10000_character_query_is_refused(tx: Transaction) -> None:
    query = CatalogQuery(text="裙" * 10_000)
    with pytest.raises(QueryTooLong) as caught:
        search_products(tx, query)
    assert caught.value.params == {"limit": 50, "length": 10_000}
    with pytest.raises(QueryTooLong):
        count_products(tx, query)


# -- paging -----------------------------------------------------------------------------------


@pytest.mark.parametrize("sort", list(Sort))
@pytest.mark.parametrize("limit", [1, 2, 3, 4, 5])
def test_pages_concatenate_to_the_single_page(tx: Transaction, sort: Sort, limit: int) -> None:
    query = CatalogQuery(sort=sort)
    pages = all_pages(tx, query, limit)
    joined = [i for page in pages for i in ids(page)]
    assert joined == EXPECTED_ORDER[sort]
    assert len(set(joined)) == len(joined)
    assert len(pages) == -(-12 // limit)  # no empty page at the end
    assert all(len(page.cards) == limit for page in pages[:-1])
    assert pages[-1].next_cursor is None
    assert all(page.next_cursor is not None for page in pages[:-1])
    for page in pages[:-1]:
        assert page.next_cursor == (page.cards[-1].sort_value, page.cards[-1].id)


@pytest.mark.usefixtures("plan")
@pytest.mark.parametrize(
    "query",
    [
        CatalogQuery(category_id=CLOTHING, sort=Sort.PRICE_ASC),
        CatalogQuery(text="耳机", sort=Sort.SALES),
        CatalogQuery(brand_ids=frozenset({AURORA, MOKO}), sort=Sort.PRICE_DESC),
        CatalogQuery(in_stock=True, min_price=3000, sort=Sort.NEWEST),
        CatalogQuery(text="裙", category_id=SKIRTS),
    ],
)
def test_paging_with_filters(tx: Transaction, query: CatalogQuery) -> None:
    single = search_ids(tx, query)
    assert single
    for limit in (1, 2, 3):
        joined = [i for page in all_pages(tx, query, limit) for i in ids(page)]
        assert joined == single


def test_a_cursor_past_the_end_gives_an_empty_page(tx: Transaction) -> None:
    last = search_products(tx, CatalogQuery(), limit=50).cards[-1]
    page = search_products(tx, CatalogQuery(), after=(last.sort_value, last.id), limit=5)
    assert page == Page(cards=[], next_cursor=None)


def test_limit_bounds(tx: Transaction) -> None:
    assert len(search_products(tx, CatalogQuery(), limit=1).cards) == 1
    assert len(search_products(tx, CatalogQuery(), limit=MAX_PAGE).cards) == 12
    for bad in (0, -1, MAX_PAGE + 1):
        with pytest.raises(InvalidLimit) as caught:
            search_products(tx, CatalogQuery(), limit=bad)
        assert caught.value.params == {"limit": bad, "max": 200}


# -- counting ---------------------------------------------------------------------------------


def test_count_products(tx: Transaction) -> None:
    assert count_products(tx, CatalogQuery()) == 12
    assert count_products(tx, CatalogQuery(category_id=DIGITAL)) == 5
    assert count_products(tx, CatalogQuery(in_stock=True)) == 10


@pytest.mark.parametrize(("cap", "count"), [(0, 1), (1, 2), (5, 6), (11, 12), (12, 12), (100, 12)])
def test_count_is_capped_at_cap_plus_one(tx: Transaction, cap: int, count: int) -> None:
    assert count_products(tx, CatalogQuery(), cap=cap) == count


def test_count_with_a_keyword_is_capped(tx: Transaction) -> None:
    assert count_products(tx, CatalogQuery(text="裙"), cap=1) == 2
    assert count_products(tx, CatalogQuery(text="裙"), cap=3) == 3


# -- bad input --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("low", "high"), [(-1, None), (None, -1), (-100, 100), (5000, 4999), (1, 0)]
)
def test_bad_price_range(tx: Transaction, low: int | None, high: int | None) -> None:
    query = CatalogQuery(min_price=low, max_price=high)
    with pytest.raises(InvalidPriceRange) as caught:
        search_products(tx, query)
    assert caught.value.params == {"low": low, "high": high}
    with pytest.raises(InvalidPriceRange):
        count_products(tx, query)


@pytest.mark.parametrize("category", [0, 10, 999, -1])
def test_unknown_category(tx: Transaction, category: int) -> None:
    with pytest.raises(UnknownCategory) as caught:
        search_products(tx, CatalogQuery(category_id=category))
    assert caught.value.params == {"id": category}
    with pytest.raises(UnknownCategory):
        count_products(tx, CatalogQuery(category_id=category))


def test_unknown_brand(tx: Transaction) -> None:
    with pytest.raises(UnknownBrand) as caught:
        search_products(tx, CatalogQuery(brand_ids=frozenset({99})))
    assert caught.value.params == {"id": 99}
    with pytest.raises(UnknownBrand) as caught:
        count_products(tx, CatalogQuery(brand_ids=frozenset({AURORA, 98, 99})))
    assert caught.value.params == {"id": 98}


# -- categories and brands --------------------------------------------------------------------


def test_category_tree(tx: Transaction) -> None:
    tree = category_tree(tx)
    shape = [(top.slug, [child.slug for child in top.children]) for top in tree]
    assert shape == [
        ("clothing", ["dresses", "skirts", "tees"]),
        ("digital", ["earphones", "phones"]),
        ("fresh", ["fruit"]),
    ]
    assert tree[0].id == CLOTHING
    assert tree[0].name == Localized("服装", "Clothing")
    assert tree[1].children[0].id == EARPHONES
    assert tree[1].children[0].name == Localized("耳机", "Earphones")
    assert tree[2].children[0].children == []


def test_brand_options_by_latin_name(tx: Transaction) -> None:
    options = brand_options(tx)
    assert [(b.id, b.slug, b.name.en) for b in options] == [
        (AURORA, "aurora", "Aurora"),
        (IDLE, "idle", "Idle"),
        (LUMI, "lumi", "Lumi"),
        (MOKO, "moko", "MOKO"),
    ]
    assert options[0].name.zh == "极光"


@pytest.mark.parametrize(
    ("name", "category"),
    [
        ("dresses", DRESSES),
        ("DRESSES", DRESSES),
        ("连衣裙", DRESSES),
        ("Dresses", DRESSES),
        ("dReSsEs", DRESSES),
        ("  skirts ", SKIRTS),
        ("服装", CLOTHING),
        ("clothing", CLOTHING),
        ("Electronics", DIGITAL),
        ("数码电子", DIGITAL),
        ("digital", DIGITAL),
        ("Food & Fresh", FRESH),
        ("food & fresh", FRESH),
        ("T恤", TEES),
        ("t-shirts", TEES),
    ],
)
def test_find_category(tx: Transaction, name: str, category: int) -> None:
    assert find_category(tx, name) == category


@pytest.mark.parametrize("name", ["", "   ", "nope", "连衣", "dress", "1"])
def test_find_category_unknown(tx: Transaction, name: str) -> None:
    with pytest.raises(UnknownCategory) as caught:
        find_category(tx, name)
    assert caught.value.params == {"id": name}


def test_find_brands(tx: Transaction) -> None:
    assert find_brands(tx, ["aurora"]) == frozenset({AURORA})
    assert find_brands(tx, ["AURORA", "流明", "MoKo", " lumi "]) == frozenset({AURORA, LUMI, MOKO})
    assert find_brands(tx, ["Idle", "闲置"]) == frozenset({IDLE})
    assert find_brands(tx, []) == frozenset()


@pytest.mark.parametrize("names", [["nope"], ["aurora", "nope"], [""], ["极"]])
def test_find_brands_unknown(tx: Transaction, names: list[str]) -> None:
    with pytest.raises(UnknownBrand) as caught:
        find_brands(tx, names)
    assert caught.value.params == {"id": names[-1]}


# -- the query object -------------------------------------------------------------------------


def test_catalog_query_helpers() -> None:
    assert not CatalogQuery().has_filters
    assert not CatalogQuery(sort=Sort.NEWEST).has_filters
    for changed in (
        CatalogQuery(text="裙"),
        CatalogQuery(category_id=1),
        CatalogQuery(brand_ids=frozenset({1})),
        CatalogQuery(min_price=0),
        CatalogQuery(max_price=100),
        CatalogQuery(in_stock=True),
    ):
        assert changed.has_filters
    busy = CatalogQuery(text="裙", in_stock=True, sort=Sort.SALES)
    assert busy.cleared() == CatalogQuery(sort=Sort.SALES)
    assert busy.with_(text="耳机") == CatalogQuery(text="耳机", in_stock=True, sort=Sort.SALES)
    assert busy.text == "裙"  # unchanged


# -- property ---------------------------------------------------------------------------------

prices = st.sampled_from([None, 0, 100, 2990, 3900, 5000, 12900, 30000, 159900, 200000])


@st.composite
def catalog_queries(draw: st.DrawFn) -> tuple[CatalogQuery, str]:
    keyword = draw(st.sampled_from(sorted(KEYWORDS)))
    low, high = draw(prices), draw(prices)
    assume(low is None or high is None or low <= high)
    query = CatalogQuery(
        text=keyword,
        category_id=draw(st.none() | st.integers(min_value=1, max_value=9)),
        brand_ids=frozenset(draw(st.sets(st.integers(min_value=1, max_value=4)))),
        min_price=low,
        max_price=high,
        in_stock=draw(st.booleans()),
        sort=draw(st.sampled_from(list(Sort))),
    )
    return query, keyword


@pytest.mark.usefixtures("plan")
@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(case=catalog_queries(), limit=st.integers(min_value=1, max_value=13))
def test_pages_match_the_filters_sort_and_count(
    store: Store, case: tuple[CatalogQuery, str], limit: int
) -> None:
    query, keyword = case
    with store.reading() as tx:
        pages = all_pages(tx, query, limit)
        count = count_products(tx, query)
        score = scores(tx)
    cards = [card for page in pages for card in page.cards]
    joined = [card.id for card in cards]
    assert joined == expected(query, score, KEYWORDS[keyword])
    assert len(joined) == count
    keys = [(card.sort_value, card.id) for card in cards]
    assert keys == sorted(keys, reverse=not query.sort.ascending)
    rows = {r.id: r for r in ROWS}
    for card in cards:
        row = rows[card.id]
        assert card.price == row.price
        assert card.stock == row.stock
        assert query.min_price is None or card.price >= query.min_price
        assert query.max_price is None or card.price <= query.max_price
        assert not query.in_stock or card.stock > 0
        assert not query.brand_ids or row.brand in query.brand_ids
        assert query.category_id is None or query.category_id in (row.category, row.top)
