"""Reading and writing current records and appending to the change feed (inside a write transaction)."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
import uuid6
from sqlalchemy.engine import Connection

from central.db.engine import before_commit
from central.db.tables import changes, records


def now_ms() -> int:
    return time.time_ns() // 1_000_000


def new_id() -> str:
    return str(uuid6.uuid7())


@dataclass
class StoredRecord:
    entity: str
    entity_id: str
    audit_id: str
    rev: int
    data: dict[str, Any] | None
    deleted: bool
    field_meta: dict[str, dict[str, Any]]
    deleted_rev: int | None = None
    deleted_device: str | None = None
    target_id: str | None = None
    open_conflict: bool = False
    exists: bool = field(default=True)


# Statements built once with bound parameters: per-call ``.values()``/``.where()`` construction was the
# largest cost of a push.
_SELECT = sa.select(records).where(records.c.entity == sa.bindparam("k_entity"),
                                   records.c.entity_id == sa.bindparam("k_id"))
_SELECT_FOR_UPDATE = _SELECT.with_for_update()
_INSERT = records.insert()
_UPDATE = records.update().where(records.c.entity == sa.bindparam("k_entity"),
                                 records.c.entity_id == sa.bindparam("k_id"))
_APPEND = changes.insert()
_PENDING = "fieldaudit.pending_feed"


def load(conn: Connection, entity: str, entity_id: str, *, for_update: bool = False) -> StoredRecord | None:
    query = _SELECT_FOR_UPDATE if for_update else _SELECT
    row = conn.execute(query, {"k_entity": entity, "k_id": entity_id}).mappings().first()
    if row is None:
        return None
    return StoredRecord(entity=row["entity"], entity_id=row["entity_id"], audit_id=row["audit_id"],
                        rev=int(row["rev"]), data=row["data"], deleted=bool(row["deleted"]),
                        field_meta=dict(row["field_meta"] or {}), deleted_rev=row["deleted_rev"],
                        deleted_device=row["deleted_device"], target_id=row["target_id"],
                        open_conflict=bool(row["open_conflict"]))


def save(conn: Connection, record: StoredRecord, *, device: str | None, mutation_id: str | None,
         created: bool) -> None:
    """Write ``record`` (its rev already advanced) and append it to the feed.

    Feed rows are only written, never read, inside a write transaction, so they are collected and
    inserted together just before the commit (``Database.write`` runs the hook), in order.
    """
    values = {"audit_id": record.audit_id, "rev": record.rev, "data": record.data,
              "deleted": record.deleted, "field_meta": record.field_meta, "deleted_rev": record.deleted_rev,
              "deleted_device": record.deleted_device, "target_id": record.target_id,
              "open_conflict": record.open_conflict, "updated_at": now_ms()}
    if created:
        conn.execute(_INSERT, {"entity": record.entity, "entity_id": record.entity_id, **values})
    else:
        conn.execute(_UPDATE, {"k_entity": record.entity, "k_id": record.entity_id, **values})
    pending = conn.info.get(_PENDING)
    if pending is None:
        pending = conn.info[_PENDING] = []
        before_commit(conn, _flush_feed)
    pending.append({
        "audit_id": record.audit_id, "entity": record.entity, "entity_id": record.entity_id, "rev": record.rev,
        "data": None if record.deleted else record.data, "deleted": record.deleted, "origin_device": device,
        "mutation_id": mutation_id, "created_at": now_ms()})


def _flush_feed(conn: Connection) -> None:
    rows = conn.info.pop(_PENDING, None)
    if rows:
        conn.execute(_APPEND, rows)


def meta_for(fields: dict[str, Any], rev: int, hlc: str, device: str | None) -> dict[str, dict[str, Any]]:
    return {name: {"rev": rev, "hlc": hlc, "device": device} for name in fields}


def open_conflicts(conn: Connection, audit_id: str) -> int:
    return int(conn.execute(
        sa.select(sa.func.count()).select_from(records).where(
            records.c.audit_id == audit_id, records.c.entity == "conflict", records.c.open_conflict.is_(True))
    ).scalar_one())


def open_conflict_counts(conn: Connection, audit_ids: list[str]) -> dict[str, int]:
    if not audit_ids:
        return {}
    rows = conn.execute(
        sa.select(records.c.audit_id, sa.func.count()).where(
            records.c.audit_id.in_(audit_ids), records.c.entity == "conflict",
            records.c.open_conflict.is_(True)).group_by(records.c.audit_id))
    return {str(audit): int(count) for audit, count in rows}
