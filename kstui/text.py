"""Text from the data (names, reviews) made safe to put on a terminal."""

from __future__ import annotations

import re

_CONTROL = re.compile(
    r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2064\ud800-\udfff]"
)
"""C0/C1 controls (escape sequences start with one), zero-width and direction marks, and
lone surrogates (half of a UTF-16 pair: no encoding can write one, so neither a
terminal nor either engine takes it)."""


def printable(text: str, *, lines: bool = False) -> str:
    """`text` without control characters; newlines kept only if `lines`.

    A name like `好物\\x1b[31m红` would otherwise recolour the terminal, and a newline
    in a one-line name would break the list's layout.
    """
    cleaned = _CONTROL.sub("", text)
    return cleaned if lines else cleaned.replace("\n", " ")


def has_control(text: str, *, lines: bool = False) -> bool:
    """True if `printable` would change `text`."""
    return printable(text, lines=lines) != text


def escape_controls(text: str) -> str:
    """`text` with every control character written out (`\\x1b`, `\\u202e`, `\\n`), for one
    line that echoes what someone typed: an escape sequence or a direction mark in it is
    shown, never obeyed by the terminal."""
    return _CONTROL_OR_NEWLINE.sub(lambda m: m.group().encode("unicode_escape").decode(), text)


_CONTROL_OR_NEWLINE = re.compile(_CONTROL.pattern[:-1] + r"\n]")
"""The characters `printable` drops, and newlines."""
