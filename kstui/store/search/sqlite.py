"""Catalogue search on SQLite: FTS5 tables and the covering sort indexes.

Built to stay fast at a million products (see the README's performance section):

- every sort has a covering index that also carries the filter columns, plus one per
  top category and one per sub-category (`INDEXED BY` names the one to walk);
- a product's document is two FTS5 rows (rowid = product id): `search_tri` (trigram
  tokenizer, columns `text en py ini tags`) answers substrings of 3+ characters,
  `search_gram` (unicode61, no positions, one column `g`) the 1–2 character gram tokens;
- a keyword becomes a set of product ids from the FTS5 tables, which SQLite
  materialises once per query; the filters (category, brands, a narrow price range) are
  added to the first term's MATCH expressions as tags, so FTS5 intersects them itself;
- when that set (or the chosen brands, or the price range) is small, the query is driven
  from it and sorted; otherwise the sort index is walked in order and stops at the page
  size, within a time budget, after which the query is driven from the smallest set;
- pages are fetched with a keyset cursor (the last row's sort value and id), never
  with OFFSET, so page 1000 costs what page 1 costs;
- the total is counted separately, capped, so the first page never waits for it.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from kstui.store.errors import ReadCancelled
from kstui.store.interface import Row, Transaction, in_list
from kstui.store.search import HIT_COLUMNS, HIT_JOINS, Cursor, Scope, SearchSpec, TermMatch
from kstui.store.search.documents import Facet, SearchDoc, spec_facets, tag_text, tag_token
from kstui.store.sqlite import SqliteTransaction

if TYPE_CHECKING:
    import sqlite3

DRIVE_FROM_SET_BELOW = 3000
"""A keyword, brand or price set smaller than this drives the query (fetch all, then sort)."""
SCAN_BUDGET_SECONDS = 0.012
"""How long the sort index may be walked before the query is driven from an id set."""
FALL_BACK_BELOW = 20_000
"""An id set smaller than this is the way out of a walk that takes too long."""

Params = dict[str, object]


def page(tx: Transaction, spec: SearchSpec, *, after: Cursor | None, limit: int) -> list[Row]:
    """Up to `limit` products matching `spec` after `after` (`HIT_COLUMNS`, sort value)."""
    plan = _Plan.build(tx, spec)
    sql, params = plan.page_sql(after, limit)
    if plan.fallback is None:
        return tx.fetch_all(sql, **params)
    # Walking the sort index is fast when matches are dense; when the filters together
    # leave few, the walk can run through much of the index. Give it a time budget, then
    # drive from the smallest id set instead (its cost is bounded by that set's size).
    found = _fetch_within(tx, sql, params, SCAN_BUDGET_SECONDS)
    if found is None:
        sql, params = plan.driven_by(*plan.fallback).page_sql(after, limit)
        found = tx.fetch_all(sql, **params)
    return found


def count(tx: Transaction, spec: SearchSpec, *, cap: int) -> int:
    """How many products match `spec`, counting no further than `cap + 1`."""
    sql, params = _Plan.build(tx, spec).count_sql(cap + 1)
    return int(tx.fetch_value(sql, **params))


def index_products(
    tx: Transaction, docs: Sequence[tuple[int, SearchDoc]], *, replace: bool
) -> None:
    """Write the FTS5 rows of products (`replace`: delete their earlier rows first)."""
    if replace:
        ids = [{"id": pid} for pid, _ in docs]
        tx.execute_many("DELETE FROM search_tri WHERE rowid = :id", ids)
        tx.execute_many("DELETE FROM search_gram WHERE rowid = :id", ids)
    tx.execute_many(
        "INSERT INTO search_tri(rowid, text, en, py, ini, tags)"
        " VALUES (:id, :text, :en, :py, :ini, :tags)",
        [
            {"id": pid, "text": d.text, "en": d.en, "py": d.py, "ini": d.ini, "tags": d.tags}
            for pid, d in docs
        ],
    )
    tx.execute_many(
        "INSERT INTO search_gram(rowid, g) VALUES (:id, :g)",
        [{"id": pid, "g": d.grams} for pid, d in docs],
    )


def optimize(tx: Transaction) -> None:
    """Merge the FTS segments after a bulk load (faster queries, smaller file)."""
    tx.execute("INSERT INTO search_tri(search_tri) VALUES ('optimize')")
    tx.execute("INSERT INTO search_gram(search_gram) VALUES ('optimize')")


# -- FTS5 expressions -------------------------------------------------------------------------


def fts_expressions(term: TermMatch) -> tuple[str | None, str | None]:
    """The MATCH expressions of a term over `search_tri` and `search_gram` (None: no
    alternative in that table); a product matches the term if either matches it."""
    tri: list[str] = []
    grams: list[str] = []
    if term.substring is not None:
        columns = "text" if term.substring is Scope.CHINESE else "{text en ini}"
        tri.append(f"{columns} : {_quote(term.term)}")
    if term.gram:
        grams.append(_quote(term.term))
    tri.extend(f"py : {_quote(codes)}" for codes in term.pinyin)
    grams.extend(_quote(codes) for codes in term.pinyin_grams)
    return " OR ".join(tri) or None, " OR ".join(dict.fromkeys(grams)) or None


def _quote(text: str) -> str:
    """An FTS5 string: whatever it holds is matched as text, never read as syntax."""
    return '"' + text.replace('"', '""') + '"'


def _keyword_ids_sql(
    terms: Sequence[TermMatch], facets: list[tuple[Facet, list[int]]]
) -> tuple[str, Params]:
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
    params: Params = {}
    for position, term in enumerate(terms):
        tri, gram = fts_expressions(term)
        lookups = []
        if tri is not None:
            name = f"match_{len(params)}"
            lookups.append(f"SELECT rowid AS rowid_ FROM search_tri WHERE search_tri MATCH :{name}")
            narrow = position == 0 and tri_facets
            params[name] = f"({tri}) AND {tri_facets}" if narrow else tri
        if gram is not None:
            name = f"match_{len(params)}"
            lookups.append(
                f"SELECT rowid AS rowid_ FROM search_gram WHERE search_gram MATCH :{name}"
            )
            narrow = position == 0 and gram_facets
            params[name] = f"({gram}) AND {gram_facets}" if narrow else gram
        parts.append(" UNION ".join(lookups) if position == 0 else _nested(lookups))
    return " INTERSECT ".join(parts), params


def _nested(lookups: list[str]) -> str:
    return "SELECT rowid_ FROM (" + " UNION ".join(lookups) + ")"


# -- the plan ---------------------------------------------------------------------------------


@dataclass
class _Plan:
    """The SQL for one search: WHERE terms, the index to walk and the driving set.

    The parameters of the WHERE terms and of the driving sets share one namespace: a
    set that is both a filter and the driver (the keyword's ids) binds the same values.
    """

    spec: SearchSpec
    where: list[str]
    params: Params
    index: str
    drive_from: str | None
    drive_params: Params
    fallback: tuple[str, Params] | None = None
    """The id set to drive from if walking the index takes too long."""

    def driven_by(self, ids_sql: str, ids_params: Params) -> _Plan:
        """The same query driven from an id set."""
        return replace(self, drive_from=ids_sql, drive_params=ids_params, fallback=None)

    @classmethod
    def build(cls, tx: Transaction, spec: SearchSpec) -> _Plan:
        where: list[str] = []
        params: Params = {}
        key = spec.sort
        index = f"ix_product_by_{key}"
        if spec.top_category_id is not None:
            where.append("p.top_category_id = :category")
            params["category"] = spec.top_category_id
            index = f"ix_product_top_category_by_{key}"
        elif spec.category_id is not None:
            where.append("p.category_id = :category")
            params["category"] = spec.category_id
            index = f"ix_product_category_by_{key}"
        price_sql: list[str] = []
        price_params: Params = {}
        if spec.min_price is not None:
            price_sql.append("price >= :min_price")
            price_params["min_price"] = spec.min_price
        if spec.max_price is not None:
            price_sql.append("price <= :max_price")
            price_params["max_price"] = spec.max_price
        where.extend(f"p.{term}" for term in price_sql)
        params.update(price_params)
        if spec.in_stock:
            where.append("p.stock > 0")
        brand_sql = ""
        brand_params: Params = {}
        if spec.brand_ids:
            brand_list, brand_params = in_list("brand", spec.brand_ids)
            brand_sql = f"p.brand_id IN {brand_list}"
            where.append(brand_sql)
            params.update(brand_params)
        drivers: list[tuple[str, Params]] = []
        if spec.terms:
            keyword_sql, keyword_params = _keyword_ids_sql(spec.terms, spec_facets(spec))
            drivers.append((keyword_sql, keyword_params))
            # `+` keeps SQLite from using p.id to probe the sort index (a skip-scan per
            # matching id, seconds at 1M): the index is walked in order instead.
            where.append(f"+p.id IN ({keyword_sql})")
            params.update(keyword_params)
        if spec.brand_ids:
            drivers.append((f"SELECT id AS rowid_ FROM product p WHERE {brand_sql}", brand_params))
        if price_sql:
            drivers.append(
                (
                    "SELECT id AS rowid_ FROM product INDEXED BY ix_product_by_price"
                    f" WHERE {' AND '.join(price_sql)}",
                    price_params,
                )
            )
        fallback: tuple[str, Params] | None = None
        for driver_sql, driver_params in drivers:
            size = _bounded_count(tx, driver_sql, driver_params, FALL_BACK_BELOW)
            if size < DRIVE_FROM_SET_BELOW:
                return cls(spec, where, params, index, driver_sql, driver_params)
            if size < FALL_BACK_BELOW and fallback is None:
                fallback = (driver_sql, driver_params)
        return cls(spec, where, params, index, None, {}, fallback)

    def _from(self) -> tuple[str, Params]:
        if self.drive_from is not None:
            # Driven from a small id set: SQLite looks each id up, filters and sorts.
            return f"({self.drive_from}) AS d JOIN product p ON p.id = d.rowid_", dict(
                self.drive_params
            )
        return f"product p INDEXED BY {self.index}", {}

    def page_sql(self, after: Cursor | None, limit: int) -> tuple[str, Params]:
        key = f"p.{self.spec.sort}"
        ascending = self.spec.ascending
        direction = "ASC" if ascending else "DESC"
        from_sql, params = self._from()
        params.update(self.params)
        where = list(self.where)
        if after is not None:
            where.append(f"({key}, p.id) {'>' if ascending else '<'} (:after_value, :after_id)")
            params["after_value"], params["after_id"] = after
        sql = (
            f"SELECT {HIT_COLUMNS}, {key} FROM {from_sql} {HIT_JOINS}"
            f"{_where(where)} ORDER BY {key} {direction}, p.id {direction} LIMIT :limit"
        )
        return sql, {**params, "limit": limit}

    def count_sql(self, limit: int) -> tuple[str, Params]:
        from_sql, params = self._from()
        sql = f"SELECT count(*) FROM (SELECT 1 FROM {from_sql}{_where(self.where)} LIMIT :limit)"
        return sql, {**params, **self.params, "limit": limit}


def _where(terms: list[str]) -> str:
    return f" WHERE {' AND '.join(terms)}" if terms else ""


def _fetch_within(tx: Transaction, sql: str, params: Params, seconds: float) -> list[Row] | None:
    """The rows of a query, or None if it ran longer than `seconds` (it is stopped).

    Raises:
        ReadCancelled: the query was interrupted from outside (a newer search).
    """
    conn = _connection(tx)
    deadline = time.perf_counter() + seconds
    over = False

    def check() -> int:
        nonlocal over
        over = time.perf_counter() > deadline
        return int(over)

    conn.set_progress_handler(check, 2000)
    try:
        return tx.fetch_all(sql, **params)
    except ReadCancelled:
        if over:
            return None
        raise  # interrupted by someone else: a newer search, for instance
    finally:
        conn.set_progress_handler(None, 0)


def _bounded_count(tx: Transaction, ids_sql: str, params: Params, bound: int) -> int:
    """The size of an id set, counting no further than `bound`."""
    sql = f"SELECT count(*) FROM (SELECT 1 FROM ({ids_sql}) LIMIT :bound)"
    return int(tx.fetch_value(sql, **params, bound=bound))


def _connection(tx: Transaction) -> sqlite3.Connection:
    """The DB-API connection behind a SQLite transaction (for its progress handler)."""
    if not isinstance(tx, SqliteTransaction):
        raise TypeError(f"a SQLite search needs a SQLite transaction, not {tx.engine}")
    return tx.connection
