"""A tiny RFC 3161 time-stamping authority for the tests: a real HTTP server, real DER, real signatures.

It answers ``TimeStampReq`` (``application/timestamp-query``) with a ``TimeStampResp`` built with
asn1crypto's tsp/cms modules and signed (ECDSA P-256, SHA-256) by a self-signed certificate carrying
the critical timeStamping extended key usage.  ``mode`` switches it to answering garbage.
"""

from __future__ import annotations

import hashlib
import threading
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from asn1crypto import algos, cms, core, tsp
from asn1crypto import x509 as ax509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

POLICY = "1.3.6.1.4.1.99999.1.1"


def make_authority(name: str = "FieldAudit Test TSA") -> tuple[ec.EllipticCurvePrivateKey, x509.Certificate]:
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.now(UTC)
    cert = (x509.CertificateBuilder().subject_name(subject).issuer_name(subject).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - timedelta(days=1))
            .not_valid_after(now + timedelta(days=365))
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
            .sign(key, hashes.SHA256()))
    return key, cert


def token_for(key: ec.EllipticCurvePrivateKey, cert: x509.Certificate, imprint: bytes, *, nonce: int | None,
              when: datetime | None = None, serial: int = 1) -> bytes:
    """A DER ContentInfo (the time-stamp token) over ``imprint`` (SHA-256)."""
    cert_der = cert.public_bytes(serialization.Encoding.DER)
    tst = tsp.TSTInfo({
        "version": "v1", "policy": POLICY,
        "message_imprint": {"hash_algorithm": {"algorithm": "sha256"}, "hashed_message": imprint},
        "serial_number": serial, "gen_time": when or datetime.now(UTC), "nonce": nonce,
    })
    tst_der = tst.dump()
    signed_attrs = cms.CMSAttributes([
        {"type": "content_type", "values": ["tst_info"]},
        {"type": "message_digest", "values": [hashlib.sha256(tst_der).digest()]},
        {"type": "signing_certificate_v2", "values": [{"certs": [
            {"hash_algorithm": {"algorithm": "sha256"}, "cert_hash": hashlib.sha256(cert_der).digest()}]}]},
    ])
    signature = key.sign(signed_attrs.dump(), ec.ECDSA(hashes.SHA256()))
    parsed = ax509.Certificate.load(cert_der)
    signer = cms.SignerInfo({
        "version": "v1",
        "sid": {"issuer_and_serial_number": {"issuer": parsed.issuer, "serial_number": parsed.serial_number}},
        "digest_algorithm": {"algorithm": "sha256"},
        "signed_attrs": signed_attrs,
        "signature_algorithm": algos.SignedDigestAlgorithm({"algorithm": "sha256_ecdsa"}),
        "signature": signature,
    })
    signed = cms.SignedData({
        "version": "v3", "digest_algorithms": [{"algorithm": "sha256"}],
        "encap_content_info": {"content_type": "tst_info", "content": core.ParsableOctetString(tst_der)},
        "certificates": [parsed], "signer_infos": [signer],
    })
    der: bytes = cms.ContentInfo({"content_type": "signed_data", "content": signed}).dump()
    return der


class TestAuthority:
    """``with TestAuthority() as tsa: tsa.url``; ``tsa.mode = "garbage"`` to answer nonsense."""

    __test__ = False  # not a pytest class

    def __init__(self) -> None:
        self.key, self.cert = make_authority()
        self.mode = "ok"
        self.requests: list[Any] = []
        authority = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                reply = authority.answer(body, self.headers.get("Content-Type", ""))
                self.send_response(200)
                self.send_header("Content-Type", "application/timestamp-reply")
                self.send_header("Content-Length", str(len(reply)))
                self.end_headers()
                self.wfile.write(reply)

            def log_message(self, format: str, *args: Any) -> None:
                return

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/tsa"

    def cert_file(self, folder: Path) -> Path:
        path = folder / "tsa.pem"
        path.write_bytes(self.cert.public_bytes(serialization.Encoding.PEM))
        return path

    def answer(self, body: bytes, content_type: str) -> bytes:
        if self.mode == "garbage":
            return b"<html>service unavailable</html>"
        request = tsp.TimeStampReq.load(body)
        self.requests.append({"content_type": content_type, "nonce": request["nonce"].native,
                              "cert_req": request["cert_req"].native,
                              "imprint": request["message_imprint"]["hashed_message"].native})
        token = token_for(self.key, self.cert, request["message_imprint"]["hashed_message"].native,
                          nonce=request["nonce"].native, serial=len(self.requests))
        reply: bytes = tsp.TimeStampResp({"status": {"status": "granted"},
                                          "time_stamp_token": cms.ContentInfo.load(token)}).dump()
        return reply

    def __enter__(self) -> TestAuthority:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
