"""The platform's countersignature: a timestamp token over a signature's hash, stored as a Signature.

The platform signs ``sha256(canonical(token))`` with its own Ed25519 key; the token names the
signature, its hash, the device key and the device the platform saw it from, and the platform's
time.  The client checks the token before storing it and pins the platform key on first use, so a
different key later is refused, never silently accepted.

Where the certification body configured an RFC 3161 time-stamping authority, the reply also carries
its token over SHA-256 of the signed envelope; it is checked (:mod:`app.verify.timestamp`) and kept in
the countersignature record (``"tsa"``, base64 DER).  When the authority failed, the countersignature
is stored with ``"tsa_status": "failed"`` and the signature stays pending: a later round asks again
and stores a second countersignature only once it carries a valid time-stamp.
"""

from __future__ import annotations

import hashlib
from typing import Any

from app.domain import Signature, SignatureMethod
from app.signing.envelope import pack, unpack
from app.signing.errors import CountersignInvalid, PlatformKeyChanged, TimestampMissing
from app.signing.status import PLATFORM_KEY_META
from app.store import Store
from app.store.canonical import canonical_json
from app.verify import suites, timestamp
from app.verify.checks import CLOCK_TOLERANCE, when

COUNTERSIGN_FORMAT = "fieldaudit/countersign/1"
TSA_FAILED = "failed"
MAX_RECORD_CHARS = 10000  # Signature.signature


def _tsa_failed(countersignature: Signature) -> bool:
    packed = unpack(countersignature) or {}
    return packed.get("tsa_status") == TSA_FAILED and not packed.get("tsa")


def pending(store: Store) -> list[Signature]:
    """This device's key signatures without a countersignature, or whose countersignatures all wait
    for the time-stamping authority (oldest first)."""
    done = {s.subject.removeprefix("countersign:") for s in store.signatures.list()
            if s.method is SignatureMethod.PLATFORM_COUNTERSIGN and not _tsa_failed(s)}
    own = [s for s in store.signatures.list() if s.method is SignatureMethod.DEVICE_KEY and s.id not in done
           and _device_of(s) == store.device_id]
    return sorted(own, key=lambda s: s.signed_at)


def countersigned(store: Store, signature: Signature) -> bool:
    """Whether a countersignature (with or without the authority's time-stamp) is already stored."""
    subject = f"countersign:{signature.id}"
    return any(s.method is SignatureMethod.PLATFORM_COUNTERSIGN and s.subject == subject
               for s in store.signatures.list())


def _device_of(signature: Signature) -> str | None:
    packed = unpack(signature) or {}
    envelope = packed.get("env") or {}
    return str(envelope.get("device_id")) if isinstance(envelope, dict) else None


def request_body(signature: Signature) -> dict[str, Any]:
    return {"audit_id": signature.audit_id, "signature_id": signature.id, "signed_hash": signature.signed_hash,
            "public_key": signature.public_key}


def checked_timestamp(signature: Signature, token: dict[str, Any], tsa_token: str) -> str:
    """The authority's token when it dates exactly this signature's content near the platform's time."""
    envelope = (unpack(signature) or {}).get("env")
    platform_time = when(token.get("time"))
    try:
        if not isinstance(envelope, dict) or platform_time is None or platform_time.tzinfo is None:
            raise timestamp.TimestampInvalid("signature unreadable")
        der = timestamp.decode(tsa_token)
        if token.get("tsa_sha256") not in (None, hashlib.sha256(der).hexdigest()):
            raise timestamp.TimestampInvalid("not the token the platform countersigned")
        stamp = timestamp.check_token(der, timestamp.content_imprint(envelope))
        if stamp.nonce is None:
            raise timestamp.TimestampInvalid("no nonce")
        if abs(stamp.time - platform_time) > CLOCK_TOLERANCE:
            raise timestamp.TimestampInvalid(f"time {stamp.time.isoformat()}")
    except timestamp.TimestampInvalid as error:
        raise TimestampMissing(signature=signature.id, detail=str(error)) from error
    return tsa_token


def store_countersignature(store: Store, actor: str, signature: Signature, token: dict[str, Any],
                           platform_signature: str, platform_key: str, *, tsa_token: str | None = None,
                           tsa_status: str | None = None) -> Signature:
    """Check the platform's answer and keep it (append-only) — or refuse it with a plain reason."""
    digest = hashlib.sha256(canonical_json(token)).hexdigest()
    if not suites.verify(suites.INTERNATIONAL, platform_key, digest, platform_signature):
        raise CountersignInvalid(signature=signature.id, detail="signature")
    expected = {"format": COUNTERSIGN_FORMAT, "signature_id": signature.id, "signed_hash": signature.signed_hash,
                "audit_id": signature.audit_id, "public_key": signature.public_key}
    wrong = sorted(name for name, value in expected.items() if token.get(name) != value)
    stamped = when(token.get("time"))
    if wrong or stamped is None or stamped.tzinfo is None:
        raise CountersignInvalid(signature=signature.id, detail=", ".join(wrong) or "time")
    pinned = store.meta(PLATFORM_KEY_META)
    if pinned and pinned != platform_key:
        raise PlatformKeyChanged(found=suites.key_id(platform_key), known=suites.key_id(pinned))
    record = Signature(audit_id=signature.audit_id, signer="platform", role="platform",
                       method=SignatureMethod.PLATFORM_COUNTERSIGN, subject=f"countersign:{signature.id}",
                       signed_hash=digest, algorithm=suites.ALGORITHMS[suites.INTERNATIONAL],
                       signature=_packed(token, platform_signature, tsa_token, tsa_status), public_key=platform_key,
                       signed_at=stamped)
    with store.unit_of_work(actor) as uow:
        if not pinned:
            uow.connection.execute("INSERT INTO meta (key, value) VALUES (?, ?)", (PLATFORM_KEY_META, platform_key))
        return uow.create(record)


def _packed(token: dict[str, Any], platform_signature: str, tsa_token: str | None, tsa_status: str | None) -> str:
    extra: dict[str, Any] = {"token": token, "sig": platform_signature}
    if tsa_status is not None:
        extra["tsa_status"] = tsa_status
    if tsa_token is not None:
        extra["tsa"] = tsa_token
    text = pack({}, **extra)
    if len(text) > MAX_RECORD_CHARS and tsa_token is not None:
        # A record holds 10,000 characters: keep the platform's countersignature, retry the stamp.
        return _packed(token, platform_signature, None, TSA_FAILED)
    return text
