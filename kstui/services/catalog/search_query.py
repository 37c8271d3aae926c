"""From what a shopper types to a description of each term over the search documents.

The text is split on spaces into terms; a product must match every term. Each term
matches as any of (see `kstui.store.search.TermMatch`):

- a substring of the Chinese or English name or the brand (3+ characters; only of the
  Chinese text when the term has a Chinese character) or of the pinyin initials
  (`lyq` → 连衣裙), or, for 1–2 characters, a gram token (a Chinese character or pair,
  or the start of a Latin word);
- full pinyin (`lianyiqun`, also while still typing: `lianyiq`), read as whole
  syllables; every way of splitting the letters into syllables is tried, the last one
  may be unfinished. A reading is a string of syllable codes: a substring of the coded
  pinyin when it has 3+ codes, a gram token when it has 1 or 2.

The description is engine neutral: each engine's search module
(`kstui.store.search.sqlite`, …) turns it into its own index lookups.
"""

from __future__ import annotations

from functools import cache

from kstui.services.catalog.errors import QueryTooLong
from kstui.store.pinyin_syllables import SYLLABLES
from kstui.store.search import Scope, TermMatch
from kstui.store.search.documents import SYLLABLE_CODES, is_han, normalize

__all__ = [
    "MAX_PINYIN_READINGS",
    "MAX_QUERY_CHARS",
    "MAX_TERMS",
    "TermMatch",
    "parse_query",
    "pinyin_readings",
]

MAX_QUERY_CHARS = 50
"""Longest search text accepted (after folding)."""

MAX_TERMS = 8
"""Most space-separated terms used; further ones are ignored."""

MAX_PINYIN_READINGS = 64
"""Most syllable sequences one pinyin term expands to (fewest syllables first)."""

_ALIASES = {"lue": "lve", "nue": "nve"}
_INTERJECTIONS = frozenset({"hm", "m", "n"})
"""Vowel-less syllables (呣, 嗯): never product words, and they split every `n` and `m`."""
_LONGEST_SYLLABLE = max(len(s) for s in SYLLABLES)


def parse_query(text: str) -> list[TermMatch]:
    """Turn a search text into one `TermMatch` per usable term (empty: no keyword).

    Raises:
        QueryTooLong: if the folded text has more than `MAX_QUERY_CHARS` characters.
    """
    folded = normalize(text)
    if len(folded) > MAX_QUERY_CHARS:
        raise QueryTooLong(limit=MAX_QUERY_CHARS, length=len(folded))
    matches: list[TermMatch] = []
    for term in dict.fromkeys(folded.split(" ")):
        if term and (match := _term_match(term)) is not None:
            matches.append(match)
        if len(matches) == MAX_TERMS:
            break
    return matches


def _term_match(term: str) -> TermMatch | None:
    substring: Scope | None = None
    gram = False
    if len(term) >= 3:
        substring = Scope.CHINESE if any(is_han(c) for c in term) else Scope.NAMES
    elif all(c.isalnum() for c in term):
        gram = True
    pinyin: list[str] = []
    pinyin_grams: list[str] = []
    if term.isascii() and term.isalpha() and len(term) >= 2:
        for codes in pinyin_readings(term):
            (pinyin if len(codes) >= 3 else pinyin_grams).append(codes)
    if substring is None and not gram and not pinyin and not pinyin_grams:
        return None
    return TermMatch(
        term=term,
        substring=substring,
        gram=gram,
        pinyin=tuple(pinyin),
        pinyin_grams=tuple(pinyin_grams),
    )


@cache
def _syllables_starting(prefix: str) -> tuple[str, ...]:
    return tuple(s for s in SYLLABLES if s.startswith(prefix) and s not in _INTERJECTIONS)


def pinyin_readings(letters: str) -> list[str]:
    """The syllable-coded readings of a run of letters, fewest syllables first.

    `xian` reads as 先 (xian) or 西安 (xi an). Only when no reading uses every letter
    is the last piece taken as unfinished: `lianyiq` reads as lian yi + any syllable
    starting with q. Each reading is the coded string stored in the `py` column.
    """
    whole = _fewest_syllables(letters, unfinished=False)
    if whole:
        found = whole
    else:  # no whole reading: the shopper is still typing the last syllable
        found = []
        for reading in _fewest_syllables(letters, unfinished=True):
            *done, tail = reading
            found.extend([*done, s] for s in _syllables_starting(tail))
        found.sort(key=len)
    readings = ["".join(SYLLABLE_CODES[s] for s in reading) for reading in found]
    return list(dict.fromkeys(readings))[:MAX_PINYIN_READINGS]


def _fewest_syllables(letters: str, *, unfinished: bool) -> list[list[str]]:
    """At most `MAX_PINYIN_READINGS` ways to split `letters` into syllables, fewest first.

    A dynamic program over suffixes keeps only the best few splits of each suffix, so
    the work grows linearly with the length (a naive search grows exponentially: a
    50-letter text like xianxianxian… has millions of splits). With `unfinished`, the
    last piece is a prefix of a syllable rather than a whole one.
    """
    n = len(letters)
    best: list[list[list[str]]] = [[] for _ in range(n + 1)]
    if not unfinished:
        best[n] = [[]]
    for start in range(n - 1, -1, -1):
        options: list[list[str]] = []
        rest = letters[start:]
        if unfinished and len(rest) < _LONGEST_SYLLABLE and _syllables_starting(rest):
            options.append([rest])
        for end in range(start + 1, min(start + _LONGEST_SYLLABLE, n) + 1):
            piece = _ALIASES.get(letters[start:end], letters[start:end])
            if piece in SYLLABLE_CODES and piece not in _INTERJECTIONS:
                options.extend([piece, *tail] for tail in best[end])
        options.sort(key=len)
        best[start] = options[:MAX_PINYIN_READINGS]
    return best[0]
