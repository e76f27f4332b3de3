"""What a report shows and embeds about an audit's signatures (for app/reporting; no layout here).

``signature_blocks`` gives the sign-off section (who, role, how, when, the drawn signature as SVG,
whether it still covers the findings, the platform's countersignature time); ``verification_manifest``
is the JSON to attach to a PDF or put in an OFD signature part so the report carries its own proof.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from app.domain import Signature, SignatureMethod
from app.signing.envelope import unpack
from app.signing.keys import list_keys
from app.signing.status import PLATFORM_KEY_META, signature_problems
from app.signing.strokes import decode, to_svg
from app.store import Store
from app.verify import suites

MANIFEST_FORMAT = "fieldaudit/report-signatures/1"


@dataclass(frozen=True)
class SignatureBlock:
    signature_id: str
    signer: str
    role: str
    method: str
    signed_at: str
    algorithm: str
    signed_hash: str
    valid: bool
    covers_current: bool
    countersigned_at: str | None
    representative: dict[str, str] | None
    svg: str | None


def signature_blocks(store: Store, audit_id: str) -> list[SignatureBlock]:
    records = store.signatures.list(audit_id)
    problems = signature_problems(store, audit_id)
    broken = {str(p.params.get("signature")) for p in problems if not p.warning and p.code != "finding_changed"}
    stale = {str(p.params.get("signature")) for p in problems if p.code == "finding_changed"}
    stamps = {r.subject.removeprefix("countersign:"): r.signed_at.isoformat() for r in records
              if r.method is SignatureMethod.PLATFORM_COUNTERSIGN}
    blocks = []
    for record in sorted(records, key=lambda r: r.signed_at):
        if record.method is SignatureMethod.PLATFORM_COUNTERSIGN:
            continue
        packed = unpack(record) or {}
        envelope = packed.get("env") or {}
        svg = None
        if record.method is SignatureMethod.HANDWRITTEN and packed.get("strokes"):
            svg = to_svg(decode(str(packed["strokes"])))
        blocks.append(SignatureBlock(record.id, record.signer, record.role, record.method.value,
                                     record.signed_at.isoformat(), record.algorithm, record.signed_hash,
                                     record.id not in broken, record.id not in stale, stamps.get(record.id),
                                     envelope.get("representative"), svg))
    return blocks


def verification_manifest(store: Store, audit_id: str, report_digest: str | None = None) -> dict[str, Any]:
    """Every signature record of the audit with the public keys needed to check them."""
    records: list[Signature] = store.signatures.list(audit_id)
    return {
        "format": MANIFEST_FORMAT, "audit_id": audit_id, "report_sha256": report_digest,
        "signatures": [r.model_dump(mode="json") for r in sorted(records, key=lambda r: r.signed_at)],
        "device_keys": [{"key_id": k.key_id, "suite": k.suite, "device_id": k.device_id, "public_key": k.public_key}
                        for k in list_keys(store)],
        "platform_key": store.meta(PLATFORM_KEY_META),
        "algorithms": dict(suites.ALGORITHMS),
    }
