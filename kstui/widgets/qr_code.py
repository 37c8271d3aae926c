"""A QR code drawn with half blocks, for a phone to scan from the terminal (支付宝/微信支付).

Two rows of modules make one terminal row: `▀` when only the upper module is dark, `▄`
when only the lower one is, `█` for both, a space for neither. A terminal cell is about
twice as high as it is wide, so each module comes out square.

The colours are fixed, never the theme's: dark modules are pure black on pure white, as
24-bit colours (`#000000` on `#ffffff`) so that neither the Textual theme, nor the
terminal's palette (which may redefine ANSI "black" and "white"), nor a dark background
changes them. Scanners expect dark modules on a light ground; many refuse an inverted code.
"""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style
from textual.geometry import Size
from textual.strip import Strip
from textual.widget import Widget

QUIET_ZONE = 2
"""Light modules around the code.

ISO/IEC 18004 asks for 4. On a screen 2 are enough for the phone scanners that read
payment codes, because the code is shown large, flat and sharp, not printed; and 2 spare
4 columns and 2 rows, which keeps a payment code (version 4: 33 modules) within 37×19
cells of an 80×24 terminal, beside the order's details. The rest of the widget, if it is
given more room than it asks for, is white too.
"""

DARK_ON_LIGHT = Style(color="#000000", bgcolor="#ffffff")
"""Dark modules are drawn in the foreground colour, light ones in the background colour."""

_HALF_BLOCKS = {(False, False): " ", (True, False): "▀", (False, True): "▄", (True, True): "█"}
"""The character for a pair of modules: (upper is dark, lower is dark)."""


def qr_lines(data: str, *, border: int = QUIET_ZONE) -> list[str]:
    """The rows of text that draw `data` as a QR code, quiet zone included.

    The code has error correction level M at least (segno raises it when that costs no
    extra size) and is never a Micro QR code, which payment apps do not read. With an odd
    number of module rows, the last text row's lower half is light (more quiet zone).

    Args:
        data: What the code holds, e.g. `https://pay.kstui.test/alipay/qr/T202611220001`.
        border: Light modules on each side.

    Returns:
        Rows of equal length, one character per module column, two module rows each.

    Raises:
        segno.DataOverflowError: if `data` is too long for any QR code.
    """
    import segno

    qr = segno.make(data, error="m", micro=False)
    matrix = [[bool(module) for module in row] for row in qr.matrix_iter(border=border)]
    if len(matrix) % 2:
        matrix.append([False] * len(matrix[0]))
    return [
        "".join(_HALF_BLOCKS[pair] for pair in zip(upper, lower, strict=True))
        for upper, lower in zip(matrix[::2], matrix[1::2], strict=True)
    ]


class QrCode(Widget):
    """A QR code of `data`, sized to its content (37×19 cells for a typical payment URL).

    Args:
        data: What the code holds (a payment URL).
        border: Light modules around the code (see `QUIET_ZONE`).
        id: The widget's id.
        classes: The widget's classes.
    """

    DEFAULT_CSS = """
    QrCode {
        width: auto;
        height: auto;
    }
    """

    ALLOW_SELECT = False  # selecting would recolour the modules

    def __init__(
        self,
        data: str,
        *,
        border: int = QUIET_ZONE,
        id: str | None = None,  # noqa: A002
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self._border = border
        self._data = data
        self._lines = qr_lines(data, border=border)

    @property
    def data(self) -> str:
        """What the code holds."""
        return self._data

    def update(self, data: str) -> None:
        """Show a code of `data` instead (another payment's URL)."""
        self._data = data
        self._lines = qr_lines(data, border=self._border)
        self.refresh(layout=True)

    def get_content_width(self, container: Size, viewport: Size) -> int:  # noqa: ARG002
        """One cell per module column, whatever the room."""
        return len(self._lines[0])

    def get_content_height(
        self,
        container: Size,  # noqa: ARG002  (Textual's signature)
        viewport: Size,  # noqa: ARG002
        width: int,  # noqa: ARG002
    ) -> int:
        """One row per two module rows, whatever the room."""
        return len(self._lines)

    def render_line(self, y: int) -> Strip:
        """A row of the code; white wherever the widget is larger than the code."""
        width = self.size.width
        if y >= len(self._lines):
            return Strip.blank(width, DARK_ON_LIGHT)
        line = self._lines[y]
        strip = Strip([Segment(line, DARK_ON_LIGHT)], len(line))
        return strip.extend_cell_length(width, DARK_ON_LIGHT).crop(0, width)
