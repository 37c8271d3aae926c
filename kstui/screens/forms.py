"""What the account forms share: calling a service off the UI thread, and putting its
error next to the field it is about."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any, TypeVar

from textual.css.query import NoMatches
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Button, Static

from kstui.screens.base import shop_of
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
    else:
        message, name = t("error.unexpected"), None
    if name is not None:
        try:
            field = screen.query_one(f"#{name}-field", FormField)
        except NoMatches:
            pass
        else:
            field.set_error(message)
            field.input.focus()
            return
    lines = screen.query(".form-message").results(Static)
    line = next(iter(lines), None)
    if line is not None and line.display:
        line.update(message)
    else:
        screen.notify(message, severity="error", markup=False)


def run_service(
    screen: Screen[Any],
    call: Callable[[], T],
    done: Callable[[T], object],
    placement: Placement,
) -> None:
    """Run a service call in a thread; then `done(result)`, or show its error."""

    def work() -> None:
        try:
            result = call()
        except (DomainError, StoreError) as error:
            screen.app.call_from_thread(show_error, screen, error, placement)
        else:
            screen.app.call_from_thread(done, result)

    clear_errors(screen)
    screen.run_worker(work, thread=True, exclusive=True, group="form")


def start_countdown(screen: Screen[Any], button: Button, until: datetime) -> Timer:
    """Turn a 获取验证码 button into "59秒后重发" until `until` (by the app's clock)."""
    t = translator_of(screen)
    clock = shop_of(screen).clock

    def tick() -> None:
        left = int((until - clock.now()).total_seconds() + 0.999)
        if left > 0:
            button.label = t("login.resend_in", seconds=left)
            button.disabled = True
        else:
            button.label = t("login.get_code")
            button.disabled = False
            timer.stop()

    timer = screen.set_interval(1, tick)
    tick()
    return timer
