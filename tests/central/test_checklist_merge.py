"""Checklist items merge per field; the later HLC wins; the loser is kept in history and told to both."""

from __future__ import annotations

from tests.central.helpers import World, record_of


def test_concurrent_answers_last_writer_by_hlc_wins_and_loser_is_in_history(world: World) -> None:
    alice, bob = world.device("alice"), world.device("bob")
    item_id, _ = alice.create_item(world.audit_a)
    early, late = alice.hlc(), bob.hlc()
    # Both answered rev 1 offline; bob's answer is later by HLC but reaches the platform first.
    bob_result = bob.push_one(bob.mutation(world.audit_a, "checklist_item", item_id, "patch", 1,
                                           {"answer": "minor_nc", "notes": "bob notes"}, hlc=late))
    assert bob_result["status"] == "applied" and bob_result["rev"] == 2
    alice_result = alice.push_one(alice.mutation(world.audit_a, "checklist_item", item_id, "patch", 1,
                                                 {"answer": "conforming", "question": "q?"}, hlc=early))
    assert alice_result["status"] == "lww_lost"
    assert alice_result["lost"] == {"answer": "conforming"}
    # Different fields merged: alice's question applied, bob's notes kept.
    assert alice_result["record"]["answer"] == "minor_nc"
    assert alice_result["record"]["notes"] == "bob notes"
    assert alice_result["record"]["question"] == "q?"
    assert alice_result["rev"] == 3
    for device in (alice, bob):
        changes, _ = device.pull_all(world.audit_a)
        history = [c["data"] for c in changes if c["entity"] == "history"]
        assert len(history) == 1
        assert history[0]["entity_id"] == item_id and history[0]["field"] == "answer"
        assert history[0]["lost_value"] == "conforming" and history[0]["winner_value"] == "minor_nc"
        assert history[0]["lost_device"] == alice.device_id and history[0]["winner_device"] == bob.device_id
        assert record_of(changes, "checklist_item", item_id)["data"]["answer"] == "minor_nc"


def test_later_hlc_arriving_second_overwrites_and_records_the_overwritten_value(world: World) -> None:
    alice, bob = world.device("alice"), world.device("bob")
    item_id, _ = alice.create_item(world.audit_a)
    early, late = bob.hlc(), alice.hlc()
    bob.push_one(bob.mutation(world.audit_a, "checklist_item", item_id, "patch", 1, {"answer": "major_nc"},
                              hlc=early))
    result = alice.push_one(alice.mutation(world.audit_a, "checklist_item", item_id, "patch", 1,
                                           {"answer": "observation"}, hlc=late))
    assert result["status"] == "applied" and result["lost"] == {}
    assert result["record"]["answer"] == "observation"
    changes, _ = bob.pull_all(world.audit_a)
    history = [c["data"] for c in changes if c["entity"] == "history"]
    assert [(h["lost_value"], h["winner_value"]) for h in history] == [("major_nc", "observation")]


def test_wall_clock_never_decides_a_causal_edit(world: World) -> None:
    """An edit made after seeing the other one wins even with an older-looking HLC (not concurrent)."""
    alice, bob = world.device("alice"), world.device("bob")
    item_id, _ = alice.create_item(world.audit_a)
    bob.push_one(bob.mutation(world.audit_a, "checklist_item", item_id, "patch", 1, {"answer": "major_nc"},
                              hlc=bob.hlc(1_999_000_000_000)))
    result = alice.push_one(alice.mutation(world.audit_a, "checklist_item", item_id, "patch", 2,
                                           {"answer": "conforming"}, hlc=alice.hlc(1_000_000_000_000)))
    assert result["status"] == "applied" and result["record"]["answer"] == "conforming"


def test_same_device_queued_edits_never_conflict(world: World) -> None:
    alice = world.device("alice")
    item_id, data = alice.create_item(world.audit_a)
    # Offline: three edits all based on rev 1 (the device has not heard back yet), then a create+patch pair.
    results = alice.push(
        alice.mutation(world.audit_a, "checklist_item", item_id, "patch", 1, {"answer": "minor_nc"}),
        alice.mutation(world.audit_a, "checklist_item", item_id, "patch", 1, {"answer": "major_nc"}),
        alice.mutation(world.audit_a, "checklist_item", item_id, "patch", 1, {"notes": "n", "answer": "conforming"}),
    )
    assert [r["status"] for r in results] == ["applied"] * 3
    assert results[-1]["record"]["answer"] == "conforming" and results[-1]["rev"] == 4
    changes, _ = alice.pull_all(world.audit_a)
    assert not [c for c in changes if c["entity"] in ("history", "conflict")]
    assert data["id"] == item_id


def test_same_device_create_then_patches_with_base_rev_zero(world: World) -> None:
    from tests.factories import make_finding

    alice = world.device("alice")
    finding = make_finding(world.audit_a).model_dump(mode="json")
    results = alice.push(
        alice.mutation(world.audit_a, "finding", finding["id"], "create", 0, finding),
        alice.mutation(world.audit_a, "finding", finding["id"], "patch", 0, {"statement": "again"}),
        alice.mutation(world.audit_a, "finding", finding["id"], "patch", 0, {"statement": "and again"}),
    )
    assert [r["status"] for r in results] == ["applied"] * 3
    assert results[-1]["record"]["statement"] == "and again"


def test_a_fast_device_clock_does_not_win_every_merge(world: World) -> None:
    """A stamp more than 5 minutes ahead of the platform is merged at the platform's time of receipt."""
    fast, honest = world.device("alice"), world.device("bob")
    item_id, _ = fast.create_item(world.audit_a)
    one_day_ahead = fast.hlc(int((world.clock() + 86_400) * 1000))
    first = fast.push_one(fast.mutation(world.audit_a, "checklist_item", item_id, "patch", 1,
                                        {"answer": "major_nc"}, hlc=one_day_ahead))
    assert first["status"] == "applied"
    world.clock.advance(10)
    later = honest.hlc(int(world.clock() * 1000))
    second = honest.push_one(honest.mutation(world.audit_a, "checklist_item", item_id, "patch", 1,
                                             {"answer": "conforming"}, hlc=later))
    assert second["status"] == "applied" and second["record"]["answer"] == "conforming"
    changes, _ = honest.pull_all(world.audit_a)
    history = [c["data"] for c in changes if c["entity"] == "history"]
    assert [(h["lost_value"], h["lost_device"]) for h in history] == [("major_nc", fast.device_id)]
    assert history[0]["lost_hlc"] < one_day_ahead
    # The platform's own clock was not dragged a day ahead either.
    assert fast.scopes().json()["server_hlc"] < one_day_ahead
