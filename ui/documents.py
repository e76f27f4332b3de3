"""Qt-free plan and report production for the documents tab (run on the database thread).

Previews are rendered to PDF bytes in memory (a decrypted report never lands in a
temporary file); "save" goes through ``app.services.documents`` so the produced
file is recorded in the journal with its hash.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.services.session import Session

KINDS = ("plan", "report")


@dataclass(frozen=True)
class Preview:
    kind: str
    pdf: bytes
    notes: list[str]


def complexities(session: Session, audit_id: str, level: str | None) -> dict[Any, Any] | None:
    """The complexity the auditor chose in the tab, for every EMS / OH&S standard it applies to.

    ``None`` (nothing chosen) leaves the categories recorded on the audit to the plan builder; a
    chosen category replaces them only where IAF MD 5 has it (OH&S has no "limited").
    """
    if level is None:
        return None
    from app.domain.audit import COMPLEXITY_CATEGORIES, Complexity

    audit = session.store.audits.get(audit_id)
    chosen = Complexity(level)
    override = dict(audit.complexity)
    for standard in audit.standards:
        if chosen in COMPLEXITY_CATEGORIES.get(standard, ()):
            override[standard] = chosen
    return override


def preview(session: Session, audit_id: str, kind: str, language: str, complexity: str | None = None) -> Preview:
    """The plan, or the report as a draft (gaps are listed in ``notes`` instead of refused)."""
    from app.reporting.pdf import render_pdf

    if kind == "plan":
        from app.planning.plan_builder import build_plan
        from app.reporting.plan_document import plan_document

        store = session.store
        built = build_plan(store.audits.get(audit_id), store.checklist.list(audit_id), language=language,
                           complexity=complexities(session, audit_id, complexity))
        document = plan_document(built.plan, language=language, audit_time=built.audit_time)
        return Preview(kind, render_pdf(document), [])
    from app.reporting.report_builder import report_document
    from app.reporting.report_check import missing_for_report
    from app.services.documents import report_data

    # The lead auditor's conclusions are part of the audit (written on the Conclusions tab).
    data = report_data(session, audit_id)
    gaps = [gap.message() for gap in missing_for_report(data)]
    return Preview(kind, render_pdf(report_document(data, language=language, draft=True)), gaps)


def save(session: Session, audit_id: str, kind: str, fmt: str, out: Path, language: str,
         draft: bool, complexity: str | None = None) -> dict[str, Any]:
    from app.services import documents

    if kind == "plan":
        produced = documents.produce_plan(session, audit_id, fmt=fmt, out=out, language=language,
                                          complexity=complexities(session, audit_id, complexity))
    else:
        produced = documents.produce_report(session, audit_id, fmt=fmt, out=out, language=language, draft=draft)
    return produced.summary()


def produced(session: Session, audit_id: str) -> list[dict[str, Any]]:
    from app.services.documents import produced_documents

    return produced_documents(session.store, audit_id)
