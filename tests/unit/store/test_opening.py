"""Opening a SQLite store safely: another program's database is refused untouched, a new
store is private to its owner, a read-only store is browsed read-only."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from kstui.client_state import ClientState
from kstui.providers.clock import FrozenClock
from kstui.providers.sms import OutboxSms
from kstui.services.accounts import auth
from kstui.services.accounts.sms_codes import Purpose
from kstui.services.catalog.listing import CatalogQuery, search_products
from kstui.store import bootstrap
from kstui.store.bootstrap import open_store
from kstui.store.errors import NotAStore, StoreError, StoreReadOnly
from tests.conftest import SMALL_SEED


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def umask_022() -> Iterator[None]:
    """The usual umask, under which files would be world-readable."""
    old = os.umask(0o022)
    yield
    os.umask(old)


@pytest.fixture
def notes(tmp_path: Path) -> Path:
    """Another program's SQLite database (`sqlite3 notes.sqlite "create table notes(t)"`)."""
    path = tmp_path / "notes.sqlite"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE notes (t)")
    conn.execute("INSERT INTO notes VALUES ('buy milk')")
    conn.commit()
    conn.close()
    return path


def test_another_program_s_database_is_refused_and_left_untouched(
    notes: Path, clock: FrozenClock
) -> None:
    before = (digest(notes), mode(notes), sorted(p.name for p in notes.parent.iterdir()))
    with pytest.raises(NotAStore, match="notes"):
        open_store(notes, clock=clock, seed_path=SMALL_SEED)
    after = (digest(notes), mode(notes), sorted(p.name for p in notes.parent.iterdir()))
    assert after == before  # not migrated, not switched to WAL, not seeded, no -wal/-shm
    conn = sqlite3.connect(notes)
    assert conn.execute("PRAGMA journal_mode").fetchone() == ("delete",)
    assert conn.execute("SELECT t FROM notes").fetchall() == [("buy milk",)]
    conn.close()


def test_a_file_that_is_no_database_is_refused(tmp_path: Path, clock: FrozenClock) -> None:
    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(b"not a database at all " * 100)
    before = digest(garbage)
    with pytest.raises(StoreError):
        open_store(garbage, clock=clock, seed_path=SMALL_SEED)
    assert digest(garbage) == before


def test_a_folder_is_no_store(tmp_path: Path, clock: FrozenClock) -> None:
    with pytest.raises(StoreError, match="folder"):
        open_store(tmp_path, clock=clock, seed_path=SMALL_SEED)


@pytest.mark.usefixtures("umask_022")
def test_a_new_store_is_private(tmp_path: Path, clock: FrozenClock) -> None:
    path = tmp_path / "new" / "kstui.db"
    store = open_store(path, clock=clock, seed_path=SMALL_SEED)
    try:
        with store.writing() as tx:  # a write keeps the -wal and -shm files around
            tx.execute("UPDATE product SET sales = sales + 1 WHERE id = 1")
        assert mode(path.parent) == 0o700
        assert mode(path) == 0o600
        for companion in ("-wal", "-shm"):
            file = path.with_name(path.name + companion)
            assert file.exists(), companion
            assert mode(file) == 0o600, companion
    finally:
        store.close()
    state = ClientState(device_id="d", token="t")
    state_path = ClientState.path_for(path)
    state.save(state_path)
    assert mode(state_path) == 0o600


@pytest.mark.usefixtures("umask_022")
def test_an_existing_store_readable_by_others_is_made_private(
    tmp_path: Path, clock: FrozenClock
) -> None:
    path = tmp_path / "kstui.db"
    open_store(path, clock=clock, seed_path=SMALL_SEED).close()
    os.chmod(path, 0o644)
    open_store(path, clock=clock).close()
    assert mode(path) == 0o600


@pytest.fixture
def read_only_store(tmp_path: Path, clock: FrozenClock, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A seeded store in a folder this user may not write (as seen by `os.access`:
    the tests may run as root, whom file modes do not stop)."""
    path = tmp_path / "shop" / "kstui.db"
    open_store(path, clock=clock, seed_path=SMALL_SEED).close()
    real_access = os.access

    def access(file: object, how: int, **kwargs: object) -> bool:
        if how & os.W_OK and Path(str(file)).resolve().is_relative_to(path.parent.resolve()):
            return False
        return real_access(file, how, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(bootstrap.os, "access", access)
    return path


def test_a_read_only_store_can_be_browsed(read_only_store: Path, clock: FrozenClock) -> None:
    before = digest(read_only_store)
    store = open_store(read_only_store, clock=clock)
    try:
        assert store.read_only
        with store.reading() as tx:
            page = search_products(tx, CatalogQuery(text="裙"))
        assert page.cards
        with pytest.raises(StoreReadOnly) as caught:
            auth.request_code(store, "13800138000", Purpose.LOGIN, clock=clock, sms=OutboxSms())
        assert caught.value.message_key == "app.error.read_only"
    finally:
        store.close()
    assert digest(read_only_store) == before


def test_a_read_only_file_refuses_writes_at_the_engine_too(read_only_store: Path) -> None:
    from kstui.store.sqlite import SqliteStore

    store = SqliteStore(read_only_store, read_only=True)
    try:
        with store.reading() as tx:
            assert tx.fetch_value("SELECT count(*) FROM product") == 12
            with pytest.raises(StoreReadOnly):
                tx.execute("UPDATE product SET sales = 0")
    finally:
        store.close()
