"""export-trail and the standalone verifier: an intact trail passes, every tamper case fails in plain words."""

from __future__ import annotations

import hashlib
import json
import random
import subprocess
import sys
import zipfile
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from app.domain import Signature, SignatureMethod
from app.findings import service
from app.signing import keys
from app.signing.countersign import COUNTERSIGN_FORMAT, pending, store_countersignature
from app.signing.envelope import envelope_hash, pack, unpack
from app.signing.signoff import sign_findings, sign_off
from app.signing.trail import export_trail
from app.store.canonical import canonical_json
from app.verify.__main__ import main as verifier_main
from app.verify.package import package_bytes, verify_package
from tests.app.signing.helpers import REP, audit_with_findings, drawn_signature

ROOT = Path(__file__).resolve().parents[3]
PLATFORM = Ed25519PrivateKey.generate()
PLATFORM_PUBLIC = PLATFORM.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw).hex()


def platform_countersign(store: Any, signature: Signature, *, device_id: str | None = None,
                         shift: timedelta = timedelta(minutes=1)) -> Signature:
    """What the platform's endpoint answers (same token format, a test key)."""
    token = {"format": COUNTERSIGN_FORMAT, "audit_id": signature.audit_id, "signature_id": signature.id,
             "signed_hash": signature.signed_hash, "public_key": signature.public_key,
             "device_id": device_id or store.device_id, "user_id": "u-lead",
             "time": (signature.signed_at + shift).isoformat(), "platform_key_id": "test"}
    digest = hashlib.sha256(canonical_json(token)).digest()
    return store_countersignature(store, "u-lead", signature, token, PLATFORM.sign(digest).hex(), PLATFORM_PUBLIC)


def signed_audit(session: Any, suite: str, countersign: bool = True) -> str:
    store = session.store
    audit_id, _ids = audit_with_findings(store)
    sign_off(store, session.data_key, actor="u-lead", role="lead", audit_id=audit_id, representative=REP,
             strokes=drawn_signature(), suite=suite)
    if countersign:
        for signature in pending(store):
            platform_countersign(store, signature)
    return audit_id


def codes(path: Path) -> set[str]:
    return {p.code for p in verify_package(path).problems if not p.warning}


def rewrite_member(source: Path, target: Path, name: str, change: Any) -> None:
    """Rebuild the package with one part changed (a careful forger keeps the container canonical)."""
    with zipfile.ZipFile(source) as old:
        members = [(i.filename, change(old.read(i.filename)) if i.filename == name else old.read(i.filename))
                   for i in old.infolist()]
    target.write_bytes(package_bytes(members))


@pytest.mark.parametrize("suite", ["international", "national"])
def test_intact_trail_verifies(session: Any, tmp_path: Path, suite: str, capsys: Any) -> None:
    audit_id = signed_audit(session, suite)
    out = tmp_path / "trail.zip"
    manifest = export_trail(session.store, session.data_key, actor="u-lead", audit_id=audit_id, out=out, suite=suite)
    outcome = verify_package(out)
    assert outcome.ok and not outcome.problems, outcome.problems
    assert outcome.signatures == 3 and outcome.countersigned == 1 and outcome.journal_entries > 5
    assert set(manifest["parts"]) == {"README.txt", "journal.jsonl", "keys.json", "records/audit.json",
                                      "records/evidence.json", "records/findings.json", "records/signatures.json"}
    assert verifier_main([str(out)]) == 0
    assert "完好" in capsys.readouterr().out
    assert verifier_main([str(out), "--lang", "en"]) == 0
    assert capsys.readouterr().out.startswith("INTACT")


def test_one_byte_changed_in_any_part(session: Any, tmp_path: Path) -> None:
    audit_id = signed_audit(session, "international")
    out = tmp_path / "trail.zip"
    export_trail(session.store, session.data_key, actor="u-lead", audit_id=audit_id, out=out)
    with zipfile.ZipFile(out) as archive:
        names = archive.namelist()
    for name in names:
        for where in (0.0, 0.5, 0.99):
            def flip(data: bytes, at: float = where) -> bytes:
                index = int(len(data) * at)
                return data[:index] + bytes([data[index] ^ 0x01]) + data[index + 1:]

            target = tmp_path / "tampered.zip"
            rewrite_member(out, target, name, flip)
            found = codes(target)
            assert found, (name, where)
            assert found & {"part_changed", "manifest_changed", "manifest_signature", "zip_damaged"}, found
    # Any byte of the file itself: headers, directory, content (a sample of positions, every region).
    raw = out.read_bytes()
    sample = random.Random(8).sample(range(len(raw)), 150)
    positions = sorted({*range(0, 64), *range(len(raw) - 120, len(raw)), *sample})
    for position in positions:
        damaged = bytearray(raw)
        damaged[position] ^= 0x01
        (tmp_path / "raw.zip").write_bytes(bytes(damaged))
        assert not verify_package(tmp_path / "raw.zip").ok, position
    (tmp_path / "cut.zip").write_bytes(raw[: len(raw) // 2])
    assert codes(tmp_path / "cut.zip") == {"zip_damaged"}
    extra = tmp_path / "extra.zip"
    with zipfile.ZipFile(out) as old:
        members = [(i.filename, old.read(i.filename)) for i in old.infolist()]
    extra.write_bytes(package_bytes([*members, ("records/more.json", b"[]")]))
    assert codes(extra) == {"part_extra"}


def test_finding_edited_after_signature_in_the_package(session: Any, tmp_path: Path, capsys: Any) -> None:
    store = session.store
    audit_id = signed_audit(session, "national")
    finding_id = store.findings.list(audit_id)[0].id
    service.move(store, "u-lead", "lead", finding_id, "reopen", {"verification_note": "补充"})
    service.edit(store, "u-lead", "lead", finding_id, {"statement": "改写后的事实描述"})
    out = tmp_path / "trail.zip"
    export_trail(store, session.data_key, actor="u-lead", audit_id=audit_id, out=out, suite="national")
    assert codes(out) == {"finding_changed"}
    assert verifier_main([str(out), "--lang", "en"]) == 1
    text = capsys.readouterr().out
    assert text.startswith("BROKEN") and f"Finding {finding_id} was changed after u-lead signed it" in text


def test_edit_outside_the_write_path_is_caught_by_the_journal(session: Any, tmp_path: Path) -> None:
    store = session.store
    audit_id = signed_audit(session, "international")
    finding = store.findings.list(audit_id)[0]
    conn = store._writer_connection()
    data = json.loads(conn.execute("SELECT data FROM records WHERE id = ?", (finding.id,)).fetchone()[0])
    conn.execute("UPDATE records SET data = ? WHERE id = ?",
                 (json.dumps({**data, "auditee_comment": "我方从未认可"}, ensure_ascii=False), finding.id))
    out = tmp_path / "trail.zip"
    export_trail(store, session.data_key, actor="u-lead", audit_id=audit_id, out=out)
    assert codes(out) == {"not_journalled"}


def test_key_copied_to_another_device(session: Any, tmp_path: Path) -> None:
    """A forged client on device B uses device A's key: the same key then speaks for two devices."""
    store = session.store
    audit_id = signed_audit(session, "international")
    key = keys.device_key(store, session.data_key, "international")
    private = keys._private(store, session.data_key, key)
    original = next(s for s in store.signatures.list(audit_id) if s.method is SignatureMethod.DEVICE_KEY)
    envelope = dict((unpack(original) or {})["env"])
    envelope.update(device_id="device-B", signed_at=(original.signed_at + timedelta(hours=1)).isoformat())
    digest = envelope_hash("international", envelope)
    from app.verify import suites

    forged = original.model_copy(update={"id": "forged-signature", "signed_hash": digest,
                                         "signed_at": original.signed_at + timedelta(hours=1),
                                         "signature": pack(envelope, sig=suites.sign("international", private,
                                                                                    key.public_key, digest))})
    with store.unit_of_work("u-lead") as uow:
        uow.create(forged)
    platform_countersign(store, forged, device_id="device-B")
    out = tmp_path / "trail.zip"
    export_trail(store, session.data_key, actor="u-lead", audit_id=audit_id, out=out)
    outcome = verify_package(out)
    assert {p.code for p in outcome.problems if not p.warning} == {"key_copied"}
    copied = next(p for p in outcome.problems if p.code == "key_copied")
    assert "device-B" in copied.params["devices"] and store.device_id in copied.params["devices"]


def test_clock_skew_against_the_platform(session: Any, tmp_path: Path) -> None:
    store = session.store
    audit_id = signed_audit(session, "international", countersign=False)
    sign_findings(store, session.data_key, actor="u-lead", role="lead", audit_id=audit_id, suite="international")
    first, second = pending(store)
    platform_countersign(store, first)
    # The platform stamped it an hour before the time the device claims: the device clock ran ahead.
    platform_countersign(store, second, shift=-timedelta(hours=1))
    out = tmp_path / "trail.zip"
    export_trail(store, session.data_key, actor="u-lead", audit_id=audit_id, out=out)
    assert codes(out) == {"clock_ahead"}


def test_unsynced_signature_is_reported_not_failed(session: Any, tmp_path: Path) -> None:
    audit_id = signed_audit(session, "international", countersign=False)
    out = tmp_path / "trail.zip"
    export_trail(session.store, session.data_key, actor="u-lead", audit_id=audit_id, out=out)
    outcome = verify_package(out)
    assert outcome.ok
    assert {p.code for p in outcome.problems if p.warning} == {"not_countersigned", "manifest_key_unattested"}


def test_standalone_verifier_imports_nothing_else_of_the_app(session: Any, tmp_path: Path) -> None:
    audit_id = signed_audit(session, "national")
    out = tmp_path / "trail.zip"
    export_trail(session.store, session.data_key, actor="u-lead", audit_id=audit_id, out=out, suite="national")
    probe = ("import sys\nfrom app.verify.__main__ import main\ncode = main([sys.argv[1], '--json'])\n"
             "loaded = sorted(m for m in sys.modules if m.split('.')[0] in ('app', 'pydantic', 'sqlcipher3',"
             " 'PySide6', 'babel'))\nprint('MODULES', loaded)\nsys.exit(code)\n")
    result = subprocess.run([sys.executable, "-c", probe, str(out)], cwd=ROOT, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    body, modules = result.stdout.rsplit("MODULES", 1)
    assert json.loads(body)["ok"] is True
    assert all(m == "app" or m.startswith("app.verify") for m in eval(modules))
    direct = subprocess.run([sys.executable, "-m", "app.verify", str(out)], cwd=ROOT, capture_output=True,
                            text=True, timeout=120, env={"LANG": "en_US.UTF-8", "PATH": ""})
    assert direct.returncode == 0 and direct.stdout.startswith("INTACT"), direct.stdout + direct.stderr
