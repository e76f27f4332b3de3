"""Qt-free edits the screens make, each one unit of work on the single write path.

Every function runs on the database thread and returns the record as stored,
so the GUI refreshes from what was really saved.  Bad input raises
``ValidationFailed`` whose ``problems`` name the fields.
"""

from __future__ import annotations

from typing import Any

from app.domain import Answer, Audit, ChecklistItem, Finding
from app.domain.base import parse, utc_now
from app.store import Store

# Checklist answers that describe a problem: a finding made from the item takes its grade from it.
ANSWER_TO_GRADE = {
    Answer.MAJOR_NC: "major_nc",
    Answer.MINOR_NC: "minor_nc",
    Answer.OBSERVATION: "observation",
    Answer.OPPORTUNITY: "opportunity",
}


def answer_item(store: Store, actor: str, item_id: str, answer: Answer | None) -> ChecklistItem:
    changes: dict[str, Any] = {"answer": answer.value if answer else None}
    changes["answered_by"] = actor if answer else None
    changes["answered_at"] = utc_now().isoformat() if answer else None
    with store.unit_of_work(actor=actor) as uow:
        return uow.update(ChecklistItem, item_id, changes)


def create_checklist(store: Store, actor: str, audit_id: str, language: str) -> list[ChecklistItem]:
    """The audit's checklist from the clause catalogue of its standards (integrated: shared clauses once)."""
    from app.refdata import build_checklist_items

    audit = store.audits.get(audit_id)
    items = build_checklist_items(audit.id, [str(s) for s in audit.standards], language)
    with store.unit_of_work(actor=actor) as uow:
        for item in items:
            uow.create(item)
    return items


def set_item_notes(store: Store, actor: str, item_id: str, notes: str) -> ChecklistItem:
    with store.unit_of_work(actor=actor) as uow:
        return uow.update(ChecklistItem, item_id, {"notes": notes})


def finding_draft(item: ChecklistItem, actor: str) -> dict[str, Any]:
    """A new finding's fields pre-filled from the checklist item it is raised on."""
    refs = [{"standard": item.standard, "clause": item.clause}]
    refs += [{"standard": s, "clause": item.clause} for s in item.also_covers if s != item.standard]
    grade = ANSWER_TO_GRADE.get(item.answer, "minor_nc") if item.answer else "minor_nc"
    return {
        "audit_id": item.audit_id, "clause_refs": refs, "grade": grade, "requirement": item.question,
        "objective_evidence": item.notes, "statement": "", "checklist_item_id": item.id,
        "evidence_ids": list(item.evidence_ids), "raised_by": actor,
    }


def create_finding(store: Store, actor: str, data: dict[str, Any]) -> Finding:
    finding = parse(Finding, data)
    with store.unit_of_work(actor=actor) as uow:
        return uow.create(finding)


def update_finding(store: Store, actor: str, finding_id: str, changes: dict[str, Any]) -> Finding:
    with store.unit_of_work(actor=actor) as uow:
        return uow.update(Finding, finding_id, changes)


def delete_finding(store: Store, actor: str, finding_id: str) -> None:
    with store.unit_of_work(actor=actor) as uow:
        uow.delete(Finding, finding_id)


def set_conclusion(store: Store, actor: str, audit_id: str, field: str, value: Any) -> Audit:
    """Change one field of the lead auditor's conclusions, merged into what is stored now.

    Read and merged on the database thread, so two fields saved one after the other never undo
    each other.
    """
    audit = store.audits.get(audit_id)
    current = audit.conclusions.model_dump(mode="json") if audit.conclusions is not None else {}
    with store.unit_of_work(actor=actor) as uow:
        return uow.update(Audit, audit_id, {"conclusions": {**current, field: value}})
