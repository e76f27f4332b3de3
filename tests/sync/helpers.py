"""Shared helpers for client-side sync tests: local edits, store snapshots and convergence checks."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any

from app.store.unit_of_work import UnitOfWork
from tests.central.helpers import World, login

USER_ENTITIES = ("audit", "checklist_item", "finding", "evidence", "signature")


def edit(device: Any, action: Callable[[UnitOfWork], Any]) -> Any:
    """One offline change on ``device`` through the single write path."""
    with device.store.unit_of_work(device.engine.actor) as uow:
        return action(uow)


def records(store: Any, audit_id: str, entities: Iterable[str] = USER_ENTITIES) -> dict[tuple[str, str], Any]:
    """Every record of one audit as (data, deleted), for comparing devices."""
    wanted = tuple(entities)
    marks = ",".join("?" * len(wanted))
    rows = store.query(f"SELECT entity, id, data, deleted FROM records WHERE audit_id = ? AND entity IN ({marks})",
                       (audit_id, *wanted))
    out: dict[tuple[str, str], Any] = {}
    for entity, ident, data, deleted in rows:
        out[(str(entity), str(ident))] = (None if deleted else json.loads(data), bool(deleted))
    return out


def live(store: Any, audit_id: str) -> dict[tuple[str, str], Any]:
    return {key: value[0] for key, value in records(store, audit_id).items() if not value[1]}


def sync_all(*devices: Any, rounds: int = 2) -> None:
    for _ in range(rounds):
        for device in devices:
            device.sync()


def assert_converged(audit_id: str, *devices: Any) -> None:
    first = records(devices[0].store, audit_id)
    for other in devices[1:]:
        theirs = records(other.store, audit_id)
        assert theirs == first, (devices[0].username, other.username,
                                 _diff(first, theirs))
        assert other.store.pending_mutations() == 0


def _diff(a: dict[Any, Any], b: dict[Any, Any]) -> list[Any]:
    keys = set(a) | set(b)
    return [(k, a.get(k), b.get(k)) for k in sorted(keys) if a.get(k) != b.get(k)][:5]


def admin(world: World) -> Any:
    return login(world.client, "admin")


def server_record(world: World, entity: str, entity_id: str) -> dict[str, Any]:
    """The platform's current row (rev, data, deleted) read straight from its database."""
    import sqlalchemy as sa

    from central.db.tables import records as table

    platform = world.client.app.state.platform  # type: ignore[attr-defined]
    with platform.db.read() as conn:
        row = conn.execute(sa.select(table).where(table.c.entity == entity, table.c.entity_id == entity_id)
                           ).mappings().one()
    return dict(row)


def server_changes(world: World, audit_id: str) -> list[dict[str, Any]]:
    import sqlalchemy as sa

    from central.db.tables import changes

    platform = world.client.app.state.platform  # type: ignore[attr-defined]
    with platform.db.read() as conn:
        rows = conn.execute(sa.select(changes).where(changes.c.audit_id == audit_id).order_by(changes.c.seq)
                            ).mappings().all()
    return [dict(r) for r in rows]


def older_platform(inner: Any, drop: Callable[[dict[str, Any]], None]) -> Any:
    """A transport to a platform from before some scopes-reply fields: ``drop`` takes them out of each reply."""
    from sync.transport import Reply

    class OlderPlatform:
        def __init__(self) -> None:
            self.calls = inner.calls

        def send(self, method: str, path: str, **kwargs: Any) -> Reply:
            reply: Reply = inner.send(method, path, **kwargs)
            if path != "/sync/scopes" or reply.status != 200:
                return reply
            body = json.loads(reply.body)
            drop(body)
            return Reply(reply.status, json.dumps(body).encode())

    return OlderPlatform()
