"""Snapshots of 我的优惠券, the 领券中心 and 每日签到 at 80×24: frozen clock (2026-11-22 10:00
in Beijing), the small test seed, the adult demo shopper.

Update with `pytest tests/ui/ordering/test_coupons_snapshots.py --snapshot-update`, then look at
every changed screen in snapshot_report.html before committing.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from textual.pilot import Pilot
from textual.widgets import TabbedContent

from kstui.app import KstuiApp
from kstui.providers.clock import FrozenClock
from kstui.screens.coupons import CouponsScreen
from kstui.store.interface import Store
from tests.ui.helpers import SMALL_TERMINAL, results_for, settle
from tests.ui.ordering.test_coupons_flow import (
    account_of,
    checked_in_before,
    claim_for,
    ends_in,
    expire,
    held_coupon_ids,
    tie_to_unpaid_order,
    use,
)

MakeApp = Callable[..., KstuiApp]
Snap = Callable[..., bool]
BUYER = "13800138000"
LANGS = pytest.mark.parametrize("lang", ["zh", "en"])


async def _coupons(pilot: Pilot[None]) -> None:
    """Open 我的优惠券 over the catalogue (as `u` does)."""
    await results_for(pilot)
    pilot.app.push_screen(CouponsScreen())
    await settle(pilot)


def _tab(pane: str) -> Callable[[Pilot[None]], object]:
    async def run_before(pilot: Pilot[None]) -> None:
        await _coupons(pilot)
        pilot.app.screen.query_one(TabbedContent).active = pane
        await settle(pilot)

    return run_before


async def _claim_centre(pilot: Pilot[None]) -> None:
    await _coupons(pilot)
    await pilot.press("g")
    await settle(pilot)


async def _checkin(pilot: Pilot[None]) -> None:
    await _coupons(pilot)
    await pilot.press("d")
    await settle(pilot)


def _many_coupons(store: Store, clock: FrozenClock, app: KstuiApp) -> None:
    """The new-user gift ending tomorrow, a shop coupon held by an unpaid order, one used."""
    buyer = account_of(store, BUYER)
    [new_user] = held_coupon_ids(store, buyer)
    ends_in(store, new_user, hours=20)
    token = app.client.token
    assert token is not None
    tie_to_unpaid_order(store, claim_for(store, clock, token, "shengsheng"), buyer)
    use(store, claim_for(store, clock, token, "yiyi"))


@LANGS
def test_coupons(
    snap_compare: Snap, make_app: MakeApp, store: Store, clock: FrozenClock, lang: str
) -> None:
    """You should see 我的优惠券 with 每日签到 › at the top right, the tabs 可使用 2 / 已使用 1 /
    已过期 0 / 领券中心, and two cards: ¥5 无门槛 (新人无门槛5元, 平台券, 明天到期 in yellow)
    and a greyed 9.5折 满200可用 of 声声数码 marked 待支付订单占用."""
    app = make_app(lang, phone=BUYER)
    _many_coupons(store, clock, app)
    assert snap_compare(app, terminal_size=SMALL_TERMINAL, run_before=_coupons)


def test_coupons_expired_tab(snap_compare: Snap, make_app: MakeApp, store: Store) -> None:
    """You should see the 已过期 tab chosen with one greyed card, ¥5 无门槛 新人无门槛5元,
    its validity 2026-11-20 10:00 and 已过期; 可使用 0."""
    [new_user] = held_coupon_ids(store, account_of(store, BUYER))
    expire(store, new_user)
    app = make_app(phone=BUYER)
    assert snap_compare(app, terminal_size=SMALL_TERMINAL, run_before=_tab("expired"))


@LANGS
def test_coupons_empty_tab(snap_compare: Snap, make_app: MakeApp, lang: str) -> None:
    """You should see the 已使用 tab chosen and empty: 还没有用过优惠券。"""
    app = make_app(lang, phone=BUYER)
    assert snap_compare(app, terminal_size=SMALL_TERMINAL, run_before=_tab("used"))


@LANGS
def test_claim_centre(
    snap_compare: Snap, make_app: MakeApp, store: Store, clock: FrozenClock, lang: str
) -> None:
    """You should see 领券中心 chosen: a hint line, then 衣衣小铺's ¥10 满100可用 with 剩余499张
    and a greyed 已领取 button (claimed already), and 声声数码's 9.5折 满200可用 with 剩余100张
    and a focused 领取 button."""
    app = make_app(lang, phone=BUYER)
    token = app.client.token
    assert token is not None
    claim_for(store, clock, token, "yiyi")
    assert snap_compare(app, terminal_size=SMALL_TERMINAL, run_before=_claim_centre)


@LANGS
def test_checkin(snap_compare: Snap, make_app: MakeApp, store: Store, lang: str) -> None:
    """You should see 每日签到: November 2026 Monday first with the 20th and 21st ticked in
    green and the 22nd highlighted, 已连续签到 2 天, 今天签到可得：满30减1, the focused 签到
    button, and the reward track with days 1–2 ticked and 第3天 highlighted (今天)."""
    checked_in_before(store, account_of(store, BUYER), 2)
    app = make_app(lang, phone=BUYER)
    assert snap_compare(app, terminal_size=SMALL_TERMINAL, run_before=_checkin)


def test_after_check_in(snap_compare: Snap, make_app: MakeApp, store: Store) -> None:
    """You should see the check-in done: a notification 签到成功！已连续签到 3 天，获得“满30减1”
    优惠券, the 22nd ticked, 已连续签到 3 天, 明天签到可得：满30减1, a disabled 今日已签到 button
    and 第4天 highlighted (明天)."""
    checked_in_before(store, account_of(store, BUYER), 2)

    async def run_before(pilot: Pilot[None]) -> None:
        await _checkin(pilot)
        await pilot.press("enter")
        await settle(pilot)

    app = make_app(phone=BUYER)
    assert snap_compare(app, terminal_size=SMALL_TERMINAL, run_before=run_before)
