"""The wallet (钱包): the platform balance and its ledger.

Every movement is one `wallet_entry` row written in the same transaction as the
balance change, so the balance always equals the sum of the ledger. A movement has an
`entry_key` (`recharge:<payment no>`, `pay:<payment no>`…): the same movement asked
for twice happens once. A debit is a conditional update (`balance >= amount`), so two
payments racing for the last yuan cannot both take it (and a CHECK keeps the balance
from ever going below zero).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from kstui.money import Fen
from kstui.providers.clock import Clock
from kstui.services.accounts.records import session_account
from kstui.services.errors import DomainError
from kstui.store.db import Store, db_time, from_db_time

MAX_RECHARGE = 5_000_000
"""¥50,000: the most one recharge may add."""
RECHARGE_PRESETS = (5_000, 10_000, 20_000, 50_000)
"""¥50, ¥100, ¥200, ¥500: the amounts offered with one key."""
LEDGER_PAGE = 50


class EntryKind(StrEnum):
    """Why the balance moved."""

    RECHARGE = "recharge"
    PAYMENT = "payment"
    REFUND = "refund"


class InsufficientBalance(DomainError):
    """The balance does not cover the amount (params: balance, amount)."""

    key = "payments.error.insufficient_balance"


class InvalidRecharge(DomainError):
    """A recharge amount outside ¥0.01–¥50,000 (params: max)."""

    key = "payments.error.invalid_recharge"


@dataclass(frozen=True)
class LedgerEntry:
    """One movement of the balance."""

    amount: int
    balance_after: int
    kind: EntryKind
    ref: str
    at: datetime


@dataclass(frozen=True)
class WalletView:
    """The balance and the newest movements."""

    balance: int
    entries: list[LedgerEntry]
    total_entries: int


def balance_of(conn: sqlite3.Connection, account_id: int) -> int:
    """The account's balance (0 before its first movement)."""
    row = conn.execute("SELECT balance FROM wallet WHERE account_id = ?", (account_id,)).fetchone()
    return int(row[0]) if row else 0


def credit(
    conn: sqlite3.Connection,
    account_id: int,
    amount: int,
    *,
    kind: EntryKind,
    ref: str,
    entry_key: str,
    now: datetime,
) -> bool:
    """Add `amount` fen to the balance once per `entry_key` (inside a write transaction).

    Returns:
        False if the movement with this key had already been made.
    """
    if amount <= 0:
        raise ValueError(f"a credit must be positive: {amount}")
    if _done(conn, entry_key):
        return False
    stamp = db_time(now)
    conn.execute(
        "INSERT INTO wallet (account_id, balance, updated_at) VALUES (?, 0, ?)"
        " ON CONFLICT (account_id) DO NOTHING",
        (account_id, stamp),
    )
    (after,) = conn.execute(
        "UPDATE wallet SET balance = balance + ?, updated_at = ? WHERE account_id = ?"
        " RETURNING balance",
        (amount, stamp, account_id),
    ).fetchone()
    _entry(conn, account_id, amount, after, kind, ref, entry_key, stamp)
    return True


def debit(
    conn: sqlite3.Connection,
    account_id: int,
    amount: int,
    *,
    kind: EntryKind,
    ref: str,
    entry_key: str,
    now: datetime,
) -> bool:
    """Take `amount` fen from the balance once per `entry_key` (inside a write transaction).

    Returns:
        False if the movement with this key had already been made.

    Raises:
        InsufficientBalance: the balance is below `amount` (nothing changed).
    """
    if amount <= 0:
        raise ValueError(f"a debit must be positive: {amount}")
    if _done(conn, entry_key):
        return False
    stamp = db_time(now)
    row = conn.execute(
        "UPDATE wallet SET balance = balance - ?, updated_at = ?"
        " WHERE account_id = ? AND balance >= ? RETURNING balance",
        (amount, stamp, account_id, amount),
    ).fetchone()
    if row is None:
        raise InsufficientBalance(balance=Fen(balance_of(conn, account_id)), amount=Fen(amount))
    _entry(conn, account_id, -amount, row[0], kind, ref, entry_key, stamp)
    return True


def wallet_view(
    store: Store, token: str, *, clock: Clock, limit: int = LEDGER_PAGE, offset: int = 0
) -> WalletView:
    """The shopper's balance and a page of the ledger, newest first.

    Raises:
        NotLoggedIn.
    """
    with store.reading() as conn:
        account_id = session_account(conn, token, clock=clock)
        rows = conn.execute(
            "SELECT amount, balance_after, kind, ref, at FROM wallet_entry WHERE account_id = ?"
            " ORDER BY at DESC, id DESC LIMIT ? OFFSET ?",
            (account_id, limit, offset),
        ).fetchall()
        (count,) = conn.execute(
            "SELECT COUNT(*) FROM wallet_entry WHERE account_id = ?", (account_id,)
        ).fetchone()
        balance = balance_of(conn, account_id)
    entries = [
        LedgerEntry(amount, after, EntryKind(kind), ref, from_db_time(at))
        for amount, after, kind, ref, at in rows
    ]
    return WalletView(balance=balance, entries=entries, total_entries=count)


def check_recharge_amount(amount: int) -> int:
    """A recharge amount in fen, if allowed.

    Raises:
        InvalidRecharge: below ¥0.01 or above ¥50,000.
    """
    if not 1 <= amount <= MAX_RECHARGE:
        raise InvalidRecharge(max=Fen(MAX_RECHARGE))
    return amount


def _done(conn: sqlite3.Connection, entry_key: str) -> bool:
    return (
        conn.execute("SELECT 1 FROM wallet_entry WHERE entry_key = ?", (entry_key,)).fetchone()
        is not None
    )


def _entry(
    conn: sqlite3.Connection,
    account_id: int,
    amount: int,
    after: int,
    kind: EntryKind,
    ref: str,
    entry_key: str,
    stamp: str,
) -> None:
    conn.execute(
        "INSERT INTO wallet_entry (account_id, amount, balance_after, kind, ref, entry_key, at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        (account_id, amount, after, kind.value, ref, entry_key, stamp),
    )
