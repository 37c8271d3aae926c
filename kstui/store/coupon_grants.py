"""Granting coupons from templates: once per grant key, never beyond a campaign's total.

Kept apart from `coupons` so that account creation can grant the new-user gift without
depending on the rest of the coupon services.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta

from kstui.store.db import db_time, from_db_time


def grant(
    conn: sqlite3.Connection, account_id: int, template_id: int, grant_key: str, now: datetime
) -> int | None:
    """Give the account a coupon of the template once per `grant_key`; its id.

    None when the key was used already or the campaign has none left (or is over).
    Must run inside a write transaction.
    """
    if conn.execute("SELECT 1 FROM coupon WHERE grant_key = ?", (grant_key,)).fetchone():
        return None
    row = conn.execute(
        "SELECT starts_at, ends_at, valid_days FROM coupon_template WHERE id = ?",
        (template_id,),
    ).fetchone()
    if row is None:
        return None
    starts, ends, valid_days = from_db_time(row[0]), from_db_time(row[1]), row[2]
    if not starts <= now < ends:
        return None
    taken = conn.execute(
        "UPDATE coupon_template SET claimed = claimed + 1 WHERE id = ? AND claimed < total",
        (template_id,),
    ).rowcount
    if not taken:
        return None
    until = ends if valid_days is None else min(ends, now + timedelta(days=int(valid_days)))
    cursor = conn.execute(
        "INSERT INTO coupon (account_id, template_id, grant_key, granted_at, valid_from,"
        " valid_until) VALUES (?, ?, ?, ?, ?, ?)",
        (account_id, template_id, grant_key, db_time(now), db_time(now), db_time(until)),
    )
    return int(cursor.lastrowid or 0)


def grant_new_user_coupons(conn: sqlite3.Connection, account_id: int, now: datetime) -> list[int]:
    """The new-user gift (新人券) of a freshly created account; the coupons' ids."""
    templates = conn.execute(
        "SELECT id FROM coupon_template WHERE new_user = 1 ORDER BY id"
    ).fetchall()
    granted = [
        grant(conn, account_id, tid, f"new_user:{tid}:{account_id}", now) for (tid,) in templates
    ]
    return [g for g in granted if g is not None]
