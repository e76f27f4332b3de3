"""Bad input gets a precise HTTP error and changes nothing."""

from __future__ import annotations

import json

import pytest

from sync.protocol import SCHEMA_VERSION_HEADER
from tests.central.helpers import Device, World
from tests.factories import make_item


def _feed_size(device: Device, scope: str) -> int:
    return len(device.pull_all(scope)[0])


def test_malformed_json_is_400(world: World) -> None:
    alice = world.device("alice")
    before = _feed_size(alice, world.audit_a)
    response = world.client.post("/sync/push", headers={**alice.headers, "Content-Type": "application/json"},
                                 content=b'{"schema_version": 1, "mutations": [')
    assert response.status_code == 400 and response.json()["error"]["code"] == "malformed_json"
    assert _feed_size(alice, world.audit_a) == before


def test_unknown_fields_are_422(world: World) -> None:
    alice = world.device("alice")
    item = make_item(world.audit_a).model_dump(mode="json")
    mutation = {**alice.mutation(world.audit_a, "checklist_item", item["id"], "create", 0, item), "sneaky": 1}
    response = alice.push_raw(mutation)
    assert response.status_code == 422 and response.json()["error"]["code"] == "unknown_field"
    assert "sneaky" in response.json()["error"]["message"]
    login = world.client.post("/auth/login", json={"username": "alice", "password": "x", "admin": True,
                                                   "device": {"name": "d"}})
    assert login.status_code == 422 and login.json()["error"]["code"] == "unknown_field"


def test_unknown_record_field_is_a_rejected_mutation(world: World) -> None:
    alice = world.device("alice")
    item_id, _ = alice.create_item(world.audit_a)
    result = alice.push_one(alice.mutation(world.audit_a, "checklist_item", item_id, "patch", 1, {"colour": "red"}))
    assert result["status"] == "rejected" and result["error"]["code"] == "invalid_record"
    bad_type = alice.push_one(alice.mutation(world.audit_a, "checklist_item", item_id, "patch", 1,
                                             {"answer": "maybe"}))
    assert bad_type["error"]["code"] == "invalid_record" and bad_type["rev"] == 1


def test_oversized_body_is_413(world: World) -> None:
    alice = world.device("alice")
    item = make_item(world.audit_a, notes="x" * 19_000).model_dump(mode="json")
    mutations = [alice.mutation(world.audit_a, "checklist_item", item["id"], "create", 0, item)] * 20
    response = alice.push_raw(*mutations)
    assert response.status_code == 413 and response.json()["error"]["code"] == "body_too_large"
    streamed = world.client.post("/sync/push", headers=alice.headers,
                                 content=iter([b"{" + b" " * 200_000, b" " * 200_000 + b"}"]))
    assert streamed.status_code == 413
    assert alice.snapshot(world.audit_a).json()["records"][0]["entity"] == "audit"
    assert len(alice.snapshot(world.audit_a).json()["records"]) == 1


@pytest.mark.parametrize("version", [0, 2, 99])
def test_wrong_schema_version_is_426_with_upgrade_message(world: World, version: int) -> None:
    alice = world.device("alice")
    item = make_item(world.audit_a).model_dump(mode="json")
    mutation = alice.mutation(world.audit_a, "checklist_item", item["id"], "create", 0, item)
    body = {"schema_version": version, "device_id": alice.device_id, "mutations": [mutation]}
    response = world.client.post("/sync/push", headers=alice.headers, json=body)
    assert response.status_code == 426
    assert "Upgrade" in response.json()["error"]["message"] and response.headers["Upgrade"]
    inner = {**body, "schema_version": 1, "mutations": [{**mutation, "schema_version": version}]}
    assert world.client.post("/sync/push", headers=alice.headers, json=inner).status_code == 426
    future = {**body, "new_thing": {"x": 1}}
    assert world.client.post("/sync/push", headers=alice.headers, json=future).status_code == 426
    header = world.client.get("/sync/scopes", headers={**alice.headers, SCHEMA_VERSION_HEADER: str(version)})
    assert header.status_code == 426
    assert len(alice.snapshot(world.audit_a).json()["records"]) == 1


def test_replays_return_the_stored_result_and_apply_once(world: World) -> None:
    alice, bob = world.device("alice"), world.device("bob")
    item_id, _ = alice.create_item(world.audit_a)
    mutation = alice.mutation(world.audit_a, "checklist_item", item_id, "patch", 1, {"notes": "once"})
    first = alice.push_one(mutation)
    bob.push_one(bob.mutation(world.audit_a, "checklist_item", item_id, "patch", 2, {"notes": "later"}))
    replay = alice.push(mutation, mutation)
    for again in replay:
        assert again["replayed"] and {**again, "replayed": False} == first
    changes, _ = bob.pull_all(world.audit_a)
    assert [c["data"]["notes"] for c in changes if c["entity"] == "checklist_item"] == ["", "once", "later"]
    stolen = bob.push_one({**mutation, "device_id": bob.device_id})
    assert stolen["status"] == "rejected" and stolen["error"]["code"] == "mutation_id_reused"


def test_garbage_query_parameters_are_422(world: World) -> None:
    alice = world.device("alice")
    for params in ({"scope": world.audit_a, "cursor": "-1"}, {"scope": world.audit_a, "limit": "0"},
                   {"scope": world.audit_a, "cursor": "abc"}, {}):
        response = world.client.get("/sync/pull", headers=alice.headers, params=params)
        assert response.status_code == 422, params


def test_errors_have_one_shape(world: World) -> None:
    for response in (world.client.get("/nowhere"), world.client.get("/sync/scopes"),
                     world.client.post("/auth/login", content=b"[]")):
        body = response.json()
        assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "details"}
        json.dumps(body)
