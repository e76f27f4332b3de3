"""The store side of sync: applying the platform's copy and rebasing local pending edits.

The row's ``data`` is what the user sees: the server copy (``server_data`` at
``server_rev``) with this device's pending outbox mutations applied in order.
Every function here runs inside a unit of work, so a pulled page and its cursor,
or a push result and the removal of its outbox entry, commit together.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from app.domain.clock import utc_now
from app.store import outbox
from app.store.canonical import dumps
from app.store.outbox import PendingMutation
from app.store.sql import in_lists
from app.store.unit_of_work import UnitOfWork

# Records only the platform writes; they live in ``records`` like the others.
PLATFORM_ENTITIES = frozenset({"conflict", "history"})
# The platform's copy and the local view; the row keeps the audit it was created in.
_UPSERT = ("INSERT INTO records (entity, id, audit_id, data, server_data, server_rev, deleted, updated_at)"
           " VALUES (?,?,?,?,?,?,?,?) ON CONFLICT(entity, id) DO UPDATE SET data = excluded.data,"
           " server_data = excluded.server_data, server_rev = excluded.server_rev, deleted = excluded.deleted,"
           " updated_at = excluded.updated_at")


@dataclass(frozen=True)
class ServerRecord:
    entity: str
    entity_id: str
    audit_id: str
    rev: int
    data: dict[str, Any] | None
    deleted: bool


def _load(text: str | None) -> dict[str, Any] | None:
    return json.loads(text) if text else None


def _current(uow: UnitOfWork, entity: str, entity_id: str) -> tuple[dict[str, Any] | None, dict[str, Any] | None,
                                                                     int, bool] | None:
    row = uow.connection.execute(
        "SELECT data, server_data, server_rev, deleted FROM records WHERE entity = ? AND id = ?",
        (entity, entity_id)).fetchone()
    if row is None:
        return None
    return _load(row[0]), _load(row[1]), int(row[2]), bool(row[3])


def _rebase(server: dict[str, Any] | None, server_deleted: bool,
            pending: list[PendingMutation]) -> tuple[dict[str, Any] | None, bool]:
    """The local view: the server copy with pending mutations applied in device order."""
    data = dict(server) if server is not None else None
    deleted = server_deleted
    for mutation in pending:
        if mutation.op in ("create", "sign"):
            data = {**(data or {}), **mutation.fields}
            deleted = False
        elif mutation.op in ("patch", "resolve"):
            values = mutation.fields.get("values", {}) if mutation.op == "resolve" else mutation.fields
            if data is not None:
                data = {**data, **values}
        elif mutation.op == "delete":
            deleted = True
    return data, deleted


def _write(uow: UnitOfWork, record: ServerRecord, pending: list[PendingMutation], op: str, *,
           journal_unchanged: bool = True) -> None:
    """Store the platform's copy and the rebased local view; journal what the user now sees.

    ``journal_unchanged=False``: when the view the user sees is exactly what it was (a confirmation
    of a value this device already shows), only the server copy moves and no journal entry is written;
    the journal records changes, and the entry that made this value is already in it.
    """
    before = _current(uow, record.entity, record.entity_id)
    local, local_deleted = _rebase(record.data, record.deleted, pending)
    now = utc_now().isoformat()
    if local is None:
        if before is None:
            # A tombstone for a record we never had: remember it so nothing can resurrect it.
            local, local_deleted = {}, True
        else:
            local, local_deleted = before[0] or {}, True
    server_json = dumps(record.data) if record.data is not None else None
    uow.connection.execute(
        _UPSERT,
        (record.entity, record.entity_id, record.audit_id, dumps(local), server_json, record.rev,
         int(local_deleted), now))
    if not journal_unchanged and before is not None and before[0] == local and before[3] == local_deleted:
        return
    uow.journal_remote(record.entity, record.entity_id, record.audit_id, op,
                       None if before is None else before[0], None if local_deleted else local)


def apply_server_record(uow: UnitOfWork, record: ServerRecord, *, op: str = "pull") -> bool:
    """Adopt the platform's copy; returns False when it is older than what we have."""
    before = _current(uow, record.entity, record.entity_id)
    if before is not None and before[2] > record.rev and record.entity not in PLATFORM_ENTITIES:
        return False
    pending = outbox.pending_for(uow.connection, record.entity, record.entity_id)
    _write(uow, record, pending, op)
    return True


@dataclass(frozen=True, slots=True)
class _Row:
    """A record's row as the settling batch has left it so far, its JSON as stored (decoded only when needed:
    most push results confirm the value shown, and comparing the text tells that without decoding)."""
    audit_id: str
    data: str
    server_data: str | None
    server_rev: int
    deleted: bool


def _queued(uow: UnitOfWork, keys: list[tuple[str, str]], sent: list[PendingMutation]
            ) -> dict[tuple[str, str], list[PendingMutation]]:
    """Every queued mutation of these records, in device order: the ``sent`` batch, as read before it was
    sent, plus what was queued after it, read here inside the settling unit of work (so no local edit can
    slip in between; queued mutations never change, and none of these records can have an older one:
    the batch is the oldest of its audits)."""
    found: dict[tuple[str, str], list[PendingMutation]] = {key: [] for key in keys}
    for mutation in sent:
        queue = found.get((mutation.entity, mutation.entity_id))
        if queue is not None:
            queue.append(mutation)
    after = max(mutation.seq for mutation in sent)
    ids = sorted({entity_id for _entity, entity_id in keys})
    for chunk, marks in in_lists(ids):
        rows = uow.connection.execute(
            outbox._SELECT + f" WHERE entity_id IN ({marks}) AND seq > ? ORDER BY seq", (*chunk, after))
        for mutation in map(outbox._from_row, rows):
            queue = found.get((mutation.entity, mutation.entity_id))
            if queue is not None:
                queue.append(mutation)
    return found


def _rows(uow: UnitOfWork, keys: list[tuple[str, str]]) -> dict[tuple[str, str], _Row]:
    """The stored rows of these records (absent ones left out); by entity so the (entity, id) index serves."""
    by_entity: dict[str, list[str]] = {}
    for entity, entity_id in keys:
        by_entity.setdefault(entity, []).append(entity_id)
    found: dict[tuple[str, str], _Row] = {}
    for entity, ids in by_entity.items():
        for chunk, marks in in_lists(ids):
            for row in uow.connection.execute(
                    "SELECT id, audit_id, data, server_data, server_rev, deleted FROM records"
                    f" WHERE entity = ? AND id IN ({marks})", (entity, *chunk)):
                found[(entity, str(row[0]))] = _Row(str(row[1]), str(row[2]), row[3], int(row[4]), bool(row[5]))
    return found


def settle_batch(uow: UnitOfWork, sent: list[PendingMutation],
                 answered: list[tuple[PendingMutation, ServerRecord | None]]) -> None:
    """The platform answered these mutations of the ``sent`` batch (in device order): drop them from the
    outbox and rebase each record on the copy the platform returned (``None``: it returned none, so the
    server copy stays).

    Ends with the rows and journal entries that settling them one at a time would leave (as :func:`_write`
    with ``journal_unchanged=False``), but in a few statements per batch rather than three per mutation:
    the rows are read once, walked in memory in device order (a later mutation of the same record sees
    the row the earlier one left), and written once.
    """
    keys = list(dict.fromkeys((mutation.entity, mutation.entity_id) for mutation, _record in answered))
    if not keys:
        return
    queued = _queued(uow, keys, sent)
    rows = _rows(uow, keys)
    for mutation, record in answered:
        key = (mutation.entity, mutation.entity_id)
        queued[key] = remaining = [m for m in queued[key] if m.mutation_id != mutation.mutation_id]
        before = rows.get(key)
        if record is None:
            server = _load(before.server_data) if before is not None else None
            record = ServerRecord(mutation.entity, mutation.entity_id, mutation.audit_id,
                                  before.server_rev if before is not None else 0, server, server is None)
        local, local_deleted = _rebase(record.data, record.deleted, remaining)
        if local is None:
            # Deleted keeps the data last shown; a record we never had becomes an empty tombstone, so
            # nothing can resurrect it.
            local, local_deleted = (_load(before.data) if before is not None else None) or {}, True
        text = dumps(local)
        server_text = None
        if record.data is not None:
            # With nothing queued behind it, the view is the server copy itself: one encoding serves both.
            server_text = dumps(record.data) if remaining else text
        # The upsert leaves an existing row's audit id alone.
        audit_id = before.audit_id if before is not None else record.audit_id
        rows[key] = _Row(audit_id, text, server_text, record.rev, local_deleted)
        if before is not None and before.deleted == local_deleted and (
                before.data == text or _load(before.data) == local):
            continue  # a confirmation of what this device already shows: the journal has its entry
        uow.journal_remote(record.entity, record.entity_id, record.audit_id, "push-result",
                           None if before is None else _load(before.data), None if local_deleted else local)
    for chunk, marks in in_lists([mutation.mutation_id for mutation, _record in answered]):
        uow.connection.execute(f"DELETE FROM outbox WHERE mutation_id IN ({marks})", tuple(chunk))
    now = utc_now().isoformat()
    uow.connection.executemany(_UPSERT, [
        (entity, entity_id, row.audit_id, row.data, row.server_data, row.server_rev, int(row.deleted), now)
        for (entity, entity_id), row in rows.items()])


def record_rejection(uow: UnitOfWork, mutation: PendingMutation, code: str, message: str) -> None:
    uow.connection.execute(
        "INSERT OR REPLACE INTO rejected_mutations (mutation_id, audit_id, entity, entity_id, op, fields,"
        " error_code, message, rejected_at) VALUES (?,?,?,?,?,?,?,?,?)",
        (mutation.mutation_id, mutation.audit_id, mutation.entity, mutation.entity_id, mutation.op,
         dumps(mutation.fields), code, message, utc_now().isoformat()))


def replace_scope(uow: UnitOfWork, audit_id: str, records: list[ServerRecord]) -> None:
    """A fresh snapshot of one audit: every server copy replaced, pending edits rebased on top."""
    present = {(r.entity, r.entity_id) for r in records}
    for entity, entity_id in uow.connection.execute(
            "SELECT entity, id FROM records WHERE audit_id = ?", (audit_id,)).fetchall():
        if (entity, entity_id) not in present and not outbox.pending_for(uow.connection, entity, entity_id):
            uow.connection.execute("DELETE FROM records WHERE entity = ? AND id = ?", (entity, entity_id))
            uow.journal_remote(entity, entity_id, audit_id, "snapshot-drop", None, None)
    for record in records:
        _write(uow, record, outbox.pending_for(uow.connection, record.entity, record.entity_id), "snapshot")


def purge_audit(uow: UnitOfWork, audit_id: str) -> list[PendingMutation]:
    """Remove an audit this user no longer belongs to; return its unsent mutations (to quarantine)."""
    unsent = [m for m in outbox.pending(uow.connection) if m.audit_id == audit_id]
    for mutation in unsent:
        outbox.remove(uow.connection, mutation.mutation_id)
    uow.connection.execute("DELETE FROM records WHERE audit_id = ?", (audit_id,))
    uow.connection.execute("DELETE FROM sync_scopes WHERE audit_id = ?", (audit_id,))
    uow.journal_remote("audit", audit_id, audit_id, "purge", None, {"unsent": len(unsent)})
    return unsent


def quarantine_payload(unsent: list[PendingMutation]) -> list[dict[str, Any]]:
    return [{"mutation_id": m.mutation_id, "device_seq": m.device_seq, "audit_id": m.audit_id,
             "entity": m.entity, "entity_id": m.entity_id, "op": m.op, "base_rev": m.base_rev,
             "fields": m.fields, "hlc": m.hlc, "created_at": m.created_at} for m in unsent]
