"""``GET /sync/scopes?heads=true``: each audit's newest feed sequence number, and nothing extra without it."""

from __future__ import annotations

from tests.central.helpers import World


def _heads(world: World, username: str) -> tuple[dict[str, int], int]:
    response = world.client.get("/sync/scopes", headers=world.device(username).headers, params={"heads": "true"})
    assert response.status_code == 200, response.text
    body = response.json()
    return {s["audit_id"]: s["head"] for s in body["scopes"]}, body["feed_head"]


def test_without_heads_the_reply_is_what_schema_1_clients_parse(world: World) -> None:
    body = world.device("alice").scopes().json()
    assert "feed_head" not in body
    assert all(set(scope) == {"audit_id", "title", "role", "status", "rev", "open_conflicts"}
               for scope in body["scopes"])


def test_heads_follow_each_audits_own_feed(world: World) -> None:
    alice, other_lead = world.device("alice"), world.device("other_lead")
    before, feed_before = _heads(world, "alice")
    _, cursor = alice.pull_all(world.audit_a)
    assert before[world.audit_a] == cursor and feed_before >= cursor
    alice.create_item(world.audit_a)
    after, feed_after = _heads(world, "alice")
    changes, newest = alice.pull_all(world.audit_a, cursor)
    assert changes and after[world.audit_a] == newest == feed_after
    # Another team's work moves the whole feed but not this audit's head.
    other_lead.create_item(world.audit_b)
    again, feed_again = _heads(world, "alice")
    assert again[world.audit_a] == newest and feed_again > newest
    assert _heads(world, "other_lead")[0][world.audit_b] == feed_again


def test_after_compaction_the_head_is_the_horizon(world: World) -> None:
    alice, boss = world.device("alice"), world.device("admin")
    alice.create_item(world.audit_a)
    _, old_cursor = alice.pull_all(world.audit_a)
    compacted = world.client.post(f"/admin/audits/{world.audit_a}/compact", headers=boss.headers)
    assert compacted.status_code == 200
    heads, _ = _heads(world, "alice")
    assert heads[world.audit_a] == compacted.json()["horizon"] >= old_cursor
