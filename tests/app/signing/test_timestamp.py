"""RFC 3161 time-stamps kept with the platform's countersignature: checked on the device, in ``verify``
and by the standalone verifier; one changed byte of a token fails loudly."""

from __future__ import annotations

import base64
import hashlib
import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from app.domain import Signature, SignatureMethod
from app.services.verification import verify_profile
from app.signing.countersign import COUNTERSIGN_FORMAT, checked_timestamp, pending, store_countersignature
from app.signing.errors import TimestampMissing
from app.signing.signoff import sign_off
from app.signing.status import signature_problems
from app.signing.trail import export_trail
from app.store.canonical import canonical_json
from app.verify import timestamp
from app.verify.__main__ import main as verifier_main
from app.verify.package import verify_package
from tests.app.signing.helpers import REP, audit_with_findings, drawn_signature
from tests.app.signing.test_trail import PLATFORM, PLATFORM_PUBLIC
from tests.app.signing.tsa import make_authority, token_for

AUTHORITY = make_authority()


def _envelope(signature: Signature) -> dict[str, Any]:
    env: dict[str, Any] = json.loads(signature.signature)["env"]
    return env


def _platform_token(signature: Signature) -> tuple[dict[str, Any], str]:
    token = {"format": COUNTERSIGN_FORMAT, "audit_id": signature.audit_id, "signature_id": signature.id,
             "signed_hash": signature.signed_hash, "public_key": signature.public_key,
             "device_id": _envelope(signature)["device_id"], "user_id": "u-lead",
             "time": (signature.signed_at + timedelta(seconds=30)).isoformat(), "platform_key_id": "test"}
    return token, PLATFORM.sign(hashlib.sha256(canonical_json(token)).digest()).hex()


def _stamp(signature: Signature, *, imprint: bytes | None = None, nonce: int | None = 7,
           shift: timedelta = timedelta(seconds=31)) -> str:
    key, cert = AUTHORITY
    der = token_for(key, cert, imprint or timestamp.content_imprint(_envelope(signature)), nonce=nonce,
                    when=signature.signed_at + shift)
    return base64.b64encode(der).decode("ascii")


def _flip(text: str, index: int) -> str:
    der = bytearray(base64.b64decode(text))
    der[index] ^= 0x01
    return base64.b64encode(bytes(der)).decode("ascii")


def _signed(session: Any, suite: str) -> tuple[str, Signature]:
    audit_id, _ids = audit_with_findings(session.store)
    sign_off(session.store, session.data_key, actor="u-lead", role="lead", audit_id=audit_id, representative=REP,
             strokes=drawn_signature(), suite=suite)
    (signature,) = pending(session.store)
    return audit_id, signature


def test_every_changed_byte_of_a_token_is_refused() -> None:
    key, cert = AUTHORITY
    imprint = hashlib.sha256(b"content").digest()
    der = token_for(key, cert, imprint, nonce=99)
    stamp = timestamp.check_token(der, imprint)
    assert stamp.nonce == 99 and stamp.authority == "CN=FieldAudit Test TSA" and len(stamp.cert_sha256) == 64
    with pytest.raises(timestamp.TimestampInvalid, match="other content"):
        timestamp.check_token(der, hashlib.sha256(b"other").digest())
    for index in range(len(der)):
        changed = bytearray(der)
        changed[index] ^= 0x01
        with pytest.raises(timestamp.TimestampInvalid):
            timestamp.check_token(bytes(changed), imprint)
    with pytest.raises(timestamp.TimestampInvalid):
        timestamp.decode("not base64!")


@pytest.mark.parametrize("suite", ["international", "national"])
def test_stamped_countersignature_verifies_and_a_changed_byte_fails(session: Any, tmp_path: Path,
                                                                    suite: str, capsys: Any) -> None:
    store = session.store
    audit_id, signature = _signed(session, suite)
    token, sig = _platform_token(signature)
    stamp = checked_timestamp(signature, token, _stamp(signature))
    stored = store_countersignature(store, "u-lead", signature, token, sig, PLATFORM_PUBLIC, tsa_token=stamp,
                                    tsa_status="stamped")
    assert json.loads(stored.signature)["tsa"] == stamp and pending(store) == []
    assert signature_problems(store) == []
    out = tmp_path / "trail.zip"
    export_trail(store, session.data_key, actor="u-lead", audit_id=audit_id, out=out, suite=suite)
    assert verify_package(out).ok and not [p for p in verify_package(out).problems if not p.warning]
    # One byte of the kept token changed in the profile (outside FieldAudit): verify and the standalone
    # verifier of a fresh export both fail, in plain words.
    packed = json.loads(stored.signature)
    packed["tsa"] = _flip(packed["tsa"], 200)
    conn = store._writer_connection()
    data = json.loads(conn.execute("SELECT data FROM records WHERE id = ?", (stored.id,)).fetchone()[0])
    conn.execute("UPDATE records SET data = ? WHERE id = ?",
                 (json.dumps({**data, "signature": json.dumps(packed, sort_keys=True)}), stored.id))
    assert [p.code for p in signature_problems(store) if not p.warning] == ["timestamp_invalid"]
    assert not all(result.ok for result in verify_profile(session))  # what `fieldaudit verify` runs
    tampered = tmp_path / "tampered.zip"
    export_trail(store, session.data_key, actor="u-lead", audit_id=audit_id, out=tampered, suite=suite)
    assert {p.code for p in verify_package(tampered).problems if not p.warning} == {"timestamp_invalid"}
    assert verifier_main([str(tampered), "--lang", "en"]) == 1
    text = capsys.readouterr().out
    assert text.startswith("BROKEN") and "time-stamping authority's token" in text


def test_a_bad_stamp_is_refused_before_storing(session: Any) -> None:
    _audit_id, signature = _signed(session, "international")
    token, _sig = _platform_token(signature)
    cases = {
        "other content": _stamp(signature, imprint=hashlib.sha256(b"else").digest()),
        "no nonce": _stamp(signature, nonce=None),
        "time": _stamp(signature, shift=timedelta(hours=2)),
        "signature": _flip(_stamp(signature), -20),
    }
    for detail, stamp in cases.items():
        with pytest.raises(TimestampMissing) as caught:
            checked_timestamp(signature, token, stamp)
        assert detail in str(caught.value), (detail, str(caught.value))
    assert "时间戳" in str(TimestampMissing(signature="s", detail="d"))


def test_authority_down_keeps_the_countersignature_and_asks_again(session: Any, tmp_path: Path) -> None:
    store = session.store
    audit_id, signature = _signed(session, "international")
    token, sig = _platform_token(signature)
    store_countersignature(store, "u-lead", signature, token, sig, PLATFORM_PUBLIC, tsa_status="failed")
    # Countersigned (verify passes) but still pending for the authority's time-stamp, with a warning.
    assert [s.id for s in pending(store)] == [signature.id]
    problems = signature_problems(store)
    assert [p.code for p in problems] == ["timestamp_pending"] and problems[0].warning
    later, later_sig = _platform_token(signature)
    store_countersignature(store, "u-lead", signature, later, later_sig, PLATFORM_PUBLIC,
                           tsa_token=checked_timestamp(signature, later, _stamp(signature)), tsa_status="stamped")
    assert pending(store) == [] and signature_problems(store) == []
    out = tmp_path / "trail.zip"
    export_trail(store, session.data_key, actor="u-lead", audit_id=audit_id, out=out)
    outcome = verify_package(out)
    assert outcome.ok and outcome.countersigned == 2
    methods = [s.method for s in store.signatures.list(audit_id)]
    assert methods.count(SignatureMethod.PLATFORM_COUNTERSIGN) == 2
