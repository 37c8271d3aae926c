"""Who a shopper is: mainland mobile numbers, passwords, real names, resident ID numbers.

Validation uses maintained libraries: `phonenumbers` for phone numbers, `python-stdnum`
for the resident identity card number (checksum, birth date, region). Every function
raises a `DomainError` whose message key says exactly what is wrong.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass
from datetime import date
from enum import IntEnum

from kstui.services.accounts.errors import (
    InvalidIdNumber,
    InvalidName,
    InvalidPhone,
    PasswordsDiffer,
    TrivialPaymentPassword,
    WeakPassword,
)

ADULT_AGE = 18
_PHONE_TYPED = re.compile(r"(?:\+86|0086)?([0-9 \-]+)")
_HAN = "\u3400-\u4dbf\u4e00-\u9fff\U00020000-\U0003134f"
"""Han characters of CJK Unified Ideographs, Extension A and Extensions B–G (刘䶮, 𠈌)."""
_NAME = re.compile(f"[{_HAN}][{_HAN}·]{{0,18}}[{_HAN}]")
_ID_SHAPE = re.compile(r"[0-9]{17}[0-9X]")


def normalize_phone(text: str) -> str:
    """The 11-digit mainland mobile number in `text`.

    Accepts `+86`/`0086`, spaces and dashes (`+86 138-0013-8000`). Rejects anything
    else: 10 or 12 digits, full-width digits, landlines, IoT and other non-mobile numbers.

    Raises:
        InvalidPhone: if it is not a mainland mobile number.
    """
    import phonenumbers

    typed = text.strip()
    shape = _PHONE_TYPED.fullmatch(typed)
    if shape is None or len(re.sub(r"[ \-]", "", shape.group(1))) != 11:
        raise InvalidPhone()  # 10 or 12 digits, a trunk 0, 86 without its + …
    try:
        number = phonenumbers.parse(typed, "CN")
    except phonenumbers.NumberParseException:
        raise InvalidPhone() from None
    mobile = phonenumbers.PhoneNumberType.MOBILE
    if (
        number.country_code != 86
        or not phonenumbers.is_valid_number(number)
        or phonenumbers.number_type(number) != mobile
    ):
        raise InvalidPhone()
    return str(number.national_number)


def mask_phone(phone: str) -> str:
    """`138****8000`."""
    return f"{phone[:3]}****{phone[-4:]}"


class Strength(IntEnum):
    """How hard a password is to guess, for the meter beside the field."""

    TOO_WEAK = 0
    WEAK = 1
    MEDIUM = 2
    STRONG = 3


MIN_PASSWORD = 8
MAX_PASSWORD = 64


def password_strength(password: str) -> Strength:
    """The meter's reading: length and the kinds of characters used."""
    has_letter = any(c.isascii() and c.isalpha() for c in password)
    has_digit = any(c in string.digits for c in password)  # not ² or full-width １
    if len(password) < MIN_PASSWORD or not (has_letter and has_digit):
        return Strength.TOO_WEAK
    kinds = sum(
        (
            any(c.islower() for c in password),
            any(c.isupper() for c in password),
            has_digit,
            any(not c.isalnum() for c in password),
        )
    )
    if len(password) >= 12 and kinds >= 3:
        return Strength.STRONG
    if len(password) >= 10 or kinds >= 3:
        return Strength.MEDIUM
    return Strength.WEAK


def check_new_password(password: str, confirm: str) -> None:
    """A new login password: 8–64 characters with letters and digits, typed twice alike.

    Raises:
        WeakPassword: too short, too long, or without both letters and digits.
        PasswordsDiffer: the confirmation differs.
    """
    if not MIN_PASSWORD <= len(password) <= MAX_PASSWORD:
        raise WeakPassword(min=MIN_PASSWORD, max=MAX_PASSWORD)
    if password_strength(password) is Strength.TOO_WEAK:
        raise WeakPassword(min=MIN_PASSWORD, max=MAX_PASSWORD)
    if password != confirm:
        raise PasswordsDiffer()


def check_payment_password(
    password: str, confirm: str, *, birth_date: date | None, id_number: str | None
) -> None:
    """A new 6-digit payment password that is not easy to guess.

    Refuses one digit repeated (111111), runs (123456, 654321), and the birthday or
    the last six digits of the shopper's ID number.

    Raises:
        TrivialPaymentPassword: the password has the wrong shape or is easy to guess.
        PasswordsDiffer: the confirmation differs.
    """
    if not (len(password) == 6 and password.isascii() and password.isdigit()):
        raise TrivialPaymentPassword(reason="shape")
    steps = {int(b) - int(a) for a, b in zip(password, password[1:], strict=False)}
    if len(set(password)) == 1 or steps in ({1}, {-1}):
        raise TrivialPaymentPassword(reason="pattern")
    personal: set[str] = set()
    if birth_date is not None:
        yy, mm, dd = f"{birth_date:%y}", f"{birth_date:%m}", f"{birth_date:%d}"
        personal |= {yy + mm + dd, mm + dd + yy, dd + mm + yy}
    if id_number is not None:
        personal.add(id_number[-6:])
    if password in personal:
        raise TrivialPaymentPassword(reason="personal")
    if password != confirm:
        raise PasswordsDiffer()


def check_real_name(name: str) -> str:
    """A name as on a resident ID card: 2–20 Chinese characters (· between parts).

    Raises:
        InvalidName: if it is not such a name.
    """
    cleaned = name.strip()
    if not _NAME.fullmatch(cleaned):
        raise InvalidName()
    return cleaned


@dataclass(frozen=True)
class ResidentId:
    """A valid 18-digit resident identity card number and what it says."""

    number: str
    birth_date: date


def check_id_number(text: str, *, today: date) -> ResidentId:
    """Validate an 18-digit resident ID number (a lowercase x is accepted).

    Checks the shape, the region, the birth date (a real date, not in the future) and
    the check digit. 15-digit numbers (issued before 1999) are no longer accepted.

    Raises:
        InvalidIdNumber: with `reason` legacy, shape, checksum, date_or_region or future.
    """
    from stdnum.cn import ric
    from stdnum.exceptions import InvalidChecksum, ValidationError

    number = text.strip().upper()
    if len(number) == 15 and number.isdigit():
        raise InvalidIdNumber(reason="legacy")
    if not _ID_SHAPE.fullmatch(number):
        raise InvalidIdNumber(reason="shape")
    try:
        ric.validate(number)
    except InvalidChecksum:
        raise InvalidIdNumber(reason="checksum") from None
    except ValidationError:
        raise InvalidIdNumber(reason="date_or_region") from None
    birth: date = ric.get_birth_date(number)
    if birth > today:
        raise InvalidIdNumber(reason="future")
    return ResidentId(number=number, birth_date=birth)


def age_on(birth_date: date, today: date) -> int:
    """Full years of age on `today`."""
    before_birthday = (today.month, today.day) < (birth_date.month, birth_date.day)
    return today.year - birth_date.year - before_birthday


def is_minor(birth_date: date | None, today: date) -> bool:
    """True for someone under 18 (unknown birth dates are not minors until verified)."""
    return birth_date is not None and age_on(birth_date, today) < ADULT_AGE
