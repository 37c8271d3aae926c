"""Shared fixtures: a fresh store per test (copied from one seeded template), a frozen
clock, and an app factory with a fixed language and no animations.

`store` is a SQLite store everywhere but in `tests/unit/` (see its conftest), where the
service and store tests run once on SQLite and once on a real PostgreSQL server that
the test session starts itself (`tests/pg_server.py`). Without PostgreSQL installed a
local run skips the PostgreSQL half with the reason; under `CI=true` any skipped test
fails the run.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from kstui.i18n import Lang
from kstui.providers.clock import FrozenClock
from kstui.store.bootstrap import open_store
from kstui.store.interface import Store
from kstui.store.sqlite import SqliteStore
from tests.pg_server import PgServer, PostgresMissing, find_bin_dir

FIXTURES = Path(__file__).parent / "fixtures"
SMALL_SEED = FIXTURES / "seed_small.json"
NOW = datetime(2026, 11, 22, 2, 0, tzinfo=UTC)
"""The frozen time of every test: 10:00 in Beijing."""
TEST_DEVICE_ID = "0123456789abcdef0123456789abcdef"
"""The id of the test device (what the simulated 微信/QQ see)."""
PASSWORD = "Kstui2026"
"""The password of every account of the test seed."""


@pytest.fixture(autouse=True)
def cheap_password_hashing(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Login and payment passwords hashed with the SMS codes' light argon2id parameters
    (a default hash takes ~0.1 s): tests about the parameters themselves are marked
    `real_hasher`. Only this process: an app started as a subprocess hashes as shipped."""
    if request.node.get_closest_marker("real_hasher"):
        return
    from kstui.services.accounts import auth, hashing, security

    monkeypatch.setattr(auth, "password_hasher", hashing.code_hasher)
    monkeypatch.setattr(security, "password_hasher", hashing.code_hasher)


@pytest.fixture
def clock() -> FrozenClock:
    """A clock standing at `NOW`."""
    return FrozenClock(NOW)


@pytest.fixture(scope="session")
def seeded_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store seeded from the small test seed, built once per test session."""
    path = tmp_path_factory.mktemp("template") / "kstui.db"
    store = open_store(path, clock=FrozenClock(NOW), seed_path=SMALL_SEED)
    with store.reading() as tx:
        tx.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    return path


@pytest.fixture
def sqlite_store(seeded_template: Path, tmp_path: Path) -> Iterator[SqliteStore]:
    """A fresh copy of the seeded test store, in a SQLite file."""
    path = tmp_path / "kstui.db"
    shutil.copyfile(seeded_template, path)
    store = SqliteStore(path)
    yield store
    store.close()


@pytest.fixture
def store(sqlite_store: SqliteStore) -> Store:
    """The test's store: SQLite (tests/unit/ runs its tests on both engines)."""
    return sqlite_store


ON_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    """A PostgreSQL cluster of this test process, started once and stopped at the end."""
    try:
        server = PgServer(find_bin_dir())
    except PostgresMissing as missing:
        if ON_CI:
            pytest.fail(f"{missing}: CI needs it")
        pytest.skip(str(missing))
    try:
        server.start()
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def pg_template(pg_server: PgServer) -> str:
    """A database seeded from the small test seed, the template of every test's database."""
    name = pg_server.new_database(prefix="template")
    store = open_store(pg_server.url(name), clock=FrozenClock(NOW), seed_path=SMALL_SEED)
    store.close()
    return name


@pytest.fixture
def pg_store(pg_server: PgServer, pg_template: str) -> Iterator[Store]:
    """A fresh copy of the seeded test store, in a PostgreSQL database of its own."""
    from kstui.store.postgres import PostgresStore

    name = pg_server.new_database(pg_template)
    store = PostgresStore(pg_server.url(name))
    yield store
    store.close()
    pg_server.drop_database(name)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Under `CI=true` a skipped test (PostgreSQL, SSH, a browser missing) fails the run."""
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if not ON_CI or reporter is None or getattr(session.config, "workerinput", None):
        return
    skipped = reporter.stats.get("skipped", [])
    if skipped and exitstatus == 0:
        reporter.write_line(f"CI: {len(skipped)} test(s) skipped; a skip fails under CI=true")
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


@pytest.fixture
def make_app(store: Store, clock: FrozenClock) -> Callable[..., object]:
    """Build the app the way the CLI does, for the test store, frozen clock and a language.

    With `phone`, the app starts logged in as that account (password `Kstui2026`), as
    after a login remembered from an earlier run.
    """
    from kstui.app import create_app
    from kstui.client_state import ClientState
    from kstui.services.accounts.auth import login_with_password
    from kstui.services.accounts.records import LoggedIn
    from kstui.settings import Settings

    def make(lang: Lang = "zh", *, phone: str | None = None) -> object:
        settings = Settings(
            db_path=store.path, lang=lang, animations=False, device_id=TEST_DEVICE_ID
        )
        if phone is not None:
            login = login_with_password(store, phone, PASSWORD, clock=clock, device="terminal")
            assert isinstance(login, LoggedIn)
            state = ClientState(device_id=TEST_DEVICE_ID, token=login.token)
            state.save(ClientState.path_for(store.path))
        return create_app(settings, store, clock)

    return make


ADULT = "13800138000"
"""The adult, real-name-verified demo shopper of the test seed."""
MINOR = "13800138001"
"""The minor demo shopper of the test seed (verified, born 2012)."""


@pytest.fixture
def token_for(store: Store, clock: FrozenClock) -> Callable[[str], str]:
    """Log a phone's account in without its password (no argon2 cost); its session token."""
    from kstui.services.accounts.records import account_with_phone, log_in

    def login(phone: str) -> str:
        with store.writing() as tx:
            account_id = account_with_phone(tx, phone)
            assert account_id is not None, phone
            return log_in(tx, account_id, clock=clock, device="test", how="test").token

    return login


@pytest.fixture
def shopper(token_for: Callable[[str], str]) -> str:
    """The session token of the adult demo shopper `ADULT`."""
    return token_for(ADULT)
