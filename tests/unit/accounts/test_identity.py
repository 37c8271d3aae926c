"""`kstui.services.accounts.identity`: phones, passwords, payment passwords, names, ID numbers."""

from __future__ import annotations

import string
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum.cn import ric

from kstui.services.accounts.errors import (
    InvalidIdNumber,
    InvalidName,
    InvalidPhone,
    PasswordsDiffer,
    TrivialPaymentPassword,
    WeakPassword,
)
from kstui.services.accounts.identity import (
    MAX_PASSWORD,
    MIN_PASSWORD,
    ResidentId,
    Strength,
    age_on,
    check_id_number,
    check_new_password,
    check_payment_password,
    check_real_name,
    is_minor,
    mask_phone,
    normalize_phone,
    password_strength,
)

TODAY = date(2026, 11, 22)
LIN_ID = "110101199003074573"
"""林小满's ID number in the test seed: born 1990-03-07."""
LIN_BIRTH = date(1990, 3, 7)


def with_check_digit(first17: str) -> str:
    """An 18-digit number with the right check digit for its 17 first digits."""
    assert len(first17) == 17
    # This python-stdnum wants the number with a (placeholder) check digit.
    return first17 + ric.calc_check_digit(first17 + "0")


# -- phone numbers ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    [
        "13800138000",
        "+86 138 0013 8000",
        "0086-138-0013-8000",
        "138-0013-8000",
        "  13800138000 ",
        "+8613800138000",
    ],
)
def test_normalize_phone_accepts_mainland_mobile_forms(typed: str) -> None:
    assert normalize_phone(typed) == "13800138000"


@pytest.mark.parametrize(
    "typed",
    [
        "1380013800",  # 10 digits
        "138001380001",  # 12 digits
        "１３８００１３８０００",  # full-width digits
        "010 12345678",  # Beijing landline
        "02112345678",  # Shanghai landline
        "14412345678",  # IoT (data only)
        "14812345678",  # IoT
        "1064812345678",  # 13-digit IoT
        "1380013800a",
        "abcdefghijk",
        "",
        "   ",
        "+1 415 555 0100",
        "+86 +86 13800138000",
    ],
)
def test_normalize_phone_rejects_everything_else(typed: str) -> None:
    with pytest.raises(InvalidPhone) as caught:
        normalize_phone(typed)
    assert caught.value.message_key == "accounts.error.invalid_phone"


@pytest.mark.parametrize("typed", ["013800138000", "8613800138000"])
def test_normalize_phone_rejects_trunk_zero_and_bare_country_code(typed: str) -> None:
    with pytest.raises(InvalidPhone):
        normalize_phone(typed)


MOBILE_PREFIXES = [*(f"13{d}" for d in range(10)), "150", "151", "152", "153", "155", "156"]
MOBILE_PREFIXES += ["157", "158", "159", "166", *(f"18{d}" for d in range(10)), "198", "199"]


@st.composite
def typed_mobiles(draw: st.DrawFn) -> tuple[str, str]:
    """A mobile number and a way a person could type it (+86/0086, spaces, dashes)."""
    number = draw(st.sampled_from(MOBILE_PREFIXES)) + draw(
        st.text(string.digits, min_size=8, max_size=8)
    )
    separators = st.sampled_from(["", "", " ", "-", "  ", " - "])
    typed = "".join(digit + draw(separators) for digit in number[:-1]) + number[-1]
    prefix = draw(st.sampled_from(["", "+86", "0086"]))
    if prefix:
        typed = prefix + draw(st.sampled_from(["", " ", "-"])) + typed
    padding = st.sampled_from(["", " ", "  "])
    return number, draw(padding) + typed + draw(padding)


@given(typed_mobiles())
def test_normalize_phone_round_trip(case: tuple[str, str]) -> None:
    number, typed = case
    assert normalize_phone(typed) == number
    assert normalize_phone(number) == number


def test_mask_phone() -> None:
    assert mask_phone("13800138000") == "138****8000"


# -- login passwords --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("password", "strength"),
    [
        ("", Strength.TOO_WEAK),
        ("abc123", Strength.TOO_WEAK),  # too short
        ("abcdefgh", Strength.TOO_WEAK),  # no digit
        ("12345678", Strength.TOO_WEAK),  # no letter
        ("密码密码密码12", Strength.TOO_WEAK),  # Chinese characters are not ASCII letters
        ("abcd1234", Strength.WEAK),
        ("abcde12345", Strength.MEDIUM),  # 10 long
        ("Abcd1234", Strength.MEDIUM),  # three kinds
        ("Abcdef123456", Strength.STRONG),
        ("abc!def@123#", Strength.STRONG),
    ],
)
def test_password_strength_meter(password: str, strength: Strength) -> None:
    assert password_strength(password) is strength


def test_check_new_password_rules() -> None:
    check_new_password("Kstui2026", "Kstui2026")
    check_new_password("a" * 63 + "1", "a" * 63 + "1")
    for weak in ("Kstui20", "a" * 64 + "1", "kstuikstui", "2026202620", "密码密码密码密码1"):
        with pytest.raises(WeakPassword) as caught:
            check_new_password(weak, weak)
        assert caught.value.params == {"min": MIN_PASSWORD, "max": MAX_PASSWORD}
    with pytest.raises(PasswordsDiffer):
        check_new_password("Kstui2026", "Kstui2027")


ASCII_LETTERS = st.sampled_from(string.ascii_letters)
ASCII_DIGITS = st.sampled_from(string.digits)


@st.composite
def passwords_with_letter_and_digit(draw: st.DrawFn, min_size: int, max_size: int) -> str:
    size = draw(st.integers(min_size, max_size))
    filler = draw(st.text(min_size=size - 2, max_size=size - 2))
    chars = [*filler, draw(ASCII_LETTERS), draw(ASCII_DIGITS)]
    return "".join(draw(st.permutations(chars)))


@given(passwords_with_letter_and_digit(MIN_PASSWORD, MAX_PASSWORD))
def test_any_8_to_64_chars_with_letter_and_digit_pass(password: str) -> None:
    check_new_password(password, password)
    assert password_strength(password) is not Strength.TOO_WEAK


@given(
    st.one_of(
        passwords_with_letter_and_digit(2, MIN_PASSWORD - 1),
        passwords_with_letter_and_digit(MAX_PASSWORD + 1, MAX_PASSWORD + 40),
    )
)
def test_too_short_or_too_long_passwords_fail(password: str) -> None:
    with pytest.raises(WeakPassword):
        check_new_password(password, password)


NO_ASCII_LETTER = st.characters(exclude_characters=string.ascii_letters)
NO_DIGIT = st.characters().filter(lambda c: not c.isdigit())


@given(
    st.one_of(
        st.text(NO_ASCII_LETTER, min_size=MIN_PASSWORD, max_size=MAX_PASSWORD),
        st.text(NO_DIGIT, min_size=MIN_PASSWORD, max_size=MAX_PASSWORD),
    )
)
def test_passwords_without_letter_or_digit_fail(password: str) -> None:
    with pytest.raises(WeakPassword):
        check_new_password(password, password)
    assert password_strength(password) is Strength.TOO_WEAK


@pytest.mark.parametrize("password", ["abcdefg²", "abcdefg①", "password１"])
def test_only_ascii_digits_count_as_the_digit(password: str) -> None:
    with pytest.raises(WeakPassword):
        check_new_password(password, password)


# -- payment passwords ------------------------------------------------------------------------


def check_payment(password: str) -> None:
    check_payment_password(password, password, birth_date=LIN_BIRTH, id_number=LIN_ID)


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("123456", "pattern"),
        ("654321", "pattern"),
        ("111111", "pattern"),
        ("000000", "pattern"),
        ("345678", "pattern"),
        ("12345a", "shape"),
        ("abcdef", "shape"),
        ("12345", "shape"),
        ("1234567", "shape"),
        ("１３５７９０", "shape"),  # full-width digits
        (" 13579", "shape"),
        ("900307", "personal"),  # yymmdd of 1990-03-07
        ("030790", "personal"),  # mmddyy
        ("070390", "personal"),  # ddmmyy
        ("074573", "personal"),  # the ID number's last six
    ],
)
def test_trivial_payment_passwords_are_refused(password: str, reason: str) -> None:
    with pytest.raises(TrivialPaymentPassword) as caught:
        check_payment(password)
    assert caught.value.params == {"reason": reason}
    assert caught.value.message_key == f"accounts.error.trivial_payment_password.{reason}"


def test_good_payment_password_passes_and_confirmation_must_match() -> None:
    check_payment("135790")
    check_payment("890123")  # wraps around: not a run
    # Without a verified identity, the birthday is just six digits.
    check_payment_password("900307", "900307", birth_date=None, id_number=None)
    with pytest.raises(PasswordsDiffer):
        check_payment_password("135790", "135791", birth_date=None, id_number=None)


def is_trivial(password: str) -> bool:
    digits = [int(c) for c in password]
    steps = {b - a for a, b in zip(digits, digits[1:], strict=False)}
    return steps in ({0}, {1}, {-1})


@given(st.text(string.digits, min_size=6, max_size=6))
def test_payment_password_is_refused_exactly_when_trivial(password: str) -> None:
    if is_trivial(password):
        with pytest.raises(TrivialPaymentPassword) as caught:
            check_payment_password(password, password, birth_date=None, id_number=None)
        assert caught.value.params == {"reason": "pattern"}
    else:
        check_payment_password(password, password, birth_date=None, id_number=None)


@given(st.integers(0, 9), st.sampled_from([0, 1, -1]))
def test_payment_password_never_accepts_repeats_or_runs(start: int, step: int) -> None:
    if not 0 <= start + 5 * step <= 9:
        start = 9 - start
    password = "".join(str(start + i * step) for i in range(6))
    with pytest.raises(TrivialPaymentPassword):
        check_payment_password(password, password, birth_date=None, id_number=None)


# -- real names -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    # Extension A (䶮) and B (𠈌) characters are on real ID cards too
    ["林小满", "欧阳娜娜", "迪丽热巴·迪力木拉提", " 陈一一 ", "王五", "刘䶮", "王𠈌明"],
)
def test_real_names_pass(name: str) -> None:
    assert check_real_name(name) == name.strip()


@pytest.mark.parametrize(
    "name",
    [
        "Lin Xiaoman",
        "林Xiao满",
        "林",
        "林小满1",
        "123",
        "<b>林小满</b>",
        "林&nbsp;满",
        "",
        "林 小满",
    ],
)
def test_not_real_names_fail(name: str) -> None:
    with pytest.raises(InvalidName):
        check_real_name(name)


def test_real_name_length_limit() -> None:
    assert check_real_name("林" * 20) == "林" * 20
    with pytest.raises(InvalidName):
        check_real_name("林" * 21)


# -- resident ID numbers ----------------------------------------------------------------------


def test_valid_id_number() -> None:
    assert check_id_number(LIN_ID, today=TODAY) == ResidentId(LIN_ID, LIN_BIRTH)


def test_lowercase_x_is_accepted_and_upper_cased() -> None:
    number = with_check_digit("44030419851203001")
    assert number.endswith("X")
    resident = check_id_number(" " + number.lower() + " ", today=TODAY)
    assert resident == ResidentId(number, date(1985, 12, 3))


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("110101199003074574", "checksum"),
        ("110101900307457", "legacy"),
        ("11010119900307457", "shape"),
        ("1101011990030745730", "shape"),
        ("11010119900307457Y", "shape"),
        ("X10101199003074573", "shape"),
        ("", "shape"),
    ],
)
def test_invalid_id_numbers(text: str, reason: str) -> None:
    with pytest.raises(InvalidIdNumber) as caught:
        check_id_number(text, today=TODAY)
    assert caught.value.params == {"reason": reason}


def test_30_february_is_not_a_birth_date() -> None:
    first17 = "11010119900230123"
    # No check digit makes this number valid: the date itself is wrong.
    assert not any(ric.is_valid(first17 + c) for c in "0123456789X")
    number = with_check_digit(first17)
    with pytest.raises(InvalidIdNumber) as caught:
        check_id_number(number, today=TODAY)
    assert caught.value.params == {"reason": "date_or_region"}


def test_unknown_region_is_rejected() -> None:
    number = with_check_digit("99010119900307457")
    with pytest.raises(InvalidIdNumber) as caught:
        check_id_number(number, today=TODAY)
    assert caught.value.params == {"reason": "date_or_region"}


def test_future_birth_date_is_rejected() -> None:
    tomorrow = with_check_digit("11010120261123123")
    assert ric.is_valid(tomorrow)
    with pytest.raises(InvalidIdNumber) as caught:
        check_id_number(tomorrow, today=TODAY)
    assert caught.value.params == {"reason": "future"}
    born_today = with_check_digit("11010120261122123")
    assert check_id_number(born_today, today=TODAY).birth_date == TODAY


def test_minor_until_the_18th_birthday() -> None:
    number = with_check_digit("11010120081123123")
    birth = check_id_number(number, today=TODAY).birth_date
    assert birth == date(2008, 11, 23)
    assert age_on(birth, TODAY) == 17
    assert is_minor(birth, TODAY)  # one day before the 18th birthday
    assert age_on(birth, TODAY + timedelta(days=1)) == 18
    assert not is_minor(birth, TODAY + timedelta(days=1))


def test_age_on_and_unknown_birth_date() -> None:
    assert age_on(LIN_BIRTH, TODAY) == 36
    assert age_on(LIN_BIRTH, date(2026, 3, 6)) == 35
    assert age_on(LIN_BIRTH, date(2026, 3, 7)) == 36
    assert age_on(date(2008, 2, 29), date(2026, 2, 28)) == 17
    assert age_on(date(2008, 2, 29), date(2026, 3, 1)) == 18
    assert not is_minor(None, TODAY)
    assert is_minor(date(2012, 5, 6), TODAY)
