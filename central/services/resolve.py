"""The lead auditor's ``resolve`` op: close a conflict by keeping one side or writing chosen values."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from pydantic import ValidationError
from sqlalchemy.engine import Connection

from central.services import recordstore as store
from central.services.merge import Stop, check_record, load_target
from central.services.outcome import MutationContext, Refused, result
from sync.protocol import Mutation, MutationResult, ResolveFields, policy_for
from sync.protocol.records import CORRECTIVE_ACTION_FIELDS


def resolve(conn: Connection, ctx: MutationContext, m: Mutation) -> MutationResult:
    try:
        choice = ResolveFields.model_validate(m.fields)
    except ValidationError as error:
        raise Refused("invalid_request", f"resolve fields: {error.errors()[0]['msg']}") from None
    conflict = store.load(conn, "conflict", choice.conflict_id, for_update=True)
    if (conflict is None or conflict.data is None or conflict.audit_id != m.audit_id
            or conflict.target_id != m.entity_id or conflict.data.get("entity") != m.entity):
        raise Refused("not_found", f"There is no conflict {choice.conflict_id} on {m.entity} {m.entity_id}.")
    target = load_target(conn, m)
    if target is None:
        raise Refused("not_found", f"There is no {m.entity} {m.entity_id} in audit {m.audit_id}.")
    if not conflict.open_conflict:
        raise Stop(Refused("already_resolved", "This conflict has already been resolved."), target)
    info = conflict.data
    values = _values(choice, info)
    # The resolution is stamped by the platform's clock, which has seen both sides: it is the latest word.
    stamp = ctx.hlc.tick()
    server_deleted, client_deleted = bool(info["server_deleted"]), bool(info["client_deleted"])
    if choice.resolution == "server":
        pass
    elif client_deleted and choice.resolution == "client":
        if not target.deleted:
            _bump(target)
            target.deleted, target.deleted_rev, target.deleted_device = True, target.rev, m.device_id
            store.save(conn, target, device=m.device_id, mutation_id=m.mutation_id, created=False)
    else:
        data = {**(target.data or {}), **values}
        try:
            check_record(m.entity, data)
        except Refused as why:
            raise Stop(why, target) from None
        revive = target.deleted and server_deleted
        if values or revive:
            _bump(target)
            target.data = data
            target.field_meta.update(store.meta_for(values, target.rev, stamp, m.device_id))
            if revive:
                target.deleted, target.deleted_rev, target.deleted_device = False, None, None
            store.save(conn, target, device=m.device_id, mutation_id=m.mutation_id, created=False)
    conflict.data = {**info, "status": "resolved", "resolution": choice.resolution,
                     "resolved_values": values if choice.resolution != "server" else None,
                     "resolved_by": ctx.user_id, "resolved_at": datetime.now(UTC).isoformat()}
    conflict.open_conflict = False
    _bump(conflict)
    store.save(conn, conflict, device=m.device_id, mutation_id=m.mutation_id, created=False)
    return result(ctx, m, "applied", target)


def _values(choice: ResolveFields, info: dict[str, Any]) -> dict[str, Any]:
    if choice.resolution == "client":
        return dict(info["client_values"])
    if choice.resolution == "server":
        return {}
    allowed = set(info["fields"]) | set(info["client_values"]) | set(info["server_values"])
    extra = set(choice.values) - allowed
    policy = policy_for(str(info["entity"]))
    if extra or policy.immutable.intersection(choice.values):
        raise Refused("forbidden_field", "A resolution may only set the fields in conflict: "
                                         f"{', '.join(sorted(allowed))}.")
    if info["entity"] == "finding":
        _keep_organisation_words(choice.values, info)
    return dict(choice.values)


def _keep_organisation_words(values: dict[str, Any], info: dict[str, Any]) -> None:
    """The lead may pick either side of what the audited organisation wrote, but never write it for them."""
    sides = (info["client_values"], info["server_values"])
    invented = sorted(name for name, value in values.items()
                      if name in ORGANISATION_FIELDS and all(side.get(name, _ABSENT) != value for side in sides))
    if invented:
        raise Refused("forbidden_field", "Only the audited organisation's representative writes "
                                         f"{', '.join(invented)}; keep one side's value instead.")


_ABSENT = object()
# The organisation's own words and the state, whose moves into its steps need its sign-off.
ORGANISATION_FIELDS = CORRECTIVE_ACTION_FIELDS | {"state"}


def _bump(record: store.StoredRecord) -> None:
    record.rev += 1
