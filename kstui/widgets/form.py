"""Form pieces: a labelled input with its error right below it, and a password meter."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Button, Input, Label, Static

from kstui.services.accounts.identity import Strength, password_strength
from kstui.widgets.translation import translator_of


class FormField(Vertical):
    """A label, an input (and optional widgets beside it), and a line for its error.

    Enter in the input goes on to the next field of the form (the field's container),
    or presses the form's primary button after its last field.

    Args:
        label: Shown above the input.
        name: The field's name; the input's id is `<name>-input`.
        password: Hide what is typed.
        placeholder: Shown in the empty input.
        max_length: Longest accepted text.
        restrict: A regular expression the text must match while typing.
        beside: Widgets on the input's line (a 获取验证码 button, for instance).
        enter_presses: The id of a button Enter presses before going on (a phone
            field's 获取验证码, so that Enter sends the code and moves to it).
    """

    DEFAULT_CSS = """
    FormField {
        height: auto;
        margin-bottom: 0;
    }
    FormField > .form-label {
        color: $text-muted;
    }
    FormField > .form-row {
        height: 1;
    }
    FormField > .form-row > Input {
        width: 1fr;
        background: $panel;
    }
    FormField > .form-row > Input:focus {
        background: $primary 20%;
    }
    FormField > .form-row > Button {
        width: auto;
        margin-left: 1;
    }
    FormField > .form-error {
        color: $error;
        height: 1;
    }
    """

    def __init__(
        self,
        label: str,
        *,
        name: str,
        password: bool = False,
        placeholder: str = "",
        max_length: int = 64,
        restrict: str | None = None,
        beside: tuple[Widget, ...] = (),
        enter_presses: str | None = None,
    ) -> None:
        super().__init__(id=f"{name}-field")
        self.field_name = name
        self._label = label
        self._input = Input(
            placeholder=placeholder,
            password=password,
            max_length=max_length,
            restrict=restrict,
            id=f"{name}-input",
            compact=True,
        )
        self._beside = beside
        self._enter_presses = enter_presses

    def compose(self) -> ComposeResult:
        yield Label(self._label, classes="form-label", markup=False)
        with Horizontal(classes="form-row"):
            yield self._input
            yield from self._beside
        yield Static("", classes="form-error", markup=False)

    def on_mount(self) -> None:
        animations: bool = getattr(getattr(self.app, "settings", None), "animations", True)
        self._input.cursor_blink = animations

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        form = self.parent
        if form is None:
            return
        if self._enter_presses is not None:
            form.query_one(f"#{self._enter_presses}", Button).press()
        fields = [f for f in form.query(FormField) if f.display]
        later = fields[fields.index(self) + 1 :] if self in fields else []
        if later:
            later[0].input.focus()
            return
        submit = next((b for b in form.query(Button) if b.variant == "primary" and b.display), None)
        if submit is not None:
            submit.press()

    @property
    def input(self) -> Input:
        """The input."""
        return self._input

    @property
    def value(self) -> str:
        """What was typed."""
        return self._input.value

    def set_error(self, message: str | None) -> None:
        """Show (or clear) the message beside this field."""
        self.query_one(".form-error", Static).update(Content(message or ""))
        self.set_class(bool(message), "-invalid")

    @property
    def error(self) -> str:
        """The message shown, if any."""
        return str(self.query_one(".form-error", Static).render())


class PasswordMeter(Widget):
    """A bar showing how strong the password being typed is (弱 / 中 / 强)."""

    DEFAULT_CSS = """
    PasswordMeter {
        height: 1;
        width: 1fr;
    }
    PasswordMeter > .meter--weak { color: $error; }
    PasswordMeter > .meter--medium { color: $warning; }
    PasswordMeter > .meter--strong { color: $success; }
    PasswordMeter > .meter--empty { color: $text-disabled; }
    """
    COMPONENT_CLASSES = {"meter--weak", "meter--medium", "meter--strong", "meter--empty"}

    password: reactive[str] = reactive("")

    def render(self) -> Content:
        t = translator_of(self)
        strength = password_strength(self.password)
        filled = {Strength.TOO_WEAK: 1 if self.password else 0}.get(strength, int(strength) + 1)
        style = {
            Strength.TOO_WEAK: "meter--weak",
            Strength.WEAK: "meter--weak",
            Strength.MEDIUM: "meter--medium",
            Strength.STRONG: "meter--strong",
        }[strength]
        bar = Content("■■■ " * filled).stylize(self.get_visual_style(style))
        rest = Content("■■■ " * (4 - filled)).stylize(self.get_visual_style("meter--empty"))
        label = t(f"accounts.strength.{strength.name.lower()}") if self.password else ""
        return Content.assemble(bar, rest, " ", label)
