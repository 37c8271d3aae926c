"""The address book (收货地址): where a shopper's parcels go.

An account keeps at most `MAX_ADDRESSES` addresses. While it has any, exactly one is
the default: the first one added becomes it, making another the default clears the
old one in the same transaction, and deleting the default passes it to the newest
remaining address. Every change is checked by `check_address` before the store is
touched, so a refused change leaves the book as it was. Another account's address is
"not found", never "forbidden".

The limit and the single default hold with several sessions (and processes) at once,
also on PostgreSQL, where write transactions run side by side:

- the default moves by a compare-and-set: the current default is cleared by a
  conditional update (`… WHERE id = :current AND is_default`), so of two transactions
  moving it at once the second waits for the first, finds the row no longer the
  default and looks again;
- an addition first takes the account row's lock (a no-op update), so additions to one
  book count it one after the other: the limit holds, and of two first addresses only
  one becomes the default.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from kstui.providers.clock import Clock
from kstui.services.accounts.errors import InvalidPhone
from kstui.services.accounts.identity import mask_phone, normalize_phone
from kstui.services.accounts.records import lock_account, session_account
from kstui.services.errors import DomainError
from kstui.services.ids import storable
from kstui.services.ordering.divisions import InvalidRegion, check_region, region_text
from kstui.store.interface import Store, Transaction
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


def _address(row: Sequence[Any]) -> Address:
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


def address_of(tx: Transaction, account_id: int, address_id: int) -> Address:
    """One of the account's addresses.

    Raises:
        AddressNotFound: no such address in this account's book.
    """
    if not storable(address_id):
        raise AddressNotFound(id=address_id)
    row = tx.fetch_one(
        f"SELECT {_COLUMNS} FROM address WHERE id = :id AND account_id = :account",
        id=address_id,
        account=account_id,
    )
    if row is None:
        raise AddressNotFound(id=address_id)
    return _address(row)


def _make_default(tx: Transaction, account_id: int, address_id: int) -> bool:
    """Make an address the account's default and the old default not; False if the
    address is not in the book (any more): the caller then raises, rolling back the
    old default's change.

    A compare-and-set: the current default is cleared only if it still is the default
    (on PostgreSQL the update waits for a transaction moving it at the same moment, then
    finds it cleared and the current default is looked up again).
    """
    while True:
        current = tx.fetch_value(
            "SELECT id FROM address WHERE account_id = :account AND is_default ORDER BY id LIMIT 1",
            account=account_id,
        )
        if current == address_id:
            return True
        if current is not None and not tx.execute(
            "UPDATE address SET is_default = FALSE WHERE id = :id AND is_default", id=current
        ):
            continue  # moved meanwhile by another session
        return bool(
            tx.execute(
                "UPDATE address SET is_default = TRUE WHERE id = :id AND account_id = :account",
                id=address_id,
                account=account_id,
            )
        )


def default_address(tx: Transaction, account_id: int) -> Address | None:
    """The account's default address (what checkout starts with), if it has any."""
    row = tx.fetch_one(
        f"SELECT {_COLUMNS} FROM address WHERE account_id = :account {_ORDER} LIMIT 1",
        account=account_id,
    )
    return None if row is None else _address(row)


def list_addresses(store: Store, token: str, *, clock: Clock) -> list[Address]:
    """The logged-in account's addresses: the default first, then the newest.

    Raises:
        NotLoggedIn.
    """
    with store.reading() as tx:
        account_id = session_account(tx, token, clock=clock)
        rows = tx.fetch_all(
            f"SELECT {_COLUMNS} FROM address WHERE account_id = :account {_ORDER}",
            account=account_id,
        )
    return [_address(row) for row in rows]


def get_address(store: Store, token: str, address_id: int, *, clock: Clock) -> Address:
    """One address of the logged-in account.

    Raises:
        AddressNotFound, NotLoggedIn.
    """
    with store.reading() as tx:
        account_id = session_account(tx, token, clock=clock)
        return address_of(tx, account_id, address_id)


def add_address(store: Store, token: str, data: AddressInput, *, clock: Clock) -> Address:
    """Add an address; it becomes the default if asked or if it is the first.

    Raises:
        InvalidAddress, AddressBookFull, NotLoggedIn.
    """
    data = check_address(data)
    now = clock.now()
    with store.writing() as tx:
        account_id = session_account(tx, token, clock=clock)
        lock_account(tx, account_id)  # another addition to this book waits to count it
        count = tx.fetch_value(
            "SELECT COUNT(*) FROM address WHERE account_id = :account", account=account_id
        )
        if count >= MAX_ADDRESSES:
            raise AddressBookFull(limit=MAX_ADDRESSES)
        address_id = tx.insert(
            "INSERT INTO address (account_id, recipient, phone, province, city, district,"
            " detail, is_default, created_at, updated_at) VALUES (:account, :recipient, :phone,"
            " :province, :city, :district, :detail, FALSE, :now, :now)",
            account=account_id,
            recipient=data.recipient,
            phone=data.phone,
            province=data.province,
            city=data.city,
            district=data.district,
            detail=data.detail,
            now=now,
        )
        if data.make_default or count == 0:
            _make_default(tx, account_id, address_id)
        return address_of(tx, account_id, address_id)


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
    with store.writing() as tx:
        account_id = session_account(tx, token, clock=clock)
        if not storable(address_id):
            raise AddressNotFound(id=address_id)
        # The default first: every move of the default locks the old default before the
        # new one, so two sessions moving it wait for each other instead of deadlocking.
        if data.make_default and not _make_default(tx, account_id, address_id):
            raise AddressNotFound(id=address_id)
        changed = tx.execute(
            "UPDATE address SET recipient = :recipient, phone = :phone, province = :province,"
            " city = :city, district = :district, detail = :detail, updated_at = :now"
            " WHERE id = :id AND account_id = :account",
            recipient=data.recipient,
            phone=data.phone,
            province=data.province,
            city=data.city,
            district=data.district,
            detail=data.detail,
            now=clock.now(),
            id=address_id,
            account=account_id,
        )
        if not changed:
            raise AddressNotFound(id=address_id)
        return address_of(tx, account_id, address_id)


def delete_address(store: Store, token: str, address_id: int, *, clock: Clock) -> None:
    """Delete an address; if it was the default, the newest remaining one becomes it.

    Raises:
        AddressNotFound, NotLoggedIn.
    """
    with store.writing() as tx:
        account_id = session_account(tx, token, clock=clock)
        if not storable(address_id):
            raise AddressNotFound(id=address_id)
        gone = tx.fetch_one(
            "DELETE FROM address WHERE id = :id AND account_id = :account RETURNING is_default",
            id=address_id,
            account=account_id,
        )
        if gone is None:
            raise AddressNotFound(id=address_id)
        if not gone[0]:
            return
        while True:  # the newest that is still there (another session may delete it)
            newest = tx.fetch_value(
                "SELECT id FROM address WHERE account_id = :account"
                " ORDER BY created_at DESC, id DESC LIMIT 1",
                account=account_id,
            )
            if newest is None or _make_default(tx, account_id, newest):
                return


def set_default(store: Store, token: str, address_id: int, *, clock: Clock) -> Address:
    """Make an address the default (the others stop being it).

    Raises:
        AddressNotFound, NotLoggedIn.
    """
    with store.writing() as tx:
        account_id = session_account(tx, token, clock=clock)
        if not storable(address_id) or not _make_default(tx, account_id, address_id):
            raise AddressNotFound(id=address_id)
        return address_of(tx, account_id, address_id)
