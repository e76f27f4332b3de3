"""Property: any interleaving of three devices' edits, deletes and replays leaves a consistent platform.

Checked after each generated run: folding the feed reproduces the snapshot; every record's revisions
are contiguous; replays change nothing and repeat the first answer; a deleted record never comes
back (no resolve in this test); every lost value is in history and every conflict is in the feed.
"""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.central.helpers import Device, World
from tests.factories import audit_data, make_finding, make_item

FIELDS = {"checklist_item": [("answer", ["conforming", "minor_nc", "major_nc"]), ("notes", ["a", "b", "c"])],
          "finding": [("statement", ["s1", "s2", "s3"]), ("grade", ["minor_nc", "major_nc"])]}

step = st.tuples(st.integers(0, 2), st.sampled_from(["patch", "patch", "patch", "delete", "replay", "pull"]),
                 st.sampled_from(["checklist_item", "finding"]), st.integers(0, 1), st.integers(0, 1),
                 st.integers(0, 2), st.sampled_from([0, 0, 5_000, 20_000]))


def _new_audit(world: World, boss: Device) -> str:
    audit = world.client.post("/admin/audits", headers=boss.headers, json={**audit_data(), "team": []}).json()
    for name in ("alice", "bob", "lead"):
        world.client.put(f"/admin/audits/{audit['audit_id']}/team/{world.users[name]}", headers=boss.headers,
                         json={"role": "lead" if name == "lead" else "auditor"})
    return str(audit["audit_id"])


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(steps=st.lists(step, min_size=1, max_size=25))
def test_any_interleaving_keeps_the_platform_consistent(world: World, steps: list[tuple[Any, ...]]) -> None:
    boss = world.device("admin")
    devices = [world.device(name) for name in ("alice", "bob", "lead")]
    audit = _new_audit(world, boss)
    records = {"checklist_item": [make_item(audit, clause=f"7.{n}").model_dump(mode="json") for n in (1, 2)],
               "finding": [make_finding(audit).model_dump(mode="json") for _ in (1, 2)]}
    for entity, datas in records.items():
        for data in datas:
            assert devices[0].push_one(devices[0].mutation(audit, entity, data["id"], "create", 0, data))["status"] \
                == "applied"
    seen: list[dict[str, int]] = [{d["id"]: 1 for ds in records.values() for d in ds} for _ in devices]
    sent: list[tuple[Device, dict[str, Any], dict[str, Any]]] = []
    for number, (who, action, entity, target, field, value, lag) in enumerate(steps):
        device, record_id = devices[who], records[entity][target]["id"]
        if action == "pull":
            for change in device.pull_all(audit)[0]:
                seen[who][change["entity_id"]] = change["rev"]
            continue
        if action == "replay":
            if sent:
                first_device, mutation, first = sent[len(sent) // 2]
                again = first_device.push_one(mutation)
                assert again["replayed"] and {**again, "replayed": False} == first
            continue
        name, values = FIELDS[entity][field]
        fields = {name: values[value % len(values)]} if action == "patch" else {}
        # Device clocks disagree a little (``lag``), so HLC order and arrival order differ.
        stamp = device.hlc(int(world.clock() * 1000) - 60_000 + 100 * number - lag)
        mutation = device.mutation(audit, entity, record_id, action, seen[who][record_id], fields, hlc=stamp)
        result = device.push_one(mutation)
        assert result["status"] in ("applied", "lww_lost", "conflict", "rejected")
        seen[who][record_id] = max(seen[who][record_id], result["rev"])
        sent.append((device, mutation, result))
    _check(devices[2], audit, sent)


def _check(lead: Device, audit: str, sent: list[tuple[Device, dict[str, Any], dict[str, Any]]]) -> None:
    changes, _ = lead.pull_all(audit)
    folded: dict[tuple[str, str], dict[str, Any]] = {}
    revs: dict[tuple[str, str], list[int]] = {}
    ever_deleted: set[tuple[str, str]] = set()
    for change in changes:
        key = (change["entity"], change["entity_id"])
        assert not (key in ever_deleted and not change["deleted"]), f"{key} came back after its delete"
        if change["deleted"]:
            ever_deleted.add(key)
        folded[key] = change
        revs.setdefault(key, []).append(change["rev"])
    for key, numbers in revs.items():
        assert numbers == list(range(1, len(numbers) + 1)), key
    snapshot = {(r["entity"], r["entity_id"]): r for r in lead.snapshot(audit).json()["records"]}
    assert set(snapshot) == set(folded)
    for key, record in snapshot.items():
        assert (record["rev"], record["data"], record["deleted"]) == \
            (folded[key]["rev"], folded[key]["data"], folded[key]["deleted"]), key
    history = [c["data"] for c in changes if c["entity"] == "history"]
    conflicts = {c["entity_id"] for c in changes if c["entity"] == "conflict"}
    for device, mutation, result in sent:
        for name, value in result["lost"].items():
            assert any(h["entity_id"] == mutation["entity_id"] and h["field"] == name and h["lost_value"] == value
                       and h["lost_device"] == device.device_id for h in history), (name, value)
        if result["status"] == "conflict":
            assert result["conflict"]["conflict_id"] in conflicts
