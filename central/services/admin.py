"""Platform administration: accounts, audits, team assignments and feed compaction."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from central.api.schemas import AuditOut, CreateUserRequest, MemberOut, NewAudit, UpdateUserRequest, UserOut
from central.db.tables import changes, horizons, memberships, records, sessions, users
from central.errors import ApiError, not_found
from central.security.passwords import hash_password
from central.services import recordstore as store
from central.services.clock import ServerHlc

# Which accounts may take which place on an audit team.
ALLOWED_ROLES: dict[str, frozenset[str]] = {
    "lead": frozenset({"lead_auditor"}),
    "auditor": frozenset({"lead_auditor", "auditor"}),
    "technical_expert": frozenset({"lead_auditor", "auditor"}),
    "observer": frozenset({"lead_auditor", "auditor"}),
    "auditee": frozenset({"auditee"}),
}


def create_user(conn: Connection, request: CreateUserRequest, cost: tuple[int, int, int]) -> UserOut:
    taken = conn.execute(sa.select(users.c.id).where(users.c.username == request.username)).scalar()
    if taken is not None:
        raise ApiError(409, "username_taken", f"The user name {request.username} is taken.")
    user_id = store.new_id()
    conn.execute(users.insert().values(
        id=user_id, username=request.username, display_name=request.display_name, role=request.role,
        password_hash=hash_password(request.password, cost), competence_codes=request.competence_codes,
        organisation=request.organisation, active=True, created_at=store.now_ms()))
    return UserOut(id=user_id, username=request.username, display_name=request.display_name,
                   role=request.role, competence_codes=request.competence_codes,
                   organisation=request.organisation, active=True)


def list_users(conn: Connection) -> list[UserOut]:
    rows = conn.execute(sa.select(users).order_by(users.c.username)).mappings().all()
    return [_user_out(row) for row in rows]


def _user_out(row: Any) -> UserOut:
    return UserOut(id=row["id"], username=row["username"], display_name=row["display_name"], role=row["role"],
                   competence_codes=list(row["competence_codes"]), organisation=row["organisation"],
                   active=bool(row["active"]))


def update_user(conn: Connection, user_id: str, request: UpdateUserRequest, cost: tuple[int, int, int]) -> UserOut:
    changes: dict[str, Any] = {}
    if request.active is not None:
        changes["active"] = request.active
    if request.password is not None:
        changes["password_hash"] = hash_password(request.password, cost)
    if request.display_name is not None:
        changes["display_name"] = request.display_name
    if request.competence_codes is not None:
        changes["competence_codes"] = request.competence_codes
    if changes and conn.execute(users.update().where(users.c.id == user_id).values(**changes)).rowcount == 0:
        raise not_found("user_not_found", f"There is no user {user_id}.")
    if request.active is False or request.password is not None:
        conn.execute(sessions.update().where(sessions.c.user_id == user_id, sessions.c.revoked_at.is_(None))
                     .values(revoked_at=store.now_ms() // 1000))
    row = conn.execute(sa.select(users).where(users.c.id == user_id)).mappings().first()
    if row is None:
        raise not_found("user_not_found", f"There is no user {user_id}.")
    return _user_out(row)


def create_audit(conn: Connection, hlc: ServerHlc, request: NewAudit) -> AuditOut:
    data = request.model_dump(mode="json")
    data["id"] = request.id or store.new_id()
    data["team"] = []
    if store.load(conn, "audit", data["id"]) is not None:
        raise ApiError(409, "audit_exists", f"Audit {data['id']} already exists.")
    record = store.StoredRecord(entity="audit", entity_id=data["id"], audit_id=data["id"], rev=1, data=data,
                                deleted=False, field_meta=store.meta_for(data, 1, hlc.tick(), None))
    store.save(conn, record, device=None, mutation_id=None, created=True)
    return audit_out(conn, data["id"])


def audit_out(conn: Connection, audit_id: str) -> AuditOut:
    record = store.load(conn, "audit", audit_id)
    if record is None or record.data is None:
        raise not_found("audit_not_found", f"There is no audit {audit_id}.")
    rows = conn.execute(
        sa.select(memberships.c.user_id, memberships.c.role, users.c.username, users.c.display_name)
        .join(users, users.c.id == memberships.c.user_id).where(memberships.c.audit_id == audit_id)
        .order_by(users.c.username)).mappings().all()
    return AuditOut(audit_id=audit_id, rev=record.rev, record=record.data,
                    members=[MemberOut(**dict(row)) for row in rows])


def list_audits(conn: Connection) -> list[AuditOut]:
    ids = conn.execute(sa.select(records.c.entity_id).where(records.c.entity == "audit")
                       .order_by(records.c.entity_id)).scalars().all()
    return [audit_out(conn, str(audit_id)) for audit_id in ids]


def assign(conn: Connection, hlc: ServerHlc, audit_id: str, user_id: str, role: str) -> AuditOut:
    audit = _audit(conn, audit_id)
    user = conn.execute(sa.select(users).where(users.c.id == user_id)).mappings().first()
    if user is None:
        raise not_found("user_not_found", f"There is no user {user_id}.")
    if user["role"] not in ALLOWED_ROLES[role]:
        raise ApiError(409, "role_mismatch", f"A {user['role']} account cannot be an audit's {role}.")
    if role == "lead":
        other = conn.execute(sa.select(memberships.c.user_id).where(
            memberships.c.audit_id == audit_id, memberships.c.role == "lead",
            memberships.c.user_id != user_id)).scalar()
        if other is not None:
            raise ApiError(409, "lead_exists", "The audit already has a lead auditor; remove them first.")
    updated = conn.execute(memberships.update().where(memberships.c.audit_id == audit_id,
                                                      memberships.c.user_id == user_id).values(role=role))
    if updated.rowcount == 0:
        conn.execute(memberships.insert().values(audit_id=audit_id, user_id=user_id, role=role,
                                                 created_at=store.now_ms()))
    team = [m for m in (audit.data or {}).get("team", []) if m["user_id"] != user_id]
    if role != "auditee":
        team.append({"user_id": user_id, "name": user["display_name"], "role": role,
                     "competence_codes": list(user["competence_codes"])})
    _set_team(conn, hlc, audit, team)
    return audit_out(conn, audit_id)


def remove(conn: Connection, hlc: ServerHlc, audit_id: str, user_id: str) -> AuditOut:
    audit = _audit(conn, audit_id)
    gone = conn.execute(memberships.delete().where(memberships.c.audit_id == audit_id,
                                                   memberships.c.user_id == user_id))
    if gone.rowcount == 0:
        raise not_found("member_not_found", f"User {user_id} is not on audit {audit_id}.")
    team = [m for m in (audit.data or {}).get("team", []) if m["user_id"] != user_id]
    _set_team(conn, hlc, audit, team)
    return audit_out(conn, audit_id)


def compact(conn: Connection, audit_id: str) -> int:
    """Drop the scope's feed up to now; cursors older than the new horizon get 410 (re-snapshot)."""
    _audit(conn, audit_id)
    # The scope's newest change: a client that has seen it is missing nothing and keeps pulling.
    newest = conn.execute(sa.select(sa.func.max(changes.c.seq)).where(changes.c.audit_id == audit_id)).scalar()
    previous = conn.execute(sa.select(horizons.c.seq).where(horizons.c.audit_id == audit_id)).scalar()
    horizon = max(int(newest or 0), int(previous or 0))
    conn.execute(changes.delete().where(changes.c.audit_id == audit_id, changes.c.seq <= horizon))
    updated = conn.execute(horizons.update().where(horizons.c.audit_id == audit_id).values(seq=horizon))
    if updated.rowcount == 0:
        conn.execute(horizons.insert().values(audit_id=audit_id, seq=horizon))
    return horizon


def _audit(conn: Connection, audit_id: str) -> store.StoredRecord:
    audit = store.load(conn, "audit", audit_id, for_update=True)
    if audit is None:
        raise not_found("audit_not_found", f"There is no audit {audit_id}.")
    return audit


def _set_team(conn: Connection, hlc: ServerHlc, audit: store.StoredRecord, team: list[dict[str, Any]]) -> None:
    team.sort(key=lambda m: (m["role"] != "lead", m["name"]))
    if (audit.data or {}).get("team") == team:
        return
    audit.rev += 1
    audit.data = {**(audit.data or {}), "team": team}
    audit.field_meta.update(store.meta_for({"team": team}, audit.rev, hlc.tick(), None))
    store.save(conn, audit, device=None, mutation_id=None, created=False)
