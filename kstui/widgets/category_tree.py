"""The category tree: 全部分类, the top categories, their sub-categories."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Tree

from kstui.i18n import Translator
from kstui.services.catalog.listing import CategoryNode


class CategoryTree(Tree[int | None]):
    """A tree whose node data is the category id (None for all categories)."""

    DEFAULT_CSS = """
    CategoryTree {
        width: 22;
        height: 1fr;
        background: $surface;
        padding: 0;
        scrollbar-size-vertical: 1;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(Text(""), data=None, id=id)
        self.show_root = True
        self.guide_depth = 2

    def fill(self, categories: list[CategoryNode], t: Translator) -> None:
        """Show these categories (labels are data: shown literally)."""
        self.clear()
        self.root.set_label(Text(t("catalog.all_categories")))
        for top in categories:
            node = self.root.add(Text(t.pick(top.name)), data=top.id)
            for child in top.children:
                node.add_leaf(Text(t.pick(child.name)), data=child.id)
        self.root.expand()
