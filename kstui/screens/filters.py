"""筛选: the filter panel — price range and brands."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, Input, Label, SelectionList, Static
from textual.widgets.selection_list import Selection

from kstui.i18n import Translator
from kstui.money import MoneyFormatError, format_yuan_plain, parse_yuan
from kstui.screens.base import KstuiModal
from kstui.services.catalog.listing import BrandOption
from kstui.widgets.translation import translate_own_bindings, translator_of


@dataclass(frozen=True)
class FilterChoice:
    """What the panel returns: prices in fen (None: no bound) and the chosen brands."""

    min_price: int | None
    max_price: int | None
    brand_ids: frozenset[int]


class FilterScreen(KstuiModal[FilterChoice | None]):
    """Pick a price range and brands; returns the choice, or None when cancelled.

    Args:
        current: The filters in force.
        brands: Every brand the shop sells.
    """

    CSS_PATH = "filters.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "app.key.cancel", show=False),
    ]

    def __init__(self, current: FilterChoice, brands: list[BrandOption]) -> None:
        super().__init__()
        self.current = current
        self.brands = brands
        self.t = translator_of(self)

    def compose(self) -> ComposeResult:
        t = self.t
        with Vertical(id="panel"):
            yield Static(t("catalog.filters.title"), id="filters-title", markup=False)
            yield Label(t("catalog.filters.price"), markup=False)
            with Horizontal(id="price-row"):
                yield _price_input(self.current.min_price, t("catalog.filters.min"), "min-price")
                yield Static("—", id="dash")
                yield _price_input(self.current.max_price, t("catalog.filters.max"), "max-price")
            yield Static("", id="price-error", markup=False)
            yield Label(t("catalog.filters.brands"), markup=False)
            yield SelectionList[int](
                *(
                    Selection(
                        Content(brand_label(t, b)),
                        b.id,
                        b.id in self.current.brand_ids,
                    )
                    for b in self.brands
                ),
                id="brand-list",
            )
            with Horizontal(id="filter-buttons"):
                yield Button(t("catalog.filters.reset"), id="reset", compact=True)
                yield Button(t("catalog.filters.cancel"), id="cancel", compact=True)
                yield Button(
                    t("catalog.filters.apply"), id="apply", variant="primary", compact=True
                )

    def on_mount(self) -> None:
        translate_own_bindings(self)
        animations: bool = getattr(getattr(self.app, "settings", None), "animations", True)
        for field in self.query(Input):
            field.cursor_blink = animations
        self.query_one("#min-price", Input).focus()

    @on(Button.Pressed, "#reset")
    def _reset(self) -> None:
        self.query_one("#min-price", Input).value = ""
        self.query_one("#max-price", Input).value = ""
        self.query_one("#brand-list", SelectionList).deselect_all()
        self.query_one("#price-error", Static).update("")

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        """Close without changing the filters."""
        self.dismiss(None)

    @on(Button.Pressed, "#apply")
    @on(Input.Submitted)
    def _apply(self) -> None:
        error = self.query_one("#price-error", Static)
        try:
            low = self._price("#min-price")
            high = self._price("#max-price")
        except MoneyFormatError:
            error.update(Content(self.t("catalog.error.invalid_price")))
            return
        if low is not None and high is not None and low > high:
            error.update(Content(self.t("catalog.filters.range_reversed")))
            self.query_one("#max-price", Input).focus()
            return
        brands: list[int] = self.query_one("#brand-list", SelectionList).selected
        self.dismiss(FilterChoice(low, high, frozenset(brands)))

    def _price(self, selector: str) -> int | None:
        field = self.query_one(selector, Input)
        text = field.value.strip()
        if not text:
            return None
        try:
            return parse_yuan(text)
        except MoneyFormatError:
            field.focus()
            raise


def _price_input(fen: int | None, placeholder: str, input_id: str) -> Input:
    """A price bound in yuan; half- or full-width digits, as `parse_yuan` reads them."""
    return Input(
        "" if fen is None else format_yuan_plain(fen),
        placeholder=placeholder,
        restrict=r"[0-9０-９.,．，¥￥]*",
        max_length=12,
        id=input_id,
        compact=True,
    )


def brand_label(t: Translator, brand: BrandOption) -> str:
    """`极光 Aurora` in Chinese, `Aurora` in English."""
    if t.lang == "en" or brand.name.zh == brand.name.en:
        return t.pick(brand.name)
    return f"{brand.name.zh} {brand.name.en}"
