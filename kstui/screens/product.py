"""商品详情: a product's page — picture, price, promotions, specs, shop, reviews."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import ClassVar, TypeVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widget import Widget
from textual.widgets import Button, Static

from kstui.i18n import Localized, Translator
from kstui.money import format_fen_short
from kstui.screens.base import KstuiScreen
from kstui.screens.calls import run_call
from kstui.services.catalog.listing import LOW_STOCK
from kstui.services.catalog.products import (
    CouponInfo,
    ProductDetail,
    ReviewInfo,
    ReviewPage,
    Selection,
    SkuInfo,
    picture_png,
    product_detail,
    review_photos,
    reviews,
)
from kstui.services.catalog.regions import province_name
from kstui.services.errors import DomainError
from kstui.services.ordering import cart, coupons
from kstui.services.ordering.checkout import Item
from kstui.store.errors import StoreError
from kstui.store.interface import Store
from kstui.text import printable
from kstui.timefmt import days_between, local_date
from kstui.widgets.choice_row import Choice, ChoiceRow, ChoiceState
from kstui.widgets.coupon_text import coupon_label
from kstui.widgets.key_bar import KeyBar
from kstui.widgets.picture import Picture
from kstui.widgets.price import price_content
from kstui.widgets.quantity import QuantityPicker

REVIEWS_PER_PAGE = 5
R = TypeVar("R")


@dataclass(frozen=True)
class _Loaded:
    detail: ProductDetail
    picture: bytes | None
    reviews: ReviewPage
    photos: dict[int, bytes]


class ProductScreen(KstuiScreen[None]):
    """One product.

    Args:
        product_id: The product to show.
    """

    CSS_PATH = "product.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("b", "add_to_cart", "app.key.add_to_cart", id="add-to-cart", show=False),
        Binding("n", "buy_now", "app.key.buy_now", id="buy-now", show=False),
    ]

    def __init__(self, product_id: int) -> None:
        super().__init__()
        self.product_id = product_id
        self.detail: ProductDetail | None = None
        self.selection: Selection = ()
        self.quantity = 1
        self._with_photos = False
        self._reviews_shown = 0
        self._review_generation = 0

    @property
    def store(self) -> Store:
        store: Store = self.shop.store
        return store

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="page"):
            yield Static(self.t("catalog.product.loading"), id="loading", markup=False)
        yield KeyBar()

    def on_mount(self) -> None:
        self._load()

    def _load(self) -> None:
        store, clock, product_id = self.store, self.shop.clock, self.product_id

        def load() -> _Loaded:
            with store.reading() as conn:
                detail = product_detail(conn, product_id, clock=clock)
                picture = picture_png(conn, detail.picture_id) if detail.picture_id else None
                first = reviews(conn, product_id, limit=REVIEWS_PER_PAGE)
                photos = review_photos(conn, first)
            return _Loaded(detail, picture, first, photos)

        def failed(error: DomainError | StoreError) -> bool:
            self._failed(error)
            return True

        run_call(self, load, self._show, group="product", on_error=failed)

    def _failed(self, error: DomainError | StoreError) -> None:
        if isinstance(error, DomainError):
            message = self.t(error.message_key, **error.params)
        else:
            message = self.t("app.error.unexpected")
        self.query_one("#loading", Static).update(Content(message))

    async def _show(self, loaded: _Loaded) -> None:
        detail = loaded.detail
        self.detail = detail
        self.selection = detail.initial_selection()
        page = self.query_one("#page", VerticalScroll)
        await page.remove_children()
        await page.mount_all(self._compose_page(detail, loaded.picture))
        await self._add_reviews(loaded.reviews, loaded.photos, replace=True)
        self._refresh_choice()

    def _compose_page(self, detail: ProductDetail, png: bytes | None) -> list[Widget]:
        t = self.t
        crumbs = " › ".join([t("app.home"), t.pick(detail.top_category), t.pick(detail.category)])
        coupon_row = Horizontal(
            Static(self._coupons(detail.coupons), id="coupons"),
            Button(t("catalog.product.claim"), id="claim", compact=True),
            id="coupon-row",
        )
        coupon_row.display = bool(detail.coupons)
        info = Vertical(
            Static(Content(t.pick(detail.name)), id="title"),
            Static("", id="price"),
            Static(self._promotions(detail), id="promotions"),
            coupon_row,
            *[
                Horizontal(
                    Static(Content(t.pick(spec.name)), classes="spec-name"),
                    ChoiceRow([Choice(t.pick(v)) for v in spec.values], id=f"spec-{i}"),
                    classes="spec-row",
                )
                for i, spec in enumerate(detail.specs)
            ],
            Horizontal(
                Static(t("catalog.product.quantity"), classes="spec-name", markup=False),
                QuantityPicker(id="quantity"),
                Static("", id="stock"),
                id="quantity-row",
            ),
            id="info",
        )
        return [
            Static(Content(crumbs), id="crumbs"),
            Horizontal(Picture(png, id="picture"), info, id="hero"),
            Static(self._shop_line(detail), id="shop"),
            Static(self._policy_line(detail), id="policy"),
            Horizontal(
                Button(t("catalog.product.add_to_cart"), id="add-to-cart", compact=True),
                Button(t("catalog.product.buy_now"), id="buy-now", variant="primary", compact=True),
                id="actions",
            ),
            Static(t("catalog.product.details"), classes="section", markup=False),
            Static(Content(t.pick(detail.description, lines=True)), id="description"),
            Static(self._rating_line(detail), classes="section", id="rating"),
            ChoiceRow(
                [
                    Choice(t("catalog.product.reviews_all", count=detail.rating.count)),
                    Choice(t("catalog.product.reviews_photos", count=detail.rating.with_photos)),
                ],
                0,
                id="review-filter",
            ),
            Vertical(id="reviews"),
            Button(t("catalog.product.more_reviews"), id="more-reviews", compact=True),
        ]

    # -- specs, price, stock ---------------------------------------------------------------

    @property
    def sku(self) -> SkuInfo | None:
        """The SKU the current choices name, if complete."""
        return self.detail.sku_for(self.selection) if self.detail else None

    @on(ChoiceRow.Changed, ".spec-row ChoiceRow")
    def _spec_changed(self, event: ChoiceRow.Changed) -> None:
        if self.detail is None or event.row.id is None:
            return
        spec = int(event.row.id.removeprefix("spec-"))
        self.selection = self.detail.choose(self.selection, spec, event.index)
        self._refresh_choice()

    @on(QuantityPicker.Changed)
    def _quantity_changed(self, event: QuantityPicker.Changed) -> None:
        self.quantity = event.value

    def _refresh_choice(self) -> None:
        detail, t = self.detail, self.t
        if detail is None:
            return
        now = detail.available(self.selection)
        ever = detail.available(detail.empty_selection())
        for i, spec in enumerate(detail.specs):
            row = self.query_one(f"#spec-{i}", ChoiceRow)
            choices = []
            for v, value in enumerate(spec.values):
                if v in now[i]:
                    choices.append(Choice(t.pick(value), ChoiceState.OPEN))
                elif v in ever[i]:
                    choices.append(Choice(t.pick(value), ChoiceState.CONFLICT))
                else:  # no SKU in stock has it: struck, and said in words too
                    label = t("catalog.product.option_sold_out", value=t.pick(value))
                    choices.append(Choice(label, ChoiceState.CLOSED))
            row.set_choices(choices, self.selection[i])
        sku = self.sku
        price = self.query_one("#price", Static)
        sold = t("catalog.sold", count=t.count(detail.sales))
        if sku is not None:
            price.update(Content.assemble(price_content(sku.price, sku.original_price), "  ", sold))
        else:
            low, high = detail.price_range
            price.update(Content.assemble(price_content(low, high=high), "  ", sold))
        picker = self.query_one(QuantityPicker)
        picker.maximum = detail.max_quantity(sku) if sku is not None else 0
        self.query_one("#stock", Static).update(self._stock_line(detail, sku))
        can_buy = sku is not None and sku.stock > 0
        self.query_one("#add-to-cart", Button).disabled = not can_buy
        self.query_one("#buy-now", Button).disabled = not can_buy

    def _stock_line(self, detail: ProductDetail, sku: SkuInfo | None) -> Content:
        t = self.t
        if detail.stock <= 0:
            return Content.from_markup("[$error]$text[/]", text=t("catalog.stock.sold_out_all"))
        if sku is None:
            return Content(t("catalog.product.choose_specs"))
        if sku.stock <= 0:
            text = Content.from_markup("[$error]$text[/]", text=t("catalog.stock.sold_out"))
        elif sku.stock < LOW_STOCK:
            text = Content.from_markup(
                "[$warning]$text[/]", text=t("catalog.stock.low", count=sku.stock)
            )
        else:
            text = Content(t("catalog.product.stock", count=sku.stock))
        if detail.per_order_limit is not None:
            text = Content.assemble(
                text, " · ", t("catalog.product.limit", count=detail.per_order_limit)
            )
        return text

    # -- fixed lines -----------------------------------------------------------------------

    def _promotions(self, detail: ProductDetail) -> Content:
        t = self.t
        now = self.shop.clock.now()
        if not detail.promotions:
            return Content("")
        parts = []
        for promo in detail.promotions:
            days = max(0, days_between(now, promo.ends_at))
            if days <= 1:
                ends = t(
                    "catalog.product.ends_today" if days == 0 else "catalog.product.ends_tomorrow"
                )
            else:
                ends = t("catalog.product.ends_in", days=days)
            parts.append(
                Content.from_markup(
                    "[reverse $accent] $title [/] $ends", title=t.pick(promo.title), ends=ends
                )
            )
        return Content("  ").join(parts)

    def _coupons(self, coupons: list[CouponInfo]) -> Content:
        t = self.t
        labels = [coupon_label(t, c) for c in coupons[:3]]
        if len(coupons) > 3:
            labels.append(t("catalog.product.more_coupons", count=len(coupons) - 3))
        return Content.from_markup(
            "[$foreground-muted]$label[/] [$primary]$coupons[/]",
            label=t("catalog.product.coupons"),
            coupons="  ".join(labels),
        )

    def _shop_line(self, detail: ProductDetail) -> Content:
        t = self.t
        shop = detail.shop
        province = self.shop.settings.province
        fee = shop.shipping.fee_to(province)
        freight = (
            t("catalog.product.free_shipping")
            if fee == 0
            else t(
                "catalog.product.freight",
                fee=format_fen_short(fee),
                province=t.pick(province_name(province)),
            )
        )
        if fee and shop.shipping.free_threshold is not None:
            freight += " · " + t(
                "catalog.product.free_over", amount=format_fen_short(shop.shipping.free_threshold)
            )
        return Content.from_markup(
            "[b]$shop[/b] [$warning]★$rating[/]  $ships · $freight",
            shop=t.pick(shop.name),
            rating=f"{shop.rating_tenths / 10:.1f}",
            ships=t(
                "catalog.product.ships_from",
                place=ships_from_place(t, shop.ships_from, shop.ships_from_city),
            ),
            freight=freight,
        )

    def _policy_line(self, detail: ProductDetail) -> Content:
        key = f"catalog.policy.{detail.return_policy.value}"
        style = "$success" if detail.return_policy.no_reason_returns else "$warning"
        return Content.from_markup(f"[{style}]$text[/]", text=self.t(key))

    def _rating_line(self, detail: ProductDetail) -> Content:
        t, rating = self.t, detail.rating
        if not rating.count:
            return Content(t("catalog.product.no_reviews"))
        return Content(
            t(
                "catalog.product.rating_summary",
                count=rating.count,
                average=f"{rating.average_tenths / 10:.1f}",
                positive=rating.positive_percent,
            )
        )

    # -- reviews ---------------------------------------------------------------------------

    @on(ChoiceRow.Changed, "#review-filter")
    def _review_filter_changed(self, event: ChoiceRow.Changed) -> None:
        self.action_reviews(with_photos=event.index == 1)

    def action_reviews(self, with_photos: bool) -> None:
        """Show all reviews, or only those with photos."""
        self._with_photos = with_photos
        self._review_generation += 1
        self.query_one("#review-filter", ChoiceRow).selected = int(with_photos)
        self._load_reviews(with_photos, 0, self._review_generation)

    @on(Button.Pressed, "#more-reviews")
    def _more_reviews(self) -> None:
        self._load_reviews(self._with_photos, self._reviews_shown, self._review_generation)

    def _load_reviews(self, with_photos: bool, offset: int, generation: int) -> None:
        store, product_id = self.store, self.product_id

        def load() -> tuple[ReviewPage, dict[int, bytes]]:
            with store.reading() as conn:
                page = reviews(
                    conn, product_id, with_photos=with_photos, offset=offset,
                    limit=REVIEWS_PER_PAGE,
                )  # fmt: skip
                return page, review_photos(conn, page)

        def show(found: tuple[ReviewPage, dict[int, bytes]]) -> Awaitable[None]:
            page, photos = found
            return self._add_reviews(page, photos, offset == 0, generation)

        run_call(self, load, show, group="reviews")

    async def _add_reviews(
        self, page: ReviewPage, photos: dict[int, bytes], replace: bool, generation: int = 0
    ) -> None:
        if generation != self._review_generation:
            return  # the filter changed while these were loading
        box = self.query_one("#reviews", Vertical)
        if replace:
            await box.remove_children()
            self._reviews_shown = 0
        await box.mount_all([self._review(r, photos) for r in page.reviews])
        if replace and not page.reviews:
            await box.mount(
                Static(self.t("catalog.product.no_reviews_here"), classes="review-empty")
            )
        self._reviews_shown += len(page.reviews)
        self.query_one("#more-reviews", Button).display = page.has_more

    def _review(self, review: ReviewInfo, photos: dict[int, bytes]) -> Vertical:
        t = self.t
        spec = " / ".join(t.pick(v) for v in review.sku_values)
        head = Content.from_markup(
            "[b]$author[/b] [$warning]$stars[/][$foreground-muted]$blank$date $spec[/]",
            author=printable(review.author),
            stars="★" * review.rating + "☆" * (5 - review.rating),
            blank="  ",
            date=local_date(review.created_at),
            spec=spec,
        )
        parts: list[Static | Horizontal] = [
            Static(head, classes="review-head"),
            Static(Content(printable(review.text, lines=True)), classes="review-text"),
        ]
        if review.photo_ids:
            parts.append(
                Horizontal(
                    *[Picture(photos.get(p), classes="review-photo") for p in review.photo_ids],
                    classes="review-photos",
                )
            )
        return Vertical(*parts, classes="review")

    # -- actions ---------------------------------------------------------------------------

    @on(Button.Pressed, "#add-to-cart")
    def action_add_to_cart(self) -> None:
        """加入购物车 (logging in first if needed)."""
        if self._sku_chosen():
            self.shop.require_login(self._add_to_cart, reason="accounts.login.reason_add_to_cart")

    def _add_to_cart(self) -> None:
        sku, quantity = self.sku, self.quantity
        if sku is None:
            return
        app = self.shop
        token = app.client.token or ""
        self._call(
            lambda: cart.add_to_cart(app.store, token, sku.id, quantity, clock=app.clock),
            lambda held: self.notify(self.t("ordering.product.added", count=held), markup=False),
        )

    @on(Button.Pressed, "#buy-now")
    def action_buy_now(self) -> None:
        """立即购买: straight to checkout with this SKU and quantity."""
        if self._sku_chosen():
            self.shop.require_login(self._buy_now, reason="accounts.login.reason_buy")

    def _buy_now(self) -> None:
        if self.sku is None:
            return
        from kstui.screens.checkout import CheckoutScreen

        self.app.push_screen(CheckoutScreen((Item(self.sku.id, self.quantity),)))

    @on(Button.Pressed, "#claim")
    def _claim(self) -> None:
        self.shop.require_login(self._claim_coupons, reason="accounts.login.reason_coupon")

    def _claim_coupons(self) -> None:
        """领券: claim every coupon of the shop shown on this page."""
        detail = self.detail
        if detail is None or not detail.coupons:
            return
        app = self.shop
        token, ids = app.client.token or "", [c.id for c in detail.coupons]

        def claim_all() -> int:
            claimed = 0
            for template_id in ids:
                try:
                    coupons.claim(app.store, token, template_id, clock=app.clock)
                except (coupons.AlreadyClaimed, coupons.CouponGone):
                    continue
                claimed += 1
            return claimed

        self._call(claim_all, self._claimed)

    def _claimed(self, count: int) -> None:
        key = "ordering.product.claimed" if count else "ordering.product.claimed_none"
        self.notify(self.t(key, count=count), markup=False)

    def _call(self, call: Callable[[], R], done: Callable[[R], object]) -> None:
        run_call(self, call, done, group="product-action", exclusive=False)

    def _sku_chosen(self) -> bool:
        if self.sku is None or self.sku.stock <= 0:
            self.notify(self.t("catalog.product.choose_specs"), severity="warning", markup=False)
            return False
        return True


def ships_from_place(t: Translator, province_code: str, city: Localized) -> str:
    """浙江杭州 / Hangzhou, Zhejiang; and 上海 once, not 上海上海."""
    province, city_name = t.pick(province_name(province_code)), t.pick(city)
    if city_name == province:
        return province
    return t("catalog.product.place", province=province, city=city_name)
