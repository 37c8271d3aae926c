"""Freight from a shop's shipping template (运费模板)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class ShippingTemplate:
    """A shop's freight rule: a default fee, per-province fees, free above a threshold.

    All amounts in fen; `free_threshold` None means shipping is never free by amount.
    """

    default_fee: int
    free_threshold: int | None = None
    fees: dict[str, int] = field(default_factory=dict)

    def fee_to(self, province: str) -> int:
        """The freight to a province before any free-shipping threshold."""
        return self.fees.get(province, self.default_fee)

    def freight(self, province: str, goods_total: int) -> int:
        """The freight for an order of `goods_total` fen of this shop's goods to `province`."""
        if self.free_threshold is not None and goods_total >= self.free_threshold:
            return 0
        return self.fee_to(province)
