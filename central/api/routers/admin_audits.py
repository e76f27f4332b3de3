"""``/admin/audits``: create audits, staff their teams, compact their feeds (administrators only)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from central.api.deps import ERRORS, AdminDep, PlatformDep
from central.api.schemas import AssignRequest, AuditOut, CompactResponse, NewAudit
from central.services import admin

router = APIRouter(prefix="/admin/audits", tags=["admin"], responses=ERRORS)
Ident = Annotated[str, Path(min_length=1, max_length=64)]


@router.post("", response_model=AuditOut, status_code=201)
def create_audit(body: NewAudit, p: PlatformDep, _who: AdminDep) -> AuditOut:
    with p.db.write() as conn:
        return admin.create_audit(conn, p.hlc, body)


@router.get("", response_model=list[AuditOut])
def list_audits(p: PlatformDep, _who: AdminDep) -> list[AuditOut]:
    with p.db.read() as conn:
        return admin.list_audits(conn)


@router.get("/{audit_id}", response_model=AuditOut)
def get_audit(audit_id: Ident, p: PlatformDep, _who: AdminDep) -> AuditOut:
    with p.db.read() as conn:
        return admin.audit_out(conn, audit_id)


@router.put("/{audit_id}/team/{user_id}", response_model=AuditOut)
def assign(audit_id: Ident, user_id: Ident, body: AssignRequest, p: PlatformDep, _who: AdminDep) -> AuditOut:
    with p.db.write() as conn:
        return admin.assign(conn, p.hlc, audit_id, user_id, body.role)


@router.delete("/{audit_id}/team/{user_id}", response_model=AuditOut)
def remove(audit_id: Ident, user_id: Ident, p: PlatformDep, _who: AdminDep) -> AuditOut:
    with p.db.write() as conn:
        return admin.remove(conn, p.hlc, audit_id, user_id)


@router.post("/{audit_id}/compact", response_model=CompactResponse)
def compact(audit_id: Ident, p: PlatformDep, _who: AdminDep) -> CompactResponse:
    with p.db.write() as conn:
        return CompactResponse(audit_id=audit_id, horizon=admin.compact(conn, audit_id))
