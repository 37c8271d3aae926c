"""How a product becomes findable: the search document of each product (any engine).

No engine offers a tokenizer that splits Chinese into words, and trigram indexes (SQLite's
FTS5 `trigram`, PostgreSQL's `pg_trgm`) cannot answer terms shorter than three
characters. So a product's document (`SearchDoc`, built by `build_doc`) has two halves:

- substring columns for terms of 3+ characters: `text` the Chinese name and brand, `en`
  the English name and brand, `py` the pinyin of the Chinese name with each syllable
  written as one character (see `pinyin_syllables`), `ini` the pinyin initials (连衣裙 →
  `lyq`), `tags` the product's category, brand and price band (see `Facet`) as
  three-character tags;
- gram tokens for 1- and 2-character terms: each Chinese character and pair of
  neighbouring characters, the first one and two letters of each Latin word, single and
  paired pinyin syllables, paired initials, and the same tags as tokens.

Writing each syllable as one character lets pinyin reuse the Chinese machinery:
`lianyiqun` becomes a three-character substring that only matches whole syllables.
`kstui.services.catalog.search_query` turns what a shopper types into a description of
each term over these documents; both sides use `normalize`. Each engine's module
(`kstui.store.search.sqlite`, …) stores the documents and answers the terms its own way.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from typing import TYPE_CHECKING

from kstui.store.pinyin_syllables import SYLLABLES

if TYPE_CHECKING:
    from kstui.store.search import SearchSpec

PINYIN_CODE_BASE = 0x3400
"""Syllable n is written as chr(PINYIN_CODE_BASE + n) (CJK Extension A, a letter class)."""

SYLLABLE_CODES: dict[str, str] = {s: chr(PINYIN_CODE_BASE + i) for i, s in enumerate(SYLLABLES)}

_HAN = re.compile(r"[\u4e00-\u9fff\uf900-\ufaff]+")
_HAN_CHAR = re.compile(r"[\u4e00-\u9fff\uf900-\ufaff]")
_LATIN_WORD = re.compile(r"[0-9a-z]+")


def normalize(text: str) -> str:
    """Fold a text for matching: NFKC (full-width → half-width), lower case, single spaces.

    Control, format and unpaired surrogate characters (a NUL, a zero-width joiner) are
    dropped: they cannot be typed on purpose, and SQLite refuses some of them.
    """
    folded = unicodedata.normalize("NFKC", text).lower()
    kept = "".join(c for c in folded if c.isspace() or unicodedata.category(c)[0] != "C")
    return " ".join(kept.split())


PRICE_BANDS = (0, 1000, 2000, 5000, 10000, 20000, 50000, 100000, 200000, 500000, 1000000)
"""Lower bounds (fen) of the price bands a product is tagged with: ¥10, ¥20, ¥50, …"""


class Facet(StrEnum):
    """Filter values carried by the search documents as tags.

    With them the search index intersects "keyword AND category AND brand AND price
    band" itself, so that a common word within a narrow filter (裙 in 数码电子: nothing)
    is answered from the index instead of by walking every product of the category.
    """

    TOP_CATEGORY = "t"
    CATEGORY = "c"
    BRAND = "b"
    PRICE_BAND = "p"


_FACET_CODES = {facet: i for i, facet in enumerate(Facet)}
_TAG_BASE = 0xE000  # private use: never in product text


def tag_text(facet: Facet, value: int) -> str:
    """The 3-character tag of a facet value in the `tags` column (one trigram exactly)."""
    return (
        chr(_TAG_BASE + _FACET_CODES[facet])
        + chr(_TAG_BASE + 0x100 + (value >> 12))
        + chr(_TAG_BASE + 0x100 + (value & 0xFFF))
    )


def tag_token(facet: Facet, value: int) -> str:
    """The token of a facet value among the gram tokens (4+ characters: no query gram is)."""
    return f"zz{facet.value}{value}"


NARROW_PRICE_BANDS = 3
"""A price range over at most this many price bands is also looked up in the search index."""


def spec_facets(spec: SearchSpec) -> list[tuple[Facet, list[int]]]:
    """The filters of a search that the search index carries as tags: each facet with
    the values of which a product must have one (category, a narrow price range, brands)."""
    facets: list[tuple[Facet, list[int]]] = []
    if spec.top_category_id is not None:
        facets.append((Facet.TOP_CATEGORY, [spec.top_category_id]))
    elif spec.category_id is not None:
        facets.append((Facet.CATEGORY, [spec.category_id]))
    if spec.min_price is not None or spec.max_price is not None:
        bands = price_bands(spec.min_price, spec.max_price)
        if len(bands) <= NARROW_PRICE_BANDS:
            facets.append((Facet.PRICE_BAND, bands))
    if spec.brand_ids:
        facets.append((Facet.BRAND, list(spec.brand_ids)))
    return facets


def price_band(price: int) -> int:
    """The band of a price in fen (an index into `PRICE_BANDS`)."""
    return bisect_right(PRICE_BANDS, price) - 1


def price_bands(low: int | None, high: int | None) -> list[int]:
    """The bands a price range touches."""
    first = price_band(low) if low is not None else 0
    last = price_band(high) if high is not None else len(PRICE_BANDS) - 1
    return list(range(first, last + 1))


@dataclass(frozen=True, slots=True)
class Facets:
    """The filter values of one product."""

    top_category_id: int
    category_id: int
    brand_id: int | None
    price: int

    def pairs(self) -> list[tuple[Facet, int]]:
        pairs = [
            (Facet.TOP_CATEGORY, self.top_category_id),
            (Facet.CATEGORY, self.category_id),
            (Facet.PRICE_BAND, price_band(self.price)),
        ]
        if self.brand_id is not None:
            pairs.append((Facet.BRAND, self.brand_id))
        return pairs


@dataclass(frozen=True, slots=True)
class SearchDoc:
    """The search document of one product: its substring columns and its gram tokens.

    `grams` is the sorted gram tokens (tag tokens included) joined by single spaces, `tags`
    the product's `tag_text` tags joined by spaces; on SQLite the first five columns are one row of
    `search_tri` and `grams` one row of `search_gram`.
    """

    text: str
    en: str
    py: str
    ini: str
    tags: str
    grams: str


@lru_cache(maxsize=65536)
def _han_run_pinyin(run: str) -> tuple[str, ...]:
    """Toneless pinyin of a run of Chinese characters, one syllable per character."""
    from pypinyin import lazy_pinyin

    syllables = lazy_pinyin(run, v_to_u=False, errors="ignore")
    if len(syllables) != len(run):  # a character pypinyin cannot read: skip the run
        return ()
    return tuple(syllables)


def pinyin_runs(text: str) -> list[tuple[str, ...]]:
    """The pinyin of each run of Chinese characters in `text` (Latin parts break runs)."""
    return [_han_run_pinyin(run) for run in _HAN.findall(text)]


def _coded(runs: Iterable[Sequence[str]]) -> tuple[str, str]:
    codes, initials = [], []
    for run in runs:
        codes.append("".join(SYLLABLE_CODES.get(s, " ") for s in run))
        initials.append("".join(s[0] for s in run))
    return " ".join(codes), " ".join(initials)


def _pairs(text: str) -> Iterable[str]:
    for i in range(len(text) - 1):
        yield text[i : i + 2]


def build_doc(
    *,
    name_zh: str,
    name_en: str,
    facets: Facets,
    brand_zh: str = "",
    brand_en: str = "",
    runs: Iterable[Sequence[str]] | None = None,
) -> SearchDoc:
    """The search documents of one product.

    Args:
        name_zh: The Chinese name.
        name_en: The English name.
        facets: Its category, brand and price, carried as tags.
        brand_zh: The brand's Chinese name, if any.
        brand_en: The brand's Latin name, if any.
        runs: The pinyin of the Chinese runs of `name_zh` and `brand_zh`, if the caller
            already knows it (the synthetic generator does); computed otherwise.
    """
    text = normalize(f"{name_zh} {brand_zh}")
    en = normalize(f"{name_en} {brand_en}")
    pinyin = list(runs) if runs is not None else pinyin_runs(f"{name_zh} {brand_zh}")
    py, ini = _coded(pinyin)
    tokens: set[str] = set()
    for han in _HAN.findall(text):
        tokens.update(han)
        tokens.update(_pairs(han))
    for chunk in text.split(" "):  # mixed pairs: T恤, A字, U盘, 2人
        tokens.update(
            pair for pair in _pairs(chunk) if pair.isalnum() and is_han(pair[0]) != is_han(pair[1])
        )
    for word in _LATIN_WORD.findall(f"{text} {en}"):
        tokens.add(word[:1])
        tokens.add(word[:2])
    for part in py.split():
        tokens.update(part)
        tokens.update(_pairs(part))
    for part in ini.split():
        tokens.update(_pairs(part))
    pairs = facets.pairs()
    tokens.update(tag_token(facet, value) for facet, value in pairs)
    tags = " ".join(tag_text(facet, value) for facet, value in pairs)
    return SearchDoc(text=text, en=en, py=py, ini=ini, tags=tags, grams=" ".join(sorted(tokens)))


def is_han(char: str) -> bool:
    """True for a Chinese character of the ranges the index covers."""
    return bool(_HAN_CHAR.fullmatch(char))
