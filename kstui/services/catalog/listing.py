"""Browsing the catalogue: filter, search, sort and page through products.

Built to stay fast at a million products (see the README's performance section):

- every sort has a covering index that also carries the filter columns, plus one per
  top category and one per sub-category;
- a keyword becomes a set of product ids from the FTS5 tables (`search_query`), which
  SQLite materialises once per query;
- when that set (or the chosen brands) is small, the query is driven from it and
  sorted; otherwise the sort index is walked in order and stops at the page size;
- pages are fetched with a keyset cursor (the last row's sort value and id), never
  with OFFSET, so page 1000 costs what page 1 costs;
- the total is counted separately, capped, so the first page never waits for it.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

from kstui.i18n import Localized
from kstui.services.catalog.errors import (
    InvalidLimit,
    InvalidPriceRange,
    UnknownBrand,
    UnknownCategory,
)
from kstui.services.catalog.search_query import TermMatch, parse_query
from kstui.store.search_index import Facet, price_bands, tag_text, tag_token

MAX_PAGE = 200
LOW_STOCK = 10
"""Below this many units a product or SKU says "only N left"."""
DRIVE_FROM_SET_BELOW = 3000
"""A keyword, brand or price set smaller than this drives the query (fetch all, then sort)."""
SCAN_BUDGET_SECONDS = 0.012
"""How long the sort index may be walked before the query is driven from an id set."""
FALL_BACK_BELOW = 20_000
"""An id set smaller than this is the way out of a walk that takes too long."""
NARROW = 3
"""A price range over at most this many price bands is also looked up in the search index."""


class Sort(StrEnum):
    """The orders of the product list (综合 / 销量 / 价格↑ / 价格↓ / 新品)."""

    OVERALL = "overall"
    SALES = "sales"
    PRICE_ASC = "price_asc"
    PRICE_DESC = "price_desc"
    NEWEST = "newest"

    @property
    def column(self) -> str:
        """The product column this order sorts on."""
        return _SORT_COLUMN[self]

    @property
    def ascending(self) -> bool:
        """True when the smallest value comes first."""
        return self is Sort.PRICE_ASC


_SORT_COLUMN = {
    Sort.OVERALL: "score",
    Sort.SALES: "sales",
    Sort.PRICE_ASC: "price",
    Sort.PRICE_DESC: "price",
    Sort.NEWEST: "listed_at",
}

Cursor = tuple[int | str, int]
"""Where a page ended: the last row's sort value and id."""


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
    sort_value: int | str = field(repr=False, compare=False)


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


def validate_query(conn: sqlite3.Connection, query: CatalogQuery) -> list[TermMatch]:
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
        _is_top_category(conn, query.category_id)
    if query.brand_ids:
        ids = sorted(query.brand_ids)
        marks = ",".join("?" * len(ids))
        found = {r[0] for r in conn.execute(f"SELECT id FROM brand WHERE id IN ({marks})", ids)}
        if missing := sorted(set(ids) - found):
            raise UnknownBrand(id=missing[0])
    return terms


def search_products(
    conn: sqlite3.Connection,
    query: CatalogQuery,
    *,
    after: Cursor | None = None,
    limit: int = 50,
) -> Page:
    """One page of the products matching `query`, in its sort order.

    Args:
        conn: A read connection (`Store.reading()`).
        query: Filters, keyword and sort.
        after: The `next_cursor` of the previous page, or None for the first page.
        limit: Page size, 1–200.
    """
    if not 1 <= limit <= MAX_PAGE:
        raise InvalidLimit(limit=limit, max=MAX_PAGE)
    terms = validate_query(conn, query)
    if _nothing_to_find(query, terms):
        return Page(cards=[], next_cursor=None)
    plan = _Plan.build(conn, query, terms)
    sql, params = plan.page_sql(after, limit + 1)
    if plan.fallback is None:
        rows = conn.execute(sql, params).fetchall()
    else:
        # Walking the sort index is fast when matches are dense; when the filters
        # together leave few, the walk can run through much of the index. Give it a
        # time budget, then drive from the smallest id set instead (its cost is bounded
        # by that set's size).
        found = _fetch_within(conn, sql, params, SCAN_BUDGET_SECONDS)
        if found is None:
            sql, params = plan.driven_by(*plan.fallback).page_sql(after, limit + 1)
            found = conn.execute(sql, params).fetchall()
        rows = found
    cards = [_card(row) for row in rows[:limit]]
    next_cursor = (cards[-1].sort_value, cards[-1].id) if len(rows) > limit else None
    return Page(cards=cards, next_cursor=next_cursor)


def count_products(conn: sqlite3.Connection, query: CatalogQuery, *, cap: int = 10_000) -> int:
    """How many products match `query`, counting at most `cap + 1` of them.

    A result above `cap` means "more than cap" (shown as e.g. 1万+).
    """
    terms = validate_query(conn, query)
    if _nothing_to_find(query, terms):
        return 0
    plan = _Plan.build(conn, query, terms)
    sql, params = plan.count_sql(cap + 1)
    return int(conn.execute(sql, params).fetchone()[0])


def _nothing_to_find(query: CatalogQuery, terms: list[TermMatch]) -> bool:
    """A search text with no usable term (`!!`, `*`) matches nothing, not everything."""
    return bool(query.text.strip()) and not terms


def category_tree(conn: sqlite3.Connection) -> list[CategoryNode]:
    """The top categories in order, each with its sub-categories."""
    rows = conn.execute(
        "SELECT id, slug, parent_id, name_zh, name_en FROM category ORDER BY position, id"
    ).fetchall()
    children: dict[int, list[CategoryNode]] = {}
    for cid, slug, parent, zh, en in rows:
        if parent is not None:
            children.setdefault(parent, []).append(CategoryNode(cid, slug, Localized(zh, en), []))
    return [
        CategoryNode(cid, slug, Localized(zh, en), children.get(cid, []))
        for cid, slug, parent, zh, en in rows
        if parent is None
    ]


def find_category(conn: sqlite3.Connection, slug_or_name: str) -> int:
    """The id of the category with this slug, Chinese or English name (any case).

    Raises:
        UnknownCategory: if there is none.
    """
    found = _id_by_name(conn, "category", slug_or_name)
    if found is None:
        raise UnknownCategory(id=slug_or_name)
    return found


def brand_options(conn: sqlite3.Connection) -> list[BrandOption]:
    """Every brand, by Latin name."""
    rows = conn.execute(
        "SELECT id, slug, name_zh, name_en FROM brand ORDER BY lower(name_en), id"
    ).fetchall()
    return [BrandOption(bid, slug, Localized(zh, en)) for bid, slug, zh, en in rows]


def find_brands(conn: sqlite3.Connection, names: Sequence[str]) -> frozenset[int]:
    """The ids of brands named by slug, Chinese or Latin name (any case).

    Raises:
        UnknownBrand: for the first name that is no brand.
    """
    ids = set()
    for name in names:
        found = _id_by_name(conn, "brand", name)
        if found is None:
            raise UnknownBrand(id=name)
        ids.add(found)
    return frozenset(ids)


def _id_by_name(conn: sqlite3.Connection, table: str, name: str) -> int | None:
    """The id of the category or brand with this slug, Chinese or English name (any case)."""
    wanted = name.strip()
    row = conn.execute(
        f"SELECT id FROM {table} WHERE slug = ? OR name_zh = ? OR lower(name_en) = ?",
        (wanted.lower(), wanted, wanted.lower()),
    ).fetchone()
    return None if row is None else int(row[0])


def _is_top_category(conn: sqlite3.Connection, category_id: int) -> bool:
    """True for a top category, False for a sub-category.

    Raises:
        UnknownCategory: if there is no such category.
    """
    row = conn.execute("SELECT parent_id FROM category WHERE id = ?", (category_id,)).fetchone()
    if row is None:
        raise UnknownCategory(id=category_id)
    return row[0] is None


_CARD_COLUMNS = (
    "p.id, p.name_zh, p.name_en, p.price, p.original_price, p.sales, p.stock, "
    "s.name_zh, s.name_en, b.name_zh, b.name_en"
)


def _card(row: Sequence[object]) -> ProductCard:
    (pid, name_zh, name_en, price, original, sales, stock, s_zh, s_en, b_zh, b_en, key) = row
    return ProductCard(
        id=int(pid),  # type: ignore[call-overload]
        name=Localized(str(name_zh), str(name_en)),
        price=int(price),  # type: ignore[call-overload]
        original_price=None if original is None else int(original),  # type: ignore[call-overload]
        sales=int(sales),  # type: ignore[call-overload]
        stock=int(stock),  # type: ignore[call-overload]
        shop=Localized(str(s_zh), str(s_en)),
        brand=None if b_zh is None else Localized(str(b_zh), str(b_en)),
        sort_value=key,  # type: ignore[arg-type]
    )


@dataclass
class _Plan:
    """The SQL for one query: WHERE terms, the index to walk and the driving set."""

    sort: Sort
    where: list[str]
    params: list[object]
    index: str | None
    drive_from: str | None
    drive_params: list[object]
    fallback: tuple[str, list[object]] | None = None
    """The id set to drive from if walking the index takes too long."""

    def driven_by(self, ids_sql: str, ids_params: list[object]) -> _Plan:
        """The same query driven from an id set."""
        return replace(self, drive_from=ids_sql, drive_params=ids_params, fallback=None)

    @classmethod
    def build(cls, conn: sqlite3.Connection, query: CatalogQuery, terms: list[TermMatch]) -> _Plan:
        where: list[str] = []
        params: list[object] = []
        key = query.sort.column
        index = f"ix_product_by_{key}"
        facets: list[tuple[Facet, list[int]]] = []
        if query.category_id is not None:
            if _is_top_category(conn, query.category_id):
                where.append("p.top_category_id = ?")
                index = f"ix_product_top_category_by_{key}"
                facets.append((Facet.TOP_CATEGORY, [query.category_id]))
            else:
                where.append("p.category_id = ?")
                index = f"ix_product_category_by_{key}"
                facets.append((Facet.CATEGORY, [query.category_id]))
            params.append(query.category_id)
        price_sql, price_params = [], []
        if query.min_price is not None:
            price_sql.append("price >= ?")
            price_params.append(query.min_price)
        if query.max_price is not None:
            price_sql.append("price <= ?")
            price_params.append(query.max_price)
        where.extend(f"p.{term}" for term in price_sql)
        params.extend(price_params)
        if price_sql and len(bands := price_bands(query.min_price, query.max_price)) <= NARROW:
            facets.append((Facet.PRICE_BAND, bands))
        if query.in_stock:
            where.append("p.stock > 0")
        brand_sql = ""
        if query.brand_ids:
            brand_sql = f"p.brand_id IN ({','.join('?' * len(query.brand_ids))})"
            where.append(brand_sql)
            params.extend(sorted(query.brand_ids))
            facets.append((Facet.BRAND, sorted(query.brand_ids)))
        drivers: list[tuple[str, list[object]]] = []
        if terms:
            keyword_sql, keyword_params = _keyword_ids_sql(terms, facets)
            drivers.append((keyword_sql, keyword_params))
            # `+` keeps SQLite from using p.id to probe the sort index (a skip-scan per
            # matching id, seconds at 1M): the index is walked in order instead.
            where.append(f"+p.id IN ({keyword_sql})")
            params.extend(keyword_params)
        if query.brand_ids:
            drivers.append(
                (
                    f"SELECT id AS rowid_ FROM product p WHERE {brand_sql}",
                    [*sorted(query.brand_ids)],
                )
            )
        if price_sql:
            drivers.append(
                (
                    "SELECT id AS rowid_ FROM product INDEXED BY ix_product_by_price"
                    f" WHERE {' AND '.join(price_sql)}",
                    [*price_params],
                )
            )
        fallback: tuple[str, list[object]] | None = None
        for driver_sql, driver_params in drivers:
            size = _bounded_count(conn, driver_sql, driver_params, FALL_BACK_BELOW)
            if size < DRIVE_FROM_SET_BELOW:
                return cls(query.sort, where, params, index, driver_sql, driver_params)
            if size < FALL_BACK_BELOW and fallback is None:
                fallback = (driver_sql, driver_params)
        return cls(query.sort, where, params, index, None, [], fallback)

    def _from(self) -> tuple[str, list[object]]:
        if self.drive_from is not None:
            # Driven from a small id set: SQLite looks each id up, filters and sorts.
            return f"({self.drive_from}) AS d JOIN product p ON p.id = d.rowid_", list(
                self.drive_params
            )
        return f"product p INDEXED BY {self.index}", []

    def page_sql(self, after: Cursor | None, limit: int) -> tuple[str, list[object]]:
        key = f"p.{self.sort.column}"
        direction = "ASC" if self.sort.ascending else "DESC"
        from_sql, from_params = self._from()
        where = list(self.where)
        params = [*from_params, *self.params]
        if after is not None:
            where.append(f"({key}, p.id) {'>' if self.sort.ascending else '<'} (?, ?)")
            params.extend(after)
        sql = (
            f"SELECT {_CARD_COLUMNS}, {key} FROM {from_sql} "
            "JOIN shop s ON s.id = p.shop_id LEFT JOIN brand b ON b.id = p.brand_id"
            f"{_where(where)} ORDER BY {key} {direction}, p.id {direction} LIMIT ?"
        )
        return sql, [*params, limit]

    def count_sql(self, limit: int) -> tuple[str, list[object]]:
        from_sql, from_params = self._from()
        sql = f"SELECT count(*) FROM (SELECT 1 FROM {from_sql}{_where(self.where)} LIMIT ?)"
        return sql, [*from_params, *self.params, limit]


def _where(terms: list[str]) -> str:
    return f" WHERE {' AND '.join(terms)}" if terms else ""


def _keyword_ids_sql(
    terms: list[TermMatch], facets: list[tuple[Facet, list[int]]]
) -> tuple[str, list[object]]:
    """SQL selecting (as `rowid_`) the ids of products matching every term and facet.

    The facets (category, brands, a narrow price range) are added to the first term's
    MATCH expressions, so that FTS5 intersects them with the keyword itself.
    """
    tri_facets = " AND ".join(
        "tags : (" + " OR ".join(f'"{tag_text(facet, v)}"' for v in values) + ")"
        for facet, values in facets
    )
    gram_facets = " AND ".join(
        "(" + " OR ".join(f'"{tag_token(facet, v)}"' for v in values) + ")"
        for facet, values in facets
    )
    parts: list[str] = []
    params: list[object] = []
    for position, term in enumerate(terms):
        lookups = []
        if term.tri is not None:
            lookups.append("SELECT rowid AS rowid_ FROM search_tri WHERE search_tri MATCH ?")
            narrow = position == 0 and tri_facets
            params.append(f"({term.tri}) AND {tri_facets}" if narrow else term.tri)
        if term.gram is not None:
            lookups.append("SELECT rowid AS rowid_ FROM search_gram WHERE search_gram MATCH ?")
            narrow = position == 0 and gram_facets
            params.append(f"({term.gram}) AND {gram_facets}" if narrow else term.gram)
        parts.append(" UNION ".join(lookups) if position == 0 else _nested(lookups))
    return " INTERSECT ".join(parts), params


def _nested(lookups: list[str]) -> str:
    return "SELECT rowid_ FROM (" + " UNION ".join(lookups) + ")"


class _OverBudget(Exception):
    pass


def _fetch_within(
    conn: sqlite3.Connection, sql: str, params: list[object], seconds: float
) -> list[Any] | None:
    """The rows of a query, or None if it ran longer than `seconds` (it is stopped)."""
    deadline = time.perf_counter() + seconds
    over = False

    def check() -> int:
        nonlocal over
        over = time.perf_counter() > deadline
        return int(over)

    conn.set_progress_handler(check, 2000)
    try:
        return conn.execute(sql, params).fetchall()
    except sqlite3.OperationalError:
        if over:
            return None
        raise  # interrupted by someone else: a newer search, for instance
    finally:
        conn.set_progress_handler(None, 0)


def _bounded_count(conn: sqlite3.Connection, ids_sql: str, params: list[object], bound: int) -> int:
    """The size of an id set, counting no further than `bound`."""
    sql = f"SELECT count(*) FROM (SELECT 1 FROM ({ids_sql}) LIMIT ?)"
    return int(conn.execute(sql, [*params, bound]).fetchone()[0])
