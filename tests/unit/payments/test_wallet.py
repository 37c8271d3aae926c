"""`kstui.services.payments.wallet`: the balance and its ledger. Every movement is a row, the
balance always equals the sum of the rows, a movement's key makes it happen once, and
the balance never goes below zero."""

from __future__ import annotations

import itertools
from datetime import timedelta
from typing import Any

import pytest
from argon2 import PasswordHasher
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    initialize,
    invariant,
    rule,
    run_state_machine_as_test,
)

from kstui.providers.clock import FrozenClock
from kstui.services.accounts import security
from kstui.services.accounts.errors import NotLoggedIn
from kstui.services.accounts.hashing import hash_secret
from kstui.services.ordering.pricing import Selection
from kstui.services.payments import cashier, wallet
from kstui.services.payments.wallet import EntryKind, InsufficientBalance
from kstui.store.enums import PaymentMethod
from kstui.store.errors import StoreError
from kstui.store.interface import Store
from tests.unit.ordering_helpers import (
    HOME,
    PAY_PASSWORD,
    account_of,
    address,
    balance,
    ledger_sum,
    new_shopper,
    place,
    rows,
    scan,
    sku,
    value,
)


def credit(store: Store, account_id: int, amount: int, key: str, clock: FrozenClock) -> bool:
    with store.writing() as tx:
        return wallet.credit(
            tx, account_id, amount, kind=EntryKind.RECHARGE, ref="test", entry_key=key,
            now=clock.now(),
        )  # fmt: skip


def debit(store: Store, account_id: int, amount: int, key: str, clock: FrozenClock) -> bool:
    with store.writing() as tx:
        return wallet.debit(
            tx, account_id, amount, kind=EntryKind.PAYMENT, ref="test", entry_key=key,
            now=clock.now(),
        )  # fmt: skip


def ledger(store: Store, account_id: int) -> list[tuple[Any, ...]]:
    return rows(
        store,
        "SELECT amount, balance_after, kind, entry_key FROM wallet_entry"
        " WHERE account_id = :account ORDER BY id",
        account=account_id,
    )


def test_credit_and_debit_write_the_ledger(store: Store, clock: FrozenClock, shopper: str) -> None:
    me = account_of(store, shopper, clock)
    assert credit(store, me, 1234, "c1", clock)
    assert debit(store, me, 20000, "d1", clock)
    assert balance(store, me) == 1234 == ledger_sum(store, me)
    assert ledger(store, me)[1:] == [
        (1234, 21234, "recharge", "c1"),
        (-20000, 1234, "payment", "d1"),
    ]


def test_an_entry_key_moves_the_balance_once(
    store: Store, clock: FrozenClock, shopper: str
) -> None:
    me = account_of(store, shopper, clock)
    assert credit(store, me, 500, "same", clock)
    assert not credit(store, me, 500, "same", clock)
    assert not debit(store, me, 500, "same", clock)  # a key is one movement, of any kind
    assert debit(store, me, 300, "other", clock)
    assert not debit(store, me, 300, "other", clock)
    assert balance(store, me) == 20200 == ledger_sum(store, me)
    assert len(ledger(store, me)) == 3


def test_a_debit_never_goes_below_zero(store: Store, clock: FrozenClock, shopper: str) -> None:
    me = account_of(store, shopper, clock)
    before = ledger(store, me)
    with pytest.raises(InsufficientBalance) as caught:
        debit(store, me, 20001, "too-much", clock)
    assert caught.value.params == {"balance": 20000, "amount": 20001}
    assert ledger(store, me) == before
    assert balance(store, me) == 20000
    assert debit(store, me, 20000, "all", clock)
    assert balance(store, me) == 0 == ledger_sum(store, me)
    with pytest.raises(InsufficientBalance):
        debit(store, me, 1, "one-more", clock)


def test_an_account_without_a_wallet(store: Store, clock: FrozenClock) -> None:
    token = new_shopper(store, clock, "13700137002")
    me = account_of(store, token, clock)
    with pytest.raises(InsufficientBalance):
        debit(store, me, 1, "d", clock)
    assert wallet.wallet_view(store, token, clock=clock) == wallet.WalletView(0, [], 0)
    assert credit(store, me, 1, "c", clock)
    assert balance(store, me) == 1


@pytest.mark.parametrize("amount", [0, -1])
def test_movements_are_positive(
    store: Store, clock: FrozenClock, shopper: str, amount: int
) -> None:
    me = account_of(store, shopper, clock)
    with pytest.raises(ValueError, match="positive"):
        credit(store, me, amount, "c", clock)
    with pytest.raises(ValueError, match="positive"):
        debit(store, me, amount, "d", clock)


def test_the_database_refuses_a_negative_balance(
    store: Store, clock: FrozenClock, shopper: str
) -> None:
    me = account_of(store, shopper, clock)
    with pytest.raises(StoreError, match="constraint"), store.writing() as tx:
        tx.execute("UPDATE wallet SET balance = -1 WHERE account_id = :account", account=me)


def test_wallet_view_pages_newest_first(store: Store, clock: FrozenClock, shopper: str) -> None:
    me = account_of(store, shopper, clock)
    for n in range(1, 4):
        clock.advance(timedelta(minutes=1))
        credit(store, me, n, f"c{n}", clock)
    view = wallet.wallet_view(store, shopper, clock=clock, limit=2)
    assert view.balance == 20006
    assert view.total_entries == 4
    assert [(e.amount, e.balance_after, e.kind) for e in view.entries] == [
        (3, 20006, EntryKind.RECHARGE),
        (2, 20003, EntryKind.RECHARGE),
    ]
    assert view.entries[0].at == clock.now()
    rest = wallet.wallet_view(store, shopper, clock=clock, limit=2, offset=2)
    assert [e.amount for e in rest.entries] == [1, 20000]
    assert all(type(e.amount) is int and type(e.balance_after) is int for e in view.entries)
    with pytest.raises(NotLoggedIn):
        wallet.wallet_view(store, "nobody", clock=clock)


def test_check_recharge_amount() -> None:
    assert wallet.check_recharge_amount(1) == 1
    assert wallet.check_recharge_amount(wallet.MAX_RECHARGE) == wallet.MAX_RECHARGE
    for amount in (0, wallet.MAX_RECHARGE + 1):
        with pytest.raises(wallet.InvalidRecharge):
            wallet.check_recharge_amount(amount)


# -- the ledger under any sequence of movements --------------------------------------------

_phones = (f"1370014{n:04d}" for n in itertools.count())


class WalletMachine(RuleBasedStateMachine):
    """Credits, debits and their keys sent again, paying checkouts from the balance and
    recharging by QR code, in any order: the balance is what a model says, the sum of
    the ledger, never negative, and each row's `balance_after` is the running sum."""

    keys = Bundle("keys")

    def __init__(self, store: Store, clock: FrozenClock) -> None:
        super().__init__()
        self.store = store
        self.clock = clock
        self.token = new_shopper(store, clock, next(_phones))
        self.account = account_of(store, self.token, clock)
        self.address = address(store, self.token, clock, HOME)
        self.expected = 0
        self.done: set[str] = set()
        self.counter = itertools.count()

    @initialize()
    def password(self) -> None:
        with self.store.writing() as tx:
            tx.execute(
                "UPDATE account SET payment_password_hash = :hash WHERE id = :id",
                hash=hash_secret(CHEAP_HASHER, PAY_PASSWORD),
                id=self.account,
            )

    def _key(self) -> str:
        return f"m{self.account}-{next(self.counter)}"

    @rule(target=keys, amount=st.integers(1, 30_000))
    def credit(self, amount: int) -> str:
        key = self._key()
        assert credit(self.store, self.account, amount, key, self.clock)
        self.expected += amount
        self.done.add(key)
        return key

    @rule(target=keys, amount=st.integers(1, 30_000))
    def debit(self, amount: int) -> str:
        key = self._key()
        try:
            assert debit(self.store, self.account, amount, key, self.clock)
        except InsufficientBalance:
            assert amount > self.expected
            return key
        assert amount <= self.expected
        self.expected -= amount
        self.done.add(key)
        return key

    @rule(target=keys)
    def spend_everything(self) -> str:
        key = self._key()
        if self.expected == 0:
            with pytest.raises(ValueError, match="positive"):
                debit(self.store, self.account, 0, key, self.clock)
            return key
        assert debit(self.store, self.account, self.expected, key, self.clock)
        self.expected = 0
        self.done.add(key)
        return key

    @rule(key=keys, amount=st.integers(1, 30_000), as_credit=st.booleans())
    def send_a_key_again(self, key: str, amount: int, as_credit: bool) -> None:
        move = credit if as_credit else debit
        try:
            moved = move(self.store, self.account, amount, key, self.clock)
        except InsufficientBalance:  # a refused debit used no key
            assert key not in self.done
            assert amount > self.expected
            return
        assert moved == (key not in self.done)
        if moved:
            self.expected += amount if as_credit else -amount
            self.done.add(key)

    @rule(pieces=st.integers(1, 3))
    def pay_a_checkout(self, pieces: int) -> None:
        apples = sku(self.store, "fuji-apples", "0")
        made = place(
            self.store, self.token, self.clock, {apples: pieces}, address_id=self.address,
            selection=Selection(),
        )  # fmt: skip
        try:
            cashier.pay_by_balance(
                self.store, self.token, made.no, PAY_PASSWORD, self._key(), clock=self.clock
            )
        except InsufficientBalance:
            assert made.amount > self.expected
            cashier.cancel_unpaid(self.store, self.token, made.no, clock=self.clock)
            return
        self.expected -= made.amount

    @rule(amount=st.integers(1, 10_000))
    def recharge_by_qr(self, amount: int) -> None:
        qr = cashier.recharge_qr(
            self.store, self.token, amount, PaymentMethod.ALIPAY, self._key(), clock=self.clock
        )
        assert scan(self.store, qr, self.clock)
        self.clock.advance(timedelta(seconds=8))
        assert cashier.deliver_notices(self.store, clock=self.clock) == 2
        self.expected += amount

    @invariant()
    def balance_is_the_sum_of_the_ledger(self) -> None:
        assert balance(self.store, self.account) == self.expected
        assert ledger_sum(self.store, self.account) == self.expected
        running = 0
        for amount, after, _, _ in ledger(self.store, self.account):
            running += amount
            assert after == running >= 0


CHEAP_HASHER = PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1)
"""The payment password is not what the machine tests: checked fast."""


def test_the_balance_is_the_sum_of_the_ledger(
    store: Store, clock: FrozenClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(security, "password_hasher", lambda: CHEAP_HASHER)
    run_state_machine_as_test(
        # A factory, to hand the machine the test's store (the stub wants the class).
        lambda: WalletMachine(store, clock),  # type: ignore[arg-type]
        settings=settings(
            max_examples=25,
            stateful_step_count=12,
            deadline=None,
            suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
        ),
    )
    assert value(store, "SELECT COUNT(*) FROM wallet WHERE balance < 0") == 0
