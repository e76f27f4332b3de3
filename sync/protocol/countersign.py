"""``POST /signing/countersign`` and ``GET /signing/platform-key``: the platform's timestamp token.

The platform countersigns only a signature it already holds (pushed through ``/sync/push``) with the
same hash and public key, from a member of the audit; the token says which device it saw it from.
The platform signs ``sha256(canonical_json(token))`` (sorted keys, no spaces, UTF-8) with Ed25519.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from sync.protocol.common import Identifier, WireModel

COUNTERSIGN_FORMAT: Literal["fieldaudit/countersign/1"] = "fieldaudit/countersign/1"
SHA256 = r"^[0-9a-f]{64}$"


class CountersignRequest(WireModel):
    audit_id: Identifier
    signature_id: Identifier
    signed_hash: str = Field(pattern=SHA256)
    public_key: str = Field(min_length=64, max_length=2000, pattern=r"^[0-9a-f]+$")


class CountersignToken(WireModel):
    format: Literal["fieldaudit/countersign/1"] = COUNTERSIGN_FORMAT
    audit_id: str
    signature_id: str
    signed_hash: str
    public_key: str = Field(description="the device key that made the signature")
    device_id: str = Field(description="the device the platform received the signature from")
    user_id: str
    time: str = Field(description="the platform's time when it countersigned (ISO 8601, UTC)")
    platform_key_id: str


class CountersignResponse(WireModel):
    token: CountersignToken
    signature: str = Field(description="Ed25519 signature (hex) over sha256(canonical_json(token))")
    public_key: str = Field(description="the platform's Ed25519 public key (hex)")
    algorithm: Literal["ed25519"] = "ed25519"


class PlatformKeyResponse(WireModel):
    public_key: str
    key_id: str
    algorithm: Literal["ed25519"] = "ed25519"
