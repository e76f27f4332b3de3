"""Authorisation as a device sees it: revoked audits leave the device, auditees get only their findings."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from app.domain import Finding
from sync import state
from tests.central.helpers import World
from tests.factories import make_audit, make_finding, make_item
from tests.sync.helpers import admin, edit, records, sync_all


def test_removed_member_loses_the_audit_and_unsent_work_is_quarantined_and_exportable(
        devices: Callable[..., Any], world: World, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    alice, bob = devices("alice"), devices("bob")
    sync_all(alice, bob, rounds=1)
    finding = make_finding(world.audit_a)
    edit(bob, lambda uow: uow.create(finding))
    bob.sync()
    alice.sync()
    # Bob works offline, then is taken off the team before he syncs.
    item = make_item(world.audit_a, clause="8.4")
    edit(bob, lambda uow: uow.create(item))
    edit(bob, lambda uow: uow.update(Finding, finding.id, {"statement": "未发送的修改"}))
    response = world.client.delete(f"/admin/audits/{world.audit_a}/team/{world.users['bob']}",
                                   headers=admin(world).headers)
    assert response.status_code == 200, response.text
    report = bob.sync()
    assert report.removed_scopes == [world.audit_a] and report.quarantined == 2
    assert world.audit_a not in report.scopes
    assert records(bob.store, world.audit_a) == {} and bob.store.pending_mutations() == 0
    assert state.scopes(bob.store) == []
    (kept,) = state.quarantined(bob.store)
    assert kept["audit_id"] == world.audit_a
    assert [(m["entity"], m["op"]) for m in kept["mutations"]] == [("checklist_item", "create"),
                                                                     ("finding", "patch")]
    assert kept["mutations"][1]["fields"] == {"statement": "未发送的修改"}
    # Nothing of bob's unsent work reached the team, and the next round is quiet.
    alice.sync()
    assert alice.store.findings.get(finding.id).statement == finding.statement
    assert alice.store.checklist.find(item.id) is None
    again = bob.sync()
    assert again.removed_scopes == [] and again.pushed == 0 and again.scopes == []

    # ``fieldaudit quarantine export`` writes them out for the user (the profile must be closed first).
    import sync.cli
    from app.cli.main import run

    bob.close()
    monkeypatch.setenv("FIELDAUDIT_PASSPHRASE", "device passphrase")
    out = tmp_path / "quarantine.json"
    assert run(["--profile", str(bob.root), "quarantine", "export", "--out", str(out)],
               extra_modules=[sync.cli]) == 0
    exported = json.loads(out.read_text("utf-8"))
    assert exported[0]["audit_id"] == world.audit_a
    assert {m["entity_id"] for m in exported[0]["mutations"]} == {item.id, finding.id}


def test_auditee_device_receives_only_its_own_audits_findings(devices: Callable[..., Any], world: World) -> None:
    alice, rep = devices("alice"), devices("rep")
    other_lead = devices("other_lead")
    sync_all(alice, other_lead, rep, rounds=1)
    mine = make_finding(world.audit_a)
    edit(alice, lambda uow: uow.create(mine))
    edit(alice, lambda uow: uow.create(make_item(world.audit_a)))
    theirs = make_finding(world.audit_b, statement="另一家企业的不符合")
    edit(other_lead, lambda uow: uow.create(theirs))
    sync_all(alice, other_lead, rep)
    report = rep.sync()
    assert report.scopes == [world.audit_a]
    assert [f.id for f in rep.store.findings.list()] == [mine.id]
    assert rep.store.checklist.count() == 0  # the checklist is the audit team's working paper
    assert rep.store.findings.find(theirs.id) is None and records(rep.store, world.audit_b) == {}
    entities = {row[0] for row in rep.store.query("SELECT DISTINCT entity FROM records")}
    assert entities <= {"audit", "finding", "evidence", "signature"}
    # The representative writes the corrective-action fields; the team sees them.
    edit(rep, lambda uow: uow.update(Finding, mine.id, {"root_cause": "校准计划未覆盖新设备",
                                                        "corrective_action": "更新校准计划"}))
    assert rep.sync().applied == 1
    alice.sync()
    assert alice.store.findings.get(mine.id).root_cause == "校准计划未覆盖新设备"


def test_auditee_write_outside_its_fields_is_rejected_and_rolled_back_locally(
        devices: Callable[..., Any], world: World) -> None:
    alice, rep = devices("alice"), devices("rep")
    sync_all(alice, rep, rounds=1)
    finding = make_finding(world.audit_a)
    edit(alice, lambda uow: uow.create(finding))
    sync_all(alice, rep, rounds=1)
    edit(rep, lambda uow: uow.update(Finding, finding.id, {"statement": "代表改了不符合描述"}))
    report = rep.sync()
    assert report.rejected == 1
    assert [r["error_code"] for r in state.rejected(rep.store)] == ["forbidden"]
    # The refused edit no longer shows as the record's value on the device.
    assert rep.store.findings.get(finding.id).statement == finding.statement
    alice.sync()
    assert alice.store.findings.get(finding.id).statement == finding.statement


def test_work_on_an_audit_outside_the_users_scopes_does_not_block_the_rest(
        devices: Callable[..., Any], world: World) -> None:
    """A locally imported audit (``fieldaudit audits import``) is not on the platform: its changes wait,
    and everything else still syncs both ways."""
    alice, bob = devices("alice"), devices("bob")
    sync_all(alice, bob, rounds=1)
    local = make_audit(title="本地导入的审核")
    edit(alice, lambda uow: (uow.create(local), uow.create(make_item(local.id))))
    shared = make_finding(world.audit_a)
    edit(alice, lambda uow: uow.create(shared))
    edit(bob, lambda uow: uow.create(make_item(world.audit_a, clause="9.3")))
    bob.sync()
    report = alice.sync()
    assert report.applied == 1 and report.pending_after == 2
    assert alice.store.checklist.count(world.audit_a) == 1  # the pull happened too
    bob.sync()
    assert bob.store.findings.get(shared.id).statement == shared.statement
    assert alice.store.audits.get(local.id).title == "本地导入的审核"  # kept, waiting, not dropped
    assert alice.sync().pending_after == 2
