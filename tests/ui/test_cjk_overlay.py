"""The compositor patch of `kstui.cjk_overlay` (Textual issue #6357).

Without the patch, a wide character of an overlay (a toast, a dropdown, a dialog's
widget) that straddles the edge of a widget *underneath* it is drawn as two spaces. Each
app here puts CJK text over a row of 3-cell-wide columns, so that some edges fall inside
characters whatever the overlay's position.

The screen is read the way a terminal would show it: the escape sequences of a full
update (and then of a partial update) are written into a small emulated terminal.
"""

from __future__ import annotations

import re

import pytest
import textual
from rich.console import Console
from rich.segment import Segment
from textual._compositor import ChopsUpdate, Compositor, LayoutUpdate
from textual.app import App, ComposeResult
from textual.containers import Horizontal, Vertical
from textual.geometry import Region
from textual.pilot import Pilot
from textual.screen import ModalScreen
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import (
    Button,
    DataTable,
    Footer,
    Input,
    Label,
    ListItem,
    ListView,
    Select,
    Static,
)
from textual.widgets._select import SelectOverlay
from textual.widgets._toast import Toast

from kstui import cjk_overlay

SIZE = (60, 16)
LOGGED_OUT = "已退出登录"
SMS = "短信 · 138****8000"
OVERLAY_TEXT = "已退出登录，短信验证码已发送"

# ---------------------------------------------------------------------------- helpers


def _restore_after_test(monkeypatch: pytest.MonkeyPatch) -> None:
    """Put the compositor methods back as they are now once the test is over."""
    for name in ("_render_chops", "render_partial_update"):
        monkeypatch.setattr(Compositor, name, getattr(Compositor, name))


@pytest.fixture
def unpatched(monkeypatch: pytest.MonkeyPatch) -> None:
    """Textual's own compositor for a test that patches it itself (and only for that test)."""
    _restore_after_test(monkeypatch)
    for name, method in (
        ("_render_chops", cjk_overlay._ORIGINAL_RENDER_CHOPS),
        ("render_partial_update", cjk_overlay._ORIGINAL_RENDER_PARTIAL_UPDATE),
    ):
        monkeypatch.setattr(Compositor, name, method)


@pytest.fixture
def patched(monkeypatch: pytest.MonkeyPatch) -> None:
    """The patch applied for this test only."""
    _restore_after_test(monkeypatch)
    cjk_overlay.apply()
    assert cjk_overlay.is_applied()


_CONTROL = re.compile(r"\x1b\[(\d+);(\d+)H|\x1b\[[0-9;]*m|\x1b\]8;[^\x1b]*\x1b\\|\n")


class Terminal:
    """Just enough of a terminal to replay compositor updates: cursor moves and text.

    Like a real terminal, writing over half of a wide character erases all of it.
    """

    def __init__(self, width: int, height: int) -> None:
        self.width = width
        # A wide character is stored in its first cell; the second one holds "".
        self.cells = [[" "] * width for _ in range(height)]
        self.x = self.y = 0

    def write(self, data: str) -> None:
        position = 0
        for match in _CONTROL.finditer(data):
            self._text(data[position : match.start()])
            if match.group(1):
                self.y, self.x = int(match.group(1)) - 1, int(match.group(2)) - 1
            position = match.end()
        self._text(data[position:])

    def _put(self, x: int, text: str) -> None:
        row = self.cells[self.y]
        if row[x] == "" and x > 0:  # the second half of a wide character
            row[x - 1] = " "
        if x + 1 < self.width and row[x + 1] == "" and row[x] != "":
            row[x + 1] = " "  # the first half of a wide character
        row[x] = text

    def _text(self, text: str) -> None:
        assert "\x1b" not in text, f"unexpected escape sequence in {text!r}"
        for character in text:
            width = Segment(character).cell_length
            self._put(self.x, character)
            if width == 2:
                self._put(self.x + 1, "")
            self.x += width

    @property
    def lines(self) -> list[str]:
        return ["".join(row) for row in self.cells]

    def show(self, update: LayoutUpdate | ChopsUpdate | None) -> None:
        assert update is not None
        self.write(update.render_segments(_console()))


def _console() -> Console:
    return Console(
        width=SIZE[0], force_terminal=True, color_system="truecolor", legacy_windows=False
    )


def _full_update(app: App[None]) -> LayoutUpdate:
    """What Textual writes when it repaints the whole screen (also used by screenshots)."""
    update = app.screen._compositor.render_update(full=True, screen_stack=app._background_screens)
    assert isinstance(update, LayoutUpdate)
    return update


def _partial_update(app: App[None], *regions: Region) -> ChopsUpdate:
    """What Textual writes when only `regions` changed."""
    compositor = app.screen._compositor
    compositor._dirty_regions.update(regions)
    update = compositor.render_partial_update()
    assert update is not None
    return update


def terminal_after_full_update(app: App[None]) -> Terminal:
    terminal = Terminal(*SIZE)
    terminal.show(_full_update(app))
    return terminal


def strips_text(app: App[None]) -> list[str]:
    """The screen as `Compositor.render_strips` composes it (one string per line)."""
    return [strip.text for strip in app.screen._compositor.render_strips()]


def strips_segments(app: App[None]) -> list[list[Segment]]:
    """The composed screen, segment by segment (simplified, so splits don't matter)."""
    strips = app.screen._compositor.render_strips()
    return [list(strip.simplify()) for strip in strips]


async def toasts_shown(pilot: Pilot[None], count: int, *, rounds: int = 100) -> None:
    """Wait until `count` toasts are on screen."""
    for _ in range(rounds):
        await pilot.pause()
        if len(pilot.app.screen.query(Toast)) == count:
            await pilot.pause()
            return
    raise AssertionError(f"{count} toasts never shown")


def _columns() -> ComposeResult:
    """A row of narrow columns: their edges fall every 3 cells, under any overlay."""
    with Horizontal(id="columns"):
        for n in range(SIZE[0] // 3):
            yield Static(f"{n:02}\n商\n品\n价\n格", classes="column")


COLUMNS_CSS = """
#columns { height: 100%; }
.column { width: 3; height: 100%; }
"""

# ------------------------------------------------------------------------------ apps


class OverlayApp(App[None]):
    """CJK text on an overlay layer over narrow columns, and a bordered card with CJK text."""

    CSS = (
        COLUMNS_CSS
        + """
    Screen { layers: base overlay; }
    #overlay { layer: overlay; offset: 1 2; width: auto; height: 1; }
    #card { layer: overlay; offset: 4 6; width: 26; height: 3; border: round $primary; }
    """
    )

    def compose(self) -> ComposeResult:
        yield from _columns()
        yield Static(OVERLAY_TEXT, id="overlay")
        with Vertical(id="card"):
            yield Static(SMS)


class ToastApp(App[None]):
    """The columns, and a toast once `notify` is called."""

    CSS = COLUMNS_CSS

    def compose(self) -> ComposeResult:
        yield from _columns()


class SmsDialog(ModalScreen[None]):
    """A dialog whose dropdown opens over a row of narrow buttons."""

    DEFAULT_CSS = """
    SmsDialog { align: center top; }
    #dialog { width: 50; height: auto; }
    #choices { height: 3; }
    #choices Button { width: 3; min-width: 3; border: none; height: 3; }
    """

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Select([(SMS, "sms"), ("微信", "wechat")], prompt="验证方式", id="method")
            with Horizontal(id="choices"):
                for n in range(16):
                    yield Button(f"{n:02}")


class DialogApp(App[None]):
    CSS = COLUMNS_CSS

    def compose(self) -> ComposeResult:
        yield from _columns()

    def on_mount(self) -> None:
        self.push_screen(SmsDialog())


class EverydayApp(App[None]):
    """Ordinary screens: nothing overlaps, ASCII and CJK side by side, borders, a table."""

    CSS = """
    #top { height: 5; }
    #top Label { width: 1fr; border: round $primary; }
    #left { width: 23; }
    DataTable { height: 6; }
    """
    BINDINGS = [("c", "noop", "购物车"), ("o", "noop", "我的订单"), ("q", "noop", "Quit")]

    def compose(self) -> ComposeResult:
        with Horizontal(id="top"):
            yield Label("快思商城 Kstui")
            yield Label("¥1,234.50 · 满减")
            yield Label("ASCII only")
        with Horizontal():
            with Vertical(id="left"):
                yield ListView(
                    ListItem(Label("数码家电")),
                    ListItem(Label("Books 图书")),
                    ListItem(Label("食品")),
                )
                yield Button("结算 Checkout")
            with Vertical():
                yield Input(placeholder="搜索商品，例如：蓝牙耳机")
                yield DataTable()
                yield Static("这是一段很长的商品介绍，会在窄窗口里自动换行。" * 3)
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("商品", "Price", "库存")
        table.add_rows([("无线蓝牙耳机", "¥199.00", "12"), ("USB-C cable", "¥19.90", "无货")])

    def action_noop(self) -> None:
        """Bindings only show in the footer."""


# ---------------------------------------------------------------------------- guard


@pytest.mark.usefixtures("unpatched")
def test_apply_patches_the_pinned_textual_once() -> None:
    """If this fails after a Textual upgrade, see the module docstring of kstui.cjk_overlay."""
    assert textual.__version__ == cjk_overlay.PATCHED_TEXTUAL_VERSION
    assert cjk_overlay.is_supported()
    assert cjk_overlay.source_matches()  # else port the patch to the new Textual
    assert not cjk_overlay.is_applied()
    cjk_overlay.apply()
    patched_method = Compositor._render_chops
    cjk_overlay.apply()
    assert cjk_overlay.is_applied()
    assert Compositor._render_chops is patched_method


# --------------------------------------------------------------------- overlays (full)


@pytest.mark.usefixtures("patched")
async def test_overlay_widget_keeps_its_cjk_text() -> None:
    app = OverlayApp()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        overlay = app.query_one("#overlay")
        row = overlay.region.y
        line = strips_text(app)[row]
        assert line[overlay.region.x :].startswith(OVERLAY_TEXT), line
        assert OVERLAY_TEXT in terminal_after_full_update(app).lines[row]
        # The columns around the overlay are intact.
        assert strips_text(app)[0].startswith("00 01 02")


@pytest.mark.usefixtures("patched")
async def test_toast_keeps_its_cjk_text() -> None:
    app = ToastApp()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        app.notify(LOGGED_OUT)
        app.notify(SMS, title="验证码已发送")
        await toasts_shown(pilot, 2)
        for lines in (strips_text(app), terminal_after_full_update(app).lines):
            screen = "\n".join(lines)
            for text in (LOGGED_OUT, SMS, "验证码已发送"):
                assert text in screen, screen


@pytest.mark.usefixtures("patched")
async def test_dropdown_in_a_dialog_keeps_its_cjk_options() -> None:
    app = DialogApp()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, SmsDialog)
        app.screen.query_one(Select).expanded = True
        await pilot.pause()
        assert app.screen.query_one(SelectOverlay).display
        screen = "\n".join(terminal_after_full_update(app).lines)
        assert SMS in screen, screen
        assert screen.startswith("00 01")  # the screen under the dialog is drawn


# ------------------------------------------------------------------- partial updates


@pytest.mark.usefixtures("patched")
async def test_partial_update_of_the_overlay_writes_its_whole_text() -> None:
    app = OverlayApp()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        overlay = app.query_one("#overlay")
        row = overlay.region.y
        terminal = Terminal(*SIZE)  # a blank terminal: only the update is on it
        update = _partial_update(app, overlay.region)
        terminal.show(update)
        assert OVERLAY_TEXT in terminal.lines[row]
        # The same update through the Rich renderable (`__rich_console__`).
        console = _console()
        text = "".join(
            segment.text for segment in console.render(update) if segment.control is None
        )
        assert OVERLAY_TEXT in text, text


@pytest.mark.usefixtures("patched")
async def test_partial_update_under_the_overlay_keeps_its_text() -> None:
    """A column under the overlay repaints: the overlay's characters across its edges stay."""
    app = OverlayApp()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        overlay = app.query_one("#overlay")
        row = overlay.region.y
        terminal = terminal_after_full_update(app)
        assert OVERLAY_TEXT in terminal.lines[row]
        columns = list(app.query(".column").results(Widget))
        for column in columns[:8]:  # all the columns under the overlay, one at a time
            terminal.show(_partial_update(app, column.region))
            assert OVERLAY_TEXT in terminal.lines[row], (column.region, terminal.lines[row])
        terminal.show(_partial_update(app, *(column.region for column in columns[1:6:2])))
        assert OVERLAY_TEXT in terminal.lines[row]
        # Whatever was repainted, the terminal shows what a full repaint would.
        assert terminal.lines == terminal_after_full_update(app).lines


@pytest.mark.usefixtures("patched")
async def test_partial_updates_anywhere_leave_the_screen_as_a_full_repaint() -> None:
    """Small dirty regions next to the overlays, across their edges, inside them.

    Next to an overlay, or on the card's border, the overlay's text is not rendered (the
    compositor renders only widgets whose clip overlaps the dirty area) and must not be
    painted over by what lies under it.
    """
    app = OverlayApp()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        row = app.query_one("#overlay").region.y
        card = app.query_one("#card").region
        full = terminal_after_full_update(app).lines
        assert SMS in full[card.y + 1]
        terminal = terminal_after_full_update(app)
        dirty = [
            Region(x, y, width, 1)
            for y in (row - 1, row, row + 1, *card.line_range)
            for x in range(40)
            for width in (1, 2, 5)
        ]
        dirty += [Region(x, 0, 4, SIZE[1]) for x in range(0, 40, 3)]
        for region in dirty:
            terminal.show(_partial_update(app, region))
            assert terminal.lines == full, region
        terminal.show(_partial_update(app, Region(0, row, 3, 1), Region(20, row, 4, 1)))
        assert terminal.lines == full


# ------------------------------------------------------------ nothing else changes


def _written_lines(update: ChopsUpdate) -> dict[int, list[Segment]]:
    """The lines a partial update touches, as segments (simplified, so splits don't matter)."""
    return {y: list(Strip.join(update.chops[y].values()).simplify()) for y, _, _ in update.spans}


@pytest.mark.usefixtures("unpatched")
@pytest.mark.parametrize("size", [(80, 24), (41, 17)])
async def test_screens_without_overlaps_are_composed_as_before(size: tuple[int, int]) -> None:
    """Textual's compositor first, then the patched one, on the same screen."""
    app = EverydayApp()
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        app.query_one(DataTable).focus()
        await pilot.pause()
        compositor = app.screen._compositor
        before = strips_segments(app)
        before_full = _full_update(app).render_segments(_console())
        regions = [
            region.intersection(clip)
            for region, clip in compositor.visible_widgets.values()
            if region.intersection(clip)
        ]
        before_partial = [_partial_update(app, region) for region in regions]

        cjk_overlay.apply()
        assert cjk_overlay.is_applied()

        assert strips_segments(app) == before
        assert "购物车" in "\n".join(strips_text(app))
        after = Terminal(*size)
        after.show(_full_update(app))
        reference = Terminal(*size)
        reference.write(before_full)
        assert after.lines == reference.lines
        for region, before_update in zip(regions, before_partial, strict=True):
            expected, actual = Terminal(*size), Terminal(*size)
            expected.show(before_update)
            update = _partial_update(app, region)
            actual.show(update)
            assert actual.lines == expected.lines, region
            assert _written_lines(update) == _written_lines(before_update), region


@pytest.mark.usefixtures("unpatched")
async def test_ascii_toast_is_composed_as_before() -> None:
    """Overlaps without wide characters across the cuts come out the same too."""
    app = ToastApp()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        app.notify("Logged out", title="Bye")
        await toasts_shown(pilot, 1)
        before = strips_segments(app)
        cjk_overlay.apply()
        assert strips_segments(app) == before
