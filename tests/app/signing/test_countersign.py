"""Storing the platform's countersignature: checked first, platform key pinned, refusals in plain words."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from app.domain import SignatureMethod
from app.signing.countersign import COUNTERSIGN_FORMAT, pending, store_countersignature
from app.signing.errors import CountersignInvalid, PlatformKeyChanged
from app.signing.signoff import sign_off
from app.signing.status import signature_problems
from app.store.canonical import canonical_json
from tests.app.signing.helpers import REP, audit_with_findings, drawn_signature


def _key() -> tuple[Ed25519PrivateKey, str]:
    key = Ed25519PrivateKey.generate()
    return key, key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw).hex()


def _token(signature: Any, **changes: Any) -> dict[str, Any]:
    import json

    device = json.loads(signature.signature)["env"]["device_id"]
    return {"format": COUNTERSIGN_FORMAT, "audit_id": signature.audit_id, "signature_id": signature.id,
            "signed_hash": signature.signed_hash, "public_key": signature.public_key, "device_id": device,
            "user_id": "u", "time": signature.signed_at.isoformat(), "platform_key_id": "k", **changes}


def test_countersignature_checks(session: Any) -> None:
    store = session.store
    audit_id, _ids = audit_with_findings(store)
    sign_off(store, session.data_key, actor="u-lead", role="lead", audit_id=audit_id, representative=REP,
             strokes=drawn_signature(), suite="international")
    (signature,) = pending(store)
    platform, public = _key()

    def sig(token: dict[str, Any], key: Ed25519PrivateKey = platform) -> str:
        return key.sign(hashlib.sha256(canonical_json(token)).digest()).hex()

    forged, _other_public = _key()
    with pytest.raises(CountersignInvalid):
        store_countersignature(store, "u", signature, _token(signature), sig(_token(signature), forged), public)
    wrong = _token(signature, signed_hash="0" * 64)
    with pytest.raises(CountersignInvalid) as caught:
        store_countersignature(store, "u", signature, wrong, sig(wrong), public)
    assert "signed_hash" in str(caught.value)
    naive = _token(signature, time="2026-12-03T10:00:00")
    with pytest.raises(CountersignInvalid):
        store_countersignature(store, "u", signature, naive, sig(naive), public)
    good = _token(signature)
    stored = store_countersignature(store, "u", signature, good, sig(good), public)
    assert stored.method is SignatureMethod.PLATFORM_COUNTERSIGN and pending(store) == []
    assert not [p for p in signature_problems(store)]
    # Another platform key later is refused, not silently trusted.
    other, other_public = _key()
    sign_off(store, session.data_key, actor="u-lead", role="lead", audit_id=audit_id, representative=REP,
             strokes=drawn_signature(), suite="international")
    (second,) = pending(store)
    token = _token(second)
    with pytest.raises(PlatformKeyChanged):
        store_countersignature(store, "u", second, token, sig(token, other), other_public)
    assert "平台" in str(PlatformKeyChanged(found="a", known="b"))
