"""`kstui.services.payments.cards`: card numbers (Luhn), expiry dates and cardholders' names."""

from __future__ import annotations

import string
import traceback
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum import luhn

from kstui.i18n import LANGS, Lang, Translator, catalogue
from kstui.services.errors import DomainError
from kstui.services.payments.cards import (
    MAX_DIGITS,
    MAX_HOLDER,
    MAX_YEARS_AHEAD,
    MIN_DIGITS,
    CardDetails,
    InvalidCard,
    check_card,
)

TODAY = date(2026, 11, 22)
EXPIRY = "08/29"
HOLDER = "张三"
FULL_WIDTH = str.maketrans({c: chr(ord(c) + 0xFEE0) for c in string.digits + "/-"})


def with_luhn(body: str) -> str:
    """`body` followed by its Luhn check digit: a test card number."""
    return body + luhn.calc_check_digit(body)


UNIONPAY_16 = with_luhn("622202100112345")
UNIONPAY_19 = with_luhn("621700123456789012")
VISA_13 = with_luhn("422222222222")


def refusal(number: str = UNIONPAY_16, expiry: str = EXPIRY, holder: str = HOLDER) -> InvalidCard:
    with pytest.raises(InvalidCard) as caught:
        check_card(number, expiry, holder, today=TODAY)
    return caught.value


def test_test_numbers_are_what_they_claim() -> None:
    assert (len(UNIONPAY_16), len(UNIONPAY_19), len(VISA_13)) == (16, 19, 13)
    assert all(luhn.is_valid(n) for n in (UNIONPAY_16, UNIONPAY_19, VISA_13))


def test_invalid_card_is_a_domain_error_picking_its_message_by_reason() -> None:
    error = refusal(number=UNIONPAY_16[:-1] + str((int(UNIONPAY_16[-1]) + 1) % 10))
    assert isinstance(error, DomainError)
    assert error.params == {"field": "number", "reason": "luhn"}
    assert error.message_key == "payments.error.card.luhn"


# -- numbers ----------------------------------------------------------------------------------


@pytest.mark.parametrize("number", [UNIONPAY_16, UNIONPAY_19, VISA_13])
def test_valid_numbers_of_13_to_19_digits(number: str) -> None:
    card = check_card(number, EXPIRY, HOLDER, today=TODAY)
    assert card == CardDetails(number=number, expiry_month=8, expiry_year=2029, holder=HOLDER)


def grouped(number: str, separator: str) -> str:
    """`6222 0210 0112 3456`: the number in groups of four, as printed on the card."""
    return separator.join(number[i : i + 4] for i in range(0, len(number), 4))


@pytest.mark.parametrize(
    "typed",
    [
        grouped(UNIONPAY_16, " "),
        grouped(UNIONPAY_16, "-"),
        grouped(UNIONPAY_19, " "),
        f"  {UNIONPAY_16}  ",
        UNIONPAY_16.translate(FULL_WIDTH),  # full-width digits (Chinese keyboard)
        grouped(UNIONPAY_16, "\u3000").translate(FULL_WIDTH),  # … with full-width spaces
        grouped(UNIONPAY_16, "-").translate(FULL_WIDTH),  # … and full-width dashes
    ],
)
def test_numbers_typed_with_separators_or_full_width(typed: str) -> None:
    expected = UNIONPAY_19 if len(typed) > 20 and typed.isascii() else UNIONPAY_16
    assert check_card(typed, EXPIRY, HOLDER, today=TODAY).number == expected


@given(
    body=st.text(string.digits, min_size=MIN_DIGITS - 1, max_size=MAX_DIGITS - 1),
    separators=st.lists(st.sampled_from(["", "", " ", "-", "  ", "\u3000"]), min_size=19),
    full_width=st.booleans(),
)
def test_any_luhn_number_however_grouped_is_accepted(
    body: str, separators: list[str], full_width: bool
) -> None:
    number = with_luhn(body)
    typed = "".join(d + s for d, s in zip(number, separators, strict=False)).strip()
    if full_width:
        typed = typed.translate(FULL_WIDTH)
    card = check_card(typed, EXPIRY, HOLDER, today=TODAY)
    assert card.number == number
    assert card.last4 == number[-4:]


@given(
    body=st.text(string.digits, min_size=MIN_DIGITS - 1, max_size=MAX_DIGITS - 1),
    data=st.data(),
)
def test_any_single_wrong_digit_fails_the_luhn_check(body: str, data: st.DataObject) -> None:
    number = with_luhn(body)
    at = data.draw(st.integers(0, len(number) - 1))
    wrong = data.draw(st.sampled_from([d for d in string.digits if d != number[at]]))
    typo = number[:at] + wrong + number[at + 1 :]
    error = refusal(number=typo)
    assert error.params == {"field": "number", "reason": "luhn"}


@pytest.mark.parametrize(
    "typed",
    [
        "6222O21001123456",  # a letter O for a zero
        "6222 0210 0112 345a",
        "6222.0210.0112.3456",
        "6222/0210/0112/3456",
        "6222\t0210\t0112\t3456",
        "٦٢٢٢٠٢١٠٠١١٢٣٤٥٦",  # Arabic-Indic digits are digits to Python, not to a card
        "+6222021001123456",
        "[b]6222021001123456[/b]",
    ],
)
def test_numbers_with_anything_but_digits_and_separators_are_refused(typed: str) -> None:
    assert refusal(number=typed).params == {"field": "number", "reason": "number_chars"}


@pytest.mark.parametrize("typed", ["", "   ", " - - ", "\u3000"])
def test_an_empty_number_is_refused(typed: str) -> None:
    assert refusal(number=typed).params == {"field": "number", "reason": "number_empty"}


@pytest.mark.parametrize("length", [1, MIN_DIGITS - 1, MAX_DIGITS + 1, 30])
def test_numbers_of_the_wrong_length_are_refused_even_with_a_good_check_digit(length: int) -> None:
    number = with_luhn("6" * (length - 1))
    assert luhn.is_valid(number)
    assert refusal(number=number).params == {
        "field": "number",
        "reason": "number_length",
        "min": 13,
        "max": 19,
    }


def test_the_number_is_kept_only_in_the_card_details() -> None:
    card = check_card(UNIONPAY_19, EXPIRY, HOLDER, today=TODAY)
    assert UNIONPAY_19 not in repr(card)
    assert card.last4 == UNIONPAY_19[-4:]
    assert card.masked == f"•••• {UNIONPAY_19[-4:]}"
    typo = UNIONPAY_19[:-1] + str((int(UNIONPAY_19[-1]) + 5) % 10)
    for error in (refusal(number=typo), refusal(number=UNIONPAY_19, expiry="13/29")):
        assert typo[:-1] not in repr(error.params)
        # Nor does a logged traceback, chained exceptions included.
        assert typo[:-1] not in "".join(traceback.format_exception(error))
        assert error.__cause__ is None
        assert error.__context__ is None or error.__suppress_context__


def test_card_details_are_frozen() -> None:
    card = check_card(UNIONPAY_16, EXPIRY, HOLDER, today=TODAY)
    with pytest.raises(AttributeError):
        card.number = VISA_13  # type: ignore[misc]


# -- expiry dates -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "month", "year"),
    [
        ("11/26", 11, 2026),  # this month: still valid until its end
        ("12/26", 12, 2026),
        ("01/27", 1, 2027),
        ("1/27", 1, 2027),
        ("08/2029", 8, 2029),
        ("0829", 8, 2029),
        (" 08 / 29 ", 8, 2029),
        ("０８／２９", 8, 2029),  # full-width
        ("０８２９", 8, 2029),
        ("11/46", 11, 2046),  # 20 years ahead to the month
    ],
)
def test_expiry_dates(typed: str, month: int, year: int) -> None:
    card = check_card(UNIONPAY_16, typed, HOLDER, today=TODAY)
    assert (card.expiry_month, card.expiry_year) == (month, year)


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("", "expiry_empty"),
        ("  ", "expiry_empty"),
        ("10/26", "expired"),  # last month
        ("12/25", "expired"),
        ("11/2025", "expired"),
        ("00/27", "expiry_month"),
        ("13/27", "expiry_month"),
        ("1327", "expiry_month"),
        ("08-29", "expiry_shape"),
        ("829", "expiry_shape"),
        ("08/2", "expiry_shape"),
        ("08/029", "expiry_shape"),
        ("082029", "expiry_shape"),
        ("2029-08", "expiry_shape"),
        ("ab/cd", "expiry_shape"),
        ("08/29/1", "expiry_shape"),
    ],
)
def test_expiry_dates_refused(typed: str, reason: str) -> None:
    assert refusal(expiry=typed).params == {"field": "expiry", "reason": reason}


@pytest.mark.parametrize("typed", ["12/46", "01/47", "11/2099"])
def test_expiry_dates_more_than_20_years_ahead_are_refused(typed: str) -> None:
    assert refusal(expiry=typed).params == {
        "field": "expiry",
        "reason": "expiry_far",
        "years": MAX_YEARS_AHEAD,
    }


@given(
    today=st.dates(date(2001, 1, 1), date(2078, 12, 31)),
    year=st.integers(2000, 2099),
    month=st.integers(1, 12),
)
def test_expiry_is_valid_from_this_month_to_20_years_ahead(
    today: date, year: int, month: int
) -> None:
    typed = f"{month:02}/{year % 100:02}"
    in_range = (today.year, today.month) <= (year, month) <= (today.year + 20, today.month)
    if in_range:
        card = check_card(UNIONPAY_16, typed, HOLDER, today=today)
        assert (card.expiry_month, card.expiry_year) == (month, year)
    else:
        with pytest.raises(InvalidCard) as caught:
            check_card(UNIONPAY_16, typed, HOLDER, today=today)
        assert caught.value.params["reason"] in {"expired", "expiry_far"}


# -- holders ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "holder"),
    [
        ("张三", "张三"),
        ("欧阳娜娜", "欧阳娜娜"),
        ("迪丽热巴·迪力木拉提", "迪丽热巴·迪力木拉提"),
        ("迪丽热巴・迪力木拉提", "迪丽热巴·迪力木拉提"),  # the katakana dot of some IMEs
        ("ZHANG SAN", "ZHANG SAN"),
        ("  Zhang   San ", "Zhang San"),
        ("ＺＨＡＮＧ ＳＡＮ", "ZHANG SAN"),
        ("O'NEIL JEAN-LUC", "O'NEIL JEAN-LUC"),
        ("J. SMITH", "J. SMITH"),
        ("李", "李"),
        ("A" * MAX_HOLDER, "A" * MAX_HOLDER),
        ("\t张三\n", "张三"),  # what surrounds a pasted name
    ],
)
def test_holders(typed: str, holder: str) -> None:
    assert check_card(UNIONPAY_16, EXPIRY, typed, today=TODAY).holder == holder


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("", "holder_empty"),
        ("   ", "holder_empty"),
        ("A" * (MAX_HOLDER + 1), "holder_length"),
        ("[b]ZHANG SAN[/b]", "holder_chars"),
        ("张三[red]", "holder_chars"),
        ("[link=x]ZHANG[/]", "holder_chars"),
        ("<script>", "holder_chars"),
        ("ZHANG\x1b[31mSAN", "holder_chars"),
        ("ZHANG\nSAN", "holder_chars"),
        ("张\u200b三", "holder_chars"),  # a zero-width space
        ("张三 SAN", "holder_chars"),
        ("张 三", "holder_chars"),
        ("·张三", "holder_chars"),
        ("ZHANG3", "holder_chars"),
        ("ZHANG_SAN", "holder_chars"),
        ("Zoë", "holder_chars"),
        ("ZHANG  .SAN", "holder_chars"),
        ("ZHANG..SAN", "holder_chars"),
    ],
)
def test_holders_refused(typed: str, reason: str) -> None:
    error = refusal(holder=typed)
    assert (error.params["field"], error.params["reason"]) == ("holder", reason)


def test_the_first_wrong_field_is_reported() -> None:
    assert refusal(number="1", expiry="", holder="").params["field"] == "number"
    assert refusal(expiry="", holder="").params["field"] == "expiry"


# -- messages ---------------------------------------------------------------------------------

REFUSALS = {
    "number_empty": {"number": ""},
    "number_chars": {"number": "abc"},
    "number_length": {"number": "4242"},
    "luhn": {"number": UNIONPAY_16[:-1] + str((int(UNIONPAY_16[-1]) + 1) % 10)},
    "expiry_empty": {"expiry": ""},
    "expiry_shape": {"expiry": "8"},
    "expiry_month": {"expiry": "13/29"},
    "expired": {"expiry": "10/26"},
    "expiry_far": {"expiry": "12/99"},
    "holder_empty": {"holder": ""},
    "holder_length": {"holder": "A" * 31},
    "holder_chars": {"holder": "[b]"},
}


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("reason", REFUSALS)
def test_every_refusal_has_a_message_with_its_fields_filled(lang: Lang, reason: str) -> None:
    error = refusal(**REFUSALS[reason])
    assert error.params["reason"] == reason
    assert error.message_key in catalogue(lang)
    text = Translator(lang)(error.message_key, **error.params)
    assert "{" not in text
    assert "payments.error.card" in catalogue(lang)
