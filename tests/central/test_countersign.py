"""``POST /signing/countersign`` and ``GET /signing/platform-key`` on the registered router."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from app.findings import service
from app.signing.countersign import pending, request_body, store_countersignature
from app.signing.errors import CountersignInvalid, PlatformKeyChanged
from app.signing.signoff import sign_off
from app.signing.status import PLATFORM_KEY_META
from app.store.canonical import canonical_json
from tests.app.signing.helpers import REP, drawn_signature
from tests.central.helpers import World
from tests.factories import make_finding
from tests.sync.conftest import devices  # noqa: F401


def _signed_laptop(devices: Callable[..., Any], world: World) -> tuple[Any, Any, Any]:  # noqa: F811
    laptop = devices("lead")
    laptop.sync()
    finding = service.raise_finding(laptop.store, laptop.engine.actor, "lead", make_finding(world.audit_a))
    service.move(laptop.store, "representative", "auditee", finding.id, "acknowledge", {"auditee_comment": "认可"})
    hand, key = sign_off(laptop.store, laptop.session.data_key, actor=laptop.engine.actor, role="lead",
                         audit_id=world.audit_a, representative=REP, strokes=drawn_signature(),
                         suite="international")
    return laptop, hand, key


def _post(world: World, device: Any, body: dict[str, Any]) -> Any:
    return world.client.post("/signing/countersign", headers=device.headers, json=body)


def test_token_names_the_synced_signature_and_verifies(devices: Callable[..., Any], world: World,  # noqa: F811
                                                      clock: Any) -> None:
    laptop, _hand, key = _signed_laptop(devices, world)
    lead = world.device("lead")
    # Before the sync the platform does not hold it: nothing is stamped.
    early = _post(world, lead, request_body(key))
    assert early.status_code == 409 and early.json()["error"]["code"] == "not_synced"
    report = laptop.sync()
    assert report.countersign["countersigned"] == [key.id]
    platform_key = world.client.get("/signing/platform-key", headers=lead.headers).json()
    answer = _post(world, lead, request_body(key)).json()
    token = answer["token"]
    assert answer["public_key"] == platform_key["public_key"] and token["platform_key_id"] == platform_key["key_id"]
    assert (token["signature_id"], token["signed_hash"], token["user_id"]) == (key.id, key.signed_hash,
                                                                                world.users["lead"])
    assert token["device_id"] == lead.device_id  # the device that asked, as the platform saw it
    digest = hashlib.sha256(canonical_json(token)).digest()
    Ed25519PublicKey.from_public_bytes(bytes.fromhex(answer["public_key"])).verify(
        bytes.fromhex(answer["signature"]), digest)
    # The client refuses a token that was altered in transit, and a key other than the pinned one.
    with pytest.raises(CountersignInvalid):
        store_countersignature(laptop.store, "lead", key, {**token, "time": "2020-01-01T00:00:00+00:00"},
                               answer["signature"], answer["public_key"])
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    other = Ed25519PrivateKey.generate()
    other_public = other.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw).hex()
    with pytest.raises(PlatformKeyChanged):
        store_countersignature(laptop.store, "lead", key, token, other.sign(digest).hex(), other_public)
    assert pending(laptop.store) == []


def test_refusals(devices: Callable[..., Any], world: World) -> None:  # noqa: F811
    laptop, hand, key = _signed_laptop(devices, world)
    laptop.sync()
    lead = world.device("lead")
    wrong_hash = _post(world, lead, {**request_body(key), "signed_hash": "0" * 64})
    assert wrong_hash.status_code == 409 and wrong_hash.json()["error"]["code"] == "hash_mismatch"
    drawn = _post(world, lead, {**request_body(key), "signature_id": hand.id, "signed_hash": hand.signed_hash,
                                "public_key": key.public_key})
    assert drawn.status_code == 409  # the drawn record has no device key: not the signature asked about
    outsider = world.device("other_lead")
    assert _post(world, outsider, request_body(key)).status_code == 403
    assert world.client.post("/signing/countersign", json=request_body(key)).status_code == 401
    assert world.client.get("/signing/platform-key").status_code == 401
    malformed = _post(world, lead, {**request_body(key), "signed_hash": "xyz"})
    assert malformed.status_code == 422


def test_a_changed_platform_key_is_reported_not_stored(devices: Callable[..., Any], world: World) -> None:  # noqa: F811
    laptop, _hand, key = _signed_laptop(devices, world)
    with laptop.store.unit_of_work("lead") as uow:
        uow.connection.execute("INSERT INTO meta (key, value) VALUES (?, ?)", (PLATFORM_KEY_META, "ab" * 32))
    report = laptop.sync()
    # The round itself succeeds (its records are committed); the refusal is said in plain words.
    assert report.rejected == 0 and report.countersign["countersigned"] == []
    (problem,) = report.countersign["failed"]
    assert "平台使用的签名密钥" in problem and any(problem == line for line in report.lines())
    assert pending(laptop.store) == [key]
