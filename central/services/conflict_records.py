"""Creating the platform-written feed records: conflicts (both versions) and history (lost values)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, Literal

from sqlalchemy.engine import Connection

from central.services.recordstore import StoredRecord, new_id, save
from sync.protocol import ConflictDescriptor, ConflictRecord, HistoryRecord, Mutation

ConflictKind = Literal["field", "edit_delete"]


def _now() -> datetime:
    return datetime.now(UTC)


def open_conflict(conn: Connection, m: Mutation, target: StoredRecord, *, kind: ConflictKind, fields: list[str],
                  server_values: dict[str, Any], client_values: dict[str, Any], server_deleted: bool,
                  client_deleted: bool) -> ConflictDescriptor:
    server_device = target.deleted_device if server_deleted else next(
        (target.field_meta.get(name, {}).get("device") for name in (fields or list(server_values))), None)
    record = ConflictRecord(
        id=new_id(), audit_id=target.audit_id, entity=target.entity, entity_id=target.entity_id,
        kind=kind, fields=sorted(fields), base_rev=m.base_rev, server_rev=target.rev, server_values=server_values,
        client_values=client_values, server_deleted=server_deleted, client_deleted=client_deleted,
        server_device=server_device, client_device=m.device_id, client_hlc=m.hlc, mutation_id=m.mutation_id,
        status="open", created_at=_now())
    save(conn, StoredRecord(entity="conflict", entity_id=record.id, audit_id=target.audit_id, rev=1,
                            data=record.model_dump(mode="json"), deleted=False, field_meta={},
                            target_id=target.entity_id, open_conflict=True),
         device=m.device_id, mutation_id=m.mutation_id, created=True)
    return ConflictDescriptor(conflict_id=record.id, kind=record.kind, fields=record.fields,
                              server_values=server_values, client_values=client_values,
                              server_deleted=server_deleted, client_deleted=client_deleted)


def record_history(conn: Connection, m: Mutation, target: StoredRecord, field: str, *, lost: Any,
                   lost_meta: dict[str, Any], winner: Any, winner_meta: dict[str, Any], rev: int) -> None:
    record = HistoryRecord(
        id=new_id(), audit_id=target.audit_id, entity=target.entity, entity_id=target.entity_id, field=field,
        lost_value=lost, lost_hlc=str(lost_meta.get("hlc", "")), lost_device=lost_meta.get("device"),
        winner_value=winner, winner_hlc=str(winner_meta.get("hlc", "")),
        winner_device=winner_meta.get("device"), rev=rev, recorded_at=_now())
    save(conn, StoredRecord(entity="history", entity_id=record.id, audit_id=target.audit_id, rev=1,
                            data=record.model_dump(mode="json"), deleted=False, field_meta={},
                            target_id=target.entity_id),
         device=m.device_id, mutation_id=m.mutation_id, created=True)
