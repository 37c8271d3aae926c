"""The simulated 微信 / QQ authorization dialog (同意 / 拒绝)."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, Static

from kstui.providers.social import SocialIdentity
from kstui.screens.base import KstuiModal
from kstui.widgets.translation import translate_own_bindings, translator_of


class SocialAuthScreen(KstuiModal[bool]):
    """Asks whether kstui may use the 微信/QQ account; dismissed with the answer.

    Args:
        identity: The simulated account signed in on this device.
    """

    DEFAULT_CSS = """
    SocialAuthScreen {
        align: center middle;
    }
    SocialAuthScreen #auth-box {
        width: 48;
        height: auto;
        border: round $success;
        background: $surface;
        padding: 1 2;
    }
    SocialAuthScreen #auth-title {
        text-style: bold;
        color: $success;
        margin-bottom: 1;
    }
    SocialAuthScreen #auth-account {
        margin: 1 0;
        text-style: bold;
    }
    SocialAuthScreen #auth-buttons {
        height: 1;
        margin-top: 1;
        align-horizontal: right;
    }
    SocialAuthScreen #auth-buttons Button {
        margin-left: 2;
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "refuse", "app.key.cancel", show=False),
    ]

    def __init__(self, identity: SocialIdentity) -> None:
        super().__init__()
        self.identity = identity

    def compose(self) -> ComposeResult:
        t = translator_of(self)
        provider = t(f"accounts.provider.{self.identity.provider.value}")
        with Vertical(id="auth-box"):
            yield Static(Content(t("accounts.auth.title", provider=provider)), id="auth-title")
            yield Static(Content(t("accounts.auth.asks", provider=provider)), id="auth-asks")
            yield Static(
                Content(t("accounts.auth.account", nickname=self.identity.nickname)),
                id="auth-account",
            )
            yield Static(Content(t("accounts.auth.note")), id="auth-note")
            with Horizontal(id="auth-buttons"):
                yield Button(t("accounts.auth.refuse"), id="refuse", compact=True)
                yield Button(t("accounts.auth.agree"), id="agree", variant="success", compact=True)

    def on_mount(self) -> None:
        translate_own_bindings(self)
        self.query_one("#agree", Button).focus()

    @on(Button.Pressed, "#agree")
    def action_agree(self) -> None:
        """同意: kstui may use the account."""
        self.dismiss(True)

    @on(Button.Pressed, "#refuse")
    def action_refuse(self) -> None:
        """拒绝."""
        self.dismiss(False)
