"""我的优惠券: the shopper's coupons by state (可使用 / 已使用 / 已过期), the 领券中心 with a
领取 button per campaign, and the way to 每日签到.

A coupon tied to an unpaid order stays under 可使用, greyed and marked 待支付订单占用:
it is not spent (cancelling the order gives it back), and the shopper looking for it
finds it where it was.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.widget import Widget
from textual.widgets import Button, Static, TabbedContent, TabPane, Tabs

from kstui.screens.place import PlaceScreen
from kstui.services.errors import DomainError
from kstui.services.ordering import coupons
from kstui.services.ordering.coupons import ClaimableCoupon, CouponState, HeldCoupon
from kstui.store.errors import StoreError
from kstui.timefmt import days_between, local_minute
from kstui.widgets.coupon_card import CouponCard
from kstui.widgets.coupon_text import coupon_label
from kstui.widgets.key_bar import KeyBar
from kstui.widgets.translation import translate_own_bindings

USABLE_GROUP = frozenset({CouponState.USABLE, CouponState.NOT_YET, CouponState.IN_ORDER})
"""The states listed under 可使用 (the coupon is still the shopper's to use)."""
SOON_DAYS = 3
"""A usable coupon this many calendar days or fewer from its end says when it ends."""


class ClaimButton(Button):
    """A 领取 button; ↑/↓ move between the buttons of the claim centre."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "screen.move_claim(-1)", "app.key.up", show=False),
        Binding("down", "screen.move_claim(1)", "app.key.down", show=False),
    ]

    def __init__(self, label: str, template_id: int, *, disabled: bool) -> None:
        super().__init__(
            Content(label), id=f"claim-{template_id}", classes="claim", compact=True,
            variant="default" if disabled else "primary", disabled=disabled,
        )  # fmt: skip
        self.template_id = template_id

    def on_mount(self) -> None:
        translate_own_bindings(self)


class ClaimList(VerticalScroll, can_focus=False):
    """The claim centre's cards: focus goes to their buttons, which scroll into view."""


class CouponsScreen(PlaceScreen[None]):
    """我的优惠券 and the 领券中心."""

    place = "coupons"
    """The shop's place this screen is (the global keys switch between places)."""

    CSS_PATH = "coupons.tcss"
    AUTO_FOCUS = "Tabs"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("g", "claim_centre", "ordering.key.claim_centre", id="claim-centre"),
        Binding("d", "check_in", "ordering.key.check_in", id="check-in"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.held: list[HeldCoupon] | None = None
        """The shopper's coupons as last loaded (None until then)."""
        self.offers: list[ClaimableCoupon] | None = None
        """The claim centre's campaigns as last loaded (None until then)."""
        self._pressed: str | None = None
        """The 领取 button pressed last (disabled meanwhile, so it lost the focus)."""

    def compose(self) -> ComposeResult:
        t = self.t
        with Horizontal(id="coupons-head"):
            yield Static(t("ordering.coupons.title"), id="coupons-title", markup=False)
            yield Button(t("ordering.coupons.open_checkin"), id="open-checkin", compact=True)
        with TabbedContent(id="coupon-tabs"):
            with TabPane(self._tab_label("ordering.coupons.tab_usable", None), id="usable"):
                yield VerticalScroll(id="usable-list", classes="coupon-list")
            with TabPane(self._tab_label("ordering.coupons.tab_used", None), id="used"):
                yield VerticalScroll(id="used-list", classes="coupon-list")
            with TabPane(self._tab_label("ordering.coupons.tab_expired", None), id="expired"):
                yield VerticalScroll(id="expired-list", classes="coupon-list")
            with TabPane(Content(t("ordering.coupons.tab_claim")), id="claim"):
                yield ClaimList(id="claim-list", classes="coupon-list")
        yield KeyBar()

    def on_mount(self) -> None:
        super().on_mount()
        self.load()

    def _tab_label(self, key: str, count: int | None) -> Content:
        return Content(self.t(key, count="" if count is None else count).strip())

    # -- loading ---------------------------------------------------------------------------

    def load(self) -> None:
        """Read the shopper's coupons and the claim centre again, and show them."""
        self.load_held()
        self.load_offers()

    def load_held(self) -> None:
        """Read the shopper's coupons again."""
        store, token, clock = self.shop.store, self.token, self.shop.clock
        self.run_call(
            lambda: coupons.my_coupons(store, token, clock=clock), self._show_held, group="held"
        )

    def load_offers(self) -> None:
        """Read the claim centre again."""
        store, token, clock = self.shop.store, self.token, self.shop.clock
        self.run_call(
            lambda: coupons.claimable(store, token, clock=clock), self._show_offers, group="offers"
        )

    # -- my coupons ------------------------------------------------------------------------

    async def _show_held(self, held: list[HeldCoupon]) -> None:
        self.held = held
        t, now = self.t, self.shop.clock.now()
        usable = [c for c in held if c.state in USABLE_GROUP]
        used = [c for c in held if c.state is CouponState.USED]
        expired = [c for c in held if c.state is CouponState.EXPIRED]
        tabs = self.query_one(TabbedContent)
        for pane, key, group in (
            ("usable", "ordering.coupons.tab_usable", usable),
            ("used", "ordering.coupons.tab_used", used),
            ("expired", "ordering.coupons.tab_expired", expired),
        ):
            tabs.get_tab(pane).label = self._tab_label(key, len(group))
            rows: list[Widget] = [self._held_card(c, now) for c in group]
            if not group:
                rows.append(_note(t(_EMPTY[pane])))
            elif pane == "usable" and any(c.state is CouponState.IN_ORDER for c in group):
                rows.append(_note(t("ordering.coupons.in_order_hint")))
            box = self.query_one(f"#{pane}-list", VerticalScroll)
            await box.remove_children()
            await box.mount_all(rows)

    def _held_card(self, coupon: HeldCoupon, now: datetime) -> CouponCard:
        t = self.t
        muted = coupon.state in (CouponState.IN_ORDER, CouponState.USED, CouponState.EXPIRED)
        return CouponCard(
            coupon.terms,
            note=t("ordering.coupons.valid_until", until=local_minute(coupon.valid_until)),
            caption=self._caption(coupon, now),
            muted=muted,
            id=f"coupon-{coupon.id}",
        )

    def _caption(self, coupon: HeldCoupon, now: datetime) -> Content:
        t = self.t
        match coupon.state:
            case CouponState.USABLE:
                days = days_between(now, coupon.valid_until)
                if days >= SOON_DAYS:
                    return Content(t("ordering.coupons.state_usable"))
                text = (
                    t("ordering.coupons.expires_today")
                    if days <= 0
                    else t("ordering.coupons.expires_tomorrow")
                    if days == 1
                    else t("ordering.coupons.expires_in", days=days)
                )
                return Content.styled(text, "$warning")
            case CouponState.NOT_YET:
                return Content(t("ordering.coupons.not_yet", start=local_minute(coupon.valid_from)))
            case CouponState.IN_ORDER:
                return Content(t("ordering.coupons.in_order"))
            case CouponState.USED:
                return Content(t("ordering.coupons.state_used"))
            case CouponState.EXPIRED:
                return Content(t("ordering.coupons.state_expired"))

    # -- the claim centre ------------------------------------------------------------------

    async def _show_offers(self, offers: list[ClaimableCoupon]) -> None:
        self.offers = offers
        t, now = self.t, self.shop.clock.now()
        box = self.query_one(ClaimList)
        focused = self.focused
        refocus = focused.id if isinstance(focused, ClaimButton) else None
        if focused is None:
            refocus, self._pressed = self._pressed, None
        order = [b.id for b in box.query(ClaimButton)]
        rows: list[Widget] = [
            _note(t("ordering.coupons.claim_hint" if offers else "ordering.coupons.empty_claim"))
        ]
        rows.extend(self._offer_card(offer, now) for offer in offers)
        await box.remove_children()
        await box.mount_all(rows)
        if refocus is not None:
            self._refocus(refocus, order)

    def _offer_card(self, offer: ClaimableCoupon, now: datetime) -> CouponCard:
        t = self.t
        sold_out = offer.left <= 0
        if offer.claimed_by_me:
            label = t("ordering.coupons.claimed_already")
        elif sold_out:
            label = t("ordering.coupons.sold_out")
        else:
            label = t("ordering.coupons.claim")
        if offer.valid_days is not None and now + timedelta(days=offer.valid_days) < offer.ends_at:
            note = t("ordering.coupons.valid_days", days=offer.valid_days)
        else:  # the campaign ends first: a coupon claimed now ends with it
            note = t("ordering.coupons.valid_until", until=local_minute(offer.ends_at))
        caption = Content.styled(t("ordering.coupons.left", left=offer.left), "$foreground-muted")
        return CouponCard(
            offer.terms,
            note=note,
            caption=caption if not sold_out else "",
            muted=sold_out and not offer.claimed_by_me,
            action=ClaimButton(label, offer.template_id, disabled=offer.claimed_by_me or sold_out),
            id=f"offer-{offer.template_id}",
        )

    def _refocus(self, button_id: str | None, order: list[str | None]) -> None:
        """After the claim centre was drawn again: focus the button that had focus, or the
        next one that can still be pressed, or the tabs."""
        buttons = {b.id: b for b in self.query(ClaimButton)}
        start = order.index(button_id) if button_id in order else 0
        for candidate in order[start:] + order[:start]:
            button = buttons.get(candidate)
            if button is not None and not button.disabled:
                button.focus()
                return
        self.query_one(Tabs).focus()

    @on(Button.Pressed, ".claim")
    def _claim(self, event: Button.Pressed) -> None:
        button = event.button
        if not isinstance(button, ClaimButton):
            return
        button.disabled = True  # a second press while the first is on its way does nothing
        self._pressed = button.id
        button.label = Content(self.t("ordering.coupons.claiming"))
        store, token, clock = self.shop.store, self.token, self.shop.clock
        template_id = button.template_id

        def failed(_error: DomainError | StoreError) -> bool:
            self.load_offers()  # shows 已领取 / 已抢光 as the store has it now
            return False  # and the error as a notification

        self.run_call(
            lambda: coupons.claim(store, token, template_id, clock=clock),
            self._claimed,
            group="claim",
            on_error=failed,
            exclusive=False,
        )

    def _claimed(self, coupon: HeldCoupon) -> None:
        t = self.t
        self.notify(
            t("ordering.coupons.claim_done", coupon=coupon_label(t, coupon.terms)), markup=False
        )
        self.load()

    def action_move_claim(self, step: int) -> None:
        """↑/↓ in the claim centre: the previous or next 领取 button that can be pressed."""
        buttons = [b for b in self.query(ClaimButton) if not b.disabled]
        if not buttons:
            return
        focused = self.focused
        index = buttons.index(focused) if focused in buttons else -step
        target = buttons[max(0, min(len(buttons) - 1, index + step))]
        target.focus()

    # -- keys ------------------------------------------------------------------------------

    def action_claim_centre(self) -> None:
        """领券中心: show it, the first 领取 button focused."""
        self.query_one(TabbedContent).active = "claim"
        button = next((b for b in self.query(ClaimButton) if not b.disabled), None)
        (button or self.query_one(Tabs)).focus()

    @on(Button.Pressed, "#open-checkin")
    def action_check_in(self) -> None:
        """每日签到: open the check-in (the coupon won shows here on return)."""
        from kstui.screens.checkin import CheckinScreen

        self.app.push_screen(CheckinScreen())

    def on_screen_resume(self) -> None:
        if self.held is not None:  # back from 签到 (or a checkout): coupons may have come
            self.load_held()


_EMPTY = {
    "usable": "ordering.coupons.empty_usable",
    "used": "ordering.coupons.empty_used",
    "expired": "ordering.coupons.empty_expired",
}


def _note(text: str) -> Static:
    return Static(Content(text), classes="coupon-note")
