"""The address book (收货地址): where a shopper's parcels go.

An account keeps at most `MAX_ADDRESSES` addresses. While it has any, exactly one is
the default: the first one added becomes it, making another the default clears the
old one in the same transaction, and deleting the default passes it to the newest
remaining address. Every change is checked by `check_address` before the store is
touched, so a refused change leaves the book as it was; writes run in one
`BEGIN IMMEDIATE` transaction, so the limit and the single default hold with several
sessions at once. Another account's address is "not found", never "forbidden".
"""

from __future__ import annotations

import re
import sqlite3
import unicodedata
from dataclasses import dataclass, replace

from kstui.providers.clock import Clock
from kstui.services.accounts.errors import InvalidPhone
from kstui.services.accounts.identity import mask_phone, normalize_phone
from kstui.services.accounts.records import session_account
from kstui.services.errors import DomainError
from kstui.services.ordering.divisions import InvalidRegion, check_region, region_text
from kstui.store.db import Store, db_time
from kstui.text import has_control

MAX_ADDRESSES = 20
RECIPIENT_MAX = 20
DETAIL_MIN = 4
DETAIL_MAX = 120

_MIDDLE_DOTS = str.maketrans(dict.fromkeys("・•‧∙⋅", "·"))
"""Dots typed for the · between the parts of a name (阿卜杜拉·买买提)."""
_NAME_PUNCTUATION = frozenset("·.-' ")
"""Besides letters (汉字 included): the dot of minority and foreign names, and what
Latin names need (J. O'Neil-Smith)."""
_SPACES = re.compile(r"\s+")
_EDGES = " \t\r\n\u3000"
"""Whitespace trimmed from both ends before control characters are looked for."""
_NOT_TEXT = frozenset({"Cc", "Cf", "Cs", "Co", "Cn"})
"""Controls, format characters (BOM…), surrogates, private use, unassigned."""


class InvalidAddress(DomainError):
    """A field of an address that the shop refuses.

    `field` names the form field (`recipient`, `phone`, `province`, `city`,
    `district`, `detail`); `reason` picks the message (`error.address.<reason>`), and
    `min`/`max` fill it where it states a length.
    """

    key = "ordering.error.address"
    by_reason = True


class AddressNotFound(DomainError):
    """No address with this id in the account's address book."""

    key = "ordering.error.address_not_found"


class AddressBookFull(DomainError):
    """The account already keeps `limit` addresses."""

    key = "ordering.error.address_book_full"


@dataclass(frozen=True)
class AddressInput:
    """An address as typed into the form (see `check_address`)."""

    recipient: str
    phone: str
    province: str
    city: str
    district: str
    detail: str
    make_default: bool = False


@dataclass(frozen=True)
class Address:
    """An entry of the address book as the shop shows it."""

    id: int
    recipient: str
    phone: str
    province: str
    city: str
    district: str
    detail: str
    is_default: bool
    region: str
    """The region's names: "浙江省 杭州市 西湖区"."""

    @property
    def masked_phone(self) -> str:
        """`138****8000`, for lists."""
        return mask_phone(self.phone)

    @property
    def one_line(self) -> str:
        """Region and detail: "浙江省 杭州市 西湖区 文三路 90 号"."""
        return f"{self.region} {self.detail}"


def check_address(data: AddressInput) -> AddressInput:
    """The address normalised (NFKC, trimmed, runs of spaces as one, phone as 11
    digits), or the first field the shop refuses.

    Raises:
        InvalidAddress: `recipient_empty`, `recipient_too_long`, `recipient_characters`,
            `phone`, `province`, `city`, `district`, `detail_too_short`,
            `detail_too_long`, `detail_characters`.
    """
    recipient = _check_recipient(data.recipient)
    try:
        phone = normalize_phone(data.phone)
    except InvalidPhone:
        raise InvalidAddress(field="phone", reason="phone") from None
    province, city, district = (data.province.strip(), data.city.strip(), data.district.strip())
    try:
        check_region(province, city, district)
    except InvalidRegion as exc:
        field = exc.params["field"]
        raise InvalidAddress(field=field, reason=field) from None
    detail = _check_detail(data.detail)
    return replace(
        data,
        recipient=recipient,
        phone=phone,
        province=province,
        city=city,
        district=district,
        detail=detail,
    )


def _normalise(text: str) -> str:
    return _SPACES.sub(" ", unicodedata.normalize("NFKC", text)).strip()


def _check_recipient(text: str) -> str:
    if has_control(text.strip(_EDGES)):  # before spaces are collapsed: "\n" inside is one
        raise InvalidAddress(field="recipient", reason="recipient_characters")
    name = _normalise(text).translate(_MIDDLE_DOTS)
    if not name:
        raise InvalidAddress(field="recipient", reason="recipient_empty")
    if len(name) > RECIPIENT_MAX:
        raise InvalidAddress(field="recipient", reason="recipient_too_long", max=RECIPIENT_MAX)
    allowed = (
        all(unicodedata.category(ch)[0] in "LM" or ch in _NAME_PUNCTUATION for ch in name)
        and unicodedata.category(name[0])[0] == "L"
    )
    if not allowed:
        raise InvalidAddress(field="recipient", reason="recipient_characters")
    return name


def _check_detail(text: str) -> str:
    detail = _normalise(text)
    if has_control(text.strip(_EDGES)) or any(
        unicodedata.category(ch) in _NOT_TEXT for ch in detail
    ):
        raise InvalidAddress(field="detail", reason="detail_characters")
    if len(detail) < DETAIL_MIN:
        raise InvalidAddress(field="detail", reason="detail_too_short", min=DETAIL_MIN)
    if len(detail) > DETAIL_MAX:
        raise InvalidAddress(field="detail", reason="detail_too_long", max=DETAIL_MAX)
    return detail


_COLUMNS = "id, recipient, phone, province, city, district, detail, is_default"
_ORDER = "ORDER BY is_default DESC, created_at DESC, id DESC"
"""The default first, then the newest."""


def _address(row: tuple[int, str, str, str, str, str, str, int]) -> Address:
    aid, recipient, phone, province, city, district, detail, is_default = row
    return Address(
        id=aid,
        recipient=recipient,
        phone=phone,
        province=province,
        city=city,
        district=district,
        detail=detail,
        is_default=bool(is_default),
        region=region_text(province, city, district),
    )


def address_of(conn: sqlite3.Connection, account_id: int, address_id: int) -> Address:
    """One of the account's addresses.

    Raises:
        AddressNotFound: no such address in this account's book.
    """
    row = conn.execute(
        f"SELECT {_COLUMNS} FROM address WHERE id = ? AND account_id = ?",
        (address_id, account_id),
    ).fetchone()
    if row is None:
        raise AddressNotFound(id=address_id)
    return _address(row)


def _make_default(conn: sqlite3.Connection, account_id: int, address_id: int) -> None:
    conn.execute(
        "UPDATE address SET is_default = (id = ?) WHERE account_id = ? AND is_default != (id = ?)",
        (address_id, account_id, address_id),
    )


def default_address(conn: sqlite3.Connection, account_id: int) -> Address | None:
    """The account's default address (what checkout starts with), if it has any."""
    row = conn.execute(
        f"SELECT {_COLUMNS} FROM address WHERE account_id = ? {_ORDER} LIMIT 1",
        (account_id,),
    ).fetchone()
    return None if row is None else _address(row)


def list_addresses(store: Store, token: str, *, clock: Clock) -> list[Address]:
    """The logged-in account's addresses: the default first, then the newest.

    Raises:
        NotLoggedIn.
    """
    with store.reading() as conn:
        account_id = session_account(conn, token, clock=clock)
        rows = conn.execute(
            f"SELECT {_COLUMNS} FROM address WHERE account_id = ? {_ORDER}", (account_id,)
        ).fetchall()
    return [_address(row) for row in rows]


def get_address(store: Store, token: str, address_id: int, *, clock: Clock) -> Address:
    """One address of the logged-in account.

    Raises:
        AddressNotFound, NotLoggedIn.
    """
    with store.reading() as conn:
        account_id = session_account(conn, token, clock=clock)
        return address_of(conn, account_id, address_id)


def add_address(store: Store, token: str, data: AddressInput, *, clock: Clock) -> Address:
    """Add an address; it becomes the default if asked or if it is the first.

    Raises:
        InvalidAddress, AddressBookFull, NotLoggedIn.
    """
    data = check_address(data)
    now = db_time(clock.now())
    with store.writing() as conn:
        account_id = session_account(conn, token, clock=clock)
        (count,) = conn.execute(
            "SELECT COUNT(*) FROM address WHERE account_id = ?", (account_id,)
        ).fetchone()
        if count >= MAX_ADDRESSES:
            raise AddressBookFull(limit=MAX_ADDRESSES)
        cursor = conn.execute(
            "INSERT INTO address (account_id, recipient, phone, province, city, district,"
            " detail, is_default, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?, ?)",
            (account_id, data.recipient, data.phone, data.province, data.city, data.district,
             data.detail, now, now),
        )  # fmt: skip
        assert cursor.lastrowid is not None
        if data.make_default or count == 0:
            _make_default(conn, account_id, cursor.lastrowid)
        return address_of(conn, account_id, cursor.lastrowid)


def update_address(
    store: Store, token: str, address_id: int, data: AddressInput, *, clock: Clock
) -> Address:
    """Change an address; with `make_default` it becomes the default.

    The default stays the default without `make_default`: the book never lacks one
    (choose another address as the default instead).

    Raises:
        InvalidAddress, AddressNotFound, NotLoggedIn.
    """
    data = check_address(data)
    with store.writing() as conn:
        account_id = session_account(conn, token, clock=clock)
        address_of(conn, account_id, address_id)
        conn.execute(
            "UPDATE address SET recipient = ?, phone = ?, province = ?, city = ?, district = ?,"
            " detail = ?, updated_at = ? WHERE id = ?",
            (data.recipient, data.phone, data.province, data.city, data.district, data.detail,
             db_time(clock.now()), address_id),
        )  # fmt: skip
        if data.make_default:
            _make_default(conn, account_id, address_id)
        return address_of(conn, account_id, address_id)


def delete_address(store: Store, token: str, address_id: int, *, clock: Clock) -> None:
    """Delete an address; if it was the default, the newest remaining one becomes it.

    Raises:
        AddressNotFound, NotLoggedIn.
    """
    with store.writing() as conn:
        account_id = session_account(conn, token, clock=clock)
        gone = address_of(conn, account_id, address_id)
        conn.execute("DELETE FROM address WHERE id = ?", (address_id,))
        if gone.is_default:
            newest = conn.execute(
                "SELECT id FROM address WHERE account_id = ?"
                " ORDER BY created_at DESC, id DESC LIMIT 1",
                (account_id,),
            ).fetchone()
            if newest is not None:
                _make_default(conn, account_id, newest[0])


def set_default(store: Store, token: str, address_id: int, *, clock: Clock) -> Address:
    """Make an address the default (the others stop being it).

    Raises:
        AddressNotFound, NotLoggedIn.
    """
    with store.writing() as conn:
        account_id = session_account(conn, token, clock=clock)
        address_of(conn, account_id, address_id)
        _make_default(conn, account_id, address_id)
        return address_of(conn, account_id, address_id)
