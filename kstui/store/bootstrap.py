"""Opening the store the shop runs on: create, migrate and seed it on first use.

A store is a SQLite file (the embedded default, `--db PATH`) or a PostgreSQL database
(`--database-url postgresql://…`). Opening one never damages something that is not a
kstui store: a SQLite file holding another program's tables, or a PostgreSQL database
with tables but no kstui schema, is refused before anything is written to it.

A new SQLite store is created readable by its owner only (folder 0700, the file and its
`-wal`/`-shm` companions 0600: it holds phones, real names, ID numbers, addresses and
password hashes). A store that cannot be written (a read-only file or folder) is opened
read-only: browsing works, changes are refused with `StoreReadOnly`.
"""

from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path

from kstui.providers.clock import Clock
from kstui.store.errors import NotAStore, StoreError
from kstui.store.interface import Store, Transaction
from kstui.store.migrate import ensure_schema
from kstui.store.sqlite import SqliteStore

PRIVATE_FILE = 0o600
PRIVATE_FOLDER = 0o700
_COMPANIONS = ("-wal", "-shm")


def data_dir() -> Path:
    """The folder holding `seed.json` and its pictures (packaged copy first, then the repo's)."""
    here = Path(__file__).resolve().parent.parent
    packaged = here / "_data"
    return packaged if packaged.is_dir() else here.parent / "data"


def default_seed_path() -> Path:
    """The demo catalogue shipped with kstui."""
    return data_dir() / "seed.json"


def is_database_url(location: str) -> bool:
    """True for a PostgreSQL URL (`postgresql://…` or `postgres://…`)."""
    return location.startswith(("postgresql://", "postgres://", "postgresql+psycopg://"))


def needs_setup(path: Path) -> bool:
    """True if opening `path` will create or migrate the store (it may take a moment)."""
    return not path.exists() or path.stat().st_size == 0


def is_seeded(tx: Transaction) -> bool:
    """True if the store already holds a catalogue."""
    return tx.fetch_value("SELECT 1 FROM category LIMIT 1") is not None


def connect(location: str | Path) -> Store:
    """The store at a path or URL, checked but not migrated (for `kstui seed` and tests).

    Raises:
        NotAStore: the file or database holds another program's tables.
        StoreError: it cannot be opened.
    """
    if isinstance(location, str) and is_database_url(location):
        from kstui.store.postgres import PostgresStore

        store: Store = PostgresStore(_psycopg_url(location))
        with store.reading() as tx:
            _refuse_foreign(tx, store.location)
        return store
    return _sqlite_store(Path(location))


def open_store(location: str | Path, *, clock: Clock, seed_path: Path | None = None) -> Store:
    """Open the store at a path or URL, bringing its schema up to date and seeding it if
    empty (a read-only store is only checked).

    Raises:
        NotAStore: the file or database holds another program's tables.
        StoreError: it cannot be used as a store.
        SeedError: the store is empty and the seed file is unusable.
    """
    store = connect(location)
    try:
        if store.read_only:
            _check_read_only(store)
            return store
        ensure_schema(store)
        with store.reading() as tx:
            seeded = is_seeded(tx)
        if not seeded:  # only now: the seed schema (pydantic) and argon2 are slow to import
            from kstui.store.seed_loader import load_seed

            load_seed(store, seed_path or default_seed_path(), clock=clock)
    except BaseException:
        store.close()
        raise
    return store


def _psycopg_url(url: str) -> str:
    for prefix in ("postgres://", "postgresql+psycopg://"):
        if url.startswith(prefix):
            return "postgresql://" + url.removeprefix(prefix)
    return url


# -- SQLite files ---------------------------------------------------------------------------


def _sqlite_store(path: Path) -> SqliteStore:
    """A SQLite store at `path`: created private, refused if foreign, read-only if need be."""
    if path.is_dir():
        raise StoreError(f"{path}: is a folder, not a store file")
    if path.exists() and path.stat().st_size > 0:
        _refuse_foreign_file(path)
        if not _writable(path):
            return SqliteStore(path, read_only=True)
        _make_private(path)
        return SqliteStore(path)
    if path.exists() and not _writable(path):
        raise StoreError(f"{path}: an empty file that cannot be written")
    _create_private(path)
    return SqliteStore(path)


def _writable(path: Path) -> bool:
    """True if the store and its folder can be written (WAL needs files beside it)."""
    folder = path.parent
    return os.access(path, os.W_OK) and os.access(folder, os.W_OK | os.X_OK)


def _create_private(path: Path) -> None:
    """Create the folder (0700) and an empty store file (0600) before SQLite does.

    SQLite gives the `-wal` and `-shm` files the mode of the database file, so they are
    private too.
    """
    try:
        path.parent.mkdir(mode=PRIVATE_FOLDER, parents=True, exist_ok=True)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT, PRIVATE_FILE)
        os.close(descriptor)
        os.chmod(path, PRIVATE_FILE)  # also when the file existed empty
    except OSError as exc:
        raise StoreError(f"{path}: {exc.strerror or exc}") from exc


def _make_private(path: Path) -> None:
    """Take group and other permissions away from an existing store this user owns."""
    for file in (path, *(path.with_name(path.name + c) for c in _COMPANIONS)):
        try:
            info = file.stat()
            if info.st_uid == os.getuid() and stat.S_IMODE(info.st_mode) & 0o077:
                os.chmod(file, PRIVATE_FILE)
        except OSError:
            continue


def _refuse_foreign_file(path: Path) -> None:
    """Look into an existing file without changing it: refuse another program's database.

    Raises:
        NotAStore: the file holds tables but no kstui schema.
        StoreError: the file is no SQLite database at all.
    """
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=15)
    except sqlite3.Error as exc:
        raise StoreError(f"{path}: {exc}") from exc
    try:
        names = {
            row[0]
            for row in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        }
    except sqlite3.DatabaseError as exc:
        if "readonly" in str(exc) or "unable to open" in str(exc):
            return  # a WAL store in a read-only folder: checked again once opened
        raise StoreError(f"{path}: {exc}") from exc
    finally:
        conn.close()
    if names and "alembic_version" not in names:
        raise NotAStore(f"{path}: holds tables of another program ({', '.join(sorted(names))})")


def _refuse_foreign(tx: Transaction, location: str) -> None:
    """Refuse a database with tables but no kstui schema."""
    from kstui.store.migrate import has_table, table_names

    if has_table(tx, "alembic_version"):
        return
    names = table_names(tx)
    if names:
        raise NotAStore(f"{location}: holds tables of another program ({', '.join(names)})")


def _check_read_only(store: Store) -> None:
    """A read-only store must already be a current kstui store (it cannot be migrated)."""
    from kstui.store.migrate import HEAD_REVISION, current_revision

    with store.reading() as tx:
        _refuse_foreign(tx, store.location)
        revision = current_revision(tx)
    if revision != HEAD_REVISION:
        raise StoreError(f"{store.location}: read-only and not a current kstui store")
