"""Qt-free reads the screens need, run on the database thread; they return plain snapshots.

Widgets never hold the store: a controller asks the runner to run one of these
and hands the snapshot to a model on the GUI thread.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from app.domain import Audit, ChecklistItem, Evidence, Finding, TeamRole
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
    """Every audit with its progress and sync state, in three queries whatever the count."""
    counts: dict[str, tuple[int, int]] = {}
    for audit_id, total, answered in store.query(
            "SELECT audit_id, count(*), sum(json_extract(data, '$.answer') IS NOT NULL) FROM records"
            " WHERE entity = 'checklist_item' AND deleted = 0 GROUP BY audit_id"):
        counts[str(audit_id)] = (int(total), int(answered or 0))
    findings = {str(a): int(n) for a, n in store.query(
        "SELECT audit_id, count(*) FROM records WHERE entity = 'finding' AND deleted = 0 GROUP BY audit_id")}
    pending = {str(a): int(n) for a, n in store.query("SELECT audit_id, count(*) FROM outbox GROUP BY audit_id")}
    conflicts = {str(a): int(n) for a, n in store.query(
        "SELECT audit_id, count(*) FROM records WHERE entity = 'conflict' AND deleted = 0"
        " AND json_extract(data, '$.status') = 'open' GROUP BY audit_id")}
    revs = {str(i): int(r) for i, r in store.query(
        "SELECT id, server_rev FROM records WHERE entity = 'audit' AND deleted = 0")}
    rows = []
    for audit in store.audits.list():
        total, answered = counts.get(audit.id, (0, 0))
        rows.append(AuditRow(
            id=audit.id, title=audit.title, client=audit.client.name, uscc=audit.client.uscc,
            standards=tuple(str(s) for s in audit.standards), audit_type=audit.audit_type.value,
            status=audit.status.value, start=audit.start_date, end=audit.end_date,
            my_role=my_role(audit, user_id), answered=answered, items=total,
            findings=findings.get(audit.id, 0), pending=pending.get(audit.id, 0),
            synced_once=revs.get(audit.id, 0) > 0, conflicts=conflicts.get(audit.id, 0),
        ))
    rows.sort(key=lambda r: (r.start, r.client), reverse=True)
    return AuditListSnapshot(rows, store.pending_mutations())


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
