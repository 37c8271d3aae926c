"""`kstui.services.ordering.coupons` and `kstui.store.coupon_grants`: claiming, the new-user gift,
validity periods, and how a held coupon stands (usable, in an order, used, expired)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest

from kstui.providers.clock import FrozenClock
from kstui.services.accounts import auth
from kstui.services.accounts.errors import NotLoggedIn
from kstui.services.accounts.sms_codes import Purpose
from kstui.services.ordering import coupons
from kstui.services.ordering.coupons import (
    AlreadyClaimed,
    CouponGone,
    CouponNotClaimable,
    CouponState,
)
from kstui.services.payments import cashier
from kstui.store.coupon_grants import grant, grant_new_user_coupons
from kstui.store.enums import CouponKind, CouponScope, PaymentMethod
from kstui.store.interface import Store
from tests.conftest import MINOR, NOW
from tests.unit.accounts.test_accounts import NEW, NEW_PASSWORD, code_for
from tests.unit.ordering_helpers import (
    GUOYUAN,
    HOME,
    SHENGSHENG,
    YIYI,
    account_of,
    address,
    new_key,
    place,
    scan,
    shop_template,
    sku,
    value,
)

DAY = timedelta(days=1)


def template(store: Store, **where: object) -> int:
    conditions = " AND ".join(f"{name} = :{name}" for name in where)
    return int(value(store, f"SELECT MIN(id) FROM coupon_template WHERE {conditions}", **where))


def states(store: Store, token: str, clock: FrozenClock) -> dict[int, CouponState]:
    return {c.template_id: c.state for c in coupons.my_coupons(store, token, clock=clock)}


def test_claim_a_shop_coupon(store: Store, clock: FrozenClock, shopper: str) -> None:
    yiyi = shop_template(store, YIYI)
    held = coupons.claim(store, shopper, yiyi, clock=clock)
    assert (held.template_id, held.state) == (yiyi, CouponState.USABLE)
    assert held.terms.scope is CouponScope.SHOP
    assert held.terms.shop_id == YIYI
    assert held.terms.shop_name is not None
    assert held.terms.shop_name.zh == "衣衣小铺"
    assert (held.terms.kind, held.terms.threshold, held.terms.amount_off) == (
        CouponKind.AMOUNT_OFF, 10000, 1000,
    )  # fmt: skip
    assert (held.valid_from, held.valid_until) == (NOW, NOW + 30 * DAY)
    offered = {c.template_id: c for c in coupons.claimable(store, shopper, clock=clock)}
    assert offered[yiyi].claimed_by_me
    assert offered[yiyi].left == 499
    assert not offered[shop_template(store, SHENGSHENG)].claimed_by_me


def test_a_campaign_is_claimed_once_per_shopper(
    store: Store, clock: FrozenClock, shopper: str
) -> None:
    yiyi = shop_template(store, YIYI)
    coupons.claim(store, shopper, yiyi, clock=clock)
    with pytest.raises(AlreadyClaimed):
        coupons.claim(store, shopper, yiyi, clock=clock)
    assert value(store, "SELECT claimed FROM coupon_template WHERE id = :id", id=yiyi) == 1
    assert value(store, "SELECT COUNT(*) FROM coupon WHERE template_id = :id", id=yiyi) == 1


def test_a_campaign_is_never_over_claimed(
    store: Store, clock: FrozenClock, shopper: str, token_for: Callable[[str], str]
) -> None:
    sheng = shop_template(store, SHENGSHENG)
    with store.writing() as tx:
        tx.execute("UPDATE coupon_template SET total = 1 WHERE id = :id", id=sheng)
    coupons.claim(store, shopper, sheng, clock=clock)
    with pytest.raises(CouponGone):
        coupons.claim(store, token_for(MINOR), sheng, clock=clock)
    assert value(store, "SELECT claimed FROM coupon_template WHERE id = :id", id=sheng) == 1
    assert (
        next(c.left for c in coupons.claimable(store, None, clock=clock) if c.template_id == sheng)
        == 0
    )


def test_a_campaign_that_is_over_or_unknown_is_gone(
    store: Store, clock: FrozenClock, shopper: str
) -> None:
    sheng = shop_template(store, SHENGSHENG)
    with pytest.raises(CouponGone):
        coupons.claim(store, shopper, 999_999, clock=clock)
    clock.advance(15 * DAY)  # the campaign ran 15 days
    with pytest.raises(CouponGone):
        coupons.claim(store, shopper, sheng, clock=clock)
    assert sheng not in {c.template_id for c in coupons.claimable(store, shopper, clock=clock)}


def test_gifts_are_not_claimable(store: Store, clock: FrozenClock, shopper: str) -> None:
    for gift in (template(store, new_user=True), template(store, checkin_day=1)):
        with pytest.raises(CouponNotClaimable):
            coupons.claim(store, shopper, gift, clock=clock)
    listed = {c.template_id for c in coupons.claimable(store, shopper, clock=clock)}
    assert listed == {shop_template(store, YIYI), shop_template(store, SHENGSHENG)}


def test_claimable_by_shop_and_for_guests(store: Store, clock: FrozenClock) -> None:
    assert [c.template_id for c in coupons.claimable(store, None, clock=clock, shop_id=YIYI)] == [
        shop_template(store, YIYI)
    ]
    assert coupons.claimable(store, None, clock=clock, shop_id=GUOYUAN) == []
    with pytest.raises(NotLoggedIn):
        coupons.claim(store, "nobody", shop_template(store, YIYI), clock=clock)


def test_valid_until_is_the_earlier_of_campaign_end_and_validity(
    store: Store, clock: FrozenClock, shopper: str
) -> None:
    # The new-user gift: 7 days, in a campaign of a year.
    gift = next(c for c in coupons.my_coupons(store, shopper, clock=clock))
    assert gift.valid_until == NOW + 7 * DAY
    # 衣衣's coupon: valid 30 days, the campaign ends 30 days after the seed.
    clock.advance(10 * DAY)
    held = coupons.claim(store, shopper, shop_template(store, YIYI), clock=clock)
    assert (held.valid_from, held.valid_until) == (NOW + 10 * DAY, NOW + 30 * DAY)


def test_new_user_coupons_on_registration(store: Store, clock: FrozenClock) -> None:
    code = code_for(store, clock, NEW, Purpose.REGISTER)
    token = auth.register(store, NEW, code, *NEW_PASSWORD, clock=clock, device="pc").token
    mine = coupons.my_coupons(store, token, clock=clock)
    assert [(c.template_id, c.state) for c in mine] == [
        (template(store, new_user=True), CouponState.USABLE)
    ]
    assert mine[0].valid_until == clock.now() + 7 * DAY
    assert (mine[0].terms.threshold, mine[0].terms.amount_off) == (0, 500)
    with store.writing() as tx:  # granting again gives nothing
        assert grant_new_user_coupons(tx, account_of(store, token, clock), clock.now()) == []
    assert len(coupons.my_coupons(store, token, clock=clock)) == 1


def test_grant_once_per_key_and_within_the_campaign(
    store: Store, clock: FrozenClock, shopper: str
) -> None:
    me = account_of(store, shopper, clock)
    yiyi = shop_template(store, YIYI)
    with store.writing() as tx:
        first = grant(tx, me, yiyi, "k", clock.now())
        assert first is not None
        assert grant(tx, me, yiyi, "k", clock.now()) is None
        assert grant(tx, me, 999_999, "k2", clock.now()) is None
        assert grant(tx, me, yiyi, "k3", NOW - timedelta(seconds=1)) is None  # not started
        assert grant(tx, me, yiyi, "k4", NOW + 30 * DAY) is None  # over
    assert value(store, "SELECT claimed FROM coupon_template WHERE id = :id", id=yiyi) == 1


def test_a_coupon_expires_at_its_valid_until(
    store: Store, clock: FrozenClock, shopper: str
) -> None:
    gift = template(store, new_user=True)
    clock.advance(7 * DAY - timedelta(microseconds=1))
    assert states(store, shopper, clock)[gift] is CouponState.USABLE
    clock.advance(timedelta(microseconds=1))
    assert states(store, shopper, clock)[gift] is CouponState.EXPIRED


def test_a_coupon_in_an_order_then_used_or_released(
    store: Store, clock: FrozenClock, shopper: str
) -> None:
    gift = template(store, new_user=True)
    home = address(store, shopper, clock, HOME)
    skirt = sku(store, "pleated-skirt", "0")
    first = place(store, shopper, clock, {skirt: 1}, address_id=home)
    assert states(store, shopper, clock)[gift] is CouponState.IN_ORDER
    cashier.cancel_unpaid(store, shopper, first.no, clock=clock)
    assert states(store, shopper, clock)[gift] is CouponState.USABLE

    second = place(store, shopper, clock, {skirt: 1}, address_id=home)
    assert second.amount == 6900 + 600 - 500
    qr = cashier.start_qr(store, shopper, second.no, PaymentMethod.ALIPAY, new_key(), clock=clock)
    assert scan(store, qr, clock)
    cashier.payment_status(store, shopper, qr.no, clock=clock)
    assert states(store, shopper, clock)[gift] is CouponState.USED
    used = value(
        store,
        "SELECT used_at IS NOT NULL FROM coupon WHERE template_id = :gift AND account_id = :me",
        gift=gift,
        me=account_of(store, shopper, clock),
    )
    assert bool(used)
    clock.advance(20 * DAY)  # (the session lasts 30)
    assert states(store, shopper, clock)[gift] is CouponState.USED  # used stays used


def test_my_coupons_lists_usable_first(store: Store, clock: FrozenClock, shopper: str) -> None:
    yiyi = coupons.claim(store, shopper, shop_template(store, YIYI), clock=clock)
    sheng = coupons.claim(store, shopper, shop_template(store, SHENGSHENG), clock=clock)
    gift = template(store, new_user=True)
    assert [c.template_id for c in coupons.my_coupons(store, shopper, clock=clock)] == [
        gift, sheng.template_id, yiyi.template_id,  # 7, 15, 30 days left
    ]  # fmt: skip
    clock.advance(8 * DAY)
    assert [(c.template_id, c.state) for c in coupons.my_coupons(store, shopper, clock=clock)] == [
        (sheng.template_id, CouponState.USABLE),
        (yiyi.template_id, CouponState.USABLE),
        (gift, CouponState.EXPIRED),
    ]
