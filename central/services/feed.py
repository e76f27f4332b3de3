"""Reading a scope: the paged change feed, the snapshot and the open conflicts, filtered by role."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from central.db.engine import Database
from central.db.tables import changes, horizons, records
from central.errors import ApiError, forbidden
from central.services.auth import Principal
from central.services.clock import ServerHlc
from central.services.membership import AUDITEE, AUDITEE_ENTITIES, require_role, visible
from sync.protocol import (
    Change,
    ConflictRecord,
    ConflictsResponse,
    PullResponse,
    SnapshotRecord,
    SnapshotResponse,
)


def _entity_filter(role: str, column: Any) -> Any:
    return column.in_(sorted(AUDITEE_ENTITIES)) if role == AUDITEE else sa.true()


def feed_head(conn: Connection) -> int:
    """The newest sequence number of the whole feed (compacted ones included)."""
    newest = conn.execute(sa.select(sa.func.coalesce(sa.func.max(changes.c.seq), 0))).scalar_one()
    compacted = conn.execute(sa.select(sa.func.coalesce(sa.func.max(horizons.c.seq), 0))).scalar_one()
    return max(int(newest), int(compacted))


def gone(message: str) -> ApiError:
    return ApiError(410, "cursor_expired", message + " Take a new snapshot (GET /sync/snapshot).")


def pull(db: Database, hlc: ServerHlc, principal: Principal, scope: str, cursor: int,
         limit: int) -> PullResponse:
    with db.read() as conn:
        role = require_role(conn, principal, scope)
        horizon = conn.execute(sa.select(horizons.c.seq).where(horizons.c.audit_id == scope)).scalar() or 0
        if cursor < horizon:
            raise gone(f"Changes before {horizon} were compacted.")
        if cursor > feed_head(conn):
            raise gone("The cursor is ahead of this platform's feed (was it restored from a backup?).")
        rows = conn.execute(
            sa.select(changes).where(changes.c.audit_id == scope, changes.c.seq > cursor,
                                     _entity_filter(role, changes.c.entity))
            .order_by(changes.c.seq).limit(limit + 1)).mappings().all()
    page = rows[:limit]
    out: list[Change] = []
    for row in page:
        seen = visible(role, row["entity"], row["data"], bool(row["deleted"]))
        if seen is None:
            continue
        out.append(Change(seq=int(row["seq"]), entity=row["entity"], entity_id=row["entity_id"],
                          audit_id=row["audit_id"], rev=int(row["rev"]), data=seen[0], deleted=seen[1],
                          origin_device=row["origin_device"], mutation_id=row["mutation_id"]))
    next_cursor = int(page[-1]["seq"]) if page else cursor
    return PullResponse(scope=scope, changes=out, cursor=next_cursor, has_more=len(rows) > limit,
                        **hlc.stamp().model_dump())


def snapshot(db: Database, hlc: ServerHlc, principal: Principal, scope: str) -> SnapshotResponse:
    with db.read() as conn:
        role = require_role(conn, principal, scope)
        # The cursor is read before the records: a change landing in between is pulled again (same rev,
        # harmless) rather than skipped.
        cursor = feed_head(conn)
        rows = conn.execute(
            sa.select(records.c.entity, records.c.entity_id, records.c.rev, records.c.data, records.c.deleted)
            .where(records.c.audit_id == scope, _entity_filter(role, records.c.entity))
            .order_by(records.c.entity, records.c.entity_id)).mappings().all()
    out: list[SnapshotRecord] = []
    for row in rows:
        seen = visible(role, row["entity"], row["data"], bool(row["deleted"]))
        if seen is not None:
            out.append(SnapshotRecord(entity=row["entity"], entity_id=row["entity_id"], rev=int(row["rev"]),
                                      data=seen[0], deleted=seen[1]))
    return SnapshotResponse(scope=scope, records=out, cursor=cursor, **hlc.stamp().model_dump())


def conflicts(db: Database, hlc: ServerHlc, principal: Principal, scope: str) -> ConflictsResponse:
    with db.read() as conn:
        role = require_role(conn, principal, scope)
        if role == AUDITEE:
            raise forbidden("forbidden", "Conflicts are visible to the audit team only.")
        rows = conn.execute(
            sa.select(records.c.data).where(records.c.audit_id == scope, records.c.entity == "conflict",
                                            records.c.open_conflict.is_(True))
            .order_by(records.c.entity_id)).scalars().all()
    return ConflictsResponse(scope=scope, conflicts=[ConflictRecord.model_validate(row) for row in rows],
                             **hlc.stamp().model_dump())
