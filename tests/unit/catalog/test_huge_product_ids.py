"""A product, picture or shop id no store can hold (≥ 2⁶³) names nothing.

SQLite's integers are signed 64-bit: binding a bigger Python int raised OverflowError
(`kstui products show 9223372036854775808` crashed). See `kstui.services.ids`.
"""

from __future__ import annotations

import pytest

from kstui.providers.clock import FrozenClock
from kstui.services.catalog import products
from kstui.services.catalog.errors import ProductNotFound
from kstui.store.interface import Store

HUGE = (2**31, 2**63 - 1, 2**63, 2**64 + 5, 10**30)


@pytest.mark.parametrize("huge", HUGE)
def test_a_huge_product_id_is_no_such_product(store: Store, clock: FrozenClock, huge: int) -> None:
    with store.reading() as tx, pytest.raises(ProductNotFound):
        products.product_detail(tx, huge, clock=clock)
    with store.reading() as tx:
        assert products.reviews(tx, huge).reviews == []
        assert products.picture_png(tx, huge) is None
        assert products.shop_coupons(tx, huge, clock=clock) == []
        assert products.reviews(tx, 1, offset=huge).reviews == []
