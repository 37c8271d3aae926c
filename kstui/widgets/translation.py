"""Reaching the app's translator from any widget."""

from __future__ import annotations

from dataclasses import replace

from textual.binding import BindingsMap
from textual.dom import DOMNode

from kstui.i18n import Translator

_FALLBACK = Translator("zh")


def translator_of(node: DOMNode) -> Translator:
    """The translator of the app `node` belongs to (Chinese outside a kstui app)."""
    try:
        found = getattr(node.app, "translator", None)
    except Exception:  # no active app (a widget built outside one)
        return _FALLBACK
    return found if isinstance(found, Translator) else _FALLBACK


def translate_own_bindings(node: DOMNode) -> None:
    """Turn the message keys in `node`'s BINDINGS into text (call once it is mounted)."""
    node._bindings = translate_bindings(node._bindings, translator_of(node))
    node.refresh_bindings()


def translate_bindings(bindings: BindingsMap, t: Translator) -> BindingsMap:
    """A copy of `bindings` whose descriptions and tooltips, message keys, are turned to text."""
    return BindingsMap.from_keys(
        {
            key: [
                replace(
                    b,
                    description=t(b.description) if b.description else "",
                    tooltip=t(b.tooltip) if b.tooltip else "",
                )
                for b in bindings_for_key
            ]
            for key, bindings_for_key in bindings.key_to_bindings.items()
        }
    )
