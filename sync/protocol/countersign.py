"""``POST /signing/countersign`` and ``GET /signing/platform-key``: the platform's timestamp token.

The platform countersigns only a signature it already holds (pushed through ``/sync/push``) with the
same hash and public key, from a member of the audit; the token says which device it saw it from.
The platform signs ``sha256(canonical_json(token))`` (sorted keys, no spaces, UTF-8, fields that are
null left out) with Ed25519.

With ``?tsa=true`` (newer clients) and a time-stamping authority configured by the certification
body, the reply also carries an RFC 3161 token over SHA-256 of the signature's canonical envelope
(``tsa_token``, base64 DER) or, when the authority failed, ``tsa_status="failed"`` and the reason; the
platform's own token is returned either way.  Without ``tsa`` the three fields are left out, so
older clients (which refuse unknown fields) see the reply they know.
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
    tsa_sha256: str | None = Field(default=None, pattern=SHA256,
                                   description="SHA-256 of the RFC 3161 token (DER) sent with this countersignature; "
                                               "absent without one, and then not part of the signed JSON")


class CountersignResponse(WireModel):
    token: CountersignToken
    signature: str = Field(description="Ed25519 signature (hex) over sha256(canonical_json(token))")
    public_key: str = Field(description="the platform's Ed25519 public key (hex)")
    algorithm: Literal["ed25519"] = "ed25519"
    tsa_status: Literal["stamped", "failed", "not_configured"] | None = Field(
        default=None, description="only with ?tsa=true: the RFC 3161 time-stamping authority's answer")
    tsa_token: str | None = Field(default=None, max_length=90_000, pattern=r"^[A-Za-z0-9+/=]+$",
                                  description="RFC 3161 TimeStampToken (DER, base64) when tsa_status is stamped")
    tsa_problem: str | None = Field(default=None, max_length=500,
                                    description="why the authority did not time-stamp (tsa_status failed)")


class PlatformKeyResponse(WireModel):
    public_key: str
    key_id: str
    algorithm: Literal["ed25519"] = "ed25519"
