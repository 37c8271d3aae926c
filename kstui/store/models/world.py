"""The simulated outside world's tables: the world clock, the SMS outbox and the payment
gateway's trades and notifications.

Money columns are integer fen; datetimes are UTC; enum columns hold the enum's value.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, CheckConstraint, Column, Index, String
from sqlmodel import Field, SQLModel

from kstui.store.enums import (
    PaymentMethod,
    TradeStatus,
)


class SmsMessage(SQLModel, table=True):
    """The simulated phones' inbox: every text the shop sends (`kstui sms outbox`)."""

    __tablename__ = "sms_message"
    __table_args__ = (Index("ix_sms_message_phone_sent", "phone", "sent_at"),)

    id: int | None = Field(default=None, primary_key=True)
    phone: str = Field(max_length=11)
    text: str = Field(max_length=200)
    sent_at: datetime


class GatewayTrade(SQLModel, table=True):
    """The simulated payment gateway's own record of a trade (支付宝, 微信支付, bank card)."""

    __tablename__ = "gateway_trade"

    trade_no: str = Field(max_length=32, primary_key=True)
    out_trade_no: str = Field(max_length=24, index=True)
    channel: PaymentMethod = Field(sa_type=String(16))
    amount: int
    status: TradeStatus = Field(sa_type=String(16))
    created_at: datetime
    expires_at: datetime
    """An open trade can no longer be paid from then on (the order's deadline)."""
    paid_at: datetime | None = None
    closed_at: datetime | None = None
    refunded_at: datetime | None = None


class GatewayNotice(SQLModel, table=True):
    """A notification the simulated gateway will deliver (late, and sometimes twice)."""

    __tablename__ = "gateway_notice"
    __table_args__ = (Index("ix_gateway_notice_due", "delivered_at", "due_at"),)

    id: int | None = Field(default=None, primary_key=True)
    trade_no: str = Field(foreign_key="gateway_trade.trade_no")
    body: str = Field(max_length=1000)
    due_at: datetime
    delivered_at: datetime | None = None


class WorldClock(SQLModel, table=True):
    """The simulated time every process of the shop shares (one row, id 1).

    Simulated time = real time + `offset_us`, plus, while a demo runs the clock fast,
    (speed − 1) × the real time passed since `anchor_real`, up to `speed_until` (a lease
    the fast app keeps renewing, so that a crashed app does not leave the world racing).
    `kstui sim advance` adds to `offset_us` in one statement; a change of speed rewrites
    the row under its `version`.
    """

    __tablename__ = "world_clock"
    __table_args__ = (
        CheckConstraint("id = 1", name="ck_world_clock_one_row"),
        CheckConstraint("speed >= 1", name="ck_world_clock_speed"),
    )

    id: int = Field(default=1, primary_key=True)
    offset_us: int = Field(default=0, sa_column=Column(BigInteger, nullable=False))
    speed: int = 1
    anchor_real: datetime
    speed_until: datetime | None = None
    version: int = 0
