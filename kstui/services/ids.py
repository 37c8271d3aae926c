"""Row ids as they arrive from outside (the CLI, a screen, later an SSH exec request).

Every id column is a signed 64-bit integer on both engines, and ids start at 1. An id
outside 1…2⁶³−1 names no row: the services answer it like any other unknown id
("no such product") instead of handing SQLite a number it cannot bind (OverflowError).
"""

from __future__ import annotations

from collections.abc import Iterable

MAX_ID = 2**63 - 1
"""The largest value an id column holds (SQLite INTEGER, PostgreSQL bigint)."""


def storable(value: int) -> bool:
    """True if `value` could be the id of a row."""
    return 0 < value <= MAX_ID


def storable_ids(values: Iterable[int]) -> list[int]:
    """The values that could be ids of rows, in their order (the others name nothing)."""
    return [value for value in values if storable(value)]
