"""`kstui seed`: load the demo catalogue, empty and reload it, add generated products."""

from typing import Annotated

import typer

from kstui.cli.context import CliContext, err, out
from kstui.i18n import Translator


def register(app: typer.Typer, t: Translator) -> None:
    """Add `seed` to the CLI, with help in `t`'s language."""

    @app.command("seed", help=t("app.cli.seed.help"))
    def seed(
        ctx: typer.Context,
        reset: Annotated[bool, typer.Option("--reset", help=t("app.cli.seed.reset"))] = False,
        synthetic: Annotated[
            int, typer.Option("--synthetic", min=0, max=5_000_000, help=t("app.cli.seed.synthetic"))
        ] = 0,
    ) -> None:
        from kstui.providers.world_clock import WorldClock
        from kstui.store.bootstrap import connect, default_seed_path
        from kstui.store.migrate import ensure_schema
        from kstui.store.seed_loader import load_seed

        c: CliContext = ctx.obj
        store = connect(c.location())
        try:
            ensure_schema(store)
            clock = WorldClock(store)
            report = load_seed(store, default_seed_path(), clock=clock, reset=reset)
            if report.loaded:
                out(c.t("app.cli.seed.loaded", products=report.products, accounts=report.accounts))
            else:
                out(c.t("app.cli.seed.already"))
            if synthetic:
                from kstui.store.synthetic import ensure_synthetic

                def progress(done: int, total: int) -> None:
                    err(c.t("app.cli.seed.progress", done=done, total=total))

                added = ensure_synthetic(store, synthetic, clock=clock, progress=progress)
                out(c.t("app.cli.seed.synthetic_done", added=added, total=synthetic))
        finally:
            store.close()
