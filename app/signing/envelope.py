"""What exactly is signed: the envelope, its hash, and how it is packed into a ``Signature`` record.

An envelope is a JSON object serialised canonically (``app.store.canonical``) and hashed with the
suite's hash; that hash is the record's ``signed_hash``.  It names the audit, the signer and role,
the device and key, the time, and the content: a hash per finding (over
:data:`~app.verify.suites.SIGNED_FINDING_FIELDS`, so one changed finding is named), the
organisation's answer to each, the handwritten signatures it includes, or a report file's hash.

Until ``Signature`` has a field for it, the envelope travels inside the record's ``signature`` text
as ``{"v": 1, "env": {...}, "sig": "..."}`` (``"strokes"`` for a handwritten one), so every device
and the platform receive everything needed to re-check it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from app.domain import Finding, Signature
from app.store.canonical import canonical_json
from app.verify import suites

FORMAT = "fieldaudit/signature/1"
PACK_VERSION = 1


def finding_hashes(suite: str, findings: Iterable[Finding]) -> dict[str, str]:
    fields = suites.SIGNED_FINDING_FIELDS
    return {f.id: suites.finding_hash(suite, f.model_dump(mode="json"), fields) for f in findings}


def responses(suite: str, findings: Iterable[Finding]) -> dict[str, dict[str, str]]:
    """The organisation's answer to each finding when signing: its state and the hash of its comment.

    The comment itself is in the finding and, with every earlier version, in the journal; its hash
    keeps the envelope small (a record holds at most 10,000 characters) while binding the words.
    """
    return {f.id: {"state": f.state.value, "comment": suites.digest_hex(suite, f.auditee_comment.encode("utf-8"))}
            for f in findings}


def envelope_hash(suite: str, envelope: dict[str, Any]) -> str:
    return suites.digest_hex(suite, canonical_json(envelope))


def base_envelope(kind: str, *, audit_id: str, suite: str, signer: str, role: str, device_id: str,
                  signed_at: datetime) -> dict[str, Any]:
    return {"format": FORMAT, "kind": kind, "audit_id": audit_id, "suite": suite, "hash": suites.HASHES[suite],
            "signer": signer, "role": role, "device_id": device_id, "signed_at": signed_at.isoformat()}


def pack(envelope: dict[str, Any], **extra: Any) -> str:
    return json.dumps({"v": PACK_VERSION, "env": envelope, **extra}, ensure_ascii=False, separators=(",", ":"),
                      sort_keys=True)


def unpack(signature: Signature | dict[str, Any]) -> dict[str, Any] | None:
    """The packed content of a signature record (None when it is not in this format)."""
    text = signature.signature if isinstance(signature, Signature) else str(signature.get("signature", ""))
    try:
        value = json.loads(text)
    except ValueError:
        return None
    return value if isinstance(value, dict) and value.get("v") == PACK_VERSION else None
