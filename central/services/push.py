"""``POST /sync/push``: every mutation applied at most once, in order, inside one write transaction."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from central.db.engine import Database
from central.db.tables import devices, mutations
from central.errors import ApiError, forbidden
from central.services import merge
from central.services.auth import Principal
from central.services.clock import ServerHlc
from central.services.membership import require_role
from central.services.outcome import MutationContext, Refused, refused
from central.services.permissions import authorise, authorise_finding_move
from central.services.recordstore import now_ms, prefetch
from central.services.resolve import resolve
from sync.protocol import SCHEMA_VERSION, Mutation, MutationError, MutationResult, PushRequest, PushResponse

_REMEMBER = mutations.insert()


def upgrade_required(version: int) -> ApiError:
    return ApiError(426, "schema_version",
                    f"This platform speaks sync schema version {SCHEMA_VERSION}, not {version}. "
                    "Upgrade FieldAudit to the version your certification body supports.",
                    headers={"Upgrade": f"fieldaudit-sync/{SCHEMA_VERSION}"})


def push(db: Database, hlc: ServerHlc, principal: Principal, request: PushRequest) -> PushResponse:
    for mutation in request.mutations:
        if mutation.schema_version != SCHEMA_VERSION:
            raise upgrade_required(mutation.schema_version)
    if request.device_id != principal.device_id or any(
            m.device_id != principal.device_id for m in request.mutations):
        raise forbidden("device_mismatch", "Mutations must come from the device this login registered.")
    results: list[MutationResult] = []
    with db.write() as conn:
        # Membership is checked for every audit first: one out-of-scope mutation refuses the whole batch.
        roles = {audit: require_role(conn, principal, audit) for audit in {m.audit_id for m in request.mutations}}
        known = _stored(conn, [m.mutation_id for m in request.mutations])
        # Every record the batch names, read (and locked) at once rather than one SELECT per mutation.
        prefetch(conn, [(m.entity, m.entity_id) for m in request.mutations if m.mutation_id not in known])
        remembered: list[dict[str, Any]] = []
        for mutation in request.mutations:
            results.append(_once(conn, hlc, principal, roles[mutation.audit_id], mutation, known, remembered,
                                 request.mutations))
        if remembered:
            conn.execute(_REMEMBER, remembered)
        last_seq = max(m.device_seq for m in request.mutations)
        conn.execute(devices.update().where(devices.c.id == principal.device_id, devices.c.last_seq < last_seq)
                     .values(last_seq=last_seq))
        hlc.save(conn)
    return PushResponse(results=results, **hlc.stamp().model_dump())


def _stored(conn: Connection, mutation_ids: list[str]) -> dict[str, dict[str, Any]]:
    rows = conn.execute(sa.select(mutations.c.mutation_id, mutations.c.user_id, mutations.c.device_id,
                                  mutations.c.result).where(mutations.c.mutation_id.in_(set(mutation_ids))))
    return {str(row.mutation_id): dict(row._mapping) for row in rows}


def _once(conn: Connection, hlc: ServerHlc, principal: Principal, role: str, m: Mutation,
          known: dict[str, dict[str, Any]], remembered: list[dict[str, Any]],
          batch: list[Mutation] | None = None) -> MutationResult:
    stored = known.get(m.mutation_id)
    if stored is not None:
        if stored["user_id"] != principal.user_id or stored["device_id"] != m.device_id:
            return MutationResult(mutation_id=m.mutation_id, status="rejected", rev=0, record=None, deleted=False,
                                  error=MutationError(code="mutation_id_reused",
                                                      message="This mutation id was used by another device."))
        replay = MutationResult.model_validate(stored["result"])
        return replay.model_copy(update={"replayed": True})
    admitted = hlc.admit(m.hlc)
    if admitted != m.hlc:
        m = m.model_copy(update={"hlc": admitted})
    ctx = MutationContext(user_id=principal.user_id, device_id=principal.device_id, role=role, hlc=hlc)
    outcome = _apply(conn, ctx, m, batch or [])
    row = {"mutation_id": m.mutation_id, "user_id": principal.user_id, "device_id": m.device_id,
           "device_seq": m.device_seq, "audit_id": m.audit_id, "result": outcome.model_dump(mode="json"),
           "created_at": now_ms()}
    # Remembered now, so a duplicate later in the same batch is answered as a replay.
    known[m.mutation_id] = row
    remembered.append(row)
    return outcome


def _apply(conn: Connection, ctx: MutationContext, m: Mutation, batch: list[Mutation]) -> MutationResult:
    try:
        authorise(ctx.role, m)
        # The same push may carry the sign-off that makes an acknowledgement from a team device valid.
        authorise_finding_move(conn, ctx, m, batch)
        if m.op == "resolve":
            return resolve(conn, ctx, m)
        if m.op in ("create", "sign"):
            return merge.create(conn, ctx, m)
        if m.op == "patch":
            return merge.patch(conn, ctx, m)
        return merge.delete(conn, ctx, m)
    except merge.Stop as stop:
        return refused(ctx, m, stop, stop.record)
    except Refused as why:
        return refused(ctx, m, why, None)
