"""A coupon as a ticket: the amount big on a coloured stub, the condition under it, then
the title, where it applies, a note (validity) and its state on the right.

Used by 我的优惠券 and 领券中心; self-contained (DEFAULT_CSS, texts from the app's
translator), so a coupon picker can show the same card.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widget import Widget
from textual.widgets import Static

from kstui.i18n import Translator
from kstui.money import format_fen_short, format_yuan_plain
from kstui.services.ordering.coupons import CouponTerms
from kstui.store.enums import CouponKind, CouponScope
from kstui.widgets.translation import translator_of


def coupon_amount(t: Translator, terms: CouponTerms) -> str:
    """The big number of a coupon: `¥10`, or `9.5折` (English: `5% off`)."""
    if terms.kind is CouponKind.DISCOUNT:
        tenths, rest = divmod(terms.pay_percent, 10)
        rate = f"{tenths}.{rest}" if rest else str(tenths)
        return t("ordering.coupon.percent", rate=rate, off=100 - terms.pay_percent)
    return format_fen_short(terms.amount_off)


def coupon_condition(t: Translator, terms: CouponTerms) -> str:
    """When a coupon can be used: 满100可用 or 无门槛."""
    if terms.threshold:
        return t("ordering.coupon_card.threshold", threshold=format_yuan_plain(terms.threshold))
    return t("ordering.coupon_card.no_threshold")


def coupon_scope(t: Translator, terms: CouponTerms) -> str:
    """Where a coupon applies: 平台券 (any shop) or the shop's name."""
    if terms.scope is CouponScope.SHOP and terms.shop_name is not None:
        return t("ordering.coupon_card.shop", shop=t.pick(terms.shop_name))
    return t("ordering.coupon_card.platform")


class CouponCard(Horizontal):
    """One coupon.

    Args:
        terms: What the coupon takes off and where.
        note: The line under the scope (有效期至 …, 领取后7天内有效).
        caption: The state on the right (可使用, 已过期…); plain text, or Content to colour it.
        muted: Greyed out (used, expired, tied to an unpaid order).
        action: A widget at the right end (a 领取 button).
        id: The widget id.
    """

    DEFAULT_CSS = """
    CouponCard {
        height: 3;
        width: 1fr;
        background: $surface;
        margin-bottom: 1;
    }
    CouponCard > .coupon-card--stub {
        width: 14;
        height: 3;
        background: $primary;
        color: $text;
        content-align: center middle;
        text-align: center;
    }
    CouponCard > .coupon-card--body {
        width: 1fr;
        height: 3;
        padding: 0 1;
    }
    CouponCard .coupon-card--title {
        text-style: bold;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    CouponCard .coupon-card--scope, CouponCard .coupon-card--note {
        color: $text-muted;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    CouponCard > .coupon-card--caption {
        width: auto;
        max-width: 24;
        height: 3;
        padding: 0 1;
        content-align: right middle;
        color: $success;
    }
    CouponCard > .coupon-card--action {
        margin: 1 1 0 0;
    }
    CouponCard.-muted > .coupon-card--stub {
        background: $panel;
        color: $text-muted;
    }
    CouponCard.-muted, CouponCard.-muted .coupon-card--title,
    CouponCard.-muted > .coupon-card--caption {
        color: $text-muted;
    }
    CouponCard:focus-within {
        background: $boost;
    }
    """

    def __init__(
        self,
        terms: CouponTerms,
        *,
        note: str = "",
        caption: str | Content = "",
        muted: bool = False,
        action: Widget | None = None,
        id: str | None = None,  # noqa: A002
    ) -> None:
        super().__init__(id=id, classes="-muted" if muted else None)
        self.terms = terms
        self._note = note
        self._caption = caption
        self._action = action

    def compose(self) -> ComposeResult:
        t = translator_of(self)
        terms = self.terms
        amount = Content.styled(coupon_amount(t, terms), "bold")
        stub = amount.append("\n").append(Content(coupon_condition(t, terms)))
        yield Static(stub, classes="coupon-card--stub")
        with Vertical(classes="coupon-card--body"):
            yield Static(Content(t.pick(terms.title)), classes="coupon-card--title")
            yield Static(Content(coupon_scope(t, terms)), classes="coupon-card--scope")
            yield Static(Content(self._note), classes="coupon-card--note")
        caption = self._caption if isinstance(self._caption, Content) else Content(self._caption)
        yield Static(caption, classes="coupon-card--caption")
        if self._action is not None:
            self._action.add_class("coupon-card--action")
            yield self._action
