"""``/admin/users``: platform accounts (platform administrators only)."""

from __future__ import annotations

from fastapi import APIRouter

from central.api.deps import ERRORS, AdminDep, PlatformDep
from central.api.schemas import CreateUserRequest, UserOut
from central.services import admin

router = APIRouter(prefix="/admin/users", tags=["admin"], responses=ERRORS)


@router.post("", response_model=UserOut, status_code=201)
def create_user(body: CreateUserRequest, p: PlatformDep, _who: AdminDep) -> UserOut:
    with p.db.write() as conn:
        return admin.create_user(conn, body, p.settings.password_cost)


@router.get("", response_model=list[UserOut])
def list_users(p: PlatformDep, _who: AdminDep) -> list[UserOut]:
    with p.db.read() as conn:
        return admin.list_users(conn)
