"""The platform's optional RFC 3161 time-stamp: a real test authority over HTTP, the real platform, real
devices.  A stamped countersignature verifies; an authority that is down or answers garbage costs
nothing but the stamp, which a later round fetches."""

from __future__ import annotations

import base64
import hashlib
import json
import socket
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from app.domain import SignatureMethod
from app.findings import service
from app.services.verification import verify_profile
from app.signing.countersign import pending, request_body
from app.signing.envelope import unpack
from app.signing.signoff import sign_off
from app.signing.status import signature_problems
from app.signing.trail import export_trail
from app.verify import timestamp
from app.verify.package import verify_package
from central.config import Settings, TsaConfig
from tests.app.signing.helpers import REP, drawn_signature
from tests.app.signing.tsa import TestAuthority
from tests.central.helpers import World
from tests.factories import make_finding
from tests.sync.conftest import devices  # noqa: F401


@pytest.fixture
def authority() -> Iterator[TestAuthority]:
    with TestAuthority() as tsa:
        yield tsa


def _closed_port_url() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/tsa"  # nothing listens there any more


def _signed_laptop(devices: Callable[..., Any], world: World, suite: str = "international") -> tuple[Any, Any]:  # noqa: F811
    laptop = devices("lead")
    laptop.sync()
    finding = service.raise_finding(laptop.store, laptop.engine.actor, "lead", make_finding(world.audit_a))
    service.move(laptop.store, "representative", "auditee", finding.id, "acknowledge", {"auditee_comment": "认可"})
    _hand, key = sign_off(laptop.store, laptop.session.data_key, actor=laptop.engine.actor, role="lead",
                          audit_id=world.audit_a, representative=REP, strokes=drawn_signature(), suite=suite)
    return laptop, key


def _countersignatures(laptop: Any) -> list[dict[str, Any]]:
    return [unpack(s) or {} for s in laptop.store.signatures.list()
            if s.method is SignatureMethod.PLATFORM_COUNTERSIGN]


@pytest.mark.parametrize("suite", ["international", "national"])
def test_configured_authority_stamps_the_countersignature(devices: Callable[..., Any], world: World,  # noqa: F811
                                                         settings: Settings, authority: TestAuthority,
                                                         tmp_path: Path, suite: str) -> None:
    settings.tsa = TsaConfig(authority.url, cert_file=str(authority.cert_file(tmp_path)))
    laptop, key = _signed_laptop(devices, world, suite)
    report = laptop.sync()
    assert report.countersign["countersigned"] == [key.id] and report.countersign.get("timestamped", []) == [key.id]
    assert not report.countersign.get("timestamp_failed", [])
    (sent,) = authority.requests
    assert sent["content_type"] == "application/timestamp-query" and sent["cert_req"] is True and sent["nonce"]
    assert sent["imprint"] == timestamp.content_imprint((unpack(key) or {})["env"])
    if suite == "international":
        assert sent["imprint"].hex() == key.signed_hash  # the signature's own content hash
    (packed,) = _countersignatures(laptop)
    assert packed["tsa_status"] == "stamped" and packed["tsa"]
    assert all(result.ok for result in verify_profile(laptop.session)), verify_profile(laptop.session)
    assert signature_problems(laptop.store) == []
    out = tmp_path / "trail.zip"
    export_trail(laptop.store, laptop.session.data_key, actor=laptop.engine.actor, audit_id=world.audit_a, out=out,
                 suite=suite)
    outcome = verify_package(out)
    assert outcome.ok and not [p for p in outcome.problems if p.code.startswith("timestamp")], outcome.problems
    # The platform countersigned the stamp's hash: removing the stamp from the record is caught too.
    stored = next(s for s in laptop.store.signatures.list() if s.method is SignatureMethod.PLATFORM_COUNTERSIGN)
    assert packed["token"]["tsa_sha256"] == hashlib.sha256(base64.b64decode(packed["tsa"])).hexdigest()
    stripped = {**packed, "tsa_status": "failed"}
    del stripped["tsa"]
    conn = laptop.store._writer_connection()
    data = json.loads(conn.execute("SELECT data FROM records WHERE id = ?", (stored.id,)).fetchone()[0])
    conn.execute("UPDATE records SET data = ? WHERE id = ?",
                 (json.dumps({**data, "signature": json.dumps(stripped, sort_keys=True)}), stored.id))
    problems = [p for p in signature_problems(laptop.store) if not p.warning]
    assert [(p.code, p.params["detail"]) for p in problems] == [("timestamp_invalid", "removed")]
    assert not all(result.ok for result in verify_profile(laptop.session))


@pytest.mark.parametrize("failure", ["down", "garbage"])
def test_authority_failure_keeps_the_countersignature_and_retries(devices: Callable[..., Any],  # noqa: F811
                                                                 world: World, settings: Settings,
                                                                 authority: TestAuthority, failure: str) -> None:
    if failure == "down":
        settings.tsa = TsaConfig(_closed_port_url(), timeout_s=2)
    else:
        settings.tsa = TsaConfig(authority.url)
        authority.mode = "garbage"
    laptop, key = _signed_laptop(devices, world)
    # Straight from the API: the platform's token is there, the authority's failure is reported.
    laptop.sync()
    answer = world.client.post("/signing/countersign", params={"tsa": "true"}, json=request_body(key),
                               headers=world.device("lead").headers).json()
    assert answer["token"]["signature_id"] == key.id and answer["tsa_status"] == "failed"
    assert "tsa_token" not in answer and "time-stamping authority" in answer["tsa_problem"]
    (packed,) = _countersignatures(laptop)
    assert packed["tsa_status"] == "failed" and "tsa" not in packed
    assert all(result.ok for result in verify_profile(laptop.session))
    assert [p.code for p in signature_problems(laptop.store)] == ["timestamp_pending"]
    assert [s.id for s in pending(laptop.store)] == [key.id]
    # Still failing: nothing new is stored, the failure is reported again in plain words.
    again = laptop.sync()
    assert again.countersign["countersigned"] == [] and len(again.countersign.get("timestamp_failed", [])) == 1
    assert "时间戳" in again.countersign.get("timestamp_failed", [])[0] and len(_countersignatures(laptop)) == 1
    # The authority is back: the next round fetches the stamp.
    settings.tsa = TsaConfig(authority.url)
    authority.mode = "ok"
    fixed = laptop.sync()
    assert fixed.countersign.get("timestamped", []) == [key.id] and fixed.countersign["countersigned"] == []
    assert pending(laptop.store) == [] and signature_problems(laptop.store) == []
    assert [p.get("tsa_status") for p in _countersignatures(laptop)].count("stamped") == 1


def test_older_clients_see_the_reply_they_know(devices: Callable[..., Any], world: World,  # noqa: F811
                                               settings: Settings, authority: TestAuthority) -> None:
    settings.tsa = TsaConfig(authority.url)
    laptop, key = _signed_laptop(devices, world)
    laptop.sync()
    lead = world.device("lead")
    plain = world.client.post("/signing/countersign", json=request_body(key), headers=lead.headers).json()
    assert set(plain) == {"token", "signature", "public_key", "algorithm"}
    settings.tsa = None
    unset = world.client.post("/signing/countersign", params={"tsa": "true"}, json=request_body(key),
                              headers=lead.headers).json()
    assert unset["tsa_status"] == "not_configured" and "tsa_token" not in unset


def test_pinned_certificate_refuses_another_authority(devices: Callable[..., Any], world: World,  # noqa: F811
                                                      settings: Settings, authority: TestAuthority,
                                                      tmp_path: Path) -> None:
    other = TestAuthority()  # never started: only its certificate is pinned
    settings.tsa = TsaConfig(authority.url, cert_file=str(other.cert_file(tmp_path)))
    other.server.server_close()
    laptop, key = _signed_laptop(devices, world)
    report = laptop.sync()
    assert report.countersign["countersigned"] == [key.id] and len(report.countersign.get("timestamp_failed", [])) == 1
    assert "configured TSA certificate" in report.countersign.get("timestamp_failed", [])[0]
