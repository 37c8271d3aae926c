"""How one run of kstui is set up: which store, which language, how it looks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from kstui.i18n import Lang
from kstui.services.catalog.regions import DEFAULT_PROVINCE

MIN_WIDTH = 80
MIN_HEIGHT = 24
DEVICE_KINDS = ("terminal",)
"""Kinds of kstui client with a translated name (`device.<kind>`) in the list of devices."""


def default_db_path() -> Path:
    """The store in the user's data directory (e.g. ~/.local/share/kstui/kstui.db)."""
    from platformdirs import user_data_path

    return user_data_path("kstui", appauthor=False) / "kstui.db"


def store_home(location: str | Path) -> Path:
    """The file a store's side files are named after: the login token beside it
    (`….client.json`) and the crash log in its folder (`kstui-error.log`).

    A SQLite store is its own file. A PostgreSQL store has no file: its side files go to
    the user's data directory, named after the database (never after its password).
    """
    if isinstance(location, Path):
        return location
    import hashlib

    from kstui.store.postgres import public_url

    digest = hashlib.sha256(public_url(location).encode()).hexdigest()[:12]
    return default_db_path().with_name(f"postgresql-{digest}")


@dataclass(frozen=True)
class Settings:
    """Options of one run.

    Attributes:
        db_path: The store's file (`store_home`): its side files are named after it.
        lang: Language of every text (`zh` by default, `en`).
        animations: False for tests and snapshots (no animation, no blinking cursor).
        page_size: Products fetched per page of the catalogue list.
        province: Where freight is estimated to before the shopper has an address.
        device: How this kind of client is named in the list of logged-in devices.
        device_id: Fixes the device's id (tests); normally made once and kept.
        demo_sms: Show every SMS sent to the shopper as a notification.
        pay_timeout: How long a submitted order waits for payment before it cancels.
        demo_speed: How many times faster than real time the world clock runs while the
            app is open (1: normal; `--demo-speed`).
        catch_up_seconds: How often the app delivers what fell due (payment notifications,
            unpaid orders to cancel); 0 for never (tests that move the clock themselves).
    """

    db_path: Path
    lang: Lang = "zh"
    animations: bool = True
    page_size: int = 60
    province: str = DEFAULT_PROVINCE
    device: str = "terminal"
    device_id: str | None = None
    demo_sms: bool = True
    pay_timeout: timedelta = timedelta(minutes=15)
    demo_speed: int = 1
    catch_up_seconds: float = 1.0
