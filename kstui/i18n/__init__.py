"""Every text a person reads goes through a `Translator`: Chinese by default, English on request.

Texts are looked up by key in the files of one area each in `zh/` / `en/` beside this
module (`zh/ordering.json`…; `app.json` for the shell: keys, palette, CLI), and formatted
with `str.format` named fields. A key's first segment is its area (`ordering.cart.all`),
and it lives in exactly one file. Data that exists in both languages (product
names, categories) travels as `Localized` and is chosen with `Translator.pick`.
"""

from __future__ import annotations

import json
from decimal import ROUND_DOWN, Decimal
from functools import cache
from pathlib import Path
from typing import Literal, NamedTuple, get_args

from kstui.money import Fen, format_fen
from kstui.text import printable

Lang = Literal["zh", "en"]
LANGS: tuple[Lang, ...] = get_args(Lang)
_HERE = Path(__file__).parent


class Localized(NamedTuple):
    """A text that exists in both languages of the shop."""

    zh: str
    en: str


class UnknownLanguage(ValueError):
    """A language the shop does not speak."""


def parse_lang(value: str) -> Lang:
    """Turn `zh`/`en` (any case) into a `Lang`, or raise `UnknownLanguage`."""
    lowered = value.strip().lower()
    if lowered not in LANGS:
        raise UnknownLanguage(value)
    return lowered


class DuplicateKey(ValueError):
    """A message key defined in two files of one language."""


def catalogue_files(lang: Lang) -> list[Path]:
    """The files that make up one language, one per area."""
    return sorted((_HERE / lang).glob("*.json"))


@cache
def catalogue(lang: Lang) -> dict[str, str]:
    """The texts of one language, keyed by message key.

    Raises:
        DuplicateKey: if two files define the same key.
    """
    texts: dict[str, str] = {}
    for path in catalogue_files(lang):
        with path.open(encoding="utf-8") as f:
            part: dict[str, str] = json.load(f)
        twice = texts.keys() & part.keys()
        if twice:
            raise DuplicateKey(f"{path.name}: {sorted(twice)}")
        texts.update(part)
    return texts


class Translator:
    """Turns message keys into texts of one language.

    Args:
        lang: `zh` (the default) or `en`.
    """

    def __init__(self, lang: Lang = "zh") -> None:
        self.lang: Lang = lang
        self._texts = catalogue(lang)

    def __call__(self, key: str, /, **params: object) -> str:
        """The text for `key`, with `params` filled in; the key itself if it is unknown.

        A `Localized` parameter (a product's name in an error) is filled in this language,
        a `Fen` one as yuan.
        """
        text = self._texts.get(key, key)
        if not params:
            return text
        return text.format(**{k: self._param(v) for k, v in params.items()})

    def _param(self, value: object) -> object:
        if isinstance(value, Localized):
            return self.pick(value)
        if isinstance(value, Fen):
            return format_fen(value)
        return value

    def pick(self, text: Localized, *, lines: bool = False) -> str:
        """The side of a `Localized` text in this language, safe to print.

        Data (names, descriptions) never carries control characters to the terminal;
        newlines are kept only with `lines` (descriptions).
        """
        return printable(text.zh if self.lang == "zh" else text.en, lines=lines)

    def count(self, n: int) -> str:
        """A compact count: `12345` → `1.2万` in Chinese, `12.3k` in English."""
        if self.lang == "zh":
            for size, unit in ((100_000_000, "亿"), (10_000, "万")):
                if n >= size:
                    return f"{_one_decimal(n, size)}{unit}"
            return str(n)
        if n >= 1_000_000:
            return f"{_one_decimal(n, 1_000_000)}M"
        if n >= 10_000:
            return f"{_one_decimal(n, 1_000)}k"
        return f"{n:,}"


def _one_decimal(n: int, size: int) -> str:
    value = (Decimal(n) / size).quantize(Decimal("0.1"), rounding=ROUND_DOWN)
    text = f"{value:f}"
    return text[:-2] if text.endswith(".0") else text
