"""State machines: which status may follow which, and the one function that moves a row
and records the event. Each area declares its machines beside its rules.

A move is a conditional update (`… WHERE id = :id AND status = :source`): of two processes
moving the same row at the same moment exactly one succeeds, and only that one writes
the event row. A move the table does not allow is a programming error
(`InvalidTransition`), never a silent no-op.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from kstui.store.interface import Transaction


class InvalidTransition(RuntimeError):
    """A status change the state machine does not allow."""


@dataclass(frozen=True)
class StateMachine:
    """The allowed moves of one table's `status` column, and where its events go.

    Attributes:
        table: The table whose rows move.
        events: The event table (`<fk>, from_status, to_status, at, detail`).
        fk: The event table's column naming the row.
        allowed: Each status and the statuses it may move to.
    """

    table: str
    events: str
    fk: str
    allowed: Mapping[StrEnum, frozenset[StrEnum]]

    def can_move(self, source: StrEnum, target: StrEnum) -> bool:
        """True if the machine allows `source` → `target`."""
        return target in self.allowed.get(source, frozenset())

    def move(
        self,
        tx: Transaction,
        row_id: int,
        source: StrEnum,
        target: StrEnum,
        *,
        at: datetime,
        detail: str = "",
        **columns: object,
    ) -> bool:
        """Move a row from `source` to `target`, setting `columns` too, and record it.

        Returns:
            False (and nothing written) if the row is not in `source` any more.

        Raises:
            InvalidTransition: if the machine does not allow the move.
        """
        if not self.can_move(source, target):
            raise InvalidTransition(f"{self.table} {row_id}: {source} → {target}")
        sets = "".join(f", {name} = :set_{name}" for name in columns)
        moved = tx.execute(
            f"UPDATE {self.table} SET status = :target{sets} WHERE id = :id AND status = :source",
            target=target.value,
            id=row_id,
            source=source.value,
            **{f"set_{name}": value for name, value in columns.items()},
        )
        if moved:
            self.record(tx, row_id, source, target, at=at, detail=detail)
        return bool(moved)

    def record(
        self,
        tx: Transaction,
        row_id: int,
        source: StrEnum | None,
        target: StrEnum,
        *,
        at: datetime,
        detail: str = "",
    ) -> None:
        """Write an event row (also for a row's first status, with `source` None)."""
        tx.execute(
            f"INSERT INTO {self.events} ({self.fk}, from_status, to_status, at, detail)"
            " VALUES (:id, :source, :target, :at, :detail)",
            id=row_id,
            source=None if source is None else source.value,
            target=target.value,
            at=at,
            detail=detail,
        )
