"""The two crypto suites, canonical JSON and content hashes — stdlib, ``cryptography`` and ``gmssl`` only.

This package is the standalone trail verifier (``python -m app.verify PACKAGE``): a third party runs
it with nothing of FieldAudit but these files, so it imports no other part of ``app``.  The app's
signing code imports *this* module, so signer and verifier cannot drift apart.

- international: SHA-256 content hashes, Ed25519 signatures over the 32 hash bytes;
- national: SM3 content hashes (``cryptography``), SM2 signatures with SM3 (GB/T 32918, default user
  id) over the 32 hash bytes (``gmssl``; its own nonce generator uses ``random``, so the nonce is
  drawn here from ``secrets``).
"""

from __future__ import annotations

import hashlib
import json
import secrets
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

INTERNATIONAL = "international"
NATIONAL = "national"
SUITES = (INTERNATIONAL, NATIONAL)
ALGORITHMS = {INTERNATIONAL: "ed25519", NATIONAL: "sm2-sm3"}
HASHES = {INTERNATIONAL: "sha256", NATIONAL: "sm3"}
# The fields of a finding that a sign-off covers: what the team stated, not how the loop went on.
SIGNED_FINDING_FIELDS = ("audit_id", "clause_refs", "evidence_ids", "grade", "id", "objective_evidence",
                         "requirement", "statement")


def canonical_json(value: Any) -> bytes:
    """Byte-identical to ``app.store.canonical.canonical_json`` (a test keeps them equal)."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def sm3_hex(data: bytes) -> str:
    digest = hashes.Hash(hashes.SM3())
    digest.update(data)
    return digest.finalize().hex()


def digest_hex(suite: str, data: bytes) -> str:
    if suite == NATIONAL:
        return sm3_hex(data)
    if suite == INTERNATIONAL:
        return hashlib.sha256(data).hexdigest()
    raise ValueError(f"unknown suite {suite!r}")


def hash_value(suite: str, value: Any) -> str:
    return digest_hex(suite, canonical_json(value))


def finding_hash(suite: str, finding: dict[str, Any], fields: tuple[str, ...] | list[str]) -> str:
    return hash_value(suite, {name: finding.get(name) for name in fields})


def suite_of_algorithm(algorithm: str) -> str | None:
    return next((suite for suite, name in ALGORITHMS.items() if name == algorithm), None)


# -- SM2 -------------------------------------------------------------------------------------------
def _sm2() -> Any:
    from gmssl import sm2

    return sm2


def _sm2_order() -> int:
    return int(_sm2().default_ecc_table["n"], 16)


def generate(suite: str) -> tuple[bytes, str]:
    """A new key pair: (private key bytes, public key hex)."""
    if suite == INTERNATIONAL:
        private = Ed25519PrivateKey.generate()
        from cryptography.hazmat.primitives import serialization as ser

        raw = private.private_bytes(ser.Encoding.Raw, ser.PrivateFormat.Raw, ser.NoEncryption())
        return raw, private.public_key().public_bytes(ser.Encoding.Raw, ser.PublicFormat.Raw).hex()
    if suite == NATIONAL:
        sm2 = _sm2()
        d = secrets.randbelow(_sm2_order() - 2) + 1
        public = sm2.CryptSM2(private_key=f"{d:064x}", public_key="")._kg(d, sm2.default_ecc_table["g"])
        return d.to_bytes(32, "big"), str(public)
    raise ValueError(f"unknown suite {suite!r}")


def sign(suite: str, private: bytes, public_hex: str, digest: str) -> str:
    """Sign the 32 bytes of ``digest`` (hex); returns the signature as hex."""
    message = bytes.fromhex(digest)
    if suite == INTERNATIONAL:
        return Ed25519PrivateKey.from_private_bytes(private).sign(message).hex()
    if suite == NATIONAL:
        signer = _sm2().CryptSM2(private_key=private.hex(), public_key=public_hex)
        while True:
            nonce = secrets.randbelow(_sm2_order() - 2) + 1
            result = signer.sign_with_sm3(message, f"{nonce:064x}")
            if result:
                return str(result)
    raise ValueError(f"unknown suite {suite!r}")


def verify(suite: str, public_hex: str, digest: str, signature_hex: str) -> bool:
    """True only for a well-formed signature by ``public_hex`` over ``digest``; never raises."""
    try:
        message = bytes.fromhex(digest)
        if suite == INTERNATIONAL:
            Ed25519PublicKey.from_public_bytes(bytes.fromhex(public_hex)).verify(bytes.fromhex(signature_hex),
                                                                                 message)
            return True
        if suite == NATIONAL:
            if len(public_hex) != 128 or len(signature_hex) != 128:
                return False
            int(public_hex, 16), int(signature_hex, 16)
            checker = _sm2().CryptSM2(private_key=None, public_key=public_hex)
            return bool(checker.verify_with_sm3(signature_hex, message))
    except InvalidSignature:
        return False
    except Exception:  # gmssl is pure Python: a crafted key or signature may raise anything
        return False
    return False


def key_id(public_hex: str) -> str:
    """A short, stable name for a public key (first 128 bits of its SHA-256)."""
    return hashlib.sha256(bytes.fromhex(public_hex)).hexdigest()[:32]
