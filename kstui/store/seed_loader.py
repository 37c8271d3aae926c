"""Loading `data/seed.json` (or another seed file) into a store.

Loading is idempotent: a store that already holds a catalogue is left alone unless
`reset=True`, which empties every table first. Everything is written in one write
transaction (`BEGIN IMMEDIATE` on SQLite, under an advisory lock on PostgreSQL),
so a store is never seen half-loaded and two processes starting on a new store load it
once. Times in the seed are relative to the clock passed in; demo passwords are hashed
with argon2id as they are loaded.
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from kstui.providers.clock import Clock
from kstui.store.bootstrap import is_seeded
from kstui.store.coupon_grants import grant_new_user_coupons
from kstui.store.enums import CouponScope, Role
from kstui.store.errors import SeedError
from kstui.store.interface import Store, Transaction
from kstui.store.migrate import SEARCH_TABLES
from kstui.store.search_index import optimize, reindex
from kstui.store.seed_schema import Seed, SeedCoupon, SeedProduct

__all__ = [
    "DATA_TABLES",
    "SeedError",
    "SeedReport",
    "empty_store",
    "is_seeded",
    "load_seed",
    "overall_score",
    "read_seed",
    "spec_key",
]

DATA_TABLES = (
    "gateway_notice",
    "gateway_trade",
    "payment_event",
    "payment",
    "wallet_entry",
    "wallet",
    "checkin",
    "order_event",
    "order_line",
    "coupon",
    "shop_order",
    "checkout",
    "cart_line",
    "address",
    "login_session",
    "linked_identity",
    "account_event",
    "lockout",
    "sms_code",
    "sms_quota",
    "sms_message",
    "review_photo",
    "review",
    "promotion",
    "sku",
    "spec_value",
    "product_spec",
    "product",
    "coupon_template",
    "account",
    "shipping_rate",
    "shop",
    "brand",
    "category",
    "picture",
)
"""Every table holding shop data, children before parents (the order to empty them in).

The search index is not among them: its tables are the search engine's own (FTS5 on
SQLite), emptied by `empty_store` apart."""


@dataclass(frozen=True)
class SeedReport:
    """What a load did."""

    loaded: bool
    products: int = 0
    accounts: int = 0


def read_seed(path: Path) -> Seed:
    """Read and validate a seed file.

    Raises:
        SeedError: if it is missing, not JSON, or not a valid seed.
    """
    from pydantic import ValidationError

    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        return Seed.model_validate(raw)
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise SeedError(f"{path}: {exc}") from exc
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise SeedError(f"{path}: {where}: {first['msg']}") from exc


def load_seed(store: Store, path: Path, *, clock: Clock, reset: bool = False) -> SeedReport:
    """Load a seed file into `store` unless it already holds a catalogue.

    Args:
        store: The store (its schema must be current).
        path: The seed file; pictures are found relative to its folder.
        clock: Gives "now" for the seed's relative times.
        reset: Empty the store first and load again.

    Raises:
        SeedError: if the file is unusable; the store is then left unchanged.
    """
    if not reset:
        with store.reading() as tx:
            if is_seeded(tx):
                return SeedReport(loaded=False)
    seed = read_seed(path)
    pictures = _read_pictures(seed, path.parent)
    hashes = _hash_passwords(seed)
    with store.writing() as tx:
        _lock_for_loading(tx)
        if reset:
            empty_store(tx)
        elif is_seeded(tx):
            return SeedReport(loaded=False)
        _Loader(tx, clock.now(), pictures).load(seed, hashes)
        optimize(tx)
    _refresh_statistics(store)
    return SeedReport(loaded=True, products=len(seed.products), accounts=len(seed.accounts))


def empty_store(tx: Transaction) -> None:
    """Delete every shop row and the search index (`seed --reset`); ids start at 1 again.

    Must run inside a write transaction.
    """
    if tx.engine == "postgresql":
        _truncate_postgresql(tx)
        return
    for table in DATA_TABLES:
        tx.execute(f"DELETE FROM {table}")
    _empty_sqlite_search_index(tx)


def _empty_sqlite_search_index(tx: Transaction) -> None:
    """SQLite: empty the FTS5 search tables (ids need no reset: the tables have no
    `AUTOINCREMENT`, so an emptied table numbers its rows from 1 again)."""
    for table in SEARCH_TABLES:
        tx.execute(f"DELETE FROM {table}")


def _truncate_postgresql(tx: Transaction) -> None:
    """PostgreSQL: empty the shop tables in one statement and restart their id sequences
    (a `DELETE` leaves the sequences where they were). `CASCADE` also empties what refers
    to them, the engine's search rows included."""
    tx.execute(f"TRUNCATE {', '.join(DATA_TABLES)} RESTART IDENTITY CASCADE")


def _lock_for_loading(tx: Transaction) -> None:
    """Make loaders of one store queue, so that the catalogue is loaded once.

    SQLite's `BEGIN IMMEDIATE` has taken the write lock already. PostgreSQL runs write
    transactions side by side: this waits for the advisory lock that migrations and
    loaders hold until they commit, after which `is_seeded` sees the other's catalogue.
    """
    if tx.engine == "postgresql":
        from kstui.store.postgres import MIGRATION_LOCK

        tx.execute("SELECT pg_advisory_xact_lock(:key)", key=MIGRATION_LOCK)


def _refresh_statistics(store: Store) -> None:
    """Let the query planner see the loaded rows (SQLite: `PRAGMA optimize`)."""
    if store.engine == "sqlite":
        with store.reading() as tx:
            tx.execute("PRAGMA optimize")
    else:
        with store.writing() as tx:
            tx.execute("ANALYZE")


def _read_pictures(seed: Seed, root: Path) -> dict[str, bytes]:
    paths = {p.picture for p in seed.products}
    paths.update(photo for p in seed.products for r in p.reviews for photo in r.photos)
    pictures = {}
    for rel in sorted(paths):
        file = (root / rel).resolve()
        if root.resolve() not in file.parents:
            raise SeedError(f"picture outside the seed folder: {rel}")
        try:
            pictures[rel] = file.read_bytes()
        except OSError as exc:
            raise SeedError(f"{rel}: {exc}") from exc
        if not pictures[rel].startswith(b"\x89PNG\r\n\x1a\n"):
            raise SeedError(f"{rel}: not a PNG file")
    return pictures


def _hash_passwords(seed: Seed) -> list[tuple[str, str | None]]:
    """Each account's login password hash and payment password hash (if it has one): the
    seed's own where it has them (data/seed.json does), else made now (~0.1 s each)."""
    from argon2 import PasswordHasher

    hasher = PasswordHasher()
    return [
        (
            a.password_hash or hasher.hash(a.password),
            a.payment_password_hash
            or (hasher.hash(a.payment_password) if a.payment_password else None),
        )
        for a in seed.accounts
    ]


def overall_score(*, sales: int, rating_sum: int, reviews: int, listed_days_ago: int) -> int:
    """The 综合 (overall) ranking: sales on a log scale, rating, and freshness."""
    popularity = math.log10(1 + sales) * 1000
    rating = (rating_sum / reviews - 3) * 300 if reviews else 0
    freshness = max(0, 90 - listed_days_ago) * 5
    return round(popularity + rating + freshness)


class _Loader:
    """Writes one validated seed; ids are assigned in file order."""

    def __init__(self, tx: Transaction, now: datetime, pictures: dict[str, bytes]):
        self.tx = tx
        self.now = now
        self.picture_ids = {rel: self._picture(png) for rel, png in pictures.items()}
        self.categories: dict[str, tuple[int, int]] = {}
        self.brands: dict[str, tuple[int, str, str]] = {}
        self.shops: dict[str, int] = {}

    def _insert(self, table: str, **values: object) -> int:
        """Insert a row into a table with an `id` column; the new id."""
        columns = ", ".join(values)
        marks = ", ".join(f":{column}" for column in values)
        return self.tx.insert(f"INSERT INTO {table} ({columns}) VALUES ({marks})", **values)

    def _picture(self, png: bytes) -> int:
        digest = hashlib.sha256(png).hexdigest()
        found = self.tx.fetch_value("SELECT id FROM picture WHERE sha256 = :sha", sha=digest)
        return int(found) if found is not None else self._insert("picture", sha256=digest, png=png)

    def _days(self, days: int) -> datetime:
        return self.now + timedelta(days=days)

    def load(self, seed: Seed, password_hashes: list[tuple[str, str | None]]) -> None:
        for position, top in enumerate(seed.categories):
            top_id = self._insert(
                "category", slug=top.slug, parent_id=None, position=position,
                name_zh=top.name.zh, name_en=top.name.en,
            )  # fmt: skip
            self.categories[top.slug] = (top_id, top_id)
            for sub_position, sub in enumerate(top.children):
                sub_id = self._insert(
                    "category", slug=sub.slug, parent_id=top_id, position=sub_position,
                    name_zh=sub.name.zh, name_en=sub.name.en,
                )  # fmt: skip
                self.categories[sub.slug] = (sub_id, top_id)
        for brand in seed.brands:
            bid = self._insert(
                "brand", slug=brand.slug, name_zh=brand.name.zh, name_en=brand.name.en
            )
            self.brands[brand.slug] = (bid, brand.name.zh, brand.name.en)
        for shop in seed.shops:
            sid = self._insert(
                "shop", slug=shop.slug, name_zh=shop.name.zh, name_en=shop.name.en,
                rating_tenths=shop.rating_tenths, ships_from=shop.ships_from,
                ships_from_city_zh=shop.ships_from_city.zh,
                ships_from_city_en=shop.ships_from_city.en,
                default_freight=shop.shipping.default_fee,
                free_shipping_threshold=shop.shipping.free_threshold,
            )  # fmt: skip
            self.shops[shop.slug] = sid
            for province, fee in sorted(shop.shipping.fees.items()):
                self._insert("shipping_rate", shop_id=sid, province=province, fee=fee)
            for coupon in shop.coupons:
                self._coupon(coupon, shop_id=sid)
        for coupon in seed.platform_coupons:
            self._coupon(coupon, shop_id=None)
        for reward in seed.checkin_rewards:
            for day in reward.days:
                self._coupon(reward.coupon, shop_id=None, checkin_day=day)
        for product in seed.products:
            self._product(product)
        reindex(self.tx)
        for account, (password_hash, payment_hash) in zip(
            seed.accounts, password_hashes, strict=True
        ):
            account_id = self._insert(
                "account", phone=account.phone, nickname=account.nickname,
                password_hash=password_hash, role=account.role.value,
                shop_id=self.shops[account.shop] if account.shop else None,
                real_name=account.real_name, id_number=account.id_number,
                birth_date=_birth_date(account.id_number),
                created_at=self.now, payment_password_hash=payment_hash,
            )  # fmt: skip
            if account.role is Role.SHOPPER:
                grant_new_user_coupons(self.tx, account_id, self.now)
            if account.balance:
                self.tx.execute(  # keyed by its account: no id of its own
                    "INSERT INTO wallet (account_id, balance, updated_at)"
                    " VALUES (:account_id, :balance, :updated_at)",
                    account_id=account_id, balance=account.balance, updated_at=self.now,
                )  # fmt: skip
                self._insert(
                    "wallet_entry", account_id=account_id, amount=account.balance,
                    balance_after=account.balance, kind="recharge", ref="seed",
                    entry_key=f"seed:{account_id}", at=self.now,
                )  # fmt: skip

    def _coupon(
        self, coupon: SeedCoupon, *, shop_id: int | None, checkin_day: int | None = None
    ) -> None:
        self._insert(
            "coupon_template",
            scope=(CouponScope.SHOP if shop_id else CouponScope.PLATFORM).value,
            shop_id=shop_id, kind=coupon.kind.value,
            title_zh=coupon.title.zh, title_en=coupon.title.en,
            threshold=coupon.threshold, amount_off=coupon.amount_off,
            pay_percent=coupon.pay_percent, starts_at=self.now,
            ends_at=self._days(coupon.campaign_days), total=coupon.total, claimed=0,
            new_user=coupon.new_user, valid_days=coupon.valid_days, checkin_day=checkin_day,
        )  # fmt: skip

    def _product(self, p: SeedProduct) -> int:
        category_id, top_id = self.categories[p.category]
        in_stock = [s for s in p.skus if s.stock > 0] or p.skus
        cheapest = min(in_stock, key=lambda s: (s.price, s.values))
        rating_sum = sum(r.rating for r in p.reviews)
        pid = self._insert(
            "product", slug=p.slug, shop_id=self.shops[p.shop],
            brand_id=self.brands[p.brand][0] if p.brand else None,
            category_id=category_id, top_category_id=top_id,
            name_zh=p.name.zh, name_en=p.name.en,
            description_zh=p.description.zh, description_en=p.description.en,
            picture_id=self.picture_ids[p.picture],
            price=cheapest.price, original_price=cheapest.original_price,
            sales=p.sales, stock=sum(s.stock for s in p.skus),
            listed_at=self._days(-p.listed_days_ago),
            score=overall_score(
                sales=p.sales, rating_sum=rating_sum, reviews=len(p.reviews),
                listed_days_ago=p.listed_days_ago,
            ),
            rating_sum=rating_sum, review_count=len(p.reviews),
            photo_review_count=sum(1 for r in p.reviews if r.photos),
            return_policy=p.return_policy.value, per_order_limit=p.per_order_limit,
        )  # fmt: skip
        for position, spec in enumerate(p.specs):
            spec_id = self._insert(
                "product_spec", product_id=pid, position=position,
                name_zh=spec.name.zh, name_en=spec.name.en,
            )  # fmt: skip
            for value_position, value in enumerate(spec.values):
                self._insert(
                    "spec_value", spec_id=spec_id, position=value_position,
                    value_zh=value.zh, value_en=value.en,
                )  # fmt: skip
        sku_ids = {}
        for sku in p.skus:
            key = spec_key(sku.values)
            sku_ids[key] = self._insert(
                "sku", product_id=pid, spec_key=key, price=sku.price,
                original_price=sku.original_price, stock=sku.stock, sales=0,
            )  # fmt: skip
        for promotion in p.promotions:
            self._insert(
                "promotion", product_id=pid, kind=promotion.kind.value,
                title_zh=promotion.title.zh, title_en=promotion.title.en,
                ends_at=self._days(promotion.ends_in_days),
            )  # fmt: skip
        for review in p.reviews:
            review_id = self._insert(
                "review", product_id=pid,
                sku_id=sku_ids[spec_key(review.sku)] if review.sku is not None else None,
                author=review.author, rating=review.rating, text=review.text,
                has_photos=bool(review.photos), created_at=self._days(-review.days_ago),
            )  # fmt: skip
            for position, photo in enumerate(review.photos):
                self._insert(
                    "review_photo",
                    review_id=review_id,
                    position=position,
                    picture_id=self.picture_ids[photo],
                )
        return pid


def spec_key(values: list[int] | tuple[int, ...]) -> str:
    """The stored key of a SKU: its value positions joined by dots (`""` for no specs)."""
    return ".".join(str(v) for v in values)


def _birth_date(id_number: str | None) -> date | None:
    if id_number is None:
        return None
    from stdnum.cn import ric

    birth: date = ric.get_birth_date(id_number)
    return birth
