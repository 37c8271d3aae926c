"""`kstui.money`: fen to text and text to fen."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kstui.money import MAX_YUAN, MoneyFormatError, format_fen, format_fen_short, parse_yuan

MAX_FEN = int(MAX_YUAN) * 100


@pytest.mark.parametrize(
    ("fen", "text"),
    [
        (0, "¥0.00"),
        (1, "¥0.01"),
        (5, "¥0.05"),
        (99, "¥0.99"),
        (100, "¥1.00"),
        (12900, "¥129.00"),
        (12950, "¥129.50"),
        (123450, "¥1,234.50"),
        (100_000_000_00, "¥100,000,000.00"),
        (-5, "-¥0.05"),
        (-123456, "-¥1,234.56"),
    ],
)
def test_format_fen(fen: int, text: str) -> None:
    assert format_fen(fen) == text


def test_format_fen_other_symbol() -> None:
    assert format_fen(129900, symbol="") == "1,299.00"
    assert format_fen(129900, symbol="CNY ") == "CNY 1,299.00"


@pytest.mark.parametrize(
    ("fen", "text"),
    [
        (0, "¥0"),
        (12900, "¥129"),
        (12950, "¥129.50"),
        (12905, "¥129.05"),
        (100_000_00, "¥100,000"),
        (-12900, "-¥129"),
        (-12950, "-¥129.50"),
    ],
)
def test_format_fen_short(fen: int, text: str) -> None:
    assert format_fen_short(fen) == text


def test_format_fen_short_other_symbol() -> None:
    assert format_fen_short(1000, symbol="") == "10"
    assert format_fen_short(1050, symbol="") == "10.50"


@pytest.mark.parametrize(
    ("text", "fen"),
    [
        ("99", 9900),
        ("99.5", 9950),
        ("99.50", 9950),
        ("0.01", 1),
        ("0", 0),
        (".5", 50),
        ("  129  ", 12900),
        ("¥1,299", 129900),
        ("￥1,299.00", 129900),
        ("¥ 59", 5900),
        ("1,234,567.89", 123456789),
        ("１２３", 12300),  # full-width digits
        ("１２３．４５", 12345),  # full-width digits and full stop
        ("￥１，２９９．５０", 129950),  # full-width yen sign and comma
        ("100000000", MAX_FEN),
        ("100000000.00", MAX_FEN),
    ],
)
def test_parse_yuan_accepts(text: str, fen: int) -> None:
    assert parse_yuan(text) == fen


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "¥",
        "￥ ",
        ",",
        "-1",
        "-0.01",
        "¥-5",
        "-¥5",
        "1.005",
        "0.001",
        "99.999",
        "100000000.01",
        "100000001",
        "9" * 40,
        "1" + "0" * 10_000,
        "NaN",
        "nan",
        "sNaN",
        "inf",
        "Infinity",
        "-Infinity",
        "abc",
        "12元",
        "1.2.3",
        "1 2",
        "$5",
    ],
)
def test_parse_yuan_rejects(text: str) -> None:
    with pytest.raises(MoneyFormatError) as caught:
        parse_yuan(text)
    assert caught.value.args == (text,)


def test_money_format_error_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="abc"):
        parse_yuan("abc")


fens = st.integers(min_value=0, max_value=MAX_FEN)


@settings(max_examples=300, deadline=None)
@given(fens)
def test_format_then_parse_gives_the_same_fen(fen: int) -> None:
    assert parse_yuan(format_fen(fen)) == fen
    assert parse_yuan(format_fen_short(fen)) == fen
    assert parse_yuan(format_fen(fen, symbol="￥")) == fen
    assert parse_yuan(format_fen(fen, symbol="")) == fen


@settings(max_examples=200, deadline=None)
@given(fens)
def test_format_fen_shape(fen: int) -> None:
    text = format_fen(fen)
    assert text.startswith("¥")
    whole, cents = text[1:].split(".")
    assert len(cents) == 2
    assert int(whole.replace(",", "")) * 100 + int(cents) == fen
    # thousands are grouped by three
    groups = whole.split(",")
    assert all(len(g) == 3 for g in groups[1:])
    assert 1 <= len(groups[0]) <= 3
    assert format_fen(-fen) == (f"-{text}" if fen else text)
