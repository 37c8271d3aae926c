"""`kstui.services.ordering.pricing`: splitting fen, coupon discounts, pricing, the best coupons."""

from __future__ import annotations

import contextlib
import itertools
import random
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kstui.services.errors import DomainError
from kstui.services.ordering import pricing
from kstui.services.ordering.pricing import (
    CouponNotApplicable,
    CouponOffer,
    PricedCheckout,
    Selection,
    ShopGoods,
    allocate,
    best_selection,
    coupon_discount,
    price,
    shortfall,
)
from kstui.store.enums import CouponKind

MAY = datetime(2025, 5, 1, tzinfo=UTC)


def day(n: int) -> datetime:
    """The n-th day of May 2025 (UTC), as an expiry date."""
    return MAY + timedelta(days=n - 1)


def amount_off(
    id: int, *, shop: int | None, threshold: int, off: int, until: datetime = MAY
) -> CouponOffer:
    return CouponOffer(id, shop, CouponKind.AMOUNT_OFF, threshold, off, 0, until)


def pay_percent(
    id: int, *, shop: int | None, threshold: int, percent: int, until: datetime = MAY
) -> CouponOffer:
    return CouponOffer(id, shop, CouponKind.DISCOUNT, threshold, 0, percent, until)


# --- allocate ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("total", "weights", "parts"),
    [
        # The brief's 100 over [1, 1, 1] would give parts above their weights.
        (100, [100, 100, 100], [34, 33, 33]),
        (2, [1, 1, 1], [1, 1, 0]),
        (7, [10, 20, 30], [1, 2, 4]),
        (5, [0, 3, 0, 2], [0, 3, 0, 2]),
        (1, [0, 5, 5], [0, 1, 0]),
        (0, [3, 4], [0, 0]),
        (0, [], []),
        (0, [0, 0], [0, 0]),
        (3000, [8999, 9999], [1421, 1579]),
    ],
)
def test_allocate_examples(total: int, weights: list[int], parts: list[int]) -> None:
    assert allocate(total, weights) == parts


@pytest.mark.parametrize(
    ("total", "weights"),
    [(-1, [1, 2]), (4, [1, 2]), (1, []), (1, [0, 0]), (0, [1, -1]), (1, [3, -1])],
)
def test_allocate_refuses_what_cannot_be_split(total: int, weights: list[int]) -> None:
    with pytest.raises(ValueError, match=r"."):
        allocate(total, weights)


@st.composite
def splits(draw: st.DrawFn) -> tuple[int, list[int]]:
    weights = draw(st.lists(st.integers(0, 10**7), max_size=12))
    return draw(st.integers(0, sum(weights))), weights


@settings(max_examples=200)
@given(splits())
def test_allocate_is_exact_bounded_and_proportional(split: tuple[int, list[int]]) -> None:
    total, weights = split
    parts = allocate(total, weights)
    assert sum(parts) == total
    assert len(parts) == len(weights)
    weight_sum = sum(weights)
    for part, weight in zip(parts, weights, strict=True):
        assert 0 <= part <= weight
        # Within one fen of the exact share total * weight / weight_sum.
        assert abs(part * weight_sum - total * weight) < max(weight_sum, 1)
    assert allocate(total, list(weights)) == parts


# --- coupon_discount and shortfall -------------------------------------------------


def test_amount_off_needs_its_threshold() -> None:
    offer = amount_off(1, shop=None, threshold=19_900, off=2_000)  # 满199减20
    assert coupon_discount(offer, 19_899) == 0
    assert shortfall(offer, 19_899) == 1
    assert coupon_discount(offer, 19_900) == 2_000
    assert shortfall(offer, 19_900) == 0
    assert shortfall(offer, 50_000) == 0


def test_coupon_never_makes_goods_free() -> None:
    no_threshold = amount_off(1, shop=None, threshold=0, off=500)  # 无门槛5元
    assert coupon_discount(no_threshold, 300) == 299
    assert coupon_discount(no_threshold, 501) == 500
    assert coupon_discount(no_threshold, 1) == 0
    assert coupon_discount(no_threshold, 0) == 0


def test_discount_rounds_down() -> None:
    offer = pay_percent(1, shop=None, threshold=0, percent=95)  # 9.5折
    assert coupon_discount(offer, 1_999) == 99  # 99.95 fen off
    assert coupon_discount(offer, 2_000) == 100
    assert coupon_discount(offer, 19) == 0
    with_threshold = pay_percent(2, shop=None, threshold=10_000, percent=80)
    assert coupon_discount(with_threshold, 9_999) == 0
    assert coupon_discount(with_threshold, 10_000) == 2_000


@pytest.mark.parametrize(
    "make",
    [
        lambda: amount_off(1, shop=None, threshold=-1, off=5),
        lambda: amount_off(1, shop=None, threshold=0, off=-5),
        lambda: pay_percent(1, shop=None, threshold=0, percent=100),
        lambda: pay_percent(1, shop=None, threshold=0, percent=0),
        lambda: ShopGoods(1, (), 0),
        lambda: ShopGoods(1, (100, 0), 0),
        lambda: ShopGoods(1, (100,), -1),
    ],
)
def test_malformed_inputs_are_refused(make: Callable[[], object]) -> None:
    with pytest.raises(ValueError, match=r"."):
        make()


# --- price -------------------------------------------------------------------------


def test_price_worked_example() -> None:
    shops = [ShopGoods(1, (6_000, 4_000), 0), ShopGoods(2, (10_000,), 600)]
    offers = [
        amount_off(11, shop=1, threshold=10_000, off=1_000),  # 满100减10 of store 1
        amount_off(20, shop=None, threshold=15_000, off=3_000),  # 满150减30, platform
    ]
    priced = price(shops, offers, Selection({1: 11}, 20))
    first, second = priced.shops
    # Platform base 9 000 + 10 000; split over 8 999 : 9 999.
    assert (first.shop_discount, first.platform_discount) == (1_000, 1_421)
    assert (second.shop_discount, second.platform_discount) == (0, 1_579)
    assert first.line_discounts == (1_453, 968)
    assert second.line_discounts == (1_579,)
    assert (first.total, second.total) == (7_579, 9_021)
    assert priced.goods_total == 20_000
    assert priced.freight == 600
    assert priced.discount == 4_000
    assert priced.total == 16_600


def test_price_without_coupons() -> None:
    shops = [ShopGoods(1, (100, 200), 50)]
    priced = price(shops, [], Selection())
    assert priced.total == 350
    assert priced.shops[0].line_discounts == (0, 0)


def test_platform_coupon_leaves_each_store_a_fen() -> None:
    shops = [ShopGoods(1, (300,), 0), ShopGoods(2, (5,), 0)]
    priced = price(shops, [amount_off(9, shop=None, threshold=0, off=10_000)], Selection({}, 9))
    assert [shop.total for shop in priced.shops] == [1, 1]
    assert priced.platform_discount == 303


SHOPS = [ShopGoods(1, (10_000,), 0), ShopGoods(2, (5_000, 5_000), 800)]
OFFERS = [
    amount_off(11, shop=1, threshold=5_000, off=500),
    amount_off(12, shop=1, threshold=20_000, off=3_000),
    amount_off(21, shop=2, threshold=0, off=300),
    amount_off(31, shop=3, threshold=0, off=300),
    amount_off(90, shop=None, threshold=19_500, off=1_000),
]


@pytest.mark.parametrize(
    ("selection", "coupon_id", "reason"),
    [
        (Selection({1: 99}), 99, "unknown"),
        (Selection({}, 99), 99, "unknown"),
        (Selection({1: 21}), 21, "wrong_shop"),
        (Selection({3: 31}), 31, "shop_not_in_checkout"),
        (Selection({1: 90}), 90, "platform_as_shop"),
        (Selection({}, 11), 11, "shop_as_platform"),
        (Selection({1: 12}), 12, "threshold"),
        # Store coupons take the checkout under the platform coupon's threshold.
        (Selection({1: 11, 2: 21}, 90), 90, "threshold"),
    ],
)
def test_price_refuses_coupons_that_do_not_apply(
    selection: Selection, coupon_id: int, reason: str
) -> None:
    with pytest.raises(CouponNotApplicable) as caught:
        price(SHOPS, OFFERS, selection)
    assert caught.value.params["coupon_id"] == coupon_id
    assert caught.value.params["reason"] == reason
    assert isinstance(caught.value, DomainError)
    assert caught.value.message_key == "ordering.error.coupon_not_applicable"


def test_refusal_below_threshold_says_how_much_is_missing() -> None:
    with pytest.raises(CouponNotApplicable) as caught:
        price(SHOPS, OFFERS, Selection({1: 12}))
    assert caught.value.params["shortfall"] == 10_000


def test_price_accepts_the_near_misses() -> None:
    assert price(SHOPS, OFFERS, Selection({1: 11}, 90)).discount == 1_500


def test_duplicates_are_programming_errors() -> None:
    with pytest.raises(ValueError, match="same id"):
        price(SHOPS, [*OFFERS, OFFERS[0]], Selection())
    with pytest.raises(ValueError, match="twice"):
        best_selection([*SHOPS, SHOPS[0]], OFFERS)


THRESHOLDS = st.sampled_from([0, 0, 500, 1_000, 5_000, 10_000, 20_000, 30_000])


@st.composite
def carts(
    draw: st.DrawFn, *, max_shops: int = 3, max_offers: int = 6
) -> tuple[list[ShopGoods], list[CouponOffer]]:
    """Stores with a few lines, and coupons of those stores, of another store, and platform."""
    shop_ids = draw(st.lists(st.integers(1, 5), min_size=1, max_size=max_shops, unique=True))
    shops = [
        ShopGoods(
            shop_id,
            tuple(draw(st.lists(st.integers(1, 12_000), min_size=1, max_size=3))),
            draw(st.sampled_from([0, 600, 1_000])),
        )
        for shop_id in shop_ids
    ]
    count = draw(st.integers(0, max_offers))
    ids = draw(st.lists(st.integers(1, 1_000), min_size=count, max_size=count, unique=True))
    offers = []
    for offer_id in ids:
        shop = draw(st.one_of(st.none(), st.integers(1, 6)))
        threshold = draw(THRESHOLDS)
        until = day(draw(st.integers(1, 3)))
        if draw(st.booleans()):
            off = draw(st.sampled_from([1, 300, 1_000, 2_000, 5_000, 40_000]))
            offers.append(
                amount_off(offer_id, shop=shop, threshold=threshold, off=off, until=until)
            )
        else:
            percent = draw(st.integers(50, 99))
            offers.append(
                pay_percent(offer_id, shop=shop, threshold=threshold, percent=percent, until=until)
            )
    return shops, offers


def all_selections(
    shops: Sequence[ShopGoods], offers: Sequence[CouponOffer]
) -> Iterator[Selection]:
    """Every selection made of offers of the right kind (valid or not)."""
    per_shop = [[None, *(o.id for o in offers if o.shop_id == s.shop_id)] for s in shops]
    platforms = [None, *(o.id for o in offers if o.shop_id is None)]
    for combination in itertools.product(*per_shop):
        chosen = {s.shop_id: c for s, c in zip(shops, combination, strict=True) if c is not None}
        for platform in platforms:
            yield Selection(chosen, platform)


def valid_pricings(
    shops: Sequence[ShopGoods], offers: Sequence[CouponOffer]
) -> list[PricedCheckout]:
    priced = []
    for selection in all_selections(shops, offers):
        with contextlib.suppress(CouponNotApplicable):
            priced.append(price(shops, offers, selection))
    return priced


def assert_reconciles(shops: Sequence[ShopGoods], priced: PricedCheckout) -> None:
    assert sum(shop.total for shop in priced.shops) == priced.total
    assert priced.total == priced.goods_total + priced.freight - priced.discount
    assert priced.goods_total == sum(shop.goods_total for shop in shops)
    for goods, shop in zip(shops, priced.shops, strict=True):
        assert shop.shop_id == goods.shop_id
        assert shop.goods_total == goods.goods_total
        assert shop.shop_discount >= 0
        assert shop.platform_discount >= 0
        assert sum(shop.line_discounts) == shop.shop_discount + shop.platform_discount
        for discount, amount in zip(shop.line_discounts, goods.line_amounts, strict=True):
            assert 0 <= discount <= amount
        assert shop.total >= shop.freight + 1


@settings(max_examples=60, deadline=None)
@given(carts())
def test_every_valid_selection_reconciles(cart: tuple[list[ShopGoods], list[CouponOffer]]) -> None:
    shops, offers = cart
    for priced in valid_pricings(shops, offers):
        assert_reconciles(shops, priced)


@settings(max_examples=100)
@given(carts(max_shops=4, max_offers=10), st.data())
def test_random_selection_reconciles_or_is_refused(
    cart: tuple[list[ShopGoods], list[CouponOffer]], data: st.DataObject
) -> None:
    shops, offers = cart
    ids = [offer.id for offer in offers] + [999]
    shop_ids = [shop.shop_id for shop in shops] + [6]
    chosen = data.draw(st.dictionaries(st.sampled_from(shop_ids), st.sampled_from(ids)))
    platform = data.draw(st.one_of(st.none(), st.sampled_from(ids)))
    try:
        priced = price(shops, offers, Selection(chosen, platform))
    except CouponNotApplicable:
        return
    assert_reconciles(shops, priced)


# --- best_selection ----------------------------------------------------------------


def used_offers(priced: PricedCheckout, offers: Sequence[CouponOffer]) -> list[CouponOffer]:
    ids = [*priced.selection.shop_coupons.values()]
    if priced.selection.platform_coupon is not None:
        ids.append(priced.selection.platform_coupon)
    return [offer for offer in offers if offer.id in ids]


def needs_every_coupon(
    shops: Sequence[ShopGoods], offers: Sequence[CouponOffer], priced: PricedCheckout
) -> bool:
    """Whether leaving out any one of its coupons lowers the discount."""
    selection = priced.selection
    smaller = [
        Selection(
            {k: v for k, v in selection.shop_coupons.items() if k != shop_id},
            selection.platform_coupon,
        )
        for shop_id in selection.shop_coupons
    ]
    if selection.platform_coupon is not None:
        smaller.append(Selection(selection.shop_coupons, None))
    return all(price(shops, offers, s).discount < priced.discount for s in smaller)


def preference(
    priced: PricedCheckout, offers: Sequence[CouponOffer]
) -> tuple[tuple[datetime, ...], int, tuple[int, ...]]:
    used = used_offers(priced, offers)
    return (
        tuple(sorted(o.valid_until for o in used)),
        len(used),
        tuple(sorted(o.id for o in used)),
    )


def brute_force_best(shops: Sequence[ShopGoods], offers: Sequence[CouponOffer]) -> Selection:
    candidates = valid_pricings(shops, offers)
    most = max(priced.discount for priced in candidates)
    best = [p for p in candidates if p.discount == most and needs_every_coupon(shops, offers, p)]
    return min(best, key=lambda p: preference(p, offers)).selection


@settings(max_examples=120, deadline=None)
@given(carts())
def test_best_selection_matches_brute_force(
    cart: tuple[list[ShopGoods], list[CouponOffer]],
) -> None:
    shops, offers = cart
    chosen = best_selection(shops, offers)
    expected = brute_force_best(shops, offers)
    assert price(shops, offers, chosen).discount == price(shops, offers, expected).discount
    assert chosen == expected


@settings(max_examples=60, deadline=None)
@given(carts(max_shops=4, max_offers=10), st.randoms(use_true_random=False))
def test_best_selection_ignores_the_order_of_offers(
    cart: tuple[list[ShopGoods], list[CouponOffer]], rng: random.Random
) -> None:
    shops, offers = cart
    shuffled = list(offers)
    rng.shuffle(shuffled)
    assert best_selection(shops, shuffled) == best_selection(shops, offers)


@settings(max_examples=60, deadline=None)
@given(carts())
def test_greedy_fallback_is_valid_and_spends_nothing_for_nothing(
    cart: tuple[list[ShopGoods], list[CouponOffer]],
) -> None:
    shops, offers = cart
    exact = price(shops, offers, best_selection(shops, offers))
    original = pricing.MAX_COMBINATIONS
    pricing.MAX_COMBINATIONS = 0
    try:
        chosen = best_selection(shops, offers)
    finally:
        pricing.MAX_COMBINATIONS = original
    priced = price(shops, offers, chosen)
    assert priced.discount <= exact.discount
    assert needs_every_coupon(shops, offers, priced)


def test_large_cart_falls_back_to_greedy_and_stays_valid() -> None:
    shops = [ShopGoods(shop_id, (30_000, 9_900), 0) for shop_id in range(10)]
    offers = [
        amount_off(shop_id * 10 + k, shop=shop_id, threshold=k * 1_000, off=k * 100 + 1)
        for shop_id in range(10)
        for k in range(10)
    ]
    offers.append(amount_off(500, shop=None, threshold=390_000, off=5_000))
    chosen = best_selection(shops, offers)
    priced = price(shops, offers, chosen)
    # The greedy pass keeps the platform coupon's threshold in view: of 399 000 fen of
    # goods the store coupons take at most 9 000 (8 910 in 1-fen-and-hundreds steps),
    # rather than all 9 010 they could, so that the platform coupon still applies.
    assert chosen.platform_coupon == 500
    assert priced.shop_discount == 8_910
    assert priced.discount == 13_910


def test_best_spends_the_coupon_expiring_first() -> None:
    shops = [ShopGoods(1, (10_000,), 0)]
    offers = [
        amount_off(1, shop=1, threshold=10_000, off=1_000, until=day(20)),
        amount_off(2, shop=1, threshold=10_000, off=1_000, until=day(5)),
        amount_off(3, shop=1, threshold=0, off=1_000, until=day(9)),
    ]
    assert best_selection(shops, offers) == Selection({1: 2})


def test_best_spends_the_lowest_id_among_twins() -> None:
    shops = [ShopGoods(1, (10_000,), 0)]
    offers = [
        amount_off(7, shop=None, threshold=0, off=1_000, until=day(5)),
        amount_off(4, shop=None, threshold=0, off=1_000, until=day(5)),
    ]
    assert best_selection(shops, offers) == Selection({}, 4)


def test_best_weighs_store_coupons_against_the_platform_threshold() -> None:
    shops = [ShopGoods(1, (20_000,), 0)]
    store = amount_off(1, shop=1, threshold=20_000, off=3_000)  # 满200减30
    # 满200减40: the store coupon would take the goods under the threshold.
    platform = amount_off(2, shop=None, threshold=20_000, off=4_000)
    assert best_selection(shops, [store, platform]) == Selection({}, 2)
    # 满170减40: both apply.
    lower = amount_off(2, shop=None, threshold=17_000, off=4_000)
    assert best_selection(shops, [store, lower]) == Selection({1: 1}, 2)


def test_best_searches_where_greedy_would_not(monkeypatch: pytest.MonkeyPatch) -> None:
    shops = [ShopGoods(1, (10_000,), 0), ShopGoods(2, (10_000,), 0)]
    offers = [
        amount_off(1, shop=1, threshold=0, off=600),
        amount_off(2, shop=2, threshold=0, off=1_000),
        amount_off(3, shop=None, threshold=19_000, off=2_000),  # 满190减20
    ]
    # Room for 1 000 fen of store discounts under the platform threshold: store 2's.
    assert best_selection(shops, offers) == Selection({2: 2}, 3)
    monkeypatch.setattr(pricing, "MAX_COMBINATIONS", 0)
    # Store by store, store 1 takes its 600 first and store 2's coupon no longer fits.
    assert best_selection(shops, offers) == Selection({1: 1}, 3)


def test_best_prefers_earlier_expiry_over_fewer_coupons() -> None:
    shops = [ShopGoods(1, (10_000,), 0), ShopGoods(2, (10_000,), 0)]
    store_a = amount_off(1, shop=1, threshold=0, off=1_000, until=day(1))
    store_b = amount_off(2, shop=2, threshold=0, off=1_000, until=day(2))
    # 2 000 off either way: the store coupons leave 18 000, under the threshold.
    late = amount_off(3, shop=None, threshold=20_000, off=2_000, until=day(3))
    assert best_selection(shops, [store_a, store_b, late]) == Selection({1: 1, 2: 2})
    early = amount_off(3, shop=None, threshold=20_000, off=2_000, until=MAY - timedelta(days=1))
    assert best_selection(shops, [store_a, store_b, early]) == Selection({}, 3)


def test_best_never_spends_a_coupon_for_nothing() -> None:
    # The capped 无门槛5元 platform coupon takes 299 off ¥3 with or without the
    # store coupon, which expires first but would be spent for nothing.
    shops = [ShopGoods(1, (300,), 0)]
    store = amount_off(1, shop=1, threshold=0, off=100, until=day(1))
    platform = amount_off(2, shop=None, threshold=0, off=500, until=day(9))
    assert best_selection(shops, [store, platform]) == Selection({}, 2)
    # 9.5折 on 10 fen takes nothing off.
    tiny = [ShopGoods(1, (10,), 0)]
    assert best_selection(tiny, [pay_percent(3, shop=1, threshold=0, percent=95)]) == Selection()


def test_best_of_nothing_is_no_coupon() -> None:
    assert best_selection([], []) == Selection()
    assert best_selection([ShopGoods(1, (100,), 0)], []) == Selection()
