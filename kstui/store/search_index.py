"""How a product becomes findable: the search documents, and writing them to the store.

The documents are engine neutral (`kstui.store.search.documents`); storing them goes
through the engine's search module (`kstui.store.search`). This module keeps the names
the seed loader and the synthetic generator use in one place.
"""

from __future__ import annotations

from kstui.store.search import index_products, optimize, reindex
from kstui.store.search.documents import (
    PINYIN_CODE_BASE,
    PRICE_BANDS,
    SYLLABLE_CODES,
    Facet,
    Facets,
    SearchDoc,
    build_doc,
    is_han,
    normalize,
    pinyin_runs,
    price_band,
    price_bands,
    tag_text,
    tag_token,
)

__all__ = [
    "PINYIN_CODE_BASE",
    "PRICE_BANDS",
    "SYLLABLE_CODES",
    "Facet",
    "Facets",
    "SearchDoc",
    "build_doc",
    "index_products",
    "is_han",
    "normalize",
    "optimize",
    "pinyin_runs",
    "price_band",
    "price_bands",
    "reindex",
    "tag_text",
    "tag_token",
]
