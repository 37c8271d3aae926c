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

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from kstui.i18n import Localized
from kstui.providers.clock import Clock
from kstui.services.accounts.records import session_account
from kstui.services.errors import DomainError
from kstui.services.ordering.pricing import CouponOffer
from kstui.store.coupon_grants import grant
from kstui.store.db import Store, db_time, from_db_time
from kstui.store.enums import CouponKind, CouponScope


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


def template_terms(conn: sqlite3.Connection, template_id: int) -> CouponTerms:
    """The terms of a coupon template."""
    row = conn.execute(
        f"SELECT {_TERMS_COLUMNS} FROM {_TERMS_JOIN} WHERE t.id = ?", (template_id,)
    ).fetchone()
    return _terms(row)


# -- granting -------------------------------------------------------------------------------


def claim(store: Store, token: str, template_id: int, *, clock: Clock) -> HeldCoupon:
    """领取 a coupon from the claim centre or a product page.

    Raises:
        NotLoggedIn, CouponNotClaimable, AlreadyClaimed, CouponGone.
    """
    now = clock.now()
    with store.writing() as conn:
        account_id = session_account(conn, token, clock=clock)
        row = conn.execute(
            "SELECT new_user, checkin_day FROM coupon_template WHERE id = ?", (template_id,)
        ).fetchone()
        if row is None:
            raise CouponGone()
        if row[0] or row[1] is not None:
            raise CouponNotClaimable()
        key = f"claim:{template_id}:{account_id}"
        if conn.execute("SELECT 1 FROM coupon WHERE grant_key = ?", (key,)).fetchone():
            raise AlreadyClaimed()
        coupon_id = grant(conn, account_id, template_id, key, now)
        if coupon_id is None:
            raise CouponGone()
        return held_coupons(conn, account_id, now, coupon_id=coupon_id)[0]


# -- reading --------------------------------------------------------------------------------


def claimable(
    store: Store, token: str | None, *, clock: Clock, shop_id: int | None = None
) -> list[ClaimableCoupon]:
    """Campaigns running now that can be claimed (one shop's with `shop_id`).

    A guest (`token` None) sees them too; `claimed_by_me` is then False.
    """
    now = db_time(clock.now())
    with store.reading() as conn:
        account_id = session_account(conn, token, clock=clock) if token else None
        where = "" if shop_id is None else " AND t.shop_id = ?"
        params: tuple[object, ...] = (account_id or 0, now, now)
        rows = conn.execute(
            f"""
            SELECT t.id, {_TERMS_COLUMNS}, t.ends_at, t.valid_days, t.total - t.claimed,
                   EXISTS (SELECT 1 FROM coupon AS c WHERE c.template_id = t.id
                           AND c.account_id = ?)
            FROM {_TERMS_JOIN}
            WHERE t.new_user = 0 AND t.checkin_day IS NULL AND t.starts_at <= ?
              AND t.ends_at > ?{where}
            ORDER BY t.scope DESC, t.shop_id, t.threshold, t.id
            """,
            params + ((shop_id,) if shop_id is not None else ()),
        ).fetchall()
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
    with store.reading() as conn:
        account_id = session_account(conn, token, clock=clock)
        coupons = held_coupons(conn, account_id, clock.now())
    order = {CouponState.USABLE: 0, CouponState.NOT_YET: 1, CouponState.IN_ORDER: 2}
    usable = sorted(
        (c for c in coupons if c.state in order),
        key=lambda c: (order[c.state], c.valid_until, c.id),
    )
    rest = sorted((c for c in coupons if c.state not in order), key=lambda c: -c.id)
    return usable + rest


def usable_offers(conn: sqlite3.Connection, account_id: int, now: datetime) -> list[CouponOffer]:
    """The coupons the account can use right now, as the pricing rules see them."""
    return [c.offer() for c in held_coupons(conn, account_id, now) if c.state is CouponState.USABLE]


def held_coupons(
    conn: sqlite3.Connection, account_id: int, now: datetime, *, coupon_id: int | None = None
) -> list[HeldCoupon]:
    """The account's coupons (or one of them) and how each stands at `now`."""
    where = "" if coupon_id is None else " AND c.id = ?"
    rows = conn.execute(
        f"""
        SELECT c.id, c.template_id, {_TERMS_COLUMNS}, c.valid_from, c.valid_until,
               c.checkout_id, c.used_at
        FROM coupon AS c JOIN coupon_template AS t ON t.id = c.template_id
        LEFT JOIN shop AS s ON s.id = t.shop_id
        WHERE c.account_id = ?{where}
        """,
        (account_id,) + ((coupon_id,) if coupon_id is not None else ()),
    ).fetchall()
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
    conn: sqlite3.Connection,
    account_id: int,
    coupon_ids: list[int],
    checkout_id: int,
    now: datetime,
) -> bool:
    """Tie usable coupons to a new checkout; False (nothing tied) if any is no longer usable.

    The update is conditional, so two checkouts racing for one coupon cannot both get it.
    """
    stamp = db_time(now)
    for coupon_id in coupon_ids:
        tied = conn.execute(
            "UPDATE coupon SET checkout_id = ? WHERE id = ? AND account_id = ?"
            " AND checkout_id IS NULL AND used_at IS NULL AND valid_from <= ? AND valid_until > ?",
            (checkout_id, coupon_id, account_id, stamp, stamp),
        ).rowcount
        if not tied:
            return False
    return True


def release_checkout(conn: sqlite3.Connection, checkout_id: int) -> None:
    """Untie the coupons of a checkout cancelled before payment (they can be used again)."""
    conn.execute(
        "UPDATE coupon SET checkout_id = NULL WHERE checkout_id = ? AND used_at IS NULL",
        (checkout_id,),
    )


def use_checkout(conn: sqlite3.Connection, checkout_id: int, now: datetime) -> None:
    """Mark the coupons of a paid checkout as used."""
    conn.execute(
        "UPDATE coupon SET used_at = ? WHERE checkout_id = ? AND used_at IS NULL",
        (db_time(now), checkout_id),
    )
