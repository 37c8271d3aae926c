"""Bring a store's schema up to date with Alembic, cheaply when it already is.

Every start of kstui checks the schema revision with one query on a plain connection;
Alembic (slow to import) is loaded only when an upgrade is really needed. The upgrade
runs inside one `BEGIN IMMEDIATE` transaction, so that two processes opening a new store
at the same moment migrate it once.
"""

from __future__ import annotations

from pathlib import Path

from kstui.store.errors import StoreError, StoreTooNew
from kstui.store.interface import Store, Transaction

HEAD_REVISION = "0005"
"""The newest migration; a test checks it against the migration scripts."""

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


SEARCH_TABLES = ("search_tri", "search_gram")
"""SQLite's FTS5 search tables, made by the migrations by hand: SQLModel does not describe
them."""
POSTGRESQL_SEARCH_TABLES = ("search_doc",)
"""PostgreSQL's search table, likewise."""


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
    return not (
        kind == "table"
        and name is not None
        and name.startswith(SEARCH_TABLES + POSTGRESQL_SEARCH_TABLES)
    )


def current_revision(tx: Transaction) -> str | None:
    """The store's schema revision, or None for a new, empty store."""
    if not has_table(tx, "alembic_version"):
        return None
    value = tx.fetch_value("SELECT version_num FROM alembic_version")
    return None if value is None else str(value)


def table_names(tx: Transaction) -> list[str]:
    """The names of the store's own tables (not the engine's), sorted."""
    if tx.engine == "sqlite":
        sql = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%'"
    else:
        sql = "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
    return sorted(str(row[0]) for row in tx.fetch_all(sql))


def has_table(tx: Transaction, name: str) -> bool:
    """True if the store has a table of this name."""
    return name in table_names(tx)


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
    with store.reading() as tx:
        revision = current_revision(tx)
    if revision == HEAD_REVISION:
        return False
    if revision is not None and revision not in known_revisions():
        raise StoreTooNew(f"{store.location}: schema revision {revision} is newer than this kstui")
    from sqlalchemy.exc import SQLAlchemyError

    try:
        upgrade(store)
    except SQLAlchemyError as exc:  # e.g. a file with tables of another program
        raise StoreError(f"{store.location}: {getattr(exc, 'orig', None) or exc}") from exc
    return True


def upgrade(store: Store, target: str = "head") -> None:
    """Run the Alembic migrations up to `target` in one transaction that one process at a
    time holds (`BEGIN IMMEDIATE` on SQLite, an advisory lock on PostgreSQL), so that two
    processes opening a new store at once migrate it once."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    engine = store.sqlalchemy_engine  # type: ignore[attr-defined]
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":  # SQLite's BEGIN IMMEDIATE does this
            from kstui.store.postgres import MIGRATION_LOCK

            connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK})")
        config.attributes["connection"] = connection
        command.upgrade(config, target)
