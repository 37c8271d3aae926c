"""The simulated SMS gateway: messages land in the store's outbox (`kstui sms outbox`).

A real gateway would hand the text to a carrier; here every phone is simulated and
its inbox is the `sms_message` table, read by the CLI and shown as a notification in
the app in demo mode.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from kstui.store.interface import Store, Transaction, from_db_time

SIGNATURE = "【快手小店】"


class SmsGateway(Protocol):
    """Something that sends a text message to a phone."""

    def send(self, tx: Transaction, phone: str, text: str, *, at: datetime) -> None:
        """Send `text` to `phone` (inside the caller's transaction)."""
        ...


class OutboxSms:
    """Writes each message to the outbox table."""

    def send(self, tx: Transaction, phone: str, text: str, *, at: datetime) -> None:
        tx.execute(
            "INSERT INTO sms_message (phone, text, sent_at) VALUES (:phone, :text, :sent_at)",
            phone=phone,
            text=text,
            sent_at=at,
        )


@dataclass(frozen=True)
class SmsMessage:
    """A message in the outbox."""

    id: int
    phone: str
    text: str
    sent_at: datetime


def outbox(tx: Transaction, *, phone: str | None = None, limit: int = 50) -> list[SmsMessage]:
    """The newest messages, newest first, for one phone or all."""
    where = "WHERE phone = :phone" if phone else ""
    rows = tx.fetch_all(
        f"SELECT id, phone, text, sent_at FROM sms_message {where} ORDER BY id DESC LIMIT :limit",
        **({"phone": phone} if phone else {}),
        limit=limit,
    )
    return [SmsMessage(mid, p, text, from_db_time(at)) for mid, p, text, at in rows]


def newest_to(store: Store, phone: str) -> SmsMessage | None:
    """The newest text to `phone`, if any (what the simulated phone shows).

    Raises:
        StoreError: the store cannot be read.
    """
    with store.reading() as tx:
        newest = outbox(tx, phone=phone, limit=1)
    return newest[0] if newest else None
