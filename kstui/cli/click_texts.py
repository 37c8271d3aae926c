"""Click's and Typer's own texts (Usage, Options, "No such command", "Invalid value" …) in
the CLI's language.

Typer's own parts (section headings, "default", "required") are marked for gettext and
looked up at call time, so replacing `_` in their modules routes them through the shop's
`Translator`. The copy of Click that Typer carries (`typer._click`) writes its texts
directly, so its help pages are translated after they are made (`translate_help`) and its
usage errors by their shape (`translate_message`), the known shapes listed in
`SHAPES`. A Chinese `kstui --help` or usage error then has no English in it but the
command and option names themselves.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable

from kstui.i18n import Translator

MESSAGES: dict[str, str] = {
    "Arguments": "arguments",
    "Options": "options",
    "Commands": "commands",
    "default: {default}": "default",
    "required": "required",
    "env var: {var}": "env_var",
    "(dynamic)": "dynamic",
    "Aborted!": "aborted",
    "Missing command.": "missing_command",
    "No such command {name!r}.": "no_such_command",
}
"""The message ids of Typer's gettext calls → the last part of their key (`app.click.<part>`)."""

PLURALS: dict[str, str] = {}
"""The singular message id of `ngettext` calls → the last part of its key (none in Typer)."""

MODULES = ("typer.core",)
"""The modules whose gettext calls are answered."""


def translator_for_click(t: Translator) -> tuple[Callable[[str], str], Callable[..., str]]:
    """The `gettext` and `ngettext` stand-ins that answer in `t`'s language.

    The translated text keeps Click's `{name}` fields (Click formats it afterwards).
    """

    def gettext(message: str) -> str:
        part = MESSAGES.get(message)
        return message if part is None else t(f"app.click.{part}")

    def ngettext(singular: str, plural: str, n: int) -> str:
        part = PLURALS.get(singular)
        if part is None:
            return singular if n == 1 else plural
        return t(f"app.click.{part}")

    return gettext, ngettext


SHAPES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.DOTALL), part)
    for pattern, part in (
        (
            r"No such option: (?P<name>\S+) \(Possible options: (?P<possibility>.+)\)",
            "did_you_mean",
        ),
        (r"No such option: (?P<name>.+)", "no_such_option"),
        (r"No such command '(?P<name>.+)'\.", "no_such_command"),
        (
            r"Invalid value for (?P<param_hint>'[^']*'(?: / '[^']*')*): (?P<message>.+)",
            "invalid_value_for",
        ),
        (r"Invalid value: (?P<message>.+)", "invalid_value"),
        (r"(?P<value>'.*') is not a valid (?:int|integer|float|number)\.", "not_a_number"),
        (r"(?P<value>.+) is not in the range (?P<range>.+)\.", "out_of_range"),
        (r"(?P<value>'.*') is not one of (?P<choices>.+)\.", "not_a_choice"),
        (
            r"(?P<value>'.*') is not a valid boolean\. Recognized values: (?P<states>.+)",
            "not_a_boolean",
        ),
        (r"Missing argument (?P<name>'.+')\.", "missing_argument_named"),
        (r"Missing option (?P<name>'.+')\.", "missing_option_named"),
        (r"Missing parameter: (?P<param_name>.+)", "missing_parameter_named"),
        (r"Option (?P<name>'.+') requires an argument\.", "requires_argument"),
        (r"Option (?P<name>'.+') requires (?P<nargs>\d+) arguments\.", "takes_values"),
        (r"Option (?P<name>'.+') does not take a value\.", "takes_no_value"),
        (r"Got unexpected extra arguments? ?(?:\(s\))? \((?P<args>.+)\)", "extra_arguments"),
        (r"Missing command\.", "missing_command"),
    )
)
"""The usage errors of Typer's Click, by shape → the last part of their key."""


def translate_message(t: Translator, message: str) -> str:
    """A usage error of Click in `t`'s language (as it was, if its shape is unknown)."""
    for pattern, part in SHAPES:
        match = pattern.fullmatch(message.strip())
        if match is not None:
            fields = match.groupdict()
            if "message" in fields:
                fields["message"] = translate_message(t, fields["message"])
            return t(f"app.click.{part}").format(**fields)
    return message


_USAGE = re.compile(r"^(\s*)Usage: ", re.MULTILINE)


def translate_help(t: Translator, text: str) -> str:
    """A help page of Typer's Click with its fixed texts in `t`'s language."""
    text = _USAGE.sub(lambda m: m.group(1) + t("app.click.usage"), text)
    return text.replace("Show this message and exit.", t("app.click.help"))


def install(t: Translator) -> None:
    """Make Click and Typer speak `t`'s language (for this process)."""
    import typer  # loads the modules above
    from typer._click.core import Context

    gettext, ngettext = translator_for_click(t)
    for name in MODULES:
        module = sys.modules.get(name)
        if module is None:
            continue
        if hasattr(module, "_"):
            module._ = gettext  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = ngettext  # type: ignore[attr-defined]
    original = getattr(Context.get_help, "__wrapped__", Context.get_help)

    def get_help(self: Context) -> str:
        return translate_help(t, original(self))

    get_help.__wrapped__ = original  # type: ignore[attr-defined]
    Context.get_help = get_help  # type: ignore[method-assign]
    del typer
