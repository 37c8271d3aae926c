"""Freight rules of a shipping template (运费模板), for any template and order."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from kstui.services.catalog.regions import PROVINCES
from kstui.services.catalog.shipping import ShippingTemplate

FEES = st.integers(0, 5_000)
PROVINCE = st.sampled_from(sorted(PROVINCES))
TEMPLATES = st.builds(
    ShippingTemplate,
    default_fee=FEES,
    free_threshold=st.none() | st.integers(1, 100_000),
    fees=st.dictionaries(PROVINCE, FEES, max_size=6),
)


@given(template=TEMPLATES, province=PROVINCE, goods=st.integers(1, 200_000))
def test_freight_is_free_exactly_from_the_threshold(
    template: ShippingTemplate, province: str, goods: int
) -> None:
    freight = template.freight(province, goods)
    threshold = template.free_threshold
    if threshold is not None and goods >= threshold:
        assert freight == 0
    else:
        expected = template.fees.get(province, template.default_fee)
        assert freight == expected
    assert isinstance(freight, int)
    assert freight >= 0


@given(template=TEMPLATES, province=PROVINCE, goods=st.integers(1, 200_000))
def test_more_goods_never_cost_more_freight(
    template: ShippingTemplate, province: str, goods: int
) -> None:
    assert template.freight(province, goods + 1) <= template.freight(province, goods)


def test_worked_examples() -> None:
    yiyi = ShippingTemplate(600, 9900, {"65": 2000, "54": 2000})
    assert yiyi.freight("33", 9899) == 600
    assert yiyi.freight("33", 9900) == 0
    assert yiyi.freight("65", 4590) == 2000  # Xinjiang costs more
    assert yiyi.freight("65", 9900) == 0  # and is free above the threshold too
    assert ShippingTemplate(1000).freight("11", 10**7) == 1000  # never free without one
