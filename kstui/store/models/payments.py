"""The payments' tables: payment attempts and their events, wallets and the ledger.

Money columns are integer fen; datetimes are UTC; enum columns hold the enum's value.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, Index, String
from sqlmodel import Field, SQLModel

from kstui.store.enums import (
    PaymentMethod,
    PaymentPurpose,
    PaymentStatus,
)


class Payment(SQLModel, table=True):
    """One attempt to pay a checkout or to recharge the wallet.

    `idempotency_key` comes from the client: the same attempt sent twice is one
    payment, and its first result is returned again.
    """

    __table_args__ = (
        Index("ix_payment_checkout", "checkout_id"),
        Index("ix_payment_due", "purpose", "status", "expires_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    no: str = Field(max_length=24, unique=True)
    idempotency_key: str = Field(max_length=64, unique=True)
    account_id: int = Field(foreign_key="account.id", index=True)
    purpose: PaymentPurpose = Field(sa_type=String(16))
    checkout_id: int | None = Field(default=None, foreign_key="checkout.id")
    method: PaymentMethod = Field(sa_type=String(16))
    amount: int
    status: PaymentStatus = Field(sa_type=String(16))
    created_at: datetime
    updated_at: datetime
    expires_at: datetime | None = None
    """Until when the attempt may be paid: its checkout's deadline, or a recharge's
    window (the catch-up closes recharges past it)."""
    trade_no: str | None = Field(default=None, max_length=32)
    card_last4: str | None = Field(default=None, max_length=4)
    failure: str | None = Field(default=None, max_length=32)


class PaymentEvent(SQLModel, table=True):
    """A status change of a payment, or a notification received about it."""

    __tablename__ = "payment_event"
    __table_args__ = (Index("ix_payment_event_payment_at", "payment_id", "at"),)

    id: int | None = Field(default=None, primary_key=True)
    payment_id: int = Field(foreign_key="payment.id")
    from_status: str | None = Field(default=None, max_length=16)
    to_status: str = Field(max_length=16)
    at: datetime
    detail: str = Field(default="", max_length=64)


class Wallet(SQLModel, table=True):
    """A shopper's platform balance (平台余额); it always equals the sum of the ledger."""

    __table_args__ = (CheckConstraint("balance >= 0", name="ck_wallet_balance"),)

    account_id: int = Field(foreign_key="account.id", primary_key=True)
    balance: int = 0
    updated_at: datetime


class WalletEntry(SQLModel, table=True):
    """One movement of a wallet (the ledger); `entry_key` makes each movement happen once."""

    __tablename__ = "wallet_entry"
    __table_args__ = (Index("ix_wallet_entry_account_at", "account_id", "at"),)

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(foreign_key="account.id")
    amount: int
    balance_after: int
    kind: str = Field(max_length=16)
    ref: str = Field(max_length=32)
    entry_key: str = Field(max_length=64, unique=True)
    at: datetime
