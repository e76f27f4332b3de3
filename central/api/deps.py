"""Dependencies shared by the routers: the platform's state, the caller, the schema version."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Header, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from central.config import Settings
from central.db.engine import Database
from central.errors import ApiError, unauthorized
from central.services import auth
from central.services.clock import ServerHlc
from central.services.push import upgrade_required
from sync.protocol import SCHEMA_VERSION, SCHEMA_VERSION_HEADER, ErrorResponse


@dataclass
class Platform:
    settings: Settings
    db: Database
    hlc: ServerHlc
    key: bytes


def platform(request: Request) -> Platform:
    state: Platform = request.app.state.platform
    return state


_bearer = HTTPBearer(auto_error=False, description="access token from POST /auth/login")


def principal(p: Annotated[Platform, Depends(platform)],
              credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]) -> auth.Principal:
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise unauthorized("token_missing", "Send the access token as 'Authorization: Bearer ...'.")
    return auth.authenticate(p.db, p.settings, p.key, credentials.credentials)


def admin(who: Annotated[auth.Principal, Depends(principal)]) -> auth.Principal:
    auth.require_admin(who)
    return who


def schema_version(
    version: Annotated[str | None, Header(alias=SCHEMA_VERSION_HEADER,
                                          description="sync schema version the client speaks")] = None,
) -> None:
    if version is None:
        return
    if not version.isdigit():
        raise ApiError(400, "bad_header", f"{SCHEMA_VERSION_HEADER} must be a whole number.")
    if int(version) != SCHEMA_VERSION:
        raise upgrade_required(int(version))


PlatformDep = Annotated[Platform, Depends(platform)]
PrincipalDep = Annotated[auth.Principal, Depends(principal)]
AdminDep = Annotated[auth.Principal, Depends(admin)]

ERRORS: dict[int | str, dict[str, object]] = {
    code: {"model": ErrorResponse, "description": text} for code, text in {
        400: "malformed request", 401: "missing, expired, forged or revoked token",
        403: "not allowed (role, team membership, device)", 413: "body too large",
        422: "invalid or unknown fields", 426: "unsupported sync schema version"}.items()
}
