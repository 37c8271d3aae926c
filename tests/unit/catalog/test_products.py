"""`kstui.services.catalog.products` (the product page) and `.shipping` (freight)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from itertools import product as cartesian
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kstui.i18n import Localized
from kstui.providers.clock import FrozenClock
from kstui.services.catalog.errors import InvalidLimit, ProductNotFound
from kstui.services.catalog.products import (
    ProductDetail,
    RatingSummary,
    Selection,
    ShopInfo,
    SkuInfo,
    Spec,
    parse_spec_key,
    picture_png,
    product_detail,
    reviews,
    shop_coupons,
)
from kstui.services.catalog.shipping import ShippingTemplate
from kstui.store.enums import CouponKind, PromotionKind, ReturnPolicy
from kstui.store.interface import Store, Transaction

FIXTURES = Path(__file__).parents[2] / "fixtures"
NOW = datetime(2026, 11, 22, 2, 0, tzinfo=UTC)
"""The time of the `clock` fixture (checked by `test_the_clock_fixture`)."""
DRESS, SKIRT, EARBUDS, PHONE, MARKUP, APPLES = 1, 2, 3, 5, 6, 7
ROSE, NAVY, IVORY = 0, 1, 2
S, M, L = 0, 1, 2
COLOUR, SIZE = 0, 1


@pytest.fixture
def tx(store: Store) -> Iterator[Transaction]:
    with store.reading() as transaction:
        yield transaction


def picture_id(tx: Transaction, name: str) -> int:
    digest = hashlib.sha256((FIXTURES / "pictures" / name).read_bytes()).hexdigest()
    return int(tx.fetch_value("SELECT id FROM picture WHERE sha256 = :sha", sha=digest))


def headphones_id(tx: Transaction) -> int:
    return int(tx.fetch_value("SELECT id FROM product WHERE slug = 'studio-headphones'"))


def test_the_clock_fixture(clock: FrozenClock) -> None:
    assert clock.now() == NOW


# -- product_detail ---------------------------------------------------------------------------


def test_dress_detail(tx: Transaction, clock: FrozenClock) -> None:
    d = product_detail(tx, DRESS, clock=clock)
    assert d.id == DRESS
    assert d.name == Localized("法式碎花雪纺连衣裙女夏季中长款", "French Floral Chiffon Midi Dress")
    assert d.description == Localized(
        "轻盈雪纺面料，碎花印花，收腰设计显瘦。",
        "Light chiffon with a floral print and a fitted waist.",
    )
    assert d.category == Localized("连衣裙", "Dresses")
    assert d.top_category == Localized("服装", "Clothing")
    assert d.brand == Localized("极光", "Aurora")
    assert d.picture_id == picture_id(tx, "dress.png")
    assert picture_png(tx, d.picture_id) == (FIXTURES / "pictures" / "dress.png").read_bytes()
    assert d.sales == 12840
    assert d.return_policy is ReturnPolicy.STANDARD
    assert d.per_order_limit == 5
    assert d.specs == [
        Spec(
            Localized("颜色", "Colour"),
            [Localized("玫红", "Rose"), Localized("藏青", "Navy"), Localized("米白", "Ivory")],
        ),
        Spec(
            Localized("尺码", "Size"),
            [Localized("S", "S"), Localized("M", "M"), Localized("L", "L")],
        ),
    ]
    assert [(s.values, s.price, s.original_price, s.stock) for s in d.skus] == [
        ((0, 0), 12900, 15900, 5),
        ((0, 1), 12900, 15900, 0),
        ((0, 2), 13900, 15900, 2),
        ((1, 0), 12900, None, 8),
        ((1, 1), 12900, None, 12),
        ((2, 1), 14900, None, 3),
    ]
    assert len({s.id for s in d.skus}) == 6
    assert d.stock == 30
    assert d.price_range == (12900, 14900)
    assert [(p.kind, p.title.zh, p.ends_at) for p in d.promotions] == [
        (PromotionKind.LIMITED_TIME, "限时折扣", NOW + timedelta(days=3)),
        (PromotionKind.FULL_REDUCTION, "满199减20", NOW + timedelta(days=10)),
    ]
    [coupon] = d.coupons
    assert coupon.title == Localized("满100减10", "¥10 off ¥100")
    assert (coupon.kind, coupon.threshold, coupon.amount_off, coupon.pay_percent) == (
        CouponKind.AMOUNT_OFF,
        10000,
        1000,
        0,
    )
    assert coupon.ends_at == NOW + timedelta(days=30)
    assert coupon.left == 500
    assert d.shop == ShopInfo(
        id=d.shop.id,
        name=Localized("衣衣小铺", "Yiyi Boutique"),
        rating_tenths=48,
        ships_from="33",
        ships_from_city=Localized("杭州", "Hangzhou"),
        shipping=ShippingTemplate(
            default_fee=600, free_threshold=9900, fees={"65": 2000, "54": 2000}
        ),
    )
    assert d.rating == RatingSummary(
        count=4, average_tenths=40, positive_percent=75, with_photos=2, stars=(0, 1, 0, 1, 2)
    )


def test_all_sold_out_headphones(tx: Transaction, clock: FrozenClock) -> None:
    d = product_detail(tx, headphones_id(tx), clock=clock)
    assert d.name.en == "Wired Studio Monitor Headphones"
    assert d.brand == Localized("流明", "Lumi")
    assert d.specs == []
    [sku] = d.skus
    assert (sku.values, sku.price, sku.stock) == ((), 45900, 0)
    assert d.stock == 0
    assert d.price_range == (45900, 45900)
    assert d.per_order_limit is None
    assert d.promotions == []
    assert d.empty_selection() == ()
    assert d.initial_selection() == ()
    assert d.sku_for(()) == sku
    assert d.available(()) == []
    assert d.max_quantity(sku) == 0
    # the shop's coupon: 95% off over ¥200, 15 days
    [coupon] = d.coupons
    assert (coupon.kind, coupon.pay_percent, coupon.threshold, coupon.left) == (
        CouponKind.DISCOUNT,
        95,
        20000,
        100,
    )
    assert d.shop.shipping == ShippingTemplate(
        default_fee=0, free_threshold=None, fees={"65": 1500}
    )
    assert d.shop.ships_from_city == Localized("深圳", "Shenzhen")
    assert d.rating == RatingSummary(
        count=1, average_tenths=40, positive_percent=100, with_photos=0, stars=(0, 0, 0, 1, 0)
    )


def test_fresh_return_policy(tx: Transaction, clock: FrozenClock) -> None:
    d = product_detail(tx, APPLES, clock=clock)
    assert d.return_policy is ReturnPolicy.FRESH
    assert not d.return_policy.no_reason_returns
    assert d.coupons == []  # the orchard has no coupon; platform coupons are not shop coupons
    assert d.brand is None


@pytest.mark.parametrize("pid", [0, -1, 13, 10_000])
def test_product_not_found(tx: Transaction, clock: FrozenClock, pid: int) -> None:
    with pytest.raises(ProductNotFound) as caught:
        product_detail(tx, pid, clock=clock)
    assert caught.value.params == {"id": pid}


def test_markup_in_names_and_descriptions_is_unchanged(tx: Transaction, clock: FrozenClock) -> None:
    d = product_detail(tx, MARKUP, clock=clock)
    assert d.name == Localized(
        "标记测试 [b]粗体[/b] [@click=app.quit]退出[/]",
        "Markup test [red]red[/red] [@click=app.quit]quit[/]",
    )
    assert d.description == Localized("描述里也有 [i]方括号[/i]。", "Brackets [i]here[/i] too.")


def test_picture_png_of_a_missing_picture(tx: Transaction) -> None:
    assert picture_png(tx, 999) is None


@pytest.mark.parametrize(
    ("key", "values"), [("", ()), ("0", (0,)), ("1.3", (1, 3)), ("10.0.2", (10, 0, 2))]
)
def test_parse_spec_key(key: str, values: tuple[int, ...]) -> None:
    assert parse_spec_key(key) == values


# -- selections -------------------------------------------------------------------------------


@pytest.fixture
def dress(tx: Transaction, clock: FrozenClock) -> ProductDetail:
    return product_detail(tx, DRESS, clock=clock)


@pytest.fixture
def phone(tx: Transaction, clock: FrozenClock) -> ProductDetail:
    return product_detail(tx, PHONE, clock=clock)


def test_initial_selection_is_the_cheapest_in_stock_sku(
    dress: ProductDetail, phone: ProductDetail, tx: Transaction, clock: FrozenClock
) -> None:
    assert dress.initial_selection() == (ROSE, S)  # ¥129, in stock, first of the ¥129s
    assert phone.initial_selection() == (0, 0)
    assert dress.empty_selection() == (None, None)
    apples = product_detail(tx, APPLES, clock=clock)
    assert apples.initial_selection() == (0,)  # 5斤 at ¥29.90 before 10斤 at ¥49.90
    earbuds = product_detail(tx, EARBUDS, clock=clock)
    assert earbuds.initial_selection() == (0,)  # 珍珠白 is sold out


def test_initial_selection_skips_a_cheaper_sold_out_sku() -> None:
    detail = make_detail([2], {(0,): (100, 0), (1,): (200, 3)})
    assert detail.initial_selection() == (1,)
    assert make_detail([2], {(0,): (100, 0), (1,): (200, 0)}).initial_selection() == (None,)


def test_sku_for(dress: ProductDetail) -> None:
    sku = dress.sku_for((IVORY, M))
    assert sku is not None
    assert (sku.values, sku.price, sku.stock) == ((IVORY, M), 14900, 3)
    sold_out = dress.sku_for((ROSE, M))
    assert sold_out is not None
    assert sold_out.stock == 0
    assert dress.sku_for((IVORY, S)) is None  # no such combination
    assert dress.sku_for((ROSE, None)) is None
    assert dress.sku_for((None, None)) is None


def test_available(dress: ProductDetail) -> None:
    assert dress.available((None, None)) == [{ROSE, NAVY, IVORY}, {S, M, L}]
    # 玫红/S: 米白 does not come in S; 玫红 M is sold out
    assert dress.available((ROSE, S)) == [{ROSE, NAVY}, {S, L}]
    assert dress.available((IVORY, None)) == [{ROSE, NAVY, IVORY}, {M}]
    assert dress.available((None, M)) == [{NAVY, IVORY}, {S, M, L}]
    assert dress.available((None, L)) == [{ROSE}, {S, M, L}]
    assert dress.available((NAVY, M)) == [{NAVY, IVORY}, {S, M}]


def test_available_on_the_phone(phone: ProductDetail) -> None:
    # 冰川蓝 8+128GB is sold out
    assert phone.available((1, None)) == [{0, 1}, {1}]
    assert phone.available((None, 0)) == [{0}, {0, 1}]


def test_choose_keeps_compatible_choices(dress: ProductDetail) -> None:
    assert dress.choose((NAVY, S), SIZE, M) == (NAVY, M)
    assert dress.choose((NAVY, M), COLOUR, IVORY) == (IVORY, M)
    assert dress.choose((ROSE, S), SIZE, L) == (ROSE, L)
    assert dress.choose((None, None), SIZE, L) == (None, L)
    assert dress.choose((None, None), COLOUR, IVORY) == (IVORY, None)
    assert dress.choose((ROSE, S), SIZE, S) == (ROSE, S)


def test_choose_moves_clashing_choices(dress: ProductDetail) -> None:
    # 玫红 M is sold out: the colour moves to the cheapest M in stock (藏青 ¥129, not 米白 ¥149)
    assert dress.choose((ROSE, S), SIZE, M) == (NAVY, M)
    # 米白 only comes in M
    assert dress.choose((ROSE, S), COLOUR, IVORY) == (IVORY, M)
    # from 藏青 M to 玫红: 玫红 S ¥129 rather than 玫红 L ¥139
    assert dress.choose((NAVY, M), COLOUR, ROSE) == (ROSE, S)
    # from 米白 M to L: only 玫红 L is in stock
    assert dress.choose((IVORY, M), SIZE, L) == (ROSE, L)
    moved = dress.choose((None, L), COLOUR, NAVY)
    assert moved in {(NAVY, S), (NAVY, M)}


def test_choose_a_value_no_sku_in_stock_has(tx: Transaction, clock: FrozenClock) -> None:
    earbuds = product_detail(tx, EARBUDS, clock=clock)
    assert earbuds.choose((0,), 0, 1) == (0,)  # 珍珠白 is sold out: not picked


def test_choose_keeps_the_most_choices_before_the_cheapest() -> None:
    detail = make_detail(
        [2, 2, 2],
        {(0, 0, 0): (300, 1), (1, 0, 1): (200, 1), (1, 1, 1): (100, 1), (1, 0, 0): (500, 0)},
    )
    # (1, 0, 0) is sold out; (1, 0, 1) keeps the second choice, (1, 1, 1) keeps none
    assert detail.choose((0, 0, 0), 0, 1) == (1, 0, 1)


def test_max_quantity(
    dress: ProductDetail, phone: ProductDetail, tx: Transaction, clock: FrozenClock
) -> None:
    def sku(detail: ProductDetail, values: Selection) -> SkuInfo:
        found = detail.sku_for(values)
        assert found is not None
        return found

    assert dress.max_quantity(sku(dress, (NAVY, M))) == 5  # 12 in stock, 5 per order
    assert dress.max_quantity(sku(dress, (ROSE, L))) == 2  # 2 in stock
    assert dress.max_quantity(sku(dress, (ROSE, M))) == 0
    assert phone.max_quantity(sku(phone, (0, 0))) == 2  # 20 in stock, 2 per order
    assert phone.max_quantity(sku(phone, (1, 1))) == 2
    apples = product_detail(tx, APPLES, clock=clock)
    assert apples.max_quantity(sku(apples, (0,))) == 200  # no limit


def test_price_range(phone: ProductDetail, tx: Transaction, clock: FrozenClock) -> None:
    assert phone.price_range == (159900, 199900)
    assert product_detail(tx, APPLES, clock=clock).price_range == (2990, 4990)


def make_detail(sizes: list[int], skus: dict[tuple[int, ...], tuple[int, int]]) -> ProductDetail:
    """A product with `sizes[i]` values for spec i and the given (price, stock) SKUs."""
    text = Localized("x", "x")
    return ProductDetail(
        id=1, name=text, description=text, category=text, top_category=text, brand=None,
        picture_id=None, sales=0, return_policy=ReturnPolicy.STANDARD, per_order_limit=None,
        specs=[Spec(text, [text] * n) for n in sizes],
        skus=[
            SkuInfo(i, values, price, None, stock)
            for i, (values, (price, stock)) in enumerate(sorted(skus.items()), start=1)
        ],
        promotions=[], coupons=[],
        shop=ShopInfo(1, text, 50, "11", text, ShippingTemplate(0)),
        rating=RatingSummary(0, 0, 0, 0, (0, 0, 0, 0, 0)),
    )  # fmt: skip


@st.composite
def products_and_picks(draw: st.DrawFn) -> tuple[ProductDetail, list[tuple[int, int]], bool]:
    sizes = draw(st.lists(st.integers(min_value=1, max_value=3), min_size=1, max_size=3))
    combos = list(cartesian(*(range(n) for n in sizes)))
    chosen = draw(st.lists(st.sampled_from(combos), min_size=1, unique=True))
    skus = {
        c: (draw(st.integers(min_value=1, max_value=5)) * 100, draw(st.sampled_from([0, 0, 1, 7])))
        for c in chosen
    }
    picks = draw(
        st.lists(
            st.integers(min_value=0, max_value=len(sizes) - 1).flatmap(
                lambda i: st.tuples(st.just(i), st.integers(min_value=0, max_value=sizes[i] - 1))
            ),
            max_size=8,
        )
    )
    return make_detail(sizes, skus), picks, draw(st.booleans())


@settings(max_examples=300, deadline=None)
@given(products_and_picks())
def test_choose_never_names_a_sold_out_sku(
    case: tuple[ProductDetail, list[tuple[int, int]], bool],
) -> None:
    detail, picks, from_initial = case
    selection = detail.initial_selection() if from_initial else detail.empty_selection()
    for spec, value in picks:
        available = detail.available(selection)
        offered = {s.values[spec] for s in detail.skus if s.stock > 0}
        after = detail.choose(selection, spec, value)
        assert len(after) == len(detail.specs)
        if value in offered:
            assert after[spec] == value
        else:
            assert after == selection
        if value in available[spec]:  # compatible: the other choices stay
            assert after == tuple(value if i == spec else v for i, v in enumerate(selection))
        if None not in after:
            sku = detail.sku_for(after)
            assert sku is not None
            assert sku.stock > 0
        else:  # a partial selection still leads to some SKU in stock (or to none at all)
            assert not offered or any(
                s.stock > 0 and all(v is None or s.values[i] == v for i, v in enumerate(after))
                for s in detail.skus
            )
        selection = after


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(picks=st.lists(st.tuples(st.sampled_from([COLOUR, SIZE]), st.integers(0, 2)), max_size=10))
def test_choose_on_the_dress_never_names_a_sold_out_sku(
    dress: ProductDetail, picks: list[tuple[int, int]]
) -> None:
    selection = dress.initial_selection()
    for spec, value in picks:
        selection = dress.choose(selection, spec, value)
        sku = dress.sku_for(selection)
        assert sku is not None
        assert sku.stock > 0
        assert selection[spec] == value


# -- promotions and coupons follow the clock ---------------------------------------------------


def test_promotions_end_with_the_clock(tx: Transaction, clock: FrozenClock) -> None:
    def kinds() -> list[PromotionKind]:
        return [p.kind for p in product_detail(tx, DRESS, clock=clock).promotions]

    assert kinds() == [PromotionKind.LIMITED_TIME, PromotionKind.FULL_REDUCTION]
    clock.advance(timedelta(days=3) - timedelta(microseconds=1))
    assert kinds() == [PromotionKind.LIMITED_TIME, PromotionKind.FULL_REDUCTION]
    clock.advance(timedelta(microseconds=1))  # the limited-time deal ends now
    assert kinds() == [PromotionKind.FULL_REDUCTION]
    clock.advance(timedelta(days=7))
    assert kinds() == []


def test_coupons_end_with_the_clock(tx: Transaction, clock: FrozenClock) -> None:
    shop = product_detail(tx, DRESS, clock=clock).shop.id
    assert [c.title.zh for c in shop_coupons(tx, shop, clock=clock)] == ["满100减10"]
    clock.advance(timedelta(days=30) - timedelta(microseconds=1))
    assert len(shop_coupons(tx, shop, clock=clock)) == 1
    clock.advance(timedelta(microseconds=1))
    assert shop_coupons(tx, shop, clock=clock) == []
    assert product_detail(tx, DRESS, clock=clock).coupons == []


def test_coupons_not_yet_started_are_hidden(tx: Transaction) -> None:
    shop = product_detail(tx, DRESS, clock=FrozenClock(NOW)).shop.id
    before = FrozenClock(NOW - timedelta(microseconds=1))
    assert shop_coupons(tx, shop, clock=before) == []


def test_claimed_out_coupons_are_hidden(store: Store, clock: FrozenClock) -> None:
    with store.reading() as tx:
        shop = product_detail(tx, DRESS, clock=clock).shop.id
    with store.writing() as tx:
        tx.execute("UPDATE coupon_template SET claimed = 499 WHERE shop_id = :shop", shop=shop)
    with store.reading() as tx:
        [coupon] = shop_coupons(tx, shop, clock=clock)
        assert coupon.left == 1
    with store.writing() as tx:
        tx.execute("UPDATE coupon_template SET claimed = total WHERE shop_id = :shop", shop=shop)
    with store.reading() as tx:
        assert shop_coupons(tx, shop, clock=clock) == []


# -- reviews ----------------------------------------------------------------------------------


def test_reviews_newest_first(tx: Transaction) -> None:
    page = reviews(tx, DRESS)
    assert page.has_more is False
    assert [(r.author, r.rating) for r in page.reviews] == [
        ("小***9", 5),
        ("l***a", 4),
        ("阿***子", 5),
        ("王***", 2),
    ]
    assert [r.created_at for r in page.reviews] == [
        NOW - timedelta(days=2),
        NOW - timedelta(days=5),
        NOW - timedelta(days=9),
        NOW - timedelta(days=30),
    ]
    assert [r.sku_values for r in page.reviews] == [
        [Localized("玫红", "Rose"), Localized("S", "S")],
        [Localized("藏青", "Navy"), Localized("M", "M")],
        [],
        [Localized("玫红", "Rose"), Localized("L", "L")],
    ]
    photo, dress = picture_id(tx, "photo.png"), picture_id(tx, "dress.png")
    assert [r.photo_ids for r in page.reviews] == [[photo], [], [photo, dress], []]
    assert page.reviews[0].text == "面料很舒服，颜色和图片一样，推荐！"
    assert page.reviews[2].text == "[b]真的好看[/b] 回购 [/]"


def test_reviews_with_photos(tx: Transaction) -> None:
    page = reviews(tx, DRESS, with_photos=True)
    assert [r.author for r in page.reviews] == ["小***9", "阿***子"]
    assert all(r.photo_ids for r in page.reviews)
    assert page.has_more is False
    first = reviews(tx, DRESS, with_photos=True, limit=1)
    assert [r.author for r in first.reviews] == ["小***9"]
    assert first.has_more is True
    assert reviews(tx, headphones_id(tx), with_photos=True).reviews == []


def test_reviews_paging(tx: Transaction) -> None:
    first = reviews(tx, DRESS, limit=2)
    second = reviews(tx, DRESS, offset=2, limit=2)
    third = reviews(tx, DRESS, offset=4, limit=2)
    assert [r.author for r in first.reviews] == ["小***9", "l***a"]
    assert first.has_more is True
    assert [r.author for r in second.reviews] == ["阿***子", "王***"]
    assert second.has_more is False  # exactly the last two
    assert third.reviews == []
    assert third.has_more is False
    singles = [reviews(tx, DRESS, offset=i, limit=1) for i in range(4)]
    assert [p.has_more for p in singles] == [True, True, True, False]
    assert [p.reviews[0] for p in singles] == reviews(tx, DRESS).reviews


def test_reviews_of_a_product_without_any(tx: Transaction) -> None:
    assert reviews(tx, MARKUP).reviews == []
    assert reviews(tx, 999).has_more is False


@pytest.mark.parametrize(("offset", "limit"), [(0, 0), (0, 101), (-1, 10), (0, -5)])
def test_reviews_bad_paging(tx: Transaction, offset: int, limit: int) -> None:
    with pytest.raises(InvalidLimit) as caught:
        reviews(tx, DRESS, offset=offset, limit=limit)
    assert caught.value.params == {"limit": limit, "max": 100}


@pytest.mark.parametrize(
    ("pid", "summary"),
    [
        (DRESS, RatingSummary(4, 40, 75, 2, (0, 1, 0, 1, 2))),  # 5 4 5 2
        (APPLES, RatingSummary(3, 37, 67, 1, (1, 0, 0, 0, 2))),  # 5 5 1: 3.67, 66.7 %
        (EARBUDS, RatingSummary(3, 43, 67, 1, (0, 0, 1, 0, 2))),  # 5 5 3: 4.33
        (SKIRT, RatingSummary(2, 45, 100, 0, (0, 0, 0, 1, 1))),  # 5 4
        (PHONE, RatingSummary(2, 45, 100, 0, (0, 0, 0, 1, 1))),
        (MARKUP, RatingSummary(0, 0, 0, 0, (0, 0, 0, 0, 0))),
    ],
)
def test_rating_summary(
    tx: Transaction, clock: FrozenClock, pid: int, summary: RatingSummary
) -> None:
    assert product_detail(tx, pid, clock=clock).rating == summary


# -- shipping ---------------------------------------------------------------------------------


YIYI = ShippingTemplate(default_fee=600, free_threshold=9900, fees={"65": 2000, "54": 2000})
SHENGSHENG = ShippingTemplate(default_fee=0, fees={"65": 1500})


def test_fee_to() -> None:
    assert YIYI.fee_to("33") == 600
    assert YIYI.fee_to("65") == 2000
    assert YIYI.fee_to("54") == 2000
    assert SHENGSHENG.fee_to("11") == 0
    assert SHENGSHENG.fee_to("65") == 1500
    assert ShippingTemplate(800).fee_to("11") == 800


def test_freight_with_a_threshold() -> None:
    assert YIYI.freight("33", 0) == 600
    assert YIYI.freight("33", 9899) == 600
    assert YIYI.freight("33", 9900) == 0
    assert YIYI.freight("65", 9899) == 2000
    assert YIYI.freight("65", 50000) == 0


def test_freight_without_a_threshold() -> None:
    assert SHENGSHENG.freight("65", 10**9) == 1500
    assert SHENGSHENG.freight("44", 10**9) == 0
    assert ShippingTemplate(800).freight("11", 10**9) == 800


def test_a_zero_threshold_makes_everything_free() -> None:
    assert ShippingTemplate(800, free_threshold=0).freight("11", 0) == 0


provinces = st.sampled_from(["11", "33", "44", "54", "65"])


@settings(max_examples=300, deadline=None)
@given(
    default=st.integers(min_value=0, max_value=10_000),
    threshold=st.none() | st.integers(min_value=0, max_value=100_000),
    fees=st.dictionaries(provinces, st.integers(min_value=0, max_value=10_000)),
    province=provinces,
    total=st.integers(min_value=0, max_value=200_000),
)
def test_freight_is_zero_iff_over_the_threshold(
    default: int, threshold: int | None, fees: dict[str, int], province: str, total: int
) -> None:
    template = ShippingTemplate(default, threshold, fees)
    assert template.fee_to(province) == fees.get(province, default)
    free = threshold is not None and total >= threshold
    assert template.freight(province, total) == (0 if free else template.fee_to(province))
