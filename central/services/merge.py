"""The conflict rules: create, patch and delete against the server's per-field metadata.

A field write is *concurrent* when the field's current value was written at a revision the client
had not seen (``rev > base_rev``) by another device; after equal writes a value has several writers
(``meta["writers"]``), and each of them counts.  Writes from the same device are sequential by
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
    restated: dict[str, dict[str, Any]] = {}
    for name, value in m.fields.items():
        meta = target.field_meta.get(name)
        if base.get(name) == value:
            if policy.merge != "conflict" and (again := _restated(meta, m, target.rev)) is not None:
                restated[name] = again
            continue
        rival = _latest_rival(meta, m)
        if rival is None:
            applied[name] = value
        elif policy.merge == "conflict":
            contested[name] = value
        elif m.hlc > str(rival["hlc"]):
            applied[name] = value
            histories.append((name, base.get(name), rival, value, mine))
        else:
            lost[name] = value
            histories.append((name, value, mine, base.get(name), rival))

    if m.entity == "audit" and applied.get("status") in FINAL_AUDIT_STATES and store.open_conflicts(
            conn, m.audit_id):
        raise Stop(Refused("open_conflicts", "The audit cannot be finalised while conflicts are open."),
                    target)
    if applied:
        target.rev += 1
        target.data = {**base, **applied}
        target.field_meta.update(restated)
        target.field_meta.update(store.meta_for(applied, target.rev, m.hlc, m.device_id))
        store.save(conn, target, device=m.device_id, mutation_id=m.mutation_id, created=False)
    elif restated:
        # Nothing visible changed, so no new revision and no feed entry: only who wrote the fields last.
        target.field_meta.update(restated)
        store.save_meta(conn, target)
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


def _writers(meta: dict[str, Any]) -> list[dict[str, Any]]:
    """Who wrote the field's current value: ``{device, rev, hlc}`` each (several after equal writes)."""
    return list(meta.get("writers") or [{"device": meta.get("device"), "rev": meta["rev"], "hlc": meta["hlc"]}])


def _rivals(meta: dict[str, Any] | None, m: Mutation) -> list[dict[str, Any]]:
    """Writers of the current value that ``m`` had not seen: at a revision above its base, another device."""
    if meta is None:
        return []
    return [w for w in _writers(meta) if int(w["rev"]) > m.base_rev and w.get("device") != m.device_id]


def _latest_rival(meta: dict[str, Any] | None, m: Mutation) -> dict[str, Any] | None:
    rivals = _rivals(meta, m)
    if not rivals:
        return None
    latest = max(rivals, key=lambda w: str(w["hlc"]))
    return {"rev": latest["rev"], "hlc": latest["hlc"], "device": latest.get("device")}


def _restated(meta: dict[str, Any] | None, m: Mutation, rev: int) -> dict[str, Any] | None:
    """The field's metadata after ``m`` wrote the value it already holds, or ``None`` if nothing changes.

    Under last-writer-wins an equal write with a later clock must count: skipped, it would leave the
    earlier writer's clock on the field and an older concurrent write of another value would then
    win.  It is recorded at the current revision (a writer that has not seen it is concurrent with it)
    and joins the value's earlier writers rather than replacing them: this device's later edits are
    still concurrent with those.  Fields that conflict instead (findings) never get here.
    """
    if meta is None:
        return {"rev": rev, "hlc": m.hlc, "device": m.device_id}
    writers = _writers(meta)
    if m.hlc <= max(str(w["hlc"]) for w in writers):
        return None
    mine = {"device": m.device_id, "rev": rev, "hlc": m.hlc}
    return {**mine, "writers": [w for w in writers if w.get("device") != m.device_id] + [mine]}


def _concurrent(meta: dict[str, Any] | None, m: Mutation) -> bool:
    return bool(_rivals(meta, m))


class Stop(Refused):
    """A refusal that still reports the server's current record."""

    def __init__(self, why: Refused, record: store.StoredRecord | None) -> None:
        super().__init__(why.code, why.message)
        self.record = record

