"""Synthetic products for scale tests (`kstui seed --synthetic N`).

Each synthetic product copies the shape of a real seed product of the same
sub-category (its first spec, picture, shop, brand, return policy) under a new name
composed from a vocabulary of the top category, with its own prices, stock and sales.
Generation is deterministic (product n is always the same) and idempotent: the store
ends up with exactly N synthetic products (slugs `syn-1` … `syn-N`), resuming where a
previous run stopped. Rows are written in batches, each in its own transaction: on
SQLite on one connection of its own (see `_bulk_transactions`), on other engines through
`Store.writing`.
"""

from __future__ import annotations

import random
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache

from kstui.providers.clock import Clock
from kstui.store.interface import Store, Transaction
from kstui.store.search_index import (
    Facets,
    build_doc,
    index_products,
    is_han,
    optimize,
    pinyin_runs,
)
from kstui.store.seed_loader import overall_score
from kstui.store.sqlite import SqliteStore, SqliteTransaction, transaction, translate_error

BATCH = 20_000

_GENERIC = (
    [("新款", "New"), ("热卖", "Hot"), ("精选", "Select"), ("优质", "Premium"), ("经典", "Classic"),
     ("限定", "Limited"), ("家用", "Home"), ("便携", "Portable")],
    [("套装", "Set"), ("礼盒装", "Gift Box"), ("官方正品", "Official"), ("大容量", "Large"),
     ("升级款", "Upgraded"), ("标准版", "Standard")],
)  # fmt: skip
_VOCAB: dict[str, tuple[list[tuple[str, str]], list[tuple[str, str]]]] = {
    "服装": (
        [("夏季", "Summer"), ("碎花", "Floral"), ("雪纺", "Chiffon"), ("法式", "French"),
         ("复古", "Retro"), ("修身", "Slim"), ("宽松", "Loose"), ("高腰", "High-waist"),
         ("纯棉", "Cotton"), ("韩版", "Korean-style"), ("气质", "Elegant"), ("百搭", "Versatile")],
        [("女", "Women's"), ("男", "Men's"), ("中长款", "Midi"), ("短款", "Short"),
         ("显瘦", "Flattering"), ("学生", "Student")],
    ),
    "数码电子": (
        [("无线", "Wireless"), ("蓝牙", "Bluetooth"), ("降噪", "ANC"), ("快充", "Fast-charge"),
         ("游戏", "Gaming"), ("轻薄", "Slim"), ("高清", "HD"), ("智能", "Smart"),
         ("便携", "Portable"), ("运动", "Sport")],
        [("入耳式", "In-ear"), ("头戴式", "Over-ear"), ("5G", "5G"), ("长续航", "Long-battery"),
         ("官方正品", "Official"), ("套装", "Bundle")],
    ),
    "家居": (
        [("北欧", "Nordic"), ("日式", "Japanese"), ("陶瓷", "Ceramic"), ("实木", "Solid-wood"),
         ("简约", "Minimal"), ("加厚", "Thick"), ("防滑", "Non-slip"), ("收纳", "Storage")],
        [("家用", "Home"), ("大号", "Large"), ("四件套", "4-piece"), ("ins风", "Insta-style"),
         ("礼盒", "Gift box")],
    ),
    "美妆": (
        [("保湿", "Hydrating"), ("美白", "Brightening"), ("控油", "Oil-control"),
         ("哑光", "Matte"), ("持久", "Long-wear"), ("温和", "Gentle"), ("补水", "Moisture")],
        [("女", "Women's"), ("正品", "Genuine"), ("套装", "Set"), ("小样", "Mini"),
         ("礼盒", "Gift box")],
    ),
    "食品生鲜": (
        [("新鲜", "Fresh"), ("现摘", "Just-picked"), ("有机", "Organic"), ("进口", "Imported"),
         ("特产", "Local"), ("手工", "Handmade"), ("麻辣", "Spicy")],
        [("礼盒", "Gift box"), ("5斤装", "2.5 kg"), ("整箱", "Case"), ("家庭装", "Family pack"),
         ("零食", "Snack")],
    ),
    "图书": (
        [("畅销", "Bestselling"), ("经典", "Classic"), ("精装", "Hardcover"), ("正版", "Genuine"),
         ("全套", "Complete")],
        [("珍藏版", "Collector's"), ("彩图版", "Illustrated"), ("全集", "Collected")],
    ),
    "付费课程/内容": (
        [("零基础", "Beginner"), ("进阶", "Advanced"), ("实战", "Hands-on"), ("系统", "Complete")],
        [("会员", "Member"), ("年卡", "Annual"), ("直播课", "Live")],
    ),
}  # fmt: skip


@dataclass(frozen=True)
class _Template:
    """A real product whose shape synthetic ones copy."""

    product_id: int
    category_id: int
    top_category_id: int
    category_zh: str
    category_en: str
    top_zh: str
    shop_id: int
    brand_id: int | None
    brand_zh: str
    brand_en: str
    picture_id: int | None
    return_policy: str
    price: int
    spec: tuple[str, str, list[tuple[str, str]]] | None


def ensure_synthetic(
    store: Store,
    total: int,
    *,
    clock: Clock,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Make the store hold `total` synthetic products; returns how many were added.

    Raises:
        ValueError: if the store has no seed catalogue to copy shapes from.
    """
    with store.reading() as tx:
        templates = _templates(tx)
        done = int(tx.fetch_value("SELECT count(*) FROM product WHERE slug LIKE 'syn-%'"))
    if not templates:
        raise ValueError("the store has no catalogue yet: load the seed first")
    added = 0
    now = clock.now()
    with _bulk_transactions(store) as begin:
        for start in range(done + 1, total + 1, BATCH):
            stop = min(start + BATCH, total + 1)
            with begin() as tx:
                _write_batch(tx, templates, range(start, stop), now)
            added += stop - start
            if progress is not None:
                progress(stop - 1, total)
        if added:
            with begin() as tx:
                optimize(tx)
                tx.execute("ANALYZE")
    return added


@contextmanager
def _bulk_transactions(
    store: Store,
) -> Iterator[Callable[[], AbstractContextManager[Transaction]]]:
    """What begins the transaction of each batch.

    SQLite: a connection of its own (`SqliteStore.connect`, the store's pragmas), each
    batch in one `BEGIN IMMEDIATE` transaction on it, so that the store's pooled
    connections stay as they were. Other engines: `Store.writing`.
    """
    if not isinstance(store, SqliteStore):
        yield store.writing
        return
    conn = store.connect()

    @contextmanager
    def begin() -> Iterator[Transaction]:
        try:
            with transaction(conn):
                yield SqliteTransaction(conn, store.location)
        except sqlite3.Error as exc:  # BEGIN or COMMIT (what the statements raise is ours)
            raise translate_error(exc, store.location) from exc

    try:
        yield begin
    finally:
        conn.close()


def _templates(tx: Transaction) -> list[_Template]:
    rows = tx.fetch_all(
        """
        SELECT p.id, p.category_id, p.top_category_id, c.name_zh, c.name_en, t.name_zh,
               p.shop_id, p.brand_id, coalesce(b.name_zh, ''), coalesce(b.name_en, ''),
               p.picture_id, p.return_policy, p.price
        FROM product p
        JOIN category c ON c.id = p.category_id
        JOIN category t ON t.id = p.top_category_id
        LEFT JOIN brand b ON b.id = p.brand_id
        WHERE p.slug NOT LIKE 'syn-%'
        ORDER BY p.id
        """
    )
    templates = []
    for row in rows:
        spec = tx.fetch_one(
            "SELECT id, name_zh, name_en FROM product_spec WHERE product_id = :product"
            " ORDER BY position, id LIMIT 1",
            product=row[0],
        )
        spec_shape = None
        if spec is not None:
            values = tx.fetch_all(
                "SELECT value_zh, value_en FROM spec_value WHERE spec_id = :spec"
                " ORDER BY position, id LIMIT 4",
                spec=spec[0],
            )
            spec_shape = (spec[1], spec[2], [(zh, en) for zh, en in values])
        (pid, category, top, cat_zh, cat_en, top_zh, shop, brand, brand_zh, brand_en, picture,
         policy, price) = row  # fmt: skip
        templates.append(
            _Template(
                product_id=pid,
                category_id=category,
                top_category_id=top,
                category_zh=cat_zh,
                category_en=cat_en,
                top_zh=top_zh,
                shop_id=shop,
                brand_id=brand,
                brand_zh=brand_zh,
                brand_en=brand_en,
                picture_id=picture,
                return_policy=policy,
                price=price,
                spec=spec_shape,
            )  # fmt: skip
        )
    return templates


def _new_ids(tx: Transaction, table: str, count: int) -> list[int]:
    """Ids for `count` rows about to be inserted into `table`, so that a batch can refer
    to its new rows without reading each id back."""
    if count == 0:
        return []
    if tx.engine == "sqlite":
        # The batch's `BEGIN IMMEDIATE` holds the write lock: no one else inserts meanwhile.
        first = int(tx.fetch_value(f"SELECT coalesce(max(id), 0) + 1 FROM {table}"))
        return list(range(first, first + count))
    # PostgreSQL: taken from the table's own sequence, so that rows inserted meanwhile
    # without an explicit id (or another batch) never get one of them.
    rows = tx.fetch_all(
        "SELECT nextval(pg_get_serial_sequence(:table, 'id')) FROM generate_series(1, :count)",
        table=table,
        count=count,
    )
    return sorted(int(row[0]) for row in rows)


@lru_cache(maxsize=4096)
def _runs(part: str) -> tuple[tuple[str, ...], ...]:
    return tuple(pinyin_runs(part))


def _name_runs(parts: Sequence[str]) -> list[tuple[str, ...]]:
    """Pinyin runs of a name built from `parts`, joining runs across Chinese-only seams."""
    runs: list[tuple[str, ...]] = []
    previous_ends_han = False
    for part in parts:
        part_runs = list(_runs(part))
        if part_runs and previous_ends_han and is_han(part[0]):
            runs[-1] = runs[-1] + part_runs.pop(0)
        runs.extend(part_runs)
        previous_ends_han = bool(part) and is_han(part[-1])
    return runs


def _write_batch(
    tx: Transaction, templates: list[_Template], numbers: range, now: datetime
) -> None:
    products: list[dict[str, object]] = []
    specs: list[tuple[int, tuple[str, str, list[tuple[str, str]]]]] = []
    sku_rows: list[dict[str, object]] = []
    docs = []
    product_ids = _new_ids(tx, "product", len(numbers))
    for pid, n in zip(product_ids, numbers, strict=True):
        rng = random.Random(n)
        template = templates[rng.randrange(len(templates))]
        first_words, last_words = _VOCAB.get(template.top_zh, _GENERIC)
        a, b = rng.sample(first_words, 2)
        c = rng.choice(last_words)
        zh_parts = [a[0], b[0], template.category_zh, c[0]]
        name_zh = "".join(zh_parts)
        name_en = f"{a[1]} {b[1]} {template.category_en} ({c[1]})"
        scale = rng.lognormvariate(0, 0.5)
        base_price = max(100, int(template.price * scale) // 10 * 10)
        sales = int(rng.paretovariate(1.1) * 20) - 20
        listed = rng.randrange(0, 720)
        sku_values = template.spec[2] if template.spec else [("", "")]
        sku_prices = [base_price + i * base_price // 10 // 10 * 10 for i in range(len(sku_values))]
        sku_stocks = [rng.choice((0, 3, 20, 120, 500)) for _ in sku_values]
        in_stock = [(p, i) for i, p in enumerate(sku_prices) if sku_stocks[i] > 0]
        price = min(in_stock)[0] if in_stock else sku_prices[0]
        promoted = rng.random() < 0.3
        original = price * 5 // 4 if promoted else None
        products.append({
            "id": pid, "slug": f"syn-{n}", "shop_id": template.shop_id,
            "brand_id": template.brand_id, "category_id": template.category_id,
            "top_category_id": template.top_category_id, "name_zh": name_zh,
            "name_en": name_en, "description_zh": name_zh + "。",
            "description_en": name_en + ".", "picture_id": template.picture_id,
            "price": price, "original_price": original, "sales": sales,
            "stock": sum(sku_stocks), "listed_at": now - timedelta(days=listed, minutes=n % 1440),
            "score": overall_score(sales=sales, rating_sum=0, reviews=0, listed_days_ago=listed),
            "return_policy": template.return_policy,
        })  # fmt: skip
        if template.spec is not None:
            specs.append((pid, template.spec))
        for i, (sku_price, stock) in enumerate(zip(sku_prices, sku_stocks, strict=True)):
            sku_rows.append({
                "product_id": pid, "spec_key": str(i) if template.spec is not None else "",
                "price": sku_price, "original_price": sku_price * 5 // 4 if promoted else None,
                "stock": stock,
            })  # fmt: skip
        docs.append((
            pid,
            build_doc(
                name_zh=name_zh, name_en=name_en, brand_zh=template.brand_zh,
                brand_en=template.brand_en,
                facets=Facets(
                    template.top_category_id, template.category_id, template.brand_id, price
                ),
                runs=_name_runs([*zh_parts, " ", template.brand_zh]),
            ),
        ))  # fmt: skip
    tx.execute_many(
        """
        INSERT INTO product (id, slug, shop_id, brand_id, category_id, top_category_id,
            name_zh, name_en, description_zh, description_en, picture_id, price,
            original_price, sales, stock, listed_at, score, return_policy,
            rating_sum, review_count, photo_review_count)
        VALUES (:id, :slug, :shop_id, :brand_id, :category_id, :top_category_id,
            :name_zh, :name_en, :description_zh, :description_en, :picture_id, :price,
            :original_price, :sales, :stock, :listed_at, :score, :return_policy, 0, 0, 0)
        """,
        products,
    )
    spec_ids = _new_ids(tx, "product_spec", len(specs))
    tx.execute_many(
        "INSERT INTO product_spec (id, product_id, position, name_zh, name_en)"
        " VALUES (:id, :product_id, 0, :name_zh, :name_en)",
        [
            {"id": spec_id, "product_id": pid, "name_zh": spec_zh, "name_en": spec_en}
            for spec_id, (pid, (spec_zh, spec_en, _)) in zip(spec_ids, specs, strict=True)
        ],
    )
    tx.execute_many(
        "INSERT INTO spec_value (spec_id, position, value_zh, value_en)"
        " VALUES (:spec_id, :position, :value_zh, :value_en)",
        [
            {"spec_id": spec_id, "position": i, "value_zh": zh, "value_en": en}
            for spec_id, (_, (_, _, values)) in zip(spec_ids, specs, strict=True)
            for i, (zh, en) in enumerate(values)
        ],
    )
    tx.execute_many(
        "INSERT INTO sku (product_id, spec_key, price, original_price, stock, sales)"
        " VALUES (:product_id, :spec_key, :price, :original_price, :stock, 0)",
        sku_rows,
    )
    index_products(tx, docs, replace=False)
