"""The platform's countersigning key and timestamp tokens (Ed25519, key kept in ``server_state``)."""

from __future__ import annotations

import base64
import hashlib
import json
from datetime import UTC, datetime
from typing import Literal, NamedTuple

import sqlalchemy as sa
from cryptography.hazmat.primitives import serialization as ser
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from central.config import TsaConfig
from central.db.engine import Database
from central.db.tables import server_state
from central.errors import ApiError
from central.services import recordstore
from central.services.auth import Principal
from central.services.membership import require_role
from central.services.tsa import timestamp
from sync.protocol.countersign import (
    CountersignRequest,
    CountersignResponse,
    CountersignToken,
    PlatformKeyResponse,
)

_KEY_NAME = "countersign_key"


def _private_key(db: Database) -> Ed25519PrivateKey:
    with db.write() as conn:
        value = conn.execute(sa.select(server_state.c.value).where(server_state.c.key == _KEY_NAME)).scalar()
        if value is None:
            raw = Ed25519PrivateKey.generate().private_bytes(ser.Encoding.Raw, ser.PrivateFormat.Raw,
                                                             ser.NoEncryption())
            value = raw.hex()
            conn.execute(server_state.insert().values(key=_KEY_NAME, value=value))
    return Ed25519PrivateKey.from_private_bytes(bytes.fromhex(str(value)))


def _public_hex(key: Ed25519PrivateKey) -> str:
    return key.public_key().public_bytes(ser.Encoding.Raw, ser.PublicFormat.Raw).hex()


def _key_id(public_hex: str) -> str:
    return hashlib.sha256(bytes.fromhex(public_hex)).hexdigest()[:32]


def platform_key(db: Database) -> PlatformKeyResponse:
    public = _public_hex(_private_key(db))
    return PlatformKeyResponse(public_key=public, key_id=_key_id(public))


def canonical(value: object) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def countersign(db: Database, who: Principal, body: CountersignRequest, now: float, *, tsa: TsaConfig | None = None,
                want_tsa: bool = False) -> CountersignResponse:
    with db.read() as conn:
        require_role(conn, who, body.audit_id)
        stored = recordstore.load(conn, "signature", body.signature_id)
    data = stored.data if stored is not None and not stored.deleted and stored.audit_id == body.audit_id else None
    if data is None:
        raise ApiError(409, "not_synced", "The platform does not hold this signature yet: sync it first.")
    if data.get("signed_hash") != body.signed_hash or data.get("public_key") != body.public_key:
        raise ApiError(409, "hash_mismatch", "The hash or key differs from the signature the platform holds.")
    if data.get("method") != "device_key":
        raise ApiError(422, "not_countersignable", "Only device-key signatures are countersigned.")
    stamp = _timestamp(tsa, data) if want_tsa else _TsaReply()  # first: the token names the stamp it comes with
    key = _private_key(db)
    public = _public_hex(key)
    token = CountersignToken(audit_id=body.audit_id, signature_id=body.signature_id, signed_hash=body.signed_hash,
                             public_key=body.public_key, device_id=who.device_id, user_id=who.user_id,
                             time=datetime.fromtimestamp(now, UTC).isoformat(), platform_key_id=_key_id(public),
                             tsa_sha256=stamp.sha256)
    # exclude_none: a token without a time-stamp is byte for byte what older clients know and check.
    digest = hashlib.sha256(canonical(token.model_dump(mode="json", exclude_none=True))).digest()
    return CountersignResponse(token=token, signature=key.sign(digest).hex(), public_key=public,
                               tsa_status=stamp.status, tsa_token=stamp.token, tsa_problem=stamp.problem)


class _TsaReply(NamedTuple):
    status: Literal["stamped", "failed", "not_configured"] | None = None
    token: str | None = None
    problem: str | None = None
    sha256: str | None = None


def _timestamp(tsa: TsaConfig | None, data: dict[str, object]) -> _TsaReply:
    if tsa is None:
        return _TsaReply("not_configured")
    imprint = _content_imprint(data)
    if imprint is None:
        return _TsaReply("failed", problem="the signature cannot be read")
    stamped = timestamp(tsa, imprint)
    if stamped.token is None:
        return _TsaReply("failed", problem=(stamped.problem or "")[:500])
    return _TsaReply("stamped", stamped.token, sha256=hashlib.sha256(base64.b64decode(stamped.token)).hexdigest())


def _content_imprint(data: dict[str, object]) -> bytes | None:
    """SHA-256 of the signed envelope, the content the device signed (its ``signed_hash`` in the
    international suite; the national suite hashes the same bytes with SM3)."""
    try:
        envelope = json.loads(str(data.get("signature", "")))["env"]
    except (ValueError, KeyError, TypeError):
        return None
    return hashlib.sha256(canonical(envelope)).digest() if isinstance(envelope, dict) else None
