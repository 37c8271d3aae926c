"""A picture drawn in the terminal with half-block characters (two pixels per cell)."""

from __future__ import annotations

import io

from rich.console import RenderableType
from textual.widget import Widget


class Picture(Widget):
    """Shows PNG bytes scaled to the widget's size; nothing until given some."""

    DEFAULT_CSS = """
    Picture {
        width: 24;
        height: 12;
    }
    """

    def __init__(
        self,
        png: bytes | None = None,
        *,
        id: str | None = None,  # noqa: A002
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self._png = png
        self._rendered: tuple[tuple[int, int], RenderableType] | None = None

    def render(self) -> RenderableType:
        size = (self.size.width, self.size.height)
        if self._png is None or 0 in size:
            return ""
        if self._rendered is None or self._rendered[0] != size:
            try:
                pixels = _pixels(self._png, *size)
            except (OSError, ValueError):  # not a picture Pillow can read: show none
                pixels = ""
            self._rendered = (size, pixels)
        return self._rendered[1]


def _pixels(png: bytes, width: int, height: int) -> RenderableType:
    from PIL import Image
    from rich_pixels import HalfcellRenderer, Pixels

    with Image.open(io.BytesIO(png)) as image:
        rgb = image.convert("RGB")
    rgb.thumbnail((width, height * 2), Image.Resampling.LANCZOS)
    canvas = Image.new("RGB", (width, height * 2), rgb.getpixel((0, 0)))
    canvas.paste(rgb, ((width - rgb.width) // 2, (height * 2 - rgb.height) // 2))
    pixels: RenderableType = Pixels.from_image(canvas, renderer=HalfcellRenderer())
    return pixels
