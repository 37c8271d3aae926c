"""The `kstui` command: opens the shop, and sub-commands, one module per area.

Every error reaches the user as one plain line on stderr (control characters written
out) and a non-zero exit code. Texts follow `--lang` (Chinese by default), help and
Click's own texts included: the language is read from the command line before the
commands are built.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import NoReturn

from kstui.cli.context import DATABASE_URL_ENV, CliContext, CliError, err
from kstui.i18n import Lang, Translator, UnknownLanguage, parse_lang
from kstui.services.errors import DomainError

__all__ = ["CliError", "main"]


def _run_shop(c: CliContext) -> None:
    import gc

    # Textual repaints at most 60 times a second by default, so every change waits up
    # to 17 ms for its frame; at 120 a keystroke's results reach the screen sooner.
    # Set before Textual is imported; an explicit TEXTUAL_FPS in the environment wins.
    os.environ.setdefault("TEXTUAL_FPS", "120")
    from kstui.app import create_app
    from kstui.settings import Settings

    store = c.open_store()
    settings = Settings(
        db_path=c.home(),
        lang=c.t.lang,
        pay_timeout=timedelta(minutes=c.pay_minutes),
        demo_speed=c.demo_speed,
    )
    app = create_app(settings, store, c.clock)
    gc.freeze()  # what is loaded now lives as long as the app: keep it out of every GC pass
    try:
        app.run()
    finally:
        c.close()


@dataclass(frozen=True)
class _ShopOnly:
    db: Path | None
    lang: Lang


def _shop_only(args: Sequence[str]) -> _ShopOnly | None:
    """`kstui [--db PATH] [--lang zh|en]` and nothing else: the shop itself.

    Opening the shop is by far the most common command, and building the Typer
    application (Typer, Click) costs a noticeable part of the start-up; this path skips
    it. Anything else, including `--help` and mistakes, goes through Typer.
    """
    db: Path | None = None
    lang: Lang = "zh"
    rest = list(args)
    while rest:
        option = rest.pop(0)
        name, has_value, value = option.partition("=")
        if name not in ("--db", "--lang"):
            return None
        if not has_value:
            if not rest:
                return None
            value = rest.pop(0)
        if name == "--db":
            db = Path(value)
        else:
            try:
                lang = parse_lang(value)
            except UnknownLanguage:
                return None
    return _ShopOnly(db, lang)


def _lang_from_argv(argv: Sequence[str]) -> Lang:
    for i, arg in enumerate(argv):
        value = None
        if arg == "--lang" and i + 1 < len(argv):
            value = argv[i + 1]
        elif arg.startswith("--lang="):
            value = arg.split("=", 1)[1]
        if value is not None:
            try:
                return parse_lang(value)
            except UnknownLanguage:
                return "zh"
    return "zh"


def main(argv: Sequence[str] | None = None) -> NoReturn:
    """Entry point of the `kstui` command."""
    from kstui.store.errors import NotAStore, SeedError, StoreError

    args = list(sys.argv[1:] if argv is None else argv)
    lang = _lang_from_argv(args)
    t = Translator(lang)
    context: CliContext | None = None
    try:
        if (shop := _shop_only(args)) is not None:
            url = None if shop.db is not None else os.environ.get(DATABASE_URL_ENV) or None
            context = CliContext(Translator(shop.lang), db=shop.db, database_url=url)
            _run_shop(context)
        else:
            _run_cli(args, lang)
    except DomainError as error:
        err(t("app.cli.error", message=t(error.message_key, **error.params)))
        sys.exit(1)
    except CliError as error:
        err(t("app.cli.error", message=str(error)))
        sys.exit(1)
    except NotAStore as error:
        err(t("app.cli.error", message=t("app.error.not_a_store", detail=str(error))))
        sys.exit(1)
    except StoreError as error:
        message = (
            t(error.message_key)
            if error.message_key not in ("app.error.unexpected",)
            else t("app.cli.store_error", detail=str(error))
        )
        err(t("app.cli.error", message=message))
        sys.exit(1)
    except SeedError as error:
        err(t("app.cli.error", message=t("app.cli.seed_error", detail=str(error))))
        sys.exit(1)
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception:  # a bug: the details go to a log, the user gets one line
        err(t("app.crashed", log=_write_crash_log(args, context)))
        sys.exit(70)
    sys.exit(0)


def _crash_log_folder(args: Sequence[str], context: CliContext | None) -> Path:
    """Beside the store the command ran on (`--db`, a database URL, or the default)."""
    from kstui.settings import default_db_path, store_home

    if context is not None:
        return context.home().parent
    for i, arg in enumerate(args):
        if arg == "--db" and i + 1 < len(args):
            return Path(args[i + 1]).parent
        if arg.startswith("--db="):
            return Path(arg.split("=", 1)[1]).parent
    url = os.environ.get(DATABASE_URL_ENV)
    return store_home(url).parent if url else default_db_path().parent


def _write_crash_log(args: Sequence[str], context: CliContext | None) -> str:
    """Append the current exception's traceback to the crash log; where it went, or -."""
    import traceback

    from kstui import crash_log

    log = _crash_log_folder(args, context) / crash_log.NAME
    try:
        with crash_log.appending(log) as file:
            traceback.print_exc(file=file)
    except OSError:
        return "-"
    return str(log)


def _run_cli(args: list[str], lang: Lang) -> None:
    """Run a sub-command (or help) through Typer; usage errors exit here."""
    import typer

    t = Translator(lang)
    try:
        from kstui.cli.build import build_cli

        build_cli(lang)(args=args, prog_name="kstui", standalone_mode=False)
    except typer.Exit as done:
        sys.exit(done.exit_code)
    except typer.Abort:
        sys.exit(130)
    except typer.TyperException as error:
        _usage_error(t, error)


def _usage_error(t: Translator, error: Exception) -> NoReturn:
    """Bad command-line usage: a help text is printed as is, anything else as one line."""
    from kstui.cli.click_texts import translate_help, translate_message

    message = getattr(error, "format_message", lambda: str(error))()
    if type(error).__name__ == "NoArgsIsHelpError":
        print(translate_help(t, message), file=sys.stderr)  # noqa: T201  (keeps its lines)
    else:
        err(t("app.cli.error", message=translate_message(t, message)))
    sys.exit(getattr(error, "exit_code", 2))
