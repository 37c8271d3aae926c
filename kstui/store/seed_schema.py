"""The shape of `data/seed.json`: validated before anything is written to the store.

Every amount of money is integer fen. Times are relative to the clock at load
time (`listed_days_ago`, `days_ago`, `valid_days`) so that a demo store always
looks current and a frozen test clock gives the same store every time.
Province keys are the two-digit GB/T 2260 codes (`"11"` Beijing, `"33"` Zhejiang).
"""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from kstui.store.enums import CouponKind, PromotionKind, ReturnPolicy, Role
from kstui.text import has_control

__all__ = ["CouponKind", "PromotionKind", "ReturnPolicy", "Role", "Seed"]

Fen = Annotated[int, Field(ge=0, le=100_000_000_00)]
Slug = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]{0,62}$")]
ProvinceCode = Annotated[str, Field(pattern=r"^[1-8][0-9]$")]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _no_control(text: str) -> str:
    if has_control(text, lines=True):
        raise ValueError("control characters are not allowed")
    return text


Clean = Annotated[str, AfterValidator(_no_control)]


class Text(_Strict):
    """A text in both languages of the shop (newlines allowed, other controls not)."""

    zh: Annotated[Clean, Field(min_length=1, max_length=2000)]
    en: Annotated[Clean, Field(min_length=1, max_length=2000)]


class SeedCategory(_Strict):
    slug: Slug
    name: Text
    children: list[SeedCategory] = []


class SeedBrand(_Strict):
    slug: Slug
    name: Text


class SeedShipping(_Strict):
    """A shop's shipping template."""

    default_fee: Fen
    free_threshold: Fen | None = None
    fees: dict[ProvinceCode, Fen] = {}


class SeedCoupon(_Strict):
    """A coupon template; `shop` is set for shop coupons, absent for platform coupons."""

    title: Text
    kind: CouponKind
    threshold: Fen = 0
    amount_off: Fen = 0
    pay_percent: Annotated[int, Field(ge=0, le=99)] = 0
    valid_days: Annotated[int, Field(ge=1, le=366)]
    """How long a coupon stays valid once granted (never beyond the campaign)."""
    campaign_days: Annotated[int, Field(ge=1, le=3660)] = 365
    """How long the campaign runs from the moment the seed is loaded."""
    total: Annotated[int, Field(ge=1)]
    new_user: bool = False

    @model_validator(mode="after")
    def _one_discount(self) -> SeedCoupon:
        if self.kind is CouponKind.AMOUNT_OFF:
            if self.amount_off <= 0 or self.pay_percent:
                raise ValueError("amount_off coupon needs amount_off > 0 and no pay_percent")
            if self.threshold and self.amount_off >= self.threshold:
                raise ValueError("amount_off must be below the threshold")
        elif not (50 <= self.pay_percent <= 99) or self.amount_off:
            raise ValueError("pay_percent coupon needs 50 <= pay_percent <= 99")
        return self


class SeedShop(_Strict):
    slug: Slug
    name: Text
    rating_tenths: Annotated[int, Field(ge=10, le=50)]
    ships_from: ProvinceCode
    ships_from_city: Text
    shipping: SeedShipping
    coupons: list[SeedCoupon] = []


class SeedSpec(_Strict):
    name: Text
    values: Annotated[list[Text], Field(min_length=1, max_length=20)]


class SeedSku(_Strict):
    values: list[Annotated[int, Field(ge=0)]]
    price: Annotated[int, Field(ge=1, le=100_000_000_00)]
    original_price: Fen | None = None
    stock: Annotated[int, Field(ge=0, le=1_000_000)]

    @model_validator(mode="after")
    def _original_above_price(self) -> SeedSku:
        if self.original_price is not None and self.original_price <= self.price:
            raise ValueError("original_price must be above price")
        return self


class SeedPromotion(_Strict):
    kind: PromotionKind
    title: Text
    ends_in_days: Annotated[int, Field(ge=1, le=366)]


class SeedReview(_Strict):
    author: Annotated[Clean, Field(min_length=1, max_length=40)]
    rating: Annotated[int, Field(ge=1, le=5)]
    text: Annotated[Clean, Field(min_length=1, max_length=1000)]
    sku: list[int] | None = None
    photos: list[str] = []
    days_ago: Annotated[int, Field(ge=0, le=3650)]


class SeedProduct(_Strict):
    slug: Slug
    shop: Slug
    brand: Slug | None
    category: Slug
    name: Text
    description: Text
    picture: str
    specs: list[SeedSpec] = []
    skus: Annotated[list[SeedSku], Field(min_length=1)]
    sales: Annotated[int, Field(ge=0)]
    listed_days_ago: Annotated[int, Field(ge=0, le=3650)]
    return_policy: ReturnPolicy = ReturnPolicy.STANDARD
    per_order_limit: Annotated[int, Field(ge=1, le=999)] | None = None
    promotions: list[SeedPromotion] = []
    reviews: list[SeedReview] = []

    @model_validator(mode="after")
    def _skus_cover_specs(self) -> SeedProduct:
        seen: set[tuple[int, ...]] = set()
        for sku in self.skus:
            key = tuple(sku.values)
            if len(key) != len(self.specs):
                raise ValueError(f"{self.slug}: sku {key} does not name one value per spec")
            for spec, index in zip(self.specs, key, strict=True):
                if index >= len(spec.values):
                    raise ValueError(f"{self.slug}: sku {key} names a missing value")
            if key in seen:
                raise ValueError(f"{self.slug}: duplicate sku {key}")
            seen.add(key)
        for review in self.reviews:
            if review.sku is not None and tuple(review.sku) not in seen:
                raise ValueError(f"{self.slug}: review names unknown sku {review.sku}")
        return self


class SeedCheckinReward(_Strict):
    """The coupon won on some days of the week-long check-in streak."""

    days: Annotated[list[Annotated[int, Field(ge=1, le=7)]], Field(min_length=1)]
    coupon: SeedCoupon


class SeedAccount(_Strict):
    """A demo account. The passwords are given in clear (the README lists them) and, from
    `tools/build_seed.py`, already hashed; a seed without the hashes is hashed when loaded."""

    phone: Annotated[str, Field(pattern=r"^1[3-9][0-9]{9}$")]
    nickname: Annotated[str, Field(min_length=1, max_length=30)]
    password: Annotated[str, Field(min_length=8, max_length=64)]
    role: Role
    shop: Slug | None = None
    real_name: str | None = None
    id_number: Annotated[str, Field(pattern=r"^[0-9]{17}[0-9X]$")] | None = None
    payment_password: Annotated[str, Field(pattern=r"^[0-9]{6}$")] | None = None
    password_hash: Annotated[str, Field(pattern=r"^\$argon2id\$")] | None = None
    payment_password_hash: Annotated[str, Field(pattern=r"^\$argon2id\$")] | None = None
    balance: Fen = 0
    """The wallet's balance to start with (one ledger entry)."""


class Seed(_Strict):
    """The whole demo world."""

    version: int
    categories: list[SeedCategory]
    brands: list[SeedBrand]
    shops: list[SeedShop]
    products: list[SeedProduct]
    platform_coupons: list[SeedCoupon] = []
    checkin_rewards: list[SeedCheckinReward] = []
    accounts: list[SeedAccount] = []

    @model_validator(mode="after")
    def _references_resolve(self) -> Seed:
        leaves = {c.slug for top in self.categories for c in top.children}
        brands = {b.slug for b in self.brands}
        shops = {s.slug for s in self.shops}
        slugs: set[str] = set()
        for p in self.products:
            if p.slug in slugs:
                raise ValueError(f"duplicate product slug {p.slug}")
            slugs.add(p.slug)
            if p.category not in leaves:
                raise ValueError(f"{p.slug}: category {p.category} is not a sub-category")
            if p.brand is not None and p.brand not in brands:
                raise ValueError(f"{p.slug}: unknown brand {p.brand}")
            if p.shop not in shops:
                raise ValueError(f"{p.slug}: unknown shop {p.shop}")
        days = [day for reward in self.checkin_rewards for day in reward.days]
        if len(days) != len(set(days)):
            raise ValueError("a check-in day has two rewards")
        for a in self.accounts:
            if (a.role is Role.MERCHANT) != (a.shop is not None):
                raise ValueError(f"{a.phone}: merchants, and only merchants, name a shop")
            if a.shop is not None and a.shop not in shops:
                raise ValueError(f"{a.phone}: unknown shop {a.shop}")
        return self
