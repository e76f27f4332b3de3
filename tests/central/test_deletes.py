"""Deletes are tombstones; an edit concurrent with a delete is a conflict, never a loss or resurrection."""

from __future__ import annotations

import pytest

from tests.central.helpers import World, record_of


@pytest.mark.parametrize("entity", ["checklist_item", "finding"])
def test_delete_is_a_tombstone_in_feed_and_snapshot(world: World, entity: str) -> None:
    alice, bob = world.device("alice"), world.device("bob")
    record_id = (alice.create_item if entity == "checklist_item" else alice.create_finding)(world.audit_a)[0]
    deleted = alice.push_one(alice.mutation(world.audit_a, entity, record_id, "delete", 1))
    assert deleted["status"] == "applied" and deleted["deleted"] and deleted["record"] is None
    assert deleted["rev"] == 2
    changes, _ = bob.pull_all(world.audit_a)
    last = record_of(changes, entity, record_id)
    assert last["deleted"] and last["data"] is None and last["rev"] == 2
    snap = bob.snapshot(world.audit_a).json()
    entry = next(r for r in snap["records"] if r["entity_id"] == record_id)
    assert entry["deleted"] and entry["data"] is None
    # A second delete (another device that saw it) changes nothing.
    again = bob.push_one(bob.mutation(world.audit_a, entity, record_id, "delete", 2))
    assert again["status"] == "applied" and again["rev"] == 2


def test_edit_concurrent_with_delete_is_a_conflict_and_no_resurrection(world: World) -> None:
    alice, bob, lead = world.device("alice"), world.device("bob"), world.device("lead")
    item_id, _ = alice.create_item(world.audit_a)
    alice.push_one(alice.mutation(world.audit_a, "checklist_item", item_id, "delete", 1))
    edit = bob.push_one(bob.mutation(world.audit_a, "checklist_item", item_id, "patch", 1,
                                     {"answer": "major_nc"}))
    assert edit["status"] == "conflict" and edit["deleted"] and edit["record"] is None
    conflict = edit["conflict"]
    assert conflict["kind"] == "edit_delete" and conflict["server_deleted"] and not conflict["client_deleted"]
    assert conflict["client_values"] == {"answer": "major_nc"}
    # The edit is not lost: the lead can bring the record back with it.
    restored = lead.push_one(lead.mutation(world.audit_a, "checklist_item", item_id, "resolve", 2,
                                           {"conflict_id": conflict["conflict_id"], "resolution": "client"}))
    assert restored["status"] == "applied" and not restored["deleted"]
    assert restored["record"]["answer"] == "major_nc" and restored["rev"] == 3


def test_delete_concurrent_with_edit_is_a_conflict_record_stays(world: World) -> None:
    alice, bob, lead = world.device("alice"), world.device("bob"), world.device("lead")
    finding_id, _ = alice.create_finding(world.audit_a)
    alice.push_one(alice.mutation(world.audit_a, "finding", finding_id, "patch", 1, {"statement": "kept"}))
    gone = bob.push_one(bob.mutation(world.audit_a, "finding", finding_id, "delete", 1))
    assert gone["status"] == "conflict" and not gone["deleted"]
    assert gone["record"]["statement"] == "kept"
    assert gone["conflict"]["client_deleted"] and gone["conflict"]["server_values"] == {"statement": "kept"}
    # Resolving for the deleting side tombstones it; it never comes back afterwards.
    done = lead.push_one(lead.mutation(world.audit_a, "finding", finding_id, "resolve", 2,
                                       {"conflict_id": gone["conflict"]["conflict_id"], "resolution": "client"}))
    assert done["status"] == "applied" and done["deleted"]
    late = alice.push_one(alice.mutation(world.audit_a, "finding", finding_id, "patch", 3, {"statement": "x"}))
    assert late["status"] == "rejected" and late["error"]["code"] == "record_deleted"
    assert late["deleted"] and late["record"] is None


def test_edit_after_seeing_the_delete_is_refused_not_resurrected(world: World) -> None:
    alice, bob = world.device("alice"), world.device("bob")
    item_id, _ = alice.create_item(world.audit_a)
    alice.push_one(alice.mutation(world.audit_a, "checklist_item", item_id, "delete", 1))
    late = bob.push_one(bob.mutation(world.audit_a, "checklist_item", item_id, "patch", 2, {"notes": "n"}))
    assert late["status"] == "rejected" and late["error"]["code"] == "record_deleted"
    again = bob.push_one(bob.mutation(world.audit_a, "checklist_item", item_id, "create", 0,
                                      {"id": item_id}))
    assert again["status"] == "rejected" and again["error"]["code"] == "already_exists"
    assert again["deleted"]


def test_own_edit_then_own_delete_never_conflicts(world: World) -> None:
    alice = world.device("alice")
    item_id, _ = alice.create_item(world.audit_a)
    results = alice.push(
        alice.mutation(world.audit_a, "checklist_item", item_id, "patch", 1, {"notes": "n"}),
        alice.mutation(world.audit_a, "checklist_item", item_id, "delete", 1),
    )
    assert [r["status"] for r in results] == ["applied", "applied"] and results[1]["deleted"]


def test_signatures_are_append_only(world: World) -> None:
    from tests.central.factories_sync import signature

    rep, alice = world.device("rep"), world.device("alice")
    data = signature(world.audit_a)
    signed = rep.push_one(rep.mutation(world.audit_a, "signature", data["id"], "sign", 0, data))
    assert signed["status"] == "applied"
    for op, fields in (("patch", {"signer": "someone else"}), ("delete", {})):
        refused = alice.push_one(alice.mutation(world.audit_a, "signature", data["id"], op, 1, fields))
        assert refused["status"] == "rejected" and refused["error"]["code"] == "append_only"
    dup = alice.push_one(alice.mutation(world.audit_a, "signature", data["id"], "create", 0, data))
    assert dup["error"]["code"] == "already_exists"
