"""Browsing the catalogue: filter, search, sort and page through products.

The keyword is parsed here (`search_query`) and checked with the filters against the
shop; the search itself is one call into `kstui.store.search`, which each engine answers
with its own indexes (on SQLite: FTS5 tables, covering sort indexes, driving id sets, a
time-boxed walk; see `kstui.store.search.sqlite` and the README's performance section).
Pages are fetched with a keyset cursor (the last row's sort value and id), never with
OFFSET, so page 1000 costs what page 1 costs; the total is counted separately, capped,
so the first page never waits for it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum

from kstui.i18n import Localized
from kstui.services.catalog.errors import (
    InvalidLimit,
    InvalidPriceRange,
    UnknownBrand,
    UnknownCategory,
)
from kstui.services.catalog.search_query import TermMatch, parse_query
from kstui.store import search
from kstui.store.interface import Row, Transaction, in_list
from kstui.store.search import Cursor, SearchSpec, SortColumn, SortValue

__all__ = [
    "LOW_STOCK",
    "MAX_PAGE",
    "BrandOption",
    "CatalogQuery",
    "CategoryNode",
    "Cursor",
    "Page",
    "ProductCard",
    "Sort",
    "brand_options",
    "category_tree",
    "count_products",
    "find_brands",
    "find_category",
    "search_products",
    "validate_query",
]

MAX_PAGE = 200
LOW_STOCK = 10
"""Below this many units a product or SKU says "only N left"."""


class Sort(StrEnum):
    """The orders of the product list (综合 / 销量 / 价格↑ / 价格↓ / 新品)."""

    OVERALL = "overall"
    SALES = "sales"
    PRICE_ASC = "price_asc"
    PRICE_DESC = "price_desc"
    NEWEST = "newest"

    @property
    def column(self) -> SortColumn:
        """The product column this order sorts on."""
        return _SORT_COLUMN[self]

    @property
    def ascending(self) -> bool:
        """True when the smallest value comes first."""
        return self is Sort.PRICE_ASC


_SORT_COLUMN: dict[Sort, SortColumn] = {
    Sort.OVERALL: "score",
    Sort.SALES: "sales",
    Sort.PRICE_ASC: "price",
    Sort.PRICE_DESC: "price",
    Sort.NEWEST: "listed_at",
}


@dataclass(frozen=True)
class CatalogQuery:
    """What the shopper asked for. Prices are fen; `None` means no bound."""

    text: str = ""
    category_id: int | None = None
    brand_ids: frozenset[int] = frozenset()
    min_price: int | None = None
    max_price: int | None = None
    in_stock: bool = False
    sort: Sort = Sort.OVERALL

    @property
    def has_filters(self) -> bool:
        """True when anything narrows the list besides the sort."""
        return self != CatalogQuery(sort=self.sort)

    @property
    def has_filters_besides_text(self) -> bool:
        """True when a category, brand, price or stock filter narrows the list."""
        return self.with_(text="").has_filters

    def cleared(self) -> CatalogQuery:
        """The same sort with every filter and the keyword removed."""
        return CatalogQuery(sort=self.sort)

    def with_(self, **changes: object) -> CatalogQuery:
        """A copy with some fields changed."""
        return replace(self, **changes)  # type: ignore[arg-type]


@dataclass(frozen=True, slots=True)
class ProductCard:
    """One row of the product list."""

    id: int
    name: Localized
    price: int
    original_price: int | None
    sales: int
    stock: int
    shop: Localized
    brand: Localized | None
    sort_value: SortValue = field(repr=False, compare=False)


@dataclass(frozen=True)
class Page:
    """A page of results; `next_cursor` is None on the last page."""

    cards: list[ProductCard]
    next_cursor: Cursor | None


@dataclass(frozen=True)
class CategoryNode:
    """A category and its sub-categories."""

    id: int
    slug: str
    name: Localized
    children: list[CategoryNode]


@dataclass(frozen=True)
class BrandOption:
    """A brand as offered by the brand filter."""

    id: int
    slug: str
    name: Localized


def validate_query(tx: Transaction, query: CatalogQuery) -> list[TermMatch]:
    """Check a query against the shop and parse its keyword.

    Raises:
        QueryTooLong: the keyword is too long.
        InvalidPriceRange: a bound is negative or the range is reversed.
        UnknownCategory: the category does not exist.
        UnknownBrand: a brand does not exist.
    """
    terms = parse_query(query.text)
    low, high = query.min_price, query.max_price
    if (low is not None and low < 0) or (high is not None and high < 0):
        raise InvalidPriceRange(low=low, high=high)
    if low is not None and high is not None and low > high:
        raise InvalidPriceRange(low=low, high=high)
    if query.category_id is not None:
        _is_top_category(tx, query.category_id)
    if query.brand_ids:
        ids = sorted(query.brand_ids)
        ids_sql, params = in_list("brand", ids)
        found = {
            row[0] for row in tx.fetch_all(f"SELECT id FROM brand WHERE id IN {ids_sql}", **params)
        }
        if missing := sorted(set(ids) - found):
            raise UnknownBrand(id=missing[0])
    return terms


def search_products(
    tx: Transaction,
    query: CatalogQuery,
    *,
    after: Cursor | None = None,
    limit: int = 50,
) -> Page:
    """One page of the products matching `query`, in its sort order.

    Args:
        tx: A read transaction (`Store.reading()`).
        query: Filters, keyword and sort.
        after: The `next_cursor` of the previous page, or None for the first page.
        limit: Page size, 1–200.
    """
    if not 1 <= limit <= MAX_PAGE:
        raise InvalidLimit(limit=limit, max=MAX_PAGE)
    terms = validate_query(tx, query)
    if _nothing_to_find(query, terms):
        return Page(cards=[], next_cursor=None)
    rows = search.page(tx, _spec(tx, query, terms), after=after, limit=limit + 1)
    cards = [_card(row) for row in rows[:limit]]
    next_cursor = (cards[-1].sort_value, cards[-1].id) if len(rows) > limit else None
    return Page(cards=cards, next_cursor=next_cursor)


def count_products(tx: Transaction, query: CatalogQuery, *, cap: int = 10_000) -> int:
    """How many products match `query`, counting at most `cap + 1` of them.

    A result above `cap` means "more than cap" (shown as e.g. 1万+).
    """
    terms = validate_query(tx, query)
    if _nothing_to_find(query, terms):
        return 0
    return search.count(tx, _spec(tx, query, terms), cap=cap)


def _nothing_to_find(query: CatalogQuery, terms: list[TermMatch]) -> bool:
    """A search text with no usable term (`!!`, `*`) matches nothing, not everything."""
    return bool(query.text.strip()) and not terms


def _spec(tx: Transaction, query: CatalogQuery, terms: list[TermMatch]) -> SearchSpec:
    """What the store's search is asked: the parsed terms, the filters and the sort."""
    top = query.category_id is not None and _is_top_category(tx, query.category_id)
    return SearchSpec(
        terms=tuple(terms),
        top_category_id=query.category_id if top else None,
        category_id=None if top else query.category_id,
        min_price=query.min_price,
        max_price=query.max_price,
        in_stock=query.in_stock,
        brand_ids=tuple(sorted(query.brand_ids)),
        sort=query.sort.column,
        ascending=query.sort.ascending,
    )


def category_tree(tx: Transaction) -> list[CategoryNode]:
    """The top categories in order, each with its sub-categories."""
    rows = tx.fetch_all(
        "SELECT id, slug, parent_id, name_zh, name_en FROM category ORDER BY position, id"
    )
    children: dict[int, list[CategoryNode]] = {}
    for cid, slug, parent, zh, en in rows:
        if parent is not None:
            children.setdefault(parent, []).append(CategoryNode(cid, slug, Localized(zh, en), []))
    return [
        CategoryNode(cid, slug, Localized(zh, en), children.get(cid, []))
        for cid, slug, parent, zh, en in rows
        if parent is None
    ]


def find_category(tx: Transaction, slug_or_name: str) -> int:
    """The id of the category with this slug, Chinese or English name (any case).

    Raises:
        UnknownCategory: if there is none.
    """
    found = _id_by_name(tx, "category", slug_or_name)
    if found is None:
        raise UnknownCategory(id=slug_or_name)
    return found


def brand_options(tx: Transaction) -> list[BrandOption]:
    """Every brand, by Latin name."""
    rows = tx.fetch_all("SELECT id, slug, name_zh, name_en FROM brand ORDER BY lower(name_en), id")
    return [BrandOption(bid, slug, Localized(zh, en)) for bid, slug, zh, en in rows]


def find_brands(tx: Transaction, names: Sequence[str]) -> frozenset[int]:
    """The ids of brands named by slug, Chinese or Latin name (any case).

    Raises:
        UnknownBrand: for the first name that is no brand.
    """
    ids = set()
    for name in names:
        found = _id_by_name(tx, "brand", name)
        if found is None:
            raise UnknownBrand(id=name)
        ids.add(found)
    return frozenset(ids)


def _id_by_name(tx: Transaction, table: str, name: str) -> int | None:
    """The id of the category or brand with this slug, Chinese or English name (any case).

    Slugs and names are unique; a name matching two rows (one's slug, another's Chinese
    name) takes the smaller id.
    """
    wanted = name.strip()
    found = tx.fetch_value(
        f"SELECT id FROM {table} WHERE slug = :slug OR name_zh = :zh OR lower(name_en) = :en"
        " ORDER BY id LIMIT 1",
        slug=wanted.lower(),
        zh=wanted,
        en=wanted.lower(),
    )
    return None if found is None else int(found)


def _is_top_category(tx: Transaction, category_id: int) -> bool:
    """True for a top category, False for a sub-category.

    Raises:
        UnknownCategory: if there is no such category.
    """
    row = tx.fetch_one("SELECT parent_id FROM category WHERE id = :id", id=category_id)
    if row is None:
        raise UnknownCategory(id=category_id)
    return row[0] is None


def _card(row: Row) -> ProductCard:
    """A card from a row of `kstui.store.search.HIT_COLUMNS` and the sort value."""
    (pid, name_zh, name_en, price, original, sales, stock, s_zh, s_en, b_zh, b_en, key) = row
    return ProductCard(
        id=int(pid),
        name=Localized(str(name_zh), str(name_en)),
        price=int(price),
        original_price=None if original is None else int(original),
        sales=int(sales),
        stock=int(stock),
        shop=Localized(str(s_zh), str(s_en)),
        brand=None if b_zh is None else Localized(str(b_zh), str(b_en)),
        sort_value=key,
    )
