"""``fieldaudit export-trail AUDIT --out FILE``: a self-contained, verifiable package of one audit.

The zip holds the audit's journal slice (every entry with its chain hashes), the audit, its findings,
evidence metadata and signatures, the public keys involved, and ``manifest.json``: the hash of every
part, the manifest's own hash and the exporting device's signature over it.  ``python -m app.verify``
checks it with nothing but ``cryptography``/``gmssl`` (docs/trail-verification.md).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from app.domain.base import utc_now
from app.errors import FieldAuditError
from app.evidence.vault import Vault
from app.findings.checkin import checkin_documents
from app.i18n import N_
from app.signing.keys import device_key, list_keys, parse_suite, sign_digest
from app.signing.status import PLATFORM_KEY_META
from app.store import Store
from app.store.atomic import atomic_write_bytes
from app.verify import suites
from app.verify.package import JOURNAL_COLUMNS, MANIFEST, TRAIL_FORMAT, manifest_digest, package_bytes

README = """FieldAudit audit trail package / FieldAudit 审核追溯数据包

Verify / 验证:  python -m app.verify THIS_FILE.zip
Procedure / 步骤: docs/trail-verification.md
"""


class TrailNotWritable(FieldAuditError):
    message = N_("The trail package {path} cannot be written: {reason}.")


def _records(store: Store, entity: str, audit_id: str) -> list[dict[str, Any]]:
    rows = store.query("SELECT data FROM records WHERE entity = ? AND audit_id = ? AND deleted = 0 ORDER BY id",
                       (entity, audit_id))
    return [json.loads(str(row[0])) for row in rows]


def _journal(store: Store, audit_id: str) -> bytes:
    rows = store.query(f"SELECT {', '.join(JOURNAL_COLUMNS)} FROM journal WHERE audit_id = ? ORDER BY seq",
                       (audit_id,))
    lines = [json.dumps(dict(zip(JOURNAL_COLUMNS, row, strict=True)), ensure_ascii=False, sort_keys=True)
             for row in rows]
    return ("\n".join(lines) + "\n").encode("utf-8") if lines else b""


def _keys(store: Store, signatures: list[dict[str, Any]]) -> dict[str, Any]:
    devices: dict[str, dict[str, str]] = {}
    for key in list_keys(store):
        devices[key.public_key] = {"key_id": key.key_id, "suite": key.suite, "device_id": key.device_id,
                                   "public_key": key.public_key}
    for record in signatures:
        if record.get("method") != "device_key":
            continue
        try:
            envelope = json.loads(str(record.get("signature")))["env"]
        except (ValueError, KeyError, TypeError):
            continue
        public = str(record.get("public_key", ""))
        # A key seen from another device is listed with the device its first signature names.
        devices.setdefault(public, {"key_id": str(envelope.get("key_id")), "suite": str(envelope.get("suite")),
                                    "device_id": str(envelope.get("device_id")), "public_key": public})
    pinned = store.meta(PLATFORM_KEY_META)
    return {"devices": sorted(devices.values(), key=lambda k: k["key_id"]), "platform": [pinned] if pinned else []}


def build_parts(store: Store, audit_id: str, vault: Vault | None = None) -> dict[str, bytes]:
    audit = store.audits.get(audit_id)
    signatures = _records(store, "signature", audit_id)

    def as_json(value: Any) -> bytes:
        return json.dumps(value, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8")

    parts = {
        "README.txt": README.encode("utf-8"),
        "journal.jsonl": _journal(store, audit_id),
        "records/audit.json": as_json(audit.model_dump(mode="json")),
        "records/findings.json": as_json(_records(store, "finding", audit_id)),
        "records/evidence.json": as_json(_records(store, "evidence", audit_id)),
        "records/signatures.json": as_json(signatures),
        "keys.json": as_json(_keys(store, signatures)),
    }
    if vault is not None:
        # Check-in documents (opening/closing meetings) travel whole: their hash is in evidence.json.
        for evidence, body in checkin_documents(store, vault, audit_id):
            parts[f"checkins/{evidence.sha256}.json"] = body
    return parts


def export_trail(store: Store, data_key: bytes, *, actor: str, audit_id: str, out: Path,
                 suite: str = suites.INTERNATIONAL, vault: Vault | None = None) -> dict[str, Any]:
    """Write the package; returns its manifest (``vault``: include the check-in documents)."""
    parse_suite(suite)
    parts = build_parts(store, audit_id, vault)
    key = device_key(store, data_key, suite, actor)
    manifest: dict[str, Any] = {
        "format": TRAIL_FORMAT, "audit_id": audit_id, "exported_at": utc_now().isoformat(), "exported_by": actor,
        "device_id": store.device_id, "suite": suite, "hash": suites.HASHES[suite],
        "parts": {name: {"digest": suites.digest_hex(suite, data), "size": len(data)}
                  for name, data in sorted(parts.items())},
        "signer": {"key_id": key.key_id, "public_key": key.public_key, "algorithm": key.algorithm},
    }
    manifest["manifest_hash"] = manifest_digest(manifest)
    manifest["manifest_signature"] = sign_digest(store, data_key, key, manifest["manifest_hash"])
    members = [(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8")),
               *sorted(parts.items())]
    try:
        atomic_write_bytes(out, package_bytes(members))
    except OSError as error:
        raise TrailNotWritable(path=str(out), reason=error.strerror or str(error)) from None
    return manifest
