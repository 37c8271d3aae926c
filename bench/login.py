"""Login benchmark: what a password login costs, and that it costs the same whoever asks.

Usage (from the repository root, with the package installed):

    python bench/login.py            # 15 rounds
    python bench/login.py --rounds 40

Builds a seeded store in a temporary directory and times, per round, a right password,
a wrong password for a registered phone, a wrong password for an unknown phone (the two
must cost the same: argon2 runs against a dummy hash) and a locked phone. Prints medians
and p95 in milliseconds; the machines are noisy, so compare the rows of one run.
"""

from __future__ import annotations

import argparse
import contextlib
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from kstui.providers.clock import SystemClock
from kstui.services.accounts.auth import login_with_password
from kstui.services.errors import DomainError
from kstui.store.sqlite import SqliteStore

ADULT, UNVERIFIED, PASSWORD = "13800138000", "13800138002", "Kstui2026"


def timed(call: Callable[[], object]) -> float:
    start = time.perf_counter()
    with contextlib.suppress(DomainError):
        call()
    return (time.perf_counter() - start) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    rounds = parser.parse_args().rounds
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "bench.db"
        subprocess.run([sys.executable, "-m", "kstui", "--db", str(path), "seed"], check=True)
        store, clock = SqliteStore(path), SystemClock()

        def login(phone: str, password: str) -> Callable[[], object]:
            return lambda: login_with_password(store, phone, password, clock=clock, device="bench")

        rows: dict[str, list[float]] = {
            "right password": [],
            "wrong password, registered phone": [],
            "wrong password, unknown phone": [],
            "locked phone (6th wrong try)": [],
        }
        for n in range(rounds):
            with store.writing() as tx:
                tx.execute("DELETE FROM lockout")
            rows["right password"].append(timed(login(ADULT, PASSWORD)))
            rows["wrong password, registered phone"].append(timed(login(UNVERIFIED, "Wrong2026x")))
            rows["wrong password, unknown phone"].append(timed(login(f"137{n:08d}", "Wrong2026x")))
            for _ in range(5):  # lock the phone
                timed(login(ADULT, "Wrong2026x"))
            rows["locked phone (6th wrong try)"].append(timed(login(ADULT, "Wrong2026x")))
        store.close()
    print(f"{'':36} {'median':>8} {'p95':>8}   (ms, {rounds} rounds)")
    for name, values in rows.items():
        p95 = statistics.quantiles(values, n=20)[-1] if len(values) > 1 else values[0]
        print(f"{name:36} {statistics.median(values):8.1f} {p95:8.1f}")


if __name__ == "__main__":
    main()
