"""Real processes for the race and crash tests: each opens the store by its location, as
another kstui (a second terminal, an SSH session, another server) would.

Processes are spawned, not forked: a child starts clean (no inherited pools, locks or
threads of the test process) and imports what it needs, like a new `kstui`.
"""

from __future__ import annotations

import multiprocessing
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from multiprocessing.synchronize import Barrier
from typing import Any

from kstui.providers.clock import FrozenClock
from kstui.store.interface import Store

SPAWN = multiprocessing.get_context("spawn")


@dataclass(frozen=True)
class Failed:
    """What a process raised: the exception's class name and text."""

    kind: str
    text: str


def location_of(store: Store) -> str:
    """Where another process finds the test's store (a path or a URL)."""
    return store.url if store.engine == "postgresql" else str(store.path)  # type: ignore[attr-defined]


def open_location(location: str) -> Store:
    """The store at a location, as a new process opens it."""
    from kstui.store.bootstrap import connect

    return connect(location)


def _child(
    barrier: Barrier,
    results: Any,
    slot: int,
    work: Callable[..., object],
    location: str,
    at: datetime,
    args: tuple[object, ...],
) -> None:
    store = open_location(location)
    clock = FrozenClock(at)
    try:
        barrier.wait(60)
        outcome: object = work(store, clock, *args)
    except BaseException as error:  # reported to the test
        outcome = Failed(type(error).__name__, f"{error}\n{traceback.format_exc()}")
    finally:
        store.close()
    results.put((slot, outcome))


def run_processes(
    store: Store,
    at: datetime,
    work: Callable[..., object],
    args: Sequence[tuple[object, ...]],
    *,
    timeout: float = 120,
) -> list[object]:
    """Run `work(store, clock, *args[i])` in one process per slot, all released at once
    by a barrier once every process has opened the store; each slot's result (picklable),
    or a `Failed` for what it raised."""
    barrier = SPAWN.Barrier(len(args))
    results = SPAWN.Queue()
    location = location_of(store)
    processes = [
        SPAWN.Process(target=_child, args=(barrier, results, slot, work, location, at, a))
        for slot, a in enumerate(args)
    ]
    for process in processes:
        process.start()
    outcomes: dict[int, object] = {}
    try:
        for _ in processes:
            slot, outcome = results.get(timeout=timeout)
            outcomes[slot] = outcome
    finally:
        for process in processes:
            process.join(timeout=10)
            if process.is_alive():
                process.kill()
    return [outcomes[slot] for slot in range(len(args))]
