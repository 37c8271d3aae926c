"""收货地址: pick an address for an order, add one, edit one, make one the default.

`AddressBookScreen` is a dialog over the checkout, dismissed with the chosen address;
`AddressFormScreen` adds or edits one address (province → city → district from the
division dataset).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar, TypeVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Button, Checkbox, Select, Static

from kstui.screens.base import KstuiModal, shop_of
from kstui.screens.forms import run_service
from kstui.services.ordering import addresses, divisions
from kstui.services.ordering.addresses import Address, AddressBookFull, AddressInput
from kstui.widgets.form import FormField
from kstui.widgets.translation import translate_own_bindings, translator_of

R = TypeVar("R")
DIALOG_CSS = """
{cls} {{
    align: center middle;
}}
{cls} > #dialog {{
    width: 64;
    max-width: 100%;
    height: auto;
    max-height: 100%;
    border: round $primary;
    background: $surface;
    padding: 0 1;
}}
{cls} #dialog-title {{
    text-style: bold;
    color: $primary;
    margin-bottom: 1;
}}
{cls} .form-message {{
    color: $error;
}}
{cls} .dialog-note {{
    color: $text-muted;
}}
{cls} #dialog-buttons {{
    height: 1;
    margin-top: 1;
    align-horizontal: right;
}}
{cls} #dialog-buttons Button {{
    margin-left: 2;
    min-width: 8;
    width: auto;
}}
"""


class AddressRow(Horizontal, can_focus=True):
    """One address of the book; Enter picks it."""

    def __init__(self, address: Address, *, chosen: bool, default_label: str) -> None:
        super().__init__(classes="address-row")
        self.address = address
        self._chosen = chosen
        self._default_label = default_label

    def compose(self) -> ComposeResult:
        a = self.address
        mark = "◉" if self._chosen else "○"
        head = Content(f"{mark} {a.recipient}  {a.masked_phone}")
        if a.is_default:
            head = head.append(Content.styled(f"  {self._default_label}", "$primary"))
        body = Content(f"  {a.region} {a.detail}")
        yield Static(head.append("\n").append(body), classes="address-text")


class AddressBookScreen(KstuiModal[Address | None]):
    """The address book as a picker; dismissed with the chosen address (None: cancelled).

    Args:
        token: The session token.
        chosen: The address the order goes to now (marked).
    """

    DEFAULT_CSS = (
        DIALOG_CSS.format(cls="AddressBookScreen")
        + """
    AddressBookScreen #address-list {
        height: auto;
        max-height: 14;
        margin-bottom: 1;
    }
    AddressBookScreen .address-row {
        height: 2;
    }
    AddressBookScreen .address-row:focus {
        background: $primary 25%;
    }
    """
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "app.key.cancel", show=False),
        Binding("up", "move(-1)", "app.key.up", show=False),
        Binding("down", "move(1)", "app.key.down", show=False),
        Binding("enter", "pick", "ordering.key.pick", show=False),
        Binding("n", "add", "ordering.key.add", show=False),
        Binding("e", "edit", "ordering.key.edit", show=False),
        Binding("d", "make_default", "ordering.key.make_default", show=False),
    ]

    def __init__(self, token: str, chosen: int | None) -> None:
        super().__init__()
        self.token = token
        self.chosen = chosen
        self.highlighted: int | None = chosen
        """The address last focused: what 使用, 编辑 and 设为默认 act on."""
        self.t = translator_of(self)
        self.book: list[Address] = []

    def compose(self) -> ComposeResult:
        t = self.t
        with Vertical(id="dialog"):
            yield Static(t("ordering.address.book"), id="dialog-title", markup=False)
            yield VerticalScroll(id="address-list")
            yield Static(t("ordering.address.book_hint"), classes="dialog-note", markup=False)
            with Horizontal(id="dialog-buttons"):
                yield Button(t("ordering.address.add"), id="add", compact=True)
                yield Button(t("ordering.address.edit"), id="edit", compact=True)
                yield Button(t("ordering.address.make_default"), id="make-default", compact=True)
                yield Button(t("ordering.address.use"), id="use", variant="primary", compact=True)

    def on_mount(self) -> None:
        translate_own_bindings(self)
        self.load()

    def load(self, focus: int | None = None) -> None:
        """Read the book again."""
        app, token = shop_of(self), self.token
        self._call(lambda: addresses.list_addresses(app.store, token, clock=app.clock),
                   lambda book: self.run_worker(self._show(book, focus)))  # fmt: skip

    async def _show(self, book: list[Address], focus: int | None) -> None:
        self.book = book
        box = self.query_one("#address-list", VerticalScroll)
        await box.remove_children()
        if not book:
            await box.mount(Static(self.t("ordering.address.none"), markup=False))
            self.query_one("#add", Button).focus()
            return
        default = self.t("ordering.address.default")
        rows = [AddressRow(a, chosen=a.id == self.chosen, default_label=default) for a in book]
        await box.mount_all(rows)
        wanted = focus if focus is not None else self.chosen
        target = next((r for r in rows if r.address.id == wanted), rows[0])
        self.highlighted = target.address.id
        target.focus()

    def _call(self, call: Callable[[], R], done: Callable[[R], object]) -> None:
        def failed() -> None:
            self.notify(self.t("accounts.error.not_logged_in"), severity="warning", markup=False)
            shop_of(self).logged_out()

        run_service(self, call, done, {}, signed_out=failed)

    def on_descendant_focus(self) -> None:
        focused = self.focused
        if isinstance(focused, AddressRow):
            self.highlighted = focused.address.id

    def _focused_address(self) -> Address | None:
        """The address last focused (the buttons take the focus, not the choice)."""
        return next((a for a in self.book if a.id == self.highlighted), None)

    def action_move(self, step: int) -> None:
        """Up/down between addresses."""
        rows = list(self.query(AddressRow))
        if rows:
            focused = self.focused
            index = rows.index(focused) if isinstance(focused, AddressRow) else -1
            rows[max(0, min(len(rows) - 1, index + step))].focus()

    def action_cancel(self) -> None:
        """Close without choosing."""
        self.dismiss(None)

    @on(Button.Pressed, "#use")
    def action_pick(self) -> None:
        """Use the highlighted address for the order."""
        address = self._focused_address()
        if address is not None:
            self.dismiss(address)

    @on(Button.Pressed, "#add")
    def action_add(self) -> None:
        """新增收货地址."""
        if len(self.book) >= addresses.MAX_ADDRESSES:
            error = AddressBookFull(limit=addresses.MAX_ADDRESSES)
            self.notify(self.t(error.message_key, **error.params), severity="error", markup=False)
            return
        self.app.push_screen(AddressFormScreen(self.token, None), self._saved)

    @on(Button.Pressed, "#edit")
    def action_edit(self) -> None:
        """Edit the focused address."""
        address = self._focused_address()
        if address is not None:
            self.app.push_screen(AddressFormScreen(self.token, address), self._saved)

    @on(Button.Pressed, "#make-default")
    def action_make_default(self) -> None:
        """Make the focused address the default."""
        address = self._focused_address()
        if address is None:
            return
        app, token = shop_of(self), self.token
        self._call(
            lambda: addresses.set_default(app.store, token, address.id, clock=app.clock),
            lambda saved: self.load(saved.id),
        )

    def _saved(self, address: Address | None) -> None:
        if address is not None:
            self.chosen = address.id if self.chosen is None else self.chosen
            self.load(address.id)


class AddressFormScreen(KstuiModal[Address | None]):
    """新增 / 编辑收货地址; dismissed with the saved address.

    Args:
        token: The session token.
        address: The address to edit (None: a new one).
    """

    DEFAULT_CSS = (
        DIALOG_CSS.format(cls="AddressFormScreen")
        + """
    AddressFormScreen #regions {
        height: auto;
    }
    AddressFormScreen #regions Select {
        width: 1fr;
    }
    AddressFormScreen .region-label {
        color: $text-muted;
    }
    """
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "app.key.cancel", show=False),
    ]

    def __init__(self, token: str, address: Address | None) -> None:
        super().__init__()
        self.token = token
        self.address = address
        self.t = translator_of(self)

    def compose(self) -> ComposeResult:
        t, a = self.t, self.address
        provinces = [(d.name, d.code) for d in divisions.provinces()]
        with Vertical(id="dialog"):
            yield Static(
                t("ordering.address.edit_title" if a else "ordering.address.add_title"),
                id="dialog-title",
                markup=False,
            )
            yield FormField(t("ordering.address.recipient"), name="recipient", max_length=20)
            yield FormField(t("ordering.address.phone"), name="phone", max_length=20,
                            restrict=r"[0-9 +\-]*")  # fmt: skip
            yield Static(t("ordering.address.region"), classes="region-label", markup=False)
            with Horizontal(id="regions"):
                yield Select(
                    provinces, prompt=t("ordering.address.province"), id="province", compact=True
                )
                yield Select([], prompt=t("ordering.address.city"), id="city", compact=True)
                yield Select([], prompt=t("ordering.address.district"), id="district", compact=True)
            yield FormField(t("ordering.address.detail"), name="detail", max_length=120,
                            placeholder=t("ordering.address.detail_hint"))  # fmt: skip
            yield Checkbox(t("ordering.address.set_default"), id="make-default", compact=True,
                           value=bool(a and a.is_default))  # fmt: skip
            yield Static("", classes="form-message")
            with Horizontal(id="dialog-buttons"):
                yield Button(t("app.dialog.cancel"), id="cancel", compact=True)
                yield Button(t("app.dialog.save"), id="save", variant="primary", compact=True)

    def on_mount(self) -> None:
        translate_own_bindings(self)
        a = self.address
        if a is not None:
            self.query_one("#recipient-field", FormField).input.value = a.recipient
            self.query_one("#phone-field", FormField).input.value = a.phone
            self.query_one("#detail-field", FormField).input.value = a.detail
            self._fill_regions(a.province, a.city, a.district)
        self.query_one("#recipient-field", FormField).input.focus()

    def _fill_regions(self, province: str, city: str, district: str) -> None:
        self.query_one("#province", Select).value = province
        cities = self.query_one("#city", Select)
        cities.set_options([(d.name, d.code) for d in divisions.cities(province)])
        cities.value = city
        districts = self.query_one("#district", Select)
        districts.set_options([(d.name, d.code) for d in divisions.districts(city)])
        if district:
            districts.value = district

    @on(Select.Changed, "#province")
    def _province_chosen(self, event: Select.Changed) -> None:
        cities = self.query_one("#city", Select)
        code = event.value if isinstance(event.value, str) else ""
        if (
            self.address is not None
            and code == self.address.province
            and cities.value != Select.NULL
        ):
            return
        cities.set_options([(d.name, d.code) for d in divisions.cities(code)])
        self.query_one("#district", Select).set_options([])

    @on(Select.Changed, "#city")
    def _city_chosen(self, event: Select.Changed) -> None:
        districts = self.query_one("#district", Select)
        code = event.value if isinstance(event.value, str) else ""
        if (
            self.address is not None
            and code == self.address.city
            and districts.value != Select.NULL
        ):
            return
        districts.set_options([(d.name, d.code) for d in divisions.districts(code)])

    def _region(self, name: str) -> str:
        value = self.query_one(f"#{name}", Select).value
        return value if isinstance(value, str) else ""

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        """Close without saving."""
        self.dismiss(None)

    @on(Button.Pressed, "#save")
    def _save(self) -> None:
        data = AddressInput(
            recipient=self.query_one("#recipient-field", FormField).value,
            phone=self.query_one("#phone-field", FormField).value,
            province=self._region("province"),
            city=self._region("city"),
            district=self._region("district"),
            detail=self.query_one("#detail-field", FormField).value,
            make_default=self.query_one("#make-default", Checkbox).value,
        )
        app, token, address = shop_of(self), self.token, self.address

        def save() -> Address:
            if address is None:
                return addresses.add_address(app.store, token, data, clock=app.clock)
            return addresses.update_address(app.store, token, address.id, data, clock=app.clock)

        def signed_out() -> None:
            app.logged_out()

        run_service(self, save, self.dismiss, {}, signed_out=signed_out)
