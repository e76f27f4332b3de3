"""Mutations waiting for the platform, in the order this device made them."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from app.domain.clock import utc_now
from app.domain.ids import new_id
from app.store.canonical import dumps
from app.store.connection import Connection

WIRE_SCHEMA_VERSION = 1


@dataclass(frozen=True)
class PendingMutation:
    seq: int
    mutation_id: str
    device_seq: int
    audit_id: str
    entity: str
    entity_id: str
    op: str
    base_rev: int
    fields: dict[str, Any]
    hlc: str
    schema_version: int
    created_at: str


_SELECT = ("SELECT seq, mutation_id, device_seq, audit_id, entity, entity_id, op, base_rev, fields, hlc,"
           " schema_version, created_at FROM outbox")


def enqueue(conn: Connection, *, device_seq: int, audit_id: str, entity: str, entity_id: str, op: str,
            base_rev: int, fields: dict[str, Any], hlc: str) -> str:
    mutation_id = new_id()
    conn.execute(
        "INSERT INTO outbox (mutation_id, device_seq, audit_id, entity, entity_id, op, base_rev, fields, hlc,"
        " schema_version, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
        (mutation_id, device_seq, audit_id, entity, entity_id, op, base_rev, dumps(fields), hlc,
         WIRE_SCHEMA_VERSION, utc_now().isoformat()),
    )
    return mutation_id


def _from_row(row: tuple[Any, ...]) -> PendingMutation:
    return PendingMutation(int(row[0]), str(row[1]), int(row[2]), str(row[3]), str(row[4]), str(row[5]),
                           str(row[6]), int(row[7]), json.loads(row[8]), str(row[9]), int(row[10]), str(row[11]))


def pending(conn: Connection, limit: int | None = None) -> list[PendingMutation]:
    sql = _SELECT + " ORDER BY seq" + (f" LIMIT {int(limit)}" if limit else "")
    return [_from_row(row) for row in conn.execute(sql)]


def pending_in(conn: Connection, audit_ids: list[str], limit: int) -> list[PendingMutation]:
    """The oldest pending mutations of these audits only (others cannot be sent yet)."""
    if not audit_ids:
        return []
    marks = ",".join("?" * len(audit_ids))
    # "+audit_id" keeps SQLite walking the outbox in seq order and stopping after ``limit`` rows: through the
    # outbox_by_audit index it would fetch and sort every queued mutation for each batch.
    rows = conn.execute(_SELECT + f" WHERE +audit_id IN ({marks}) ORDER BY seq LIMIT {int(limit)}",
                        tuple(audit_ids))
    return [_from_row(row) for row in rows]


def pending_for(conn: Connection, entity: str, entity_id: str) -> list[PendingMutation]:
    rows = conn.execute(_SELECT + " WHERE entity = ? AND entity_id = ? ORDER BY seq", (entity, entity_id))
    return [_from_row(row) for row in rows]


def count(conn: Connection) -> int:
    return int(conn.execute("SELECT count(*) FROM outbox").fetchone()[0])


def remove(conn: Connection, mutation_id: str) -> None:
    conn.execute("DELETE FROM outbox WHERE mutation_id = ?", (mutation_id,))
