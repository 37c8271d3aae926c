"""A product's page: its SKUs and which spec choices are possible, promotions, coupons,
shop and freight, and its reviews."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from kstui.i18n import Localized
from kstui.providers.clock import Clock
from kstui.services.catalog.errors import InvalidLimit, ProductNotFound
from kstui.services.catalog.shipping import ShippingTemplate
from kstui.services.ids import MAX_ID, storable
from kstui.store.enums import CouponKind, PromotionKind, ReturnPolicy
from kstui.store.interface import Transaction, from_db_time, in_list

Selection = tuple[int | None, ...]
"""The chosen value position of each spec, None where nothing is chosen yet."""


@dataclass(frozen=True)
class Spec:
    """A dimension (颜色, 尺码) and its values in order."""

    name: Localized
    values: list[Localized]


@dataclass(frozen=True)
class SkuInfo:
    """A buyable combination; `values` has one value position per spec."""

    id: int
    values: tuple[int, ...]
    price: int
    original_price: int | None
    stock: int


@dataclass(frozen=True)
class PromotionInfo:
    """A promotion running on the product."""

    kind: PromotionKind
    title: Localized
    ends_at: datetime


@dataclass(frozen=True)
class CouponInfo:
    """A coupon a shopper could claim on this page."""

    id: int
    title: Localized
    kind: CouponKind
    threshold: int
    amount_off: int
    pay_percent: int
    ends_at: datetime
    left: int


@dataclass(frozen=True)
class ShopInfo:
    """The shop selling the product."""

    id: int
    name: Localized
    rating_tenths: int
    ships_from: str
    ships_from_city: Localized
    shipping: ShippingTemplate


@dataclass(frozen=True)
class RatingSummary:
    """What reviewers thought, in whole numbers."""

    count: int
    average_tenths: int
    positive_percent: int
    with_photos: int
    stars: tuple[int, int, int, int, int]
    """How many reviews gave 1, 2, 3, 4 and 5 stars."""


@dataclass(frozen=True)
class ProductDetail:
    """Everything the product page shows, in both languages."""

    id: int
    name: Localized
    description: Localized
    category: Localized
    top_category: Localized
    brand: Localized | None
    picture_id: int | None
    sales: int
    return_policy: ReturnPolicy
    per_order_limit: int | None
    specs: list[Spec]
    skus: list[SkuInfo]
    promotions: list[PromotionInfo]
    coupons: list[CouponInfo]
    shop: ShopInfo
    rating: RatingSummary

    @property
    def stock(self) -> int:
        """Units left over all SKUs."""
        return sum(s.stock for s in self.skus)

    @property
    def price_range(self) -> tuple[int, int]:
        """The lowest and highest SKU price."""
        prices = [s.price for s in self.skus]
        return min(prices), max(prices)

    def empty_selection(self) -> Selection:
        """No value chosen for any spec."""
        return (None,) * len(self.specs)

    def initial_selection(self) -> Selection:
        """The first SKU in stock (the cheapest first), or nothing chosen if none is."""
        in_stock = sorted((s for s in self.skus if s.stock > 0), key=lambda s: (s.price, s.values))
        return tuple(in_stock[0].values) if in_stock else self.empty_selection()

    def sku_for(self, selection: Selection) -> SkuInfo | None:
        """The SKU a complete selection names, or None."""
        if any(v is None for v in selection):
            return None
        return next((s for s in self.skus if s.values == selection), None)

    def available(self, selection: Selection) -> list[set[int]]:
        """For each spec, the values that can be chosen next.

        A value is available if some SKU in stock has it and agrees with every choice
        already made for the other specs.
        """
        return [
            {
                sku.values[i]
                for sku in self.skus
                if sku.stock > 0
                and all(
                    chosen is None or sku.values[j] == chosen
                    for j, chosen in enumerate(selection)
                    if j != i
                )
            }
            for i in range(len(self.specs))
        ]

    def choose(self, selection: Selection, spec: int, value: int) -> Selection:
        """The selection after picking `value` for `spec`.

        If the pick clashes with other choices (no SKU in stock has them all), the
        other choices move to the in-stock SKU with this value that keeps the most of
        them (the cheapest on a tie). A value no SKU in stock has is not picked.
        """
        candidates = [s for s in self.skus if s.stock > 0 and s.values[spec] == value]
        if not candidates:
            return selection
        wanted = tuple(value if i == spec else v for i, v in enumerate(selection))
        if any(self._agrees(s, wanted) for s in candidates):
            return wanted
        best = max(
            candidates,
            key=lambda s: (sum(a == b for a, b in zip(s.values, selection, strict=True)), -s.price),
        )
        return best.values

    @staticmethod
    def _agrees(sku: SkuInfo, selection: Selection) -> bool:
        return all(v is None or sku.values[i] == v for i, v in enumerate(selection))

    def max_quantity(self, sku: SkuInfo) -> int:
        """How many of a SKU one order may take: its stock, capped by the order limit."""
        if self.per_order_limit is None:
            return sku.stock
        return min(sku.stock, self.per_order_limit)


@dataclass(frozen=True)
class ReviewInfo:
    """A review as shown on the product page."""

    id: int
    author: str
    rating: int
    text: str
    created_at: datetime
    sku_values: list[Localized]
    photo_ids: list[int]


@dataclass(frozen=True)
class ReviewPage:
    """Some reviews, newest first, and whether more follow."""

    reviews: list[ReviewInfo]
    has_more: bool


def product_detail(tx: Transaction, product_id: int, *, clock: Clock) -> ProductDetail:
    """Load a product's page.

    Raises:
        ProductNotFound: if there is no such product.
    """
    if not storable(product_id):
        raise ProductNotFound(id=product_id)
    row = tx.fetch_one(
        """
        SELECT p.id, p.name_zh, p.name_en, p.description_zh, p.description_en,
               c.name_zh, c.name_en, t.name_zh, t.name_en, b.name_zh, b.name_en,
               p.picture_id, p.sales, p.return_policy, p.per_order_limit, p.shop_id,
               p.review_count, p.rating_sum, p.photo_review_count
        FROM product p
        JOIN category c ON c.id = p.category_id
        JOIN category t ON t.id = p.top_category_id
        LEFT JOIN brand b ON b.id = p.brand_id
        WHERE p.id = :id
        """,
        id=product_id,
    )
    if row is None:
        raise ProductNotFound(id=product_id)
    (pid, n_zh, n_en, d_zh, d_en, c_zh, c_en, t_zh, t_en, b_zh, b_en, picture_id, sales,
     policy, limit, shop_id, review_count, rating_sum, photo_count) = row  # fmt: skip
    now = clock.now()
    return ProductDetail(
        id=pid,
        name=Localized(n_zh, n_en),
        description=Localized(d_zh, d_en),
        category=Localized(c_zh, c_en),
        top_category=Localized(t_zh, t_en),
        brand=None if b_zh is None else Localized(b_zh, b_en),
        picture_id=picture_id,
        sales=sales,
        return_policy=ReturnPolicy(policy),
        per_order_limit=limit,
        specs=_specs(tx, pid),
        skus=_skus(tx, pid),
        promotions=_promotions(tx, pid, now),
        coupons=shop_coupons(tx, shop_id, clock=clock),
        shop=_shop(tx, shop_id),
        rating=_rating(tx, pid, review_count, rating_sum, photo_count),
    )


def picture_png(tx: Transaction, picture_id: int) -> bytes | None:
    """The PNG bytes of a stored picture, or None if it is gone."""
    if not storable(picture_id):
        return None
    png = tx.fetch_value("SELECT png FROM picture WHERE id = :id", id=picture_id)
    return None if png is None else bytes(png)


def shop_coupons(tx: Transaction, shop_id: int, *, clock: Clock) -> list[CouponInfo]:
    """Coupons of a shop that are running now and not all claimed, smallest threshold first."""
    if not storable(shop_id):
        return []
    rows = tx.fetch_all(
        """
        SELECT id, title_zh, title_en, kind, threshold, amount_off, pay_percent, ends_at,
               total - claimed
        FROM coupon_template
        WHERE shop_id = :shop AND starts_at <= :now AND ends_at > :now AND claimed < total
        ORDER BY threshold, id
        """,
        shop=shop_id,
        now=clock.now(),
    )
    return [
        CouponInfo(
            cid,
            Localized(zh, en),
            CouponKind(kind),
            threshold,
            amount,
            percent,
            from_db_time(ends),
            left,
        )  # fmt: skip
        for cid, zh, en, kind, threshold, amount, percent, ends, left in rows
    ]


def reviews(
    tx: Transaction,
    product_id: int,
    *,
    with_photos: bool = False,
    offset: int = 0,
    limit: int = 10,
) -> ReviewPage:
    """A page of a product's reviews, newest first; only those with photos if asked."""
    if not 1 <= limit <= 100 or offset < 0:
        raise InvalidLimit(limit=limit, max=100)
    if not storable(product_id) or offset >= MAX_ID:
        return ReviewPage(reviews=[], has_more=False)
    # An equality with a bool (not a bare `r.has_photos`) lets SQLite use the index on
    # (product_id, has_photos, created_at); PostgreSQL compares booleans.
    photo_filter, photo_params = (
        ("AND r.has_photos = :photos", {"photos": True}) if with_photos else ("", {})
    )
    rows = tx.fetch_all(
        f"""
        SELECT r.id, r.author, r.rating, r.text, r.created_at, k.spec_key
        FROM review r LEFT JOIN sku k ON k.id = r.sku_id
        WHERE r.product_id = :product {photo_filter}
        ORDER BY r.created_at DESC, r.id DESC
        LIMIT :limit OFFSET :offset
        """,
        product=product_id,
        limit=limit + 1,
        offset=offset,
        **photo_params,
    )
    specs = _specs(tx, product_id) if rows else []
    photos = _review_photos(tx, [r[0] for r in rows[:limit]])
    return ReviewPage(
        reviews=[
            ReviewInfo(
                id=rid,
                author=author,
                rating=rating,
                text=text,
                created_at=from_db_time(created),
                sku_values=_values_of(specs, key),
                photo_ids=photos.get(rid, []),
            )  # fmt: skip
            for rid, author, rating, text, created, key in rows[:limit]
        ],
        has_more=len(rows) > limit,
    )


def review_photos(tx: Transaction, page: ReviewPage) -> dict[int, bytes]:
    """The pictures of a page of reviews, by picture id."""
    ids = sorted({p for review in page.reviews for p in review.photo_ids})
    if not ids:
        return {}
    ids_sql, params = in_list("picture", ids)
    rows = tx.fetch_all(f"SELECT id, png FROM picture WHERE id IN {ids_sql}", **params)
    return {pid: bytes(png) for pid, png in rows}


def _specs(tx: Transaction, product_id: int) -> list[Spec]:
    rows = tx.fetch_all(
        """
        SELECT s.id, s.name_zh, s.name_en, v.value_zh, v.value_en
        FROM product_spec s JOIN spec_value v ON v.spec_id = s.id
        WHERE s.product_id = :product ORDER BY s.position, v.position
        """,
        product=product_id,
    )
    specs: dict[int, Spec] = {}
    for sid, s_zh, s_en, v_zh, v_en in rows:
        specs.setdefault(sid, Spec(Localized(s_zh, s_en), [])).values.append(Localized(v_zh, v_en))
    return list(specs.values())


def _skus(tx: Transaction, product_id: int) -> list[SkuInfo]:
    rows = tx.fetch_all(
        "SELECT id, spec_key, price, original_price, stock FROM sku WHERE product_id = :product "
        "ORDER BY id",
        product=product_id,
    )
    return [
        SkuInfo(sid, parse_spec_key(key), price, original, stock)
        for sid, key, price, original, stock in rows
    ]


def parse_spec_key(key: str) -> tuple[int, ...]:
    """The value positions of a stored SKU key (`"1.3"` → `(1, 3)`)."""
    return tuple(int(part) for part in key.split(".")) if key else ()


def _values_of(specs: Sequence[Spec], key: str | None) -> list[Localized]:
    if key is None:
        return []
    positions = parse_spec_key(key)
    return [spec.values[v] for spec, v in zip(specs, positions, strict=False)]


def _promotions(tx: Transaction, product_id: int, now: datetime) -> list[PromotionInfo]:
    rows = tx.fetch_all(
        "SELECT kind, title_zh, title_en, ends_at FROM promotion "
        "WHERE product_id = :product AND ends_at > :now ORDER BY ends_at, id",
        product=product_id,
        now=now,
    )
    return [
        PromotionInfo(PromotionKind(k), Localized(zh, en), from_db_time(e)) for k, zh, en, e in rows
    ]


def _shop(tx: Transaction, shop_id: int) -> ShopInfo:
    row = tx.fetch_one(
        "SELECT id, name_zh, name_en, rating_tenths, ships_from, ships_from_city_zh, "
        "ships_from_city_en, default_freight, free_shipping_threshold FROM shop WHERE id = :id",
        id=shop_id,
    )
    assert row is not None, shop_id  # product.shop_id is a foreign key
    (sid, zh, en, rating, ships_from, city_zh, city_en, default_fee, free) = row
    fees: dict[str, int] = dict(
        tx.fetch_all("SELECT province, fee FROM shipping_rate WHERE shop_id = :shop", shop=shop_id)
    )
    return ShopInfo(
        id=sid,
        name=Localized(zh, en),
        rating_tenths=rating,
        ships_from=ships_from,
        ships_from_city=Localized(city_zh, city_en),
        shipping=ShippingTemplate(default_fee=default_fee, free_threshold=free, fees=fees),
    )


def _rating(
    tx: Transaction, product_id: int, count: int, rating_sum: int, photos: int
) -> RatingSummary:
    stars = [0] * 5
    for rating, n in tx.fetch_all(
        "SELECT rating, count(*) FROM review WHERE product_id = :product GROUP BY rating",
        product=product_id,
    ):
        stars[rating - 1] = n
    positive, counted = stars[3] + stars[4], sum(stars)
    return RatingSummary(
        count=count,
        average_tenths=(rating_sum * 10 + count // 2) // count if count else 0,
        positive_percent=(positive * 100 + counted // 2) // counted if counted else 0,
        with_photos=photos,
        stars=(stars[0], stars[1], stars[2], stars[3], stars[4]),
    )


def _review_photos(tx: Transaction, review_ids: list[int]) -> dict[int, list[int]]:
    if not review_ids:
        return {}
    ids_sql, params = in_list("review", review_ids)
    photos: dict[int, list[int]] = {}
    for rid, picture in tx.fetch_all(
        f"SELECT review_id, picture_id FROM review_photo WHERE review_id IN {ids_sql} "
        "ORDER BY review_id, position",
        **params,
    ):
        photos.setdefault(rid, []).append(picture)
    return photos
