"""Prices as the shop shows them: the price to pay, and the original price struck through."""

from __future__ import annotations

from textual.content import Content

from kstui.money import format_fen


def price_content(price: int, original: int | None = None, *, high: int | None = None) -> Content:
    """`¥129.00 ¥159.00` with the original struck; `high` makes a range `¥99.00–¥129.00`."""
    shown = format_fen(price)
    if high is not None and high != price:
        shown += "–" + format_fen(high)
    if original is not None and original > price:
        return Content.from_markup(
            "[$primary bold]$shown[/] [strike $foreground-muted]$original[/]",
            shown=shown,
            original=format_fen(original),
        )
    return Content.from_markup("[$primary bold]$shown[/]", shown=shown)
