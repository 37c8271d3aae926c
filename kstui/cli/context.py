"""What every sub-command shares: the language, the store it runs on, the world clock.

Kept light: the CLI imports this at every start, so the store, the services and Typer
are imported only when a command needs them.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from kstui.i18n import Translator
from kstui.text import escape_controls

if TYPE_CHECKING:
    from kstui.providers.clock import Clock
    from kstui.providers.world_clock import WorldClock
    from kstui.services.time_limits import TimeLimits
    from kstui.store.interface import Store

DATABASE_URL_ENV = "KSTUI_DATABASE_URL"
"""The environment variable naming a PostgreSQL store (`--database-url` wins over it)."""


class CliError(Exception):
    """A failure to report as one line (already translated)."""


def err(line: str) -> None:
    """One line on stderr, control characters written out."""
    print(escape_controls(line), file=sys.stderr)  # noqa: T201


def out(line: str) -> None:
    """One line on stdout."""
    print(line)  # noqa: T201


@dataclass
class CliContext:
    """The options given before the sub-command.

    Attributes:
        t: Texts in the chosen language.
        db: `--db PATH`, a SQLite store.
        database_url: `--database-url` (or `KSTUI_DATABASE_URL`), a PostgreSQL store.
        pay_minutes: `--pay-timeout`: how long a submitted order waits for payment.
        demo_speed: `--demo-speed`: how fast the world clock runs while the app is open.
    """

    t: Translator
    db: Path | None = None
    database_url: str | None = None
    pay_minutes: int = 15
    demo_speed: int = 1
    _store: Store | None = field(default=None, init=False, repr=False)
    _clock: WorldClock | None = field(default=None, init=False, repr=False)

    def location(self) -> str | Path:
        """The store to use: `--db`, else the database URL, else the default file."""
        if self.db is not None:
            return self.db
        url = self.database_url or os.environ.get(DATABASE_URL_ENV) or None
        if url is not None:
            return url
        from kstui.settings import default_db_path

        return default_db_path()

    def home(self) -> Path:
        """The file the store's side files (login token, crash log) are named after."""
        from kstui.settings import store_home

        return store_home(self.location())

    def limits(self) -> TimeLimits:
        """The shop's time limits, with `--pay-timeout`."""
        from kstui.services.time_limits import TimeLimits

        return TimeLimits(pay_window=timedelta(minutes=self.pay_minutes))

    def open_store(self) -> Store:
        """Open (create, migrate, seed) the store, once per command."""
        if self._store is None:
            from kstui.store.bootstrap import needs_setup, open_store

            location = self.location()
            if isinstance(location, Path) and needs_setup(location):
                err(self.t("app.cli.first_run", path=location))
            self._store = open_store(location, clock=self._setup_clock())
        return self._store

    @property
    def clock(self) -> WorldClock:
        """The world clock of the opened store (opening it if need be)."""
        if self._clock is None:
            from kstui.providers.world_clock import WorldClock

            self._clock = WorldClock(self.open_store())
        return self._clock

    def _setup_clock(self) -> Clock:
        """The real time, for creating a store (its world clock starts there)."""
        from kstui.providers.clock import SystemClock

        return SystemClock()

    def close(self) -> None:
        """Close the store if a command opened it."""
        if self._store is not None:
            self._store.close()
            self._store = None
