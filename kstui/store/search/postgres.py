"""Catalogue search on PostgreSQL: one `search_doc` row per product (migration 0005).

The table holds what SQLite's two FTS5 tables hold, for pg_trgm and array GIN indexes:

- `han`: the Chinese name and brand (`SearchDoc.text`), for terms with a Chinese character;
- `latin`: `text`, `en` and `ini` joined by U+001F (a character no query holds, so that a
  substring never spans two of them);
- `py`: the syllable-coded pinyin (`SearchDoc.py`);
- `grams`: the 1–2 character gram tokens and the filter tags (`SearchDoc.grams`) as a
  `text[]`.

A 3+ character term is a `LIKE '%…%'` on `han`, `latin` or `py` (pg_trgm answers it from
the trigram index and rechecks each candidate, so the answer is exact whatever the
tokenizer makes of the characters); 1–2 character terms and readings are an overlap
`grams && ARRAY[…]` on the array index. The filters and the sort are plain SQL over the
product table. Whether the matches are fetched and sorted or a sort index is walked is
decided by counting the matches first, up to `DRIVE_BELOW` (see `_keyword_condition`).

Its figures at 100 000 and 1 000 000 products are in the README (bench/catalog.py).
"""

from __future__ import annotations

from collections.abc import Sequence

from kstui.store.interface import Row, Transaction, in_list
from kstui.store.search import HIT_COLUMNS, HIT_JOINS, Cursor, Scope, SearchSpec, TermMatch
from kstui.store.search.documents import SearchDoc, spec_facets, tag_token

SEPARATOR = "\x1f"
"""Between the parts of `latin`: a control character, which `normalize` drops from queries."""

Params = dict[str, object]

DRIVE_BELOW = 5_000
"""A keyword matched by fewer products than this (within the tagged filters) drives the
query: its products are fetched by id and sorted, instead of walking a sort index."""


def page(tx: Transaction, spec: SearchSpec, *, after: Cursor | None, limit: int) -> list[Row]:
    """Up to `limit` products matching `spec` after `after` (`HIT_COLUMNS`, sort value)."""
    where, params = _filters(tx, spec)
    key = f"p.{spec.sort}"
    direction = "ASC" if spec.ascending else "DESC"
    if after is not None:
        where.append(f"({key}, p.id) {'>' if spec.ascending else '<'} (:after_value, :after_id)")
        params["after_value"], params["after_id"] = after
    sql = (
        f"SELECT {HIT_COLUMNS}, {key} FROM product p {HIT_JOINS}{_where(where)}"
        f" ORDER BY {key} {direction}, p.id {direction} LIMIT :limit"
    )
    return tx.fetch_all(sql, **params, limit=limit)


def count(tx: Transaction, spec: SearchSpec, *, cap: int) -> int:
    """How many products match `spec`, counting no further than `cap + 1`."""
    where, params = _filters(tx, spec)
    sql = f"SELECT count(*) FROM (SELECT 1 FROM product p{_where(where)} LIMIT :limit) AS found"
    return int(tx.fetch_value(sql, **params, limit=cap + 1))


def index_products(
    tx: Transaction, docs: Sequence[tuple[int, SearchDoc]], *, replace: bool
) -> None:
    """Write the `search_doc` rows of products (`replace`: over their earlier rows)."""
    sql = (
        "INSERT INTO search_doc (product_id, han, latin, py, grams)"
        " VALUES (:id, :han, :latin, :py, CAST(:grams AS TEXT[]))"
    )
    if replace:
        sql += (
            " ON CONFLICT (product_id) DO UPDATE SET han = excluded.han,"
            " latin = excluded.latin, py = excluded.py, grams = excluded.grams"
        )
    tx.execute_many(
        sql,
        [
            {
                "id": pid,
                "han": doc.text,
                "latin": SEPARATOR.join((doc.text, doc.en, doc.ini)),
                "py": doc.py,
                "grams": doc.grams.split(),
            }
            for pid, doc in docs
        ],
    )


def optimize(tx: Transaction) -> None:
    """Refresh the planner's statistics of the search table after a bulk load."""
    tx.execute("ANALYZE search_doc")


def _keyword_condition(tx: Transaction, spec: SearchSpec, params: Params) -> str:
    """The keyword as a WHERE term over `product p`, chosen by how many products match it.

    The matches within the filters the index carries as tags are looked up first, in the
    GIN indexes (the tags make "裙 in 数码电子" an index intersection). Fewer than
    `DRIVE_BELOW` of them are the query's id list (fetched by id, then sorted); more, and
    the sort index is walked with the keyword as a filter, which then finds a page soon.
    The planner cannot choose between the two itself: it takes the keyword and the
    category for independent, and 裙 and 服装 are not.
    """
    term_params: Params = {}
    terms = [_term_sql(term, f"t{i}", term_params) for i, term in enumerate(spec.terms)]
    tag_params: Params = {}
    tags = []
    for i, (facet, values) in enumerate(spec_facets(spec)):
        tags.append(f"d.grams && CAST(:f{i} AS TEXT[])")
        tag_params[f"f{i}"] = [tag_token(facet, value) for value in values]
    found = tx.fetch_all(
        f"SELECT d.product_id FROM search_doc d WHERE {' AND '.join(terms + tags)} LIMIT :probe",
        **term_params,
        **tag_params,
        probe=DRIVE_BELOW,
    )
    if len(found) < DRIVE_BELOW:
        params["ids"] = [product_id for (product_id,) in found]
        return "p.id = ANY(CAST(:ids AS INTEGER[]))"
    params.update(term_params)
    return f"p.id IN (SELECT d.product_id FROM search_doc d WHERE {' AND '.join(terms)})"


def _filters(tx: Transaction, spec: SearchSpec) -> tuple[list[str], Params]:
    """The WHERE terms (over `product p`) of a spec's filters and keyword, and their values."""
    where: list[str] = []
    params: Params = {}
    if spec.top_category_id is not None:
        where.append("p.top_category_id = :category")
        params["category"] = spec.top_category_id
    elif spec.category_id is not None:
        where.append("p.category_id = :category")
        params["category"] = spec.category_id
    if spec.min_price is not None:
        where.append("p.price >= :min_price")
        params["min_price"] = spec.min_price
    if spec.max_price is not None:
        where.append("p.price <= :max_price")
        params["max_price"] = spec.max_price
    if spec.in_stock:
        where.append("p.stock > 0")
    if spec.brand_ids:
        brand_sql, brand_params = in_list("brand", spec.brand_ids)
        where.append(f"p.brand_id IN {brand_sql}")
        params.update(brand_params)
    if spec.terms:
        where.append(_keyword_condition(tx, spec, params))
    return where, params


def _term_sql(term: TermMatch, name: str, params: Params) -> str:
    """One term as a condition over `search_doc d`: any of its alternatives."""
    alternatives: list[str] = []
    if term.substring is not None:
        column = "d.han" if term.substring is Scope.CHINESE else "d.latin"
        alternatives.append(f"{column} LIKE :{name}")
        params[name] = _contains(term.term)
    for i, codes in enumerate(term.pinyin):
        alternatives.append(f"d.py LIKE :{name}_py{i}")
        params[f"{name}_py{i}"] = _contains(codes)
    grams = ([term.term] if term.gram else []) + list(term.pinyin_grams)
    if grams:
        alternatives.append(f"d.grams && CAST(:{name}_grams AS TEXT[])")
        params[f"{name}_grams"] = grams
    return "(" + " OR ".join(alternatives) + ")"


def _contains(text: str) -> str:
    """A LIKE pattern for `text` anywhere (its `%`, `_` and `\\` taken literally)."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _where(terms: list[str]) -> str:
    return f" WHERE {' AND '.join(terms)}" if terms else ""
