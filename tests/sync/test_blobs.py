"""Evidence bytes: content-addressed, resumable, verified on both ends, scope-checked."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.evidence.service import EvidenceService
from app.evidence.state import EvidenceState, evidence_state
from app.evidence.vault import Vault
from app.services.verification import verify_profile
from tests.central.helpers import World, login

CHUNK_TEST = 200 * 1024  # under the test platform's 256 KiB body limit


def _service(device: Any) -> EvidenceService:
    return EvidenceService.for_session(device.session, workers=1)


def test_photo_reaches_a_team_member_with_the_same_hash(devices: Callable[..., Any], world: World,
                                                        tmp_path: Path) -> None:
    alice, bob = devices("alice"), devices("bob")
    alice.sync()
    bob.sync()
    payload = b"%PDF-1.4\n" + os.urandom(3 * CHUNK_TEST + 12345) + b"\n%%EOF\n"  # several chunks
    source = tmp_path / "现场记录.pdf"
    source.write_bytes(payload)
    sha = hashlib.sha256(payload).hexdigest()
    service = _service(alice)
    imported = service.import_files(world.audit_a, [source])
    evidence = alice.store.evidence.list(world.audit_a)[0]
    assert evidence.sha256 == sha, imported
    vault = Vault(alice.session.paths.vault, alice.session.data_key)
    assert evidence_state(alice.store, vault, evidence) is EvidenceState.PENDING_UPLOAD
    report = alice.sync()
    assert report.blobs["uploaded"] == 1 and report.blobs["bytes_sent"] == len(payload)
    assert evidence_state(alice.store, vault, evidence) is EvidenceState.UPLOADED
    received = bob.sync()
    assert received.blobs["downloaded"] == 1
    bob_vault = Vault(bob.session.paths.vault, bob.session.data_key)
    assert b"".join(bob_vault.open(sha)) == payload
    assert all(result.ok for result in verify_profile(bob.session))
    # Nothing moves twice.
    again = alice.sync()
    assert again.blobs["uploaded"] == 0 and again.blobs["bytes_sent"] == 0


def test_interrupted_upload_resumes_and_wrong_bytes_are_refused(client: TestClient, world: World) -> None:
    lead = login(client, "lead")
    payload = os.urandom(3 * CHUNK_TEST)
    sha = hashlib.sha256(payload).hexdigest()
    CHUNK = CHUNK_TEST
    params = {"audit_id": world.audit_a, "size": len(payload)}
    offer = client.post("/blobs", headers=lead.headers, json={"sha256": sha, "size": len(payload),
                                                              "audit_id": world.audit_a})
    assert offer.json() == {"sha256": sha, "status": "upload", "offset": 0, "max_chunk": 256 * 1024}
    first = client.put(f"/blobs/{sha}/upload", headers=lead.headers, params={**params, "offset": 0},
                       content=payload[:CHUNK])
    assert first.json()["offset"] == CHUNK
    # The same chunk again, or one out of order: 409 with the offset to resume from.
    for offset in (0, 2 * CHUNK):
        again = client.put(f"/blobs/{sha}/upload", headers=lead.headers, params={**params, "offset": offset},
                           content=payload[offset:offset + CHUNK])
        assert again.status_code == 409 and again.json()["error"]["details"] == [{"offset": CHUNK}]
    resumed = client.get(f"/blobs/{sha}/upload", headers=lead.headers, params={"audit_id": world.audit_a})
    assert resumed.json()["offset"] == CHUNK
    for offset in (CHUNK, 2 * CHUNK):
        done = client.put(f"/blobs/{sha}/upload", headers=lead.headers, params={**params, "offset": offset},
                          content=payload[offset:offset + CHUNK])
    assert done.json()["status"] == "present"
    forged = os.urandom(100)
    claimed = hashlib.sha256(b"something else").hexdigest()
    refused = client.put(f"/blobs/{claimed}/upload", headers=lead.headers,
                         params={"audit_id": world.audit_a, "size": 100, "offset": 0}, content=forged)
    assert refused.status_code == 422 and refused.json()["error"]["code"] == "hash_mismatch"
    assert client.get(f"/blobs/{claimed}/upload", headers=lead.headers,
                      params={"audit_id": world.audit_a}).json()["offset"] == 0


@pytest.mark.parametrize("who", ["other_lead", "observer"])
def test_outsiders_and_observers_cannot_upload(client: TestClient, world: World, who: str) -> None:
    device = login(client, who)
    sha = hashlib.sha256(b"x").hexdigest()
    response = client.post("/blobs", headers=device.headers, json={"sha256": sha, "size": 1,
                                                                    "audit_id": world.audit_a})
    assert response.status_code == 403


def test_ranged_download_and_scope_check(devices: Callable[..., Any], world: World, client: TestClient,
                                         tmp_path: Path) -> None:
    alice = devices("alice")
    alice.sync()
    source = tmp_path / "note.txt"
    source.write_bytes("审核记录".encode() * 1000)
    _service(alice).import_files(world.audit_a, [source])
    alice.sync()
    sha = alice.store.evidence.list(world.audit_a)[0].sha256
    bob = login(client, "bob")
    part = client.get(f"/blobs/{sha}", headers={**bob.headers, "Range": "bytes=3-8"},
                      params={"audit_id": world.audit_a})
    assert part.status_code == 206 and part.content == source.read_bytes()[3:9]
    assert part.headers["content-range"].endswith(f"/{source.stat().st_size}")
    outsider = login(client, "other_lead")
    denied = client.get(f"/blobs/{sha}", headers=outsider.headers, params={"audit_id": world.audit_a})
    assert denied.status_code == 403
    elsewhere = client.get(f"/blobs/{sha}", headers=outsider.headers, params={"audit_id": world.audit_b})
    assert elsewhere.status_code == 404
