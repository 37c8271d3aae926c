"""Granting coupons from templates: once per grant key, never beyond a campaign's total.

Kept apart from `coupons` so that account creation can grant the new-user gift without
depending on the rest of the coupon services.

Both rules hold with any number of writers at once: the template's `claimed` counter
only moves by a conditional update (`claimed < total`), and the coupon row is written
with `ON CONFLICT (grant_key) DO NOTHING`, so that of two transactions granting one key
the second writes nothing (and gives its claim back) instead of failing.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from kstui.store.interface import Transaction, from_db_time


def grant(
    tx: Transaction, account_id: int, template_id: int, grant_key: str, now: datetime
) -> int | None:
    """Give the account a coupon of the template once per `grant_key`; its id.

    None when the key was used already or the campaign has none left (or is over).
    Must run inside a write transaction.
    """
    if tx.fetch_one("SELECT 1 FROM coupon WHERE grant_key = :key", key=grant_key):
        return None
    row = tx.fetch_one(
        "SELECT starts_at, ends_at, valid_days FROM coupon_template WHERE id = :id",
        id=template_id,
    )
    if row is None:
        return None
    starts, ends, valid_days = from_db_time(row[0]), from_db_time(row[1]), row[2]
    if not starts <= now < ends:
        return None
    taken = tx.execute(
        "UPDATE coupon_template SET claimed = claimed + 1 WHERE id = :id AND claimed < total",
        id=template_id,
    )
    if not taken:
        return None
    until = ends if valid_days is None else min(ends, now + timedelta(days=int(valid_days)))
    coupon_id = tx.fetch_value(
        "INSERT INTO coupon (account_id, template_id, grant_key, granted_at, valid_from,"
        " valid_until) VALUES (:account, :template, :key, :now, :now, :until)"
        " ON CONFLICT (grant_key) DO NOTHING RETURNING id",
        account=account_id,
        template=template_id,
        key=grant_key,
        now=now,
        until=until,
    )
    if coupon_id is None:  # granted meanwhile by another transaction: the claim goes back
        tx.execute(
            "UPDATE coupon_template SET claimed = claimed - 1 WHERE id = :id", id=template_id
        )
        return None
    return int(coupon_id)


def grant_new_user_coupons(tx: Transaction, account_id: int, now: datetime) -> list[int]:
    """The new-user gift (新人券) of a freshly created account; the coupons' ids."""
    templates = tx.fetch_all("SELECT id FROM coupon_template WHERE new_user ORDER BY id")
    granted = [
        grant(tx, account_id, tid, f"new_user:{tid}:{account_id}", now) for (tid,) in templates
    ]
    return [g for g in granted if g is not None]
