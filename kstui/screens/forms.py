"""What the account forms share: calling a service off the UI thread, and putting its
error next to the field it is about."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any, TypeVar

from textual.content import Content
from textual.css.query import NoMatches
from textual.screen import Screen
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Button, Static

from kstui.screens.base import shop_of
from kstui.screens.calls import run_call
from kstui.services.accounts.errors import NotLoggedIn
from kstui.services.errors import DomainError
from kstui.store.errors import StoreError
from kstui.widgets.form import FormField
from kstui.widgets.translation import translator_of

T = TypeVar("T")
Placement = Mapping[type[DomainError], str]
"""Which field (by name) each kind of error belongs to."""


def clear_errors(screen: Screen[Any]) -> None:
    """Remove every message from the form."""
    for field in screen.query(FormField):
        field.set_error(None)
    for line in screen.query(".form-message").results(Static):
        line.update("")


def show_error(screen: Screen[Any], error: DomainError | StoreError, placement: Placement) -> None:
    """Show `error` under the field it is about (or on the form's message line)."""
    t = translator_of(screen)
    if isinstance(error, DomainError):
        message = t(error.message_key, **error.params)
        name = next((n for cls, n in placement.items() if isinstance(error, cls)), None)
        field = error.params.get("field")  # errors that name their field (InvalidAddress…)
        if name is None and isinstance(field, str):
            name = field
    else:
        message, name = t(error.message_key), None
    if name is not None:
        reveal = getattr(screen, "reveal_field", None)
        if callable(reveal):  # a form in steps goes back to the step of the field
            reveal(name)
        try:
            field = screen.query_one(f"#{name}-field", FormField)
        except NoMatches:
            pass
        else:
            if _shown(field):
                field.set_error(message)
                field.input.focus()
                return
    lines = screen.query(".form-message").results(Static)
    line = next(iter(lines), None)
    if line is not None and _shown(line):
        line.update(Content(message))
    else:
        screen.notify(message, severity="error", markup=False)


def run_service(
    screen: Screen[Any],
    call: Callable[[], T],
    done: Callable[[T], object],
    placement: Placement,
    *,
    signed_out: Callable[[], object] | None = None,
) -> None:
    """Run a service call in a thread; then `done(result)`, or show its error.

    With `signed_out`, a session that ended meanwhile (NotLoggedIn) calls it instead.
    """

    def failed(error: DomainError | StoreError) -> bool:
        show_error(screen, error, placement)
        return True

    clear_errors(screen)
    # Not exclusive: a form's call may have made a session or ended them all, so every
    # result is delivered (`form_busy` keeps the shopper from leaving meanwhile).
    run_call(
        screen, call, done, group="form", on_error=failed, exclusive=False,
        signed_out=signed_out or (lambda: show_error(screen, NotLoggedIn(), placement)),
    )  # fmt: skip


def form_busy(screen: Screen[Any]) -> bool:
    """Whether a form's service call is still running (leaving now would lose its result:
    a session made, or every session ended, without this device knowing)."""
    return any(w.group == "form" and not w.is_finished for w in screen.workers)


def _shown(widget: Widget) -> bool:
    """Whether `widget` and every container above it are displayed."""
    return all(node.display for node in widget.ancestors_with_self if isinstance(node, Widget))


def start_countdown(screen: Screen[Any], button: Button, until: datetime) -> Timer:
    """Turn a 获取验证码 button into "59秒后重发" until `until` (by the app's clock)."""
    t = translator_of(screen)
    clock = shop_of(screen).clock

    def tick() -> None:
        left = int((until - clock.now()).total_seconds() + 0.999)
        if left > 0:
            button.label = t("accounts.login.resend_in", seconds=left)
            button.disabled = True
        else:
            button.label = t("accounts.login.get_code")
            button.disabled = False
            timer.stop()

    timer = screen.set_interval(1, tick)
    tick()
    return timer
