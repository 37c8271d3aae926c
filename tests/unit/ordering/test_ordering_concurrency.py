"""Ordering under real concurrency: threads released together by a barrier, each with its
own pooled connection to one store file (as several kstui processes would be). Stock,
coupons, notifications, payments and deadlines must come out exactly once whatever the
interleaving; a cart line stays within its limit, an address book within its size and with
one default."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import timedelta

import pytest

from kstui.providers.clock import FrozenClock
from kstui.services import jobs
from kstui.services.ordering import cart, checkout, coupons
from kstui.services.ordering.addresses import (
    MAX_ADDRESSES,
    Address,
    AddressBookFull,
    add_address,
    delete_address,
    list_addresses,
    set_default,
    update_address,
)
from kstui.services.ordering.cart import CartFull, InvalidQuantity, OutOfStock
from kstui.services.ordering.checkout import CouponUnavailable, Placed, PriceChanged
from kstui.services.ordering.pricing import Selection
from kstui.services.payments import cashier
from kstui.services.payments.cashier import AlreadyPaid, NoticeOutcome, PaymentView
from kstui.store.enums import CheckoutStatus, PaymentMethod, PaymentStatus
from kstui.store.interface import Store, Transaction
from tests.unit.ordering_helpers import (
    HOME,
    SMS,
    YIYI,
    Skus,
    account_of,
    address,
    balance,
    card,
    checkout_status,
    items,
    ledger_sum,
    new_key,
    new_shopper,
    order_statuses,
    place,
    rows,
    run_together,
    scan,
    set_pay_password,
    shop_template,
    skus,
    stock,
    trade_status,
    value,
)


@pytest.fixture
def s(store: Store) -> Skus:
    return skus(store)


@pytest.fixture
def home(store: Store, clock: FrozenClock, shopper: str) -> int:
    return address(store, shopper, clock, HOME)


def set_stock(store: Store, sku_id: int, left: int) -> None:
    """Leave `left` pieces of a SKU (its product's aggregate follows)."""
    with store.writing() as tx:
        before = tx.fetch_value("SELECT stock FROM sku WHERE id = :id", id=sku_id)
        tx.execute("UPDATE sku SET stock = :left WHERE id = :id", left=left, id=sku_id)
        tx.execute(
            "UPDATE product SET stock = stock - :n WHERE id = (SELECT product_id FROM sku"
            " WHERE id = :id)",
            n=before - left,
            id=sku_id,
        )


def sold(store: Store, sku_id: int) -> int:
    return int(
        value(
            store,
            "SELECT COALESCE(SUM(quantity), 0) FROM order_line WHERE sku_id = :sku",
            sku=sku_id,
        )
    )


# -- (a) the last pieces --------------------------------------------------------------------


def test_eight_shoppers_buying_the_last_three(store: Store, clock: FrozenClock, s: Skus) -> None:
    set_stock(store, s.mini_skirt, 3)
    _, product_before = stock(store, s.mini_skirt)
    buyers = []
    for n in range(8):
        token = new_shopper(store, clock, f"1370020{n:04d}")
        buyers.append((token, address(store, token, clock, HOME)))

    def buy(slot: int) -> Placed:
        token, home = buyers[slot]
        return place(store, token, clock, {s.mini_skirt: 1}, address_id=home)

    outcomes = run_together(len(buyers), buy)

    placed = [o for o in outcomes if isinstance(o, Placed)]
    assert len(placed) == 3, outcomes
    assert all(isinstance(o, OutOfStock) for o in outcomes if o not in placed), outcomes
    assert stock(store, s.mini_skirt) == (0, product_before - 3)
    assert sold(store, s.mini_skirt) == 3
    assert value(store, "SELECT COUNT(*) FROM checkout") == 3


def test_one_shopper_racing_with_several_submit_keys(
    store: Store, clock: FrozenClock, shopper: str, s: Skus, home: int
) -> None:
    set_stock(store, s.mini_skirt, 4)
    wanted = [1, 2, 3, 1, 2, 3]

    def buy(slot: int) -> Placed:
        return place(
            store, shopper, clock, {s.mini_skirt: wanted[slot], s.skirt: 1}, address_id=home,
            selection=Selection(),
        )  # fmt: skip

    outcomes = run_together(len(wanted), buy)

    placed = [slot for slot, o in enumerate(outcomes) if isinstance(o, Placed)]
    assert placed, outcomes
    assert all(isinstance(outcomes[i], OutOfStock) for i in range(6) if i not in placed), outcomes
    taken = sum(wanted[slot] for slot in placed)
    assert taken <= 4
    assert stock(store, s.mini_skirt)[0] == 4 - taken >= 0
    assert sold(store, s.mini_skirt) == taken
    # A refused checkout took none of its other line either.
    assert stock(store, s.skirt)[0] == 30 - len(placed) == 30 - sold(store, s.skirt)


def test_the_same_submit_key_from_two_threads_is_one_checkout(
    store: Store, clock: FrozenClock, shopper: str, s: Skus, home: int
) -> None:
    outcomes = run_together(
        4, lambda _: place(store, shopper, clock, {s.dress: 2}, address_id=home, key="page")
    )
    assert isinstance(outcomes[0], Placed), outcomes
    assert all(o == outcomes[0] for o in outcomes), outcomes
    assert value(store, "SELECT COUNT(*) FROM checkout") == 1
    assert stock(store, s.dress)[0] == 3


# -- (b) a notification delivered ten times at once -----------------------------------------


@pytest.fixture
def placed(store: Store, clock: FrozenClock, shopper: str, s: Skus, home: int) -> Placed:
    """A dress (衣衣) and apples (果园) with 满100减10 and the new-user ¥5."""
    coupons.claim(store, shopper, shop_template(store, YIYI), clock=clock)
    return place(store, shopper, clock, {s.dress: 1, s.apples: 2}, address_id=home)


def test_ten_copies_of_a_notification_at_once_apply_once(
    store: Store, clock: FrozenClock, shopper: str, s: Skus, placed: Placed
) -> None:
    qr = cashier.start_qr(store, shopper, placed.no, PaymentMethod.ALIPAY, "qr", clock=clock)
    assert scan(store, qr, clock)
    body = str(value(store, "SELECT body FROM gateway_notice LIMIT 1"))

    outcomes = run_together(10, lambda _: cashier.handle_notice(store, body, clock=clock))

    assert Counter(outcomes) == {NoticeOutcome.APPLIED: 1, NoticeOutcome.DUPLICATE: 9}, outcomes
    assert checkout_status(store, placed.no) == CheckoutStatus.PAID
    assert rows(store, "SELECT COUNT(*) FROM order_event WHERE detail = 'paid'") == [(2,)]
    assert value(store, "SELECT sales FROM sku WHERE id = :id", id=s.apples) == 2
    assert rows(
        store, "SELECT to_status, COUNT(*) FROM payment_event GROUP BY to_status ORDER BY to_status"
    ) == [
        ("pending", 1), ("succeeded", 10),  # one move, nine duplicates noted
    ]  # fmt: skip


def test_catch_up_from_several_processes_at_the_deadline(
    store: Store, clock: FrozenClock, shopper: str, s: Skus, placed: Placed
) -> None:
    """Paid at 14:59 with its notifications still to come: four catch-ups at 15:00 apply
    it once and cancel nothing."""
    qr = cashier.start_qr(store, shopper, placed.no, PaymentMethod.WECHAT, "qr", clock=clock)
    clock.advance(timedelta(minutes=14, seconds=59))
    assert scan(store, qr, clock)
    clock.advance(timedelta(seconds=1))

    outcomes = run_together(
        4, lambda _: jobs.catch_up(store, clock=clock).done.get("overdue_checkouts", 0)
    )

    assert outcomes == [0, 0, 0, 0]  # cancelled nothing, raised nothing
    assert checkout_status(store, placed.no) == CheckoutStatus.PAID
    assert order_statuses(store, placed.no) == ["to_ship", "to_ship"]
    assert stock(store, s.dress)[0] == 4
    assert value(store, "SELECT COUNT(*) FROM payment_event WHERE to_status = 'succeeded'"
                        " AND from_status = 'pending'") == 1  # fmt: skip


# -- (c) two payments racing for one checkout -----------------------------------------------


@pytest.fixture
def password(store: Store, clock: FrozenClock, shopper: str) -> str:
    set_pay_password(store, shopper, clock)
    return "135790"


def only_success(outcomes: list[object]) -> PaymentView:
    succeeded = [o for o in outcomes if isinstance(o, PaymentView)]
    assert len(succeeded) == 1, outcomes
    assert succeeded[0].status is PaymentStatus.SUCCEEDED, outcomes
    assert all(isinstance(o, AlreadyPaid) for o in outcomes if o is not succeeded[0]), outcomes
    return succeeded[0]


def test_two_balance_payments_racing_debit_once(
    store: Store, clock: FrozenClock, shopper: str, placed: Placed, password: str
) -> None:
    outcomes = run_together(
        2, lambda slot: cashier.pay_by_balance(
            store, shopper, placed.no, password, f"bal-{slot}", clock=clock
        ),
    )  # fmt: skip
    winner = only_success(outcomes)
    me = account_of(store, shopper, clock)
    assert balance(store, me) == 20000 - placed.amount == ledger_sum(store, me)
    assert rows(store, "SELECT no, status FROM payment") == [(winner.no, "succeeded")]
    assert checkout_status(store, placed.no) == CheckoutStatus.PAID


def test_a_double_press_with_one_key_debits_once(
    store: Store, clock: FrozenClock, shopper: str, placed: Placed, password: str
) -> None:
    outcomes = run_together(
        2, lambda _: cashier.pay_by_balance(store, shopper, placed.no, password, "k", clock=clock)
    )
    assert isinstance(outcomes[0], PaymentView), outcomes
    assert outcomes[0] == outcomes[1]
    me = account_of(store, shopper, clock)
    assert balance(store, me) == 20000 - placed.amount == ledger_sum(store, me)


def test_card_and_balance_racing_charge_once(
    store: Store, clock: FrozenClock, shopper: str, placed: Placed, password: str
) -> None:
    def pay(slot: int) -> PaymentView:
        if slot == 0:
            return cashier.pay_by_card(
                store, shopper, placed.no, card(), password, "card", clock=clock, sms=SMS
            )
        return cashier.pay_by_balance(store, shopper, placed.no, password, "bal", clock=clock)

    winner = only_success(run_together(2, pay))

    me = account_of(store, shopper, clock)
    by_card = winner.method is PaymentMethod.CARD
    assert balance(store, me) == (20000 if by_card else 20000 - placed.amount)
    assert balance(store, me) == ledger_sum(store, me)
    assert rows(store, "SELECT status FROM gateway_trade") == ([("paid",)] if by_card else [])
    assert rows(store, "SELECT COUNT(*) FROM payment WHERE status = 'succeeded'") == [(1,)]
    assert value(store, "SELECT payment_id FROM checkout") == value(
        store, "SELECT id FROM payment WHERE no = :no", no=winner.no
    )


def test_a_qr_payment_and_the_shoppers_cancel_racing(
    store: Store, clock: FrozenClock, shopper: str, s: Skus, placed: Placed
) -> None:
    """Scanning and paying while the shopper cancels: paid, or cancelled, never both."""
    qr = cashier.start_qr(store, shopper, placed.no, PaymentMethod.ALIPAY, "qr", clock=clock)

    def act(slot: int) -> bool:
        if slot == 0:
            return scan(store, qr, clock)
        return cashier.cancel_unpaid(store, shopper, placed.no, clock=clock)

    scanned, cancelled = run_together(2, act)
    assert scanned is not cancelled, (scanned, cancelled)
    if cancelled:
        assert trade_status(store, qr.trade_no) == "closed"
        assert checkout_status(store, placed.no) == CheckoutStatus.CLOSED
        assert stock(store, s.dress)[0] == 5
    else:
        cashier.payment_status(store, shopper, qr.no, clock=clock)
        assert checkout_status(store, placed.no) == CheckoutStatus.PAID
        assert stock(store, s.dress)[0] == 4


# -- (d) two checkouts racing for one coupon ------------------------------------------------


def test_two_checkouts_racing_for_one_coupon(
    store: Store, clock: FrozenClock, shopper: str, s: Skus, home: int
) -> None:
    held = coupons.claim(store, shopper, shop_template(store, YIYI), clock=clock)
    selection = Selection(shop_coupons={YIYI: held.id})

    outcomes = run_together(
        4,
        lambda _: place(store, shopper, clock, {s.skirt: 2}, address_id=home, selection=selection),
    )

    placed = [o for o in outcomes if isinstance(o, Placed)]
    assert len(placed) == 1, outcomes
    assert all(isinstance(o, CouponUnavailable) for o in outcomes if o not in placed), outcomes
    assert rows(store, "SELECT c.no FROM coupon AS k JOIN checkout AS c ON c.id = k.checkout_id"
                       " WHERE k.id = :id", id=held.id) == [(placed[0].no,)]  # fmt: skip
    assert placed[0].amount == 2 * 6900 - 1000
    assert stock(store, s.skirt)[0] == 28  # only the winner's


def test_checkouts_racing_for_the_coupon_the_shop_chose_all_go_through(
    store: Store, clock: FrozenClock, shopper: str, s: Skus, home: int
) -> None:
    """Four submits that leave the coupons to the shop (`selection=None`) all pick the one
    coupon: one gets it, the others choose again and go through without it; nobody is told
    to choose again, since nobody chose."""
    held = coupons.claim(store, shopper, shop_template(store, YIYI), clock=clock)

    outcomes = run_together(
        4, lambda _: place(store, shopper, clock, {s.skirt: 2}, address_id=home)
    )

    assert all(isinstance(o, Placed) for o in outcomes), outcomes
    with_coupon = rows(store, "SELECT c.no FROM coupon AS k JOIN checkout AS c"
                              " ON c.id = k.checkout_id WHERE k.id = :id", id=held.id)  # fmt: skip
    assert len(with_coupon) == 1
    amounts = sorted(o.amount for o in outcomes if isinstance(o, Placed))
    assert amounts[1:] == [2 * 6900] * 3, amounts  # the three that chose again: no coupon
    assert amounts[0] < 2 * 6900, amounts
    assert stock(store, s.skirt)[0] == 30 - 4 * 2


def test_a_total_changed_by_a_lost_coupon_stops_at_the_expected_total(
    store: Store, clock: FrozenClock, shopper: str, s: Skus, home: int
) -> None:
    """The shop's own choice lost to another checkout changes the total the shopper saw:
    the loser is told the new total (PriceChanged), never charged it silently."""
    coupons.claim(store, shopper, shop_template(store, YIYI), clock=clock)
    seen = checkout.quote(store, shopper, items({s.skirt: 2}), address_id=home, clock=clock)

    outcomes = run_together(
        4,
        lambda _: place(
            store, shopper, clock, {s.skirt: 2}, address_id=home, expected_total=seen.total
        ),
    )

    placed = [o for o in outcomes if isinstance(o, Placed)]
    assert len(placed) == 1, outcomes
    assert all(isinstance(o, PriceChanged) for o in outcomes if o not in placed), outcomes
    assert stock(store, s.skirt)[0] == 28


# -- (e) the deadline from several processes ------------------------------------------------


def test_cancel_overdue_from_several_threads_restores_stock_once(
    store: Store, clock: FrozenClock, shopper: str, s: Skus, home: int
) -> None:
    made = [place(store, shopper, clock, {s.dress: 1, s.apples: 3}, address_id=home)]
    made += [place(store, shopper, clock, {s.dress: 2}, address_id=home) for _ in range(2)]
    assert stock(store, s.dress) == (0, 25)
    assert stock(store, s.apples) == (197, 277)
    clock.advance(timedelta(minutes=15))

    outcomes = run_together(4, lambda _: cashier.cancel_overdue(store, clock=clock))

    assert all(isinstance(o, int) for o in outcomes), outcomes
    assert sum(o for o in outcomes if isinstance(o, int)) == 3, outcomes
    assert stock(store, s.dress) == (5, 30)
    assert stock(store, s.apples) == (200, 280)
    assert value(store, "SELECT COUNT(*) FROM order_event WHERE to_status = 'cancelled'") == 4
    assert {checkout_status(store, m.no) for m in made} == {CheckoutStatus.CLOSED}
    assert {c.state for c in coupons.my_coupons(store, shopper, clock=clock)} == {
        coupons.CouponState.USABLE
    }
    assert new_key()  # keys stay unique across threads


# -- (f) claims, carts and address books from several sessions ------------------------------


def slow_commits(monkeypatch: pytest.MonkeyPatch, store: Store) -> None:
    """Make every write transaction of the store wait a little before it commits: the
    other sessions read meanwhile what it has not committed yet, so that a check-then-write
    relying on the engine to serialise writers (SQLite does, PostgreSQL does not) would
    be caught."""
    writing = store.writing

    @contextmanager
    def slowly() -> Iterator[Transaction]:
        with writing() as tx:
            yield tx
            time.sleep(0.05)

    monkeypatch.setattr(store, "writing", slowly)


def test_one_campaign_claimed_from_several_sessions_at_once(
    store: Store, clock: FrozenClock, shopper: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    yiyi = shop_template(store, YIYI)
    claimed = value(store, "SELECT claimed FROM coupon_template WHERE id = :id", id=yiyi)
    slow_commits(monkeypatch, store)

    outcomes = run_together(4, lambda _: coupons.claim(store, shopper, yiyi, clock=clock))

    assert len([o for o in outcomes if isinstance(o, coupons.HeldCoupon)]) == 1, outcomes
    assert all(isinstance(o, coupons.AlreadyClaimed | coupons.HeldCoupon) for o in outcomes)
    assert value(store, "SELECT claimed FROM coupon_template WHERE id = :id", id=yiyi) == (
        claimed + 1
    )


def test_the_last_coupon_of_a_campaign_goes_to_one_shopper(
    store: Store, clock: FrozenClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    yiyi = shop_template(store, YIYI)
    with store.writing() as tx:
        tx.execute("UPDATE coupon_template SET total = claimed + 1 WHERE id = :id", id=yiyi)
    tokens = [new_shopper(store, clock, f"1370030{n:04d}") for n in range(4)]
    slow_commits(monkeypatch, store)

    outcomes = run_together(4, lambda slot: coupons.claim(store, tokens[slot], yiyi, clock=clock))

    assert len([o for o in outcomes if isinstance(o, coupons.HeldCoupon)]) == 1, outcomes
    assert all(isinstance(o, coupons.CouponGone | coupons.HeldCoupon) for o in outcomes)
    assert value(store, "SELECT total - claimed FROM coupon_template WHERE id = :id", id=yiyi) == 0


def test_additions_to_one_cart_line_at_once_stay_within_its_limit(
    store: Store, clock: FrozenClock, shopper: str, s: Skus, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The phone allows 2 per order: of four sessions adding one each, two get it."""
    slow_commits(monkeypatch, store)
    outcomes = run_together(4, lambda _: cart.add_to_cart(store, shopper, s.phone, 1, clock=clock))

    assert sorted(o for o in outcomes if isinstance(o, int)) == [1, 2], outcomes
    assert all(isinstance(o, InvalidQuantity) for o in outcomes if not isinstance(o, int))
    assert value(store, "SELECT quantity FROM cart_line WHERE sku_id = :sku", sku=s.phone) == 2


def test_new_cart_lines_at_once_stay_within_the_cart_size(
    store: Store, clock: FrozenClock, shopper: str, s: Skus, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cart, "MAX_LINES", 3)
    for sku_id in (s.skirt, s.mini_skirt):
        cart.add_to_cart(store, shopper, sku_id, 1, clock=clock)
    slow_commits(monkeypatch, store)
    others = [s.earbuds, s.apples, s.kiwi, s.earphones]

    outcomes = run_together(
        4, lambda slot: cart.add_to_cart(store, shopper, others[slot], 1, clock=clock)
    )

    assert outcomes.count(1) == 1, outcomes
    assert all(isinstance(o, CartFull) for o in outcomes if o != 1), outcomes
    assert value(store, "SELECT COUNT(*) FROM cart_line") == 3


def defaults(store: Store, account_id: int) -> list[int]:
    return [
        address_id
        for (address_id,) in rows(
            store,
            "SELECT id FROM address WHERE account_id = :account AND is_default ORDER BY id",
            account=account_id,
        )
    ]


def test_the_first_addresses_added_at_once_make_one_default(
    store: Store, clock: FrozenClock, shopper: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    slow_commits(monkeypatch, store)
    outcomes = run_together(4, lambda _: add_address(store, shopper, HOME, clock=clock))

    added = [o for o in outcomes if isinstance(o, Address)]
    assert len(added) == 4, outcomes
    assert [a.id for a in added if a.is_default] == defaults(
        store, account_of(store, shopper, clock)
    )
    assert len(defaults(store, account_of(store, shopper, clock))) == 1


def test_a_full_address_book_takes_no_more_from_several_sessions(
    store: Store, clock: FrozenClock, shopper: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    for _ in range(MAX_ADDRESSES - 1):
        add_address(store, shopper, HOME, clock=clock)
    slow_commits(monkeypatch, store)

    outcomes = run_together(4, lambda _: add_address(store, shopper, HOME, clock=clock))

    assert len([o for o in outcomes if isinstance(o, Address)]) == 1, outcomes
    assert all(isinstance(o, AddressBookFull | Address) for o in outcomes), outcomes
    me = account_of(store, shopper, clock)
    assert value(store, "SELECT COUNT(*) FROM address WHERE account_id = :me", me=me) == 20


def test_moving_the_default_from_several_sessions_leaves_one(
    store: Store, clock: FrozenClock, shopper: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    book = [add_address(store, shopper, HOME, clock=clock).id for _ in range(5)]
    slow_commits(monkeypatch, store)
    targets = book[1:]  # the first is the default

    def act(slot: int) -> object:
        if slot == len(targets):  # and one session deletes the default meanwhile
            return delete_address(store, shopper, book[0], clock=clock)
        if slot % 2:
            return set_default(store, shopper, targets[slot], clock=clock)
        data = replace(HOME, detail=f"文三路 {slot} 号", make_default=True)
        return update_address(store, shopper, targets[slot], data, clock=clock)

    outcomes = run_together(len(targets) + 1, act)

    assert not [o for o in outcomes if isinstance(o, BaseException)], outcomes
    [default] = defaults(store, account_of(store, shopper, clock))
    assert default in targets
    assert list_addresses(store, shopper, clock=clock)[0].id == default
