"""Money is integer fen (分) everywhere; here it becomes text, or comes from text."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

MAX_YUAN = Decimal("100000000")
_AMOUNT = re.compile(r"(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]{1,2})?|\.[0-9]{1,2}")
"""Digits with optional thousands commas, at most two decimals: no signs, no exponents."""


class Fen(int):
    """An amount of fen passed to a message (an error's parameters): the translator shows
    it as yuan (`¥12.30`), where a plain int would be shown as a count."""

    __slots__ = ()


class MoneyFormatError(ValueError):
    """A text that is not an amount of yuan."""


def format_fen(fen: int, *, symbol: str = "¥") -> str:
    """Format fen as yuan: `123450` → `¥1,234.50`, `-5` → `-¥0.05`."""
    sign = "-" if fen < 0 else ""
    yuan, cents = divmod(abs(fen), 100)
    return f"{sign}{symbol}{yuan:,}.{cents:02d}"


def format_fen_short(fen: int, *, symbol: str = "¥") -> str:
    """Like `format_fen` but without zero cents: `12900` → `¥129`, `12950` → `¥129.50`."""
    text = format_fen(fen, symbol=symbol)
    return text[:-3] if text.endswith(".00") else text


def format_yuan_plain(fen: int) -> str:
    """Yuan without symbol or thousands comma, as in 满1000减50 or a price field: `1299.5`."""
    return format_fen_short(fen, symbol="").replace(",", "")


def parse_yuan(text: str) -> int:
    """Parse an amount of yuan typed by a person into fen.

    Accepts `99`, `99.5`, `99.50`, `¥1,299`, full-width digits (and ￥); rejects
    signs, exponents, misplaced commas, more than two decimals and amounts over one
    hundred million yuan.

    Raises:
        MoneyFormatError: if the text is not such an amount.
    """
    import unicodedata

    cleaned = unicodedata.normalize("NFKC", text).strip().removeprefix("¥").strip()
    if not _AMOUNT.fullmatch(cleaned):
        raise MoneyFormatError(text)
    try:
        amount = Decimal(cleaned.replace(",", ""))
    except InvalidOperation:
        raise MoneyFormatError(text) from None
    if not amount.is_finite() or amount < 0 or amount > MAX_YUAN:
        raise MoneyFormatError(text)
    fen = amount * 100
    if fen != fen.to_integral_value():
        raise MoneyFormatError(text)
    return int(fen)
