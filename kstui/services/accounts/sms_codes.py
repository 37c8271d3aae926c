"""Verification codes sent by SMS: 6 digits, hashed, 5 minutes, single use, 5 tries.

A new code for the same phone and purpose revokes the previous one. Codes are sent at
most once a minute per phone and at most `DAILY_LIMIT` times a day (China time). The
caller decides what a correct code grants; this module only issues and checks them.
Checking records wrong tries even when the caller then fails: use it inside a write
transaction and raise only after that transaction committed (see `accounts`).
"""

from __future__ import annotations

import math
import secrets
from datetime import datetime, timedelta
from enum import StrEnum

from kstui.providers.clock import Clock
from kstui.providers.sms import SIGNATURE, SmsGateway
from kstui.services.accounts.errors import CodeRejected, DailySmsLimit, SendTooSoon
from kstui.services.accounts.hashing import code_hasher, hash_secret, verify_secret
from kstui.services.time_limits import DEFAULT_LIMITS
from kstui.store.interface import Transaction, from_db_time
from kstui.timefmt import CHINA

CODE_TTL = DEFAULT_LIMITS.sms_code
RESEND_INTERVAL = DEFAULT_LIMITS.sms_resend
MAX_ATTEMPTS = 5
DAILY_LIMIT = 10


class Purpose(StrEnum):
    """What a code is for; a code for one purpose is not accepted for another."""

    LOGIN = "login"
    REGISTER = "register"
    SECOND_FACTOR = "second_factor"
    CHANGE_PASSWORD = "change_password"
    PAYMENT_PASSWORD = "payment_password"
    BIND_PHONE = "bind_phone"
    SECOND_FACTOR_OFF = "second_factor_off"
    CARD_PAYMENT = "card_payment"


_PURPOSE_TEXT = {
    Purpose.LOGIN: "登录",
    Purpose.REGISTER: "注册",
    Purpose.SECOND_FACTOR: "登录二次验证",
    Purpose.CHANGE_PASSWORD: "修改登录密码",
    Purpose.PAYMENT_PASSWORD: "设置支付密码",
    Purpose.BIND_PHONE: "绑定手机号",
    Purpose.SECOND_FACTOR_OFF: "关闭登录二次验证",
    Purpose.CARD_PAYMENT: "银行卡支付",
}


def send_code(
    tx: Transaction, phone: str, purpose: Purpose, *, clock: Clock, sms: SmsGateway
) -> datetime:
    """Issue a new code for `phone` and text it; returns when the next may be sent.

    Raises:
        SendTooSoon: a code went to this phone less than a minute ago.
        DailySmsLimit: this phone had `DAILY_LIMIT` codes today.
    """
    now = clock.now()
    _take_quota(tx, phone, now)
    tx.execute(
        "UPDATE sms_code SET revoked_at = :now WHERE phone = :phone AND purpose = :purpose"
        " AND used_at IS NULL AND revoked_at IS NULL",
        now=now,
        phone=phone,
        purpose=purpose.value,
    )
    code = f"{secrets.randbelow(1_000_000):06d}"
    tx.execute(
        "INSERT INTO sms_code (phone, purpose, code_hash, sent_at, expires_at, attempts)"
        " VALUES (:phone, :purpose, :code_hash, :sent_at, :expires_at, 0)",
        phone=phone,
        purpose=purpose.value,
        code_hash=hash_secret(code_hasher(), code),
        sent_at=now,
        expires_at=now + CODE_TTL,
    )
    minutes = int(CODE_TTL.total_seconds() // 60)
    sms.send(
        tx,
        phone,
        f"{SIGNATURE}验证码 {code}，用于{_PURPOSE_TEXT[purpose]}，{minutes}分钟内有效。"
        "请勿告诉他人，客服不会向你索要验证码。",
        at=now,
    )
    return now + RESEND_INTERVAL


def _take_quota(tx: Transaction, phone: str, now: datetime) -> None:
    """Count one text to `phone` against its quota, or refuse it (the row stays locked
    until the transaction ends, so a second request at the same moment waits and is then
    measured against this one).

    Raises:
        SendTooSoon, DailySmsLimit.
    """
    today = now.astimezone(CHINA).date()
    counted = tx.fetch_one(
        "INSERT INTO sms_quota (phone, day, sent, last_sent_at) VALUES (:phone, :day, 1, :now)"
        " ON CONFLICT (phone) DO UPDATE SET"
        " sent = CASE WHEN sms_quota.day = excluded.day THEN sms_quota.sent + 1 ELSE 1 END,"
        " day = excluded.day, last_sent_at = excluded.last_sent_at"
        " WHERE sms_quota.last_sent_at <= :resend_from"
        " AND (sms_quota.day <> excluded.day OR sms_quota.sent < :limit)"
        " RETURNING sent",
        phone=phone,
        day=today,
        now=now,
        resend_from=now - RESEND_INTERVAL,
        limit=DAILY_LIMIT,
    )
    if counted is not None:
        return
    last = tx.fetch_value("SELECT last_sent_at FROM sms_quota WHERE phone = :phone", phone=phone)
    wait = from_db_time(last) + RESEND_INTERVAL - now
    if wait > timedelta(0):
        raise SendTooSoon(seconds=math.ceil(wait.total_seconds()))
    raise DailySmsLimit(limit=DAILY_LIMIT)


def check_code(
    tx: Transaction,
    phone: str,
    purpose: Purpose,
    code: str,
    *,
    clock: Clock,
    consume: bool = True,
) -> CodeRejected | None:
    """Check a code; None if it is right (and, with `consume`, now used up).

    A wrong code counts a try; the fifth wrong try revokes the code. Counting and
    consuming are conditional updates of the code's row (still neither used nor
    revoked), so of two checks racing with the right code one wins, and wrong tries
    checked at the same moment are each counted once.
    Returns the rejection instead of raising it, so that the caller can commit the
    counted try first.
    """
    now = clock.now()
    typed = code.strip()
    row = tx.fetch_one(
        "SELECT id, code_hash, expires_at FROM sms_code"
        " WHERE phone = :phone AND purpose = :purpose AND used_at IS NULL AND revoked_at IS NULL"
        " ORDER BY id DESC LIMIT 1",
        phone=phone,
        purpose=purpose.value,
    )
    if row is None:
        return CodeRejected(reason="missing")
    code_id, code_hash, expires_at = row
    if from_db_time(expires_at) <= now:
        return CodeRejected(reason="expired")
    if not (len(typed) == 6 and typed.isascii() and typed.isdigit()) or not verify_secret(
        code_hasher(), code_hash, typed
    ):
        counted = tx.fetch_one(
            "UPDATE sms_code SET attempts = attempts + 1,"
            " revoked_at = CASE WHEN attempts + 1 >= :max_attempts THEN :now ELSE NULL END"
            " WHERE id = :id AND used_at IS NULL AND revoked_at IS NULL"
            " RETURNING attempts",
            max_attempts=MAX_ATTEMPTS,
            now=now,
            id=code_id,
        )
        if counted is None:  # used or revoked meanwhile
            return CodeRejected(reason="missing")
        (attempts,) = counted
        if attempts >= MAX_ATTEMPTS:
            return CodeRejected(reason="too_many")
        return CodeRejected(reason="wrong", left=MAX_ATTEMPTS - attempts)
    if consume:
        used = tx.execute(
            "UPDATE sms_code SET used_at = :now WHERE id = :id AND used_at IS NULL"
            " AND revoked_at IS NULL",
            now=now,
            id=code_id,
        )
        if used != 1:
            return CodeRejected(reason="missing")
    return None
