"""Messages the app sends to every open screen (widgets' own messages live on them)."""

from __future__ import annotations

from textual.message import Message


class CaughtUp(Message):
    """Something time-driven happened in the shop (here or in another process): a
    payment notification arrived, an unpaid order was cancelled, a recharge closed.
    A screen showing such things looks at the store again.

    Args:
        done: What this process's catch-up did (step name → count); empty when the
            change came from another process.
    """

    def __init__(self, done: dict[str, int]) -> None:
        super().__init__()
        self.done = done
