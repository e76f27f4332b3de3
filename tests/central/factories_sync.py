"""Domain records the other factories do not make yet (built and validated by app/domain)."""

from __future__ import annotations

from typing import Any

from app.domain import Evidence, Signature
from app.domain.base import parse


def signature(audit_id: str, **overrides: Any) -> dict[str, Any]:
    return parse(Signature, {"audit_id": audit_id, "signer": "陈静", "role": "auditee", "method": "handwritten",
                             "subject": "findings", "signed_hash": "ab" * 32, **overrides}).model_dump(mode="json")


def evidence(audit_id: str, **overrides: Any) -> dict[str, Any]:
    return parse(Evidence, {"audit_id": audit_id, "sha256": "cd" * 32, "media_type": "image/jpeg", "size": 10,
                            "caption": "calibration label", **overrides}).model_dump(mode="json")
