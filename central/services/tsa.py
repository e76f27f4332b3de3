"""Asking the certification body's RFC 3161 time-stamping authority (TSA) to date a signature's hash.

Optional (``Settings.tsa``).  The request carries a SHA-256 message imprint, a fresh 64-bit nonce and
``certReq`` so the authority's certificate travels in the token.  The answer is checked only as far as
the platform needs to tell a token from garbage (status granted, same imprint, same nonce and, when a
certificate is pinned, signed by that certificate or one it issued); the devices and the standalone
verifier check the token's signature in full.  Any failure is returned as a plain reason, never raised:
the platform's own countersignature does not depend on a third party being up.
"""

from __future__ import annotations

import base64
import logging
import secrets
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from asn1crypto import cms, tsp
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.serialization import Encoding

from central.config import TsaConfig

log = logging.getLogger("central.tsa")
MAX_REPLY_BYTES = 64 * 1024


@dataclass(frozen=True)
class TsaOutcome:
    token: str | None  # base64 DER of the time-stamp token (a CMS ContentInfo)
    problem: str | None


def request_der(imprint: bytes, nonce: int) -> bytes:
    der: bytes = tsp.TimeStampReq({
        "version": "v1",
        "message_imprint": {"hash_algorithm": {"algorithm": "sha256"}, "hashed_message": imprint},
        "nonce": nonce, "cert_req": True,
    }).dump()
    return der


def timestamp(config: TsaConfig, imprint: bytes) -> TsaOutcome:
    nonce = secrets.randbits(63) | 1  # never zero, fits a signed 64-bit integer
    try:
        reply = _post(config, request_der(imprint, nonce))
        token = _token(reply, imprint, nonce, config.cert_file)
    except Exception as error:
        problem = f"time-stamping authority {config.url}: {type(error).__name__}: {str(error)[:160]}"
        log.warning("RFC 3161 time-stamp failed: %s", problem)
        return TsaOutcome(None, problem)
    return TsaOutcome(base64.b64encode(token).decode("ascii"), None)


def _post(config: TsaConfig, body: bytes) -> bytes:
    request = urllib.request.Request(config.url, data=body, method="POST",
                                     headers={"Content-Type": "application/timestamp-query",
                                              "Accept": "application/timestamp-reply"})
    with urllib.request.urlopen(request, timeout=config.timeout_s) as answer:
        data: bytes = answer.read(MAX_REPLY_BYTES + 1)
    if len(data) > MAX_REPLY_BYTES:
        raise ValueError("reply too large")
    return data


def _token(reply: bytes, imprint: bytes, nonce: int, cert_file: str | None) -> bytes:
    response = tsp.TimeStampResp.load(reply, strict=True)
    status = response["status"]["status"].native
    if status not in ("granted", "granted_with_mods"):
        raise ValueError(f"status {status}: {response['status']['status_string'].native}")
    info = response["time_stamp_token"]
    if info["content_type"].native != "signed_data":
        raise ValueError("no token")
    signed = info["content"]
    tst = tsp.TSTInfo.load(signed["encap_content_info"]["content"].contents)
    if tst["message_imprint"]["hashed_message"].native != imprint or tst["nonce"].native != nonce:
        raise ValueError("the token dates other content or answers another request")
    if cert_file:
        _check_pinned(signed, Path(cert_file))
    token: bytes = info.dump()
    return token


def _check_pinned(signed: cms.SignedData, cert_file: Path) -> None:
    pinned = x509.load_pem_x509_certificate(cert_file.read_bytes())
    certs = [x509.load_der_x509_certificate(c.chosen.dump()) for c in signed["certificates"] or []
             if c.name == "certificate"]
    for cert in certs:
        if cert.public_bytes(Encoding.DER) == pinned.public_bytes(Encoding.DER):
            return
        try:
            cert.verify_directly_issued_by(pinned)
        except (ValueError, TypeError, InvalidSignature):
            continue
        return
    raise ValueError("the token is not signed by the configured TSA certificate")
