"""Coupons a shopper holds: claiming them, the gifts to new accounts, and using them.

A coupon is granted from a template (`coupon_template`) once per `grant_key`
(`claim:<template>:<account>`, `new_user:<template>:<account>`,
`checkin:<account>:<day>`), so that a double press or two processes granting at the
same moment give one coupon. A template's `claimed` counter only moves by a
conditional update (`claimed < total`), so a campaign is never over-claimed.

A held coupon is *usable* while it is valid (`valid_from <= now < valid_until`) and
not tied to an order. An unpaid order ties it (`checkout_id`); cancelling that order
unties it, paying it makes it used (`used_at`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from kstui.i18n import Localized
from kstui.providers.clock import Clock
from kstui.services.accounts.records import session_account
from kstui.services.errors import DomainError
from kstui.services.ids import storable
from kstui.services.ordering.pricing import CouponOffer
from kstui.store.coupon_grants import grant
from kstui.store.enums import CouponKind, CouponScope
from kstui.store.interface import Store, Transaction, from_db_time


class CouponGone(DomainError):
    """Every coupon of the campaign has been claimed, or the campaign is over."""

    key = "ordering.error.coupon_gone"


class AlreadyClaimed(DomainError):
    """The shopper already holds a coupon of this campaign."""

    key = "ordering.error.coupon_already_claimed"


class CouponNotClaimable(DomainError):
    """A template that is given, not claimed (new-user gifts, check-in rewards)."""

    key = "ordering.error.coupon_not_claimable"


class CouponState(StrEnum):
    """How a held coupon stands for the shopper."""

    USABLE = "usable"
    NOT_YET = "not_yet"
    IN_ORDER = "in_order"
    """Tied to an order waiting for payment."""
    USED = "used"
    EXPIRED = "expired"


@dataclass(frozen=True)
class CouponTerms:
    """What a coupon takes off, and where (shared by templates and held coupons)."""

    title: Localized
    scope: CouponScope
    shop_id: int | None
    shop_name: Localized | None
    kind: CouponKind
    threshold: int
    amount_off: int
    pay_percent: int


@dataclass(frozen=True)
class HeldCoupon:
    """A coupon in the shopper's 卡券包."""

    id: int
    template_id: int
    terms: CouponTerms
    valid_from: datetime
    valid_until: datetime
    state: CouponState

    def offer(self) -> CouponOffer:
        """The coupon as the pricing rules see it."""
        return _offer(self.id, self.terms, self.valid_until)


@dataclass(frozen=True)
class ClaimableCoupon:
    """A campaign in the claim centre (领券中心) or on a product page."""

    template_id: int
    terms: CouponTerms
    ends_at: datetime
    valid_days: int | None
    left: int
    claimed_by_me: bool


_TERMS_COLUMNS = """t.title_zh, t.title_en, t.scope, t.shop_id, s.name_zh, s.name_en, t.kind,
    t.threshold, t.amount_off, t.pay_percent"""
_TERMS_JOIN = "coupon_template AS t LEFT JOIN shop AS s ON s.id = t.shop_id"


def _terms(row: Sequence[Any]) -> CouponTerms:
    title_zh, title_en, scope, shop_id, shop_zh, shop_en, kind, threshold, off, percent = row
    return CouponTerms(
        title=Localized(title_zh, title_en),
        scope=CouponScope(scope),
        shop_id=shop_id,
        shop_name=Localized(shop_zh, shop_en) if shop_zh is not None else None,
        kind=CouponKind(kind),
        threshold=threshold,
        amount_off=off,
        pay_percent=percent,
    )


def _offer(coupon_id: int, terms: CouponTerms, valid_until: datetime) -> CouponOffer:
    return CouponOffer(
        id=coupon_id,
        shop_id=terms.shop_id,
        kind=terms.kind,
        threshold=terms.threshold,
        amount_off=terms.amount_off,
        pay_percent=terms.pay_percent,
        valid_until=valid_until,
    )


def template_terms(tx: Transaction, template_id: int) -> CouponTerms:
    """The terms of a coupon template."""
    row = tx.fetch_one(
        f"SELECT {_TERMS_COLUMNS} FROM {_TERMS_JOIN} WHERE t.id = :id", id=template_id
    )
    assert row is not None, template_id
    return _terms(row)


# -- granting -------------------------------------------------------------------------------


def claim(store: Store, token: str, template_id: int, *, clock: Clock) -> HeldCoupon:
    """领取 a coupon from the claim centre or a product page.

    Raises:
        NotLoggedIn, CouponNotClaimable, AlreadyClaimed, CouponGone.
    """
    now = clock.now()
    with store.writing() as tx:
        account_id = session_account(tx, token, clock=clock)
        if not storable(template_id):
            raise CouponGone()
        row = tx.fetch_one(
            "SELECT new_user, checkin_day FROM coupon_template WHERE id = :id", id=template_id
        )
        if row is None:
            raise CouponGone()
        if bool(row[0]) or row[1] is not None:
            raise CouponNotClaimable()
        key = f"claim:{template_id}:{account_id}"
        if _granted(tx, key):
            raise AlreadyClaimed()
        coupon_id = grant(tx, account_id, template_id, key, now)
        if coupon_id is None:
            if _granted(tx, key):  # claimed by another session at the same moment
                raise AlreadyClaimed()
            raise CouponGone()
        return held_coupons(tx, account_id, now, coupon_id=coupon_id)[0]


def _granted(tx: Transaction, grant_key: str) -> bool:
    return tx.fetch_one("SELECT 1 FROM coupon WHERE grant_key = :key", key=grant_key) is not None


# -- reading --------------------------------------------------------------------------------


def claimable(
    store: Store, token: str | None, *, clock: Clock, shop_id: int | None = None
) -> list[ClaimableCoupon]:
    """Campaigns running now that can be claimed (one shop's with `shop_id`).

    A guest (`token` None) sees them too; `claimed_by_me` is then False.
    """
    now = clock.now()
    with store.reading() as tx:
        account_id = session_account(tx, token, clock=clock) if token else None
        where = "" if shop_id is None else " AND t.shop_id = :shop"
        shop: dict[str, object] = {} if shop_id is None else {"shop": shop_id}
        rows = tx.fetch_all(
            f"""
            SELECT t.id, {_TERMS_COLUMNS}, t.ends_at, t.valid_days, t.total - t.claimed,
                   EXISTS (SELECT 1 FROM coupon AS c WHERE c.template_id = t.id
                           AND c.account_id = :account)
            FROM {_TERMS_JOIN}
            WHERE NOT t.new_user AND t.checkin_day IS NULL AND t.starts_at <= :now
              AND t.ends_at > :now{where}
            ORDER BY t.scope DESC, t.shop_id, t.threshold, t.id
            """,
            account=account_id or 0,
            now=now,
            **shop,
        )
    return [
        ClaimableCoupon(
            template_id=row[0],
            terms=_terms(row[1:11]),
            ends_at=from_db_time(row[11]),
            valid_days=row[12],
            left=row[13],
            claimed_by_me=bool(row[14]),
        )
        for row in rows
    ]


def my_coupons(store: Store, token: str, *, clock: Clock) -> list[HeldCoupon]:
    """Every coupon the shopper holds: usable first (soonest to expire first), then the
    rest, newest first."""
    with store.reading() as tx:
        account_id = session_account(tx, token, clock=clock)
        coupons = held_coupons(tx, account_id, clock.now())
    order = {CouponState.USABLE: 0, CouponState.NOT_YET: 1, CouponState.IN_ORDER: 2}
    usable = sorted(
        (c for c in coupons if c.state in order),
        key=lambda c: (order[c.state], c.valid_until, c.id),
    )
    rest = sorted((c for c in coupons if c.state not in order), key=lambda c: -c.id)
    return usable + rest


def usable_offers(tx: Transaction, account_id: int, now: datetime) -> list[CouponOffer]:
    """The coupons the account can use right now, as the pricing rules see them."""
    return [c.offer() for c in held_coupons(tx, account_id, now) if c.state is CouponState.USABLE]


def held_coupons(
    tx: Transaction, account_id: int, now: datetime, *, coupon_id: int | None = None
) -> list[HeldCoupon]:
    """The account's coupons (or one of them) and how each stands at `now`, by id."""
    where = "" if coupon_id is None else " AND c.id = :coupon"
    one: dict[str, object] = {} if coupon_id is None else {"coupon": coupon_id}
    rows = tx.fetch_all(
        f"""
        SELECT c.id, c.template_id, {_TERMS_COLUMNS}, c.valid_from, c.valid_until,
               c.checkout_id, c.used_at
        FROM coupon AS c JOIN coupon_template AS t ON t.id = c.template_id
        LEFT JOIN shop AS s ON s.id = t.shop_id
        WHERE c.account_id = :account{where}
        ORDER BY c.id
        """,
        account=account_id,
        **one,
    )
    held = []
    for row in rows:
        valid_from, valid_until = from_db_time(row[12]), from_db_time(row[13])
        if row[15] is not None:
            state = CouponState.USED
        elif row[14] is not None:
            state = CouponState.IN_ORDER
        elif now >= valid_until:
            state = CouponState.EXPIRED
        elif now < valid_from:
            state = CouponState.NOT_YET
        else:
            state = CouponState.USABLE
        held.append(
            HeldCoupon(
                id=row[0],
                template_id=row[1],
                terms=_terms(row[2:12]),
                valid_from=valid_from,
                valid_until=valid_until,
                state=state,
            )
        )
    return held


# -- tying to orders ------------------------------------------------------------------------


def tie_to_checkout(
    tx: Transaction,
    account_id: int,
    coupon_ids: list[int],
    checkout_id: int,
    now: datetime,
) -> bool:
    """Tie usable coupons to a new checkout; False if any is no longer usable (the caller
    then rolls back the ones tied).

    The update is conditional, so two checkouts racing for one coupon cannot both get it;
    the coupons are tied in the order of their ids, so two checkouts racing for the same
    coupons wait for each other instead of deadlocking.
    """
    for coupon_id in sorted(coupon_ids):
        tied = tx.execute(
            "UPDATE coupon SET checkout_id = :checkout WHERE id = :id AND account_id = :account"
            " AND checkout_id IS NULL AND used_at IS NULL AND valid_from <= :now"
            " AND valid_until > :now",
            checkout=checkout_id,
            id=coupon_id,
            account=account_id,
            now=now,
        )
        if not tied:
            return False
    return True


def release_checkout(tx: Transaction, checkout_id: int) -> None:
    """Untie the coupons of a checkout cancelled before payment (they can be used again)."""
    tx.execute(
        "UPDATE coupon SET checkout_id = NULL WHERE checkout_id = :checkout AND used_at IS NULL",
        checkout=checkout_id,
    )


def use_checkout(tx: Transaction, checkout_id: int, now: datetime) -> None:
    """Mark the coupons of a paid checkout as used."""
    tx.execute(
        "UPDATE coupon SET used_at = :now WHERE checkout_id = :checkout AND used_at IS NULL",
        now=now,
        checkout=checkout_id,
    )
