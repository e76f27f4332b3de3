"""The report's data-heavy parts: clause coverage, findings with evidence, the evidence index, sign-offs.

Each function returns document-model blocks in the document's language (``t``) plus, where a
Word template may want them, plain values for the template context.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from app.domain import Evidence, Finding, Signature, SignatureMethod
from app.domain.audit import TEAM_ROLE_LABELS, TeamRole
from app.domain.checklist import ANSWER_LABELS
from app.domain.finding import FINDING_STATE_LABELS, GRADE_LABELS
from app.i18n import N_
from app.refdata import clause_title
from app.reporting.model import Block, Image, ImageRow, KeyValues, Paragraph, Section, Signer, Table
from app.reporting.report_data import GRADE_ORDER, ReportData
from app.reporting.signature_image import handwritten_png

Translate = Callable[[str], str]
THUMB_MM = 45.0
METHOD_LABELS = {
    SignatureMethod.DEVICE_KEY: N_("device key"),
    SignatureMethod.HANDWRITTEN: N_("handwritten"),
    SignatureMethod.PLATFORM_COUNTERSIGN: N_("platform countersignature"),
}
SUBJECT_LABELS = {"findings": N_("findings"), "report": N_("report file")}
AUDITEE_ROLE = N_("Client representative")


def _code(language: str) -> str:
    return "en" if language.startswith("en") else "zh"


def clause_text(standard: str, clause: str, language: str) -> str:
    """``ISO 9001:2015 7.1.5 监视和测量资源`` (the title from the catalogue when it has one)."""
    title = clause_title(standard, clause, _code(language))
    return f"{standard} {clause} {title}" if title else f"{standard} {clause}"


def coverage(data: ReportData, t: Translate, language: str) -> list[Block]:
    # The audit's own order of standards (as in the criteria), then clause numbers as numbers.
    order = {str(standard): index for index, standard in enumerate(data.audit.standards)}
    items = sorted(data.checklist, key=lambda item: (order.get(item.standard, len(order)), item.standard,
                                                     tuple(int(p) for p in item.clause.split(".") if p.isdigit())))
    answered = sum(1 for item in items if item.answer is not None)
    summary = t(N_("{answered} of {total} checklist items answered.")).format(answered=answered, total=len(items))
    rows = []
    for item in items:
        reference = clause_text(item.standard, item.clause, language)
        if item.also_covers:
            reference += "\n" + t(N_("also covers {refs}")).format(refs="; ".join(item.also_covers))
        result = t(ANSWER_LABELS[item.answer]) if item.answer is not None else t(N_("not answered"))
        raised = [str(number) for number, _finding in data.findings_on(item)]
        if raised:
            result += "\n" + t(N_("see finding {numbers}")).format(numbers=", ".join(raised))
        rows.append([reference, result, item.notes])
    blocks: list[Block] = [Paragraph(summary)]
    if rows:
        blocks.append(Table([t(N_("Clause")), t(N_("Result")), t(N_("Notes"))], rows, widths=[0.38, 0.17, 0.45]))
    return blocks


def _thumbnail(data: ReportData, item: Evidence, number: str) -> Image | None:
    picture = data.thumbnails.get(item.id)
    if picture is None or item.sensitive:
        return None
    caption = f"{number} {item.caption or item.file_name}".strip()
    return Image.from_bytes(picture, width_mm=THUMB_MM, caption=caption, name=item.file_name or number)


def _evidence_label(item: Evidence, number: str, t: Translate) -> str:
    label = f"{number} {item.caption or item.file_name}".strip()
    if item.sensitive:
        label += " " + t(N_("(sensitive: not reproduced)"))
    return label


def _finding_rows(finding: Finding, number: int, data: ReportData, t: Translate, language: str,
                  numbers: dict[str, str]) -> list[tuple[str, str]]:
    rows = [
        (t(N_("No.")), str(number)),
        (t(N_("Grade")), t(GRADE_LABELS[finding.grade])),
        (t(N_("Clauses")), "\n".join(clause_text(r.standard, r.clause, language) for r in finding.clause_refs)),
        (t(N_("Description of the finding")), finding.statement),
    ]
    optional = ((N_("Requirement"), finding.requirement), (N_("Objective evidence"), finding.objective_evidence),
                (N_("Auditee comment"), finding.auditee_comment), (N_("Correction"), finding.correction),
                (N_("Corrective action"), finding.corrective_action), (N_("Due"), finding.action_due or ""),
                (N_("Verification"), finding.verification_note))
    rows += [(t(label), value) for label, value in optional if value]
    rows.append((t(N_("Status")), t(FINDING_STATE_LABELS[finding.state])))
    evidence = [_evidence_label(item, numbers[item.id], t) for item in data.evidence_of(finding)]
    if evidence:
        rows.append((t(N_("Evidence")), "\n".join(evidence)))
    return rows


def findings(data: ReportData, t: Translate, language: str) -> tuple[list[Block], list[dict[str, Any]]]:
    """Summary by grade, then each finding (numbered across the report) with its evidence thumbnails."""
    ordered = data.ordered_findings()
    numbers = data.evidence_numbers()
    counts = [[t(GRADE_LABELS[grade]), str(sum(1 for f in ordered if f.grade is grade))] for grade in GRADE_ORDER]
    blocks: list[Block] = [Table([t(N_("Grade")), t(N_("Number"))], counts, widths=[0.7, 0.3])]
    if not ordered:
        blocks.append(Paragraph(t(N_("No findings were raised."))))
    context: list[dict[str, Any]] = []
    for grade in GRADE_ORDER:
        graded = [(index, f) for index, f in enumerate(ordered, start=1) if f.grade is grade]
        if not graded:
            continue
        inner: list[Block] = []
        for number, finding in graded:
            inner.append(KeyValues(_finding_rows(finding, number, data, t, language, numbers)))
            pictures = [image for item in data.evidence_of(finding)
                        if (image := _thumbnail(data, item, numbers[item.id])) is not None]
            if pictures:
                inner.append(ImageRow(pictures, per_row=3))
            context.append({
                "number": str(number), "grade": t(GRADE_LABELS[grade]), "statement": finding.statement,
                "clauses": [clause_text(r.standard, r.clause, language) for r in finding.clause_refs],
                "requirement": finding.requirement, "objective_evidence": finding.objective_evidence,
                "state": t(FINDING_STATE_LABELS[finding.state]),
                "evidence": [_evidence_label(item, numbers[item.id], t) for item in data.evidence_of(finding)],
            })
        blocks.append(Section(t(GRADE_LABELS[grade]), inner))
    return blocks, context


def evidence_index(data: ReportData, t: Translate) -> list[Block]:
    numbers = data.evidence_numbers()
    by_id = {item.id: item for item in data.evidence}
    rows = []
    for ident, number in numbers.items():
        item = by_id[ident]
        taken = item.captured_at.astimezone().strftime("%Y-%m-%d %H:%M") if item.captured_at else ""
        rows.append([number, _evidence_label(item, "", t).strip() or item.file_name, taken, item.sha256])
    if not rows:
        return [Paragraph(t(N_("No evidence is cited by the findings.")))]
    return [Table([t(N_("Ref.")), t(N_("Description")), t(N_("Captured")), "SHA-256"], rows,
                  widths=[0.08, 0.4, 0.17, 0.35])]


def role_label(role: str, t: Translate) -> str:
    if role == "auditee":
        return t(AUDITEE_ROLE)
    try:
        return t(TEAM_ROLE_LABELS[TeamRole(role)])
    except ValueError:
        return role


def _signer(signature: Signature, names: dict[str, str], t: Translate) -> Signer:
    subject = t(SUBJECT_LABELS[signature.subject]) if signature.subject in SUBJECT_LABELS else signature.subject
    note = f"{subject} · {t(METHOD_LABELS[signature.method])} · SHA-256 {signature.signed_hash[:16]}…"
    return Signer(role_label(signature.role, t), names.get(signature.signer, signature.signer),
                  signature.signed_at.astimezone().date().isoformat(), note)


def signature_pictures(data: ReportData, t: Translate) -> list[Image]:
    """The drawn signatures (representative at the closing meeting), captioned with who and when."""
    names = {member.user_id: member.name for member in data.audit.team}
    pictures = []
    for signature in sorted(data.signatures, key=lambda s: s.signed_at):
        drawn = handwritten_png(signature)
        if drawn is not None:
            signer = _signer(signature, names, t)
            pictures.append(Image.from_bytes(drawn, width_mm=50, caption=f"{signer.role} {signer.name} {signer.date}",
                                             name=signature.id))
    return pictures


def signoffs(data: ReportData, t: Translate) -> tuple[list[Signer], list[dict[str, str]]]:
    """Signatures recorded in the store, then the lines on which this report itself is signed."""
    audit = data.audit
    names = {member.user_id: member.name for member in audit.team}
    recorded = sorted(data.signatures, key=lambda s: s.signed_at)
    signers = [_signer(signature, names, t) for signature in recorded]
    lead = audit.lead()
    this_report = t(N_("signature on this report"))
    signers.append(Signer(t(TEAM_ROLE_LABELS[TeamRole.LEAD]), lead.name if lead else "", "", this_report))
    signers.append(Signer(t(AUDITEE_ROLE), audit.client.representative, "", this_report))
    context = [{"role": s.role, "name": s.name, "date": s.date, "note": s.note} for s in signers]
    return signers, context
