"""`kstui.services.ordering.addresses`: the address book, its validation and its default."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kstui.i18n import Translator
from kstui.providers.clock import FrozenClock
from kstui.services.accounts.auth import logout
from kstui.services.accounts.errors import NotLoggedIn
from kstui.services.accounts.records import account_with_phone
from kstui.services.ordering.addresses import (
    DETAIL_MAX,
    DETAIL_MIN,
    MAX_ADDRESSES,
    RECIPIENT_MAX,
    Address,
    AddressBookFull,
    AddressInput,
    AddressNotFound,
    InvalidAddress,
    add_address,
    check_address,
    default_address,
    delete_address,
    get_address,
    list_addresses,
    set_default,
    update_address,
)
from kstui.store.interface import Store
from tests.conftest import ADULT, MINOR
from tests.unit.ordering_helpers import HOME

OFFICE = AddressInput(
    recipient="李四",
    phone="13912345678",
    province="11",
    city="1101",
    district="110105",
    detail="建国路 88 号 SOHO 现代城 A 座",
)


def rows(store: Store) -> list[tuple[Any, ...]]:
    """Every address row, to see that a refused change changed nothing."""
    with store.reading() as tx:
        return tx.fetch_all("SELECT * FROM address ORDER BY id")


def defaults(book: list[Address]) -> list[int]:
    return [a.id for a in book if a.is_default]


# --------------------------------------------------------------------------- validation


def test_check_address_normalises() -> None:
    typed = AddressInput(
        recipient="  阿卜杜拉•买买提\u3000",
        phone="+86 138-0013-8000",
        province=" 33",
        city="3301 ",
        district="330106",
        detail="  文三路　９０号   ３幢\t",
        make_default=True,
    )
    assert check_address(typed) == AddressInput(
        recipient="阿卜杜拉·买买提",
        phone="13800138000",
        province="33",
        city="3301",
        district="330106",
        detail="文三路 90号 3幢",
        make_default=True,
    )


@pytest.mark.parametrize(
    "name",
    ["张", "欧阳娜娜", "阿卜杜拉·买买提", "J. O'Neil-Smith", "Zoë Müller", "𠀀三", "张" * 20],
)
def test_recipient_names_accepted(name: str) -> None:
    assert check_address(replace(HOME, recipient=name)).recipient == name


@pytest.mark.parametrize("district", ["", " "])
def test_a_city_without_districts_takes_none(district: str) -> None:
    data = replace(HOME, province="44", city="4419", district=district, detail="东城街道 1 号")
    assert check_address(data).district == ""


INVALID: list[tuple[dict[str, Any], str, str]] = [
    ({"recipient": ""}, "recipient", "recipient_empty"),
    ({"recipient": "   \u3000 "}, "recipient", "recipient_empty"),
    ({"recipient": "张" * (RECIPIENT_MAX + 1)}, "recipient", "recipient_too_long"),
    ({"recipient": "张" * 10_000}, "recipient", "recipient_too_long"),
    ({"recipient": "张\x1b[31m三"}, "recipient", "recipient_characters"),
    ({"recipient": "张\n三"}, "recipient", "recipient_characters"),
    ({"recipient": "张\u200b三"}, "recipient", "recipient_characters"),
    ({"recipient": "张\u202e三"}, "recipient", "recipient_characters"),
    ({"recipient": "[b]x[/b]"}, "recipient", "recipient_characters"),
    ({"recipient": "张三1"}, "recipient", "recipient_characters"),
    ({"recipient": "张三😀"}, "recipient", "recipient_characters"),
    ({"recipient": "·张三"}, "recipient", "recipient_characters"),
    ({"phone": ""}, "phone", "phone"),
    ({"phone": "1380013800"}, "phone", "phone"),
    ({"phone": "138001380001"}, "phone", "phone"),
    ({"phone": "１３８００１３８０００"}, "phone", "phone"),
    ({"phone": "010-1234-5678"}, "phone", "phone"),
    ({"phone": "13800138000\x1b"}, "phone", "phone"),
    ({"province": ""}, "province", "province"),
    ({"province": "99", "city": "9901", "district": "990101"}, "province", "province"),
    ({"city": "3201", "district": "320102"}, "city", "city"),
    ({"city": ""}, "city", "city"),
    ({"district": ""}, "district", "district"),
    ({"district": "330206"}, "district", "district"),
    ({"detail": ""}, "detail", "detail_too_short"),
    ({"detail": "  12  "}, "detail", "detail_too_short"),
    ({"detail": "文" * (DETAIL_MAX + 1)}, "detail", "detail_too_long"),
    ({"detail": "文" * 10_000}, "detail", "detail_too_long"),
    ({"detail": "文三路\x0090号"}, "detail", "detail_characters"),
    ({"detail": "文三路\x1b[2J90号"}, "detail", "detail_characters"),
    ({"detail": "文三路\n90号"}, "detail", "detail_characters"),
    ({"detail": "文三路\u202e90号"}, "detail", "detail_characters"),
    ({"detail": "\ufeff文三路90号"}, "detail", "detail_characters"),
    ({"detail": "文三路\ue000 90号"}, "detail", "detail_characters"),
]


@pytest.mark.parametrize(("change", "field", "reason"), INVALID)
def test_check_address_refuses(change: dict[str, Any], field: str, reason: str) -> None:
    with pytest.raises(InvalidAddress) as caught:
        check_address(replace(HOME, **change))
    assert caught.value.params["field"] == field
    assert caught.value.params["reason"] == reason
    key = caught.value.message_key
    assert key == f"ordering.error.address.{reason}"
    for lang in ("zh", "en"):
        text = Translator(lang)(key, **caught.value.params)
        assert text != key
        assert "{" not in text


def test_too_long_says_the_limit() -> None:
    with pytest.raises(InvalidAddress) as caught:
        check_address(replace(HOME, detail="文" * 10_000))
    params = caught.value.params
    assert Translator("zh")(caught.value.message_key, **params) == "详细地址最多 120 个字"


@pytest.mark.parametrize("change", [change for change, _, _ in INVALID])
def test_a_refused_address_changes_nothing(
    store: Store, shopper: str, clock: FrozenClock, change: dict[str, Any]
) -> None:
    kept = add_address(store, shopper, HOME, clock=clock)
    before = rows(store)
    with pytest.raises(InvalidAddress):
        add_address(store, shopper, replace(OFFICE, **change), clock=clock)
    with pytest.raises(InvalidAddress):
        update_address(store, shopper, kept.id, replace(OFFICE, make_default=True, **change),
                       clock=clock)  # fmt: skip
    assert rows(store) == before


def test_markup_looking_detail_is_kept_as_plain_text(
    store: Store, shopper: str, clock: FrozenClock
) -> None:
    detail = "[b]文三路[/b] 90 号 [@click=app.quit]门卫[/]"
    added = add_address(store, shopper, replace(HOME, detail=detail), clock=clock)
    assert added.detail == detail
    assert get_address(store, shopper, added.id, clock=clock).detail == detail
    assert list_addresses(store, shopper, clock=clock)[0].detail == detail


# Names out of letters (汉字 included) that NFKC leaves as they are, as a shopper types them.
names = st.text(
    st.characters(categories=["Lo", "Lu", "Ll"]), min_size=1, max_size=RECIPIENT_MAX
).filter(lambda s: unicodedata.normalize("NFKC", s) == s)
phones = st.one_of(
    st.sampled_from(["13800138000", "+86 139-1234-5678", "0086 13800138000", "１３８"]),
    st.text(max_size=16),
)
# Text that a shopper can type: no controls, no separators but the space.
typed = st.characters(codec="utf-8", exclude_categories=["Cc", "Cf", "Cs", "Co", "Cn", "Z"])


@given(names)
def test_names_of_letters_are_accepted(name: str) -> None:
    assert check_address(replace(HOME, recipient=name)).recipient == name


@given(st.one_of(names, st.text(max_size=40)), st.text(max_size=200), phones)
def test_check_address_accepts_only_clean_fields(recipient: str, detail: str, phone: str) -> None:
    data = AddressInput(recipient, phone, "33", "3301", "330106", detail)
    try:
        checked = check_address(data)
    except InvalidAddress as exc:
        refused: object = exc.params["field"]
    else:
        refused = None
    if refused is not None:
        assert refused in {"recipient", "phone", "detail"}
        return
    assert 1 <= len(checked.recipient) <= RECIPIENT_MAX
    assert 4 <= len(checked.detail) <= DETAIL_MAX
    assert checked.phone.isascii()
    assert checked.phone.isdigit()
    assert len(checked.phone) == 11
    for text in (checked.recipient, checked.detail):
        assert text == text.strip()
        assert "  " not in text
        assert all(ch.isprintable() for ch in text), text
    assert check_address(checked) == checked


@given(st.text(typed | st.just(" "), max_size=DETAIL_MAX + 20))
def test_typed_details_are_kept_whole_or_refused_for_their_length(detail: str) -> None:
    expected = " ".join(unicodedata.normalize("NFKC", detail).split())
    if DETAIL_MIN <= len(expected) <= DETAIL_MAX:
        assert check_address(replace(HOME, detail=detail)).detail == expected
        return
    reason = "detail_too_short" if len(expected) < DETAIL_MIN else "detail_too_long"
    with pytest.raises(InvalidAddress) as caught:
        check_address(replace(HOME, detail=detail))
    assert caught.value.params["reason"] == reason


# --------------------------------------------------------------------------- the book


def test_an_empty_book(store: Store, shopper: str, clock: FrozenClock) -> None:
    assert list_addresses(store, shopper, clock=clock) == []
    with store.reading() as tx:
        account = account_with_phone(tx, ADULT)
        assert account is not None
        assert default_address(tx, account) is None


def test_the_first_address_becomes_the_default(
    store: Store, shopper: str, clock: FrozenClock
) -> None:
    first = add_address(store, shopper, HOME, clock=clock)
    assert first.is_default
    assert first.region == "浙江省 杭州市 西湖区"
    assert first.masked_phone == "138****8000"
    assert first.one_line == "浙江省 杭州市 西湖区 文三路 90 号 3 幢 201"
    second = add_address(store, shopper, OFFICE, clock=clock)
    assert not second.is_default
    assert second.region == "北京市 朝阳区"
    book = list_addresses(store, shopper, clock=clock)
    assert [a.id for a in book] == [first.id, second.id]
    assert book[0] == first
    with store.reading() as tx:
        account = account_with_phone(tx, ADULT)
        assert account is not None
        assert default_address(tx, account) == first


def test_default_first_then_newest(store: Store, shopper: str, clock: FrozenClock) -> None:
    ids = []
    for n in range(4):
        ids.append(add_address(store, shopper, replace(HOME, detail=f"文三路 {n} 号"),
                               clock=clock).id)  # fmt: skip
        clock.advance(timedelta(minutes=1))
    assert [a.id for a in list_addresses(store, shopper, clock=clock)] == [
        ids[0], ids[3], ids[2], ids[1]
    ]  # fmt: skip
    set_default(store, shopper, ids[1], clock=clock)
    assert [a.id for a in list_addresses(store, shopper, clock=clock)] == [
        ids[1], ids[3], ids[2], ids[0]
    ]  # fmt: skip


def test_make_default_clears_the_others(store: Store, shopper: str, clock: FrozenClock) -> None:
    first = add_address(store, shopper, HOME, clock=clock)
    second = add_address(store, shopper, replace(OFFICE, make_default=True), clock=clock)
    assert second.is_default
    book = list_addresses(store, shopper, clock=clock)
    assert defaults(book) == [second.id]
    assert not get_address(store, shopper, first.id, clock=clock).is_default
    again = set_default(store, shopper, first.id, clock=clock)
    assert again.is_default
    assert defaults(list_addresses(store, shopper, clock=clock)) == [first.id]
    assert set_default(store, shopper, first.id, clock=clock) == again  # twice is once


def test_update(store: Store, shopper: str, clock: FrozenClock) -> None:
    first = add_address(store, shopper, HOME, clock=clock)
    second = add_address(store, shopper, OFFICE, clock=clock)
    changed = update_address(
        store, shopper, second.id, replace(OFFICE, recipient="王五", detail="望京街 10 号"),
        clock=clock,
    )  # fmt: skip
    assert (changed.recipient, changed.detail, changed.is_default) == (
        "王五",
        "望京街 10 号",
        False,
    )
    assert get_address(store, shopper, second.id, clock=clock) == changed
    # The default stays the default when the form does not ask for it…
    kept = update_address(store, shopper, first.id, replace(HOME, detail="文一路 1 号"),
                          clock=clock)  # fmt: skip
    assert kept.is_default
    # …and moves when it does.
    update_address(store, shopper, second.id, replace(OFFICE, make_default=True), clock=clock)
    assert defaults(list_addresses(store, shopper, clock=clock)) == [second.id]


def test_deleting_the_default_passes_it_to_the_newest(
    store: Store, shopper: str, clock: FrozenClock
) -> None:
    ids = []
    for n in range(3):
        ids.append(add_address(store, shopper, replace(HOME, detail=f"文三路 {n} 号"),
                               clock=clock).id)  # fmt: skip
        clock.advance(timedelta(minutes=1))
    delete_address(store, shopper, ids[1], clock=clock)  # not the default: nothing moves
    assert defaults(list_addresses(store, shopper, clock=clock)) == [ids[0]]
    delete_address(store, shopper, ids[0], clock=clock)
    assert defaults(list_addresses(store, shopper, clock=clock)) == [ids[2]]
    delete_address(store, shopper, ids[2], clock=clock)
    assert list_addresses(store, shopper, clock=clock) == []
    with pytest.raises(AddressNotFound):
        delete_address(store, shopper, ids[2], clock=clock)


def test_at_most_twenty(store: Store, shopper: str, clock: FrozenClock,
                        token_for: Callable[[str], str]) -> None:  # fmt: skip
    for n in range(MAX_ADDRESSES):
        add_address(store, shopper, replace(HOME, detail=f"文三路 {n} 号"), clock=clock)
    before = rows(store)
    with pytest.raises(AddressBookFull) as caught:
        add_address(store, shopper, replace(OFFICE, make_default=True), clock=clock)
    assert caught.value.params == {"limit": 20}
    assert Translator("en")(caught.value.message_key, **caught.value.params) == (
        "The address book is full (20 addresses): delete one first"
    )
    assert rows(store) == before
    # The limit is per account; and a deleted address makes room again.
    add_address(store, token_for(MINOR), OFFICE, clock=clock)
    delete_address(store, shopper, before[-1][0], clock=clock)
    add_address(store, shopper, OFFICE, clock=clock)
    assert len(list_addresses(store, shopper, clock=clock)) == MAX_ADDRESSES


def test_another_accounts_address_is_not_found(
    store: Store, shopper: str, clock: FrozenClock, token_for: Callable[[str], str]
) -> None:
    mine = add_address(store, shopper, HOME, clock=clock)
    other = token_for(MINOR)
    before = rows(store)
    with pytest.raises(AddressNotFound):
        get_address(store, other, mine.id, clock=clock)
    with pytest.raises(AddressNotFound):
        update_address(store, other, mine.id, OFFICE, clock=clock)
    with pytest.raises(AddressNotFound):
        set_default(store, other, mine.id, clock=clock)
    with pytest.raises(AddressNotFound):
        delete_address(store, other, mine.id, clock=clock)
    with pytest.raises(AddressNotFound):
        get_address(store, shopper, mine.id + 1000, clock=clock)
    assert rows(store) == before
    assert list_addresses(store, other, clock=clock) == []
    theirs = add_address(store, other, OFFICE, clock=clock)
    assert theirs.is_default  # their first, whatever the others have
    assert defaults(list_addresses(store, shopper, clock=clock)) == [mine.id]


def test_logged_out(store: Store, shopper: str, clock: FrozenClock) -> None:
    mine = add_address(store, shopper, HOME, clock=clock)
    logout(store, shopper, clock=clock)
    before = rows(store)
    calls: list[Callable[[], object]] = [
        lambda: list_addresses(store, shopper, clock=clock),
        lambda: get_address(store, shopper, mine.id, clock=clock),
        lambda: add_address(store, shopper, OFFICE, clock=clock),
        lambda: update_address(store, shopper, mine.id, OFFICE, clock=clock),
        lambda: set_default(store, shopper, mine.id, clock=clock),
        lambda: delete_address(store, shopper, mine.id, clock=clock),
        lambda: list_addresses(store, "not-a-token", clock=clock),
    ]
    for call in calls:
        with pytest.raises(NotLoggedIn):
            call()
    assert rows(store) == before


def test_invalid_input_is_refused_before_the_session_is_looked_at(
    store: Store, clock: FrozenClock
) -> None:
    with pytest.raises(InvalidAddress):
        add_address(store, "not-a-token", replace(HOME, phone="123"), clock=clock)


# --------------------------------------------------------------------------- invariants

operations = st.lists(
    st.tuples(st.sampled_from(["add", "add_default", "delete", "set_default", "update"]),
              st.integers(0, 30)),
    max_size=30,
)  # fmt: skip


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(operations)
def test_exactly_one_default_whatever_happens(
    store: Store, shopper: str, clock: FrozenClock, steps: list[tuple[str, int]]
) -> None:
    with store.writing() as tx:  # each example starts from an empty book
        tx.execute("DELETE FROM address")
    for op, n in steps:
        book = list_addresses(store, shopper, clock=clock)
        ids = [a.id for a in book]
        target = ids[n % len(ids)] if ids else 0
        data = replace(HOME, detail=f"文三路 {n} 号")
        try:
            if op.startswith("add"):
                add_address(store, shopper, replace(data, make_default=op == "add_default"),
                            clock=clock)  # fmt: skip
            elif op == "delete":
                delete_address(store, shopper, target, clock=clock)
            elif op == "set_default":
                set_default(store, shopper, target, clock=clock)
            else:
                update_address(store, shopper, target, data, clock=clock)
        except AddressNotFound:
            assert not ids
        except AddressBookFull:
            assert len(ids) == MAX_ADDRESSES
        clock.advance(timedelta(seconds=1))
        book = list_addresses(store, shopper, clock=clock)
        assert len(book) <= MAX_ADDRESSES
        if book:
            assert defaults(book) == [book[0].id]
        if op == "set_default" and target:
            assert book[0].id == target


def test_default_address_reads_inside_a_transaction(
    store: Store, shopper: str, clock: FrozenClock
) -> None:
    add_address(store, shopper, HOME, clock=clock)
    chosen = add_address(store, shopper, replace(OFFICE, make_default=True), clock=clock)
    with store.writing() as tx:
        account = account_with_phone(tx, ADULT)
        assert account is not None
        assert default_address(tx, account) == chosen
