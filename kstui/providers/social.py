"""Simulated 微信 / QQ authorization: which third-party account this device logs in with.

A real app would open WeChat or QQ and get back an OpenID after the user agrees. The
simulation gives each device one stable identity per provider, derived from the
device's id, so that logging in again with WeChat finds the same linked account.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from enum import StrEnum


class SocialProvider(StrEnum):
    """Third parties that can log a shopper in."""

    WECHAT = "wechat"
    QQ = "qq"


@dataclass(frozen=True)
class SocialIdentity:
    """What the provider tells after the user agreed: a stable id and a nickname."""

    provider: SocialProvider
    subject: str
    nickname: str


def device_identity(provider: SocialProvider, device_id: str) -> SocialIdentity:
    """The simulated account of `provider` signed in on this device."""
    digest = hashlib.sha256(f"{provider.value}:{device_id}".encode()).hexdigest()
    label = "微信用户" if provider is SocialProvider.WECHAT else "QQ用户"
    return SocialIdentity(provider, f"{provider.value}-{digest[:24]}", f"{label}{digest[:4]}")
