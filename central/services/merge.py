"""The conflict rules: create, patch and delete against the server's per-field metadata.

A field write is *concurrent* when the field was last written at a revision the client had not
seen (``meta.rev > base_rev``) by another device.  Writes from the same device are sequential by
construction (its outbox is ordered), so a device's queued edits never conflict with each other.
Wall clocks are never compared; hybrid logical clocks only order concurrent checklist-style writes.
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError
from sqlalchemy.engine import Connection

from central.services import recordstore as store
from central.services.conflict_records import open_conflict, record_history
from central.services.outcome import MutationContext, Refused, result
from sync.protocol import RECORD_MODELS, Mutation, MutationResult, policy_for

FINAL_AUDIT_STATES = frozenset({"closed", "archived"})


def check_record(entity: str, data: dict[str, Any]) -> None:
    try:
        RECORD_MODELS[entity].model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first.get("loc", ())) or entity
        raise Refused("invalid_record", f"{where}: {first['msg']}") from None


def load_target(conn: Connection, m: Mutation) -> store.StoredRecord | None:
    record = store.load(conn, m.entity, m.entity_id, for_update=True)
    # A record of another audit is treated as absent: a scope must never reach outside itself.
    if record is not None and record.audit_id != m.audit_id:
        return None
    return record


def create(conn: Connection, ctx: MutationContext, m: Mutation) -> MutationResult:
    existing = store.load(conn, m.entity, m.entity_id, for_update=True)
    if existing is not None:
        shown = existing if existing.audit_id == m.audit_id else None
        raise Stop(Refused("already_exists", f"A {m.entity} with id {m.entity_id} already exists."), shown)
    if m.base_rev != 0:
        raise Refused("bad_base_rev", "A create must have base_rev 0.")
    check_record(m.entity, m.fields)
    if m.fields.get("id") != m.entity_id or m.fields.get("audit_id", m.audit_id) != m.audit_id:
        raise Refused("invalid_record", "The record's id and audit_id must match the mutation.")
    record = store.StoredRecord(entity=m.entity, entity_id=m.entity_id, audit_id=m.audit_id, rev=1,
                                data=dict(m.fields), deleted=False,
                                field_meta=store.meta_for(m.fields, 1, m.hlc, m.device_id))
    store.save(conn, record, device=m.device_id, mutation_id=m.mutation_id, created=True)
    return result(ctx, m, "applied", record)


def patch(conn: Connection, ctx: MutationContext, m: Mutation) -> MutationResult:
    target = _existing(conn, m)
    policy = policy_for(m.entity)
    blocked = policy.immutable.intersection(m.fields)
    if blocked:
        raise Stop(Refused("immutable_field", f"{', '.join(sorted(blocked))} cannot be changed."), target)
    base = dict(target.data or {})
    try:
        check_record(m.entity, {**base, **m.fields})
    except Refused as why:
        raise Stop(why, target) from None
    if target.deleted:
        if (target.deleted_rev or 0) > m.base_rev and target.deleted_device != m.device_id:
            conflict = open_conflict(conn, m, target, kind="edit_delete", fields=[],
                                     server_values={k: base.get(k) for k in m.fields},
                                     client_values=dict(m.fields), server_deleted=True, client_deleted=False)
            return result(ctx, m, "conflict", target, conflict=conflict)
        raise Stop(Refused("record_deleted", f"The {m.entity} {m.entity_id} has been deleted."), target)

    applied: dict[str, Any] = {}
    lost: dict[str, Any] = {}
    contested: dict[str, Any] = {}
    histories: list[tuple[str, Any, dict[str, Any], Any, dict[str, Any]]] = []
    mine: dict[str, Any] = {"rev": 0, "hlc": m.hlc, "device": m.device_id}
    for name, value in m.fields.items():
        if base.get(name) == value:
            continue
        meta = target.field_meta.get(name)
        if meta is None or not _concurrent(meta, m):
            applied[name] = value
        elif policy.merge == "conflict":
            contested[name] = value
        elif m.hlc > str(meta["hlc"]):
            applied[name] = value
            histories.append((name, base.get(name), dict(meta), value, mine))
        else:
            lost[name] = value
            histories.append((name, value, mine, base.get(name), dict(meta)))

    if m.entity == "audit" and applied.get("status") in FINAL_AUDIT_STATES and store.open_conflicts(
            conn, m.audit_id):
        raise Stop(Refused("open_conflicts", "The audit cannot be finalised while conflicts are open."),
                    target)
    if applied:
        target.rev += 1
        target.data = {**base, **applied}
        target.field_meta.update(store.meta_for(applied, target.rev, m.hlc, m.device_id))
        store.save(conn, target, device=m.device_id, mutation_id=m.mutation_id, created=False)
    for name, loser, loser_meta, winner, winner_meta in histories:
        record_history(conn, m, target, name, lost=loser, lost_meta=loser_meta, winner=winner,
                       winner_meta={**winner_meta, "rev": target.rev}, rev=target.rev)
    if contested:
        conflict = open_conflict(conn, m, target, kind="field", fields=list(contested),
                                 server_values={k: base.get(k) for k in contested}, client_values=contested,
                                 server_deleted=False, client_deleted=False)
        return result(ctx, m, "conflict", target, conflict=conflict)
    return result(ctx, m, "lww_lost" if lost else "applied", target, lost=lost)


def delete(conn: Connection, ctx: MutationContext, m: Mutation) -> MutationResult:
    target = _existing(conn, m)
    if target.deleted:
        return result(ctx, m, "applied", target)
    edited = {name: (target.data or {}).get(name) for name, meta in sorted(target.field_meta.items())
              if _concurrent(meta, m)}
    if edited:
        # Someone else edited what this device deleted: keep the record, ask the lead auditor.
        conflict = open_conflict(conn, m, target, kind="edit_delete", fields=[], server_values=edited,
                                 client_values={}, server_deleted=False, client_deleted=True)
        return result(ctx, m, "conflict", target, conflict=conflict)
    target.rev += 1
    target.deleted = True
    target.deleted_rev = target.rev
    target.deleted_device = m.device_id
    store.save(conn, target, device=m.device_id, mutation_id=m.mutation_id, created=False)
    return result(ctx, m, "applied", target)


def _existing(conn: Connection, m: Mutation) -> store.StoredRecord:
    target = load_target(conn, m)
    if target is None:
        raise Refused("not_found", f"There is no {m.entity} {m.entity_id} in audit {m.audit_id}.")
    if m.base_rev > target.rev:
        raise Stop(Refused("bad_base_rev", f"base_rev {m.base_rev} is ahead of the server ({target.rev})."),
                    target)
    return target


def _concurrent(meta: dict[str, Any] | None, m: Mutation) -> bool:
    return meta is not None and int(meta["rev"]) > m.base_rev and meta.get("device") != m.device_id


class Stop(Refused):
    """A refusal that still reports the server's current record."""

    def __init__(self, why: Refused, record: store.StoredRecord | None) -> None:
        super().__init__(why.code, why.message)
        self.record = record

