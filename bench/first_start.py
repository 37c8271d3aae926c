"""First start benchmark: a new user's first `kstui` (empty data folder: the store is
created, migrated and seeded) against a warm start of the same store, as whole
processes in a 120×40 pseudo-terminal, in one run.

Usage (from the repository root, with the package installed):

    python bench/first_start.py            # 7 rounds
    python bench/first_start.py --rounds 15

Each round gives `kstui` a new empty `XDG_DATA_HOME` and times the start to the first
product drawn (the marker 已售, "sold", on a product row), then starts it again on the
store that run made. SPEC §11: the first start shows products within 1.5 s on 2 cores.
Medians and p95; the machines are noisy, so compare the rows of one run.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from catalog import first_frame, pct  # noqa: E402

MARKER = "已售"
TARGET_S = 1.5


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args(argv)
    kstui = shutil.which("kstui") or "kstui"
    runs: dict[str, list[float]] = {"first start (empty data folder)": [], "warm start": []}
    for _ in range(args.rounds):
        with tempfile.TemporaryDirectory(prefix="kstui-first-") as home:
            env = {**os.environ, "TERM": "xterm-256color", "COLORTERM": "truecolor",
                   "XDG_DATA_HOME": home}  # fmt: skip
            runs["first start (empty data folder)"].append(first_frame([kstui], MARKER, env))
            runs["warm start"].append(first_frame([kstui], MARKER, env))
    print(f"python {sys.version.split()[0]}, cpus {os.cpu_count()}, {args.rounds} rounds")
    print(f"  {'to the first product drawn':36} {'median':>9} {'p95':>9}")
    for name, values in runs.items():
        print(f"  {name:36} {statistics.median(values) * 1000:7.0f}ms"
              f" {pct(values, 0.95) * 1000:7.0f}ms")  # fmt: skip
    first = statistics.median(runs["first start (empty data folder)"])
    verdict = "met" if first <= TARGET_S else "NOT MET"
    print(f"SPEC §11 first start ≤ {TARGET_S} s: {verdict} ({first:.2f} s)")


if __name__ == "__main__":
    main()
