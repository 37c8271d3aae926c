"""`kstui.services.ordering.invoices`: no invoice, a personal one, or a company's with its USCC."""

from __future__ import annotations

import string

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum.cn import uscc

from kstui.i18n import LANGS, Lang, Translator, catalogue
from kstui.services.errors import DomainError
from kstui.services.ordering.invoices import (
    MAX_TITLE,
    NO_INVOICE,
    InvalidInvoice,
    InvoiceRequest,
    check_invoice,
)
from kstui.store.enums import InvoiceKind

NONE, PERSONAL, COMPANY = InvoiceKind.NONE, InvoiceKind.PERSONAL, InvoiceKind.COMPANY
USCC = ["91110000600037341L", "91310115MA1K3BTP2B", "121200004013590816"]
"""Codes found on real business licences (python-stdnum's test data)."""
COMPANY_NAME = "北京示例科技有限公司"
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
"""GB 32100-2015: digits and capital letters without I, O, S, V, Z."""
FULL_WIDTH = str.maketrans({c: chr(ord(c) + 0xFEE0) for c in string.digits + string.ascii_letters})


def refusal(kind: InvoiceKind, title: str, tax_no: str = "") -> InvalidInvoice:
    with pytest.raises(InvalidInvoice) as caught:
        check_invoice(kind, title, tax_no)
    return caught.value


def with_check_character(first17: str) -> str:
    return first17 + uscc.calc_check_digit(first17)


def test_the_example_codes_are_valid() -> None:
    assert all(uscc.is_valid(code) for code in USCC)
    assert all(with_check_character(code[:17]) == code for code in USCC)


def test_invalid_invoice_is_a_domain_error_picking_its_message_by_reason() -> None:
    error = refusal(COMPANY, COMPANY_NAME, "")
    assert isinstance(error, DomainError)
    assert error.params == {"field": "tax_no", "reason": "tax_no_empty"}
    assert error.message_key == "ordering.error.invoice.tax_no_empty"


# -- kinds ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "tax_no"), [("", ""), ("个人", ""), (COMPANY_NAME, USCC[0]), ("\x1b[31m", "bad")]
)
def test_no_invoice_drops_whatever_was_typed(title: str, tax_no: str) -> None:
    assert check_invoice(NONE, title, tax_no) == InvoiceRequest(NONE, "", "")
    assert check_invoice(NONE, title, tax_no) == NO_INVOICE


@pytest.mark.parametrize(
    ("typed", "title"),
    [("个人", "个人"), ("  张三 ", "张三"), ("李", "李"), ("Zhang San", "Zhang San")],
)
def test_personal_invoices(typed: str, title: str) -> None:
    assert check_invoice(PERSONAL, typed, "") == InvoiceRequest(PERSONAL, title, "")


def test_a_personal_invoice_ignores_a_tax_number() -> None:
    assert check_invoice(PERSONAL, "个人", USCC[0]) == InvoiceRequest(PERSONAL, "个人", "")
    assert check_invoice(PERSONAL, "个人", "not a code") == InvoiceRequest(PERSONAL, "个人", "")


@pytest.mark.parametrize("code", USCC)
def test_company_invoices(code: str) -> None:
    request = check_invoice(COMPANY, f" {COMPANY_NAME} ", code)
    assert request == InvoiceRequest(COMPANY, COMPANY_NAME, code)


@pytest.mark.parametrize(
    "typed",
    [
        "91310115ma1k3btp2b",  # lower case
        "91310115Ma1K3bTp2B",
        "  91310115MA1K3BTP2B  ",
        "913101 15MA1K3 BTP2B",
        "91-310115-MA1K3BTP2-B",
        "91310115MA1K3BTP2B".translate(FULL_WIDTH),  # full-width
        "91310115ma1k3btp2b".translate(FULL_WIDTH),
        "９１３１０１１５ＭＡ１Ｋ３ＢＴＰ２Ｂ\u3000",
    ],
)
def test_company_codes_are_compacted_and_upper_cased(typed: str) -> None:
    assert check_invoice(COMPANY, COMPANY_NAME, typed).tax_no == "91310115MA1K3BTP2B"


def test_company_names_are_kept_as_typed() -> None:
    for name in ("示例（北京）科技有限公司", "Example (Beijing) Co., Ltd.", "[示例]商行"):
        assert check_invoice(COMPANY, name, USCC[0]).title == name


# -- titles -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "typed", "params"),
    [
        (PERSONAL, "", {"reason": "title_empty"}),
        (PERSONAL, "   ", {"reason": "title_empty"}),
        (COMPANY, "", {"reason": "title_empty"}),
        (COMPANY, "某", {"reason": "title_length", "min": 2, "max": MAX_TITLE}),
        (PERSONAL, "个" * (MAX_TITLE + 1), {"reason": "title_length", "min": 1, "max": MAX_TITLE}),
        (COMPANY, "司" * (MAX_TITLE + 1), {"reason": "title_length", "min": 2, "max": MAX_TITLE}),
        (PERSONAL, "张\x1b[31m三", {"reason": "title_chars"}),
        (COMPANY, "示例\n有限公司", {"reason": "title_chars"}),
        (COMPANY, "示例\u202e有限公司", {"reason": "title_chars"}),  # a direction override
        (COMPANY, "示例\ud800有限公司", {"reason": "title_chars"}),  # a lone surrogate
    ],
)
def test_titles_refused(kind: InvoiceKind, typed: str, params: dict[str, object]) -> None:
    assert refusal(kind, typed, USCC[0]).params == {"field": "title", **params}


@pytest.mark.parametrize("kind", [PERSONAL, COMPANY])
def test_titles_up_to_100_characters(kind: InvoiceKind) -> None:
    title = "司" * MAX_TITLE
    assert check_invoice(kind, title, USCC[0]).title == title


def test_the_title_is_checked_before_the_code() -> None:
    assert refusal(COMPANY, "", "").params["field"] == "title"


# -- unified social credit codes --------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("", "tax_no_empty"),
        ("   ", "tax_no_empty"),
        (" - ", "tax_no_empty"),
        ("9111000060003734", "tax_no_length"),
        ("91110000600037341L1", "tax_no_length"),
        ("911100006000373410L", "tax_no_length"),
        ("91110000600037341", "tax_no_length"),  # the check character left out
        ("9111000060003734IL", "tax_no_chars"),  # I is not used
        ("9111000060003734OL", "tax_no_chars"),
        ("9111000060003734SL", "tax_no_chars"),
        ("9111000060003734VL", "tax_no_chars"),
        ("9111000060003734ZL", "tax_no_chars"),
        ("9111000060003734_L", "tax_no_chars"),
        ("9111000060003734中L", "tax_no_chars"),
        ("9111000A600037341L", "tax_no_chars"),  # the region code is digits
        ("91110000600037341N", "tax_no_checksum"),
        ("91110000600037342L", "tax_no_checksum"),
        ("91110000600073341L", "tax_no_checksum"),  # two characters swapped
    ],
)
def test_codes_refused(typed: str, reason: str) -> None:
    error = refusal(COMPANY, COMPANY_NAME, typed)
    expected: dict[str, object] = {"field": "tax_no", "reason": reason}
    if reason == "tax_no_length":
        expected["length"] = 18
    assert error.params == expected


@st.composite
def uscc_bodies(draw: st.DrawFn) -> str:
    """The first 17 characters of a code: authority, type and region digits, organisation."""
    digits = draw(st.text(string.digits, min_size=8, max_size=8))
    return digits + draw(st.text(USCC_ALPHABET, min_size=9, max_size=9))


@given(body=uscc_bodies(), lower=st.booleans())
def test_any_code_with_its_check_character_is_accepted(body: str, lower: bool) -> None:
    code = with_check_character(body)
    typed = code.lower() if lower else code
    assert check_invoice(COMPANY, COMPANY_NAME, typed) == InvoiceRequest(
        COMPANY, COMPANY_NAME, code
    )


@given(body=uscc_bodies(), data=st.data())
def test_any_other_check_character_is_refused(body: str, data: st.DataObject) -> None:
    right = uscc.calc_check_digit(body)
    wrong = data.draw(st.sampled_from([c for c in USCC_ALPHABET if c != right]))
    error = refusal(COMPANY, COMPANY_NAME, body + wrong)
    assert error.params == {"field": "tax_no", "reason": "tax_no_checksum"}


# -- messages ---------------------------------------------------------------------------------

REFUSALS: dict[str, tuple[InvoiceKind, str, str]] = {
    "title_empty": (PERSONAL, "", ""),
    "title_length": (COMPANY, "某", USCC[0]),
    "title_chars": (PERSONAL, "\x07", ""),
    "tax_no_empty": (COMPANY, COMPANY_NAME, ""),
    "tax_no_length": (COMPANY, COMPANY_NAME, "9111"),
    "tax_no_chars": (COMPANY, COMPANY_NAME, "9111000060003734IL"),
    "tax_no_checksum": (COMPANY, COMPANY_NAME, "91110000600037341N"),
}


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("reason", REFUSALS)
def test_every_refusal_has_a_message_with_its_fields_filled(lang: Lang, reason: str) -> None:
    error = refusal(*REFUSALS[reason])
    assert error.params["reason"] == reason
    assert error.message_key in catalogue(lang)
    text = Translator(lang)(error.message_key, **error.params)
    assert "{" not in text
    assert "ordering.error.invoice" in catalogue(lang)
