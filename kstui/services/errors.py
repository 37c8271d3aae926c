"""The base of every domain error. Each names a message key; the edge (screen or CLI)
translates it. An area's own errors sit in the area."""

from __future__ import annotations

from typing import ClassVar


class DomainError(Exception):
    """A request the shop refuses, with a message key and its parameters.

    Args:
        **params: Values for the message's named fields.
    """

    key: ClassVar[str] = "app.error.unexpected"

    def __init__(self, **params: object) -> None:
        super().__init__(f"{self.key} {params}" if params else self.key)
        self.params = params

    @property
    def message_key(self) -> str:
        """The message key of this error (some errors pick it by their reason)."""
        reason = self.params.get("reason")
        return f"{self.key}.{reason}" if self.by_reason and reason else self.key

    by_reason: ClassVar[bool] = False
    """True when `params["reason"]` selects the message (`key.reason`)."""
