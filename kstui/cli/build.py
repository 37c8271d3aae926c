"""Building the Typer application: the shop's options and every area's sub-commands.

Imported only when a sub-command (or help) is asked for: plain `kstui` skips Typer.
No `from __future__ import annotations` here: Typer reads the options' annotations.
"""

import os
from pathlib import Path
from typing import Annotated

import typer

from kstui.cli.context import DATABASE_URL_ENV, CliContext, CliError
from kstui.i18n import Lang, Translator, UnknownLanguage, parse_lang


def build_cli(lang: Lang = "zh") -> typer.Typer:
    """The Typer application, with help texts in `lang`."""
    from kstui.cli import accounts, catalog, click_texts, sim, store

    t = Translator(lang)
    click_texts.install(t)
    app = typer.Typer(
        help=t("app.cli.help"),
        add_completion=False,
        rich_markup_mode=None,
        pretty_exceptions_enable=False,
        context_settings={"help_option_names": ["-h", "--help"]},
    )

    @app.callback(invoke_without_command=True)
    def shop(
        ctx: typer.Context,
        db: Annotated[Path | None, typer.Option("--db", help=t("app.cli.opt.db"))] = None,
        database_url: Annotated[
            str | None,
            typer.Option("--database-url", envvar=DATABASE_URL_ENV, help=t("app.cli.opt.url")),
        ] = None,
        lang_option: Annotated[str, typer.Option("--lang", help=t("app.cli.opt.lang"))] = "zh",
        pay_minutes: Annotated[
            int, typer.Option("--pay-timeout", min=1, max=1440, help=t("app.cli.opt.pay_timeout"))
        ] = 15,
        demo_speed: Annotated[
            int, typer.Option("--demo-speed", min=1, max=10_000, help=t("app.cli.opt.demo_speed"))
        ] = 1,
    ) -> None:
        try:
            chosen = parse_lang(lang_option)
        except UnknownLanguage:
            raise CliError(t("app.cli.bad_lang", lang=lang_option)) from None
        from_env = os.environ.get(DATABASE_URL_ENV) or None
        if db is not None and database_url is not None and database_url != from_env:
            raise CliError(t("app.cli.db_and_url"))  # both given: which one was meant?
        ctx.obj = CliContext(
            Translator(chosen),
            db=db,
            database_url=None if db is not None else database_url,
            pay_minutes=pay_minutes,
            demo_speed=demo_speed,
        )
        ctx.call_on_close(ctx.obj.close)
        if ctx.invoked_subcommand is None:
            from kstui.cli import _run_shop

            _run_shop(ctx.obj)

    catalog.register(app, t)
    accounts.register(app, t)
    store.register(app, t)
    sim.register(app, t)
    return app
