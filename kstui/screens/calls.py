"""The one way from a screen to a service: the call runs off the UI thread, its result
comes back only to a screen that is still there, and nothing it raises ends the app.

- `run_call(screen, call, done, …)`: `call()` in a worker thread, then `done(result)` on
  the UI thread. A session that ended meanwhile logs out (or calls `signed_out`); a domain
  or store error goes to `on_error`, or becomes a notification; anything else becomes a
  notification and a log line. With `exclusive`, a newer call of the same group replaces
  this one and its result is dropped.
- `run_update(screen, update, …)`: an async update of the screen's widgets (mounting a
  list, say) as a worker of the screen; if the screen is closed meanwhile, its widgets
  are gone and so is the update, quietly.

A result is delivered only while its worker is not cancelled and its screen is attached
to the app: a screen that was replaced while its call ran never touches its widgets
again (switching places quickly used to end the app with `NoMatches`).

The catalogue's cancellable search (`CatalogScreen.search`) is the one documented
exception: it keeps its own workers, because it cancels the statement itself.
"""

from __future__ import annotations

import inspect
import traceback
from collections.abc import Awaitable, Callable
from functools import partial
from typing import TYPE_CHECKING, Any, TypeVar

from textual.worker import Worker, get_current_worker

from kstui.crash_log import appending
from kstui.services.accounts.errors import NotLoggedIn
from kstui.services.errors import DomainError
from kstui.store.errors import StoreError
from kstui.widgets.translation import translator_of

if TYPE_CHECKING:
    from textual.screen import Screen

R = TypeVar("R")
ErrorHandler = Callable[[DomainError | StoreError], bool]
"""Shows an error itself (True), or leaves it to a notification (False)."""


def run_call(
    screen: Screen[Any],
    call: Callable[[], R],
    done: Callable[[R], object],
    *,
    group: str,
    on_error: ErrorHandler | None = None,
    exclusive: bool = True,
    signed_out: Callable[[], object] | None = None,
) -> Worker[None]:
    """Run `call()` off the UI thread, then `done(result)` on it (see the module)."""
    app = screen.app

    def failed(error: DomainError | StoreError) -> None:
        if on_error is None or not on_error(error):
            params: dict[str, Any] = error.params if isinstance(error, DomainError) else {}
            _notify(screen, error.message_key, **params)

    def ended() -> None:
        if signed_out is not None:
            signed_out()
        else:
            logged_out = getattr(app, "logged_out", None)
            if callable(logged_out):
                logged_out()

    def work() -> None:
        worker = get_current_worker()
        try:
            result = call()
        except NotLoggedIn:
            _send(screen, worker, ended, always=True)
        except (DomainError, StoreError) as error:
            _send(screen, worker, partial(failed, error))
        except Exception:  # a defect: said and logged, never the end of the shop
            _log(screen, f"service call {group} failed")
            _send(screen, worker, partial(_unexpected, screen))
        else:
            _send(screen, worker, partial(done, result))

    return screen.run_worker(
        work, thread=True, exclusive=exclusive, group=group, exit_on_error=False
    )


def run_update(
    screen: Screen[Any], update: Callable[[], Awaitable[object]], *, group: str
) -> Worker[None]:
    """Run the async `update()` of the screen's widgets as its worker (see the module)."""

    async def work() -> None:
        try:
            await update()
        except Exception:
            _failed(screen, f"screen update {group} failed")

    return screen.run_worker(work(), group=group, exit_on_error=False)


def _send(
    screen: Screen[Any], worker: Worker[Any], then: Callable[[], object], *, always: bool = False
) -> None:
    """From the worker thread: `_deliver` on the UI thread (and wait for it)."""
    screen.app.call_from_thread(_deliver, screen, worker, then, always=always)  # type: ignore[arg-type]


async def _deliver(
    screen: Screen[Any], worker: Worker[Any], then: Callable[[], object], *, always: bool = False
) -> None:
    """On the UI thread: `then()` (awaited, if it is async) if the call still counts
    (`always`: whatever happened to the screen, e.g. telling the app its session ended)."""
    if not always and (worker.is_cancelled or not screen.is_attached):
        return
    try:
        shown = then()
        if inspect.isawaitable(shown):
            await shown
    except Exception:
        _failed(screen, "a result could not be shown")


def _failed(screen: Screen[Any], what: str) -> None:
    """After an update raised: nothing, if its screen was closed meanwhile (its widgets
    went with it: `NoMatches`, `MountError`); else a defect, logged and said."""
    if screen.is_attached:
        _log(screen, what)
        _unexpected(screen)


def _log(screen: Screen[Any], what: str) -> None:
    """The current exception, with `what`, in the crash log beside the store (the app's
    `crash_log`) and Textual's own log; never on the terminal."""
    details = f"--- {what}\n{traceback.format_exc()}"
    screen.app.log.error(details)
    path = getattr(screen.app, "crash_log", None)
    if path is None:
        return
    try:
        with appending(path) as file:
            file.write(details)
    except OSError:
        pass  # a log that cannot be written is not worth a second error


def _unexpected(screen: Screen[Any]) -> None:
    _notify(screen, "app.error.unexpected")


def _notify(screen: Screen[Any], key: str, **params: object) -> None:
    screen.notify(translator_of(screen)(key, **params), severity="error", markup=False)
