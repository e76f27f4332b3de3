"""The platform's countersigning key and timestamp tokens (Ed25519, key kept in ``server_state``)."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime

import sqlalchemy as sa
from cryptography.hazmat.primitives import serialization as ser
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from central.db.engine import Database
from central.db.tables import server_state
from central.errors import ApiError
from central.services import recordstore
from central.services.auth import Principal
from central.services.membership import require_role
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


def countersign(db: Database, who: Principal, body: CountersignRequest, now: float) -> CountersignResponse:
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
    key = _private_key(db)
    public = _public_hex(key)
    token = CountersignToken(audit_id=body.audit_id, signature_id=body.signature_id, signed_hash=body.signed_hash,
                             public_key=body.public_key, device_id=who.device_id, user_id=who.user_id,
                             time=datetime.fromtimestamp(now, UTC).isoformat(), platform_key_id=_key_id(public))
    digest = hashlib.sha256(canonical(token.model_dump(mode="json"))).digest()
    return CountersignResponse(token=token, signature=key.sign(digest).hex(), public_key=public)
