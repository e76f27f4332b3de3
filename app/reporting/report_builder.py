"""The audit report (ISO/IEC 17021-1 clause 9.4.8) as a neutral document, in Chinese or English.

Built only from structured data (:class:`~app.reporting.report_data.ReportData`): nothing is
retyped.  :func:`report_document` refuses with every gap listed
(:class:`~app.reporting.report_check.ReportIncomplete`) unless ``draft`` is set; a draft says
"draft" in its title (and so in the Word header), on every page's footer and on its first page,
where it lists what is missing, and carries ``draft=true`` in its metadata.  A draft, and any
report produced before the client's representative signed off the findings, carries a large
diagonal "DRAFT" watermark on every page in every format.  Once there are signatures, the report
has a signature verification section and carries the verification manifest as an attached file
(:mod:`~app.reporting.report_verification`).

Names a Word template may use, besides ``title``, ``subtitle``, ``author`` and ``footer``:

* ``cb.name``; ``client.name``, ``client.uscc``, ``client.address``, ``client.representative``;
* ``audit.type``, ``audit.dates``, ``audit.standards`` (list), ``audit.scope``, ``audit.scope_codes``,
  ``audit.objectives``, ``audit.sites`` (list of text), ``audit.deviations``, ``audit.sampling``;
* ``team`` (list: ``name``, ``role``, ``codes``);
* ``findings`` (list: ``number``, ``grade``, ``clauses`` (list), ``statement``, ``requirement``,
  ``objective_evidence``, ``state``, ``evidence`` (list)); ``counts`` (list: ``grade``, ``number``);
* ``conclusions.conformity``, ``.effectiveness``, ``.internal_audit``, ``.scope``,
  ``.recommendation``, ``.previous_actions``, ``.marks_use``; ``audit.changes``, ``audit.unresolved_issues``,
  ``audit.programme_issues``;
* ``signoffs`` (list: ``role``, ``name``, ``date``, ``note``); ``draft`` (true in a draft); ``signed_off``
  (true once the client's representative signed off the findings and that signature still holds).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from app.domain.audit import AUDIT_TYPE_LABELS, TEAM_ROLE_LABELS, Audit
from app.i18n import N_
from app.reporting.language import translator
from app.reporting.model import Block, Document, ImageRow, KeyValues, Paragraph, Section, SignatureBlock, Table
from app.reporting.report_check import Missing, ReportIncomplete, missing_for_report
from app.reporting.report_data import ReportData
from app.reporting.report_input import (
    DEFAULT_OBJECTIVES,
    DEFAULT_SAMPLING,
    FOLLOW_UP_TYPES,
    recommendation_label,
)
from app.reporting.report_sections import (
    AUDITEE_ROLE,
    Translate,
    coverage,
    evidence_index,
    findings,
    signature_pictures,
    signoffs,
)
from app.reporting.report_verification import embedded, verification_section

DRAFT_FOOTER = N_("DRAFT: incomplete, not for issue")
UNSIGNED_FOOTER = N_("DRAFT: not yet signed off by the client's representative, not for issue")
DRAFT_MARK = N_("DRAFT")


def audit_dates(audit: Audit) -> str:
    if audit.start_date == audit.end_date:
        return audit.start_date.isoformat()
    return f"{audit.start_date.isoformat()} – {audit.end_date.isoformat()}"


def _sites(audit: Audit, t: Translate) -> list[str]:
    lines = []
    for site in audit.sites:
        text = f"{site.name} {site.address}".strip()
        if site.processes:
            # One message for the whole line: Chinese takes full-width brackets and no space before them.
            text = t(N_("{site} (processes: {names})")).format(site=text, names="、".join(site.processes))
        lines.append(text)
    return lines


def _then(first: str, note: str, t: Translate) -> str:
    """A standard sentence followed by the lead's note: a space between English sentences, none in Chinese."""
    if not note.strip():
        return first
    return t(N_("{sentence} {note}")).format(sentence=first, note=note.strip())


def _or_missing(value: str, t: Translate) -> str:
    return value if value.strip() else t(N_("[missing]"))


def _conclusions(data: ReportData, t: Translate) -> dict[str, str]:
    given = data.given
    if given.scope_appropriate is None:
        scope = ""
    else:
        scope = t(N_("The scope of certification is appropriate.") if given.scope_appropriate
                  else N_("The scope of certification is not appropriate."))
        scope = _then(scope, given.scope_note, t)
    recommendation = ""
    if given.recommendation is not None:
        recommendation = t(recommendation_label(given.recommendation, data.audit.audit_type))
        recommendation = _then(recommendation, given.recommendation_note, t)
    previous = given.previous_actions
    if not previous.strip() and data.audit.audit_type not in FOLLOW_UP_TYPES:
        previous = t(N_("Not applicable: there are no earlier nonconformities to verify at this audit."))
    return {"conformity": given.conformity, "effectiveness": given.effectiveness,
            "internal_audit": given.internal_audit, "scope": scope, "recommendation": recommendation,
            "previous_actions": previous, "marks_use": given.marks_use}


def _details(data: ReportData, t: Translate, objectives: str) -> KeyValues:
    audit = data.audit
    rows = [
        (t(N_("Certification body")), _or_missing(data.given.cb_name, t)),
        (t(N_("Audited organisation")), audit.client.name),
        (t(N_("Unified social credit code")), audit.client.uscc),
        (t(N_("Address")), _or_missing(audit.client.address, t)),
        (t(AUDITEE_ROLE), _or_missing(audit.client.representative, t)),
        (t(N_("Audit type")), t(AUDIT_TYPE_LABELS[audit.audit_type])),
        (t(N_("Audit criteria")), "; ".join(str(s) for s in audit.standards)),
        (t(N_("Audit objectives")), objectives),
        (t(N_("Scope")), _or_missing(audit.scope, t)),
        (t(N_("Scope codes")), ", ".join(audit.scope_codes)),
        (t(N_("Audit dates")), audit_dates(audit)),
        (t(N_("Sites")), "\n".join(_sites(audit, t))),
    ]
    if len(audit.standards) > 1:
        rows.append((t(N_("Combined audit")), t(N_("The {count} management system standards were audited "
                                                   "together.")).format(count=len(audit.standards))))
    if data.produced_at is not None:
        # Dates are shown in the local time zone of the device (the auditor's), not UTC.
        rows.append((t(N_("Report date")), data.produced_at.astimezone().date().isoformat()))
    return KeyValues(rows)


def _none_identified(value: str, t: Translate) -> str:
    return value if value.strip() else t(N_("None identified."))


def _conduct(data: ReportData, t: Translate, sampling: str) -> KeyValues:
    given = data.given
    if given.objectives_fulfilled is None:
        fulfilled = t(N_("[missing]"))
    else:
        fulfilled = t(N_("The audit objectives were fulfilled.") if given.objectives_fulfilled
                      else N_("The audit objectives were not fully fulfilled."))
    rows = [(t(N_("Audit objectives fulfilled")), fulfilled),
            (t(N_("Deviations from the audit plan")), _or_missing(given.deviations, t)),
            (t(N_("Issues affecting the audit programme")), _none_identified(given.programme_issues, t)),
            (t(N_("Unresolved issues")), _none_identified(given.unresolved_issues, t))]
    if data.audit.audit_type in FOLLOW_UP_TYPES or given.changes.strip():
        rows.append((t(N_("Significant changes since the last audit")), _or_missing(given.changes, t)))
    rows.append((t(N_("Sampling")), sampling))
    return KeyValues(rows)


def _marks(data: ReportData, t: Translate) -> list[tuple[str, str]]:
    given = data.given
    if data.audit.audit_type not in FOLLOW_UP_TYPES and not given.marks_use.strip():
        return []
    return [(t(N_("Use of certification documents and marks")), _or_missing(given.marks_use, t))]


def _draft_notice(missing: Sequence[Missing], t: Translate) -> Section:
    blocks: list[Block] = [Paragraph(t(N_("This is a draft. It must not be issued: it lacks the following.")),
                                     bold=True)]
    blocks += [Paragraph(f"- {item.message(t)}") for item in missing]
    return Section(t(N_("Draft")), blocks)


def report_document(data: ReportData, *, language: str = "zh_CN", draft: bool = False) -> Document:
    """The report of ``data.audit`` in ``language``; refuses with every gap unless ``draft``."""
    missing = missing_for_report(data)
    if missing and not draft:
        raise ReportIncomplete(missing)
    t = translator(language)
    audit, given = data.audit, data.given
    objectives = given.objectives or t(DEFAULT_OBJECTIVES[audit.audit_type])
    sampling = given.sampling or t(DEFAULT_SAMPLING)
    conclusions = _conclusions(data, t)
    team = Table([t(N_("Name")), t(N_("Role")), t(N_("Competence codes"))],
                 [[m.name, t(TEAM_ROLE_LABELS[m.role]), ", ".join(m.competence_codes)] for m in audit.team],
                 widths=[0.3, 0.3, 0.4])
    finding_blocks, finding_context = findings(data, t, language)
    signers, signer_context = signoffs(data, t)
    verification = verification_section(data, t)
    signed_off = data.signed_off()
    blocks: list[Block] = [_draft_notice(missing, t)] if draft else []
    blocks += [
        Section(t(N_("Audit details")), [_details(data, t, objectives)]),
        Section(t(N_("Audit team")), [team]),
        Section(t(N_("Conduct of the audit")), [_conduct(data, t, sampling)]),
        Section(t(N_("Findings")), finding_blocks),
        Section(t(N_("Verification of earlier corrective actions")),
                [Paragraph(_or_missing(conclusions["previous_actions"], t))]),
        Section(t(N_("Conclusions")), [KeyValues([
            (t(N_("Conformity of the management system")), _or_missing(conclusions["conformity"], t)),
            (t(N_("Effectiveness of the management system")), _or_missing(conclusions["effectiveness"], t)),
            (t(N_("Internal audit and management review")), _or_missing(conclusions["internal_audit"], t)),
            (t(N_("Scope of certification")), _or_missing(conclusions["scope"], t)),
            *_marks(data, t),
            (t(N_("Recommendation")), _or_missing(conclusions["recommendation"], t)),
        ])]),
        SignatureBlock(signers, title=t(N_("Sign-offs"))),
        *([ImageRow(pictures, per_row=3)] if (pictures := signature_pictures(data, t)) else []),
        *([verification] if verification is not None else []),
        Section(t(N_("Clause coverage")), coverage(data, t, language)),
        Section(t(N_("Evidence")), evidence_index(data, t)),
    ]
    title = t(N_("Audit report"))
    if draft:
        title = t(N_("{title} (draft)")).format(title=title)
    lead = audit.lead()
    counts = [{"grade": row[0], "number": row[1]} for row in _counts(finding_blocks)]
    context: dict[str, Any] = {
        "cb": {"name": given.cb_name},
        "client": {"name": audit.client.name, "uscc": audit.client.uscc, "address": audit.client.address,
                   "representative": audit.client.representative},
        "audit": {"type": t(AUDIT_TYPE_LABELS[audit.audit_type]), "dates": audit_dates(audit),
                  "standards": [str(s) for s in audit.standards], "scope": audit.scope,
                  "scope_codes": ", ".join(audit.scope_codes), "objectives": objectives,
                  "sites": _sites(audit, t), "deviations": given.deviations, "sampling": sampling,
                  "changes": given.changes, "unresolved_issues": given.unresolved_issues,
                  "programme_issues": given.programme_issues},
        "team": [{"name": m.name, "role": t(TEAM_ROLE_LABELS[m.role]), "codes": ", ".join(m.competence_codes)}
                 for m in audit.team],
        "findings": finding_context, "counts": counts, "conclusions": conclusions, "signoffs": signer_context,
        "draft": draft, "signed_off": signed_off,
    }
    metadata = {"audit_id": audit.id, "kind": "report", "language": language,
                "signed_off": "true" if signed_off else "false"}
    if draft:
        metadata["draft"] = "true"
    footer = t(DRAFT_FOOTER) if draft else "" if signed_off else t(UNSIGNED_FOOTER)
    attachments, signatures = embedded(data)
    return Document(title=title, subtitle=audit.client.name, language=language, author=lead.name if lead else "",
                    blocks=blocks, context=context, kind="report", metadata=metadata, footer=footer,
                    watermark=t(DRAFT_MARK) if draft or not signed_off else "", attachments=attachments,
                    signatures=signatures)


def _counts(blocks: Sequence[Block]) -> list[Sequence[str]]:
    first = blocks[0] if blocks else None
    return list(first.rows) if isinstance(first, Table) else []
