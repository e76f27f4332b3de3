"""scrypt password hashes: ``scrypt$n$r$p$salt$hash`` (base64), compared in constant time."""

from __future__ import annotations

import base64
import hashlib
import hmac
import os

DEFAULT_COST = (2**15, 8, 1)
_MAX_MEM = 128 * 1024 * 1024


def hash_password(password: str, cost: tuple[int, int, int] = DEFAULT_COST) -> str:
    n, r, p = cost
    salt = os.urandom(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=n, r=r, p=p, maxmem=_MAX_MEM, dklen=32)
    return "$".join(["scrypt", str(n), str(r), str(p), _b64(salt), _b64(digest)])


def verify_password(password: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        expected = base64.b64decode(digest)
        actual = hashlib.scrypt(password.encode(), salt=base64.b64decode(salt), n=int(n), r=int(r),
                                p=int(p), maxmem=_MAX_MEM, dklen=len(expected))
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(actual, expected)


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")
