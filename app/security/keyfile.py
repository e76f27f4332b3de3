"""The key file: a random data key wrapped by a key derived from the passphrase.

The data key (256 random bits) opens the database as a raw key and derives the
evidence-vault key; it never changes, so changing the passphrase re-wraps 32
bytes and re-encrypts nothing.  The wrapping key comes from scrypt (memory-hard,
so guessing on GPUs is expensive); AES-256-GCM authenticates the wrap, so a
wrong passphrase is detected without touching the database.
"""

from __future__ import annotations

import base64
import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from app.security.errors import KeyFileDamaged, WeakPassphrase, WrongPassphrase
from app.store.atomic import atomic_write_bytes

FORMAT = "fieldaudit-keyfile"
VERSION = 1
DATA_KEY_BYTES = 32
MIN_PASSPHRASE = 8
# n=2**17, r=8: ~128 MiB and a few hundred ms here: slow for guessing, fine once per session.
DEFAULT_COST = {"n": 2**17, "r": 8, "p": 1}


@dataclass(frozen=True)
class KeyFile:
    profile_id: str
    salt: bytes
    n: int
    r: int
    p: int
    nonce: bytes
    wrapped: bytes

    def to_json(self) -> bytes:
        return json.dumps({
            "format": FORMAT, "version": VERSION, "profile_id": self.profile_id,
            "kdf": {"name": "scrypt", "salt": _b64(self.salt), "n": self.n, "r": self.r, "p": self.p},
            "wrap": {"name": "AES-256-GCM", "nonce": _b64(self.nonce), "ciphertext": _b64(self.wrapped)},
        }, indent=2).encode()


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: object) -> bytes:
    if not isinstance(text, str):
        raise ValueError("not base64 text")
    return base64.b64decode(text, validate=True)


def _derive(passphrase: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return Scrypt(salt=salt, length=32, n=n, r=r, p=p).derive(passphrase.encode("utf-8"))


def check_passphrase_strength(passphrase: str) -> None:
    if len(passphrase) < MIN_PASSPHRASE:
        raise WeakPassphrase(minimum=MIN_PASSPHRASE)


def wrap(profile_id: str, data_key: bytes, passphrase: str, cost: dict[str, int] | None = None) -> KeyFile:
    check_passphrase_strength(passphrase)
    params = cost or DEFAULT_COST
    salt, nonce = secrets.token_bytes(16), secrets.token_bytes(12)
    kek = _derive(passphrase, salt, params["n"], params["r"], params["p"])
    # The profile id is authenticated data: a key file moved to another profile will not open it.
    wrapped = AESGCM(kek).encrypt(nonce, data_key, profile_id.encode())
    return KeyFile(profile_id, salt, params["n"], params["r"], params["p"], nonce, wrapped)


def unwrap(keyfile: KeyFile, passphrase: str) -> bytes:
    kek = _derive(passphrase, keyfile.salt, keyfile.n, keyfile.r, keyfile.p)
    try:
        return AESGCM(kek).decrypt(keyfile.nonce, keyfile.wrapped, keyfile.profile_id.encode())
    except InvalidTag:
        raise WrongPassphrase() from None


def new_data_key() -> bytes:
    return secrets.token_bytes(DATA_KEY_BYTES)


def load(path: Path) -> KeyFile:
    try:
        raw = json.loads(path.read_bytes())
        if raw.get("format") != FORMAT or raw.get("version") != VERSION:
            raise ValueError("unknown format")
        kdf, wrapped = raw["kdf"], raw["wrap"]
        n, r, p = int(kdf["n"]), int(kdf["r"]), int(kdf["p"])
        if kdf["name"] != "scrypt" or n < 2**14 or n & (n - 1) or not 1 <= r <= 32 or not 1 <= p <= 16:
            raise ValueError("unsupported key derivation")
        return KeyFile(str(raw["profile_id"]), _unb64(kdf["salt"]), n, r, p,
                       _unb64(wrapped["nonce"]), _unb64(wrapped["ciphertext"]))
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        raise KeyFileDamaged(path=str(path)) from None


def save(path: Path, keyfile: KeyFile) -> None:
    atomic_write_bytes(path, keyfile.to_json())
    os.chmod(path, 0o600)
