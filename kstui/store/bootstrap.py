"""Opening the store the shop runs on: create, migrate and seed it on first use."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from kstui.providers.clock import Clock
from kstui.store.db import Store, is_seeded
from kstui.store.errors import StoreError
from kstui.store.migrate import ensure_schema


def data_dir() -> Path:
    """The folder holding `seed.json` and its pictures (packaged copy first, then the repo's)."""
    here = Path(__file__).resolve().parent.parent
    packaged = here / "_data"
    return packaged if packaged.is_dir() else here.parent / "data"


def default_seed_path() -> Path:
    """The demo catalogue shipped with kstui."""
    return data_dir() / "seed.json"


def needs_setup(path: Path) -> bool:
    """True if opening `path` will create or migrate the store (it may take a moment)."""
    return not path.exists() or path.stat().st_size == 0


def open_store(path: Path, *, clock: Clock, seed_path: Path | None = None) -> Store:
    """Open the store at `path`, bringing its schema up to date and seeding it if empty.

    Raises:
        StoreError: if the file cannot be used as a store.
        SeedError: if the store is empty and the seed file is unusable.
    """
    store = Store(path)
    try:
        ensure_schema(store)
        with store.reading() as conn:
            seeded = is_seeded(conn)
    except sqlite3.Error as exc:  # a foreign or damaged file
        raise StoreError(f"{path}: {exc}") from exc
    if not seeded:  # only now: the seed schema (pydantic) and argon2 are slow to import
        from kstui.store.seed_loader import load_seed

        load_seed(store, seed_path or default_seed_path(), clock=clock)
    return store
