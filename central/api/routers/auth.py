"""``/auth``: login (registers the device), token refresh, logout."""

from __future__ import annotations

from fastapi import APIRouter, Response

from central.api.deps import ERRORS, PlatformDep
from central.services import auth
from sync.protocol import LoginRequest, LogoutRequest, RefreshRequest, TokenPair

router = APIRouter(prefix="/auth", tags=["auth"], responses=ERRORS)


@router.post("/login", response_model=TokenPair)
def login(body: LoginRequest, p: PlatformDep) -> TokenPair:
    return auth.login(p.db, p.settings, p.key, body)


@router.post("/refresh", response_model=TokenPair)
def refresh(body: RefreshRequest, p: PlatformDep) -> TokenPair:
    return auth.refresh(p.db, p.settings, p.key, body.refresh_token)


@router.post("/logout", status_code=204)
def logout(body: LogoutRequest, p: PlatformDep) -> Response:
    auth.logout(p.db, p.settings, body.refresh_token)
    return Response(status_code=204)
