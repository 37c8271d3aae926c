"""`kstui.providers.gateway`: the simulated 支付宝/微信支付/bank gateway — its trades, the
test cards, and its signed notifications (late, and twice)."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import pytest

from kstui.providers import gateway
from kstui.providers.clock import FrozenClock
from kstui.providers.gateway import NOTICE_DELAYS, TEST_CARDS, CardOutcome, Trade, UnknownTrade
from kstui.store.enums import PaymentMethod, TradeStatus
from kstui.store.interface import Store, from_db_time
from tests.unit.ordering_helpers import OTHER_CARD, rows

MINUTES_15 = timedelta(minutes=15)


def open_trade(
    store: Store, clock: FrozenClock, channel: PaymentMethod = PaymentMethod.ALIPAY,
    *, out_trade_no: str = "P1", amount: int = 1234, expires_at: datetime | None = None,
) -> Trade:  # fmt: skip
    with store.writing() as tx:
        return gateway.open_trade(
            tx, out_trade_no, channel, amount, now=clock.now(),
            expires_at=expires_at or clock.now() + MINUTES_15,
        )  # fmt: skip


def status(store: Store, trade_no: str) -> TradeStatus:
    with store.reading() as tx:
        return gateway.trade(tx, trade_no).status


def test_open_trade_and_query_it(store: Store, clock: FrozenClock) -> None:
    opened = open_trade(store, clock, PaymentMethod.WECHAT)
    with store.reading() as tx:
        assert gateway.trade(tx, opened.trade_no) == opened
        with pytest.raises(UnknownTrade):
            gateway.trade(tx, "T-nope")
    assert opened.status is TradeStatus.OPEN
    assert opened.qr_url == f"https://pay.kstui.test/wechat/qr/{opened.trade_no}"


def test_scan_and_pay_queues_signed_notifications(store: Store, clock: FrozenClock) -> None:
    opened = open_trade(store, clock)
    assert gateway.scan_and_pay(store, opened.trade_no, clock=clock)
    assert not gateway.scan_and_pay(store, opened.trade_no, clock=clock)
    assert status(store, opened.trade_no) is TradeStatus.PAID
    with store.reading() as tx:
        assert gateway.due_notices(tx, clock.now()) == []
        due_first = gateway.due_notices(tx, clock.now() + NOTICE_DELAYS[0])
        due_all = gateway.due_notices(tx, clock.now() + NOTICE_DELAYS[1])
    assert len(due_first) == 1
    assert len(due_all) == 2
    assert due_all[0].body == due_all[1].body
    fields = json.loads(due_all[0].body)
    signature = fields.pop("sign")
    assert fields == {
        "trade_no": opened.trade_no, "out_trade_no": "P1", "amount": 1234, "status": "paid",
    }  # fmt: skip
    assert gateway.signature_valid(fields, signature)
    for changed in ({"amount": 1}, {"status": "closed"}, {"trade_no": "T2"}, {"extra": 1}):
        assert not gateway.signature_valid({**fields, **changed}, signature)
    with store.writing() as tx:
        assert gateway.mark_delivered(tx, due_all[0].id, clock.now())
        assert not gateway.mark_delivered(tx, due_all[0].id, clock.now() + MINUTES_15)  # once
    with store.reading() as tx:
        assert gateway.due_notices(tx, clock.now() + MINUTES_15) == [due_all[1]]
    delivered = rows(store, "SELECT delivered_at FROM gateway_notice ORDER BY id")
    assert [None if at is None else from_db_time(at) for (at,) in delivered] == [clock.now(), None]


def test_an_expired_or_closed_trade_cannot_be_paid(store: Store, clock: FrozenClock) -> None:
    expiring = open_trade(store, clock, expires_at=clock.now() + timedelta(seconds=1))
    closed = open_trade(store, clock, out_trade_no="P2")
    with store.writing() as tx:
        assert gateway.close_trade(tx, closed.trade_no, clock.now())
    clock.advance(timedelta(seconds=1))
    assert not gateway.scan_and_pay(store, expiring.trade_no, clock=clock)
    assert not gateway.scan_and_pay(store, closed.trade_no, clock=clock)
    assert status(store, closed.trade_no) is TradeStatus.CLOSED
    assert rows(store, "SELECT COUNT(*) FROM gateway_notice") == [(0,)]
    with pytest.raises(UnknownTrade):
        gateway.scan_and_pay(store, "T-nope", clock=clock)


@pytest.mark.parametrize("number", [*TEST_CARDS, OTHER_CARD])
def test_the_test_cards(store: Store, clock: FrozenClock, number: str) -> None:
    opened = open_trade(store, clock, PaymentMethod.CARD)
    with store.writing() as tx:
        outcome = gateway.charge_card(tx, number, opened, clock.now())
    assert outcome is TEST_CARDS.get(number, CardOutcome.APPROVED)
    expected = {
        CardOutcome.APPROVED: TradeStatus.PAID,
        CardOutcome.DECLINED: TradeStatus.CLOSED,
        CardOutcome.INSUFFICIENT_FUNDS: TradeStatus.CLOSED,
        CardOutcome.VERIFY_BY_SMS: TradeStatus.OPEN,
    }[outcome]
    assert status(store, opened.trade_no) is expected
    assert rows(store, "SELECT COUNT(*) FROM gateway_notice") == [(0,)]  # cards answer at once


def test_card_verification_pays_an_open_trade_in_time(store: Store, clock: FrozenClock) -> None:
    waiting = open_trade(store, clock, PaymentMethod.CARD)
    late = open_trade(store, clock, PaymentMethod.CARD, out_trade_no="P2",
                      expires_at=clock.now() + timedelta(seconds=1))  # fmt: skip
    clock.advance(timedelta(seconds=1))
    with store.writing() as tx:
        assert gateway.confirm_card(tx, waiting.trade_no, clock.now())
        assert not gateway.confirm_card(tx, waiting.trade_no, clock.now())
        assert not gateway.confirm_card(tx, late.trade_no, clock.now())
    assert status(store, waiting.trade_no) is TradeStatus.PAID


def test_close_and_refund(store: Store, clock: FrozenClock) -> None:
    opened = open_trade(store, clock)
    paid = open_trade(store, clock, out_trade_no="P2")
    assert gateway.scan_and_pay(store, paid.trade_no, clock=clock)
    with store.writing() as tx:
        assert not gateway.refund_trade(tx, opened.trade_no, clock.now())  # never paid
        assert not gateway.close_trade(tx, paid.trade_no, clock.now())  # paid: not closed
        assert gateway.close_trade(tx, opened.trade_no, clock.now())
        assert gateway.refund_trade(tx, paid.trade_no, clock.now())
        assert not gateway.refund_trade(tx, paid.trade_no, clock.now())  # once
    assert status(store, opened.trade_no) is TradeStatus.CLOSED
    assert status(store, paid.trade_no) is TradeStatus.REFUNDED
