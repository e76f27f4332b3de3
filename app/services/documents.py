"""Plans and reports from the store: gather the data, write docx/PDF/OFD, record what was produced.

Every produced file is recorded through the write path (one unit of work) as a journal entry of
entity ``document``, op ``produce``, holding kind, format, language, SHA-256, size, file name and
whether it is a draft; the entry's own fields give the time, the actor and the device, and the
hash chain makes the record tamper-evident.  It is journal-only on purpose: a produced file is a
local event, not a record to synchronise (no outbox mutation, no ``records`` row), so the
platform never sees an entity it does not know.  ``produced_documents`` lists them back.

The lead auditor's conclusions are part of the audit (``Audit.conclusions``): ``save_conclusions``
writes them through the same write path (a patch of the audit that syncs), and the report reads
them from the audit.  A report carries the signatures of the audit and their verification data
(``app.signing``) and is watermarked as a draft until the client's representative has signed off.
"""

from __future__ import annotations

import io
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.domain import Audit, Evidence, TeamRole
from app.domain.audit import TEAM_ROLE_LABELS, AuditConclusion, Standard
from app.domain.base import parse, utc_now
from app.domain.ids import new_id
from app.errors import FieldAuditError, ReportError, Term
from app.evidence.vault import Vault
from app.i18n import N_
from app.planning.md5_tables import Complexity
from app.planning.plan_builder import build_plan
from app.reporting.model import Document
from app.reporting.output import WriteResult, finish
from app.reporting.plan_document import plan_document
from app.reporting.report_builder import report_document
from app.reporting.report_data import ReportData, SignatureCheck
from app.reporting.report_verification import key_fingerprint
from app.services.session import Session
from app.store import Store

FORMATS = ("docx", "pdf", "ofd")
PLAN_FORMATS = ("docx", "pdf")
LANGUAGES = ("zh_CN", "en")
DOCUMENT_ENTITY = "document"
THUMBNAIL_PIXELS = 480


class UnknownFormat(ReportError):
    message = N_("Unknown output format {format}: use one of {formats}.")


class TemplateNeedsDocx(ReportError):
    message = N_("A Word template can only be used with --format docx, not {format}.")


class NotLeadAuditor(FieldAuditError):
    message = N_("Only the lead auditor may write the conclusions of this audit; {actor} is its {role_label}.")


@dataclass(frozen=True)
class Produced:
    """A written document and its record."""

    kind: str  # "report" or "plan"
    result: WriteResult
    language: str
    draft: bool
    record_id: str
    signed_off: bool = True  # a report before the client's sign-off is watermarked as a draft

    def summary(self) -> dict[str, Any]:
        return {"id": self.record_id, "kind": self.kind, "format": self.result.format, "language": self.language,
                "sha256": self.result.sha256, "size": self.result.size, "draft": self.draft,
                "signed_off": self.signed_off, "path": str(self.result.path) if self.result.path else None}


def normalise_language(language: str | None) -> str:
    return "en" if (language or "").lower().startswith("en") else "zh_CN"


def open_conflicts(store: Store, audit_id: str) -> list[dict[str, Any]]:
    """The audit's unresolved synchronisation conflicts (rows the sync engine keeps as ``conflict``)."""
    rows = store.query("SELECT data FROM records WHERE entity = 'conflict' AND audit_id = ? AND deleted = 0",
                       (audit_id,))
    found = [json.loads(row[0]) for row in rows]
    return [conflict for conflict in found if isinstance(conflict, dict) and conflict.get("status") == "open"]


def _thumbnail(vault: Vault, item: Evidence) -> bytes | None:
    cached = vault.thumbnail(item.sha256)
    if cached is not None or not item.media_type.startswith("image/") or not vault.has(item.sha256):
        return cached
    # No cached thumbnail (older import): make one from the original without storing it.
    from PIL import Image as PILImage
    from PIL import ImageOps, UnidentifiedImageError

    try:
        with PILImage.open(io.BytesIO(vault.read_bytes(item.sha256))) as picture:
            small = ImageOps.exif_transpose(picture).convert("RGB")
            small.thumbnail((THUMBNAIL_PIXELS, THUMBNAIL_PIXELS))
            buffer = io.BytesIO()
            small.save(buffer, format="JPEG", quality=85)
            return buffer.getvalue()
    except (UnidentifiedImageError, OSError, ValueError):
        return None


def signature_checks(store: Store, audit_id: str) -> tuple[dict[str, SignatureCheck], dict[str, Any]]:
    """What the signing code says about each signature of the audit, and the verification manifest."""
    from app.signing.report_data import signature_blocks, verification_manifest

    keys = {record.id: record.public_key for record in store.signatures.list(audit_id)}
    checks = {block.signature_id: SignatureCheck(block.signature_id, block.valid, block.covers_current,
                                                 block.countersigned_at,
                                                 key_fingerprint(keys.get(block.signature_id, "")))
              for block in signature_blocks(store, audit_id)}
    return checks, verification_manifest(store, audit_id)


def report_data(session: Session, audit_id: str, conclusions: AuditConclusion | None = None) -> ReportData:
    """Everything the report of ``audit_id`` is built from, with thumbnails of the cited evidence.

    The lead auditor's conclusions are the audit's own unless ``conclusions`` overrides them (a preview).
    """
    store = session.store
    audit = store.audits.get(audit_id)
    findings = store.findings.list(audit_id)
    evidence = store.evidence.list(audit_id)
    linked = ReportData(audit=audit, findings=findings, evidence=evidence)
    cited = {item.id for finding in findings for item in linked.evidence_of(finding)}
    vault = Vault(session.paths.vault, session.data_key)
    thumbnails = {}
    for item in evidence:
        if item.id in cited and not item.sensitive:
            picture = _thumbnail(vault, item)
            if picture is not None:
                thumbnails[item.id] = picture
    checks, manifest = signature_checks(store, audit_id)
    return ReportData(audit=audit, conclusions=conclusions, checklist=store.checklist.list(audit_id),
                      findings=findings, evidence=evidence, thumbnails=thumbnails,
                      signatures=store.signatures.list(audit_id), open_conflicts=open_conflicts(store, audit_id),
                      produced_at=utc_now(), checks=checks, manifest=manifest)


def write_document(document: Document, fmt: str, out: Path, template: Path | None = None) -> WriteResult:
    """Write ``document`` as ``fmt``; its watermark (a draft's) is drawn behind every page in every format."""
    if fmt not in FORMATS:
        raise UnknownFormat(format=fmt, formats=", ".join(FORMATS))
    if template is not None and fmt != "docx":
        raise TemplateNeedsDocx(format=fmt)
    if fmt == "docx":
        from app.reporting.docx_writer import render_docx, write_docx
        from app.reporting.draft_mark import watermark_docx

        if not document.watermark:
            return write_docx(document, out, template)
        return finish(watermark_docx(render_docx(document, template), document.watermark), "docx", out)
    if fmt == "pdf":
        from app.reporting.pdf import write_pdf

        return write_pdf(document, out)
    from app.reporting.ofd import write_ofd

    return write_ofd(document, out)


def record_output(store: Store, actor: str, audit_id: str, kind: str, result: WriteResult, *, language: str,
                  draft: bool = False, inputs: Mapping[str, Any] | None = None) -> str:
    """Record a produced file (kind, format, language, SHA-256, size, time, actor) in the journal.

    ``inputs`` are what the file was built from that the store does not hold (the lead auditor's
    conclusions): kept with the record, so the report can be explained and rebuilt later.
    """
    record_id = new_id()
    after: dict[str, Any] = {
        "kind": kind, "format": result.format, "language": language, "sha256": result.sha256,
        "size": result.size, "file_name": result.path.name if result.path else "", "draft": draft,
        "produced_at": utc_now().isoformat(), "by": actor}
    if inputs:
        after["inputs"] = dict(inputs)
    try:
        with store.unit_of_work(actor) as uow:
            uow.journal_local(DOCUMENT_ENTITY, record_id, audit_id, "produce", after)
    except BaseException:
        # A file whose hash could not be recorded must not be handed out as if it had been.
        if result.path is not None:
            result.path.unlink(missing_ok=True)
        raise
    return record_id


def produced_documents(store: Store, audit_id: str) -> list[dict[str, Any]]:
    """What was produced for ``audit_id``, oldest first (with the journal's time, actor and device)."""
    rows = store.query("SELECT entity_id, at, actor, device_id, after FROM journal WHERE entity = ? AND audit_id = ?"
                       " AND op = 'produce' ORDER BY seq", (DOCUMENT_ENTITY, audit_id))
    return [{"id": row[0], "at": row[1], "actor": row[2], "device_id": row[3], **json.loads(row[4] or "{}")}
            for row in rows]


def recorded_conclusions(store: Store, audit_id: str) -> AuditConclusion | None:
    """The conclusions the last report of ``audit_id`` was built from (None before any report)."""
    for entry in reversed(produced_documents(store, audit_id)):
        given = (entry.get("inputs") or {}).get("conclusions")
        if entry.get("kind") == "report" and isinstance(given, dict):
            return AuditConclusion.model_validate(given)
    return None


def check_lead(audit: Audit, actor: str) -> None:
    """A team member who is not the lead may not write conclusions.

    An actor not listed in the team (a device not yet logged in to the platform) is not refused
    here: the platform refuses audit changes from anyone but the lead when the change syncs.
    """
    member = next((m for m in audit.team if m.user_id == actor), None)
    if member is not None and member.role is not TeamRole.LEAD:
        raise NotLeadAuditor(actor=member.name, role_label=Term(TEAM_ROLE_LABELS[member.role]))


def save_conclusions(store: Store, actor: str, audit_id: str, values: AuditConclusion | Mapping[str, Any], *,
                     replace: bool = False) -> Audit:
    """Write the lead auditor's conclusions onto the audit through the write path (one synced patch).

    ``values`` are merged into what the audit holds unless ``replace``; the result is validated
    whole, so a bad value is refused with its field named.
    """
    given = values.model_dump(mode="json", exclude_unset=not replace) if isinstance(values, AuditConclusion) \
        else dict(values)
    with store.unit_of_work(actor) as uow:
        audit = uow.get(Audit, audit_id)
        check_lead(audit, actor)
        current = {} if replace or audit.conclusions is None else audit.conclusions.model_dump(mode="json")
        merged = parse(AuditConclusion, {**current, **given})
        return uow.update(Audit, audit_id, {"conclusions": merged.model_dump(mode="json")})


def produce_report(session: Session, audit_id: str, *, fmt: str, out: Path, language: str = "zh_CN",
                   template: Path | None = None, conclusions: AuditConclusion | None = None,
                   draft: bool = False) -> Produced:
    """Write the report of ``audit_id`` (refused with every gap listed unless ``draft``) and record it.

    ``conclusions`` (an imported file) are first saved onto the audit, so the report is built from
    what the store holds and syncs.
    """
    if fmt not in FORMATS:
        raise UnknownFormat(format=fmt, formats=", ".join(FORMATS))
    language = normalise_language(language)
    if conclusions is not None:
        save_conclusions(session.store, session.actor, audit_id, conclusions)
    data = report_data(session, audit_id)
    document = report_document(data, language=language, draft=draft)
    result = write_document(document, fmt, out, template)
    signed_off = data.signed_off()
    inputs = {"conclusions": data.given.model_dump(mode="json"), "signed_off": signed_off}
    record_id = record_output(session.store, session.actor, audit_id, "report", result, language=language,
                              draft=draft, inputs=inputs)
    return Produced("report", result, language, draft, record_id, signed_off)


def produce_plan(session: Session, audit_id: str, *, fmt: str, out: Path, language: str = "zh_CN",
                 template: Path | None = None, days: float | None = None,
                 complexity: Mapping[Standard, Complexity] | None = None, offsite_percent: float = 0.0,
                 contacts: Mapping[str, str] | None = None, cb_name: str = "") -> Produced:
    """Generate the plan of ``audit_id`` (IAF MD 5 time unless ``days``), write it and record it."""
    if fmt not in PLAN_FORMATS:
        raise UnknownFormat(format=fmt, formats=", ".join(PLAN_FORMATS))
    language = normalise_language(language)
    store = session.store
    audit: Audit = store.audits.get(audit_id)
    built = build_plan(audit, store.checklist.list(audit_id), days=days, complexity=complexity,
                       offsite_percent=offsite_percent, contacts=contacts, language=language)
    document = plan_document(built.plan, language=language, audit_time=built.audit_time, cb_name=cb_name)
    result = write_document(document, fmt, out, template)
    inputs = {"audit_days": built.plan.audit_days, "cb_name": cb_name}
    record_id = record_output(store, session.actor, audit_id, "plan", result, language=language, inputs=inputs)
    return Produced("plan", result, language, False, record_id)
