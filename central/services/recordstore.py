"""Reading and writing current records and appending to the change feed (inside a write transaction)."""

from __future__ import annotations

import time
from collections.abc import Iterable
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
_TX_STATE = "fieldaudit.recordstore"
_PREFETCH = sa.select(records).with_for_update()
# Entities read only through load() inside a push (see _update).
_DEFERRABLE = frozenset({"audit", "checklist_item", "finding", "evidence"})


def _tx_state(conn: Connection) -> dict[str, Any]:
    """This transaction's working state (pending feed rows, prefetched records).

    ``conn.info`` belongs to the pooled connection and outlives the transaction, also one that rolled
    back: the state is tied to the transaction object, so a new transaction always starts clean.
    """
    tx = conn.get_transaction()
    held = conn.info.get(_TX_STATE)
    if held is None or held[0] is not tx:
        held = conn.info[_TX_STATE] = (tx, {})
    state: dict[str, Any] = held[1]
    return state


def _from_row(row: Any) -> StoredRecord:
    return StoredRecord(entity=row["entity"], entity_id=row["entity_id"], audit_id=row["audit_id"],
                        rev=int(row["rev"]), data=row["data"], deleted=bool(row["deleted"]),
                        field_meta=dict(row["field_meta"] or {}), deleted_rev=row["deleted_rev"],
                        deleted_device=row["deleted_device"], target_id=row["target_id"],
                        open_conflict=bool(row["open_conflict"]))


def _copy(record: StoredRecord) -> StoredRecord:
    # Callers change what load() returned before deciding to save it; the held copy must not move with it.
    # Shallow on purpose (a deep copy was a tenth of a push): the per-field metadata entries are always
    # replaced, never changed in place.
    return StoredRecord(record.entity, record.entity_id, record.audit_id, record.rev,
                        None if record.data is None else dict(record.data), record.deleted,
                        dict(record.field_meta), record.deleted_rev, record.deleted_device, record.target_id,
                        record.open_conflict, record.exists)


def prefetch(conn: Connection, keys: Iterable[tuple[str, str]]) -> None:
    """Read (and lock) the records a push will touch with one statement per 500, inside its write
    transaction; :func:`load` then answers them from memory and :func:`save` keeps the copies current.

    One SELECT per mutation was a third of the platform's push time.  Absent records are remembered as
    absent, so a batch of creates reads nothing more either.
    """
    held: dict[tuple[str, str], StoredRecord | None] = _tx_state(conn).setdefault("records", {})
    wanted = sorted(set(keys) - set(held))
    for start in range(0, len(wanted), 500):
        chunk = wanted[start:start + 500]
        held.update(dict.fromkeys(chunk))
        rows = conn.execute(_PREFETCH.where(sa.tuple_(records.c.entity, records.c.entity_id).in_(chunk)))
        for row in rows.mappings():
            held[(row["entity"], row["entity_id"])] = _from_row(row)


def load(conn: Connection, entity: str, entity_id: str, *, for_update: bool = False) -> StoredRecord | None:
    held = _tx_state(conn).get("records")
    if held is not None and (entity, entity_id) in held:
        found = held[(entity, entity_id)]
        return None if found is None else _copy(found)
    query = _SELECT_FOR_UPDATE if for_update else _SELECT
    row = conn.execute(query, {"k_entity": entity, "k_id": entity_id}).mappings().first()
    return None if row is None else _from_row(row)


def _remember(conn: Connection, record: StoredRecord) -> StoredRecord | None:
    """Keep the prefetched copy current; returns it (``None`` outside a prefetching transaction)."""
    held = _tx_state(conn).get("records")
    if held is None:
        return None
    kept = held[(record.entity, record.entity_id)] = _copy(record)
    return kept


def _row_values(record: StoredRecord) -> dict[str, Any]:
    return {"k_entity": record.entity, "k_id": record.entity_id, "audit_id": record.audit_id, "rev": record.rev,
            "data": record.data, "deleted": record.deleted, "field_meta": record.field_meta,
            "deleted_rev": record.deleted_rev, "deleted_device": record.deleted_device,
            "target_id": record.target_id, "open_conflict": record.open_conflict, "updated_at": now_ms()}


def _update(conn: Connection, record: StoredRecord) -> None:
    """UPDATE the row now, or, for a user record inside a prefetching (push) transaction, at commit.

    Deferred rows go out in one executemany, once per record however often the batch changed it. Safe
    because inside a push these rows are read only through :func:`load` (served from the prefetched
    copies, which are current) and are already locked; conflict, history and signature rows, which
    are also read with SQL inside a push, are always written at once.
    """
    kept = _remember(conn, record)
    if kept is None or record.entity not in _DEFERRABLE:
        conn.execute(_UPDATE, _row_values(record))
        return
    state = _tx_state(conn)
    deferred = state.get("updates")
    if deferred is None:
        deferred = state["updates"] = {}
        before_commit(conn, _flush_updates)
    deferred[(record.entity, record.entity_id)] = _row_values(kept)


def _flush_updates(conn: Connection) -> None:
    rows = _tx_state(conn).pop("updates", None)
    if rows:
        conn.execute(_UPDATE, list(rows.values()))


def save(conn: Connection, record: StoredRecord, *, device: str | None, mutation_id: str | None,
         created: bool) -> None:
    """Write ``record`` (its rev already advanced) and append it to the feed.

    Feed rows are only written, never read, inside a write transaction, so they are collected and
    inserted together just before the commit (``Database.write`` runs the hook), in order.
    """
    if created:
        values = _row_values(record)
        conn.execute(_INSERT, {"entity": values.pop("k_entity"), "entity_id": values.pop("k_id"), **values})
        _remember(conn, record)
    else:
        _update(conn, record)
    state = _tx_state(conn)
    pending = state.get("feed")
    if pending is None:
        pending = state["feed"] = []
        before_commit(conn, _flush_feed)
    pending.append({
        "audit_id": record.audit_id, "entity": record.entity, "entity_id": record.entity_id, "rev": record.rev,
        "data": None if record.deleted else record.data, "deleted": record.deleted, "origin_device": device,
        "mutation_id": mutation_id, "created_at": now_ms()})


def save_meta(conn: Connection, record: StoredRecord) -> None:
    """Write ``record`` whose per-field metadata alone changed: no new revision, nothing for the feed."""
    _update(conn, record)


def _flush_feed(conn: Connection) -> None:
    rows = _tx_state(conn).pop("feed", None)
    if rows:
        conn.execute(_APPEND, rows)


def meta_for(fields: Iterable[str], rev: int, hlc: str, device: str | None) -> dict[str, dict[str, Any]]:
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
