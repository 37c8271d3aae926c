"""Snapshots of the ordering screens at 80×24: 购物车, the address book, 确认订单 and its
dialogs, the 收银台 for every method and its failures, 支付成功, 我的订单 and the wallet.
Frozen clock (2026-11-22 10:00 in Beijing), the small test seed, the adult demo shopper.

Order, payment and trade numbers are random in the shop (`secrets.randbelow`); here they
come from a counter, so that numbers and QR codes are the same on every run.

Update with `pytest tests/ui/ordering/test_ordering_snapshots.py --snapshot-update`, then look at
every changed screen in snapshot_report.html before committing.
"""

from __future__ import annotations

import itertools
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.screen import Screen

from kstui.app import KstuiApp
from kstui.providers import gateway
from kstui.providers.clock import FrozenClock
from kstui.providers.sms import OutboxSms
from kstui.screens.address_book import AddressBookScreen, AddressFormScreen
from kstui.screens.cart import CartScreen
from kstui.screens.cashier import CashierScreen
from kstui.screens.checkout import CheckoutScreen
from kstui.screens.checkout_dialogs import CouponPickerScreen, InvoiceScreen
from kstui.screens.orders import OrdersScreen
from kstui.screens.payment_done import PaymentDoneScreen
from kstui.screens.wallet import RechargeScreen, WalletScreen
from kstui.services.accounts import security
from kstui.services.ordering import addresses, cart, checkout
from kstui.services.ordering.addresses import AddressInput
from kstui.services.ordering.checkout import Item, OrderRequest
from kstui.services.payments import cashier
from kstui.services.payments.cards import check_card
from kstui.store.enums import PaymentMethod
from kstui.store.interface import Store
from kstui.widgets.form import FormField
from tests.conftest import ADULT, MINOR, NOW
from tests.ui.helpers import SMALL_TERMINAL, results_for, settle
from tests.ui.ordering.test_coupons_flow import claim_for

MakeApp = Callable[..., KstuiApp]
Snap = Callable[..., bool]
TokenFor = Callable[[str], str]
RunBefore = Callable[[Pilot[None]], Awaitable[None]]
LANGS = pytest.mark.parametrize("lang", ["zh", "en"])
PAYMENT_PASSWORD = "135790"
HOME = AddressInput("林小满", ADULT, "33", "3301", "330106", "文三路 90 号 3 幢 502 室")
WORK = AddressInput("林小满", "13912345678", "31", "3101", "310104", "漕溪北路 88 号 18 楼")
DORM = AddressInput("陈一一", MINOR, "33", "3301", "330106", "学院路 12 号")


@pytest.fixture(autouse=True)
def counted_numbers(monkeypatch: pytest.MonkeyPatch) -> None:
    """Order, payment and trade numbers (and SMS codes) from a counter, not at random.

    `kstui.services.ordering.checkout`, `kstui.services.payments.cashier` and
    `kstui.providers.gateway` all call `secrets.randbelow` of the one `secrets` module:
    patching it there once covers the three. The counter is scrambled so that the numbers
    look like numbers.
    """
    counter = itertools.count(1)

    def randbelow(n: int) -> int:
        return (next(counter) * 48_271_000_037) % n

    for module in (checkout, cashier, gateway):
        monkeypatch.setattr(module.secrets, "randbelow", randbelow)


# -- the store behind the screens -----------------------------------------------------------


def sku_of(store: Store, slug: str, *, price: int | None = None, in_stock: bool = True) -> int:
    """The first SKU of a product of the test seed (at `price`, with stock)."""
    with store.reading() as tx:
        rows = tx.fetch_all(
            "SELECT s.id, s.price, s.stock FROM sku AS s JOIN product AS p"
            " ON p.id = s.product_id WHERE p.slug = :slug ORDER BY s.id",
            slug=slug,
        )
    return next(
        int(sku_id)
        for sku_id, sku_price, stock in rows
        if (price is None or sku_price == price) and (stock > 0 or not in_stock)
    )


def prepare(store: Store, clock: FrozenClock, token: str, *, password: bool = True) -> None:
    """The shopper's home address and payment password, as set up on an earlier day."""
    addresses.add_address(store, token, HOME, clock=clock)
    if password:
        security.set_payment_password(store, token, PAYMENT_PASSWORD, PAYMENT_PASSWORD, clock=clock)


def place(
    store: Store,
    clock: FrozenClock,
    token: str,
    items: tuple[Item, ...],
    *,
    method: PaymentMethod = PaymentMethod.ALIPAY,
    key: str = "checkout-1",
) -> str:
    """提交订单 as the checkout page does; the checkout's number."""
    request = OrderRequest(items=items, submit_key=key, address_id=None, method=method)
    return checkout.submit(store, token, request, clock=clock).no


def kiwis(store: Store) -> tuple[Item, ...]:
    """Two 有机红心猕猴桃 (果园直发): ¥91.80 + ¥10 freight - ¥5 for new users."""
    return (Item(sku_of(store, "filler-4"), 2),)


def two_stores(store: Store) -> tuple[Item, ...]:
    """A dress (衣衣小铺, ¥139) and earbuds (声声数码, ¥299)."""
    return (
        Item(sku_of(store, "floral-dress", price=13900), 1),
        Item(sku_of(store, "anc-earbuds"), 1),
    )


async def wait_for(pilot: Pilot[None], screen_class: type, *, rounds: int = 200) -> None:
    for _ in range(rounds):
        await settle(pilot)
        if isinstance(pilot.app.screen, screen_class):
            await settle(pilot)
            return
    raise AssertionError(f"{screen_class.__name__} never shown; on {pilot.app.screen!r}")


def opening(screen: Callable[[], Screen[Any]], shown: type) -> RunBefore:
    """Open a screen over the catalogue (as its key or the screen before it would)."""

    async def run_before(pilot: Pilot[None]) -> None:
        await results_for(pilot)
        pilot.app.push_screen(screen())
        await wait_for(pilot, shown)

    return run_before


def pressing(*keys: str, shown: type) -> RunBefore:
    """Press keys on the catalogue, then wait for a screen."""

    async def run_before(pilot: Pilot[None]) -> None:
        await results_for(pilot)
        await pilot.press(*keys)
        await wait_for(pilot, shown)

    return run_before


async def fill(pilot: Pilot[None], values: dict[str, str]) -> None:
    """Type into the form fields of the screen, by field name."""
    for name, value in values.items():
        field = pilot.app.screen.query_one(f"#{name}-field", FormField)
        field.input.value = value
    await pilot.pause()


def card(number: str) -> dict[str, str]:
    """The bank card form filled in for a test card."""
    return {"number": number, "expiry": "12/30", "holder": "林小满",
            "card-password": PAYMENT_PASSWORD}  # fmt: skip


def snap(snap_compare: Snap, app: KstuiApp, run_before: RunBefore) -> bool:
    return snap_compare(app, terminal_size=SMALL_TERMINAL, run_before=run_before)


# -- 购物车 -----------------------------------------------------------------------------------


def test_cart_empty(snap_compare: Snap, make_app: MakeApp) -> None:
    """You should see 购物车 with the empty-cart text, 全选 unticked, 合计 ¥0.00 and a
    disabled 去结算."""
    assert snap(snap_compare, make_app(phone=ADULT), pressing("c", shown=CartScreen))


@LANGS
def test_cart_two_stores(
    snap_compare: Snap,
    make_app: MakeApp,
    store: Store,
    clock: FrozenClock,
    token_for: TokenFor,
    lang: str,
) -> None:
    """You should see 声声数码 (earbuds, ticked, its row focused) and 衣衣小铺: the
    markup-named product shown literally and 已售罄 (⊘), the dress with 仅剩 1 件 (⊘: 2 in
    the cart, 1 left), a skirt (ticked); specs and notes in grey; 合计 ¥363.00 of the
    ticked lines, 已优惠 ¥5.00, and 去结算(2)."""
    buyer = token_for(ADULT)
    for sku_id, quantity in (
        (sku_of(store, "pleated-skirt"), 1),
        (sku_of(store, "floral-dress", price=13900), 2),
        (sku_of(store, "markup-test"), 1),
        (sku_of(store, "anc-earbuds"), 1),
    ):
        cart.add_to_cart(store, buyer, sku_id, quantity, clock=clock)
    other = token_for(MINOR)  # another shopper buys the last markup piece and one dress
    addresses.add_address(store, other, DORM, clock=clock)
    items = (
        Item(sku_of(store, "markup-test"), 1),
        Item(sku_of(store, "floral-dress", price=13900), 1),
    )
    place(store, clock, other, items)
    assert snap(snap_compare, make_app(lang, phone=ADULT), pressing("c", shown=CartScreen))


# -- 收货地址 ---------------------------------------------------------------------------------


def test_address_book(
    snap_compare: Snap, make_app: MakeApp, store: Store, clock: FrozenClock, token_for: TokenFor
) -> None:
    """You should see 选择收货地址 over 确认订单 with two addresses: the home one (默认,
    chosen ◉, focused) and the Shanghai office one, the keys in grey, and 新增地址 / 编辑 /
    设为默认 / 使用."""
    token = token_for(ADULT)
    prepare(store, clock, token)
    addresses.add_address(store, token, WORK, clock=clock)

    async def run_before(pilot: Pilot[None]) -> None:
        await opening(lambda: CheckoutScreen(kiwis(store)), CheckoutScreen)(pilot)
        await pilot.press("ctrl+a")
        await wait_for(pilot, AddressBookScreen)

    assert snap(snap_compare, make_app(phone=ADULT), run_before)


def _address_form(store: Store, recipient: str, phone: str) -> RunBefore:
    """新增收货地址 from the checkout of a shopper without addresses, saved with errors."""

    async def run_before(pilot: Pilot[None]) -> None:
        await opening(lambda: CheckoutScreen(kiwis(store)), CheckoutScreen)(pilot)
        await pilot.press("ctrl+a")
        await wait_for(pilot, AddressBookScreen)
        await pilot.click("#add")
        await wait_for(pilot, AddressFormScreen)
        await fill(pilot, {"recipient": recipient, "phone": phone})
        await pilot.click("#save")
        await settle(pilot)

    return run_before


@LANGS
def test_address_form_markup_recipient(
    snap_compare: Snap, make_app: MakeApp, store: Store, lang: str
) -> None:
    """You should see 新增收货地址 with `[b]林[/b]` typed as is (not bold) and refused under
    收货人; the form fits the 80×24 terminal with 取消 / 确定 at the bottom."""
    assert snap(
        snap_compare, make_app(lang, phone=ADULT), _address_form(store, "[b]林[/b]", "12345")
    )


def test_address_form_bad_phone(snap_compare: Snap, make_app: MakeApp, store: Store) -> None:
    """You should see 新增收货地址 with the recipient accepted and 12345 refused under 手机号."""
    run_before = _address_form(store, "林小满", "12345")
    assert snap(snap_compare, make_app(phone=ADULT), run_before)


# -- 确认订单 ---------------------------------------------------------------------------------


@LANGS
def test_checkout_two_stores_with_coupons(
    snap_compare: Snap,
    make_app: MakeApp,
    store: Store,
    clock: FrozenClock,
    token_for: TokenFor,
    lang: str,
) -> None:
    """You should see 确认订单: the home address (林小满 138****8000), 衣衣小铺 with the dress
    and its 满100减10 applied, 声声数码 with the earbuds and 满200打9.5折 applied (specs in
    grey), and 实付 ¥408.05 with 共优惠 ¥29.95 (the platform's ¥5 is further down)."""
    token = token_for(ADULT)
    prepare(store, clock, token)
    claim_for(store, clock, token, "yiyi")
    claim_for(store, clock, token, "shengsheng")
    run_before = opening(lambda: CheckoutScreen(two_stores(store), from_cart=True), CheckoutScreen)
    assert snap(snap_compare, make_app(lang, phone=ADULT), run_before)


def test_checkout_scrolled_to_the_end(
    snap_compare: Snap, make_app: MakeApp, store: Store, clock: FrozenClock, token_for: TokenFor
) -> None:
    """You should see the rest of the same 确认订单: 声声数码's subtotal, 平台优惠 with the
    new-user ¥5, 发票 不开发票, the four payment methods (支付宝 ticked) and the breakdown
    (商品金额, 运费, 店铺优惠, 平台优惠) above 实付 and 提交订单."""
    token = token_for(ADULT)
    prepare(store, clock, token)
    claim_for(store, clock, token, "yiyi")
    claim_for(store, clock, token, "shengsheng")

    async def run_before(pilot: Pilot[None]) -> None:
        await opening(lambda: CheckoutScreen(two_stores(store)), CheckoutScreen)(pilot)
        pilot.app.screen.query_one("#checkout-page").scroll_end(animate=False)
        await settle(pilot)

    assert snap(snap_compare, make_app(phone=ADULT), run_before)


def test_coupon_picker_below_threshold(
    snap_compare: Snap, make_app: MakeApp, store: Store, clock: FrozenClock, token_for: TokenFor
) -> None:
    """You should see the 衣衣小铺 coupon picker over 确认订单 for a ¥69 skirt: 不使用优惠券
    chosen and highlighted, 满100减10 greyed out with 还差 ¥31 可用 and its end date."""
    token = token_for(ADULT)
    prepare(store, clock, token)
    claim_for(store, clock, token, "yiyi")
    skirt = (Item(sku_of(store, "pleated-skirt"), 1),)

    async def run_before(pilot: Pilot[None]) -> None:
        await opening(lambda: CheckoutScreen(skirt), CheckoutScreen)(pilot)
        await pilot.click(".shop-coupon")
        await wait_for(pilot, CouponPickerScreen)

    assert snap(snap_compare, make_app(phone=ADULT), run_before)


def test_invoice_company_bad_credit_code(
    snap_compare: Snap, make_app: MakeApp, store: Store, clock: FrozenClock, token_for: TokenFor
) -> None:
    """You should see 发票 over 确认订单 with 单位 ticked, a company title, the unified
    social credit code refused under its field, and the note in grey."""
    prepare(store, clock, token_for(ADULT))

    async def run_before(pilot: Pilot[None]) -> None:
        await opening(lambda: CheckoutScreen(kiwis(store)), CheckoutScreen)(pilot)
        await pilot.click("#invoice")
        await wait_for(pilot, InvoiceScreen)
        await pilot.press("right", "right", "enter")  # 不开发票 → 个人 → 企业
        await settle(pilot)
        await fill(pilot, {"title": "杭州小满科技有限公司", "tax_no": "91330106MA2XXXXX1X"})
        await pilot.click("#save")
        await settle(pilot)

    assert snap(snap_compare, make_app(phone=ADULT), run_before)


# -- 收银台 -----------------------------------------------------------------------------------


def _cashier(
    store: Store,
    clock: FrozenClock,
    token_for: TokenFor,
    method: PaymentMethod,
    *,
    password: bool = True,
) -> Callable[[], CashierScreen]:
    """A checkout of two kiwis submitted with `method`: its cashier, as 提交订单 opens it."""
    token = token_for(ADULT)
    prepare(store, clock, token, password=password)
    no = place(store, clock, token, kiwis(store), method=method)
    return lambda: CashierScreen(no, method=method)


@LANGS
def test_cashier_alipay(
    snap_compare: Snap,
    make_app: MakeApp,
    store: Store,
    clock: FrozenClock,
    token_for: TokenFor,
    lang: str,
) -> None:
    """You should see 收银台: 需支付 ¥96.80, 剩余支付时间 15:00, 支付宝 ticked (and under the
    cursor), 模拟扫码并支付 and 我已完成支付, and the whole QR code, 37×19 cells with a
    white border of 2 modules, over 打开支付宝，扫一扫付款. No ^s in the key bar."""
    cashier = _cashier(store, clock, token_for, PaymentMethod.ALIPAY)
    assert snap(snap_compare, make_app(lang, phone=ADULT), opening(cashier, CashierScreen))


def test_cashier_wechat(
    snap_compare: Snap, make_app: MakeApp, store: Store, clock: FrozenClock, token_for: TokenFor
) -> None:
    """You should see 收银台 with 微信支付 ticked and under the cursor, and its own QR code
    over 打开微信，扫一扫付款."""
    cashier = _cashier(store, clock, token_for, PaymentMethod.WECHAT)
    assert snap(snap_compare, make_app(phone=ADULT), opening(cashier, CashierScreen))


def test_cashier_card_declined(
    snap_compare: Snap, make_app: MakeApp, store: Store, clock: FrozenClock, token_for: TokenFor
) -> None:
    """You should see 银行卡 ticked, the card form filled (expiry and holder apart, the
    password hidden) and 银行卡被拒绝 in red on the left; the order still waits for payment."""
    cashier = _cashier(store, clock, token_for, PaymentMethod.CARD)

    async def run_before(pilot: Pilot[None]) -> None:
        await opening(cashier, CashierScreen)(pilot)
        await fill(pilot, card("6222 0200 0000 0000 018"))
        await pilot.click("#pay-card")
        await settle(pilot)

    assert snap(snap_compare, make_app(phone=ADULT), run_before)


def test_cashier_card_sms_code(
    snap_compare: Snap, make_app: MakeApp, store: Store, clock: FrozenClock, token_for: TokenFor
) -> None:
    """You should see the card form with a 短信验证码 field added and focused, the code
    sent explained on the left, and the bank's text shown as a notification (the simulated
    phone) below the form."""
    cashier = _cashier(store, clock, token_for, PaymentMethod.CARD)

    async def run_before(pilot: Pilot[None]) -> None:
        await opening(cashier, CashierScreen)(pilot)
        await fill(pilot, card("6222020000000000034"))
        await pilot.click("#pay-card")
        await settle(pilot)

    assert snap(snap_compare, make_app(phone=ADULT), run_before)


def test_cashier_balance(
    snap_compare: Snap, make_app: MakeApp, store: Store, clock: FrozenClock, token_for: TokenFor
) -> None:
    """You should see 余额 ticked and under the cursor, 可用余额 ¥200.00, the payment
    password field and 确认支付, ^s 支付 in the key bar."""
    cashier = _cashier(store, clock, token_for, PaymentMethod.BALANCE)
    assert snap(snap_compare, make_app(phone=ADULT), opening(cashier, CashierScreen))


@LANGS
def test_cashier_needs_payment_password(
    snap_compare: Snap,
    make_app: MakeApp,
    store: Store,
    clock: FrozenClock,
    token_for: TokenFor,
    lang: str,
) -> None:
    """You should see 银行卡 ticked and, instead of the card form, the payment password
    needed with a 设置支付密码 button."""
    cashier = _cashier(store, clock, token_for, PaymentMethod.CARD, password=False)
    assert snap(snap_compare, make_app(lang, phone=ADULT), opening(cashier, CashierScreen))


def test_cashier_after_the_deadline(
    snap_compare: Snap, make_app: MakeApp, store: Store, clock: FrozenClock, token_for: TokenFor
) -> None:
    """You should see 订单已取消 in red instead of the countdown, no payment methods, why
    nothing can be paid any more, and no ^s 支付 in the key bar."""
    cashier = _cashier(store, clock, token_for, PaymentMethod.ALIPAY)

    async def run_before(pilot: Pilot[None]) -> None:
        await opening(cashier, CashierScreen)(pilot)
        clock.advance(timedelta(minutes=15))
        await pilot.pause(1.2)  # the countdown ticks
        await settle(pilot)

    assert snap(snap_compare, make_app(phone=ADULT), run_before)


@LANGS
def test_payment_done(
    snap_compare: Snap,
    make_app: MakeApp,
    store: Store,
    clock: FrozenClock,
    token_for: TokenFor,
    lang: str,
) -> None:
    """You should see, in the middle of the screen, 支付成功 in green, ¥96.80, the order's
    number, and 查看订单 (focused) beside 继续逛逛, after paying from the balance."""
    cashier = _cashier(store, clock, token_for, PaymentMethod.BALANCE)

    async def run_before(pilot: Pilot[None]) -> None:
        await opening(cashier, CashierScreen)(pilot)
        await fill(pilot, {"balance-password": PAYMENT_PASSWORD})
        await pilot.click("#pay-balance")
        await wait_for(pilot, PaymentDoneScreen)

    assert snap(snap_compare, make_app(lang, phone=ADULT), run_before)


# -- 我的订单 and the wallet ------------------------------------------------------------------


def test_orders_paid_and_unpaid(
    snap_compare: Snap, make_app: MakeApp, store: Store, clock: FrozenClock, token_for: TokenFor
) -> None:
    """You should see 我的订单: 果园直发 待付款 (kiwis, the newer, focused) and 衣衣小铺 待发货
    (a skirt, paid from the balance), each with its number, time and total."""
    token = token_for(ADULT)
    prepare(store, clock, token)
    skirt = (Item(sku_of(store, "pleated-skirt"), 1),)
    paid = place(store, clock, token, skirt, method=PaymentMethod.BALANCE, key="checkout-1")
    cashier.pay_by_balance(store, token, paid, PAYMENT_PASSWORD, "pay-1", clock=clock)
    clock.advance(timedelta(minutes=5))
    place(store, clock, token, kiwis(store), key="checkout-2")
    assert snap(snap_compare, make_app(phone=ADULT), pressing("o", shown=OrdersScreen))


def _recharged(store: Store, clock: FrozenClock, token_for: TokenFor) -> None:
    """¥100 recharged from a card, then an order paid from the balance."""
    token = token_for(ADULT)
    prepare(store, clock, token)
    card = check_card("6222021234567890128", "12/30", "林小满", today=NOW.date())
    cashier.recharge_by_card(store, token, 10000, card, PAYMENT_PASSWORD, "recharge-1",
                              clock=clock, sms=OutboxSms())  # fmt: skip
    clock.advance(timedelta(minutes=5))
    no = place(store, clock, token, kiwis(store), method=PaymentMethod.BALANCE)
    cashier.pay_by_balance(store, token, no, PAYMENT_PASSWORD, "pay-1", clock=clock)


@LANGS
def test_wallet_ledger(
    snap_compare: Snap,
    make_app: MakeApp,
    store: Store,
    clock: FrozenClock,
    token_for: TokenFor,
    lang: str,
) -> None:
    """You should see 平台余额 ¥203.20 with 充值, and 收支明细 newest first: the order paid
    (-¥96.80), the ¥100 recharge (+, green), the opening balance, each with its time,
    reference and the balance after in grey."""
    _recharged(store, clock, token_for)
    assert snap(snap_compare, make_app(lang, phone=ADULT), pressing("w", shown=WalletScreen))


def test_recharge_dialog(snap_compare: Snap, make_app: MakeApp) -> None:
    """You should see 余额充值 over the wallet: ¥50 (focused), ¥100, ¥200, a field for
    another amount, 取消 and 去支付."""

    async def run_before(pilot: Pilot[None]) -> None:
        await pressing("w", shown=WalletScreen)(pilot)
        await pilot.press("r")
        await wait_for(pilot, RechargeScreen)

    assert snap(snap_compare, make_app(phone=ADULT), run_before)
