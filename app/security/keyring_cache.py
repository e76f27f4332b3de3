"""Remembering the data key in the operating system's keyring.

Only backends that keep secrets encrypted by the OS count: the fail/null
backends and the plaintext ones of ``keyrings.alt`` are refused, so the app
never falls back to writing a key in clear.
"""

from __future__ import annotations

import base64

import keyring
import keyring.backend
import keyring.errors

from app.security.errors import KeyringUnavailable

SERVICE = "FieldAudit"
# Module prefixes of keyring backends that store secrets readable without the user's OS login.
_INSECURE_MODULES = ("keyring.backends.fail", "keyring.backends.null", "keyrings.alt")


def _is_secure(backend: keyring.backend.KeyringBackend) -> bool:
    module = type(backend).__module__
    if module.startswith(_INSECURE_MODULES):
        return False
    if module.startswith("keyring.backends.chainer"):
        return any(_is_secure(child) for child in getattr(backend, "backends", []))
    try:
        return float(backend.priority) > 0
    except Exception:
        return False


def available() -> bool:
    try:
        return _is_secure(keyring.get_keyring())
    except Exception:
        return False


def _require() -> None:
    if not available():
        raise KeyringUnavailable()


def remember(profile_id: str, data_key: bytes) -> None:
    _require()
    try:
        keyring.set_password(SERVICE, profile_id, base64.b64encode(data_key).decode("ascii"))
    except keyring.errors.KeyringError:
        raise KeyringUnavailable() from None


def recall(profile_id: str) -> bytes | None:
    """The remembered key, or None (no keyring, nothing stored, or the entry is unusable)."""
    if not available():
        return None
    try:
        stored = keyring.get_password(SERVICE, profile_id)
    except keyring.errors.KeyringError:
        return None
    if not stored:
        return None
    try:
        key = base64.b64decode(stored, validate=True)
    except ValueError:
        return None
    return key if len(key) == 32 else None


def forget(profile_id: str) -> None:
    if not available():
        return
    try:
        keyring.delete_password(SERVICE, profile_id)
    except keyring.errors.KeyringError:
        return
