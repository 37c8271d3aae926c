"""`kstui.services.ordering.checkout`: the quote (orders by store, freight by province, coupons)
and 提交订单 (one order per store, stock and coupons reserved, once per submit key)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kstui.providers.clock import FrozenClock
from kstui.services.catalog.regions import DEFAULT_PROVINCE
from kstui.services.catalog.sku_sales import shops_for_sale
from kstui.services.ordering import cart, checkout, coupons
from kstui.services.ordering.addresses import AddressNotFound
from kstui.services.ordering.cart import InvalidQuantity, OutOfStock, SkuNotFound
from kstui.services.ordering.checkout import (
    AddressNeeded,
    Item,
    NoteInvalid,
    NothingToBuy,
    PriceChanged,
    Quote,
)
from kstui.services.ordering.coupons import CouponState
from kstui.services.ordering.invoices import InvalidInvoice, InvoiceRequest
from kstui.services.ordering.pricing import CouponNotApplicable, Selection
from kstui.services.orders import listing
from kstui.store.enums import InvoiceKind, OrderStatus, PaymentMethod
from kstui.store.interface import Store, from_db_time
from tests.conftest import MINOR
from tests.unit.ordering_helpers import (
    FAR,
    GUOYUAN,
    HOME,
    SHENGSHENG,
    YIYI,
    Skus,
    account_of,
    address,
    dump,
    items,
    new_user_coupon,
    place,
    rows,
    shop_template,
    skus,
    stock,
    value,
)


@pytest.fixture
def s(store: Store) -> Skus:
    return skus(store)


@pytest.fixture
def home(store: Store, clock: FrozenClock, shopper: str) -> int:
    """The shopper's default address, in 杭州."""
    return address(store, shopper, clock, HOME)


@pytest.fixture
def far(store: Store, clock: FrozenClock, shopper: str) -> int:
    """An address in 乌鲁木齐 (新疆)."""
    return address(store, shopper, clock, FAR)


@pytest.fixture
def held(store: Store, clock: FrozenClock, shopper: str) -> dict[str, int]:
    """The shopper's coupons: 衣衣 满100减10, 声声 满200打95折, the new-user ¥5."""
    return {
        "yiyi": coupons.claim(store, shopper, shop_template(store, YIYI), clock=clock).id,
        "sheng": coupons.claim(store, shopper, shop_template(store, SHENGSHENG), clock=clock).id,
        "new_user": new_user_coupon(store, account_of(store, shopper, clock)),
    }


NO_COUPONS = Selection()


def quote(
    store: Store,
    token: str,
    clock: FrozenClock,
    quantities: dict[int, int],
    *,
    address_id: int | None = None,
    selection: Selection | None = None,
) -> Quote:
    return checkout.quote(
        store, token, items(quantities), clock=clock, address_id=address_id, selection=selection
    )


def freights(q: Quote) -> dict[int, int]:
    return {shop.shop_id: shop.freight for shop in q.shops}


# -- the quote ------------------------------------------------------------------------------


def test_quote_groups_lines_by_store_in_the_order_given(
    store: Store, clock: FrozenClock, shopper: str, s: Skus, home: int
) -> None:
    q = checkout.quote(
        store,
        shopper,
        [Item(s.skirt, 1), Item(s.earbuds, 1), Item(s.apples, 2), Item(s.mini_skirt, 1)],
        clock=clock,
        address_id=home,
        selection=NO_COUPONS,
    )
    assert [shop.shop_id for shop in q.shops] == [YIYI, SHENGSHENG, GUOYUAN]
    assert [[line.sku.sku_id for line in shop.lines] for shop in q.shops] == [
        [s.skirt, s.mini_skirt],
        [s.earbuds],
        [s.apples],
    ]
    assert [shop.goods_total for shop in q.shops] == [6900 + 5900, 29900, 2 * 2990]
    assert q.ship_to is not None
    assert q.ship_to.address_id == home
    assert q.ship_to.region == "浙江省 杭州市 西湖区"


def test_the_same_sku_twice_is_one_line(
    store: Store, clock: FrozenClock, shopper: str, s: Skus, home: int
) -> None:
    q = checkout.quote(
        store, shopper, [Item(s.skirt, 1), Item(s.skirt, 2)], clock=clock, address_id=home
    )
    assert [(line.sku.sku_id, line.quantity) for line in q.shops[0].lines] == [(s.skirt, 3)]


THREE_SHOPS = {"mini_skirt": 1, "earbuds": 1, "apples": 1}
ABOVE_THRESHOLDS = {"mini_skirt": 2, "earbuds": 1, "apples": 7}


@pytest.mark.parametrize(
    ("place_to", "quantities", "expected"),
    [
        ("home", THREE_SHOPS, {YIYI: 600, SHENGSHENG: 0, GUOYUAN: 1000}),
        ("far", THREE_SHOPS, {YIYI: 2000, SHENGSHENG: 1500, GUOYUAN: 3000}),
        # free from ¥99 (衣衣) and ¥199 (果园), whatever the province; 声声 has no threshold
        ("far", ABOVE_THRESHOLDS, {YIYI: 0, SHENGSHENG: 1500, GUOYUAN: 0}),
        ("home", {"dress": 1, "apples": 6}, {YIYI: 0, GUOYUAN: 1000}),  # ¥179.40 < ¥199
        ("none", {"mini_skirt": 1, "apples": 1}, {YIYI: 600, GUOYUAN: 1000}),
    ],
)  # fmt: skip
def test_freight_per_store_by_province_free_above_threshold(
    store: Store,
    clock: FrozenClock,
    shopper: str,
    s: Skus,
    home: int,
    far: int,
    place_to: str,
    quantities: dict[str, int],
    expected: dict[int, int],
) -> None:
    address_id = {"home": home, "far": far, "none": None}[place_to]
    if place_to == "none":  # no default address: freight to the default province
        with store.writing() as tx:
            tx.execute("DELETE FROM address")
    q = quote(
        store,
        shopper,
        clock,
        {getattr(s, name): n for name, n in quantities.items()},
        address_id=address_id,
        selection=NO_COUPONS,
    )
    assert freights(q) == expected
    assert q.priced.freight == sum(expected.values())
    assert (q.ship_to is None) == (place_to == "none")
    if q.ship_to is None:
        assert DEFAULT_PROVINCE not in {"33", "65"}


def test_without_an_address_id_the_default_address_is_used(
    store: Store, clock: FrozenClock, shopper: str, s: Skus, home: int, far: int
) -> None:
    default = quote(store, shopper, clock, {s.earbuds: 1}).ship_to
    assert default is not None
    assert default.address_id == home
    chosen = quote(store, shopper, clock, {s.earbuds: 1}, address_id=far).ship_to
    assert chosen is not None
    assert chosen.province == "65"


def test_best_coupons_are_pre_selected(
    store: Store, clock: FrozenClock, shopper: str, s: Skus, home: int, held: dict[str, int]
) -> None:
    q = quote(store, shopper, clock, {s.dress: 1, s.earbuds: 1, s.apples: 1}, address_id=home)
    assert q.selection == Selection(
        shop_coupons={YIYI: held["yiyi"], SHENGSHENG: held["sheng"]},
        platform_coupon=held["new_user"],
    )
    by_shop = {shop.shop_id: shop for shop in q.shops}
    assert by_shop[YIYI].coupon_id == held["yiyi"]
    assert by_shop[YIYI].shop_discount == 1000
    assert by_shop[SHENGSHENG].shop_discount == 29900 * 5 // 100
    assert by_shop[GUOYUAN].coupon_id is None
    assert by_shop[GUOYUAN].shop_discount == 0
    assert q.platform_coupon_id == held["new_user"]
    assert sum(shop.platform_discount for shop in q.shops) == 500
    goods = 12900 + 29900 + 2990
    assert q.total == goods + 1000 - 1000 - 1495 - 500  # 果园 ships for ¥10
    # The coupons offered per store and for the platform, the applicable ones first.
    assert [c.coupon.id for c in by_shop[YIYI].coupons] == [held["yiyi"]]
    assert by_shop[YIYI].coupons[0].discount == 1000
    assert by_shop[YIYI].coupons[0].shortfall == 0
    assert [c.coupon.id for c in q.platform_coupons] == [held["new_user"]]


def test_a_coupon_below_its_threshold_shows_the_shortfall(
    store: Store, clock: FrozenClock, shopper: str, s: Skus, home: int, held: dict[str, int]
) -> None:
    q = quote(store, shopper, clock, {s.mini_skirt: 1}, address_id=home)
    choice = q.shops[0].coupons[0]
    assert (choice.coupon.id, choice.discount, choice.shortfall) == (held["yiyi"], 0, 4100)
    assert q.shops[0].coupon_id is None


@pytest.mark.parametrize(
    ("chosen", "discount"),
    [
        ("nothing", 0),
        ("platform", 500),
        ("yiyi", 1000),
        ("all", 1000 + 1495 + 500),
    ],
)
def test_a_chosen_selection_is_honoured(
    store: Store,
    clock: FrozenClock,
    shopper: str,
    s: Skus,
    home: int,
    held: dict[str, int],
    chosen: str,
    discount: int,
) -> None:
    selection = {
        "nothing": Selection(),
        "platform": Selection(platform_coupon=held["new_user"]),
        "yiyi": Selection(shop_coupons={YIYI: held["yiyi"]}),
        "all": Selection({YIYI: held["yiyi"], SHENGSHENG: held["sheng"]}, held["new_user"]),
    }[chosen]
    q = quote(
        store, shopper, clock, {s.dress: 1, s.earbuds: 1}, address_id=home, selection=selection
    )
    assert q.selection == selection
    assert q.priced.discount == discount
    assert q.total == 12900 + 29900 - discount


@pytest.mark.parametrize(
    ("selection", "reason"),
    [
        (lambda h: Selection(shop_coupons={SHENGSHENG: h["yiyi"]}), "wrong_shop"),
        (lambda h: Selection(shop_coupons={GUOYUAN: h["yiyi"]}), "shop_not_in_checkout"),
        (lambda h: Selection(platform_coupon=h["yiyi"]), "shop_as_platform"),
        (lambda h: Selection(shop_coupons={YIYI: h["new_user"]}), "platform_as_shop"),
        (lambda _: Selection(platform_coupon=999_999), "unknown"),
        (lambda h: Selection(shop_coupons={SHENGSHENG: h["sheng"]}), "threshold"),
    ],
)
def test_an_invalid_selection_is_refused(
    store: Store,
    clock: FrozenClock,
    shopper: str,
    s: Skus,
    home: int,
    held: dict[str, int],
    selection: Callable[[dict[str, int]], Selection],
    reason: str,
) -> None:
    quantities = {s.dress: 1, s.earphones: 1}  # ¥129 of 衣衣, ¥99 of 声声
    with pytest.raises(CouponNotApplicable) as caught:
        quote(store, shopper, clock, quantities, address_id=home, selection=selection(held))
    assert caught.value.params["reason"] == reason
    before = dump(store)
    with pytest.raises(CouponNotApplicable):
        place(store, shopper, clock, quantities, address_id=home, selection=selection(held))
    assert dump(store) == before


def test_quote_refusals(store: Store, clock: FrozenClock, shopper: str, s: Skus) -> None:
    with pytest.raises(NothingToBuy):
        checkout.quote(store, shopper, [], clock=clock)
    with pytest.raises(checkout.TooManyItems) as caught:
        checkout.quote(store, shopper, [Item(s.apples, 1)] * 121, clock=clock)
    assert caught.value.params == {"max": 120}
    with pytest.raises(InvalidQuantity):  # a negative line does not offset another
        checkout.quote(store, shopper, [Item(s.skirt, 3), Item(s.skirt, -1)], clock=clock)
    with pytest.raises(SkuNotFound):
        checkout.quote(store, shopper, [Item(999_999, 1)], clock=clock)
    with pytest.raises(InvalidQuantity):
        checkout.quote(store, shopper, [Item(s.phone, 3)], clock=clock)
    with pytest.raises(InvalidQuantity):
        checkout.quote(store, shopper, [Item(s.skirt, 0)], clock=clock)
    with pytest.raises(OutOfStock) as out:
        checkout.quote(store, shopper, [Item(s.dress_ivory, 3)], clock=clock)
    assert out.value.params["left"] == 2
    with pytest.raises(AddressNotFound):
        checkout.quote(store, shopper, [Item(s.skirt, 1)], clock=clock, address_id=999_999)


SKU_NAMES = st.sampled_from(
    ["dress", "skirt", "mini_skirt", "earbuds", "earphones", "phone", "apples", "kiwi"]
)


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    chosen=st.dictionaries(SKU_NAMES, st.integers(1, 2), min_size=1, max_size=8),
    where=st.sampled_from(["home", "far", None]),
)
def test_quote_invariants(
    store: Store,
    clock: FrozenClock,
    shopper: str,
    s: Skus,
    home: int,
    far: int,
    held: dict[str, int],  # noqa: ARG001  (coupons to choose from)
    chosen: dict[str, int],
    where: str | None,
) -> None:
    """Whatever is bought: lines grouped by store, the freight rule, discounts shared out
    to the fen, totals that add up, and only integers."""
    address_id = {"home": home, "far": far, None: None}[where]
    q = quote(
        store, shopper, clock, {getattr(s, name): n for name, n in chosen.items()},
        address_id=address_id,
    )  # fmt: skip
    province = "65" if where == "far" else "33"
    with store.reading() as tx:
        templates = {k: v.shipping for k, v in shops_for_sale(tx, [1, 2, 3]).items()}
    assert len({shop.shop_id for shop in q.shops}) == len(q.shops)
    assert sum(len(shop.lines) for shop in q.shops) == len(chosen)
    for shop in q.shops:
        assert all(line.sku.shop_id == shop.shop_id for line in shop.lines)
        assert shop.goods_total == sum(line.amount for line in shop.lines)
        assert shop.freight == templates[shop.shop_id].freight(province, shop.goods_total)
        assert sum(line.discount for line in shop.lines) == (
            shop.shop_discount + shop.platform_discount
        )
        assert all(0 <= line.discount < line.amount for line in shop.lines)
        assert shop.total >= shop.freight + 1
        numbers = [shop.goods_total, shop.freight, shop.shop_discount, shop.platform_discount]
        numbers += [shop.total, *(line.discount for line in shop.lines)]
        assert all(type(n) is int for n in numbers)
    assert sum(shop.total for shop in q.shops) == q.total == q.priced.total
    assert type(q.total) is int


# -- submitting -----------------------------------------------------------------------------


def test_submit_creates_one_order_per_store(
    store: Store, clock: FrozenClock, shopper: str, s: Skus, far: int, held: dict[str, int]
) -> None:
    quantities = {s.dress: 2, s.earbuds: 1, s.apples: 3}
    q = quote(store, shopper, clock, quantities, address_id=far)
    before = {sku_id: stock(store, sku_id) for sku_id in quantities}

    placed = place(
        store, shopper, clock, quantities, address_id=far, expected_total=q.total,
        notes={YIYI: "  请发顺丰  "}, invoice=InvoiceRequest(InvoiceKind.PERSONAL, "张三"),
    )  # fmt: skip

    assert placed.amount == q.total
    assert placed.pay_deadline == clock.now() + timedelta(minutes=15)
    assert placed.method is PaymentMethod.ALIPAY
    checkout_id, status, amount, platform_coupon, deadline = rows(
        store,
        "SELECT id, status, amount, platform_coupon_id, pay_deadline FROM checkout WHERE no = :no",
        no=placed.no,
    )[0]
    assert (status, amount, platform_coupon) == ("awaiting_payment", q.total, held["new_user"])
    assert from_db_time(deadline) == clock.now() + timedelta(minutes=15)
    made = rows(
        store,
        "SELECT id, no, shop_id, status, goods_total, freight, shop_discount, platform_discount,"
        " total, shop_coupon_id, recipient, phone, province, region, detail, note, invoice_kind,"
        " invoice_title FROM shop_order WHERE checkout_id = :checkout ORDER BY id",
        checkout=checkout_id,
    )
    assert tuple(row[1] for row in made) == placed.order_nos
    assert len(set(placed.order_nos)) == 3
    for row, shop in zip(made, q.shops, strict=True):
        order_id, _, shop_id, status, goods, freight, shop_off, platform_off, total = row[:9]
        assert (shop_id, status) == (shop.shop_id, OrderStatus.PENDING_PAYMENT)
        assert (goods, freight, shop_off, platform_off, total) == (
            shop.goods_total, shop.freight, shop.shop_discount, shop.platform_discount, shop.total,
        )  # fmt: skip
        assert row[9] == shop.coupon_id
        assert row[10:15] == ("李四", "13912345678", "65", "新疆维吾尔自治区 乌鲁木齐市 天山区",
                              "天山路 8 号 2 单元")  # fmt: skip
        assert row[15] == ("请发顺丰" if shop_id == YIYI else "")
        assert row[16:] == ("personal", "张三")
        lines = rows(
            store,
            "SELECT sku_id, unit_price, quantity, amount, discount FROM order_line"
            " WHERE order_id = :order ORDER BY position",
            order=order_id,
        )
        assert lines == [
            (line.sku.sku_id, line.sku.price, line.quantity, line.amount, line.discount)
            for line in shop.lines
        ]
        assert sum(line[4] for line in lines) == shop_off + platform_off
        assert rows(
            store,
            "SELECT from_status, to_status FROM order_event WHERE order_id = :order ORDER BY id",
            order=order_id,
        ) == [(None, "pending_payment")]
    assert sum(row[8] for row in made) == placed.amount
    assert all(type(v) is int for row in made for v in row[4:10] if v is not None)

    # Stock is reserved, on the SKU and on the product's aggregate.
    for sku_id, n in quantities.items():
        sku_stock, product_stock = before[sku_id]
        assert stock(store, sku_id) == (sku_stock - n, product_stock - n)
    # The coupons are tied to the checkout.
    tied = rows(
        store,
        "SELECT id FROM coupon WHERE checkout_id = :checkout ORDER BY id",
        checkout=checkout_id,
    )
    assert sorted(c for (c,) in tied) == sorted(held.values())
    states = {c.id: c.state for c in coupons.my_coupons(store, shopper, clock=clock)}
    assert set(states.values()) == {CouponState.IN_ORDER}
    # And 我的订单 lists them, unpaid until the deadline.
    listed = listing.my_orders(store, shopper, clock=clock)
    assert {o.no for o in listed} == set(placed.order_nos)
    assert {o.status for o in listed} == {OrderStatus.PENDING_PAYMENT}
    assert {o.pay_deadline for o in listed} == {placed.pay_deadline}


def test_the_same_submit_key_creates_one_checkout(
    store: Store, clock: FrozenClock, shopper: str, s: Skus, home: int
) -> None:
    first = place(store, shopper, clock, {s.dress: 1, s.apples: 1}, address_id=home, key="page-1")
    clock.advance(timedelta(seconds=3))
    again = place(store, shopper, clock, {s.dress: 1, s.apples: 1}, address_id=home, key="page-1")
    assert again == first
    assert value(store, "SELECT COUNT(*) FROM checkout") == 1
    assert value(store, "SELECT COUNT(*) FROM shop_order") == 2
    assert stock(store, s.dress) == (4, 29)


def test_a_changed_total_refuses_the_submit(
    store: Store, clock: FrozenClock, shopper: str, s: Skus, home: int, held: dict[str, int]
) -> None:
    q = quote(store, shopper, clock, {s.dress: 1}, address_id=home)
    before = dump(store)
    with pytest.raises(PriceChanged) as caught:
        place(store, shopper, clock, {s.dress: 1}, address_id=home, expected_total=q.total + 1)
    assert caught.value.params == {"total": q.total}
    assert dump(store) == before
    # The coupon expired meanwhile: the total the shopper saw no longer holds.
    clock.advance(timedelta(days=7))
    with pytest.raises(PriceChanged):
        place(store, shopper, clock, {s.dress: 1}, address_id=home, expected_total=q.total)
    assert dump(store) == before
    assert held


@pytest.mark.parametrize(
    "note", ["很" * 101, "请\x07响铃", "a\u202eb", "第一行\n第二行", "半个\udc80字"]
)
def test_an_invalid_note_is_refused(
    store: Store, clock: FrozenClock, shopper: str, s: Skus, home: int, note: str
) -> None:
    before = dump(store)
    with pytest.raises(NoteInvalid) as caught:
        place(store, shopper, clock, {s.dress: 1}, address_id=home, notes={YIYI: note})
    assert caught.value.params == {"max": 100}
    assert dump(store) == before


def test_a_note_of_100_characters_is_kept_trimmed(
    store: Store, clock: FrozenClock, shopper: str, s: Skus, home: int
) -> None:
    note = "好" * 100
    place(store, shopper, clock, {s.dress: 1}, address_id=home, notes={YIYI: f" {note} ", 99: "x"})
    assert value(store, "SELECT note FROM shop_order") == note


def test_no_address_is_address_needed(
    store: Store, clock: FrozenClock, shopper: str, s: Skus
) -> None:
    before = dump(store)
    with pytest.raises(AddressNeeded):
        place(store, shopper, clock, {s.dress: 1}, address_id=None)
    assert dump(store) == before


def test_the_default_address_is_used_without_an_id(
    store: Store, clock: FrozenClock, shopper: str, s: Skus, home: int
) -> None:
    assert home
    place(store, shopper, clock, {s.dress: 1}, address_id=None)
    assert value(store, "SELECT recipient FROM shop_order") == "张三"


def test_another_accounts_address_is_not_found(
    store: Store, clock: FrozenClock, shopper: str, token_for: Callable[[str], str], s: Skus
) -> None:
    other = token_for(MINOR)
    theirs = address(store, other, clock, FAR)
    with pytest.raises(AddressNotFound):
        place(store, shopper, clock, {s.dress: 1}, address_id=theirs)


def test_an_invalid_invoice_is_refused(
    store: Store, clock: FrozenClock, shopper: str, s: Skus, home: int
) -> None:
    before = dump(store)
    with pytest.raises(InvalidInvoice):
        place(
            store, shopper, clock, {s.dress: 1}, address_id=home,
            invoice=InvoiceRequest(InvoiceKind.COMPANY, "某某科技有限公司", "91310115MA1K3BTP2C"),
        )  # fmt: skip
    with pytest.raises(InvalidInvoice):  # a lone surrogate would fail at the INSERT
        place(
            store, shopper, clock, {s.dress: 1}, address_id=home,
            invoice=InvoiceRequest(InvoiceKind.PERSONAL, "张\ud83d三", ""),
        )  # fmt: skip
    assert dump(store) == before
    place(
        store, shopper, clock, {s.dress: 1}, address_id=home,
        invoice=InvoiceRequest(InvoiceKind.COMPANY, "某某科技有限公司", "91310115ma1k3btp2b"),
    )  # fmt: skip
    assert rows(store, "SELECT invoice_kind, invoice_tax_no FROM shop_order") == [
        ("company", "91310115MA1K3BTP2B")
    ]


def test_out_of_stock_writes_nothing(
    store: Store, clock: FrozenClock, shopper: str, s: Skus, home: int
) -> None:
    before = dump(store)
    for quantities in ({s.skirt: 1, s.dress_ivory: 3}, {s.skirt: 1, s.headphones: 1}):
        with pytest.raises(OutOfStock):
            place(store, shopper, clock, quantities, address_id=home)
    assert dump(store) == before


def bought_meanwhile(
    monkeypatch: pytest.MonkeyPatch, store: Store, sql: str, **params: object
) -> None:
    """Between the quote and the write, another shopper changes the SKU (`sql`)."""
    original = checkout._quote

    def quote_then_change(*args: Any) -> Quote:
        result = original(*args)
        with store.writing() as tx:
            tx.execute(sql, **params)
        return result

    monkeypatch.setattr(checkout, "_quote", quote_then_change)


def test_stock_taken_after_the_quote_is_out_of_stock(
    store: Store, clock: FrozenClock, shopper: str, s: Skus, home: int,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    bought_meanwhile(
        monkeypatch, store, "UPDATE sku SET stock = 1 WHERE id = :id", id=s.dress_ivory
    )
    with pytest.raises(OutOfStock) as caught:
        place(store, shopper, clock, {s.skirt: 1, s.dress_ivory: 2}, address_id=home)
    assert caught.value.params["left"] == 1
    assert stock(store, s.skirt) == (30, 60)  # the first line's reservation rolled back
    assert value(store, "SELECT COUNT(*) FROM checkout") == 0
    assert value(store, "SELECT COUNT(*) FROM coupon WHERE checkout_id IS NOT NULL") == 0


def test_a_price_changed_after_the_quote_refuses_the_submit(
    store: Store, clock: FrozenClock, shopper: str, s: Skus, home: int,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    bought_meanwhile(monkeypatch, store, "UPDATE sku SET price = 7900 WHERE id = :id", id=s.skirt)
    with pytest.raises(checkout.PricesMoved):
        place(store, shopper, clock, {s.skirt: 1}, address_id=home)
    assert value(store, "SELECT COUNT(*) FROM checkout") == 0
    assert stock(store, s.skirt) == (30, 60)


def test_from_cart_removes_the_bought_lines(
    store: Store, clock: FrozenClock, shopper: str, s: Skus, home: int
) -> None:
    for sku_id in (s.skirt, s.mini_skirt, s.earbuds):
        cart.add_to_cart(store, shopper, sku_id, 1, clock=clock)
    place(store, shopper, clock, {s.skirt: 1}, address_id=home)  # from the product page
    assert cart.cart_count(store, shopper, clock=clock) == 3
    place(store, shopper, clock, {s.skirt: 1, s.earbuds: 1}, address_id=home, from_cart=True)
    remaining = cart.view_cart(store, shopper, clock=clock).lines
    assert [line.sku.sku_id for line in remaining] == [s.mini_skirt]


def test_a_used_coupon_cannot_be_chosen_again(
    store: Store, clock: FrozenClock, shopper: str, s: Skus, home: int, held: dict[str, int]
) -> None:
    selection = Selection(shop_coupons={YIYI: held["yiyi"]})
    place(store, shopper, clock, {s.dress: 1}, address_id=home, selection=selection)
    before = dump(store)
    with pytest.raises(checkout.CouponUnavailable):
        place(store, shopper, clock, {s.dress: 1}, address_id=home, selection=selection)
    assert dump(store) == before
    # Without a choice, the best of what is left is taken: the new-user ¥5.
    other = place(store, shopper, clock, {s.dress: 1}, address_id=home)
    assert value(store, "SELECT amount FROM checkout WHERE no = :no", no=other.no) == 12900 - 500


def test_the_order_limit_counts_every_sku_of_the_product(
    store: Store, clock: FrozenClock, shopper: str, s: Skus
) -> None:
    """The dress allows 5 per order, whatever the colours and sizes."""
    checkout.quote(store, shopper, [Item(s.dress, 3), Item(s.dress_ivory, 2)], clock=clock)
    with pytest.raises(checkout.OverOrderLimit) as caught:
        checkout.quote(store, shopper, [Item(s.dress, 4), Item(s.dress_ivory, 2)], clock=clock)
    assert caught.value.params["max"] == 5
