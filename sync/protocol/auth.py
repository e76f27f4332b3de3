"""Login, device registration and token refresh."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import Field

from sync.protocol.common import Identifier, WireModel

PlatformRole = Literal["platform_admin", "lead_auditor", "auditor", "auditee"]


class DeviceInfo(WireModel):
    """The device logging in; a new ``device_id`` registers it for this user."""

    device_id: Identifier | None = Field(default=None, description="omit on first login to be given one")
    name: str = Field(min_length=1, max_length=100)
    platform: str = Field(default="", max_length=100)


class LoginRequest(WireModel):
    username: str = Field(min_length=1, max_length=100)
    password: str = Field(min_length=1, max_length=1024)
    device: DeviceInfo


class RefreshRequest(WireModel):
    refresh_token: str = Field(min_length=1, max_length=512)


class LogoutRequest(WireModel):
    refresh_token: str = Field(min_length=1, max_length=512)


class TokenPair(WireModel):
    """Keep both inside the encrypted profile store, never in a plain file."""

    access_token: str
    access_expires_at: datetime
    refresh_token: str
    refresh_expires_at: datetime
    token_type: Literal["Bearer"] = "Bearer"
    user_id: str
    username: str
    display_name: str
    role: PlatformRole
    device_id: str
