"""What the device remembers between runs: its login token and its id.

Kept in a small JSON file beside the store (readable by the user only), so that
`kstui` stays logged in until logout or expiry. The store itself only has the
token's hash.
"""

from __future__ import annotations

import json
import os
import secrets
from dataclasses import asdict, dataclass, replace
from pathlib import Path


@dataclass(frozen=True)
class ClientState:
    """The device's id (for the simulated 微信/QQ) and its login token, if any."""

    device_id: str
    token: str | None = None

    @staticmethod
    def path_for(db_path: Path) -> Path:
        """The state file of the store at `db_path`."""
        return db_path.with_name(db_path.name + ".client.json")

    @classmethod
    def load(cls, path: Path, *, device_id: str | None = None) -> ClientState:
        """Read the state, or start a new one (a damaged file counts as none)."""
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            state = cls(device_id=str(data["device_id"]), token=data.get("token") or None)
        except (OSError, ValueError, KeyError, TypeError):
            state = cls(device_id=device_id or secrets.token_hex(16))
        return replace(state, device_id=device_id) if device_id else state

    def with_token(self, token: str | None) -> ClientState:
        """The same device with another (or no) token."""
        return replace(self, token=token)

    def save(self, path: Path) -> None:
        """Write the state, readable by the owner only."""
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(path.name + ".tmp")
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as file:
            json.dump(asdict(self), file)
        temporary.replace(path)
