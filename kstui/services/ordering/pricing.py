"""The money rules of a checkout: coupons, their discounts, and who pays which fen.

Everything here is pure integer arithmetic on fen: no database, no clock, no float.

A checkout holds the goods of one or more stores; each store becomes one order.
A shopper may use at most one store coupon per store and at most one platform
coupon for the whole checkout.

* A coupon takes nothing off below its threshold. Above it, an amount-off coupon
  (满X减Y; a zero threshold is 无门槛) takes its amount off, and a discount coupon
  (打折) takes off what the shopper would not pay at its rate, rounded down so the
  shopper never gets more than the rate. Goods never cost less than ¥0.01: a
  coupon never takes off more than its base minus one fen.
* A store coupon applies to its store's goods only (freight is never discounted).
* The platform coupon applies to what the goods of all stores cost after their
  store coupons, so a store coupon can push the checkout below the platform
  coupon's threshold. Its discount is shared out among the stores in proportion
  to what each store's goods still cost above one fen, so that every order keeps
  at least one fen of goods and can be paid and refunded on its own.
* Inside a store, its discounts are shared out among its lines in proportion to
  their amounts. Refunding one line then refunds exactly what was paid for it.
* Every split uses the largest-remainder method (`allocate`): the parts are whole
  fen, add up exactly, and the leftover fen go to the largest remainders, earlier
  parts first on a tie, so the same input always gives the same split.
* A selection naming a coupon that cannot apply is refused with
  `CouponNotApplicable`, never silently dropped: the shopper must see the price
  they will pay.
* The pre-selected combination (`best_selection`) is the one taking the most off;
  among equals it spends the coupons that expire first, then fewer coupons, then
  the lowest ids, and it never spends a coupon that could be kept for the same
  discount.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from kstui.services.errors import DomainError
from kstui.store.enums import CouponKind

MAX_COMBINATIONS = 5_000
"""Above this many store-coupon combinations `best_selection` stops being exhaustive."""


class CouponNotApplicable(DomainError):
    """A selected coupon cannot be used on this checkout.

    Params: `coupon_id`, and `reason`: `unknown` (not a coupon the shopper holds),
    `shop_not_in_checkout`, `wrong_shop` (another store's coupon),
    `platform_as_shop`, `shop_as_platform`, or `threshold` (with `shortfall`, the
    fen of goods missing).
    """

    key = "ordering.error.coupon_not_applicable"


@dataclass(frozen=True)
class CouponOffer:
    """A coupon the shopper holds that might apply.

    Attributes:
        id: The held coupon's id.
        shop_id: The store it belongs to; None for a platform coupon.
        kind: `AMOUNT_OFF` (满X减Y) or `DISCOUNT` (pay `pay_percent` percent).
        threshold: Fen of goods the base must reach (0: 无门槛).
        amount_off: Fen taken off, for `AMOUNT_OFF`.
        pay_percent: Percent the shopper pays, for `DISCOUNT` (95 = 9.5折).
        valid_until: When it expires; among equal discounts the earliest is spent.
    """

    id: int
    shop_id: int | None
    kind: CouponKind
    threshold: int
    amount_off: int
    pay_percent: int
    valid_until: datetime

    def __post_init__(self) -> None:
        if self.threshold < 0:
            raise ValueError(f"coupon {self.id}: negative threshold")
        if self.kind is CouponKind.AMOUNT_OFF and self.amount_off < 0:
            raise ValueError(f"coupon {self.id}: negative amount_off")
        if self.kind is CouponKind.DISCOUNT and not 0 < self.pay_percent < 100:
            raise ValueError(f"coupon {self.id}: pay_percent must be within 1..99")


@dataclass(frozen=True)
class ShopGoods:
    """One store's part of a checkout, as the caller priced it.

    Attributes:
        shop_id: The store.
        line_amounts: Fen per line (unit price × quantity), each at least 1.
        freight: Fen of freight, already computed from the store's template.
    """

    shop_id: int
    line_amounts: tuple[int, ...]
    freight: int

    def __post_init__(self) -> None:
        if not self.line_amounts:
            raise ValueError(f"shop {self.shop_id}: no lines")
        if any(amount < 1 for amount in self.line_amounts):
            raise ValueError(f"shop {self.shop_id}: a line amount below 1 fen")
        if self.freight < 0:
            raise ValueError(f"shop {self.shop_id}: negative freight")

    @property
    def goods_total(self) -> int:
        """Fen of goods before any coupon."""
        return sum(self.line_amounts)


@dataclass(frozen=True)
class Selection:
    """Which coupons a checkout uses.

    Attributes:
        shop_coupons: Store id → offer id; stores without a coupon are absent.
        platform_coupon: The platform offer id, or None.
    """

    shop_coupons: Mapping[int, int] = field(default_factory=dict)
    platform_coupon: int | None = None


@dataclass(frozen=True)
class PricedShop:
    """One store's order, priced.

    Attributes:
        shop_id: The store.
        goods_total: Fen of goods before coupons.
        freight: Fen of freight (never discounted).
        shop_discount: Fen taken off by the store coupon.
        platform_discount: This store's share of the platform coupon.
        line_discounts: Per line, in the order of `ShopGoods.line_amounts`: its share
            of both discounts (what a refund of that line gives back less).
    """

    shop_id: int
    goods_total: int
    freight: int
    shop_discount: int
    platform_discount: int
    line_discounts: tuple[int, ...]

    @property
    def discount(self) -> int:
        """Fen taken off this store's goods by all coupons."""
        return self.shop_discount + self.platform_discount

    @property
    def total(self) -> int:
        """Fen the shopper pays for this store's order."""
        return self.goods_total + self.freight - self.discount


@dataclass(frozen=True)
class PricedCheckout:
    """A whole checkout, priced: one `PricedShop` per store, in the caller's order."""

    shops: tuple[PricedShop, ...]
    selection: Selection

    @property
    def goods_total(self) -> int:
        """Fen of goods before coupons, all stores."""
        return sum(shop.goods_total for shop in self.shops)

    @property
    def freight(self) -> int:
        """Fen of freight, all stores."""
        return sum(shop.freight for shop in self.shops)

    @property
    def shop_discount(self) -> int:
        """Fen taken off by store coupons."""
        return sum(shop.shop_discount for shop in self.shops)

    @property
    def platform_discount(self) -> int:
        """Fen taken off by the platform coupon."""
        return sum(shop.platform_discount for shop in self.shops)

    @property
    def discount(self) -> int:
        """Fen taken off by all coupons."""
        return self.shop_discount + self.platform_discount

    @property
    def total(self) -> int:
        """Fen the shopper pays for the whole checkout."""
        return sum(shop.total for shop in self.shops)


def allocate(total: int, weights: Sequence[int]) -> list[int]:
    """Split `total` fen in proportion to `weights` (largest-remainder method).

    Each part first gets the floor of its exact share; the fen left over go one each
    to the parts with the largest remainders, the earlier part first on a tie. The
    parts therefore add up to `total` exactly, each is within one fen of its exact
    share and at most its weight, and the result depends only on the input.

    Args:
        total: Fen to split, from 0 to `sum(weights)`.
        weights: Non-negative weights (typically amounts in fen).

    Returns:
        One part per weight, in the same order; a zero weight gets 0.

    Raises:
        ValueError: A negative weight, a negative total, or a total above the sum of
            the weights (some part would exceed its weight).
    """
    if any(weight < 0 for weight in weights):
        raise ValueError("negative weight")
    weight_sum = sum(weights)
    if total < 0 or total > weight_sum:
        raise ValueError(f"cannot split {total} over weights summing to {weight_sum}")
    if total == 0:
        return [0] * len(weights)
    shares = [divmod(total * weight, weight_sum) for weight in weights]
    parts = [floor for floor, _ in shares]
    leftover = total - sum(parts)
    # Fewer leftover fen than parts with a non-zero remainder, so zero weights
    # (remainder 0) never get one.
    by_remainder = sorted(range(len(weights)), key=lambda i: (-shares[i][1], i))
    for index in by_remainder[:leftover]:
        parts[index] += 1
    return parts


def coupon_discount(offer: CouponOffer, base: int) -> int:
    """Fen an offer takes off `base` fen of goods.

    A discount coupon rounds down (the shopper never gets more than the rate). The
    result is capped at `base - 1` so the goods cost at least one fen: an order of
    ¥0.00 could be neither paid nor partly refunded.

    Args:
        offer: The coupon.
        base: Fen of goods it applies to.

    Returns:
        0 below the threshold, else the discount, capped.
    """
    if base < offer.threshold:
        return 0
    if offer.kind is CouponKind.AMOUNT_OFF:
        discount = offer.amount_off
    else:
        discount = base * (100 - offer.pay_percent) // 100
    return max(0, min(discount, base - 1))


def shortfall(offer: CouponOffer, base: int) -> int:
    """Fen of goods missing for `base` to reach the offer's threshold (0 if reached).

    Shown as 再买¥X可用 next to a coupon that does not apply yet.
    """
    return max(0, offer.threshold - base)


def price(
    shops: Sequence[ShopGoods], offers: Sequence[CouponOffer], selection: Selection
) -> PricedCheckout:
    """Price a checkout with the coupons of `selection`.

    Args:
        shops: Each store's goods and freight; the result keeps this order.
        offers: The coupons the shopper holds (the selection names them by id).
        selection: The coupons to use.

    Returns:
        The priced checkout: per store, its discounts and each line's share.

    Raises:
        CouponNotApplicable: The selection names a coupon that is not held, belongs
            to another store or to a store not in the checkout, is a platform coupon
            used as a store coupon or the reverse, or whose threshold is not reached.
        ValueError: Two offers with one id, or a store twice.
    """
    by_id = _offers_by_id(offers)
    goods = [shop.goods_total for shop in shops]
    shop_ids = _shop_ids(shops)

    for shop_id, offer_id in selection.shop_coupons.items():
        if shop_id not in shop_ids:
            raise CouponNotApplicable(coupon_id=offer_id, reason="shop_not_in_checkout")
        offer = by_id.get(offer_id)
        if offer is None:
            raise CouponNotApplicable(coupon_id=offer_id, reason="unknown")
        if offer.shop_id is None:
            raise CouponNotApplicable(coupon_id=offer_id, reason="platform_as_shop")
        if offer.shop_id != shop_id:
            raise CouponNotApplicable(coupon_id=offer_id, reason="wrong_shop")

    shop_discounts = []
    for shop, goods_total in zip(shops, goods, strict=True):
        chosen = selection.shop_coupons.get(shop.shop_id)
        if chosen is None:
            shop_discounts.append(0)
            continue
        offer = by_id[chosen]
        _check_threshold(offer, goods_total)
        shop_discounts.append(coupon_discount(offer, goods_total))

    # What each store's goods still cost above the one fen they must keep.
    room = [g - d - 1 for g, d in zip(goods, shop_discounts, strict=True)]
    platform_total = 0
    if selection.platform_coupon is not None:
        offer = by_id.get(selection.platform_coupon)
        if offer is None:
            raise CouponNotApplicable(coupon_id=selection.platform_coupon, reason="unknown")
        if offer.shop_id is not None:
            raise CouponNotApplicable(coupon_id=offer.id, reason="shop_as_platform")
        base = sum(goods) - sum(shop_discounts)
        _check_threshold(offer, base)
        platform_total = _platform_discount(offer, base, len(shops))
    platform_shares = allocate(platform_total, room)

    priced = []
    for shop, goods_total, shop_discount, platform_share in zip(
        shops, goods, shop_discounts, platform_shares, strict=True
    ):
        lines = allocate(shop_discount + platform_share, shop.line_amounts)
        priced.append(
            PricedShop(
                shop_id=shop.shop_id,
                goods_total=goods_total,
                freight=shop.freight,
                shop_discount=shop_discount,
                platform_discount=platform_share,
                line_discounts=tuple(lines),
            )
        )
    return PricedCheckout(shops=tuple(priced), selection=selection)


def best_selection(shops: Sequence[ShopGoods], offers: Sequence[CouponOffer]) -> Selection:
    """The combination of coupons that takes the most off, to pre-select at checkout.

    It is exact: store coupons and the platform coupon interact (a bigger store
    discount can push the platform coupon's base under its threshold), so the
    combinations are searched rather than chosen store by store. Among combinations
    taking off the same amount it prefers the one whose coupons' expiry dates,
    sorted, compare first as lists (so the coupon that expires first is spent), then
    fewer coupons, then the lowest ids (sorted). The result does not depend on the
    order of `offers`.

    It never spends a coupon for nothing: a combination is left out when one of its
    coupons could be dropped for the same discount (a coupon that takes nothing off,
    or a store coupon whose saving the capped platform coupon would give anyway).
    Without this rule the expiry preference would add such a coupon whenever it
    expires early, since `[1 May, 9 May] < [9 May]`.

    Before searching, each store keeps one coupon per distinct discount it gives (the
    preferred one: another with the same discount can only compare worse), and
    identical platform coupons likewise. If the product of the stores' option counts
    (each coupon, or none) still exceeds `MAX_COMBINATIONS`, it falls back to a
    greedy pass: for each platform choice, store by store, the option that takes the
    most off given the stores before it, then drops the coupons not needed. That
    result is valid but not always the best.

    Cost (measured on a laptop-class CPU): about 0.5 ms for a typical cart (3 stores
    with 3 coupons each, 5 platform coupons); 4 ms at the cap (4 096 store
    combinations × 11 platform choices), up to 50 ms when most combinations tie on
    the amount; about 1 ms for 10 stores with 10 coupons each (greedy).

    Args:
        shops: Each store's goods and freight.
        offers: The coupons the shopper holds, applicable or not.

    Returns:
        A selection that `price` accepts.

    Raises:
        ValueError: Two offers with one id, or a store twice.
    """
    _offers_by_id(offers)
    _shop_ids(shops)
    goods = [shop.goods_total for shop in shops]
    search = _Search(
        goods_sum=sum(goods),
        store_count=len(shops),
        shop_ids=[shop.shop_id for shop in shops],
        options=[
            _store_options(shop, total, offers) for shop, total in zip(shops, goods, strict=True)
        ],
        platforms=[None, *_platform_options(offers)],
    )
    if math.prod(len(options) for options in search.options) <= MAX_COMBINATIONS:
        return search.exhaustive()
    return search.greedy()


_Option = tuple[int, CouponOffer | None]
"""A store's choice: the fen it takes off, and the coupon (None: no coupon)."""

_Key = tuple[int, tuple[datetime, ...], int, tuple[int, ...]]
"""Order of preference between selections: smaller is better."""


@dataclass
class _Search:
    """The search space of `best_selection` and the two ways to search it."""

    goods_sum: int
    store_count: int
    shop_ids: list[int]
    options: list[list[_Option]]
    platforms: list[CouponOffer | None]

    def exhaustive(self) -> Selection:
        """The preferred selection among all combinations."""
        best: tuple[_Key, Selection] | None = None
        for combination in itertools.product(*self.options):
            store_discount = sum(discount for discount, _ in combination)
            for platform in self.platforms:
                discount = self._platform(platform, store_discount)
                if platform is not None and discount == 0:
                    continue
                total = store_discount + discount
                # Most combinations lose on the amount: skip building their key.
                if best is not None and -total > best[0][0]:
                    continue
                if self._spares_a_coupon(combination, platform, total):
                    continue  # the combination without that coupon is searched too
                key = _key(total, combination, platform)
                if best is None or key < best[0]:
                    best = (key, self._selection(combination, platform))
        assert best is not None  # the empty selection is always a candidate
        return best[1]

    def greedy(self) -> Selection:
        """A good selection when there are too many combinations to search them all."""
        best: tuple[_Key, Selection] | None = None
        for platform in self.platforms:
            chosen: list[_Option] = []
            store_discount = 0
            for options in self.options:
                # Options start with "no coupon" and are sorted by preference, so a
                # strict comparison keeps the preferred option among equals.
                pick = options[0]
                pick_total = -1
                for option in options:
                    option_total = store_discount + option[0]
                    option_total += self._platform(platform, option_total)
                    if option_total > pick_total:
                        pick, pick_total = option, option_total
                chosen.append(pick)
                store_discount += pick[0]
            total = store_discount + self._platform(platform, store_discount)
            # Drop the store coupons the total does not need. The total only grows with
            # the store discount, so once a coupon is needed it stays needed: one pass.
            for index, (discount, offer) in enumerate(chosen):
                without = store_discount - discount
                if offer is not None and without + self._platform(platform, without) == total:
                    chosen[index] = (0, None)
                    store_discount = without
            used = platform if total > store_discount else None
            key = _key(total, chosen, used)
            if best is None or key < best[0]:
                best = (key, self._selection(chosen, used))
        assert best is not None
        return best[1]

    def _spares_a_coupon(
        self, combination: Sequence[_Option], platform: CouponOffer | None, total: int
    ) -> bool:
        """Whether one of the store coupons could be left out for the same total."""
        store_discount = sum(discount for discount, _ in combination)
        for discount, offer in combination:
            if offer is not None:
                without = store_discount - discount
                if without + self._platform(platform, without) == total:
                    return True
        return False

    def _platform(self, platform: CouponOffer | None, store_discount: int) -> int:
        """What the platform coupon takes off given the stores' discounts (as `price`)."""
        if platform is None:
            return 0
        base = self.goods_sum - store_discount
        if base < platform.threshold:
            return 0
        return _platform_discount(platform, base, self.store_count)

    def _selection(self, combination: Iterable[_Option], platform: CouponOffer | None) -> Selection:
        shop_coupons = {
            shop_id: offer.id
            for shop_id, (_, offer) in zip(self.shop_ids, combination, strict=True)
            if offer is not None
        }
        return Selection(
            shop_coupons=shop_coupons, platform_coupon=None if platform is None else platform.id
        )


def _key(total: int, combination: Iterable[_Option], platform: CouponOffer | None) -> _Key:
    used = [offer for _, offer in combination if offer is not None]
    if platform is not None:
        used.append(platform)
    return (
        -total,
        tuple(sorted(offer.valid_until for offer in used)),
        len(used),
        tuple(sorted(offer.id for offer in used)),
    )


def _preference(offer: CouponOffer) -> tuple[datetime, int]:
    return (offer.valid_until, offer.id)


def _store_options(
    shop: ShopGoods, goods_total: int, offers: Sequence[CouponOffer]
) -> list[_Option]:
    """No coupon, then one coupon per distinct positive discount, the preferred one."""
    by_discount: dict[int, CouponOffer] = {}
    for offer in sorted(offers, key=_preference):
        if offer.shop_id != shop.shop_id:
            continue
        discount = coupon_discount(offer, goods_total)
        if discount > 0:
            by_discount.setdefault(discount, offer)
    options: list[_Option] = [(0, None)]
    options.extend((discount, offer) for discount, offer in by_discount.items())
    return options


def _platform_options(offers: Sequence[CouponOffer]) -> list[CouponOffer]:
    """The platform offers, one per distinct rule, the preferred one."""
    by_rule: dict[tuple[CouponKind, int, int], CouponOffer] = {}
    for offer in sorted(offers, key=_preference):
        if offer.shop_id is not None:
            continue
        size = offer.amount_off if offer.kind is CouponKind.AMOUNT_OFF else offer.pay_percent
        by_rule.setdefault((offer.kind, offer.threshold, size), offer)
    return list(by_rule.values())


def _platform_discount(offer: CouponOffer, base: int, store_count: int) -> int:
    # Each store keeps one fen of goods: at most base - store_count can be taken off.
    return max(0, min(coupon_discount(offer, base), base - store_count))


def _check_threshold(offer: CouponOffer, base: int) -> None:
    missing = shortfall(offer, base)
    if missing:
        raise CouponNotApplicable(coupon_id=offer.id, reason="threshold", shortfall=missing)


def _offers_by_id(offers: Sequence[CouponOffer]) -> dict[int, CouponOffer]:
    by_id = {offer.id: offer for offer in offers}
    if len(by_id) != len(offers):
        raise ValueError("two offers with the same id")
    return by_id


def _shop_ids(shops: Sequence[ShopGoods]) -> set[int]:
    ids = {shop.shop_id for shop in shops}
    if len(ids) != len(shops):
        raise ValueError("a store appears twice")
    return ids
