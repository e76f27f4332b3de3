"""``/admin/users``: platform accounts (platform administrators only)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from central.api.deps import ERRORS, AdminDep, PlatformDep
from central.api.schemas import CreateUserRequest, UpdateUserRequest, UserOut
from central.services import admin

router = APIRouter(prefix="/admin/users", tags=["admin"], responses=ERRORS)


@router.post("", response_model=UserOut, status_code=201)
def create_user(body: CreateUserRequest, p: PlatformDep, _who: AdminDep) -> UserOut:
    with p.db.write() as conn:
        return admin.create_user(conn, body, p.settings.password_cost)


@router.patch("/{user_id}", response_model=UserOut)
def update_user(user_id: Annotated[str, Path(min_length=1, max_length=64)], body: UpdateUserRequest,
                p: PlatformDep, _who: AdminDep) -> UserOut:
    with p.db.write() as conn:
        return admin.update_user(conn, user_id, body, p.settings.password_cost)


@router.get("", response_model=list[UserOut])
def list_users(p: PlatformDep, _who: AdminDep) -> list[UserOut]:
    with p.db.read() as conn:
        return admin.list_users(conn)
