"""Bank card details as a shopper types them when paying by 银行卡 (nothing is stored here).

`check_card` turns the three typed fields into a `CardDetails` or raises `InvalidCard`
naming the field and the reason. The full card number lives only in the returned
`CardDetails` (it is left out of its `repr`); the caller keeps `last4` and nothing more.
Errors never carry the number, and the `stdnum` exception (whose message may quote it) is
not chained to them.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date

from kstui.services.errors import DomainError
from kstui.text import has_control

MIN_DIGITS = 13
MAX_DIGITS = 19
"""Card numbers are 13–19 digits (ISO/IEC 7812); UnionPay cards have 16–19."""
MAX_YEARS_AHEAD = 20
"""No issuer prints an expiry date further ahead than this."""
MAX_HOLDER = 30
"""More than the name line of a card holds (26 characters on its magnetic stripe)."""

_SEPARATORS = re.compile(r"[ \-]")
_DIGITS = re.compile(r"[0-9]+")
_EXPIRY_SLASH = re.compile(r"([0-9]{1,2})/([0-9]{2}|[0-9]{4})")
_EXPIRY_BARE = re.compile(r"([0-9]{2})([0-9]{2})")
_HAN = "\u3400-\u4dbf\u4e00-\u9fff\U00020000-\U0003134f"
"""Han characters of CJK Unified Ideographs, Extension A and Extensions B–G."""
_MIDDLE_DOTS = str.maketrans(dict.fromkeys("\u30fb\u2022\u2027\u2219", "·"))
"""Dots that IMEs and fonts offer for the one between the parts of a name."""
_HAN_NAME = re.compile(f"[{_HAN}]+(?:·[{_HAN}]+)*")
"""欧阳娜娜, 迪丽热巴·迪力木拉提: Han parts joined by a middle dot."""
_LATIN_NAME = re.compile(r"[A-Za-z]+(?:(?:\. ?|[ '\-])[A-Za-z]+)*\.?")
"""ZHANG SAN, O'NEIL, JEAN-LUC, J. SMITH: letters, and single spaces, apostrophes,
dots or hyphens between them; nothing that could open markup (`[`, `]`)."""


class InvalidCard(DomainError):
    """A card field the shop refuses; `field` is number, expiry or holder, `reason` why.

    Reasons: number_empty, number_chars, number_length (`min`, `max`), luhn;
    expiry_empty, expiry_shape, expiry_month, expired, expiry_far (`years`);
    holder_empty, holder_length (`max`), holder_chars.
    """

    key = "payments.error.card"
    by_reason = True


@dataclass(frozen=True)
class CardDetails:
    """A card that passed `check_card`.

    Attributes:
        number: The card number, digits only (not shown by `repr`).
        expiry_month: 1–12.
        expiry_year: The four-digit year.
        holder: The cardholder's name, full-width letters made half-width, spaces tidied.
    """

    number: str = field(repr=False)
    expiry_month: int
    expiry_year: int
    holder: str

    @property
    def last4(self) -> str:
        """The last four digits, the only part of the number worth keeping."""
        return self.number[-4:]

    @property
    def masked(self) -> str:
        """`•••• 1234`: how the card is shown once entered."""
        return f"•••• {self.last4}"


def check_card(number: str, expiry: str, holder: str, *, today: date) -> CardDetails:
    """Validate a card number, its expiry date (`MM/YY`) and its holder's name.

    Full-width characters (`６２２２…`, `１２／２８`) are accepted as typed on a Chinese
    keyboard. The number may be grouped with spaces or dashes. A card expiring this month
    (of `today`) is still valid.

    Args:
        number: The card number as typed.
        expiry: `MM/YY`, `MM/YYYY` or `MMYY`.
        holder: The name on the card: Chinese characters (`·` between parts) or Latin
            letters with spaces.
        today: The shop's current date (from the injected clock).

    Returns:
        The card, its number reduced to digits.

    Raises:
        InvalidCard: the first field that is wrong, with the reason.
    """
    digits = _card_number(number)
    month, year = _expiry(expiry, today=today)
    return CardDetails(number=digits, expiry_month=month, expiry_year=year, holder=_holder(holder))


def _card_number(typed: str) -> str:
    from stdnum import luhn
    from stdnum.exceptions import ValidationError

    digits = _SEPARATORS.sub("", unicodedata.normalize("NFKC", typed).strip())
    if not digits:
        raise InvalidCard(field="number", reason="number_empty")
    if not _DIGITS.fullmatch(digits):  # ASCII only: not ٣ or other scripts' digits
        raise InvalidCard(field="number", reason="number_chars")
    if not MIN_DIGITS <= len(digits) <= MAX_DIGITS:
        raise InvalidCard(field="number", reason="number_length", min=MIN_DIGITS, max=MAX_DIGITS)
    try:
        luhn.validate(digits)
    except ValidationError:
        raise InvalidCard(field="number", reason="luhn") from None
    return digits


def _expiry(typed: str, *, today: date) -> tuple[int, int]:
    text = re.sub(r"\s", "", unicodedata.normalize("NFKC", typed))
    if not text:
        raise InvalidCard(field="expiry", reason="expiry_empty")
    shape = _EXPIRY_SLASH.fullmatch(text) or _EXPIRY_BARE.fullmatch(text)
    if shape is None:
        raise InvalidCard(field="expiry", reason="expiry_shape")
    month, year_typed = int(shape.group(1)), shape.group(2)
    if not 1 <= month <= 12:
        raise InvalidCard(field="expiry", reason="expiry_month")
    year = int(year_typed) + (2000 if len(year_typed) == 2 else 0)
    if (year, month) < (today.year, today.month):  # valid to the end of its month
        raise InvalidCard(field="expiry", reason="expired")
    if (year, month) > (today.year + MAX_YEARS_AHEAD, today.month):
        raise InvalidCard(field="expiry", reason="expiry_far", years=MAX_YEARS_AHEAD)
    return month, year


def _holder(typed: str) -> str:
    stripped = typed.strip()
    if has_control(stripped):  # before tidying spaces, which would hide a tab or newline
        raise InvalidCard(field="holder", reason="holder_chars")
    name = " ".join(unicodedata.normalize("NFKC", stripped).translate(_MIDDLE_DOTS).split())
    if not name:
        raise InvalidCard(field="holder", reason="holder_empty")
    if len(name) > MAX_HOLDER:
        raise InvalidCard(field="holder", reason="holder_length", max=MAX_HOLDER)
    if not (_HAN_NAME.fullmatch(name) or _LATIN_NAME.fullmatch(name)):
        raise InvalidCard(field="holder", reason="holder_chars")
    return name
