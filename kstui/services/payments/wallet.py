"""The wallet (钱包): the platform balance and its ledger.

Every movement is one `wallet_entry` row written in the same transaction as the
balance change, so the balance always equals the sum of the ledger, and each row's
`balance_after` is the running sum (the row is written while the balance change holds
the wallet's row, so the rows of one wallet are numbered in the order of their changes).
A movement has an `entry_key` (`recharge:<payment no>`, `pay:<payment no>`…), a unique
key: the same movement asked for twice happens once, even when both ask at the same
moment (`ON CONFLICT DO NOTHING`: the later one gives back what it added or took). The
balance changes only by updates relative to itself; a debit is a conditional update
(`balance >= amount`), so two payments racing for the last yuan cannot both take it (and
a CHECK keeps the balance from ever going below zero).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from kstui.money import Fen
from kstui.providers.clock import Clock
from kstui.services.accounts.records import session_account
from kstui.services.errors import DomainError
from kstui.store.interface import Store, Transaction, from_db_time

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


def balance_of(tx: Transaction, account_id: int) -> int:
    """The account's balance (0 before its first movement)."""
    found = tx.fetch_value("SELECT balance FROM wallet WHERE account_id = :id", id=account_id)
    return int(found) if found is not None else 0


def credit(
    tx: Transaction,
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
    if _done(tx, entry_key):
        return False
    tx.execute(
        "INSERT INTO wallet (account_id, balance, updated_at) VALUES (:account, 0, :now)"
        " ON CONFLICT (account_id) DO NOTHING",
        account=account_id,
        now=now,
    )
    row = tx.fetch_one(
        "UPDATE wallet SET balance = balance + :amount, updated_at = :now"
        " WHERE account_id = :account RETURNING balance",
        amount=amount,
        now=now,
        account=account_id,
    )
    assert row is not None  # the wallet row exists: inserted just above if it did not
    if _entry(tx, account_id, amount, int(row[0]), kind, ref, entry_key, now):
        return True
    _give_back(tx, account_id, -amount)
    return False


def debit(
    tx: Transaction,
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
    if _done(tx, entry_key):
        return False
    row = tx.fetch_one(
        "UPDATE wallet SET balance = balance - :amount, updated_at = :now"
        " WHERE account_id = :account AND balance >= :amount RETURNING balance",
        amount=amount,
        now=now,
        account=account_id,
    )
    if row is None:
        if _done(tx, entry_key):  # made a moment ago, by the transaction it waited for
            return False
        raise InsufficientBalance(balance=Fen(balance_of(tx, account_id)), amount=Fen(amount))
    if _entry(tx, account_id, -amount, int(row[0]), kind, ref, entry_key, now):
        return True
    _give_back(tx, account_id, amount)
    return False


def wallet_view(
    store: Store, token: str, *, clock: Clock, limit: int = LEDGER_PAGE, offset: int = 0
) -> WalletView:
    """The shopper's balance and a page of the ledger, newest first.

    Raises:
        NotLoggedIn.
    """
    with store.reading() as tx:
        account_id = session_account(tx, token, clock=clock)
        rows = tx.fetch_all(
            "SELECT amount, balance_after, kind, ref, at FROM wallet_entry"
            " WHERE account_id = :account ORDER BY at DESC, id DESC LIMIT :limit OFFSET :offset",
            account=account_id,
            limit=limit,
            offset=offset,
        )
        count = tx.fetch_value(
            "SELECT COUNT(*) FROM wallet_entry WHERE account_id = :account", account=account_id
        )
        balance = balance_of(tx, account_id)
    entries = [
        LedgerEntry(amount, after, EntryKind(kind), ref, from_db_time(at))
        for amount, after, kind, ref, at in rows
    ]
    return WalletView(balance=balance, entries=entries, total_entries=int(count))


def check_recharge_amount(amount: int) -> int:
    """A recharge amount in fen, if allowed.

    Raises:
        InvalidRecharge: below ¥0.01 or above ¥50,000.
    """
    if not 1 <= amount <= MAX_RECHARGE:
        raise InvalidRecharge(max=Fen(MAX_RECHARGE))
    return amount


def _done(tx: Transaction, entry_key: str) -> bool:
    found = tx.fetch_one("SELECT 1 FROM wallet_entry WHERE entry_key = :key", key=entry_key)
    return found is not None


def _entry(
    tx: Transaction,
    account_id: int,
    amount: int,
    after: int,
    kind: EntryKind,
    ref: str,
    entry_key: str,
    now: datetime,
) -> bool:
    """Write a movement's ledger row; False if its key was taken (by a transaction that
    committed since `_done` looked: the same movement, made a moment ago)."""
    row = tx.fetch_one(
        "INSERT INTO wallet_entry (account_id, amount, balance_after, kind, ref, entry_key, at)"
        " VALUES (:account, :amount, :after, :kind, :ref, :entry_key, :at)"
        " ON CONFLICT (entry_key) DO NOTHING RETURNING id",
        account=account_id,
        amount=amount,
        after=after,
        kind=kind.value,
        ref=ref,
        entry_key=entry_key,
        at=now,
    )
    return row is not None


def _give_back(tx: Transaction, account_id: int, amount: int) -> None:
    """Undo a balance change whose movement turned out made already (the wallet's row is
    still held by this transaction: nobody saw the change)."""
    tx.execute(
        "UPDATE wallet SET balance = balance + :amount WHERE account_id = :account",
        amount=amount,
        account=account_id,
    )
