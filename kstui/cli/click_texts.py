"""Click's and Typer's own texts (Usage, Options, "No such command", "Invalid value" …) in
the CLI's language.

Click marks them for gettext (`_("Usage:")`, `ngettext(…)`) and looks the functions up
in its modules at call time, so replacing those two names in its modules routes every
such text through the shop's `Translator`: a Chinese `kstui --help` or usage error has
no English in it but the command and option names themselves.
"""

from __future__ import annotations

import sys
from collections.abc import Callable

from kstui.i18n import Translator

MESSAGES: dict[str, str] = {
    "Usage:": "usage",
    "Options": "options",
    "Arguments": "arguments",
    "Commands": "commands",
    "Positional arguments": "arguments",
    "Show this message and exit.": "help",
    "Show the version and exit.": "version",
    "No such command {name!r}.": "no_such_command",
    "No such option {name!r}.": "no_such_option",
    "Invalid value for {param_hint}: {message}": "invalid_value_for",
    "Invalid value: {message}": "invalid_value",
    "Missing argument": "missing_argument",
    "Missing option": "missing_option",
    "Missing parameter": "missing_parameter",
    "Missing parameter: {param_name}": "missing_parameter_named",
    "Missing {param_type}": "missing_type",
    "Missing command.": "missing_command",
    "Try '{command} {option}' for help.": "try_help",
    "Error: {message}": "error",
    "default: {default}": "default",
    "required": "required",
    "env var: {var}": "env_var",
    "(dynamic)": "dynamic",
    "{value!r} is not a valid {number_type}.": "not_a_number",
    "{value} is not in the range {range}.": "out_of_range",
    "{value!r} is not a valid boolean. Recognized values: {states}": "not_a_boolean",
    "Option {name!r} does not take a value.": "takes_no_value",
    "Aborted!": "aborted",
    "Argument {name!r} takes {nargs} values.": "takes_values",
    "Name '{name}' defined twice": "defined_twice",
}
"""Click's message id → the last part of its key (`app.click.<part>`)."""

PLURALS: dict[str, str] = {
    "Option {name!r} requires an argument.": "requires_argument",
    "Got unexpected extra argument ({args})": "extra_arguments",
    "Did you mean {possibility}?": "did_you_mean",
    "{value!r} is not one of {choices}.": "not_a_choice",
    "Takes {nargs} values but 1 was given.": "wrong_count",
}
"""The singular message id of Click's `ngettext` calls → the last part of its key."""

MODULES = (
    "click.core",
    "click.decorators",
    "click.exceptions",
    "click.formatting",
    "click.parser",
    "click.types",
    "click.termui",
    "click.utils",
    "typer.core",
)


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


def install(t: Translator) -> None:
    """Make Click and Typer speak `t`'s language (for this process)."""
    import click  # noqa: F401  (loads the modules below)
    import typer  # noqa: F401

    gettext, ngettext = translator_for_click(t)
    for name in MODULES:
        module = sys.modules.get(name)
        if module is None:
            continue
        if hasattr(module, "_"):
            module._ = gettext  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = ngettext  # type: ignore[attr-defined]
