"""Pilot tests of 我的优惠券, the 领券中心 and 每日签到."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from textual.pilot import Pilot
from textual.widgets import Button, Static, TabbedContent

from kstui.app import KstuiApp
from kstui.providers.clock import FrozenClock
from kstui.screens.catalog import CatalogScreen
from kstui.screens.checkin import CheckinScreen
from kstui.screens.coupons import ClaimButton, CouponsScreen
from kstui.services.accounts.auth import logout
from kstui.services.ordering import checkin, coupons
from kstui.services.ordering.coupons import CouponState
from kstui.store.interface import Store
from kstui.widgets.coupon_card import CouponCard
from tests.conftest import NOW
from tests.ui.helpers import SMALL_TERMINAL, settle

MakeApp = Callable[..., KstuiApp]
BUYER = "13800138000"
TODAY = date(2026, 11, 22)
"""NOW's date in Beijing."""

# -- setting the store up behind the screen's back ------------------------------------------


def account_of(store: Store, phone: str) -> int:
    with store.reading() as tx:
        account_id = tx.fetch_value("SELECT id FROM account WHERE phone = :phone", phone=phone)
    return int(account_id)


def shop_template(store: Store, slug: str) -> int:
    """The claimable coupon campaign of a shop of the test seed (yiyi, shengsheng)."""
    with store.reading() as tx:
        template_id = tx.fetch_value(
            "SELECT t.id FROM coupon_template AS t JOIN shop AS s ON s.id = t.shop_id"
            " WHERE s.slug = :slug",
            slug=slug,
        )
    return int(template_id)


def claim_for(store: Store, clock: FrozenClock, token: str, slug: str) -> int:
    """Claim a shop's coupon as another device would; the coupon's id."""
    return coupons.claim(store, token, shop_template(store, slug), clock=clock).id


def expire(store: Store, coupon_id: int, *, days_ago: int = 2) -> None:
    with store.writing() as tx:
        tx.execute(
            "UPDATE coupon SET valid_until = :until WHERE id = :id",
            until=NOW - timedelta(days=days_ago),
            id=coupon_id,
        )


def ends_in(store: Store, coupon_id: int, hours: int) -> None:
    with store.writing() as tx:
        tx.execute(
            "UPDATE coupon SET valid_until = :until WHERE id = :id",
            until=NOW + timedelta(hours=hours),
            id=coupon_id,
        )


def use(store: Store, coupon_id: int) -> None:
    with store.writing() as tx:
        tx.execute("UPDATE coupon SET used_at = :now WHERE id = :id", now=NOW, id=coupon_id)


def tie_to_unpaid_order(store: Store, coupon_id: int, account_id: int) -> None:
    """As an order submitted and not paid yet does."""
    with store.writing() as tx:
        checkout_id = tx.insert(
            "INSERT INTO checkout (no, submit_key, account_id, status, amount, method,"
            " created_at, pay_deadline) VALUES (:no, :key, :account, 'awaiting_payment', 9900,"
            " 'alipay', :now, :deadline)",
            no="K2026112200001",
            key="test-submit",
            account=account_id,
            now=NOW,
            deadline=NOW + timedelta(minutes=30),
        )
        tx.execute(
            "UPDATE coupon SET checkout_id = :checkout WHERE id = :id",
            checkout=checkout_id,
            id=coupon_id,
        )


def checked_in_before(store: Store, account_id: int, days: int) -> None:
    """Check-ins on the `days` days before today, as a streak."""
    with store.writing() as tx:
        tx.execute_many(
            "INSERT INTO checkin (account_id, day, streak) VALUES (:account, :day, :streak)",
            [
                {
                    "account": account_id,
                    "day": TODAY - timedelta(days=back),
                    "streak": days - back + 1,
                }
                for back in range(days, 0, -1)
            ],
        )


def held_coupon_ids(store: Store, account_id: int) -> list[int]:
    with store.reading() as tx:
        rows = tx.fetch_all(
            "SELECT id FROM coupon WHERE account_id = :account ORDER BY id", account=account_id
        )
    return [int(row[0]) for row in rows]


# -- driving the screens --------------------------------------------------------------------


async def open_coupons(pilot: Pilot[None]) -> CouponsScreen:
    """Logged in, open 我的优惠券 (as `u` will) and wait until it has loaded."""
    await settle(pilot)
    pilot.app.push_screen(CouponsScreen())
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, CouponsScreen)
    assert screen.held is not None
    assert screen.offers is not None
    return screen


async def open_checkin(pilot: Pilot[None]) -> CheckinScreen:
    """From 我的优惠券, `d` opens 每日签到."""
    await pilot.press("d")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, CheckinScreen)
    assert screen.calendar is not None
    return screen


def text_of(screen: object, selector: str) -> str:
    from textual.screen import Screen

    assert isinstance(screen, Screen)
    return str(screen.query_one(selector, Static).render())


def messages(app: KstuiApp) -> list[str]:
    return [n.message for n in app._notifications]


def cards_in(screen: CouponsScreen, pane: str) -> list[CouponCard]:
    return list(screen.query(f"#{pane}-list CouponCard").results(CouponCard))


# -- 我的优惠券 -------------------------------------------------------------------------------


async def test_coupons_by_state(make_app: MakeApp, store: Store, clock: FrozenClock) -> None:
    app = make_app(phone=BUYER)
    buyer = account_of(store, BUYER)
    [new_user] = held_coupon_ids(store, buyer)
    token = app.client.token
    assert token is not None
    in_order = claim_for(store, clock, token, "shengsheng")
    tie_to_unpaid_order(store, in_order, buyer)
    used = claim_for(store, clock, token, "yiyi")
    use(store, used)
    ends_in(store, new_user, hours=20)
    won = checkin.check_in(store, token, clock=clock).coupon
    assert won is not None
    with store.writing() as tx:  # a coupon that starts later
        tx.execute(
            "UPDATE coupon SET valid_from = :start WHERE id = :id",
            start=NOW + timedelta(days=1),
            id=won.id,
        )
    async with app.run_test(size=SMALL_TERMINAL) as pilot:
        screen = await open_coupons(pilot)
        usable = cards_in(screen, "usable")
        assert [c.id for c in usable] == [
            f"coupon-{new_user}",
            f"coupon-{won.id}",
            f"coupon-{in_order}",
        ]
        assert "2026-11-23 10:00起可用" in str(
            usable[1].query_one(".coupon-card--caption", Static).render()
        )
        assert "明天到期" in str(usable[0].query_one(".coupon-card--caption", Static).render())
        assert not usable[0].has_class("-muted")
        # tied to an unpaid order: listed as usable, greyed, and says why
        assert usable[2].has_class("-muted")
        assert "待支付订单占用" in str(
            usable[2].query_one(".coupon-card--caption", Static).render()
        )
        assert "¥5" in str(usable[0].query_one(".coupon-card--stub", Static).render())
        assert "9.5折" in str(usable[2].query_one(".coupon-card--stub", Static).render())
        assert "声声数码" in str(usable[2].query_one(".coupon-card--scope", Static).render())
        assert "有效期至 2026-11-23 06:00" in str(
            usable[0].query_one(".coupon-card--note", Static).render()
        )
        assert [c.id for c in cards_in(screen, "used")] == [f"coupon-{used}"]
        assert cards_in(screen, "expired") == []
        tabs = screen.query_one(TabbedContent)
        assert tabs.get_tab("usable").label.plain == "可使用 3"
        assert tabs.get_tab("used").label.plain == "已使用 1"
        assert tabs.get_tab("expired").label.plain == "已过期 0"
        # keyboard: the tabs have focus; → goes to the next tab
        await pilot.press("right", "right")
        await pilot.pause()
        assert tabs.active == "expired"
        assert "没有过期的优惠券" in text_of(screen, "#expired-list .coupon-note")


async def test_expired_coupons_and_english(make_app: MakeApp, store: Store) -> None:
    buyer = account_of(store, BUYER)
    [new_user] = held_coupon_ids(store, buyer)
    expire(store, new_user)
    app = make_app("en", phone=BUYER)
    async with app.run_test(size=SMALL_TERMINAL) as pilot:
        screen = await open_coupons(pilot)
        assert cards_in(screen, "usable") == []
        assert "Press g" in text_of(screen, "#usable-list .coupon-note")
        [card] = cards_in(screen, "expired")
        assert card.has_class("-muted")
        assert "Expired" in str(card.query_one(".coupon-card--caption", Static).render())
        assert "¥5 off for new users" in str(card.query_one(".coupon-card--title", Static).render())
        assert screen.query_one(TabbedContent).get_tab("expired").label.plain == "Expired 1"


# -- 领券中心 --------------------------------------------------------------------------------


async def test_claiming_a_shop_coupon(make_app: MakeApp, store: Store) -> None:
    app = make_app(phone=BUYER)
    yiyi = shop_template(store, "yiyi")
    async with app.run_test(size=SMALL_TERMINAL) as pilot:
        screen = await open_coupons(pilot)
        assert len(cards_in(screen, "usable")) == 1  # the new-user gift
        await pilot.press("g")  # 领券中心, its first 领取 button focused
        await pilot.pause()
        assert screen.query_one(TabbedContent).active == "claim"
        focused = app.focused
        assert isinstance(focused, ClaimButton)
        assert focused.template_id == yiyi  # shop coupons by threshold: 满100减10 first
        assert str(focused.label) == "领取"
        await pilot.press("enter")
        await settle(pilot)
        assert "领取成功：满100减10" in messages(app)
        button = screen.query_one(f"#claim-{yiyi}", ClaimButton)
        assert str(button.label) == "已领取"
        assert button.disabled
        # the next one that can still be claimed has the focus
        assert isinstance(app.focused, ClaimButton)
        assert app.focused.template_id == shop_template(store, "shengsheng")
        # and the coupon is under 可使用
        assert screen.held is not None
        mine = [c for c in screen.held if c.template_id == yiyi]
        assert [c.state for c in mine] == [CouponState.USABLE]
        assert f"coupon-{mine[0].id}" in [c.id for c in cards_in(screen, "usable")]
        assert screen.query_one(TabbedContent).get_tab("usable").label.plain == "可使用 2"


async def test_claiming_twice_shows_the_error(
    make_app: MakeApp, store: Store, clock: FrozenClock
) -> None:
    app = make_app(phone=BUYER)
    yiyi = shop_template(store, "yiyi")
    async with app.run_test(size=SMALL_TERMINAL) as pilot:
        screen = await open_coupons(pilot)
        await pilot.press("g")
        await pilot.pause()
        token = app.client.token
        assert token is not None
        claim_for(store, clock, token, "yiyi")  # from another device, meanwhile
        await pilot.click(f"#claim-{yiyi}")
        await settle(pilot)
        assert "你已经领过这张优惠券了" in messages(app)
        button = screen.query_one(f"#claim-{yiyi}", ClaimButton)
        assert str(button.label) == "已领取"
        assert button.disabled
        assert isinstance(app.screen, CouponsScreen)


async def test_a_campaign_claimed_out(make_app: MakeApp, store: Store) -> None:
    app = make_app(phone=BUYER)
    shengsheng = shop_template(store, "shengsheng")
    async with app.run_test(size=SMALL_TERMINAL) as pilot:
        screen = await open_coupons(pilot)
        with store.writing() as tx:  # the last ones go while the shopper looks
            tx.execute("UPDATE coupon_template SET claimed = total WHERE id = :id", id=shengsheng)
        await pilot.press("g")
        await pilot.pause()
        await pilot.press("down")  # ↓ moves to the next 领取 button
        await pilot.pause()
        assert isinstance(app.focused, ClaimButton)
        assert app.focused.template_id == shengsheng
        await pilot.press("enter")
        await settle(pilot)
        assert "优惠券已被领完或活动已结束" in messages(app)
        button = screen.query_one(f"#claim-{shengsheng}", ClaimButton)
        assert str(button.label) == "已抢光"
        assert button.disabled
        assert screen.query_one(f"#offer-{shengsheng}", CouponCard).has_class("-muted")


async def test_claim_centre_lists_only_claimable_campaigns(make_app: MakeApp, store: Store) -> None:
    app = make_app("en", phone=BUYER)
    with store.writing() as tx:  # yiyi's campaign runs longer than its coupons last
        tx.execute(
            "UPDATE coupon_template SET ends_at = :ends WHERE id = :id",
            ends=NOW + timedelta(days=60),
            id=shop_template(store, "yiyi"),
        )
    async with app.run_test(size=SMALL_TERMINAL) as pilot:
        screen = await open_coupons(pilot)
        assert screen.offers is not None
        # the new-user gift and the check-in rewards are given, not claimed
        assert len(screen.offers) == 2
        cards = list(screen.query("#claim-list CouponCard").results(CouponCard))
        assert "Valid 30 days after claiming" in str(
            cards[0].query_one(".coupon-card--note", Static).render()
        )
        assert "500 left" in str(cards[0].query_one(".coupon-card--caption", Static).render())
        assert "Yiyi Boutique" in str(cards[0].query_one(".coupon-card--scope", Static).render())
        assert "5% off" in str(cards[1].query_one(".coupon-card--stub", Static).render())
        # a campaign ending before its coupons would: they end with it
        assert "Valid until 2026-12-07 10:00" in str(
            cards[1].query_one(".coupon-card--note", Static).render()
        )


# -- 每日签到 ---------------------------------------------------------------------------------


async def test_check_in(make_app: MakeApp, store: Store) -> None:
    app = make_app(phone=BUYER)
    buyer = account_of(store, BUYER)
    checked_in_before(store, buyer, 2)
    async with app.run_test(size=SMALL_TERMINAL) as pilot:
        coupons_screen = await open_coupons(pilot)
        screen = await open_checkin(pilot)
        assert "已连续签到 2 天" in text_of(screen, "#streak")
        assert "今天签到可得：满30减1" in text_of(screen, "#next-reward")
        assert [w.id for w in screen.query(".checked")] == ["day-20", "day-21"]
        assert [w.id for w in screen.query(".today")] == ["day-22"]
        assert [w.id for w in screen.query(".reward.won")] == ["reward-1", "reward-2"]
        assert [w.id for w in screen.query(".reward.next")] == ["reward-3"]
        button = screen.query_one("#check-in", Button)
        assert app.focused is button
        await pilot.press("enter")
        await settle(pilot)
        assert "签到成功！已连续签到 3 天，获得“满30减1”优惠券" in messages(app)
        assert "已连续签到 3 天" in text_of(screen, "#streak")
        assert "明天签到可得：满30减1" in text_of(screen, "#next-reward")
        assert str(button.label) == "今日已签到"
        assert button.disabled
        assert "day-22" in [w.id for w in screen.query(".checked")]
        assert [w.id for w in screen.query(".reward.next")] == ["reward-4"]
        assert screen.query_one("#reward-4", Static).border_subtitle == "明天"
        # back on 我的优惠券, the coupon won is there
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is coupons_screen
        assert coupons_screen.held is not None
        titles = [app.translator.pick(c.terms.title) for c in coupons_screen.held]
        assert "签到券 满30减1" in titles
        assert len(cards_in(coupons_screen, "usable")) == 2


async def test_a_week_of_check_ins_wins_the_seventh_reward(make_app: MakeApp, store: Store) -> None:
    app = make_app("en", phone=BUYER)
    checked_in_before(store, account_of(store, BUYER), 6)
    async with app.run_test(size=SMALL_TERMINAL) as pilot:
        await open_coupons(pilot)
        screen = await open_checkin(pilot)
        assert [w.id for w in screen.query(".reward.next")] == ["reward-7"]
        await pilot.press("d")
        await settle(pilot)
        assert "Checked in: 7-day streak. You won a “¥5 off” coupon" in messages(app)
        assert len(screen.query(".reward.won")) == 7  # the cycle is complete
        assert list(screen.query(".reward.next")) == []
        assert "Tomorrow's reward: ¥1 off over ¥30" in text_of(screen, "#next-reward")


async def test_second_check_in_is_refused(
    make_app: MakeApp, store: Store, clock: FrozenClock
) -> None:
    app = make_app(phone=BUYER)
    async with app.run_test(size=SMALL_TERMINAL) as pilot:
        await open_coupons(pilot)
        screen = await open_checkin(pilot)
        assert "还没有连续签到" in text_of(screen, "#streak")
        button = screen.query_one("#check-in", Button)
        assert not button.disabled
        token = app.client.token
        assert token is not None
        checkin.check_in(store, token, clock=clock)  # from another device, meanwhile
        await pilot.click("#check-in")
        await settle(pilot)
        assert "今天已经签到过了" in " ".join(messages(app))
        assert str(button.label) == "今日已签到"
        assert button.disabled
        assert "已连续签到 1 天" in text_of(screen, "#streak")
        app.clear_notifications()
        await pilot.press("d")  # the key asks the store again, which refuses again
        await settle(pilot)
        assert "今天已经签到过了" in " ".join(messages(app))
        with store.reading() as tx:
            count = tx.fetch_value("SELECT COUNT(*) FROM checkin")
        assert count == 1


# -- the session ended ----------------------------------------------------------------------


async def test_a_session_ended_elsewhere_closes_the_coupons(
    make_app: MakeApp, store: Store
) -> None:
    app = make_app(phone=BUYER)
    async with app.run_test(size=SMALL_TERMINAL) as pilot:
        await open_coupons(pilot)
        await open_checkin(pilot)
        token = app.client.token
        assert token is not None
        logout(store, token, clock=app.clock)  # 退出登录 on another device ended this one
        await pilot.click("#check-in")
        await settle(pilot)
        assert app.account is None
        assert app.client.token is None
        assert isinstance(app.screen, CatalogScreen)  # both places closed


async def test_claiming_after_the_session_ended(make_app: MakeApp, store: Store) -> None:
    app = make_app(phone=BUYER)
    async with app.run_test(size=SMALL_TERMINAL) as pilot:
        await open_coupons(pilot)
        token = app.client.token
        assert token is not None
        logout(store, token, clock=app.clock)
        await pilot.press("g", "enter")
        await settle(pilot)
        assert app.account is None
        assert isinstance(app.screen, CatalogScreen)
        with store.reading() as tx:
            count = tx.fetch_value(
                "SELECT COUNT(*) FROM coupon WHERE grant_key LIKE :key", key="claim:%"
            )
        assert count == 0
