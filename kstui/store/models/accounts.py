"""The accounts' tables: accounts, SMS codes, login sessions, linked identities,
lockouts and account events.

Money columns are integer fen; datetimes are UTC; enum columns hold the enum's value.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Index, String, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from kstui.store.enums import (
    Role,
)


class Account(SQLModel, table=True):
    """A person who can log in: a shopper or a shop's merchant."""

    __table_args__ = (UniqueConstraint("id_number", name="uq_account_id_number"),)

    id: int | None = Field(default=None, primary_key=True)
    phone: str = Field(max_length=11, unique=True)
    nickname: str = Field(max_length=30)
    password_hash: str = Field(max_length=200)
    role: Role = Field(sa_type=String(16))
    shop_id: int | None = Field(default=None, foreign_key="shop.id")
    real_name: str | None = Field(default=None, max_length=30)
    id_number: str | None = Field(default=None, max_length=18)
    birth_date: date | None = None
    created_at: datetime
    second_factor: bool = False
    """Ask for an SMS code after the password at login."""
    payment_password_hash: str | None = Field(default=None, max_length=200)


class SmsCode(SQLModel, table=True):
    """A verification code: stored hashed, single use, short-lived."""

    __tablename__ = "sms_code"
    __table_args__ = (Index("ix_sms_code_phone_sent", "phone", "sent_at"),)

    id: int | None = Field(default=None, primary_key=True)
    phone: str = Field(max_length=11)
    purpose: str = Field(max_length=24)
    code_hash: str = Field(max_length=200)
    sent_at: datetime
    expires_at: datetime
    attempts: int = 0
    used_at: datetime | None = None
    revoked_at: datetime | None = None


class SmsQuota(SQLModel, table=True):
    """How many codes a phone was sent on its last day (China time), and when the last
    one went: one row per phone, updated in one conditional statement, so that two
    requests at the same moment cannot both pass the limits."""

    __tablename__ = "sms_quota"

    phone: str = Field(max_length=11, primary_key=True)
    day: date
    sent: int
    last_sent_at: datetime


class LoginSession(SQLModel, table=True):
    """A device logged in to an account; the token itself is only known to the device."""

    __tablename__ = "login_session"

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(foreign_key="account.id", index=True)
    token_hash: str = Field(max_length=64, unique=True)
    device: str = Field(max_length=60)
    created_at: datetime
    last_seen_at: datetime
    expires_at: datetime
    ended_at: datetime | None = None
    pending: bool = False
    """A password login waiting for its SMS code (second verification): not usable yet."""


class LinkedIdentity(SQLModel, table=True):
    """A third-party account (微信, QQ, an SSH key) that logs in to a kstui account."""

    __tablename__ = "linked_identity"
    __table_args__ = (
        UniqueConstraint("provider", "subject"),
        Index(
            "uq_linked_identity_account_provider",
            "account_id",
            "provider",
            unique=True,
            sqlite_where=text("provider IN ('wechat', 'qq')"),
            postgresql_where=text("provider IN ('wechat', 'qq')"),
        ),  # one 微信 and one QQ per account (SSH keys, later, may be many)
    )

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(foreign_key="account.id", index=True)
    provider: str = Field(max_length=16)
    subject: str = Field(max_length=128)
    nickname: str = Field(max_length=60)
    linked_at: datetime


class Lockout(SQLModel, table=True):
    """Wrong secrets in a row, and the lock they led to.

    `scope` says which secret: `password` (subject: the phone number, registered or
    not, so that a lock tells nothing about who has an account) or `payment`
    (subject: the account id).
    """

    __tablename__ = "lockout"

    scope: str = Field(max_length=16, primary_key=True)
    subject: str = Field(max_length=32, primary_key=True)
    failures: int = 0
    locked_until: datetime | None = None


class AccountEvent(SQLModel, table=True):
    """Something that happened to an account's security (login, password change…)."""

    __tablename__ = "account_event"
    __table_args__ = (Index("ix_account_event_account_at", "account_id", "at"),)

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(foreign_key="account.id")
    kind: str = Field(max_length=32)
    at: datetime
    detail: str = Field(default="", max_length=200)
