"""The change feed: ordered, paged, role-filtered; 410 once the cursor is behind the compaction horizon."""

from __future__ import annotations

from tests.central.helpers import World, record_of


def test_pages_cover_every_change_once_in_order(world: World) -> None:
    alice, bob = world.device("alice"), world.device("bob")
    ids = [alice.create_item(world.audit_a, clause=f"7.{n}")[0] for n in range(1, 8)]
    seen: list[int] = []
    cursor = 0
    while True:
        body = bob.pull(world.audit_a, cursor, limit=3).json()
        assert len(body["changes"]) <= 3
        seen += [c["seq"] for c in body["changes"]]
        cursor = body["cursor"]
        if not body["has_more"]:
            break
    assert seen == sorted(set(seen))
    changes, end = bob.pull_all(world.audit_a)
    assert [c["seq"] for c in changes] == seen and end == cursor
    assert {c["entity_id"] for c in changes if c["entity"] == "checklist_item"} == set(ids)
    mine = [c for c in changes if c["entity"] == "checklist_item"]
    assert all(c["origin_device"] == alice.device_id and c["mutation_id"] for c in mine)
    audit = record_of(changes, "audit", world.audit_a)
    assert audit["origin_device"] is None and audit["data"]["team"]
    # Caught up: an empty page that keeps the cursor.
    empty = bob.pull(world.audit_a, end).json()
    assert empty["changes"] == [] and empty["cursor"] == end and not empty["has_more"]


def test_other_scopes_changes_never_appear(world: World) -> None:
    alice, other = world.device("alice"), world.device("other_lead")
    other.create_item(world.audit_b)
    changes, _ = alice.pull_all(world.audit_a)
    assert {c["audit_id"] for c in changes} == {world.audit_a}


def test_snapshot_then_pull_continues_without_gaps(world: World) -> None:
    alice, bob = world.device("alice"), world.device("bob")
    first_id, _ = alice.create_item(world.audit_a)
    snap = bob.snapshot(world.audit_a).json()
    assert {r["entity_id"] for r in snap["records"]} >= {world.audit_a, first_id}
    second_id, _ = alice.create_item(world.audit_a, clause="8.1")
    changes, _ = bob.pull_all(world.audit_a, snap["cursor"])
    assert [c["entity_id"] for c in changes] == [second_id]


def test_compaction_makes_old_cursors_gone_410(world: World) -> None:
    alice, boss = world.device("alice"), world.device("admin")
    alice.create_item(world.audit_a)
    _, old_cursor = alice.pull_all(world.audit_a)
    alice.create_item(world.audit_a, clause="9.1")
    compacted = world.client.post(f"/admin/audits/{world.audit_a}/compact", headers=boss.headers)
    assert compacted.status_code == 200
    horizon = compacted.json()["horizon"]
    for cursor in (0, old_cursor):
        response = alice.pull(world.audit_a, cursor)
        assert response.status_code == 410 and response.json()["error"]["code"] == "cursor_expired"
    snap = alice.snapshot(world.audit_a).json()
    assert snap["cursor"] >= horizon
    assert len([r for r in snap["records"] if r["entity"] == "checklist_item"]) == 2
    third_id, _ = alice.create_item(world.audit_a, clause="10.2")
    changes, _ = alice.pull_all(world.audit_a, snap["cursor"])
    assert [c["entity_id"] for c in changes] == [third_id]


def test_cursor_ahead_of_the_feed_is_410(world: World) -> None:
    alice = world.device("alice")
    _, cursor = alice.pull_all(world.audit_a)
    response = alice.pull(world.audit_a, cursor + 1000)
    assert response.status_code == 410


def test_sequence_numbers_are_never_reused_after_compaction(world: World) -> None:
    alice, boss = world.device("alice"), world.device("admin")
    _, before = alice.pull_all(world.audit_a)
    world.client.post(f"/admin/audits/{world.audit_a}/compact", headers=boss.headers)
    item_id, _ = alice.create_item(world.audit_a)
    changes, _ = alice.pull_all(world.audit_a, before)
    assert changes and changes[0]["seq"] > before and changes[0]["entity_id"] == item_id
