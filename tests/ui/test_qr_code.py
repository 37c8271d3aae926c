"""`kstui.widgets.qr_code`: the half-block drawing is segno's matrix, module for module."""

from __future__ import annotations

import pytest
import segno
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.color import Color
from textual.app import App, ComposeResult
from textual.containers import Vertical
from textual.geometry import Region, Size
from textual.widgets import Label

from kstui.widgets.qr_code import DARK_ON_LIGHT, QUIET_ZONE, QrCode, qr_lines

PAY_URL = "https://pay.kstui.test/alipay/qr/T202611220001"
"""A payment URL as the simulated gateway makes them (46 characters)."""
WECHAT_URL = "https://pay.kstui.test/wechat/qr/T202611220001?amount=12345&sign=0f3a"
"""A longer one (69 characters)."""
HALF_BLOCKS = {" ": (0, 0), "▀": (1, 0), "▄": (0, 1), "█": (1, 1)}


def decode(lines: list[str]) -> list[list[int]]:
    """The module matrix the half-block rows show (1 = dark), two module rows per line."""
    matrix: list[list[int]] = []
    for line in lines:
        pairs = [HALF_BLOCKS[char] for char in line]
        matrix.append([upper for upper, _ in pairs])
        matrix.append([lower for _, lower in pairs])
    return matrix


def segno_matrix(data: str, border: int) -> list[list[int]]:
    qr = segno.make(data, error="m", micro=False)
    return [[int(bool(m)) for m in row] for row in qr.matrix_iter(border=border)]


def assert_draws(lines: list[str], data: str, border: int) -> None:
    expected = segno_matrix(data, border)
    drawn = decode(lines)
    assert len(drawn) in (len(expected), len(expected) + 1)
    assert drawn[: len(expected)] == expected
    assert all(set(row) == {0} for row in drawn[len(expected) :])  # an odd row's light half


@pytest.mark.parametrize("border", [0, 1, QUIET_ZONE, 4])
@pytest.mark.parametrize("data", [PAY_URL, WECHAT_URL, "kstui"])
def test_lines_draw_segnos_matrix(data: str, border: int) -> None:
    assert_draws(qr_lines(data, border=border), data, border)


@settings(max_examples=40, deadline=None)
@given(data=st.text(min_size=1, max_size=120), border=st.integers(0, 4))
def test_any_text_is_drawn_module_for_module(data: str, border: int) -> None:
    assert_draws(qr_lines(data, border=border), data, border)


def test_the_quiet_zone_is_light() -> None:
    lines = qr_lines(PAY_URL, border=QUIET_ZONE)
    matrix = decode(lines)
    size = len(segno_matrix(PAY_URL, 0))
    for row in (*matrix[:QUIET_ZONE], *matrix[QUIET_ZONE + size :]):
        assert set(row) == {0}
    for row in matrix:
        assert set(row[:QUIET_ZONE]) == set(row[-QUIET_ZONE:]) == {0}
    assert qr_lines(PAY_URL) == lines  # the default border


def test_lines_are_a_rectangle_of_half_blocks() -> None:
    lines = qr_lines(PAY_URL, border=QUIET_ZONE)
    assert len({len(line) for line in lines}) == 1
    assert set("".join(lines)) <= set(HALF_BLOCKS)
    # The three finder patterns' corners, one module inside the quiet zone.
    assert lines[1][QUIET_ZONE] == "█"
    assert lines[1][-QUIET_ZONE - 1] == "█"


def test_a_payment_url_fits_an_80_by_24_terminal() -> None:
    qr = segno.make(PAY_URL, error="m", micro=False)
    assert qr.version in (3, 4)
    lines = qr_lines(PAY_URL, border=QUIET_ZONE)
    assert (len(lines[0]), len(lines)) == (37, 19)  # 33 modules + 2 × 2, half as many rows
    longer = qr_lines(WECHAT_URL, border=QUIET_ZONE)
    assert len(longer[0]) <= 80 - 2
    assert len(longer) <= 24 - 2


def test_codes_are_never_micro_and_at_least_level_m() -> None:
    qr = segno.make("1", error="m", micro=False)
    assert not qr.is_micro
    assert len(qr_lines("1", border=0)[0]) == 21  # version 1, not an 11-module micro code


# -- the widget -------------------------------------------------------------------------------


class QrApp(App[None]):
    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("支付宝扫码支付")
            yield QrCode(PAY_URL, id="qr")
            yield Label("below", id="below")


async def test_the_widget_sizes_itself_to_the_code_and_draws_it() -> None:
    app = QrApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        qr = app.query_one("#qr", QrCode)
        assert qr.region.size == Size(37, 19)
        assert qr.data == PAY_URL
        assert app.query_one("#below").region.y == qr.region.bottom
        strips = qr.render_lines(Region(0, 0, 37, 19))
        assert [strip.text for strip in strips] == qr_lines(PAY_URL)
        white, black = Color.parse("#ffffff"), Color.parse("#000000")
        for strip in strips:
            for segment in strip:
                assert segment.style is not None
                assert (segment.style.color, segment.style.bgcolor) == (black, white)
        assert DARK_ON_LIGHT.color == black


async def test_the_colours_do_not_follow_the_theme() -> None:
    app = QrApp()
    async with app.run_test(size=(80, 24)) as pilot:
        qr = app.query_one("#qr", QrCode)
        drawn = [s.text for s in qr.render_lines(Region(0, 0, 37, 19))]
        for theme in ("textual-light", "nord"):
            app.theme = theme
            await pilot.pause()
            strips = qr.render_lines(Region(0, 0, 37, 19))
            assert [s.text for s in strips] == drawn
            styles = {
                (seg.style.color, seg.style.bgcolor) for s in strips for seg in s if seg.style
            }
            assert styles == {(DARK_ON_LIGHT.color, DARK_ON_LIGHT.bgcolor)}


async def test_a_larger_widget_is_white_around_the_code() -> None:
    app = QrApp()
    async with app.run_test(size=(80, 24)) as pilot:
        qr = app.query_one("#qr", QrCode)
        qr.styles.width = 40
        qr.styles.height = 21
        await pilot.pause()
        strips = qr.render_lines(Region(0, 0, 40, 21))
        assert [s.text for s in strips] == [line + "   " for line in qr_lines(PAY_URL)] + [
            " " * 40
        ] * 2
        assert {seg.style.bgcolor for s in strips for seg in s if seg.style} == {
            DARK_ON_LIGHT.bgcolor
        }


async def test_update_redraws_and_resizes() -> None:
    app = QrApp()
    async with app.run_test(size=(80, 24)) as pilot:
        qr = app.query_one("#qr", QrCode)
        qr.update("kstui")
        await pilot.pause()
        assert qr.data == "kstui"
        assert qr.region.size == Size(21 + 4, 13)
        strips = qr.render_lines(Region(0, 0, 25, 13))
        assert [s.text for s in strips] == qr_lines("kstui")
