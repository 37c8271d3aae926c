"""`kstui sim advance|status`: the simulated world clock, for demos and tests.

`advance 2h` moves the clock forward for every process of the shop and runs everything
that falls due on the way (unpaid orders cancelled, payment notifications delivered…);
`status` prints the simulated and the real time, the speed, the next things due and the
shop's time limits.
"""

import json
import re
from datetime import UTC, datetime, timedelta
from typing import Annotated

import typer

from kstui.cli.context import CliContext, CliError, out
from kstui.i18n import Translator

MAX_ADVANCE = timedelta(days=3650)
"""The most one `sim advance` moves the clock (ten years)."""
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days"}
_DURATION = re.compile(r"(?:\d+[smhd])+")
_PART = re.compile(r"(\d+)([smhd])")


class BadDuration(ValueError):
    """Not a duration like `30m`, `2h`, `3d` or `1h30m`."""


def parse_duration(text: str) -> timedelta:
    """`30m`, `2h`, `3d`, `90s` or a combination (`1d12h`) as a timedelta.

    Raises:
        BadDuration: for anything else, or more than `MAX_ADVANCE`.
    """
    cleaned = text.strip().lower()
    if not _DURATION.fullmatch(cleaned):
        raise BadDuration(text)
    total = timedelta(0)
    for amount, unit in _PART.findall(cleaned):
        if len(amount) > 9:
            raise BadDuration(text)
        total += timedelta(**{_UNITS[unit]: int(amount)})
    if total > MAX_ADVANCE:
        raise BadDuration(text)
    return total


def format_duration(value: timedelta) -> str:
    """A duration the way `parse_duration` reads it (`15m`, `30d`, `1h30m`, `0s`)."""
    seconds = int(value.total_seconds())
    parts = []
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60), ("s", 1)):
        if seconds >= size:
            parts.append(f"{seconds // size}{unit}")
            seconds %= size
    return "".join(parts) or "0s"


def register(app: typer.Typer, t: Translator) -> None:
    """Add `sim` and its commands to the CLI, with help in `t`'s language."""
    sim = typer.Typer(help=t("app.cli.sim.help"), no_args_is_help=True)
    app.add_typer(sim, name="sim")

    @sim.command("advance", help=t("app.cli.sim.advance.help"))
    def sim_advance(
        ctx: typer.Context,
        duration: Annotated[str, typer.Argument(help=t("app.cli.sim.advance.duration"))],
        as_json: Annotated[bool, typer.Option("--json", help=t("app.cli.opt.json"))] = False,
    ) -> None:
        from kstui.services.jobs import catch_up

        c: CliContext = ctx.obj
        try:
            delta = parse_duration(duration)
        except BadDuration:
            raise CliError(c.t("app.cli.sim.bad_duration", text=duration)) from None
        clock = c.clock
        now = clock.advance(delta)
        result = catch_up(c.open_store(), clock=clock)
        if as_json:
            out(json.dumps({"simulated": now.isoformat(), "done": result.done}))
            return
        out(c.t("app.cli.sim.advanced", by=format_duration(delta), now=_local(now)))
        for name, count in result.done.items():
            out(c.t("app.cli.sim.done_row", what=c.t(f"app.cli.sim.step.{name}"), count=count))

    @sim.command("status", help=t("app.cli.sim.status.help"))
    def sim_status(
        ctx: typer.Context,
        as_json: Annotated[bool, typer.Option("--json", help=t("app.cli.opt.json"))] = False,
    ) -> None:
        from kstui.services.jobs import next_due

        c: CliContext = ctx.obj
        clock = c.clock
        state = clock.state()
        real = clock.real.now()
        simulated = state.simulated(real)
        due = next_due(c.open_store())
        limits = c.limits().items()
        if as_json:
            out(
                json.dumps(
                    {
                        "simulated": simulated.isoformat(),
                        "real": real.isoformat(),
                        "offset_seconds": int((simulated - real).total_seconds()),
                        "speed": state.speed,
                        "next_due": [{"at": d.at.isoformat(), "step": d.step} for d in due],
                        "limits": {name: int(v.total_seconds()) for name, v in limits},
                    },
                    ensure_ascii=False,
                )
            )
            return
        t_ = c.t
        out(t_("app.cli.sim.simulated", now=_local(simulated)))
        out(t_("app.cli.sim.real", now=_local(real)))
        out(t_("app.cli.sim.offset", offset=format_duration(abs(simulated - real))))
        if state.speed > 1:
            out(t_("app.cli.sim.speed", speed=state.speed))
        out(t_("app.cli.sim.next_due"))
        if not due:
            out(t_("app.cli.sim.nothing_due"))
        for d in due:
            out(t_("app.cli.sim.due_row", at=_local(d.at), what=t_(f"app.cli.sim.step.{d.step}")))
        out(t_("app.cli.sim.limits"))
        for name, value in limits:
            out(t_("app.cli.sim.limit_row", what=t_(f"app.cli.sim.limit.{name}"),
                   value=format_duration(value)))  # fmt: skip


def _local(moment: datetime) -> str:
    from kstui.timefmt import CHINA

    return moment.astimezone(CHINA).strftime("%Y-%m-%d %H:%M:%S") if moment else ""


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)
