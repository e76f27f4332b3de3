"""Signature status in the store: which signatures hold, which no longer cover current content.

The rules live in :mod:`app.verify.checks` (shared with the standalone verifier); this module feeds
them the store's records and gives the UI a per-finding answer ("signed", "changed since signed").
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from app.signing.messages import describe
from app.store import Store
from app.verify.checks import Problem, check_signatures

PLATFORM_KEY_META = "signing.platform_key"


def _records(store: Store, entity: str, audit_id: str | None) -> list[dict[str, Any]]:
    sql = "SELECT data FROM records WHERE entity = ? AND deleted = 0"
    params: tuple[str, ...] = (entity,)
    if audit_id is not None:
        sql += " AND audit_id = ?"
        params += (audit_id,)
    return [json.loads(str(row[0])) for row in store.query(sql + " ORDER BY id", params)]


def platform_keys(store: Store) -> set[str] | None:
    """The platform key this device pinned at its first countersignature (None before any)."""
    pinned = store.meta(PLATFORM_KEY_META)
    return {pinned} if pinned else None


def signature_problems(store: Store, audit_id: str | None = None) -> list[Problem]:
    signatures = _records(store, "signature", audit_id)
    findings = {str(f["id"]): f for f in _records(store, "finding", audit_id)}
    return check_signatures(signatures, findings, platform_keys=platform_keys(store))


@dataclass(frozen=True)
class FindingSignatureState:
    finding_id: str
    signed: bool
    covers_current: bool
    messages: list[str]


def finding_states(store: Store, audit_id: str) -> dict[str, FindingSignatureState]:
    """For each finding of the audit: was it signed, and does the latest signature still cover it?"""
    problems = signature_problems(store, audit_id)
    signed: set[str] = set()
    for record in _records(store, "signature", audit_id):
        try:
            envelope = json.loads(str(record.get("signature", ""))).get("env") or {}
        except (ValueError, AttributeError):
            continue
        signed.update(str(key) for key in (envelope.get("findings") or {}))
    states: dict[str, FindingSignatureState] = {}
    for finding in store.findings.list(audit_id):
        mine = [p for p in problems if p.params.get("finding") == finding.id]
        states[finding.id] = FindingSignatureState(finding.id, finding.id in signed, not mine,
                                                   [describe(p.code, p.params) for p in mine])
    return states
