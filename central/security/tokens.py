"""Access tokens: HMAC-SHA256-signed, expiring claims naming the user, device and login session.

Refresh tokens are opaque strings (random at login, derived from the previous one at each rotation);
only their SHA-256 is stored, so a database leak does not leak usable tokens.  Revocation works
through the session row both kinds point at.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass

_PREFIX = "fa1"


class TokenError(Exception):
    """The token is malformed, forged or expired (``code`` says which)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class AccessClaims:
    user_id: str
    session_id: str
    device_id: str
    expires_at: int


def sign_access(key: bytes, claims: AccessClaims) -> str:
    payload = json.dumps({"sub": claims.user_id, "sid": claims.session_id, "dev": claims.device_id,
                          "exp": claims.expires_at}, separators=(",", ":"), sort_keys=True).encode()
    body = _b64(payload)
    return f"{_PREFIX}.{body}.{_mac(key, body)}"


def verify_access(key: bytes, token: str, now: float) -> AccessClaims:
    parts = token.split(".")
    if len(parts) != 3 or parts[0] != _PREFIX:
        raise TokenError("token_invalid", "The access token is malformed.")
    if not hmac.compare_digest(_mac(key, parts[1]), parts[2]):
        raise TokenError("token_invalid", "The access token signature is not valid.")
    try:
        payload = json.loads(_unb64(parts[1]))
        claims = AccessClaims(str(payload["sub"]), str(payload["sid"]), str(payload["dev"]),
                              int(payload["exp"]))
    except (ValueError, KeyError, TypeError):
        raise TokenError("token_invalid", "The access token is malformed.") from None
    if claims.expires_at <= now:
        raise TokenError("token_expired", "The access token has expired; refresh it.")
    return claims


def new_refresh_token() -> str:
    return secrets.token_urlsafe(32)


def successor_refresh_token(key: bytes, session_id: str, token: str) -> str:
    """The refresh token that replaces ``token`` in its session: derived, not drawn at random, so a
    retried refresh (its reply was lost) gets the very same successor back.  Unpredictable without the
    platform's key and the secret ``token``; the same length and alphabet as :func:`new_refresh_token`."""
    digest = hmac.new(key, f"refresh-successor\n{session_id}\n{token}".encode(), hashlib.sha256).digest()
    return _b64(digest)


def refresh_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _mac(key: bytes, body: str) -> str:
    return _b64(hmac.new(key, body.encode(), hashlib.sha256).digest())


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
