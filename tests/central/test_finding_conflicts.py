"""Findings: different fields merge; the same field changed concurrently opens a conflict for the lead."""

from __future__ import annotations

from tests.central.helpers import World, record_of


def test_different_fields_of_one_finding_merge(world: World) -> None:
    alice, bob = world.device("alice"), world.device("bob")
    finding_id, _ = alice.create_finding(world.audit_a)
    first = alice.push_one(alice.mutation(world.audit_a, "finding", finding_id, "patch", 1,
                                          {"statement": "restated by alice"}))
    second = bob.push_one(bob.mutation(world.audit_a, "finding", finding_id, "patch", 1,
                                       {"objective_evidence": "found by bob"}))
    assert first["status"] == second["status"] == "applied"
    assert second["record"]["statement"] == "restated by alice"
    assert second["record"]["objective_evidence"] == "found by bob"
    assert second["rev"] == 3
    assert world.device("lead").conflicts(world.audit_a).json()["conflicts"] == []


def test_same_field_opens_a_conflict_with_both_versions(world: World) -> None:
    alice, bob, lead = world.device("alice"), world.device("bob"), world.device("lead")
    finding_id, _ = alice.create_finding(world.audit_a, statement="original")
    alice.push_one(alice.mutation(world.audit_a, "finding", finding_id, "patch", 1,
                                  {"statement": "alice's wording", "requirement": "req"}))
    result = bob.push_one(bob.mutation(world.audit_a, "finding", finding_id, "patch", 1,
                                       {"statement": "bob's wording", "grade": "major_nc"}))
    assert result["status"] == "conflict"
    conflict = result["conflict"]
    assert conflict["kind"] == "field" and conflict["fields"] == ["statement"]
    assert conflict["server_values"] == {"statement": "alice's wording"}
    assert conflict["client_values"] == {"statement": "bob's wording"}
    # The finding stays at the server version for the contested field; the rest merged.
    assert result["record"]["statement"] == "alice's wording"
    assert result["record"]["grade"] == "major_nc"
    # Everyone on the team sees the conflict in the feed; the lead sees it listed as open.
    for device in (alice, bob, lead):
        changes, _ = device.pull_all(world.audit_a)
        feed_conflict = record_of(changes, "conflict", conflict["conflict_id"])
        assert feed_conflict["data"]["status"] == "open"
        assert feed_conflict["data"]["client_values"] == {"statement": "bob's wording"}
    listed = lead.conflicts(world.audit_a).json()["conflicts"]
    assert [c["id"] for c in listed] == [conflict["conflict_id"]]
    scope = next(s for s in lead.scopes().json()["scopes"] if s["audit_id"] == world.audit_a)
    assert scope["open_conflicts"] == 1


def test_only_the_lead_resolves_and_resolution_is_applied_and_fed(world: World) -> None:
    alice, bob, lead = world.device("alice"), world.device("bob"), world.device("lead")
    finding_id, _ = alice.create_finding(world.audit_a)
    alice.push_one(alice.mutation(world.audit_a, "finding", finding_id, "patch", 1, {"statement": "A"}))
    conflict = bob.push_one(bob.mutation(world.audit_a, "finding", finding_id, "patch", 1,
                                         {"statement": "B"}))["conflict"]
    resolve = {"conflict_id": conflict["conflict_id"], "resolution": "client"}
    refused = alice.push_one(alice.mutation(world.audit_a, "finding", finding_id, "resolve", 2, resolve))
    assert refused["status"] == "rejected" and refused["error"]["code"] == "not_lead"
    done = lead.push_one(lead.mutation(world.audit_a, "finding", finding_id, "resolve", 2, resolve))
    assert done["status"] == "applied" and done["record"]["statement"] == "B" and done["rev"] == 3
    again = lead.push_one(lead.mutation(world.audit_a, "finding", finding_id, "resolve", 3, resolve))
    assert again["status"] == "rejected" and again["error"]["code"] == "already_resolved"
    changes, _ = alice.pull_all(world.audit_a)
    assert record_of(changes, "conflict", conflict["conflict_id"])["data"]["status"] == "resolved"
    assert record_of(changes, "finding", finding_id)["data"]["statement"] == "B"
    assert lead.conflicts(world.audit_a).json()["conflicts"] == []


def test_resolve_with_server_side_or_chosen_values(world: World) -> None:
    alice, bob, lead = world.device("alice"), world.device("bob"), world.device("lead")
    finding_id, _ = alice.create_finding(world.audit_a)
    alice.push_one(alice.mutation(world.audit_a, "finding", finding_id, "patch", 1, {"statement": "A"}))
    first = bob.push_one(bob.mutation(world.audit_a, "finding", finding_id, "patch", 1, {"statement": "B"}))
    keep = lead.push_one(lead.mutation(world.audit_a, "finding", finding_id, "resolve", 2,
                                       {"conflict_id": first["conflict"]["conflict_id"], "resolution": "server"}))
    assert keep["status"] == "applied" and keep["record"]["statement"] == "A" and keep["rev"] == 2
    second = bob.push_one(bob.mutation(world.audit_a, "finding", finding_id, "patch", 1, {"statement": "C"}))
    chosen = {"conflict_id": second["conflict"]["conflict_id"], "resolution": "values"}
    outside = lead.push_one(lead.mutation(world.audit_a, "finding", finding_id, "resolve", 2,
                                          {**chosen, "values": {"grade": "major_nc"}}))
    assert outside["status"] == "rejected" and outside["error"]["code"] == "forbidden_field"
    merged = lead.push_one(lead.mutation(world.audit_a, "finding", finding_id, "resolve", 2,
                                         {**chosen, "values": {"statement": "A and C"}}))
    assert merged["status"] == "applied" and merged["record"]["statement"] == "A and C"


def test_report_cannot_be_finalised_while_a_conflict_is_open(world: World) -> None:
    alice, bob, lead = world.device("alice"), world.device("bob"), world.device("lead")
    finding_id, _ = alice.create_finding(world.audit_a)
    alice.push_one(alice.mutation(world.audit_a, "finding", finding_id, "patch", 1, {"statement": "A"}))
    conflict = bob.push_one(bob.mutation(world.audit_a, "finding", finding_id, "patch", 1,
                                         {"statement": "B"}))["conflict"]
    audit_rev = next(s for s in lead.scopes().json()["scopes"] if s["audit_id"] == world.audit_a)["rev"]
    close = lead.push_one(lead.mutation(world.audit_a, "audit", world.audit_a, "patch", audit_rev,
                                        {"status": "closed"}))
    assert close["status"] == "rejected" and close["error"]["code"] == "open_conflicts"
    lead.push_one(lead.mutation(world.audit_a, "finding", finding_id, "resolve", 2,
                                {"conflict_id": conflict["conflict_id"], "resolution": "server"}))
    close = lead.push_one(lead.mutation(world.audit_a, "audit", world.audit_a, "patch", audit_rev,
                                        {"status": "closed"}))
    assert close["status"] == "applied" and close["record"]["status"] == "closed"


def test_same_device_sequential_edits_of_a_finding_never_conflict(world: World) -> None:
    alice, bob = world.device("alice"), world.device("bob")
    finding_id, _ = alice.create_finding(world.audit_a)
    bob.push_one(bob.mutation(world.audit_a, "finding", finding_id, "patch", 1, {"requirement": "r"}))
    results = alice.push(
        alice.mutation(world.audit_a, "finding", finding_id, "patch", 1, {"statement": "one"}),
        alice.mutation(world.audit_a, "finding", finding_id, "patch", 1, {"statement": "two"}),
    )
    assert [r["status"] for r in results] == ["applied", "applied"]
    assert results[-1]["record"]["statement"] == "two" and results[-1]["record"]["requirement"] == "r"


def test_a_resolution_keeps_one_side_of_the_organisations_words(world: World) -> None:
    alice, lead = world.device("alice"), world.device("lead")
    laptop, phone = world.device("rep"), world.device("rep")
    finding_id, _ = alice.create_finding(world.audit_a)
    acknowledged = laptop.push_one(laptop.mutation(world.audit_a, "finding", finding_id, "patch", 1,
                                                   {"state": "acknowledged", "auditee_comment": "认可"}))
    rev = acknowledged["rev"]
    first = laptop.push_one(laptop.mutation(world.audit_a, "finding", finding_id, "patch", rev,
                                            {"root_cause": "量具未校准"}))
    assert first["status"] == "applied", first
    clash = phone.push_one(phone.mutation(world.audit_a, "finding", finding_id, "patch", rev,
                                          {"root_cause": "校准计划遗漏"}))
    assert clash["status"] == "conflict", clash
    chosen = {"conflict_id": clash["conflict"]["conflict_id"], "resolution": "values"}
    invented = lead.push_one(lead.mutation(world.audit_a, "finding", finding_id, "resolve", first["rev"],
                                           {**chosen, "values": {"root_cause": "组长代写的原因"}}))
    assert invented["status"] == "rejected" and invented["error"]["code"] == "forbidden_field", invented
    kept = lead.push_one(lead.mutation(world.audit_a, "finding", finding_id, "resolve", first["rev"],
                                       {**chosen, "values": {"root_cause": "校准计划遗漏"}}))
    assert kept["status"] == "applied" and kept["record"]["root_cause"] == "校准计划遗漏", kept
