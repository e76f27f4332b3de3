"""Qt-free reads and writes behind the sync panel (run on the database thread).

The sync engine itself lives in ``sync/``; this module only gathers what the
panel shows (login, pending changes, conflicts, rejected changes) and writes the
lead auditor's conflict decisions through the single write path.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Protocol

from app.domain import ENTITY_TYPES
from app.progress import Progress
from app.services.session import SIGNATURE_SUITE
from app.store import Store
from app.store.repositories import Repository
from sync import state


class SyncEngineLike(Protocol):
    """What the desktop needs from ``sync.engine.SyncEngine`` (a seam for tests and other platforms)."""

    def login(self, server: str, username: str, password: str) -> Any: ...

    def run_once(self, progress: Progress | None = None) -> Any: ...


@dataclass
class SyncStatus:
    logged_in: bool = False
    server: str = ""
    username: str = ""
    user_id: str = ""
    pending: int = 0
    last_synced_at: str | None = None
    conflicts: list[dict[str, Any]] = field(default_factory=list)
    rejected: list[dict[str, Any]] = field(default_factory=list)
    quarantined: int = 0
    audit_titles: dict[str, str] = field(default_factory=dict)
    signature_suite: str | None = None  # the platform's choice; None until a platform has said


def read_status(store: Store) -> SyncStatus:
    credentials = state.load_credentials(store)
    scopes = state.scopes(store)
    synced = [str(s["synced_at"]) for s in scopes if s.get("synced_at")]
    titles = {a.id: a.client.name for a in store.audits.list()}
    return SyncStatus(
        logged_in=credentials is not None,
        server=credentials.server if credentials else "",
        username=credentials.tokens.username if credentials else "",
        user_id=credentials.tokens.user_id if credentials else "",
        pending=store.pending_mutations(),
        last_synced_at=max(synced) if synced else None,
        # A conflict the lead has decided stays open until the platform applies the decision: don't ask twice.
        conflicts=[c for c in state.open_conflicts(store) if str(c.get("id")) not in decided_conflicts(store)],
        rejected=state.rejected(store),
        quarantined=len(state.quarantined(store)),
        audit_titles=titles,
        signature_suite=store.meta(SIGNATURE_SUITE),
    )


def decided_conflicts(store: Store) -> set[str]:
    """Conflicts with a resolution waiting in the outbox."""
    decided = set()
    for (fields,) in store.query("SELECT fields FROM outbox WHERE op = 'resolve'"):
        value = json.loads(fields).get("conflict_id")
        if value:
            decided.add(str(value))
    return decided


def current_values(store: Store, conflict: dict[str, Any]) -> dict[str, Any]:
    """This device's current values of the contested record (what the panel shows as "this device")."""
    repositories: dict[str, Repository[Any]] = {
        "finding": store.findings, "checklist_item": store.checklist, "audit": store.audits,
        "evidence": store.evidence}
    repository = repositories.get(str(conflict.get("entity")))
    record = repository.find(str(conflict["entity_id"])) if repository is not None else None
    return record.model_dump(mode="json") if record is not None else {}


def resolve_conflict(store: Store, actor: str, conflict: dict[str, Any], resolution: str,
                     values: dict[str, Any]) -> None:
    """Record the lead auditor's decision; the platform applies it when the change is pushed."""
    model = ENTITY_TYPES[str(conflict["entity"])]
    with store.unit_of_work(actor=actor) as uow:
        uow.resolve(model, str(conflict["entity_id"]), conflict_id=str(conflict["id"]), resolution=resolution,
                    values=values)
