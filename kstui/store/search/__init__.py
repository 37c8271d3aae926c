"""Catalogue search: one question, one implementation per engine.

The catalogue (`kstui.services.catalog.listing`) describes a search as a `SearchSpec`:
the typed terms (`TermMatch`, from `kstui.services.catalog.search_query`), the filters,
the sort. It asks `page` for a page of it and `count` for its size. Both dispatch on
`Transaction.engine` to that engine's module, which holds every engine-specific
statement of the search (index hints, full-text syntax, time budgets):

- `kstui.store.search.sqlite`: FTS5 tables, the covering sort indexes, driving sets and
  a time-boxed walk of the sort index;
- `kstui.store.search.postgres`: the `search_doc` table with pg_trgm and array GIN
  indexes.

An engine module implements `SearchEngine`. What a product's search document holds is
the same for every engine (`kstui.store.search.documents`); `index_products`, `reindex`
and `optimize` store it through the engine's module too.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Literal, Protocol, cast

from kstui.store.interface import Engine, Row, Transaction, in_list
from kstui.store.search.documents import Facets, SearchDoc, build_doc

__all__ = [
    "HIT_COLUMNS",
    "HIT_JOINS",
    "SORT_COLUMNS",
    "Cursor",
    "Scope",
    "SearchEngine",
    "SearchSpec",
    "SortColumn",
    "SortValue",
    "TermMatch",
    "count",
    "engine_module",
    "index_products",
    "optimize",
    "page",
    "reindex",
]

SortColumn = Literal["score", "sales", "price", "listed_at"]
"""The product columns a search can sort on (each has its covering indexes)."""
SORT_COLUMNS: tuple[SortColumn, ...] = ("score", "sales", "price", "listed_at")

SortValue = int | str | datetime
"""A product's value in the sort column as the engine returns it (`listed_at` is text on
SQLite, a datetime on PostgreSQL): only ever handed back in a `Cursor`."""
Cursor = tuple[SortValue, int]
"""Where a page ended: the last row's sort value and id."""


class Scope(StrEnum):
    """Which document columns a 3+ character term is a substring of."""

    CHINESE = "chinese"
    """The Chinese name and brand only (`text`): the term has a Chinese character."""
    NAMES = "names"
    """The Chinese and the English name and brand, and the initials (`text`, `en`, `ini`)."""


@dataclass(frozen=True, slots=True)
class TermMatch:
    """One typed term: a product matches it if any of its alternatives matches.

    The alternatives, all over a product's `SearchDoc`:

    - `substring`: the term (3+ characters) is a substring of these columns;
    - `gram`: the term (1–2 characters) is one of the gram tokens;
    - `pinyin`: a reading of 3+ syllable codes is a substring of the `py` column;
    - `pinyin_grams`: a reading of 1–2 syllable codes is one of the gram tokens.

    A term has at least one alternative. Readings come fewest syllables first, distinct.
    """

    term: str
    """The folded term (`normalize`)."""
    substring: Scope | None = None
    gram: bool = False
    pinyin: tuple[str, ...] = ()
    pinyin_grams: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class SearchSpec:
    """A catalogue search: a product must match every term and every filter.

    Prices are fen and inclusive; `None` means no bound. At most one of
    `top_category_id` (a top category: its products and its sub-categories') and
    `category_id` (a sub-category) is set. `brand_ids` are distinct and ascending; empty
    means any brand. Ties of the sort column are broken by id in the same direction.
    """

    terms: tuple[TermMatch, ...] = ()
    top_category_id: int | None = None
    category_id: int | None = None
    min_price: int | None = None
    max_price: int | None = None
    in_stock: bool = False
    brand_ids: tuple[int, ...] = ()
    sort: SortColumn = "score"
    ascending: bool = False

    def __post_init__(self) -> None:
        if self.sort not in SORT_COLUMNS:
            raise ValueError(f"no such sort column: {self.sort!r}")
        if self.top_category_id is not None and self.category_id is not None:
            raise ValueError("a search has a top category or a sub-category, not both")
        if list(self.brand_ids) != sorted(set(self.brand_ids)):
            raise ValueError("brand_ids must be distinct and ascending")


HIT_COLUMNS = (
    "p.id, p.name_zh, p.name_en, p.price, p.original_price, p.sales, p.stock, "
    "s.name_zh, s.name_en, b.name_zh, b.name_en"
)
"""What `page` returns of each product, followed by its sort value (`product p`, its
`shop s` and its `brand b`, NULLs without a brand): shared by every engine."""
HIT_JOINS = "JOIN shop s ON s.id = p.shop_id LEFT JOIN brand b ON b.id = p.brand_id"
"""The joins behind `HIT_COLUMNS`."""


class SearchEngine(Protocol):
    """What an engine's search module (`kstui.store.search.<engine>`) implements."""

    def page(
        self, tx: Transaction, spec: SearchSpec, *, after: Cursor | None, limit: int
    ) -> list[Row]:
        """Up to `limit` matching products after `after`, in the spec's order.

        Each row is `HIT_COLUMNS` and then the sort column's value.
        """
        ...

    def count(self, tx: Transaction, spec: SearchSpec, *, cap: int) -> int:
        """How many products match, counting no further than `cap + 1`."""
        ...

    def index_products(
        self, tx: Transaction, docs: Sequence[tuple[int, SearchDoc]], *, replace: bool
    ) -> None:
        """Store the documents of products (`replace`: drop their earlier ones first)."""
        ...

    def optimize(self, tx: Transaction) -> None:
        """Make the index fast again after a bulk load (in a write transaction)."""
        ...


_MODULES: dict[Engine, str] = {
    "sqlite": "kstui.store.search.sqlite",
    "postgresql": "kstui.store.search.postgres",
}
_loaded: dict[Engine, SearchEngine] = {}


def engine_module(tx: Transaction) -> SearchEngine:
    """The search module of the transaction's engine (imported on first use)."""
    found = _loaded.get(tx.engine)
    if found is None:
        found = cast(SearchEngine, importlib.import_module(_MODULES[tx.engine]))
        _loaded[tx.engine] = found
    return found


def page(
    tx: Transaction, spec: SearchSpec, *, after: Cursor | None = None, limit: int
) -> list[Row]:
    """Up to `limit` products matching `spec` after the cursor `after`, in its order.

    Each row is `HIT_COLUMNS` and then the product's sort value.
    """
    return engine_module(tx).page(tx, spec, after=after, limit=limit)


def count(tx: Transaction, spec: SearchSpec, *, cap: int) -> int:
    """How many products match `spec`, counting no further than `cap + 1`."""
    return engine_module(tx).count(tx, spec, cap=cap)


def index_products(
    tx: Transaction, docs: Iterable[tuple[int, SearchDoc]], *, replace: bool = True
) -> None:
    """Write the search documents of products, inside the caller's write transaction.

    Args:
        tx: A write transaction.
        docs: (product id, document) pairs.
        replace: Remove earlier documents of these products first; False for new products.
    """
    engine_module(tx).index_products(tx, list(docs), replace=replace)


def reindex(tx: Transaction, product_ids: Sequence[int] | None = None) -> int:
    """Rebuild the search documents of some products (all if None) from the product table.

    Returns:
        How many products were indexed.
    """
    sql = (
        "SELECT p.id, p.name_zh, p.name_en, COALESCE(b.name_zh, ''), COALESCE(b.name_en, ''),"
        " p.top_category_id, p.category_id, p.brand_id, p.price"
        " FROM product p LEFT JOIN brand b ON b.id = p.brand_id"
    )
    params: dict[str, object] = {}
    if product_ids is not None:
        ids_sql, params = in_list("id", list(product_ids))
        sql += f" WHERE p.id IN {ids_sql}"
    docs = [
        (
            pid,
            build_doc(
                name_zh=name_zh, name_en=name_en, brand_zh=brand_zh, brand_en=brand_en,
                facets=Facets(top, category, brand, price),
            ),
        )
        for pid, name_zh, name_en, brand_zh, brand_en, top, category, brand, price
        in tx.fetch_all(sql + " ORDER BY p.id", **params)
    ]  # fmt: skip
    index_products(tx, docs)
    return len(docs)


def optimize(tx: Transaction) -> None:
    """Make the search index fast again after a bulk load (in a write transaction)."""
    engine_module(tx).optimize(tx)


if TYPE_CHECKING:  # each engine's module implements the protocol
    from kstui.store.search import postgres as _postgres
    from kstui.store.search import sqlite as _sqlite

    _POSTGRES_IS_AN_ENGINE: SearchEngine = _postgres
    _SQLITE_IS_AN_ENGINE: SearchEngine = _sqlite
