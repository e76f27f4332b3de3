"""The report's proof of its signatures: a verification section and the files the report carries.

A report produced after sign-off shows, for every signature of the audit, who signed, in which
role, when, the hash of what was signed, the signing key's fingerprint, whether the signature
still holds and whether the platform countersigned it.  The same data, with the signature
records and public keys a third party needs to check them, travels inside the file as
``fieldaudit-signatures.json`` (an embedded file of the PDF, an attachment of the OFD referenced
from its signature part), so the report carries its own proof.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import Any

from app.domain import Signature, SignatureMethod
from app.i18n import N_
from app.reporting.model import Block, EmbeddedSignature, KeyValues, Paragraph, Section
from app.reporting.report_data import ReportData
from app.reporting.report_sections import METHOD_LABELS, SUBJECT_LABELS, Translate, role_label

MANIFEST_NAME = "fieldaudit-signatures.json"
SUMMARY_KEY = "summary"


def key_fingerprint(public_key: str) -> str:
    """SHA-256 of the public key as recorded (hex): what a verifier compares with the registered key."""
    return hashlib.sha256(public_key.encode("utf-8")).hexdigest() if public_key else ""


def _ordered(data: ReportData) -> list[Signature]:
    return sorted((s for s in data.signatures if s.method is not SignatureMethod.PLATFORM_COUNTERSIGN),
                  key=lambda s: (s.signed_at, s.id))


def signature_summary(data: ReportData) -> list[dict[str, Any]]:
    """One entry per signature (countersignatures folded into the one they countersign)."""
    names = {member.user_id: member.name for member in data.audit.team}
    entries = []
    for signature in _ordered(data):
        check = data.checks.get(signature.id)
        entries.append({
            "id": signature.id, "signer": signature.signer,
            "signer_name": names.get(signature.signer, signature.signer), "role": signature.role,
            "method": signature.method.value, "subject": signature.subject,
            "signed_at": signature.signed_at.isoformat(), "algorithm": signature.algorithm,
            "signed_hash": signature.signed_hash,
            "key_fingerprint": check.key_fingerprint if check else key_fingerprint(signature.public_key),
            "valid": check.valid if check else None, "covers_current": check.covers_current if check else None,
            "countersigned_at": check.countersigned_at if check else None,
        })
    return entries


def manifest_bytes(data: ReportData) -> bytes:
    """The attached manifest: the store's verification data plus the per-signature summary."""
    manifest = dict(data.manifest or {})
    manifest[SUMMARY_KEY] = signature_summary(data)
    return json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8")


def embedded(data: ReportData) -> tuple[dict[str, bytes], list[EmbeddedSignature]]:
    """What a signed report carries: ``{MANIFEST_NAME: bytes}`` and its signatures (none when unsigned)."""
    ordered = _ordered(data)
    if not ordered:
        return {}, []
    signatures = [EmbeddedSignature(s.id, s.signer, s.role, s.method.value, s.signed_at.isoformat(), s.algorithm,
                                    s.signed_hash, s.signature) for s in ordered]
    return {MANIFEST_NAME: manifest_bytes(data)}, signatures


def _local_time(value: str) -> str:
    """The device's local time with its UTC offset (the manifest keeps the exact ISO value)."""
    return datetime.fromisoformat(value).astimezone().strftime("%Y-%m-%d %H:%M:%S UTC%z")


def _status(entry: dict[str, Any], t: Translate) -> str:
    if entry["valid"] is False:
        return t(N_("does not verify"))
    if entry["covers_current"] is False:
        return t(N_("no longer covers the current findings (changed after signing)"))
    if entry["valid"] is None:
        return t(N_("not checked"))
    return t(N_("verified, covers the current content"))


def verification_section(data: ReportData, t: Translate) -> Section | None:
    """Who signed what and how to check it; None when the audit has no signatures yet."""
    summary = signature_summary(data)
    if not summary:
        return None
    blocks: list[Block] = [Paragraph(t(N_(
        "The verification data below is attached to this file as {name} (signature records, public keys and "
        "hashes); check it with \"fieldaudit verify\" or the standalone verifier.")).format(name=MANIFEST_NAME),
        small=True)]
    for entry in summary:
        subject = entry["subject"]
        rows = [
            (t(N_("Signer")), entry["signer_name"]),
            (t(N_("Role")), role_label(entry["role"], t)),
            (t(N_("Method")), t(METHOD_LABELS[SignatureMethod(entry["method"])])),
            (t(N_("Signed content")), t(SUBJECT_LABELS[subject]) if subject in SUBJECT_LABELS else subject),
            (t(N_("Signed at")), _local_time(entry["signed_at"])),
            (t(N_("Signed content hash")), entry["signed_hash"]),
            (t(N_("Key fingerprint")), entry["key_fingerprint"] or t(N_("none (drawn signature)"))),
            (t(N_("Status")), _status(entry, t)),
            (t(N_("Platform countersignature")), entry["countersigned_at"] or t(N_("not yet countersigned"))),
        ]
        blocks.append(KeyValues(rows))
    return Section(t(N_("Signature verification")), blocks)
