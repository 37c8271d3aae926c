"""The command palette speaks the shop's language when nothing matches."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from textual.app import App
from textual.command import CommandList, CommandPalette

from tests.ui.helpers import SMALL_TERMINAL, results_for

MakeApp = Callable[..., App[None]]


@pytest.mark.parametrize(
    ("lang", "said"), [("zh", "没有找到匹配的页面或操作"), ("en", "No matching pages or actions")]
)
async def test_no_matches_is_translated(make_app: MakeApp, lang: str, said: str) -> None:
    app = make_app(lang)
    async with app.run_test(size=SMALL_TERMINAL) as pilot:
        await results_for(pilot)
        await pilot.press("ctrl+p")
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*"zqzqzq")
        texts: list[str] = []
        for _ in range(50):  # Textual waits a moment before saying it
            await pilot.pause(0.05)
            options = app.screen.query_one(CommandList).options
            texts = [str(option.prompt.renderable) for option in options]  # type: ignore[union-attr]
            if texts:
                break
        assert any(said in text for text in texts), texts
        assert not any("No matches found" in text for text in texts)
