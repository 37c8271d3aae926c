"""Draw the product pictures and review photos of the demo catalogue.

Run from the repository root, before `tools/build_seed.py`::

    python tools/make_pictures.py [--sheet /tmp/sheet.png]

Every picture is a bold silhouette per kind of product (a dress, earbuds, a mug…)
in the product's first colour, with a dark outline, on a light background: the
shop shows them a few dozen pixels wide with half-block characters, so shapes are
simple and contrast is strong. Pictures are drawn on a 256 px canvas and reduced
to 64 px, palette PNGs of a kilobyte or two. Review photos are the same object on
a table, a bed or a desk, tilted. The output is deterministic: no clock, no fonts,
no random state except a generator seeded from each file's name.

`--sheet` also writes an enlarged contact sheet of everything, to look at.
"""

from __future__ import annotations

import argparse
import math
import random
import sys
import zlib
from collections.abc import Callable, Sequence
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter

sys.path.insert(0, str(Path(__file__).resolve().parent))
import build_seed  # noqa: E402  (a sibling script, not a package)

RGB = tuple[int, int, int]
Point = tuple[float, float]

CANVAS = 256
SIZE = 64
COLOURS_PER_PICTURE = 24
LINE = 10  # outline width on the canvas

WHITE: RGB = (252, 252, 250)
DARK: RGB = (44, 44, 52)
SILVER: RGB = (196, 200, 208)
GOLD: RGB = (222, 186, 100)
LEAF: RGB = (72, 150, 60)
WOOD: RGB = (150, 100, 60)
GLOW: RGB = (255, 236, 150)

BACKGROUNDS: dict[str, RGB] = {
    "clothing": (252, 236, 240),
    "digital": (230, 238, 250),
    "home": (246, 240, 226),
    "beauty": (252, 234, 244),
    "food": (236, 248, 230),
    "books": (248, 242, 226),
    "courses": (236, 234, 252),
    "sports": (228, 246, 244),
}

# Review photos: the object on a surface (colour, line colour, line spacing or 0).
SCENES: list[tuple[RGB, RGB, int]] = [
    ((206, 168, 124), (180, 140, 98), 42),  # wooden table
    ((228, 224, 214), (214, 208, 196), 0),  # linen
    ((220, 222, 228), (200, 204, 212), 64),  # marble tiles
    ((240, 212, 220), (226, 196, 206), 32),  # pink bed sheet
    ((190, 206, 222), (176, 192, 210), 0),  # grey-blue desk
]


def luminance(c: RGB) -> float:
    return 0.299 * c[0] + 0.587 * c[1] + 0.114 * c[2]


def shade(c: RGB, factor: float) -> RGB:
    return tuple(max(0, min(255, int(v * factor))) for v in c)  # type: ignore[return-value]


def mix(c: RGB, d: RGB, t: float) -> RGB:
    return tuple(int(a + (b - a) * t) for a, b in zip(c, d, strict=True))  # type: ignore[return-value]


def rotate(points: Sequence[Point], degrees: float, centre: Point) -> list[Point]:
    a = math.radians(degrees)
    cx, cy = centre
    return [
        (
            cx + (x - cx) * math.cos(a) - (y - cy) * math.sin(a),
            cy + (x - cx) * math.sin(a) + (y - cy) * math.cos(a),
        )
        for x, y in points
    ]


class Pen:
    """Drawing helpers bound to one product colour: fill `c`, outline `o`, detail `a`."""

    def __init__(self, draw: ImageDraw.ImageDraw, colour: RGB) -> None:
        self.d = draw
        self.c = colour
        lum = luminance(colour)
        self.o: RGB = (20, 20, 26) if lum < 70 else shade(colour, 0.42)
        self.a: RGB = mix(colour, WHITE, 0.55) if lum < 150 else shade(colour, 0.72)

    def poly(self, pts: Sequence[Point], fill: RGB | None = None, outline: bool = True) -> None:
        self.d.polygon(
            list(pts),
            fill=fill or self.c,
            outline=self.o if outline else None,
            width=LINE if outline else 1,
        )

    def rect(
        self, box: Sequence[float], fill: RGB | None = None, r: int = 0, outline: bool = True
    ) -> None:
        self.d.rounded_rectangle(
            list(box),
            radius=r,
            fill=fill or self.c,
            outline=self.o if outline else None,
            width=LINE if outline else 1,
        )

    def oval(self, box: Sequence[float], fill: RGB | None = None, outline: bool = True) -> None:
        self.d.ellipse(
            list(box),
            fill=fill or self.c,
            outline=self.o if outline else None,
            width=LINE if outline else 1,
        )

    def line(
        self, pts: Sequence[Point], width: int, fill: RGB | None = None, edged: bool = False
    ) -> None:
        if edged:
            self.d.line(list(pts), fill=self.o, width=width + LINE, joint="curve")
        self.d.line(list(pts), fill=fill or self.c, width=width, joint="curve")

    def hole(self, box: Sequence[float]) -> None:
        self.d.ellipse(list(box), fill=(0, 0, 0, 0))

    def star(self, cx: float, cy: float, r: float, fill: RGB) -> None:
        pts = []
        for k in range(10):
            rad = r if k % 2 == 0 else r * 0.45
            ang = math.radians(-90 + 36 * k)
            pts.append((cx + rad * math.cos(ang), cy + rad * math.sin(ang)))
        self.poly(pts, fill=fill)

    def heart(self, cx: float, cy: float, s: float, fill: RGB) -> None:
        pts = []
        for k in range(48):
            t = 2 * math.pi * k / 48
            x = 16 * math.sin(t) ** 3
            y = 13 * math.cos(t) - 5 * math.cos(2 * t) - 2 * math.cos(3 * t) - math.cos(4 * t)
            pts.append((cx + x * s, cy - y * s))
        self.poly(pts, fill=fill, outline=False)

    def leaf(self, cx: float, cy: float, length: float, angle: float) -> None:
        pts = [
            (cx + length * t, cy - math.sin(math.pi * t) * length * 0.32)
            for t in (0, 0.25, 0.5, 0.75, 1)
        ]
        pts += [
            (cx + length * t, cy + math.sin(math.pi * t) * length * 0.32) for t in (0.75, 0.5, 0.25)
        ]
        self.poly(rotate(pts, angle, (cx, cy)), fill=LEAF)


SHAPES: dict[str, Callable[[Pen], None]] = {}


def shape(*names: str) -> Callable[[Callable[[Pen], None]], Callable[[Pen], None]]:
    def register(fn: Callable[[Pen], None]) -> Callable[[Pen], None]:
        for name in names:
            SHAPES[name] = fn
        return fn

    return register


# --------------------------------------------------------------------------- clothing


@shape("dress")
def dress(p: Pen) -> None:
    p.poly(
        [
            (100, 20),
            (114, 20),
            (118, 56),
            (138, 56),
            (142, 20),
            (156, 20),
            (170, 66),
            (152, 116),
            (220, 230),
            (36, 230),
            (104, 116),
            (86, 66),
        ]
    )
    p.line([(104, 116), (152, 116)], 12, fill=p.o)


@shape("skirt")
def skirt(p: Pen) -> None:
    p.poly([(74, 60), (182, 60), (224, 222), (32, 222)])
    p.rect((70, 34, 186, 66), fill=p.a)
    for top, bottom in ((104, 84), (128, 128), (152, 172)):
        p.line([(top, 70), (bottom, 218)], 6, fill=p.o)


@shape("tshirt")
def tshirt(p: Pen) -> None:
    p.poly(
        [
            (90, 30),
            (110, 30),
            (128, 50),
            (146, 30),
            (166, 30),
            (230, 74),
            (200, 122),
            (180, 108),
            (180, 230),
            (76, 230),
            (76, 108),
            (56, 122),
            (26, 74),
        ]
    )


@shape("coat")
def coat(p: Pen) -> None:
    p.poly(
        [
            (90, 22),
            (166, 22),
            (206, 48),
            (230, 198),
            (198, 204),
            (184, 112),
            (186, 238),
            (70, 238),
            (72, 112),
            (58, 204),
            (26, 198),
            (50, 48),
        ]
    )
    p.line([(106, 24), (128, 100), (150, 24)], 8, fill=p.o)
    p.line([(128, 100), (128, 236)], 6, fill=p.o)
    for y in (132, 170, 208):
        p.oval((138, y - 7, 152, y + 7), fill=p.a, outline=False)


@shape("trousers")
def trousers(p: Pen) -> None:
    p.poly([(70, 46), (186, 46), (202, 234), (142, 234), (128, 104), (114, 234), (54, 234)])
    p.rect((68, 22, 188, 52), fill=p.a)


@shape("leggings")
def leggings(p: Pen) -> None:
    p.poly([(82, 48), (174, 48), (172, 236), (138, 236), (128, 110), (118, 236), (84, 236)])
    p.rect((80, 22, 176, 54), fill=p.a)


@shape("shorts")
def shorts(p: Pen) -> None:
    p.poly([(58, 84), (198, 84), (222, 196), (142, 206), (128, 136), (114, 206), (34, 196)])
    p.rect((56, 56, 200, 90), fill=p.a)


# --------------------------------------------------------------------------- digital


@shape("phone")
def phone(p: Pen) -> None:
    p.rect((66, 12, 190, 244), r=24)
    p.rect((80, 28, 144, 108), fill=DARK, r=16, outline=False)
    p.oval((88, 36, 116, 64), fill=(96, 100, 116), outline=False)
    p.oval((88, 72, 116, 100), fill=(96, 100, 116), outline=False)
    p.oval((122, 40, 136, 54), fill=WHITE, outline=False)


@shape("earbuds")
def earbuds(p: Pen) -> None:
    for x0, stem in ((34, 44), (138, 84)):
        p.rect((x0 + stem - 22, 96, x0 + stem + 4, 222), r=14)
        p.oval((x0, 48, x0 + 84, 128))
        tip = (x0 + 50, 62, x0 + 78, 92) if x0 < 100 else (x0 + 6, 62, x0 + 34, 92)
        p.oval(tip, fill=p.a, outline=False)


def _headband(p: Pen) -> None:
    p.d.arc((42, 24, 214, 196), 180, 360, fill=p.o, width=34)
    p.d.arc((47, 29, 209, 191), 180, 360, fill=p.c, width=22)
    p.rect((24, 106, 90, 214), r=24)
    p.rect((166, 106, 232, 214), r=24)
    p.rect((78, 124, 96, 196), fill=p.a, r=6, outline=False)
    p.rect((160, 124, 178, 196), fill=p.a, r=6, outline=False)


@shape("headphones")
def headphones(p: Pen) -> None:
    _headband(p)


@shape("headset")
def headset(p: Pen) -> None:
    _headband(p)
    p.line([(60, 200), (80, 232), (130, 238)], 10, fill=DARK)
    p.oval((120, 224, 150, 250), fill=DARK, outline=False)


@shape("neckband")
def neckband(p: Pen) -> None:
    # Open-ear headphones: a thin band behind the neck, hooks over the ears, pods in front.
    p.d.arc((52, 60, 204, 232), 0, 180, fill=p.o, width=24)
    p.d.arc((57, 65, 199, 227), 0, 180, fill=p.c, width=14)
    p.line([(56, 146), (60, 110)], 14, edged=True)
    p.line([(200, 146), (196, 110)], 14, edged=True)
    for cx in (62, 194):
        p.d.arc((cx - 34, 20, cx + 34, 100), 180, 360, fill=p.o, width=12)
        p.oval((cx - 30, 60, cx + 30, 124))
        p.oval((cx - 12, 80, cx + 12, 104), fill=p.a, outline=False)


@shape("wired")
def wired(p: Pen) -> None:
    p.line([(66, 146), (72, 196), (128, 214)], 8, fill=DARK)
    p.line([(190, 146), (184, 196), (128, 214)], 8, fill=DARK)
    p.rect((60, 170, 84, 204), fill=DARK, r=6)
    p.rect((114, 206, 142, 250), fill=SILVER, r=6)
    for cx, tip in ((56, 28), (200, -28)):
        p.rect((cx - 11, 70, cx + 13, 150), r=12)
        p.oval((cx - 38, 18, cx + 38, 94))
        p.oval((cx + tip - 14, 42, cx + tip + 14, 70), fill=p.a, outline=False)


@shape("keyboard")
def keyboard(p: Pen) -> None:
    p.rect((8, 66, 248, 194), r=18)
    rainbow = [
        (240, 80, 80),
        (250, 170, 60),
        (240, 220, 70),
        (90, 200, 110),
        (80, 160, 240),
        (170, 110, 230),
    ]
    for row in range(4):
        for col in range(10):
            x = 22 + col * 22
            y = 80 + row * 22
            colour = rainbow[(row + col) % 6] if row == 0 else p.a
            p.d.rectangle((x, y, x + 16, y + 16), fill=colour)
    p.d.rectangle((66, 170, 190, 182), fill=p.a)


@shape("mouse")
def mouse(p: Pen) -> None:
    p.oval((68, 24, 188, 234))
    p.line([(128, 26), (128, 112)], 6, fill=p.o)
    p.line([(72, 112), (184, 112)], 6, fill=p.o)
    p.rect((118, 50, 138, 92), fill=p.o, r=8, outline=False)


@shape("hub")
def hub(p: Pen) -> None:
    p.line([(60, 134), (26, 134), (26, 70)], 12, fill=DARK)
    p.rect((10, 30, 42, 74), fill=SILVER, r=6)
    p.rect((54, 96, 236, 172), r=22)
    for x in (74, 106, 138, 170, 202):
        p.d.rectangle((x, 122, x + 20, 146), fill=DARK)


@shape("stand")
def stand(p: Pen) -> None:
    p.line([(64, 156), (192, 226)], 14, edged=True)
    p.line([(192, 156), (64, 226)], 14, edged=True)
    p.line([(40, 230), (216, 230)], 12, fill=p.o)
    p.rect((58, 26, 198, 134), fill=DARK, r=8)
    p.d.rectangle((72, 40, 184, 122), fill=(110, 160, 220))
    p.poly([(40, 134), (216, 134), (238, 158), (18, 158)])


@shape("mat")
def mat(p: Pen) -> None:
    p.rect((8, 64, 248, 196), r=22)
    p.d.rounded_rectangle((22, 78, 234, 182), radius=14, outline=p.a, width=5)
    p.oval((168, 94, 212, 156), fill=p.a)


@shape("watch")
def watch(p: Pen) -> None:
    p.rect((94, 6, 162, 80), fill=shade(p.c, 0.8))
    p.rect((94, 176, 162, 250), fill=shade(p.c, 0.8))
    p.rect((186, 106, 204, 146), fill=p.o, r=4, outline=False)
    p.rect((62, 56, 194, 200), r=34)
    p.rect((78, 72, 178, 184), fill=DARK, r=22, outline=False)
    p.line([(128, 128), (128, 92)], 8, fill=WHITE)
    p.line([(128, 128), (154, 138)], 8, fill=(120, 220, 160))


@shape("band")
def band(p: Pen) -> None:
    p.rect((104, 8, 152, 248), r=20)
    p.rect((90, 64, 166, 192), fill=DARK, r=34)
    for y in (104, 124, 144):
        p.line([(110, y), (146, y)], 8, fill=(120, 220, 200) if y == 104 else WHITE)


@shape("ring")
def ring(p: Pen) -> None:
    p.oval((36, 44, 220, 228))
    p.hole((76, 84, 180, 188))
    p.d.ellipse((76, 84, 180, 188), outline=p.o, width=LINE)
    p.rect((106, 26, 150, 56), fill=DARK, r=10)


@shape("powerbank")
def powerbank(p: Pen) -> None:
    p.rect((62, 18, 194, 238), r=26)
    p.poly(
        [(140, 50), (94, 134), (126, 134), (110, 204), (166, 110), (132, 110), (152, 50)],
        fill=(250, 196, 40),
    )
    for k in range(4):
        p.oval((92 + k * 20, 214, 104 + k * 20, 226), fill=(90, 210, 120), outline=False)


@shape("charger")
def charger(p: Pen) -> None:
    p.rect((90, 20, 110, 86), fill=SILVER)
    p.rect((146, 20, 166, 86), fill=SILVER)
    p.rect((58, 78, 198, 226), r=26)
    p.d.rectangle((102, 116, 154, 130), fill=DARK)
    p.d.rectangle((102, 146, 154, 160), fill=DARK)
    p.d.rounded_rectangle((112, 178, 144, 194), radius=7, fill=DARK)


@shape("cable")
def cable(p: Pen) -> None:
    p.line([(44, 60), (96, 40), (160, 86), (96, 146), (160, 196), (212, 186)], 16, edged=True)
    p.rect((14, 44, 56, 80), fill=SILVER, r=6)
    p.rect((200, 168, 242, 204), fill=SILVER, r=6)


# --------------------------------------------------------------------------- home


@shape("wok")
def wok(p: Pen) -> None:
    p.rect((188, 112, 252, 140), fill=WOOD, r=12)
    p.d.chord((12, 40, 204, 216), 0, 180, fill=p.c, outline=p.o, width=LINE)
    p.line([(12, 128), (204, 128)], 14, fill=p.o)


@shape("pot")
def pot(p: Pen) -> None:
    p.rect((18, 118, 60, 146), fill=p.o, r=10, outline=False)
    p.rect((196, 118, 238, 146), fill=p.o, r=10, outline=False)
    p.rect((40, 100, 216, 220), r=26)
    p.d.chord((50, 56, 206, 144), 180, 360, fill=p.c, outline=p.o, width=LINE)
    p.oval((114, 38, 142, 66), fill=p.o)


@shape("knife")
def knife(p: Pen) -> None:
    p.rect((20, 176, 236, 236), fill=(214, 178, 128), r=14)
    p.poly([(16, 110), (168, 78), (168, 150), (64, 150)], fill=SILVER)
    p.rect((162, 96, 242, 138), r=14)
    for x in (186, 216):
        p.oval((x - 6, 111, x + 6, 123), fill=WHITE, outline=False)


@shape("bowl")
def bowl(p: Pen) -> None:
    p.line([(150, 36), (222, 148)], 10, fill=WOOD)
    p.line([(176, 30), (238, 140)], 10, fill=WOOD)
    p.d.chord((46, 96, 210, 196), 180, 360, fill=WHITE, outline=p.o, width=LINE)
    p.d.chord((24, 70, 232, 234), 0, 180, fill=p.c, outline=p.o, width=LINE)
    p.rect((98, 220, 158, 240), fill=p.c)
    p.line([(40, 186), (216, 186)], 8, fill=p.a)


@shape("ricecooker")
def ricecooker(p: Pen) -> None:
    p.rect((32, 100, 224, 226), r=44)
    p.d.chord((40, 54, 216, 154), 180, 360, fill=shade(p.c, 0.9), outline=p.o, width=LINE)
    p.rect((104, 40, 152, 62), fill=p.o, r=8, outline=False)
    p.rect((90, 144, 166, 196), fill=DARK, r=10)
    p.oval((138, 160, 156, 178), fill=(250, 120, 60), outline=False)


def _mug(p: Pen) -> None:
    p.d.arc((136, 84, 234, 192), 270, 90, fill=p.o, width=34)
    p.d.arc((141, 89, 229, 187), 270, 90, fill=p.c, width=22)
    p.rect((40, 50, 180, 228), r=18)


@shape("mug")
def mug(p: Pen) -> None:
    _mug(p)


@shape("mugheart")
def mugheart(p: Pen) -> None:
    _mug(p)
    p.heart(110, 142, 3.2, (226, 52, 84) if luminance(p.c) > 100 or p.c[0] < 150 else WHITE)


@shape("flask")
def flask(p: Pen) -> None:
    p.rect((80, 52, 176, 242), r=30)
    p.rect((86, 14, 170, 64), fill=DARK, r=12)
    p.line([(84, 86), (172, 86)], 8, fill=p.a)


@shape("glass")
def glass(p: Pen) -> None:
    p.line([(164, 4), (132, 150)], 12, fill=(220, 70, 90))
    p.poly([(62, 52), (194, 52), (176, 236), (80, 236)])
    p.poly([(70, 120), (186, 120), (176, 228), (80, 228)], fill=(236, 200, 150), outline=False)
    for x, y in ((96, 206), (124, 212), (152, 204), (110, 186), (140, 188)):
        p.oval((x - 10, y - 10, x + 10, y + 10), fill=DARK, outline=False)
    p.rect((54, 34, 202, 58), fill=p.a, r=8)


@shape("bigbottle")
def bigbottle(p: Pen) -> None:
    p.d.arc((150, 70, 226, 170), 270, 90, fill=DARK, width=16)
    p.rect((66, 56, 190, 246), r=34)
    p.rect((86, 20, 170, 66), fill=DARK, r=12)
    for y in (100, 136, 172, 208):
        p.line([(84, y), (116, y)], 8, fill=WHITE)


@shape("teapot")
def teapot(p: Pen) -> None:
    p.poly([(54, 150), (12, 92), (28, 84), (74, 126)])
    p.d.arc((170, 96, 240, 192), 270, 90, fill=p.o, width=18)
    p.oval((40, 86, 204, 216))
    p.d.chord((84, 56, 160, 118), 180, 360, fill=p.c, outline=p.o, width=LINE)
    p.oval((110, 38, 134, 62), fill=p.o)
    p.line([(60, 150), (186, 150)], 8, fill=p.a)


@shape("bed")
def bed(p: Pen) -> None:
    p.rect((30, 54, 226, 170), fill=WOOD, r=26)
    p.rect((28, 200, 46, 236), fill=p.o, outline=False)
    p.rect((210, 200, 228, 236), fill=p.o, outline=False)
    p.oval((48, 106, 124, 152), fill=WHITE)
    p.oval((132, 106, 208, 152), fill=WHITE)
    p.rect((14, 138, 242, 214), r=14)
    p.line([(20, 164), (236, 164)], 8, fill=p.a)


@shape("pillow")
def pillow(p: Pen) -> None:
    p.poly(
        [(20, 64), (128, 84), (236, 64), (220, 128), (236, 192), (128, 172), (20, 192), (36, 128)]
    )
    p.d.rounded_rectangle((40, 88, 216, 168), radius=40, fill=p.c)
    p.d.arc((60, 100, 196, 156), 200, 340, fill=p.a, width=8)


@shape("cushion")
def cushion(p: Pen) -> None:
    p.rect((32, 32, 224, 224), r=36)
    p.rect((72, 72, 184, 184), fill=WHITE)
    p.poly([(80, 176), (114, 118), (136, 148), (154, 128), (178, 176)], fill=LEAF, outline=False)
    p.oval((146, 84, 170, 108), fill=(250, 196, 40), outline=False)


@shape("blanket")
def blanket(p: Pen) -> None:
    p.rect((30, 56, 226, 112), fill=shade(p.c, 0.85), r=18)
    p.rect((18, 104, 238, 166), r=20)
    p.rect((30, 158, 226, 216), fill=shade(p.c, 0.85), r=18)
    for y in (118, 152):
        p.line([(36, y), (220, y)], 5, fill=p.a)


@shape("box")
def box(p: Pen) -> None:
    p.poly([(36, 98), (220, 98), (206, 228), (50, 228)])
    p.rect((24, 66, 232, 106), fill=shade(p.c, 0.86), r=8)
    p.rect((102, 132, 154, 152), fill=p.o, r=10, outline=False)


@shape("drawers")
def drawers(p: Pen) -> None:
    p.rect((36, 36, 220, 228), r=12)
    for y in (100, 164):
        p.line([(40, y), (216, y)], 8, fill=p.o)
    for y in (68, 132, 196):
        p.rect((108, y - 8, 148, y + 8), fill=p.o, r=6, outline=False)


@shape("hanger")
def hanger(p: Pen) -> None:
    p.d.arc((106, 12, 150, 56), 180, 90, fill=DARK, width=12)
    p.line([(128, 56), (128, 84)], 12, fill=DARK)
    p.line([(128, 84), (232, 184), (24, 184), (128, 84)], 20, edged=True)


@shape("vacuumbag")
def vacuumbag(p: Pen) -> None:
    p.rect((26, 36, 230, 226), fill=mix(p.c, WHITE, 0.35), r=22)
    p.line([(36, 70), (220, 70)], 8, fill=p.o)
    p.rect((56, 100, 160, 132), fill=p.a, r=8, outline=False)
    p.rect((70, 146, 176, 180), fill=p.c, r=8, outline=False)
    p.oval((152, 136, 212, 196), fill=WHITE)
    p.oval((170, 154, 194, 178), fill=DARK, outline=False)


@shape("desklamp")
def desklamp(p: Pen) -> None:
    p.poly([(170, 98), (246, 212), (128, 212)], fill=GLOW, outline=False)
    p.oval((30, 200, 150, 240))
    p.line([(90, 214), (62, 118), (146, 56)], 16, edged=True)
    p.poly(rotate([(120, 36), (196, 36), (212, 84), (104, 84)], 30, (158, 60)))


@shape("nightlight")
def nightlight(p: Pen) -> None:
    p.oval((28, 28, 220, 220))
    p.hole((84, 4, 252, 172))
    p.star(196, 196, 26, (250, 210, 80))
    p.star(210, 74, 18, (250, 210, 80))


@shape("ceilinglamp")
def ceilinglamp(p: Pen) -> None:
    p.d.polygon([(40, 126), (216, 126), (250, 250), (6, 250)], fill=GLOW + (170,))
    p.line([(20, 24), (236, 24)], 10, fill=DARK)
    p.rect((112, 24, 144, 70), fill=DARK, outline=False)
    p.oval((16, 60, 240, 150))
    p.oval((48, 78, 208, 132), fill=(255, 248, 214), outline=False)


@shape("floorlamp")
def floorlamp(p: Pen) -> None:
    p.d.polygon([(62, 96), (194, 96), (226, 170), (30, 170)], fill=GLOW + (160,))
    p.line([(128, 96), (128, 222)], 12, fill=DARK)
    p.oval((74, 212, 182, 242), fill=DARK)
    p.poly([(82, 16), (174, 16), (208, 100), (48, 100)])


@shape("sunsetlamp")
def sunsetlamp(p: Pen) -> None:
    for k, colour in enumerate([(250, 196, 90), (248, 150, 60), p.c, (226, 70, 60)]):
        inset = k * 20
        p.oval((30 + inset, 10 + inset, 226 - inset, 206 - inset), fill=colour, outline=k == 0)
    p.rect((106, 176, 150, 244), fill=DARK, r=10)
    p.oval((100, 156, 156, 196), fill=SILVER)


# --------------------------------------------------------------------------- beauty


def _lipstick(p: Pen, cx: float, bottom: float, s: float, colour: RGB) -> None:
    def box(x0: float, y0: float, x1: float, y1: float) -> tuple[float, float, float, float]:
        return (cx + x0 * s, bottom + y0 * s, cx + x1 * s, bottom + y1 * s)

    p.poly(
        [
            (cx - 28 * s, bottom - 118 * s),
            (cx - 28 * s, bottom - 178 * s),
            (cx + 28 * s, bottom - 208 * s),
            (cx + 28 * s, bottom - 118 * s),
        ],
        fill=colour,
    )
    p.rect(box(-34, -124, 34, -96), fill=shade(GOLD, 0.85))
    p.rect(box(-40, -100, 40, 0), fill=GOLD, r=int(8 * s))


@shape("lipstick")
def lipstick(p: Pen) -> None:
    _lipstick(p, 128, 242, 1.1, p.c)


@shape("lipstickset")
def lipstickset(p: Pen) -> None:
    for k, cx in enumerate((62, 128, 194)):
        _lipstick(p, cx, 240, 0.92, mix(p.c, (230, 60, 90), k * 0.35))


@shape("lipgloss")
def lipgloss(p: Pen) -> None:
    p.rect((104, 14, 152, 118), fill=DARK, r=10)
    p.rect((92, 108, 164, 244), r=18)
    p.rect((108, 126, 122, 222), fill=mix(p.c, WHITE, 0.5), r=6, outline=False)


@shape("palette")
def palette(p: Pen) -> None:
    p.rect((14, 44, 242, 212), fill=DARK, r=20)
    for row in range(3):
        for col in range(4):
            t = (row * 4 + col) / 11
            colour = mix(shade(p.c, 0.55), mix(p.c, WHITE, 0.6), t)
            x = 34 + col * 50
            y = 62 + row * 48
            p.d.rounded_rectangle((x, y, x + 40, y + 38), radius=8, fill=colour)


@shape("compact")
def compact(p: Pen) -> None:
    p.oval((20, 20, 236, 236), fill=SILVER)
    p.oval((52, 52, 204, 204), fill=p.c, outline=False)
    p.oval((110, 120, 226, 226), fill=WHITE)
    p.oval((150, 160, 186, 186), fill=SILVER, outline=False)


@shape("dropper")
def dropper(p: Pen) -> None:
    p.rect((108, 14, 148, 92), fill=DARK, r=20)
    p.rect((102, 84, 154, 116), fill=GOLD)
    p.rect((66, 108, 190, 244), r=30)
    p.rect((90, 150, 166, 204), fill=WHITE, r=6, outline=False)


@shape("jar")
def jar(p: Pen) -> None:
    p.rect((38, 116, 218, 226), fill=WHITE, r=30)
    p.rect((30, 70, 226, 124), r=14)
    p.line([(40, 170), (216, 170)], 14, fill=p.c)


@shape("tube")
def tube(p: Pen) -> None:
    p.poly([(62, 18), (194, 18), (172, 194), (84, 194)])
    p.rect((62, 14, 194, 40), fill=shade(p.c, 0.8))
    p.rect((94, 188, 162, 244), fill=WHITE, r=10)
    p.line([(82, 110), (174, 110)], 16, fill=WHITE)


@shape("mask")
def mask(p: Pen) -> None:
    p.oval((44, 14, 212, 242), fill=mix(p.c, WHITE, 0.25))
    p.hole((78, 92, 120, 116))
    p.hole((136, 92, 178, 116))
    p.hole((102, 174, 154, 196))
    p.line([(128, 118), (120, 150), (132, 152)], 6, fill=p.o)


@shape("bottle")
def bottle(p: Pen) -> None:
    p.rect((98, 14, 158, 58), fill=DARK, r=8)
    p.rect((106, 52, 150, 86), fill=p.a)
    p.rect((66, 78, 190, 244), r=24)
    p.rect((86, 132, 170, 196), fill=WHITE, r=6, outline=False)


def _perfume(p: Pen, cx: float, s: float, colour: RGB) -> None:
    def box(x0: float, y0: float, x1: float, y1: float) -> tuple[float, float, float, float]:
        return (cx + x0 * s, 244 - (244 - y0) * s, cx + x1 * s, 244 - (244 - y1) * s)

    p.rect(box(-36, 22, 36, 78), fill=GOLD, r=int(8 * s))
    p.rect(box(-20, 72, 20, 100), fill=shade(GOLD, 0.8))
    p.rect(box(-76, 96, 76, 236), fill=colour, r=int(22 * s))
    p.rect(box(-54, 118, 54, 214), fill=mix(colour, WHITE, 0.35), r=int(12 * s), outline=False)


@shape("perfume")
def perfume(p: Pen) -> None:
    _perfume(p, 128, 1.0, p.c)


@shape("perfumeset")
def perfumeset(p: Pen) -> None:
    for k, cx in enumerate((44, 86, 128, 170, 212)):
        colour = mix(
            p.c, [(240, 120, 150), (250, 200, 90), (120, 180, 230), (150, 200, 120), p.c][k], 0.5
        )
        _perfume(p, cx, 0.52 if k % 2 else 0.6, colour)


@shape("brushes")
def brushes(p: Pen) -> None:
    for angle, length in ((-24, 180), (0, 200), (24, 180)):
        handle = rotate([(128, 240), (128, 240 - length * 0.6)], angle, (128, 240))
        ferrule = rotate([(128, 240 - length * 0.6), (128, 240 - length * 0.72)], angle, (128, 240))
        tip = rotate([(128, 240 - length)], angle, (128, 240))[0]
        p.line(handle, 18, fill=DARK)
        p.line(ferrule, 22, fill=SILVER)
        mid = rotate([(128, 240 - length * 0.86)], angle, (128, 240))[0]
        p.oval((mid[0] - 20, mid[1] - 26, mid[0] + 20, mid[1] + 26))
        p.oval((tip[0] - 12, tip[1] - 14, tip[0] + 12, tip[1] + 14))


@shape("sponge")
def sponge(p: Pen) -> None:
    p.oval((54, 74, 202, 236))
    p.oval((82, 22, 174, 150), outline=False)
    p.d.arc((82, 22, 174, 150), 180, 360, fill=p.o, width=LINE)
    p.oval((86, 110, 112, 150), fill=mix(p.c, WHITE, 0.5), outline=False)


@shape("hairdryer")
def hairdryer(p: Pen) -> None:
    p.poly([(96, 120), (144, 120), (164, 240), (120, 244)])
    p.rect((150, 62, 238, 122), r=10)
    p.oval((30, 30, 170, 160))
    p.oval((56, 56, 144, 134), fill=p.a, outline=False)
    for r in (12, 26):
        p.d.ellipse((100 - r, 95 - r, 100 + r, 95 + r), outline=p.o, width=5)


# --------------------------------------------------------------------------- food


@shape("apple")
def apple(p: Pen) -> None:
    p.line([(128, 72), (142, 20)], 12, fill=WOOD)
    p.leaf(146, 40, 64, -30)
    p.oval((30, 60, 140, 232))
    p.oval((116, 60, 226, 232))
    p.d.rectangle((84, 120, 172, 220), fill=p.c)
    p.oval((60, 96, 88, 138), fill=mix(p.c, WHITE, 0.5), outline=False)


@shape("orange")
def orange(p: Pen) -> None:
    p.oval((32, 42, 224, 234))
    p.leaf(128, 44, 70, -20)
    p.oval((120, 40, 136, 56), fill=LEAF, outline=False)
    for x, y in ((80, 100), (160, 110), (110, 170), (170, 180), (70, 170), (130, 120)):
        p.oval((x - 4, y - 4, x + 4, y + 4), fill=shade(p.c, 0.82), outline=False)


@shape("kiwi")
def kiwi(p: Pen) -> None:
    p.oval((24, 24, 232, 232), fill=(130, 92, 56))
    p.oval((42, 42, 214, 214), fill=mix(p.c, (120, 200, 60), 0.4), outline=False)
    p.oval((100, 100, 156, 156), fill=(240, 240, 200), outline=False)
    for k in range(14):
        a = 2 * math.pi * k / 14
        x, y = 128 + 50 * math.cos(a), 128 + 50 * math.sin(a)
        p.oval((x - 5, y - 8, x + 5, y + 8), fill=DARK, outline=False)


@shape("mango")
def mango(p: Pen) -> None:
    pts = [
        (128 + 96 * math.cos(t) * (1 + 0.12 * math.sin(t)), 136 + 78 * math.sin(t))
        for t in (2 * math.pi * k / 40 for k in range(40))
    ]
    p.poly(rotate(pts, -30, (128, 136)))
    p.oval((140, 80, 200, 130), fill=(240, 120, 60), outline=False)
    p.leaf(76, 70, 70, -140)


@shape("grapes")
def grapes(p: Pen) -> None:
    p.line([(128, 60), (140, 14)], 10, fill=WOOD)
    p.leaf(140, 30, 70, -20)
    rows = [(66, 4), (108, 4), (148, 3), (186, 2), (222, 1)]
    for y, n in rows:
        for k in range(n):
            x = 128 + (k - (n - 1) / 2) * 44
            p.oval((x - 26, y - 26, x + 26, y + 26))
            p.oval((x - 14, y - 16, x - 4, y - 6), fill=mix(p.c, WHITE, 0.55), outline=False)


@shape("lychee")
def lychee(p: Pen) -> None:
    p.line([(100, 60), (90, 16)], 10, fill=WOOD)
    p.leaf(92, 28, 60, -150)
    p.oval((20, 50, 170, 200))
    for k in range(18):
        x = 40 + (k * 37) % 120
        y = 70 + (k * 23) % 120
        p.oval((x - 4, y - 4, x + 4, y + 4), fill=shade(p.c, 0.75), outline=False)
    p.oval((120, 124, 234, 238), fill=(246, 244, 232))


@shape("cherries")
def cherries(p: Pen) -> None:
    p.line([(86, 130), (120, 60), (156, 22)], 8, fill=WOOD)
    p.line([(170, 144), (160, 70), (156, 22)], 8, fill=WOOD)
    p.leaf(156, 24, 64, 10)
    p.oval((30, 120, 136, 226))
    p.oval((120, 132, 226, 238))
    p.oval((52, 140, 72, 164), fill=mix(p.c, WHITE, 0.5), outline=False)
    p.oval((142, 152, 162, 176), fill=mix(p.c, WHITE, 0.5), outline=False)


@shape("steak")
def steak(p: Pen) -> None:
    def blob(scale: float, dx: float, dy: float) -> list[Point]:
        pts = []
        for k in range(60):
            t = 2 * math.pi * k / 60
            r = (96 + 12 * math.sin(2 * t) + 8 * math.sin(3 * t + 1)) * scale
            pts.append((128 + dx + 1.12 * r * math.cos(t), 132 + dy + 0.82 * r * math.sin(t)))
        return pts

    p.poly(blob(1.0, 0, 0), fill=(250, 234, 224))
    p.poly(blob(0.84, 8, 6), outline=False)
    for a, b in (((70, 110), (140, 96)), ((110, 150), (190, 132)), ((84, 176), (150, 184))):
        p.line([a, b], 6, fill=(248, 196, 196))


@shape("eggs")
def eggs(p: Pen) -> None:
    p.oval((28, 84, 112, 200))
    p.oval((150, 90, 234, 206))
    p.oval((88, 52, 172, 172))
    p.rect((14, 166, 242, 236), fill=(206, 200, 186), r=18)
    for x in (60, 128, 196):
        p.d.arc((x - 34, 150, x + 34, 200), 0, 180, fill=(170, 164, 150), width=6)


@shape("porkbelly")
def porkbelly(p: Pen) -> None:
    p.rect((20, 62, 236, 196), fill=(240, 230, 220), r=10)
    p.d.rectangle((26, 68, 230, 84), fill=(214, 160, 110))
    for y0, y1 in ((96, 124), (142, 160), (172, 190)):
        p.d.rectangle((26, y0, 230, y1), fill=p.c if y0 != 142 else shade(p.c, 0.85))


@shape("drumstick")
def drumstick(p: Pen) -> None:
    p.line([(150, 150), (204, 204)], 24, fill=WHITE, edged=True)
    p.oval((190, 186, 230, 226), fill=WHITE)
    p.oval((206, 166, 244, 204), fill=WHITE)
    # A teardrop with its point towards the bone.
    drop = []
    for k in range(48):
        t = 2 * math.pi * k / 48
        drop.append((120 + 70 * math.cos(t), 90 + 70 * math.sin(t) * math.sin(t / 2) ** 1.2))
    p.poly(rotate(drop, 45, (90, 90)))
    p.oval((56, 56, 92, 92), fill=mix(p.c, WHITE, 0.45), outline=False)


@shape("meatroll")
def meatroll(p: Pen) -> None:
    for cx, cy in ((76, 170), (180, 170), (128, 86)):
        p.oval((cx - 56, cy - 56, cx + 56, cy + 56))
        for r in (40, 24, 8):
            p.d.ellipse((cx - r, cy - r, cx + r, cy + r), outline=(250, 232, 226), width=6)


@shape("shrimp")
def shrimp(p: Pen) -> None:
    p.poly([(64, 196), (20, 176), (30, 230), (70, 220)])
    for k in range(6):
        a = math.radians(200 - k * 34)
        r = 46 - k * 3
        x, y = 128 + 78 * math.cos(a), 128 - 78 * math.sin(a)
        p.oval((x - r, y - r, x + r, y + r))
    p.oval((196, 136, 212, 152), fill=DARK, outline=False)
    p.line([(210, 130), (246, 60)], 5, fill=p.o)
    p.line([(214, 140), (250, 110)], 5, fill=p.o)


@shape("crab")
def crab(p: Pen) -> None:
    for side in (-1, 1):
        for k in range(3):
            y = 150 + k * 22
            p.line([(128 + side * 50, y), (128 + side * 110, y + 40)], 12, edged=True)
        p.line([(128 + side * 50, 120), (128 + side * 84, 82)], 14, edged=True)
        cx = 128 + side * 88
        p.oval((cx - 36, 32, cx + 36, 100))
        p.d.polygon([(cx, 62), (cx + side * 40, 20), (cx + side * 44, 60)], fill=(0, 0, 0, 0))
    p.oval((50, 100, 206, 204))
    for x in (106, 150):
        p.oval((x - 10, 96, x + 10, 116), fill=DARK, outline=False)


@shape("fish")
def fish(p: Pen) -> None:
    p.poly([(176, 128), (244, 72), (236, 128), (244, 184)])
    p.oval((14, 72, 200, 184))
    for x in (100, 130, 160):
        p.d.arc((x - 30, 80, x + 10, 176), 300, 60, fill=(250, 220, 200), width=6)
    p.oval((46, 106, 74, 134), fill=WHITE)
    p.oval((54, 114, 68, 128), fill=DARK, outline=False)


@shape("oyster")
def oyster(p: Pen) -> None:
    pts = [
        (
            128 + (104 + 10 * math.sin(7 * t)) * math.cos(t),
            132 + (82 + 8 * math.sin(9 * t)) * math.sin(t),
        )
        for t in (2 * math.pi * k / 48 for k in range(48))
    ]
    p.poly(pts)
    p.oval((60, 80, 196, 184), fill=(238, 228, 206))
    p.oval((96, 104, 160, 160), fill=(214, 200, 176), outline=False)


@shape("snackbag")
def snackbag(p: Pen) -> None:
    top = [(44 + k * 16, 28 if k % 2 else 40) for k in range(11)]
    bottom = [(204 - k * 16, 228 if k % 2 else 216) for k in range(11)]
    p.poly([*top, (214, 120), *bottom, (42, 120)])
    p.rect((44, 60, 212, 84), fill=p.a, outline=False)
    p.oval((80, 104, 176, 192), fill=WHITE)
    for x, y in ((108, 132), (146, 140), (124, 166)):
        p.oval((x - 14, y - 12, x + 14, y + 12), fill=shade(p.c, 0.7), outline=False)


@shape("giftbox")
def giftbox(p: Pen) -> None:
    p.oval((70, 24, 130, 84), fill=WHITE)
    p.oval((126, 24, 186, 84), fill=WHITE)
    p.rect((36, 100, 220, 234))
    p.rect((24, 72, 232, 112), fill=shade(p.c, 0.85))
    p.d.rectangle((114, 74, 142, 232), fill=WHITE)


@shape("crackers")
def crackers(p: Pen) -> None:
    for k, (x, y, a) in enumerate(((40, 60, -12), (96, 100, 8), (60, 140, -4))):
        sq = rotate([(x, y), (x + 130, y), (x + 130, y + 96), (x, y + 96)], a, (x + 65, y + 48))
        p.poly(sq, fill=mix(p.c, (226, 176, 96), 0.5 + 0.1 * k))
        for dx in (30, 65, 100):
            for dy in (28, 68):
                cx, cy = rotate([(x + dx, y + dy)], a, (x + 65, y + 48))[0]
                p.oval((cx - 5, cy - 5, cx + 5, cy + 5), fill=shade(p.c, 0.55), outline=False)


@shape("teatin")
def teatin(p: Pen) -> None:
    p.rect((60, 60, 196, 234), r=10)
    p.rect((54, 36, 202, 76), fill=shade(p.c, 0.75), r=10)
    p.rect((78, 110, 178, 196), fill=(244, 236, 214), r=6, outline=False)
    p.leaf(100, 160, 64, -40)


@shape("teacake")
def teacake(p: Pen) -> None:
    p.oval((16, 16, 240, 240), fill=(242, 232, 206))
    p.oval((70, 70, 186, 186), fill=(244, 236, 214), outline=False)
    p.d.ellipse((74, 74, 182, 182), outline=(200, 40, 40), width=10)
    p.rect((110, 96, 146, 160), fill=(200, 40, 40), outline=False)
    for r in (96, 104):
        p.d.arc((128 - r, 128 - r, 128 + r, 128 + r), 200, 320, fill=shade(p.c, 1.2), width=4)


@shape("coffee")
def coffee(p: Pen) -> None:
    for x in (96, 136):
        p.d.line(
            [(x, 60), (x - 10, 40), (x + 4, 24), (x - 6, 6)],
            fill=(170, 170, 176),
            width=8,
            joint="curve",
        )
    p.oval((18, 196, 238, 240), fill=WHITE)
    p.d.arc((170, 100, 232, 170), 270, 90, fill=p.o, width=20)
    p.poly([(40, 80), (200, 80), (182, 212), (58, 212)])
    p.oval((44, 68, 196, 100), fill=(78, 48, 28))


@shape("fruittea")
def fruittea(p: Pen) -> None:
    p.poly([(56, 30), (200, 30), (184, 240), (72, 240)], fill=mix(p.c, WHITE, 0.3))
    for cx, cy in ((102, 110), (156, 170)):
        p.oval((cx - 36, cy - 36, cx + 36, cy + 36), fill=WHITE)
        p.oval((cx - 28, cy - 28, cx + 28, cy + 28), fill=(250, 220, 60), outline=False)
        for k in range(4):
            a = math.pi * k / 4
            p.d.line(
                [
                    (cx - 28 * math.cos(a), cy - 28 * math.sin(a)),
                    (cx + 28 * math.cos(a), cy + 28 * math.sin(a)),
                ],
                fill=WHITE,
                width=4,
            )
    p.rect((140, 60, 180, 100), fill=(220, 240, 250), r=6)


@shape("honey")
def honey(p: Pen) -> None:
    p.rect((46, 92, 210, 240), r=30)
    p.rect((38, 54, 218, 100), fill=(200, 80, 60), r=12)
    p.poly(
        [(60, 100), (196, 100), (196, 120), (160, 126), (150, 150), (140, 126), (60, 120)],
        fill=shade(p.c, 0.85),
    )
    hexagon = [
        (128 + 34 * math.cos(math.pi * k / 3), 184 + 34 * math.sin(math.pi * k / 3))
        for k in range(6)
    ]
    p.poly(hexagon, fill=WHITE)


# --------------------------------------------------------------------------- books, courses


def _book(p: Pen) -> None:
    p.poly([(200, 28), (218, 40), (218, 244), (200, 236)], fill=WHITE)
    p.rect((48, 20, 208, 236))
    p.d.rectangle((54, 26, 76, 230), fill=shade(p.c, 0.7))


@shape("book")
def book(p: Pen) -> None:
    _book(p)
    p.rect((96, 68, 184, 112), fill=WHITE, outline=False)
    p.line([(100, 150), (180, 150)], 6, fill=p.a)
    p.line([(100, 170), (160, 170)], 6, fill=p.a)


@shape("kidsbook")
def kidsbook(p: Pen) -> None:
    _book(p)
    p.star(142, 112, 56, (250, 214, 60) if abs(luminance(p.c) - 200) > 40 else WHITE)
    p.oval((100, 180, 124, 204), fill=WHITE, outline=False)
    p.oval((150, 184, 170, 204), fill=(250, 120, 140), outline=False)


@shape("textbook")
def textbook(p: Pen) -> None:
    _book(p)
    p.rect((96, 60, 184, 100), fill=WHITE, outline=False)
    pencil = rotate([(40, 200), (196, 200), (226, 212), (196, 224), (40, 224)], -35, (128, 212))
    p.poly(pencil, fill=(250, 200, 50))


@shape("bookset")
def bookset(p: Pen) -> None:
    for k, (x0, top) in enumerate(((34, 44), (100, 20), (166, 56))):
        colour = shade(p.c, 1.0 - 0.16 * k) if luminance(p.c) > 80 else mix(p.c, WHITE, 0.2 * k)
        p.rect((x0, top, x0 + 60, 240), fill=colour)
        p.rect((x0 + 10, top + 28, x0 + 50, top + 46), fill=WHITE, outline=False)
        p.line([(x0 + 8, 210), (x0 + 52, 210)], 6, fill=GOLD)


def _screen(p: Pen) -> None:
    p.rect((104, 186, 152, 220), fill=DARK, outline=False)
    p.rect((64, 212, 192, 236), fill=DARK, r=8)
    p.rect((10, 26, 246, 196), r=16)
    p.rect((26, 42, 230, 180), fill=(30, 34, 52), r=6, outline=False)


def _bright(c: RGB) -> RGB:
    return mix(c, WHITE, 0.55) if luminance(c) < 110 else c


@shape("code")
def code(p: Pen) -> None:
    _screen(p)
    ink = _bright(p.c)
    p.line([(84, 78), (52, 110), (84, 142)], 14, fill=ink)
    p.line([(146, 68), (110, 152)], 14, fill=ink)
    p.line([(172, 78), (204, 110), (172, 142)], 14, fill=ink)


@shape("play")
def play(p: Pen) -> None:
    _screen(p)
    p.oval((84, 58, 172, 146), fill=_bright(p.c), outline=False)
    p.d.polygon([(114, 80), (114, 124), (152, 102)], fill=WHITE)
    p.line([(40, 166), (216, 166)], 6, fill=(110, 110, 130))
    p.line([(40, 166), (120, 166)], 6, fill=_bright(p.c))


@shape("sheet")
def sheet(p: Pen) -> None:
    _screen(p)
    p.d.rectangle((38, 54, 218, 168), fill=WHITE)
    p.d.rectangle((38, 54, 218, 76), fill=_bright(p.c))
    for x in (38, 98, 158, 218):
        p.d.line([(x, 54), (x, 168)], fill=(150, 150, 160), width=3)
    for y in (76, 106, 136, 168):
        p.d.line([(38, y), (218, y)], fill=(150, 150, 160), width=3)
    for x, h in ((112, 30), (134, 50), (156, 40), (178, 74)):
        p.d.rectangle((x, 164 - h, x + 14, 164), fill=p.c)


@shape("camera")
def camera(p: Pen) -> None:
    p.rect((64, 42, 136, 86), r=10)
    p.rect((14, 70, 242, 214), r=22)
    p.oval((76, 86, 180, 190), fill=DARK)
    p.oval((98, 108, 158, 168), fill=(86, 120, 176), outline=False)
    p.oval((108, 116, 126, 134), fill=WHITE, outline=False)
    p.rect((190, 88, 224, 110), fill=WHITE, r=4)


@shape("speech")
def speech(p: Pen) -> None:
    p.poly([(52, 120), (40, 160), (90, 124)])
    p.rect((12, 24, 168, 132), r=30)
    for y in (60, 92):
        p.line(
            [(44, y), (136 if y == 60 else 110, y)],
            12,
            fill=_bright(p.c) if luminance(p.c) < 110 else WHITE,
        )
    p.poly([(200, 200), (220, 240), (168, 206)], fill=WHITE)
    p.rect((92, 112, 244, 212), fill=WHITE, r=30)
    for x in (130, 168, 206):
        p.oval((x - 12, 150, x + 12, 174), fill=p.c, outline=False)


@shape("article")
def article(p: Pen) -> None:
    p.poly([(46, 16), (176, 16), (212, 52), (212, 242), (46, 242)], fill=WHITE)
    p.poly([(176, 16), (176, 52), (212, 52)], fill=(210, 210, 216))
    p.rect((66, 40, 160, 84), fill=p.c, outline=False)
    for y in (110, 136, 162, 188, 214):
        p.line([(68, y), (190 if y != 214 else 150, y)], 8, fill=(160, 160, 170))


# --------------------------------------------------------------------------- sports


@shape("shoe")
def shoe(p: Pen) -> None:
    # A trainer seen from the side: high heel collar on the left, toe on the right.
    p.poly(
        [
            (18, 192),
            (20, 118),
            (36, 96),
            (64, 104),
            (100, 112),
            (122, 80),
            (146, 76),
            (176, 108),
            (214, 132),
            (240, 156),
            (248, 192),
        ]
    )
    p.d.ellipse((44, 92, 112, 122), fill=DARK)
    p.poly([(10, 186), (250, 186), (246, 222), (22, 222)], fill=WHITE)
    for k in range(4):
        x = 128 + k * 18
        p.line([(x, 86 + k * 8), (x + 20, 104 + k * 8)], 7, fill=WHITE)
    p.line([(30, 164), (110, 150), (236, 170)], 8, fill=p.a)
    p.rect((196, 150, 246, 186), fill=mix(p.c, WHITE, 0.4), r=14, outline=False)


@shape("waistpack")
def waistpack(p: Pen) -> None:
    p.line([(6, 120), (250, 120)], 22, fill=DARK)
    p.rect((110, 108, 146, 132), fill=SILVER, outline=False)
    p.rect((54, 72, 202, 190), r=48)
    p.d.arc((70, 80, 186, 150), 200, 340, fill=p.a, width=7)


@shape("yogamat")
def yogamat(p: Pen) -> None:
    p.poly([(32, 176), (188, 176), (236, 232), (80, 232)], fill=shade(p.c, 0.9))
    p.rect((20, 70, 180, 170), r=10)
    p.oval((138, 66, 238, 174), fill=shade(p.c, 0.85))
    for r in (34, 18):
        p.d.ellipse((188 - r, 120 - r, 188 + r, 120 + r), outline=p.o, width=6)


@shape("dumbbell")
def dumbbell(p: Pen) -> None:
    p.line([(30, 128), (226, 128)], 20, fill=SILVER, edged=True)
    for x0, x1, h in ((34, 70, 60), (70, 94, 42), (186, 222, 60), (162, 186, 42)):
        p.rect((x0, 128 - h, x1, 128 + h), r=8)
    p.rect((108, 116, 148, 140), fill=DARK, outline=False)


@shape("bands")
def bands(p: Pen) -> None:
    for k, box_ in enumerate([(16, 56, 156, 196), (66, 30, 206, 170), (100, 90, 240, 230)]):
        colour = [p.c, mix(p.c, (80, 160, 240), 0.6), mix(p.c, (120, 200, 90), 0.6)][k]
        p.d.ellipse(box_, outline=p.o, width=30)
        p.d.ellipse(
            tuple(v + (5 if i < 2 else -5) for i, v in enumerate(box_)), outline=colour, width=20
        )


@shape("jumprope")
def jumprope(p: Pen) -> None:
    p.d.arc((46, 12, 210, 220), 150, 30, fill=DARK, width=9)
    for x in (52, 204):
        p.rect((x - 18, 150, x + 18, 244), r=16)
    p.rect((44, 170, 60, 194), fill=WHITE, r=3, outline=False)


@shape("tent")
def tent(p: Pen) -> None:
    p.poly([(128, 26), (244, 226), (12, 226)])
    p.poly([(128, 96), (172, 226), (84, 226)], fill=DARK)
    p.line([(128, 26), (128, 96)], 6, fill=p.a)
    p.line([(4, 232), (252, 232)], 10, fill=(120, 100, 70))


@shape("chair")
def chair(p: Pen) -> None:
    p.line([(70, 150), (204, 238)], 12, fill=DARK)
    p.line([(186, 150), (52, 238)], 12, fill=DARK)
    p.poly([(26, 48), (230, 48), (208, 142), (128, 176), (48, 142)])
    p.d.arc((40, 20, 216, 120), 20, 160, fill=p.a, width=8)


@shape("lantern")
def lantern(p: Pen) -> None:
    p.d.arc((82, 6, 174, 96), 180, 360, fill=DARK, width=12)
    p.rect((84, 76, 172, 196), fill=GLOW)
    for x in (108, 148):
        p.line([(x, 80), (x, 192)], 8, fill=p.c)
    p.rect((70, 48, 186, 82), r=10)
    p.rect((64, 192, 192, 230), r=10)


@shape("backpack")
def backpack(p: Pen) -> None:
    p.d.arc((96, 12, 160, 72), 180, 360, fill=DARK, width=12)
    p.rect((44, 42, 212, 240), r=50)
    p.rect((72, 140, 184, 220), fill=shade(p.c, 0.85), r=20)
    p.d.arc((62, 60, 194, 170), 200, 340, fill=p.a, width=7)


@shape("poles")
def poles(p: Pen) -> None:
    for top, bottom in (((70, 18), (112, 244)), ((186, 18), (144, 244))):
        p.line([top, bottom], 10, fill=SILVER, edged=True)
        grip_end = (top[0] + (bottom[0] - top[0]) * 0.3, top[1] + (bottom[1] - top[1]) * 0.3)
        p.line([top, grip_end], 26, edged=True)
        x = top[0] + (bottom[0] - top[0]) * 0.88
        p.oval((x - 18, 214, x + 18, 228), fill=DARK, outline=False)


# --------------------------------------------------------------------------- rendering


def sticker(kind: str, colour: RGB, pattern: str | None) -> Image.Image:
    """The object alone on a transparent canvas, with a dark outline around its silhouette."""
    layer = Image.new("RGBA", (CANVAS, CANVAS), (0, 0, 0, 0))
    pen = Pen(ImageDraw.Draw(layer), colour)
    SHAPES[kind](pen)
    if pattern == "dots":
        dots = Image.new("L", layer.size, 0)
        dd = ImageDraw.Draw(dots)
        for row, y in enumerate(range(12, CANVAS, 26)):
            for x in range(12 + (row % 2) * 13, CANVAS, 26):
                dd.ellipse((x - 5, y - 5, x + 5, y + 5), fill=255)
        # Dots only where the fabric is: pixels of exactly the product colour.
        dot_mask = Image.composite(
            dots, Image.new("L", layer.size, 0), _same_colour_mask(layer, colour)
        )
        layer.paste(Image.new("RGBA", layer.size, WHITE + (255,)), (0, 0), dot_mask)
    alpha = layer.getchannel("A").point(lambda v: 255 if v > 200 else 0)
    grown = alpha.filter(ImageFilter.MaxFilter(9))
    outline = Image.new("RGBA", layer.size, Pen(ImageDraw.Draw(layer), colour).o + (255,))
    result = Image.new("RGBA", layer.size, (0, 0, 0, 0))
    result.paste(outline, (0, 0), grown)
    result.alpha_composite(layer)
    return result


def _same_colour_mask(layer: Image.Image, colour: RGB) -> Image.Image:
    r, g, b, _ = layer.split()
    masks = [
        band.point(lambda v, want=want: 255 if abs(v - want) <= 2 else 0)
        for band, want in zip((r, g, b), colour, strict=True)
    ]
    out = masks[0]
    for m in masks[1:]:
        out = Image.composite(out, Image.new("L", layer.size, 0), m)
    return out


def background(top: str, colour: RGB) -> RGB:
    bg = BACKGROUNDS[top]
    # A light object on a light ground would vanish: darken the ground a little.
    return shade(bg, 0.8) if luminance(colour) > 200 else bg


def product_picture(order: dict) -> Image.Image:
    colour = tuple(order["rgb"])
    canvas = Image.new("RGBA", (CANVAS, CANVAS), background(order["top"], colour) + (255,))
    canvas.alpha_composite(sticker(order["shape"], colour, order.get("pattern")))
    return canvas.convert("RGB")


def review_photo(order: dict, path: str) -> Image.Image:
    rng = random.Random(zlib.crc32(path.encode()))
    colour = tuple(order["rgb"])
    ground, stripe, spacing = SCENES[
        (zlib.crc32(order["slug"].encode()) + order["variant"]) % len(SCENES)
    ]
    canvas = Image.new("RGBA", (CANVAS, CANVAS), ground + (255,))
    draw = ImageDraw.Draw(canvas)
    if spacing:
        for y in range(spacing // 2, CANVAS, spacing):
            draw.line([(0, y), (CANVAS, y + rng.randint(-6, 6))], fill=stripe, width=4)
    scale = rng.uniform(0.7, 0.82)
    size = int(CANVAS * scale)
    item = sticker(order["shape"], colour, order.get("pattern")).resize(
        (size, size), Image.Resampling.LANCZOS
    )
    item = item.rotate(
        rng.choice([-16, -10, 10, 16]), resample=Image.Resampling.BICUBIC, expand=False
    )
    x = (CANVAS - size) // 2 + rng.randint(-14, 14)
    y = (CANVAS - size) // 2 + rng.randint(-8, 14)
    shadow = Image.new("RGBA", canvas.size, (0, 0, 0, 0))
    ImageDraw.Draw(shadow).ellipse(
        (x + 20, y + size - 40, x + size - 20, y + size + 4), fill=(0, 0, 0, 60)
    )
    canvas.alpha_composite(shadow.filter(ImageFilter.GaussianBlur(6)))
    canvas.alpha_composite(item, (x, y))
    return canvas.convert("RGB")


def save(image: Image.Image, target: Path) -> None:
    small = image.resize((SIZE, SIZE), Image.Resampling.LANCZOS)
    paletted = small.quantize(
        colors=COLOURS_PER_PICTURE, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE
    )
    target.parent.mkdir(parents=True, exist_ok=True)
    paletted.save(target, format="PNG", optimize=True)


def contact_sheet(paths: list[Path], target: Path, zoom: int = 2, columns: int = 16) -> None:
    cell = SIZE * zoom + 4
    rows = (len(paths) + columns - 1) // columns
    sheet = Image.new("RGB", (columns * cell, rows * cell), (255, 255, 255))
    for k, path in enumerate(paths):
        with Image.open(path) as im:
            tile = im.convert("RGB").resize((SIZE * zoom, SIZE * zoom), Image.Resampling.NEAREST)
        sheet.paste(tile, ((k % columns) * cell + 2, (k // columns) * cell + 2))
    sheet.save(target)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sheet", type=Path, help="also write an enlarged contact sheet here")
    args = parser.parse_args(argv)

    _, plan = build_seed.build()
    data = build_seed.DATA
    written: list[Path] = []
    for rel, order in plan.products.items():
        target = data / rel
        save(product_picture(order), target)
        written.append(target)
    for rel, order in plan.reviews.items():
        target = data / rel
        save(review_photo(order, rel), target)
        written.append(target)

    # Pictures of products that no longer exist would only confuse: remove them.
    wanted = set(written)
    for stale in sorted((data / "pictures").rglob("*.png")):
        if stale not in wanted:
            stale.unlink()

    total = sum(p.stat().st_size for p in written)
    sys.stdout.write(
        f"wrote {len(plan.products)} product pictures and {len(plan.reviews)} review photos, "
        f"{total / 1024:.0f} KiB\n"
    )
    if args.sheet:
        contact_sheet(written, args.sheet)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
