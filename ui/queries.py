"""Qt-free reads the screens need, run on the database thread; they return plain snapshots.

Widgets never hold the store: a controller asks the runner to run one of these
and hands the snapshot to a model on the GUI thread.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from app.domain.vocabulary import TeamRole

if TYPE_CHECKING:
    # The models are only needed by the workspace; the audit list (start-up) reads plain JSON.
    from app.domain import Audit, ChecklistItem, Evidence, Finding
    from app.store import Store


@dataclass(frozen=True)
class AuditRow:
    """One line of the audit list."""

    id: str
    title: str
    client: str
    uscc: str
    standards: tuple[str, ...]
    audit_type: str
    status: str
    start: date
    end: date
    my_role: TeamRole | None
    answered: int
    items: int
    findings: int
    pending: int
    synced_once: bool
    conflicts: int = 0

    @property
    def progress(self) -> float:
        return self.answered / self.items if self.items else 0.0


@dataclass(frozen=True)
class AuditListSnapshot:
    rows: list[AuditRow]
    pending_total: int


def my_role(audit: Audit, user_id: str) -> TeamRole | None:
    if not user_id:
        return None
    return next((m.role for m in audit.team if m.user_id == user_id), None)


def load_audit_list(store: Store, user_id: str) -> AuditListSnapshot:
    """Every audit with its progress and sync state, in a few queries whatever the count.

    The list reads the few fields it shows straight from the stored JSON instead of validating every
    audit through the domain model again: each record was validated when it was written (local edit
    or pulled change), and re-validating 500 audits (codes checked against the catalogues) took
    longer than the rest of the start-up together.
    """
    # Whole JSON documents are parsed by Python's json module: SQLite's json_extract took ~3x longer here
    # (each call parses the document again; ten fields of 500 audits were 5,000 parses).
    counts: dict[str, list[int]] = {}
    for audit_id, data in store.query(
            "SELECT audit_id, data FROM records WHERE entity = 'checklist_item' AND deleted = 0"):
        count = counts.setdefault(str(audit_id), [0, 0])
        count[0] += 1
        count[1] += json.loads(data).get("answer") is not None
    findings = {str(a): int(n) for a, n in store.query(
        "SELECT audit_id, count(*) FROM records WHERE entity = 'finding' AND deleted = 0 GROUP BY audit_id")}
    pending = {str(a): int(n) for a, n in store.query("SELECT audit_id, count(*) FROM outbox GROUP BY audit_id")}
    conflicts = {str(a): int(n) for a, n in store.query(
        "SELECT audit_id, count(*) FROM records WHERE entity = 'conflict' AND deleted = 0"
        " AND json_extract(data, '$.status') = 'open' GROUP BY audit_id")}
    rows = []
    for audit_id, data, server_rev in store.query(
            "SELECT id, data, server_rev FROM records WHERE entity = 'audit' AND deleted = 0"):
        audit = json.loads(data)
        client = audit.get("client") or {}
        total, answered = counts.get(str(audit_id), (0, 0))
        rows.append(AuditRow(
            id=str(audit_id), title=str(audit.get("title")), client=str(client.get("name")),
            uscc=str(client.get("uscc") or ""), standards=tuple(str(s) for s in audit.get("standards") or ()),
            audit_type=str(audit.get("audit_type")), status=str(audit.get("status")),
            start=date.fromisoformat(audit["start_date"]), end=date.fromisoformat(audit["end_date"]),
            my_role=_role_in(audit.get("team") or [], user_id), answered=answered, items=total,
            findings=findings.get(str(audit_id), 0), pending=pending.get(str(audit_id), 0),
            synced_once=int(server_rev or 0) > 0, conflicts=conflicts.get(str(audit_id), 0),
        ))
    rows.sort(key=lambda r: (r.start, r.client), reverse=True)
    return AuditListSnapshot(rows, store.pending_mutations())


def _role_in(team: list[dict[str, Any]], user_id: str) -> TeamRole | None:
    if not user_id:
        return None
    return next((TeamRole(m["role"]) for m in team if m.get("user_id") == user_id), None)


@dataclass
class WorkspaceSnapshot:
    """Everything one audit's workspace shows when it opens (evidence metadata only, no bytes)."""

    audit: Audit
    items: list[ChecklistItem]
    findings: list[Finding]
    evidence: list[Evidence] = field(default_factory=list)
    pending: int = 0


def load_workspace(store: Store, audit_id: str) -> WorkspaceSnapshot:
    audit = store.audits.get(audit_id)
    pending = int(store.query("SELECT count(*) FROM outbox WHERE audit_id = ?", (audit_id,))[0][0])
    return WorkspaceSnapshot(
        audit=audit,
        items=store.checklist.list(audit_id),
        findings=store.findings.list(audit_id),
        evidence=store.evidence.list(audit_id),
        pending=pending,
    )
