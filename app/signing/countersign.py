"""The platform's countersignature: a timestamp token over a signature's hash, stored as a Signature.

The platform signs ``sha256(canonical(token))`` with its own Ed25519 key; the token names the
signature, its hash, the device key and the device the platform saw it from, and the platform's
time.  The client checks the token before storing it and pins the platform key on first use, so a
different key later is refused, never silently accepted.
"""

from __future__ import annotations

import hashlib
from typing import Any

from app.domain import Signature, SignatureMethod
from app.signing.envelope import pack
from app.signing.errors import CountersignInvalid, PlatformKeyChanged
from app.signing.status import PLATFORM_KEY_META
from app.store import Store
from app.store.canonical import canonical_json
from app.verify import suites
from app.verify.checks import when

COUNTERSIGN_FORMAT = "fieldaudit/countersign/1"


def pending(store: Store) -> list[Signature]:
    """This device's key signatures that have no countersignature yet (oldest first)."""
    done = {s.subject.removeprefix("countersign:") for s in store.signatures.list()
            if s.method is SignatureMethod.PLATFORM_COUNTERSIGN}
    own = [s for s in store.signatures.list() if s.method is SignatureMethod.DEVICE_KEY and s.id not in done
           and _device_of(s) == store.device_id]
    return sorted(own, key=lambda s: s.signed_at)


def _device_of(signature: Signature) -> str | None:
    from app.signing.envelope import unpack

    packed = unpack(signature) or {}
    envelope = packed.get("env") or {}
    return str(envelope.get("device_id")) if isinstance(envelope, dict) else None


def request_body(signature: Signature) -> dict[str, Any]:
    return {"audit_id": signature.audit_id, "signature_id": signature.id, "signed_hash": signature.signed_hash,
            "public_key": signature.public_key}


def store_countersignature(store: Store, actor: str, signature: Signature, token: dict[str, Any],
                           platform_signature: str, platform_key: str) -> Signature:
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
                       signature=pack({}, token=token, sig=platform_signature), public_key=platform_key,
                       signed_at=stamped)
    with store.unit_of_work(actor) as uow:
        if not pinned:
            uow.connection.execute("INSERT INTO meta (key, value) VALUES (?, ?)", (PLATFORM_KEY_META, platform_key))
        return uow.create(record)
