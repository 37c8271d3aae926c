"""`kstui sms outbox`: the simulated phones' texts (login and payment codes)."""

import json
from typing import Annotated

import typer

from kstui.cli.context import CliContext, out
from kstui.i18n import Translator


def register(app: typer.Typer, t: Translator) -> None:
    """Add `sms` and its commands to the CLI, with help in `t`'s language."""
    sms = typer.Typer(help=t("app.cli.sms.help"), no_args_is_help=True)
    app.add_typer(sms, name="sms")

    @sms.command("outbox", help=t("app.cli.sms.outbox.help"))
    def sms_outbox(
        ctx: typer.Context,
        phone: Annotated[str | None, typer.Option("--phone", help=t("app.cli.sms.phone"))] = None,
        limit: Annotated[
            int, typer.Option("--limit", min=1, max=500, help=t("app.cli.sms.limit"))
        ] = 20,
        as_json: Annotated[bool, typer.Option("--json", help=t("app.cli.opt.json"))] = False,
    ) -> None:
        from kstui.providers.sms import outbox
        from kstui.services.accounts.identity import normalize_phone
        from kstui.text import printable
        from kstui.timefmt import local_minute

        c: CliContext = ctx.obj
        number = normalize_phone(phone) if phone else None
        store = c.open_store()
        with store.reading() as conn:
            messages = outbox(conn, phone=number, limit=limit)
        if as_json:
            rows = [
                {"id": m.id, "phone": m.phone, "text": m.text, "sent_at": m.sent_at.isoformat()}
                for m in messages
            ]
            out(json.dumps(rows, ensure_ascii=False))
            return
        if not messages:
            out(c.t("app.cli.sms.empty"))
        for m in messages:
            out(f"{local_minute(m.sent_at)}  {m.phone}  {printable(m.text)}")
