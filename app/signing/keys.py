"""Per-device signing keys: generated here, kept wrapped inside the encrypted store, never exported.

The private key is wrapped with AES-256-GCM under a key derived (HKDF-SHA256) from the profile's data
key, with ``device id / key id / suite`` as authenticated data.  So the key is under the sole control
of whoever can unlock this profile on this device (Electronic Signature Law art. 13): a row copied
into another profile does not unwrap, and a row naming another device is refused before any use.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from app.domain.base import utc_now
from app.i18n import N_
from app.signing.errors import KeyFromAnotherDevice, KeyUnreadable, UnknownSuite
from app.store import Store
from app.verify import suites

_WRAP_INFO = b"fieldaudit/signing-key-wrap/1"


@dataclass(frozen=True)
class DeviceKey:
    key_id: str
    suite: str
    device_id: str
    public_key: str
    created_at: str

    @property
    def algorithm(self) -> str:
        return suites.ALGORITHMS[self.suite]


# The suites named by what they do, for people choosing or checking one (the settings screen).
SUITE_LABELS = {suites.INTERNATIONAL: N_("International: Ed25519 signatures, SHA-256 hashes"),
                suites.NATIONAL: N_("Chinese national (SM): SM2 signatures, SM3 hashes")}


def parse_suite(value: str) -> str:
    if value not in suites.SUITES:
        raise UnknownSuite(suite=str(value)[:40])
    return value


def _wrapper(data_key: bytes) -> AESGCM:
    return AESGCM(HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_WRAP_INFO).derive(data_key))


def _aad(device_id: str, key_id: str, suite: str) -> bytes:
    return f"{device_id}/{key_id}/{suite}".encode()


_COLUMNS = "key_id, suite, device_id, public_key, created_at"


def list_keys(store: Store) -> list[DeviceKey]:
    rows = store.query(f"SELECT {_COLUMNS} FROM signing_keys ORDER BY created_at, key_id")
    return [DeviceKey(*(str(value) for value in row)) for row in rows]


def find_key(store: Store, key_id: str) -> DeviceKey | None:
    rows = store.query(f"SELECT {_COLUMNS} FROM signing_keys WHERE key_id = ?", (key_id,))
    return DeviceKey(*(str(value) for value in rows[0])) if rows else None


def device_key(store: Store, data_key: bytes, suite: str, actor: str = "local") -> DeviceKey:
    """This device's current key of ``suite``, made on first use."""
    parse_suite(suite)
    rows = store.query(f"SELECT {_COLUMNS} FROM signing_keys WHERE device_id = ? AND suite = ?"
                       " AND retired_at IS NULL ORDER BY created_at DESC LIMIT 1", (store.device_id, suite))
    if rows:
        return DeviceKey(*(str(value) for value in rows[0]))
    private, public = suites.generate(suite)
    key = DeviceKey(suites.key_id(public), suite, store.device_id, public, utc_now().isoformat())
    nonce = os.urandom(12)
    wrapped = _wrapper(data_key).encrypt(nonce, private, _aad(key.device_id, key.key_id, suite))
    with store.unit_of_work(actor) as uow:
        uow.connection.execute(
            "INSERT INTO signing_keys (key_id, suite, device_id, public_key, wrapped_private, created_at)"
            " VALUES (?,?,?,?,?,?)",
            (key.key_id, suite, key.device_id, public, f"{nonce.hex()}:{wrapped.hex()}", key.created_at))
    return key


def _private(store: Store, data_key: bytes, key: DeviceKey) -> bytes:
    if key.device_id != store.device_id:
        raise KeyFromAnotherDevice(key=key.key_id, owner=key.device_id, device=store.device_id)
    rows = store.query("SELECT wrapped_private, device_id, suite FROM signing_keys WHERE key_id = ?",
                       (key.key_id,))
    if not rows or str(rows[0][1]) != store.device_id:
        raise KeyFromAnotherDevice(key=key.key_id, owner=str(rows[0][1]) if rows else "?", device=store.device_id)
    try:
        nonce_hex, wrapped_hex = str(rows[0][0]).split(":")
        private = _wrapper(data_key).decrypt(bytes.fromhex(nonce_hex), bytes.fromhex(wrapped_hex),
                                             _aad(store.device_id, key.key_id, str(rows[0][2])))
    except (InvalidTag, ValueError):
        raise KeyUnreadable(key=key.key_id) from None
    # The stored public key must be the private key's own: a swapped public key would sign for someone else.
    probe = "00" * 32
    if not suites.verify(key.suite, key.public_key, probe, suites.sign(key.suite, private, key.public_key, probe)):
        raise KeyUnreadable(key=key.key_id)
    return private


def sign_digest(store: Store, data_key: bytes, key: DeviceKey, digest: str) -> str:
    """Sign a content hash with this device's key (hex signature)."""
    return suites.sign(key.suite, _private(store, data_key, key), key.public_key, digest)


def foreign_keys(store: Store) -> list[DeviceKey]:
    """Keys in this store that name another device: they were copied here (``verify`` reports them)."""
    return [key for key in list_keys(store) if key.device_id != store.device_id]
