"""Signing: the closing-meeting sign-off of findings (drawn + device key) and signed report files.

A sign-off writes two append-only records in one unit of work: the representative's handwritten
signature (strokes and identity bound to the hash of each finding) and the auditor's device-key
signature over the same findings, the handwritten record's hash and the time.  Nothing is ever
re-signed silently: a changed finding needs a new, explicit sign-off.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from app.domain import Finding, FindingState, Signature, SignatureMethod
from app.domain.base import utc_now
from app.signing import envelope as env
from app.signing.errors import (
    ClockSkewed,
    FindingNotInAudit,
    IdentityMissing,
    NotAnswered,
    NothingToSign,
    ReportMissing,
    TooManyFindings,
)
from app.signing.keys import DeviceKey, device_key, parse_suite, sign_digest
from app.signing.strokes import Strokes, encode, thin
from app.store import Store
from app.verify import suites

# Room kept for the drawn strokes; below it the findings must be signed in smaller groups.
MIN_STROKES_TEXT = 1500
# Past this difference from the platform's clock (measured at the last sync) signing is refused.
MAX_CLOCK_SKEW_MS = 5 * 60 * 1000
SIGNATURE_TEXT_LIMIT = 10_000
_UNANSWERED = frozenset({FindingState.RAISED, FindingState.REOPENED})


@dataclass(frozen=True)
class Representative:
    """The audited organisation's representative; the identity number is kept masked only."""

    name: str
    title: str = ""
    id_type: str = ""
    id_number: str = ""
    account: str = ""

    def masked(self) -> dict[str, str]:
        return {"name": self.name.strip(), "title": self.title.strip(), "id_type": self.id_type.strip(),
                "id_number": mask_id(self.id_number), "account": self.account.strip()}


def mask_id(number: str) -> str:
    """``110101199003071234`` -> ``110***********1234``: enough to recognise, not enough to misuse."""
    text = re.sub(r"\s", "", number or "")
    if len(text) <= 4:
        return "*" * len(text)
    keep = 3 if len(text) > 8 else 1
    return text[:keep] + "*" * (len(text) - keep - 4) + text[-4:]


def clock_skew_ms(store: Store) -> int | None:
    value = store.meta("sync.clock_skew_ms")
    return int(value) if value not in (None, "") else None


def _check_clock(store: Store) -> int | None:
    skew = clock_skew_ms(store)
    if skew is not None and abs(skew) > MAX_CLOCK_SKEW_MS:
        raise ClockSkewed(minutes=round(skew / 60000))
    return skew


def _findings(store: Store, audit_id: str, finding_ids: list[str] | None) -> list[Finding]:
    if finding_ids is None:
        chosen = store.findings.list(audit_id)
    else:
        chosen = []
        for finding_id in finding_ids:
            finding = store.findings.get(finding_id)
            if finding.audit_id != audit_id:
                raise FindingNotInAudit(finding=finding_id, audit=audit_id)
            chosen.append(finding)
    if not chosen:
        raise NothingToSign(audit=audit_id)
    for finding in chosen:
        if finding.state in _UNANSWERED:
            raise NotAnswered(finding=finding.id)
    return sorted(chosen, key=lambda f: f.id)


def _device_record(store: Store, data_key: bytes, key: DeviceKey, envelope: dict[str, Any], *, audit_id: str,
                   signer: str, role: str, subject: str, signed_at: datetime) -> Signature:
    envelope = {**envelope, "key_id": key.key_id, "public_key": key.public_key}
    digest = env.envelope_hash(key.suite, envelope)
    if len(env.pack(envelope, sig="0" * 128)) > SIGNATURE_TEXT_LIMIT:
        raise TooManyFindings(count=len(envelope.get("findings") or {}))
    value = sign_digest(store, data_key, key, digest)
    return Signature(audit_id=audit_id, signer=signer, role=role, method=SignatureMethod.DEVICE_KEY,
                     subject=subject, signed_hash=digest, algorithm=key.algorithm,
                     signature=env.pack(envelope, sig=value), public_key=key.public_key, signed_at=signed_at)


def sign_off(store: Store, data_key: bytes, *, actor: str, role: str, audit_id: str,
             representative: Representative, strokes: Strokes, suite: str,
             finding_ids: list[str] | None = None) -> tuple[Signature, Signature]:
    """The representative signs on the pad, then the auditor's device key signs everything together."""
    parse_suite(suite)
    if not representative.name.strip():
        raise IdentityMissing()
    skew = _check_clock(store)
    findings = _findings(store, audit_id, finding_ids)
    key = device_key(store, data_key, suite, actor)
    signed_at = utc_now()
    content = {"findings": env.finding_hashes(suite, findings), "responses": env.responses(suite, findings),
               "finding_fields": list(suites.SIGNED_FINDING_FIELDS), "clock_skew_ms": skew}
    identity = representative.masked()
    hand_env = {**env.base_envelope("findings", audit_id=audit_id, suite=suite, signer=identity["name"],
                                    role="auditee", device_id=store.device_id, signed_at=signed_at),
                **content, "representative": identity}
    budget = SIGNATURE_TEXT_LIMIT - len(env.pack({**hand_env, "strokes_hash": "0" * 64}, strokes="")) - 16
    if budget < MIN_STROKES_TEXT:
        raise TooManyFindings(count=len(findings))
    drawn = thin(strokes, budget)
    encoded = encode(drawn)
    hand_env["strokes_hash"] = suites.digest_hex(suite, encoded.encode("ascii"))
    hand_hash = env.envelope_hash(suite, hand_env)
    handwritten = Signature(audit_id=audit_id, signer=identity["name"], role="auditee",
                            method=SignatureMethod.HANDWRITTEN, subject="findings", signed_hash=hand_hash,
                            algorithm=f"strokes+{suites.HASHES[suite]}", signature=env.pack(hand_env, strokes=encoded),
                            signed_at=signed_at)
    device_env = {**env.base_envelope("findings", audit_id=audit_id, suite=suite, signer=actor, role=role,
                                      device_id=store.device_id, signed_at=signed_at),
                  **content, "handwritten": [{"id": handwritten.id, "signed_hash": hand_hash}]}
    auditor = _device_record(store, data_key, key, device_env, audit_id=audit_id, signer=actor, role=role,
                             subject="findings", signed_at=signed_at)
    with store.unit_of_work(actor) as uow:
        uow.create(handwritten)
        uow.create(auditor)
        _send_after_signatures(uow.connection, [f.id for f in findings])
    return handwritten, auditor


def _send_after_signatures(conn: Any, finding_ids: list[str]) -> None:
    """Queue the signed findings' unsent changes behind the two signature records just written.

    The platform takes the organisation's answer from a team device only when it holds, or receives in
    the same push, the sign-off covering it (docs/findings-and-signatures.md); with the signatures sent
    first, a push cut into several requests can never carry an answer ahead of its signature.  The
    findings' own changes keep their order; nothing else moves.
    """
    marks = ",".join("?" * len(finding_ids))
    rows = conn.execute(f"SELECT seq FROM outbox WHERE entity = 'finding' AND entity_id IN ({marks}) ORDER BY seq",
                        tuple(finding_ids)).fetchall()
    top = int(conn.execute("SELECT coalesce(max(seq), 0) FROM outbox").fetchone()[0])
    for offset, (seq,) in enumerate(rows, start=1):
        conn.execute("UPDATE outbox SET seq = ? WHERE seq = ?", (top + offset, seq))


def sign_findings(store: Store, data_key: bytes, *, actor: str, role: str, audit_id: str, suite: str,
                  finding_ids: list[str] | None = None) -> Signature:
    """The auditor's own device signature over findings (e.g. after verifying corrective actions)."""
    parse_suite(suite)
    skew = _check_clock(store)
    findings = _findings(store, audit_id, finding_ids)
    key = device_key(store, data_key, suite, actor)
    signed_at = utc_now()
    envelope = {**env.base_envelope("findings", audit_id=audit_id, suite=suite, signer=actor, role=role,
                                    device_id=store.device_id, signed_at=signed_at),
                "findings": env.finding_hashes(suite, findings), "responses": env.responses(suite, findings),
                "finding_fields": list(suites.SIGNED_FINDING_FIELDS), "clock_skew_ms": skew, "handwritten": []}
    record = _device_record(store, data_key, key, envelope, audit_id=audit_id, signer=actor, role=role,
                            subject="findings", signed_at=signed_at)
    with store.unit_of_work(actor) as uow:
        return uow.create(record)


def sign_report(store: Store, data_key: bytes, *, actor: str, role: str, audit_id: str, path: Path,
                suite: str) -> Signature:
    """Sign a produced report file by its hash; ``verify`` re-hashes the file while it exists."""
    parse_suite(suite)
    skew = _check_clock(store)
    store.audits.get(audit_id)
    try:
        data = path.read_bytes()
    except OSError:
        raise ReportMissing(path=str(path)) from None
    key = device_key(store, data_key, suite, actor)
    signed_at = utc_now()
    envelope = {**env.base_envelope("report", audit_id=audit_id, suite=suite, signer=actor, role=role,
                                    device_id=store.device_id, signed_at=signed_at),
                "report": {"digest": suites.digest_hex(suite, data), "size": len(data), "file_name": path.name,
                           "path": str(path.resolve())}, "clock_skew_ms": skew}
    record = _device_record(store, data_key, key, envelope, audit_id=audit_id, signer=actor, role=role,
                            subject="report", signed_at=signed_at)
    with store.unit_of_work(actor) as uow:
        return uow.create(record)
