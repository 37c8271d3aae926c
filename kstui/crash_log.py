"""The crash log, `kstui-error.log` beside the store: where the details of an unexpected
error go (the app's last words, a failed worker, a failed command), never the terminal."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

NAME = "kstui-error.log"


@contextmanager
def appending(path: Path) -> Iterator[TextIO]:
    """The log opened for appending, created private (folder 0700, file 0600).

    Raises:
        OSError: it cannot be written (the caller says "-" instead of where it is).
    """
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    with os.fdopen(descriptor, "a", encoding="utf-8") as file:
        yield file
