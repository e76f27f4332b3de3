"""Every request is checked against the team membership and role at that moment."""

from __future__ import annotations

from typing import Any

import pytest

from tests.central.factories_sync import evidence, signature
from tests.central.helpers import World, find_record, record_of
from tests.factories import make_item

SYNC_GETS = ["/sync/pull", "/sync/snapshot", "/sync/conflicts"]


@pytest.mark.parametrize("path", SYNC_GETS)
def test_other_teams_audit_is_forbidden_on_every_read(world: World, path: str) -> None:
    alice = world.device("alice")
    response = world.client.get(path, headers=alice.headers, params={"scope": world.audit_b})
    assert response.status_code == 403 and response.json()["error"]["code"] == "out_of_scope"
    unknown = world.client.get(path, headers=alice.headers, params={"scope": "no-such-audit"})
    assert unknown.status_code == 403


def test_scopes_list_only_the_users_audits_with_role(world: World) -> None:
    roles = {name: {s["audit_id"]: s["role"] for s in world.device(name).scopes().json()["scopes"]}
             for name in ("lead", "alice", "observer", "rep", "other_lead", "admin")}
    assert roles["lead"] == {world.audit_a: "lead"}
    assert roles["alice"] == {world.audit_a: "auditor"}
    assert roles["observer"] == {world.audit_a: "observer"}
    assert roles["rep"] == {world.audit_a: "auditee"}
    assert roles["other_lead"] == {world.audit_b: "lead"}
    assert roles["admin"] == {}


def test_push_to_another_teams_audit_is_403_and_changes_nothing(world: World) -> None:
    alice, other = world.device("alice"), world.device("other_lead")
    item = make_item(world.audit_b).model_dump(mode="json")
    own = make_item(world.audit_a).model_dump(mode="json")
    response = alice.push_raw(alice.mutation(world.audit_a, "checklist_item", own["id"], "create", 0, own),
                              alice.mutation(world.audit_b, "checklist_item", item["id"], "create", 0, item))
    assert response.status_code == 403 and response.json()["error"]["code"] == "out_of_scope"
    changes, _ = world.device("lead").pull_all(world.audit_a)
    assert find_record(changes, "checklist_item", own["id"]) is None
    assert not [c for c in other.pull_all(world.audit_b)[0] if c["entity"] == "checklist_item"]


def test_a_record_of_another_audit_cannot_be_reached_through_ones_own_scope(world: World) -> None:
    other, alice = world.device("other_lead"), world.device("alice")
    foreign_id, _ = other.create_item(world.audit_b)
    for op, fields in (("patch", {"notes": "hijack"}), ("delete", {})):
        result = alice.push_one(alice.mutation(world.audit_a, "checklist_item", foreign_id, op, 1, fields))
        assert result["status"] == "rejected" and result["error"]["code"] == "not_found"
        assert result["record"] is None
    hijack = make_item(world.audit_b, id=foreign_id).model_dump(mode="json")
    result = alice.push_one(alice.mutation(world.audit_a, "checklist_item", foreign_id, "create", 0, hijack))
    assert result["status"] == "rejected" and result["record"] is None
    changes, _ = other.pull_all(world.audit_b)
    assert record_of(changes, "checklist_item", foreign_id)["data"]["notes"] == ""


def test_removed_member_loses_the_scope_on_next_request(world: World) -> None:
    alice, boss = world.device("alice"), world.device("admin")
    assert alice.pull(world.audit_a).status_code == 200
    removed = world.client.delete(f"/admin/audits/{world.audit_a}/team/{world.users['alice']}", headers=boss.headers)
    assert removed.status_code == 200
    assert alice.scopes().json()["scopes"] == []
    assert alice.pull(world.audit_a).status_code == 403
    assert alice.snapshot(world.audit_a).status_code == 403
    item = make_item(world.audit_a).model_dump(mode="json")
    assert alice.push_raw(alice.mutation(world.audit_a, "checklist_item", item["id"], "create", 0,
                                         item)).status_code == 403
    # The team list on the audit record follows, and reaches the remaining members through the feed.
    changes, _ = world.device("lead").pull_all(world.audit_a)
    team = record_of(changes, "audit", world.audit_a)["data"]["team"]
    assert world.users["alice"] not in [m["user_id"] for m in team]


def test_observer_is_read_only(world: World) -> None:
    observer = world.device("observer")
    item = make_item(world.audit_a).model_dump(mode="json")
    result = observer.push_one(observer.mutation(world.audit_a, "checklist_item", item["id"], "create", 0, item))
    assert result["status"] == "rejected" and result["error"]["code"] == "read_only"
    assert observer.pull(world.audit_a).status_code == 200


def test_only_the_lead_changes_the_audit_and_nobody_edits_the_team(world: World) -> None:
    alice, lead = world.device("alice"), world.device("lead")
    rev = next(s for s in lead.scopes().json()["scopes"])["rev"]
    by_auditor = alice.push_one(alice.mutation(world.audit_a, "audit", world.audit_a, "patch", rev, {"scope": "x"}))
    assert by_auditor["error"]["code"] == "not_lead"
    team = lead.push_one(lead.mutation(world.audit_a, "audit", world.audit_a, "patch", rev, {"team": []}))
    assert team["error"]["code"] == "forbidden_field"
    by_lead = lead.push_one(lead.mutation(world.audit_a, "audit", world.audit_a, "patch", rev, {"scope": "new"}))
    assert by_lead["status"] == "applied" and by_lead["record"]["scope"] == "new"
    for op in ("create", "delete"):
        refused = lead.push_one(lead.mutation(world.audit_a, "audit", world.audit_a, op, 0 if op == "create" else
                                              by_lead["rev"], {"id": world.audit_a} if op == "create" else {}))
        assert refused["status"] == "rejected"


def _auditee_world(world: World) -> tuple[Any, str, str, str]:
    alice, rep = world.device("alice"), world.device("rep")
    finding_id, _ = alice.create_finding(world.audit_a)
    alice.create_item(world.audit_a)
    public, secret = evidence(world.audit_a), evidence(world.audit_a, sensitive=True)
    for data in (public, secret):
        assert alice.push_one(alice.mutation(world.audit_a, "evidence", data["id"], "create", 0,
                                             data))["status"] == "applied"
    return rep, finding_id, public["id"], secret["id"]


def test_auditee_sees_only_findings_and_non_sensitive_evidence(world: World) -> None:
    rep, finding_id, public_id, secret_id = _auditee_world(world)
    changes, _ = rep.pull_all(world.audit_a)
    entities = {c["entity"] for c in changes}
    assert entities <= {"audit", "finding", "evidence", "signature"}
    assert find_record(changes, "finding", finding_id) is not None
    assert record_of(changes, "evidence", public_id)["data"] is not None
    hidden = record_of(changes, "evidence", secret_id)
    assert hidden["data"] is None and hidden["deleted"]
    snap = rep.snapshot(world.audit_a).json()["records"]
    assert {r["entity"] for r in snap} <= {"audit", "finding", "evidence", "signature"}
    assert next(r for r in snap if r["entity_id"] == secret_id)["data"] is None
    assert rep.conflicts(world.audit_a).status_code == 403
    other_rep = world.device("other_rep")
    assert other_rep.pull(world.audit_a).status_code == 403


def test_auditee_writes_only_corrective_action_fields(world: World) -> None:
    rep, finding_id, _public, secret_id = _auditee_world(world)
    ok = rep.push_one(rep.mutation(world.audit_a, "finding", finding_id, "patch", 1,
                                   {"root_cause": "no schedule", "corrective_action": "add schedule",
                                    "action_owner": "陈静", "action_due": "2027-01-15"}))
    assert ok["status"] == "applied" and ok["record"]["root_cause"] == "no schedule"
    for entity, entity_id, fields in (("finding", finding_id, {"statement": "softer"}),
                                      ("finding", finding_id, {"grade": "observation", "root_cause": "x"}),
                                      ("evidence", secret_id, {"caption": "peek"})):
        refused = rep.push_one(rep.mutation(world.audit_a, entity, entity_id, "patch", 2, fields))
        assert refused["status"] == "rejected" and refused["error"]["code"] == "forbidden"
        assert refused["record"] is None or entity == "finding"
    sig = signature(world.audit_a)
    assert rep.push_one(rep.mutation(world.audit_a, "signature", sig["id"], "sign", 0, sig))["status"] == "applied"


def test_auditors_may_not_write_corrective_action_fields(world: World) -> None:
    alice = world.device("alice")
    finding_id, _ = alice.create_finding(world.audit_a)
    refused = alice.push_one(alice.mutation(world.audit_a, "finding", finding_id, "patch", 1,
                                            {"correction": "fixed it myself"}))
    assert refused["status"] == "rejected" and refused["error"]["code"] == "forbidden_field"
    from tests.factories import make_finding

    prefilled = make_finding(world.audit_a, root_cause="guessed").model_dump(mode="json")
    created = alice.push_one(alice.mutation(world.audit_a, "finding", prefilled["id"], "create", 0, prefilled))
    assert created["error"]["code"] == "forbidden_field"


@pytest.mark.parametrize(("method", "path"), [
    ("get", "/admin/users"), ("post", "/admin/users"), ("patch", "/admin/users/{u}"), ("get", "/admin/audits"),
    ("post", "/admin/audits"),
    ("get", "/admin/audits/{a}"), ("put", "/admin/audits/{a}/team/{u}"), ("delete", "/admin/audits/{a}/team/{u}"),
    ("post", "/admin/audits/{a}/compact")])
def test_admin_endpoints_need_a_platform_admin(world: World, method: str, path: str) -> None:
    url = path.format(a=world.audit_a, u=world.users["bob"])
    body = {"json": {"role": "auditor"}} if method in ("put", "post", "patch") else {}
    anonymous = world.client.request(method.upper(), url, **body)
    assert anonymous.status_code == 401
    lead = world.device("lead")
    response = world.client.request(method.upper(), url, headers=lead.headers, **body)
    assert response.status_code == 403 and response.json()["error"]["code"] == "admin_only"


def test_mutations_must_come_from_the_logged_in_device(world: World) -> None:
    alice, bob = world.device("alice"), world.device("bob")
    item = make_item(world.audit_a).model_dump(mode="json")
    forged = bob.mutation(world.audit_a, "checklist_item", item["id"], "create", 0, item)
    response = alice.push_raw(forged)
    assert response.status_code == 403 and response.json()["error"]["code"] == "device_mismatch"
