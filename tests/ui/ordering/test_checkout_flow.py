"""Pilot tests of the whole journey, once per payment method: search → product → cart →
checkout → cashier → 支付成功 → the order in 我的订单; and the cashier's failure paths."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from textual.pilot import Pilot
from textual.widgets import Button, RadioSet, Static

from kstui.app import KstuiApp
from kstui.providers import gateway
from kstui.providers.clock import FrozenClock
from kstui.screens.address_book import AddressBookScreen, AddressFormScreen
from kstui.screens.cart import CartScreen
from kstui.screens.cashier import CashierScreen
from kstui.screens.checkout import CheckoutScreen
from kstui.screens.login import LoginScreen
from kstui.screens.orders import OrdersScreen
from kstui.screens.payment_done import PaymentDoneScreen
from kstui.screens.product import ProductScreen
from kstui.services import jobs
from kstui.services.accounts import security
from kstui.services.ordering import addresses
from kstui.services.ordering.addresses import AddressInput
from kstui.services.payments import wallet
from kstui.store.enums import OrderStatus
from kstui.store.interface import Store
from kstui.widgets.form import FormField
from kstui.widgets.product_list import ProductList
from kstui.widgets.qr_code import QrCode
from tests.conftest import ADULT, PASSWORD
from tests.ui.helpers import (
    TERMINAL_SIZE,
    latest_code,
    product_loaded,
    results_for,
    settle,
    type_into,
)

MakeApp = Callable[..., KstuiApp]
KIWI = 11
"""有机红心猕猴桃12个: ¥45.90, 30 in stock, no specs, from 果园直发 (freight ¥10)."""
PAYMENT_PASSWORD = "135790"
HOME = AddressInput("林小满", "13800138000", "33", "3301", "330106", "文三路 90 号")


def prepare(store: Store, clock: FrozenClock, token_for: Callable[[str], str]) -> None:
    """The shopper's address and payment password, as set up on an earlier day."""
    token = token_for(ADULT)
    addresses.add_address(store, token, HOME, clock=clock)
    security.set_payment_password(store, token, PAYMENT_PASSWORD, PAYMENT_PASSWORD, clock=clock)


async def wait_for(pilot: Pilot[None], screen_class: type, *, rounds: int = 200) -> None:
    for _ in range(rounds):
        await settle(pilot)
        if isinstance(pilot.app.screen, screen_class):
            return
    raise AssertionError(f"{screen_class.__name__} never shown; on {pilot.app.screen!r}")


async def to_cashier(
    pilot: Pilot[None], app: KstuiApp, store: Store, *, log_in: bool = False
) -> CashierScreen:
    """Search for the kiwis, open them from the results, add two to the cart (logging in
    on the way with `log_in`), check out, submit: the cashier."""
    await results_for(pilot)
    await pilot.press("slash", *"猕猴桃")
    await results_for(pilot, "猕猴桃")
    app.screen.query_one(ProductList).focus()
    await pilot.press("enter")  # the first (and only) result
    page = await product_loaded(pilot)
    assert page.product_id == KIWI
    await pilot.press("b")  # 加入购物车
    if log_in:  # a guest: the login screen first, then back with the line added
        await wait_for(pilot, LoginScreen)
        app.screen.query_one("TabbedContent").active = "password-tab"  # type: ignore[attr-defined]
        await type_into(pilot, "#password-phone-input", ADULT)
        await type_into(pilot, "#password-input", PASSWORD)
        await pilot.click("#password-login")
        await wait_for(pilot, ProductScreen)
    await settle(pilot)
    await pilot.press("b")  # once more: one line of 2
    await settle(pilot)
    await pilot.press("c")
    await wait_for(pilot, CartScreen)
    cart = app.screen
    assert isinstance(cart, CartScreen)
    assert cart.view is not None
    assert [(line.sku.sku_id, line.quantity) for line in cart.view.lines] == [(kiwi_sku(store), 2)]
    await pilot.press("g")
    await wait_for(pilot, CheckoutScreen)
    checkout = app.screen
    assert isinstance(checkout, CheckoutScreen)
    await settle(pilot)
    assert checkout.quote is not None
    assert checkout.quote.total == 2 * 4590 + 1000 - 500  # freight ¥10, new-user ¥5 off
    await pilot.press("ctrl+s")
    await wait_for(pilot, CashierScreen)
    cashier = app.screen
    assert isinstance(cashier, CashierScreen)
    await settle(pilot)
    return cashier


async def choose_method(pilot: Pilot[None], cashier: CashierScreen, index: int) -> None:
    radios = cashier.query_one("#cashier-method", RadioSet)
    radios.focus()
    await pilot.pause()
    await pilot.press(*["down"] * index, "enter")
    await settle(pilot)
    assert radios.pressed_index == index


async def finish(pilot: Pilot[None], app: KstuiApp, store: Store) -> None:
    """支付成功, then 查看订单 lists the order as 待发货."""
    await wait_for(pilot, PaymentDoneScreen)
    done = app.screen
    assert "支付成功" in str(done.query_one("#done-title", Static).render())
    await pilot.click("#to-orders")
    await wait_for(pilot, OrdersScreen)
    await settle(pilot)
    rows = [str(s.render()) for s in app.screen.query(".order-row").results(Static)]
    assert len(rows) == 1
    assert "待发货" in rows[0]
    assert "猕猴桃" in rows[0]
    with store.reading() as tx:
        assert tx.fetch_all("SELECT status FROM shop_order") == [(OrderStatus.TO_SHIP.value,)]
        assert tx.fetch_value("SELECT COUNT(*) FROM cart_line") == 0


async def buy_now(pilot: Pilot[None], app: KstuiApp) -> CheckoutScreen:
    """立即购买 one kiwi box from its product page: the checkout, priced."""
    await results_for(pilot)
    await app.push_screen(ProductScreen(KIWI))
    await product_loaded(pilot)
    await pilot.press("n")
    await wait_for(pilot, CheckoutScreen)
    await settle(pilot)
    checkout = app.screen
    assert isinstance(checkout, CheckoutScreen)
    return checkout


def kiwi_sku(store: Store) -> int:
    with store.reading() as tx:
        return int(tx.fetch_value("SELECT id FROM sku WHERE product_id = :id", id=KIWI))


async def test_journey_with_alipay(
    make_app: MakeApp, store: Store, clock: FrozenClock, token_for: Callable[[str], str]
) -> None:
    prepare(store, clock, token_for)
    app = make_app(phone=ADULT)
    async with app.run_test(size=TERMINAL_SIZE) as pilot:
        cashier = await to_cashier(pilot, app, store)
        assert cashier.payment is not None
        assert cashier.payment.qr_url is not None
        assert cashier.query_one(QrCode).data == cashier.payment.qr_url
        assert "/alipay/qr/" in cashier.payment.qr_url
        await pilot.click("#scan")  # the phone scans and pays
        await settle(pilot)
        assert not isinstance(app.screen, PaymentDoneScreen)  # the notification is late
        clock.advance(timedelta(seconds=3))
        jobs.catch_up(store, clock=clock)  # the gateway's notification arrives
        await finish(pilot, app, store)


async def test_journey_with_wechat_and_i_have_paid(
    make_app: MakeApp, store: Store, clock: FrozenClock, token_for: Callable[[str], str]
) -> None:
    prepare(store, clock, token_for)
    app = make_app(phone=ADULT)
    async with app.run_test(size=TERMINAL_SIZE) as pilot:
        cashier = await to_cashier(pilot, app, store)
        await choose_method(pilot, cashier, 1)
        assert cashier.payment is not None
        assert "/wechat/qr/" in (cashier.payment.qr_url or "")
        await pilot.click("#check")  # 我已完成支付, before paying: not yet
        await settle(pilot)
        assert "还没有收到付款" in str(cashier.query_one("#cashier-status", Static).render())
        assert cashier.payment.trade_no is not None
        assert gateway.scan_and_pay(store, cashier.payment.trade_no, clock=clock)
        cashier.query_one("#check", Button).press()  # asks the gateway: paid, no waiting
        await finish(pilot, app, store)


async def fill_card(pilot: Pilot[None], cashier: CashierScreen, number: str) -> None:
    for name, value in (("number", number), ("expiry", "12/30"), ("holder", "林小满"),
                        ("card-password", PAYMENT_PASSWORD)):  # fmt: skip
        field = cashier.query_one(f"#{name}-field", FormField)
        field.input.value = value
    await pilot.pause()


async def test_journey_with_a_card_declined_then_with_sms(
    make_app: MakeApp, store: Store, clock: FrozenClock, token_for: Callable[[str], str]
) -> None:
    prepare(store, clock, token_for)
    app = make_app(phone=ADULT)
    async with app.run_test(size=TERMINAL_SIZE) as pilot:
        cashier = await to_cashier(pilot, app, store)
        await choose_method(pilot, cashier, 2)
        await fill_card(pilot, cashier, "6222 0200 0000 0000 018")  # declined
        await pilot.click("#pay-card")
        await settle(pilot)
        assert "银行卡被拒绝" in str(cashier.query_one("#cashier-status", Static).render())
        assert isinstance(app.screen, CashierScreen)  # the order still waits for payment
        await fill_card(pilot, cashier, "6222020000000000034")  # needs an SMS code
        await pilot.click("#pay-card")
        await settle(pilot)
        assert cashier.query_one("#sms-code-field").display
        code = latest_code(store, ADULT)
        cashier.query_one("#sms-code-field", FormField).input.value = code
        await pilot.click("#pay-card")
        await finish(pilot, app, store)


async def test_journey_with_the_balance(
    make_app: MakeApp, store: Store, clock: FrozenClock, token_for: Callable[[str], str]
) -> None:
    prepare(store, clock, token_for)
    token = token_for(ADULT)
    before = wallet.wallet_view(store, token, clock=clock).balance
    app = make_app(phone=ADULT)
    async with app.run_test(size=TERMINAL_SIZE) as pilot:
        cashier = await to_cashier(pilot, app, store)
        await choose_method(pilot, cashier, 3)
        field = cashier.query_one("#balance-password-field", FormField)
        field.input.value = "975310"  # wrong
        await pilot.click("#pay-balance")
        await settle(pilot)
        assert "支付密码不正确" in field.error
        field.input.value = PAYMENT_PASSWORD
        await pilot.click("#pay-balance")
        await finish(pilot, app, store)
    after = wallet.wallet_view(store, token, clock=clock)
    assert before - after.balance == 2 * 4590 + 1000 - 500
    assert after.balance == sum(e.amount for e in after.entries)


async def test_address_added_at_checkout(make_app: MakeApp) -> None:
    app = make_app(phone=ADULT)
    async with app.run_test(size=TERMINAL_SIZE) as pilot:
        checkout = await buy_now(pilot, app)  # 立即购买: straight to checkout
        assert checkout.quote is not None
        assert checkout.quote.ship_to is None
        await pilot.press("ctrl+s")  # no address yet: the address book opens
        await wait_for(pilot, AddressBookScreen)
        await pilot.click("#add")
        await wait_for(pilot, AddressFormScreen)
        form = app.screen
        form.query_one("#recipient-field", FormField).input.value = "[b]林[/b]"
        form.query_one("#phone-field", FormField).input.value = "12345"
        await pilot.click("#save")
        await settle(pilot)
        assert form.query_one("#recipient-field", FormField).error  # markup refused
        form.query_one("#recipient-field", FormField).input.value = "林小满"
        await pilot.click("#save")
        await settle(pilot)
        assert (
            "手机号" in form.query_one("#phone-field", FormField).error
            or form.query_one("#phone-field", FormField).error
        )
        form.query_one("#phone-field", FormField).input.value = "13800138000"
        form.query_one("#province").value = "33"
        await settle(pilot)
        form.query_one("#city").value = "3301"
        await settle(pilot)
        form.query_one("#district").value = "330106"
        form.query_one("#detail-field", FormField).input.value = "文三路 90 号"
        await pilot.click("#save")
        await wait_for(pilot, AddressBookScreen)
        await settle(pilot)
        await pilot.click("#use")
        await wait_for(pilot, CheckoutScreen)
        await settle(pilot)
        assert checkout.quote.ship_to is not None
        assert checkout.quote.ship_to.region == "浙江省 杭州市 西湖区"
        assert "文三路 90 号" in str(checkout.query_one("#address-text", Static).render())


async def test_submitting_twice_creates_one_checkout(
    make_app: MakeApp, store: Store, clock: FrozenClock, token_for: Callable[[str], str]
) -> None:
    prepare(store, clock, token_for)
    app = make_app(phone=ADULT)
    async with app.run_test(size=TERMINAL_SIZE) as pilot:
        checkout = await buy_now(pilot, app)
        checkout.query_one("#submit", Button).press()
        checkout.action_submit()  # a second press before the first answer
        await wait_for(pilot, CashierScreen)
    with store.reading() as tx:
        assert tx.fetch_value("SELECT COUNT(*) FROM checkout") == 1
        assert tx.fetch_value("SELECT stock FROM sku WHERE product_id = :id", id=KIWI) == 29


async def test_unpaid_order_times_out_at_the_cashier(
    make_app: MakeApp, store: Store, clock: FrozenClock, token_for: Callable[[str], str]
) -> None:
    prepare(store, clock, token_for)
    app = make_app(phone=ADULT)
    async with app.run_test(size=TERMINAL_SIZE) as pilot:
        await buy_now(pilot, app)
        await pilot.press("ctrl+s")
        await wait_for(pilot, CashierScreen)
        cashier = app.screen
        assert isinstance(cashier, CashierScreen)
        await settle(pilot)
        assert "14:59" in str(cashier.query_one("#cashier-countdown", Static).render()) or (
            "15:00" in str(cashier.query_one("#cashier-countdown", Static).render())
        )
        clock.advance(timedelta(minutes=15))
        cashier._tick()  # the countdown's next tick
        await settle(pilot)
        assert "订单已取消" in str(cashier.query_one("#cashier-countdown", Static).render())
        assert not cashier.query_one("#cashier-method").display
    with store.reading() as tx:
        assert tx.fetch_all("SELECT status FROM shop_order") == [("cancelled",)]
        assert tx.fetch_value("SELECT stock FROM sku WHERE product_id = :id", id=KIWI) == 30


async def test_address_book_buttons_act_on_the_highlighted_address(
    make_app: MakeApp, store: Store, clock: FrozenClock, token_for: Callable[[str], str]
) -> None:
    prepare(store, clock, token_for)
    other = AddressInput("王五", "13900001111", "11", "1101", "110105", "建国路 1 号")
    addresses.add_address(store, token_for(ADULT), other, clock=clock)
    app = make_app(phone=ADULT)
    async with app.run_test(size=TERMINAL_SIZE) as pilot:
        checkout = await buy_now(pilot, app)
        assert checkout.quote is not None
        assert checkout.quote.ship_to is not None
        assert checkout.quote.ship_to.recipient == "林小满"  # the default
        await pilot.press("ctrl+a")
        await wait_for(pilot, AddressBookScreen)
        await settle(pilot)
        await pilot.press("down")  # to 王五, then the mouse on 使用
        await pilot.click("#use")
        await wait_for(pilot, CheckoutScreen)
        await settle(pilot)
        assert checkout.quote.ship_to is not None
        assert checkout.quote.ship_to.recipient == "王五"
        assert checkout.quote.ship_to.region == "北京市 朝阳区"
