"""The invoice (发票) a shopper asks for on an order: none, personal, or for a company.

A company invoice needs the company's unified social credit code (统一社会信用代码,
GB 32100-2015), checked with `python-stdnum`: 18 characters, digits and capital letters
without I, O, S, V, Z, the last one a check character. Valid examples, all found by
python-stdnum's authors on real business licences: `91110000600037341L`,
`91310115MA1K3BTP2B`, `121200004013590816`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from kstui.services.errors import DomainError
from kstui.store.enums import InvoiceKind
from kstui.text import has_control

MAX_TITLE = 100
"""Longer than any company's registered name."""
MIN_TITLE = {InvoiceKind.PERSONAL: 1, InvoiceKind.COMPANY: 2}
"""A person may be 个人 or a one-character name; a company's name has at least two."""
USCC_LENGTH = 18

_TAX_NO_SEPARATORS = re.compile(r"[\s\-]")


class InvalidInvoice(DomainError):
    """Invoice details the shop refuses; `field` is title or tax_no, `reason` why.

    Reasons: title_empty, title_length (`min`, `max`), title_chars; tax_no_empty,
    tax_no_length (`length`), tax_no_chars, tax_no_checksum.
    """

    key = "ordering.error.invoice"
    by_reason = True


@dataclass(frozen=True)
class InvoiceRequest:
    """What an order asks for: the kind, and the title and tax number printed on it.

    Attributes:
        kind: None, personal or company.
        title: The 抬头: a person's name or 个人, or the company's name; empty for none.
        tax_no: The company's unified social credit code, compact and upper-case; empty
            unless the kind is company.
    """

    kind: InvoiceKind
    title: str = ""
    tax_no: str = ""


NO_INVOICE = InvoiceRequest(InvoiceKind.NONE)


def check_invoice(kind: InvoiceKind, title: str, tax_no: str) -> InvoiceRequest:
    """Validate the invoice details typed at checkout.

    What the form still holds from another kind is dropped: no title or tax number
    without an invoice, no tax number on a personal one.

    Args:
        kind: The kind chosen.
        title: The 抬头 as typed (1–100 characters, 2–100 for a company).
        tax_no: The unified social credit code as typed (only for a company). Full-width
            characters, lower case, spaces and dashes are accepted.

    Returns:
        The request, its title stripped and its code compact and upper-case.

    Raises:
        InvalidInvoice: the title, then the code, with the reason.
    """
    if kind is InvoiceKind.NONE:
        return NO_INVOICE
    checked_title = _title(title, min_length=MIN_TITLE[kind])
    if kind is InvoiceKind.PERSONAL:
        return InvoiceRequest(kind, checked_title)
    return InvoiceRequest(kind, checked_title, _uscc(tax_no))


def _title(typed: str, *, min_length: int) -> str:
    # Kept as typed (no NFKC): （北京） in a company name is part of the name, and the
    # screens show untrusted text as text, so brackets are harmless here.
    title = typed.strip()
    if not title:
        raise InvalidInvoice(field="title", reason="title_empty")
    if has_control(title):
        raise InvalidInvoice(field="title", reason="title_chars")
    if not min_length <= len(title) <= MAX_TITLE:
        raise InvalidInvoice(field="title", reason="title_length", min=min_length, max=MAX_TITLE)
    return title


def _uscc(typed: str) -> str:
    from stdnum.cn import uscc
    from stdnum.exceptions import InvalidChecksum, InvalidFormat, InvalidLength

    code = _TAX_NO_SEPARATORS.sub("", unicodedata.normalize("NFKC", typed)).upper()
    if not code:
        raise InvalidInvoice(field="tax_no", reason="tax_no_empty")
    try:
        valid: str = uscc.validate(code)
    except InvalidLength:
        raise InvalidInvoice(field="tax_no", reason="tax_no_length", length=USCC_LENGTH) from None
    except InvalidFormat:
        raise InvalidInvoice(field="tax_no", reason="tax_no_chars") from None
    except InvalidChecksum:
        raise InvalidInvoice(field="tax_no", reason="tax_no_checksum") from None
    return valid
