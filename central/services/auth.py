"""Password login with device registration, refresh-token rotation, logout and request authentication."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import cast

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from central.config import Settings
from central.db.engine import Database
from central.db.tables import devices, server_state, sessions, users
from central.errors import ApiError, forbidden, unauthorized
from central.security import tokens
from central.security.passwords import hash_password, verify_password
from central.services.recordstore import new_id
from sync.protocol import LoginRequest, TokenPair
from sync.protocol.auth import PlatformRole

# How long after a rotation the previous refresh token still gets the same successor back (a device
# whose refresh reply was lost retries at its next round: 7.5-15 s later, then back-off).
REFRESH_RETRY_GRACE_S = 5 * 60

# Compared against when the user does not exist, so an unknown name costs the same time as a wrong password.
_DUMMY_HASH = hash_password("not a password", (2**10, 8, 1))


@dataclass(frozen=True)
class Principal:
    user_id: str
    username: str
    display_name: str
    role: str
    device_id: str
    session_id: str


def signing_key(db: Database) -> bytes:
    with db.write() as conn:
        value = conn.execute(sa.select(server_state.c.value).where(server_state.c.key == "token_key")).scalar()
        if value is None:
            value = secrets.token_hex(32)
            conn.execute(server_state.insert().values(key="token_key", value=value))
    return bytes.fromhex(str(value))


def login(db: Database, settings: Settings, key: bytes, request: LoginRequest) -> TokenPair:
    with db.read() as conn:
        user = conn.execute(sa.select(users).where(users.c.username == request.username)).mappings().first()
    stored = str(user["password_hash"]) if user else _DUMMY_HASH
    if not verify_password(request.password, stored) or user is None or not user["active"]:
        raise unauthorized("invalid_credentials", "The user name or password is wrong.")
    now = int(settings.now())
    with db.write() as conn:
        device_id = _register_device(conn, str(user["id"]), request, now)
        refresh = tokens.new_refresh_token()
        session_id = new_id()
        conn.execute(sessions.insert().values(
            id=session_id, user_id=user["id"], device_id=device_id, refresh_hash=tokens.refresh_hash(refresh),
            previous_hash=None, expires_at=now + settings.refresh_ttl_s, revoked_at=None, created_at=now))
    return _pair(settings, key, dict(user), device_id, session_id, refresh, now + settings.refresh_ttl_s)


def _register_device(conn: Connection, user_id: str, request: LoginRequest, now: int) -> str:
    wanted = request.device.device_id
    if wanted is not None:
        owner = conn.execute(sa.select(devices.c.user_id).where(devices.c.id == wanted)).scalar()
        if owner is not None and owner != user_id:
            raise forbidden("device_taken", "This device id is registered to another user.")
        if owner == user_id:
            conn.execute(devices.update().where(devices.c.id == wanted).values(
                last_seen_at=now, name=request.device.name))
            return wanted
    device_id = wanted or new_id()
    conn.execute(devices.insert().values(id=device_id, user_id=user_id, name=request.device.name,
                                         platform=request.device.platform, created_at=now, last_seen_at=now))
    return device_id


def refresh(db: Database, settings: Settings, key: bytes, token: str) -> TokenPair:
    """Rotate the refresh token.

    The successor is derived from the presented token, so a retry whose first reply was lost (the
    previous token again, within :data:`REFRESH_RETRY_GRACE_S` of the rotation) is answered with the
    same successor and nothing changes.  The previous token presented later means someone holds a copy:
    the whole login is revoked.
    """
    now = int(settings.now())
    digest = tokens.refresh_hash(token)
    with db.write() as conn:
        session = conn.execute(sa.select(sessions).where(sessions.c.refresh_hash == digest)).mappings().first()
        retried = False
        if session is None:
            rotated = conn.execute(sa.select(sessions).where(sessions.c.previous_hash == digest)).mappings().first()
            if rotated is not None and _retry_in_grace(rotated, key, token, now):
                session, retried = rotated, True
            elif rotated is not None:
                # A rotated-out token came back: someone holds a copy. End the whole session (committed
                # by leaving this block normally, before the refusal is raised).
                conn.execute(sessions.update().where(sessions.c.id == rotated["id"]).values(revoked_at=now))
    if session is None:
        raise unauthorized("refresh_invalid", "The refresh token is not valid; log in again.")
    with db.write() as conn:
        if session["revoked_at"] is not None:
            raise unauthorized("token_revoked", "This login was revoked; log in again.")
        if session["expires_at"] <= now:
            raise unauthorized("refresh_expired", "The refresh token has expired; log in again.")
        user = conn.execute(sa.select(users).where(users.c.id == session["user_id"])).mappings().one()
        if not user["active"]:
            raise unauthorized("user_disabled", "This account is disabled.")
        new_token = tokens.successor_refresh_token(key, str(session["id"]), token)
        if not retried:
            rotated_now = conn.execute(sessions.update().where(sessions.c.refresh_hash == digest).values(
                refresh_hash=tokens.refresh_hash(new_token), previous_hash=digest, rotated_at=now))
            if rotated_now.rowcount != 1:  # the session changed since it was read (revoked or rotated)
                raise unauthorized("refresh_invalid", "The refresh token is not valid; log in again.")
    return _pair(settings, key, dict(user), str(session["device_id"]), str(session["id"]), new_token,
                 int(session["expires_at"]))


def _retry_in_grace(session: sa.RowMapping, key: bytes, token: str, now: int) -> bool:
    """``token`` was rotated out moments ago and its successor is still the current one: a retry."""
    rotated_at = session["rotated_at"]
    if rotated_at is None or now - int(rotated_at) > REFRESH_RETRY_GRACE_S:
        return False
    successor = tokens.successor_refresh_token(key, str(session["id"]), token)
    return bool(session["refresh_hash"] == tokens.refresh_hash(successor))


def logout(db: Database, settings: Settings, token: str) -> None:
    with db.write() as conn:
        conn.execute(sessions.update().where(sessions.c.refresh_hash == tokens.refresh_hash(token),
                                             sessions.c.revoked_at.is_(None))
                     .values(revoked_at=int(settings.now())))


def authenticate(db: Database, settings: Settings, key: bytes, token: str) -> Principal:
    try:
        claims = tokens.verify_access(key, token, settings.now())
    except tokens.TokenError as error:
        raise unauthorized(error.code, error.message) from None
    with db.read() as conn:
        row = conn.execute(
            sa.select(sessions.c.revoked_at, users.c.username, users.c.display_name, users.c.role,
                      users.c.active).join(users, users.c.id == sessions.c.user_id)
            .where(sessions.c.id == claims.session_id)).mappings().first()
    if row is None or row["revoked_at"] is not None:
        raise unauthorized("token_revoked", "This login was revoked; log in again.")
    if not row["active"]:
        raise unauthorized("user_disabled", "This account is disabled.")
    return Principal(claims.user_id, str(row["username"]), str(row["display_name"]), str(row["role"]),
                     claims.device_id, claims.session_id)


def require_admin(principal: Principal) -> None:
    if principal.role != "platform_admin":
        raise ApiError(403, "admin_only", "Only a platform administrator may do this.")


def _pair(settings: Settings, key: bytes, user: dict[str, object], device_id: str, session_id: str,
          refresh_token: str, refresh_expires: int) -> TokenPair:
    expires = int(settings.now()) + settings.access_ttl_s
    access = tokens.sign_access(key, tokens.AccessClaims(str(user["id"]), session_id, device_id, expires))
    return TokenPair(access_token=access, access_expires_at=datetime.fromtimestamp(expires, UTC),
                     refresh_token=refresh_token,
                     refresh_expires_at=datetime.fromtimestamp(refresh_expires, UTC),
                     user_id=str(user["id"]), username=str(user["username"]),
                     display_name=str(user["display_name"]), role=cast(PlatformRole, str(user["role"])),
                     device_id=device_id)
