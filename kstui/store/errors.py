"""Errors of the store layer, in a module light enough for the CLI to import at start."""

from __future__ import annotations


class StoreError(Exception):
    """The store file cannot be opened or used."""

    message_key = "app.error.unexpected"
    """What the shopper is told (a translation key)."""


class StoreBusy(StoreError):
    """Another process held the store's write lock for longer than the busy timeout."""

    message_key = "app.error.busy"


class ReadCancelled(StoreError):
    """A read was stopped because a newer one replaced it."""


class StoreTooNew(StoreError):
    """The store was written by a newer kstui than this one."""


class SeedError(Exception):
    """The seed file cannot be read or does not describe a valid shop."""
