"""Qt-free reads the screens need, run on the database thread; they return plain snapshots.

Widgets never hold the store: a controller asks the runner to run one of these
and hands the snapshot to a model on the GUI thread.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from typing import Any

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
    """Every audit with its progress and sync state, in a few queries whatever the count.

    The list reads the few fields it shows straight from the stored JSON instead of validating every
    audit through the domain model again: each record was validated when it was written (local edit
    or pulled change), and re-validating 500 audits (codes checked against the catalogues) took
    longer than the rest of the start-up together.
    """
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
    rows = []
    for (audit_id, title, client, uscc, standards, audit_type, status, start, end, team,
         server_rev) in store.query(
            "SELECT id, json_extract(data, '$.title'), json_extract(data, '$.client.name'),"
            " json_extract(data, '$.client.uscc'), json_extract(data, '$.standards'),"
            " json_extract(data, '$.audit_type'), json_extract(data, '$.status'), json_extract(data, '$.start_date'),"
            " json_extract(data, '$.end_date'), json_extract(data, '$.team'), server_rev"
            " FROM records WHERE entity = 'audit' AND deleted = 0"):
        total, answered = counts.get(str(audit_id), (0, 0))
        rows.append(AuditRow(
            id=str(audit_id), title=str(title), client=str(client), uscc=str(uscc or ""),
            standards=tuple(str(s) for s in json.loads(standards or "[]")), audit_type=str(audit_type),
            status=str(status), start=date.fromisoformat(start), end=date.fromisoformat(end),
            my_role=_role_in(json.loads(team or "[]"), user_id), answered=answered, items=total,
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
