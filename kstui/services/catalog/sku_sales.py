"""SKUs as the cart and the checkout need them: name, spec text, price, stock, limits, shop,
and each shop's shipping template."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from kstui.i18n import Localized
from kstui.services.catalog.products import parse_spec_key
from kstui.services.catalog.shipping import ShippingTemplate
from kstui.services.ids import storable_ids
from kstui.store.interface import Transaction, in_list

MAX_QUANTITY = 99
"""The most of one SKU a line may hold when the product sets no lower limit."""


@dataclass(frozen=True)
class SkuForSale:
    """A SKU with what a cart line or an order line shows and checks."""

    sku_id: int
    product_id: int
    shop_id: int
    name: Localized
    spec: Localized
    picture_id: int | None
    price: int
    stock: int
    per_order_limit: int | None

    @property
    def max_quantity(self) -> int:
        """How many one order may take: the stock, capped by the product's limit and 99."""
        return min(self.stock, self.per_order_limit or MAX_QUANTITY, MAX_QUANTITY)

    @property
    def limit(self) -> int:
        """The cap that does not depend on stock (the product's limit, at most 99)."""
        return min(self.per_order_limit or MAX_QUANTITY, MAX_QUANTITY)


@dataclass(frozen=True)
class ShopForSale:
    """A shop's name and shipping template."""

    shop_id: int
    name: Localized
    shipping: ShippingTemplate


def skus_for_sale(tx: Transaction, sku_ids: Iterable[int]) -> dict[int, SkuForSale]:
    """The SKUs that exist among `sku_ids`, by id (in ascending id order)."""
    ids = sorted(set(storable_ids(sku_ids)))
    if not ids:
        return {}
    ids_sql, params = in_list("sku", ids)
    rows = tx.fetch_all(
        f"""
        SELECT k.id, k.product_id, p.shop_id, p.name_zh, p.name_en, k.spec_key, p.picture_id,
               k.price, k.stock, p.per_order_limit
        FROM sku AS k JOIN product AS p ON p.id = k.product_id
        WHERE k.id IN {ids_sql}
        ORDER BY k.id
        """,
        **params,
    )
    specs = _spec_values(tx, {row[1] for row in rows if row[5]})
    found = {}
    for sku_id, product_id, shop_id, name_zh, name_en, key, picture, price, stock, limit in rows:
        values = [specs[(product_id, i, v)] for i, v in enumerate(parse_spec_key(key))]
        spec = Localized(" / ".join(v.zh for v in values), " / ".join(v.en for v in values))
        found[sku_id] = SkuForSale(
            sku_id=sku_id,
            product_id=product_id,
            shop_id=shop_id,
            name=Localized(name_zh, name_en),
            spec=spec,
            picture_id=picture,
            price=price,
            stock=stock,
            per_order_limit=limit,
        )
    return found


def shops_for_sale(tx: Transaction, shop_ids: Iterable[int]) -> dict[int, ShopForSale]:
    """Shops with their shipping templates, by id (in ascending id order)."""
    ids = sorted(set(shop_ids))
    if not ids:
        return {}
    ids_sql, params = in_list("shop", ids)
    fees: dict[int, dict[str, int]] = {shop_id: {} for shop_id in ids}
    for shop_id, province, fee in tx.fetch_all(
        f"SELECT shop_id, province, fee FROM shipping_rate WHERE shop_id IN {ids_sql}", **params
    ):
        fees[shop_id][province] = fee
    return {
        shop_id: ShopForSale(
            shop_id, Localized(zh, en), ShippingTemplate(default, threshold, fees[shop_id])
        )
        for shop_id, zh, en, default, threshold in tx.fetch_all(
            "SELECT id, name_zh, name_en, default_freight, free_shipping_threshold FROM shop"
            f" WHERE id IN {ids_sql} ORDER BY id",
            **params,
        )
    }


def _spec_values(tx: Transaction, product_ids: set[int]) -> dict[tuple[int, int, int], Localized]:
    if not product_ids:
        return {}
    ids_sql, params = in_list("product", sorted(product_ids))
    rows = tx.fetch_all(
        f"""
        SELECT s.product_id, s.position, v.position, v.value_zh, v.value_en
        FROM product_spec AS s JOIN spec_value AS v ON v.spec_id = s.id
        WHERE s.product_id IN {ids_sql}
        """,
        **params,
    )
    return {(p, s, v): Localized(zh, en) for p, s, v, zh, en in rows}
