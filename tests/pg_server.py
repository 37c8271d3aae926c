"""A real PostgreSQL server for the tests: started in a temporary folder, stopped at the end.

It comes from Debian's `postgresql` package (`.ci/run` installs it when missing). The
cluster listens only on a Unix socket in its own folder (no TCP port), trusts local
connections (nobody else can reach the socket) and runs without fsync: it is thrown
away with its folder. `initdb` and `pg_ctl` refuse to run as root, so as root they run
as the `postgres` OS user (`runuser -u postgres -- …`); as anyone else, as that user.

Every test gets its own database, copied from a seeded template database
(`CREATE DATABASE … TEMPLATE`), as the SQLite tests copy a seeded template file.
"""

from __future__ import annotations

import itertools
import os
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

PG_ROOTS = (Path("/usr/lib/postgresql"),)
"""Where Debian installs the server binaries (one folder per major version)."""
INSTALL_HINT = "apt-get install -y postgresql"


class PostgresMissing(RuntimeError):
    """No PostgreSQL server binaries on this machine."""


def find_bin_dir() -> Path:
    """The newest installed server's `bin` folder (with `initdb`, `pg_ctl`, `postgres`).

    Raises:
        PostgresMissing: if there is none.
    """
    candidates = []
    for root in PG_ROOTS:
        if root.is_dir():
            for version in root.iterdir():
                if (version / "bin" / "initdb").exists() and version.name.isdigit():
                    candidates.append((int(version.name), version / "bin"))
    if not candidates:
        raise PostgresMissing(f"PostgreSQL is not installed ({INSTALL_HINT})")
    return max(candidates)[1]


class PgServer:
    """One throwaway PostgreSQL cluster.

    Args:
        bin_dir: The server's binaries.
    """

    def __init__(self, bin_dir: Path) -> None:
        self.bin_dir = bin_dir
        self.root = Path(tempfile.mkdtemp(prefix="kstui-pg-"))
        self.data = self.root / "data"
        self.socket_dir = self.root / "socket"
        self.port = 5432  # only names the socket file: there is no TCP listener
        self._as_postgres = os.geteuid() == 0
        self._names = itertools.count(1)
        self.started = False

    def _run(self, args: Sequence[str]) -> None:
        command = [str(self.bin_dir / args[0]), *args[1:]]
        if self._as_postgres:
            command = ["runuser", "-u", "postgres", "--", *command]
        result = subprocess.run(command, capture_output=True, text=True, check=False)
        if result.returncode != 0:
            raise RuntimeError(f"{' '.join(command)}: {result.stdout}{result.stderr}")

    def start(self) -> None:
        """initdb and start the cluster (about a second)."""
        self.socket_dir.mkdir()
        if self._as_postgres:
            shutil.chown(self.root, "postgres")
            shutil.chown(self.socket_dir, "postgres")
        os.chmod(self.root, 0o700)
        self._run(
            ["initdb", "-D", str(self.data), "-E", "UTF8", "--locale=C.UTF-8", "-A", "trust",
             "-U", "postgres", "--no-sync", "--no-instructions"]
        )  # fmt: skip
        options = (
            f"-k {self.socket_dir} -p {self.port} -c listen_addresses='' -c fsync=off"
            " -c synchronous_commit=off -c full_page_writes=off -c max_connections=300"
            " -c shared_buffers=32MB"
        )
        self._run(
            ["pg_ctl", "-D", str(self.data), "-o", options, "-l", str(self.root / "log"), "-w",
             "-t", "60", "start"]
        )  # fmt: skip
        self.started = True

    def stop(self) -> None:
        """Stop the cluster and remove its folder."""
        if self.started:
            try:
                self._run(["pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop"])
            finally:
                self.started = False
        shutil.rmtree(self.root, ignore_errors=True)

    def url(self, database: str = "postgres") -> str:
        """The URL of a database of this cluster."""
        return f"postgresql://postgres@/{database}?host={self.socket_dir}&port={self.port}"

    def admin(self, sql: str) -> None:
        """Run one statement in autocommit on the `postgres` database (CREATE DATABASE…)."""
        import psycopg

        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(sql)  # type: ignore[arg-type]

    def new_database(self, template: str | None = None, *, prefix: str = "t") -> str:
        """A new database (a copy of `template`, if given); its name."""
        name = f"{prefix}{os.getpid()}_{next(self._names)}"
        copy = f" TEMPLATE {template} STRATEGY FILE_COPY" if template else ""
        self.admin(f"CREATE DATABASE {name}{copy}")
        return name

    def drop_database(self, name: str) -> None:
        """Drop a database, ending any connection still open to it."""
        self.admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
