"""Bring a store's schema up to date with Alembic, cheaply when it already is.

Every start of kstui checks the schema revision with one query on a plain connection;
Alembic (slow to import) is loaded only when an upgrade is really needed. The upgrade
runs inside one `BEGIN IMMEDIATE` transaction, so that two processes opening a new store
at the same moment migrate it once.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from kstui.store.db import Store
from kstui.store.errors import StoreError, StoreTooNew

HEAD_REVISION = "0004"
"""The newest migration; a test checks it against the migration scripts."""

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


SEARCH_TABLES = ("search_tri", "search_gram")
"""FTS5 tables made by the migrations by hand: SQLModel does not describe them."""


def include_object(
    obj: object,  # noqa: ARG001  (Alembic's signature)
    name: str | None,
    kind: str,
    reflected: bool,  # noqa: ARG001
    compare_to: object,  # noqa: ARG001
) -> bool:
    """Alembic's filter: leave the search tables (and their shadow tables) alone.

    Without it `alembic revision --autogenerate` would propose dropping the search
    index, since the models do not mention it.
    """
    return not (kind == "table" and name is not None and name.startswith(SEARCH_TABLES))


def current_revision(conn: sqlite3.Connection) -> str | None:
    """The store's schema revision, or None for a new, empty store."""
    try:
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.OperationalError:
        return None
    return None if row is None else str(row[0])


def known_revisions() -> set[str]:
    """The revision ids of the migration scripts shipped with this kstui."""
    return {p.name.split("_", 1)[0] for p in (MIGRATIONS_DIR / "versions").glob("[0-9]*_*.py")}


def ensure_schema(store: Store) -> bool:
    """Upgrade the store to `HEAD_REVISION` if needed.

    Returns:
        True if the schema was created or upgraded, False if it was already current.

    Raises:
        StoreTooNew: if the store has a revision this kstui does not know.
    """
    with store.reading() as conn:
        revision = current_revision(conn)
    if revision == HEAD_REVISION:
        return False
    if revision is not None and revision not in known_revisions():
        raise StoreTooNew(f"{store.path}: schema revision {revision} is newer than this kstui")
    from sqlalchemy.exc import SQLAlchemyError

    try:
        upgrade(store)
    except SQLAlchemyError as exc:  # e.g. a file with tables of another program
        raise StoreError(f"{store.path}: {getattr(exc, 'orig', None) or exc}") from exc
    return True


def upgrade(store: Store, target: str = "head") -> None:
    """Run the Alembic migrations up to `target` in one immediate transaction."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    engine = store.engine.execution_options(kstui_immediate=True)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, target)
