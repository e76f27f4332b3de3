"""RFC 3161 time-stamp tokens: check one against the content it should date (asn1crypto + cryptography).

A token is a CMS SignedData (RFC 5652) whose content is a ``TSTInfo``: the hash it dates (the
*message imprint*), the authority's time, a serial number and the requester's nonce.  The authority
signs a set of attributes that holds the hash of that ``TSTInfo`` and of its own certificate (ESS
signing-certificate, RFC 5035); its certificate travels in the token.  This module checks all of it
without network access: which authority to trust is a matter of comparing the certificate's
fingerprint (``Stamp.cert_sha256``) with what the certification body publishes.

Importing only the standard library, ``cryptography`` and ``asn1crypto`` keeps the standalone verifier
small (see docs/trail-verification.md).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from asn1crypto import cms, tsp
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa
from cryptography.hazmat.primitives.serialization import Encoding
from cryptography.x509.oid import ExtendedKeyUsageOID

from app.verify import suites

_HASHES: dict[str, type[hashes.HashAlgorithm]] = {
    "sha256": hashes.SHA256, "sha384": hashes.SHA384, "sha512": hashes.SHA512, "sha224": hashes.SHA224,
}
MAX_TOKEN_BYTES = 64 * 1024


class TimestampInvalid(ValueError):
    """The token does not check out; ``str(error)`` is a short technical reason (English)."""


@dataclass(frozen=True)
class Stamp:
    time: datetime
    imprint: str  # hex
    nonce: int | None
    serial: int
    authority: str  # the signing certificate's subject, RFC 4514
    cert_sha256: str


def content_imprint(envelope: dict[str, Any]) -> bytes:
    """What the authority dates: SHA-256 of the canonical signed envelope (= ``signed_hash`` in the
    international suite; in the national suite the same content hashed with SHA-256, which every TSA
    accepts)."""
    return hashlib.sha256(suites.canonical_json(envelope)).digest()


def decode(text: str) -> bytes:
    try:
        der = base64.b64decode(text.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError, ValueError) as error:
        raise TimestampInvalid("not base64") from error
    if not der or len(der) > MAX_TOKEN_BYTES:
        raise TimestampInvalid("size")
    return der


def check_token(der: bytes, imprint: bytes) -> Stamp:
    """The token's facts when it is a valid time-stamp over ``imprint``; raise TimestampInvalid if not."""
    try:
        return _check(der, imprint)
    except TimestampInvalid:
        raise
    except Exception as error:  # asn1crypto raises ValueError, TypeError, KeyError... on damaged DER
        raise TimestampInvalid(f"unreadable ({type(error).__name__})") from error


def _check(der: bytes, imprint: bytes) -> Stamp:
    info = cms.ContentInfo.load(der, strict=True)
    if info["content_type"].native != "signed_data":
        raise TimestampInvalid("not a signed token")
    signed = info["content"]
    encap = signed["encap_content_info"]
    if encap["content_type"].native != "tst_info":
        raise TimestampInvalid("not a time-stamp")
    tst_der = encap["content"].contents
    tst = tsp.TSTInfo.load(tst_der, strict=True)
    found = tst["message_imprint"]
    algorithm = found["hash_algorithm"]["algorithm"].native
    if algorithm != "sha256" or found["hashed_message"].native != imprint:
        raise TimestampInvalid("other content")
    infos = signed["signer_infos"]
    if len(infos) != 1:
        raise TimestampInvalid("signer count")
    signer = infos[0]
    # The unsigned parts of the container must agree with the signed ones: a changed byte anywhere fails.
    declared = [d["algorithm"].native for d in signed["digest_algorithms"]]
    if (declared != [signer["digest_algorithm"]["algorithm"].native] or signed["version"].native not in ("v1", "v3")
            or signer["version"].native != {"issuer_and_serial_number": "v1"}.get(signer["sid"].name, "v3")):
        raise TimestampInvalid("container")
    if cms.ContentInfo.load(der).dump(force=True) != der:
        raise TimestampInvalid("not DER")
    cert = _signer_cert(signed, signer)
    _check_attributes(signer, tst_der, cert)
    _check_signature(signer, cert)
    gen_time = tst["gen_time"].native
    if not isinstance(gen_time, datetime) or gen_time.tzinfo is None:
        raise TimestampInvalid("time")
    return Stamp(time=gen_time, imprint=imprint.hex(), nonce=tst["nonce"].native, serial=tst["serial_number"].native,
                 authority=cert.subject.rfc4514_string(),
                 cert_sha256=cert.fingerprint(hashes.SHA256()).hex())


def _signer_cert(signed: cms.SignedData, signer: cms.SignerInfo) -> x509.Certificate:
    sid = signer["sid"]
    for choice in signed["certificates"] or []:
        if choice.name != "certificate":
            continue
        candidate = choice.chosen
        if sid.name == "issuer_and_serial_number":
            match = (candidate.issuer == sid.chosen["issuer"]
                     and candidate.serial_number == sid.chosen["serial_number"].native)
        else:
            match = candidate.key_identifier == sid.chosen.native
        if match:
            cert = x509.load_der_x509_certificate(candidate.dump())
            try:
                usage = cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
            except x509.ExtensionNotFound as error:
                raise TimestampInvalid("certificate not for time-stamping") from error
            if ExtendedKeyUsageOID.TIME_STAMPING not in usage:
                raise TimestampInvalid("certificate not for time-stamping")
            return cert
    raise TimestampInvalid("certificate missing")


def _check_attributes(signer: cms.SignerInfo, tst_der: bytes, cert: x509.Certificate) -> None:
    attributes = {a["type"].native: a["values"][0] for a in signer["signed_attrs"] or []}
    if attributes.get("content_type") is None or attributes["content_type"].native != "tst_info":
        raise TimestampInvalid("content type")
    digest_name = signer["digest_algorithm"]["algorithm"].native
    if digest_name not in _HASHES:
        raise TimestampInvalid(f"hash {digest_name}")
    digest = hashes.Hash(_HASHES[digest_name]())
    digest.update(tst_der)
    if attributes.get("message_digest") is None or attributes["message_digest"].native != digest.finalize():
        raise TimestampInvalid("message digest")
    cert_der = cert.public_bytes(Encoding.DER)
    v2, v1 = attributes.get("signing_certificate_v2"), attributes.get("signing_certificate")
    if v2 is not None:
        first = v2["certs"][0]
        name = first["hash_algorithm"]["algorithm"].native
        if name not in _HASHES:
            raise TimestampInvalid(f"hash {name}")
        cert_hash = hashes.Hash(_HASHES[name]())
        cert_hash.update(cert_der)
        bound = first["cert_hash"].native == cert_hash.finalize()
    elif v1 is not None:
        bound = v1["certs"][0]["cert_hash"].native == hashlib.sha1(cert_der).digest()
    else:
        bound = False
    if not bound:
        raise TimestampInvalid("signing certificate")


def _check_signature(signer: cms.SignerInfo, cert: x509.Certificate) -> None:
    # The signature covers the DER of the attributes as a SET (tag 0x31), not as the [0] field.
    signed_attrs = signer["signed_attrs"].dump()
    data = b"\x31" + signed_attrs[1:]
    signature = signer["signature"].native
    algo = signer["signature_algorithm"]
    kind = algo.signature_algo
    hash_name = signer["digest_algorithm"]["algorithm"].native
    key = cert.public_key()
    if kind in ("ecdsa", "rsassa_pkcs1v15") and algo["algorithm"].native not in (
            "rsassa_pkcs1v15", "rsa") and algo.hash_algo != hash_name:
        raise TimestampInvalid("algorithm")
    try:
        if isinstance(key, ed25519.Ed25519PublicKey) and kind == "ed25519":
            key.verify(signature, data)
        elif isinstance(key, rsa.RSAPublicKey) and kind == "rsassa_pkcs1v15":
            key.verify(signature, data, padding.PKCS1v15(), _HASHES[hash_name]())
        elif isinstance(key, rsa.RSAPublicKey) and kind == "rsassa_pss":
            params = algo["parameters"]
            pss_hash = _HASHES[params["hash_algorithm"]["algorithm"].native]()
            key.verify(signature, data, padding.PSS(padding.MGF1(pss_hash), params["salt_length"].native), pss_hash)
        elif isinstance(key, ec.EllipticCurvePublicKey) and kind == "ecdsa":
            key.verify(signature, data, ec.ECDSA(_HASHES[hash_name]()))
        else:
            raise TimestampInvalid(f"algorithm {kind}")
    except (InvalidSignature, KeyError) as error:
        raise TimestampInvalid("signature") from error

