"""Assignments reach devices, offline work reaches the team, nothing is lost or duplicated."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from app.domain import ChecklistItem, Finding
from app.services.verification import verify_profile
from sync import state
from tests.central.helpers import World
from tests.factories import make_finding, make_item


def test_assignment_and_offline_work_reach_the_team(devices: Callable[..., Any], world: World) -> None:
    alice, bob = devices("alice"), devices("bob")
    report = alice.sync()
    assert world.audit_a in report.scopes and world.audit_b not in report.scopes
    assert [a.id for a in alice.store.audits.list()] == [world.audit_a]
    item = make_item(world.audit_a, clause="8.5.1")
    with alice.store.unit_of_work(alice.engine.actor) as uow:
        uow.create(item)
        uow.update(ChecklistItem, item.id, {"answer": "minor_nc", "notes": "首件检验记录缺失"})
        finding = uow.create(make_finding(world.audit_a))
    assert alice.store.pending_mutations() == 3
    pushed = alice.sync()
    assert pushed.pushed == 3 and pushed.applied == 3 and alice.store.pending_mutations() == 0
    bob.sync()
    seen = bob.store.checklist.get(item.id)
    assert seen.answer == "minor_nc" and seen.notes == "首件检验记录缺失"
    assert bob.store.findings.get(finding.id).statement == finding.statement
    # A second round moves nothing and duplicates nothing.
    again = bob.sync()
    assert again.pushed == 0 and again.pulled == 0
    assert bob.store.checklist.count(world.audit_a) == 1
    for device in (alice, bob):
        assert all(result.ok for result in verify_profile(device.session))


def test_own_queued_edits_never_conflict(devices: Callable[..., Any], world: World) -> None:
    alice = devices("alice")
    alice.sync()
    finding = make_finding(world.audit_a)
    with alice.store.unit_of_work(alice.engine.actor) as uow:
        uow.create(finding)
    for text in ("第一次修改", "第二次修改", "第三次修改"):
        with alice.store.unit_of_work(alice.engine.actor) as uow:
            uow.update(Finding, finding.id, {"statement": text})
    report = alice.sync()
    assert report.conflicts == 0 and report.applied == 4
    assert alice.store.findings.get(finding.id).statement == "第三次修改"


def test_work_on_an_unassigned_audit_waits_and_does_not_block(devices: Callable[..., Any], world: World) -> None:
    from tests.factories import make_audit

    alice = devices("alice")
    alice.sync()
    local_only = make_audit(title="离线导入的审核")
    with alice.store.unit_of_work(alice.engine.actor) as uow:
        uow.create(local_only)
        uow.create(make_item(world.audit_a, clause="9.2"))
    report = alice.sync()
    assert report.pushed == 1 and report.rejected == 0
    assert alice.store.pending_mutations() == 1  # the local-only audit's creation waits
    assert alice.store.audits.find(local_only.id) is not None


def test_a_round_with_nothing_new_writes_no_cursor_and_stamps_the_time(devices: Callable[..., Any],
                                                                        world: World) -> None:
    alice = devices("alice")
    alice.sync()
    before = {s["audit_id"]: s for s in state.scopes(alice.store)}
    journal = alice.store.query("SELECT count(*) FROM journal")[0][0]
    del alice.transport.calls[:]
    report = alice.sync()
    assert (report.pushed, report.pulled, report.snapshots) == (0, 0, 0)
    assert alice.transport.calls == [("GET", "/sync/scopes")]  # the scopes reply says nothing moved
    after = {s["audit_id"]: s for s in state.scopes(alice.store)}
    assert after[world.audit_a]["cursor"] == before[world.audit_a]["cursor"]
    assert after[world.audit_a]["synced_at"] > before[world.audit_a]["synced_at"]
    assert alice.store.query("SELECT count(*) FROM journal")[0][0] == journal


def _journal_ops(device: Any, entity_id: str) -> list[str]:
    return [str(row[0]) for row in device.store.query(
        "SELECT op FROM journal WHERE entity_id = ? ORDER BY seq", (entity_id,))]


def test_a_confirmation_of_what_the_device_shows_is_not_journalled(devices: Callable[..., Any],
                                                                    world: World) -> None:
    alice, bob = devices("alice"), devices("bob")
    item = make_item(world.audit_a, clause="7.5.3")
    with alice.store.unit_of_work(alice.engine.actor) as uow:
        uow.create(item)
    alice.sync()
    bob.sync()
    # Accepted as sent: the platform's copy is the local one, so settling it changes nothing the user sees.
    assert "push-result" not in _journal_ops(alice, item.id)
    # Both answer offline; alice's older answer loses, so her view changes when the answer comes back.
    with alice.store.unit_of_work(alice.engine.actor) as uow:
        uow.update(ChecklistItem, item.id, {"answer": "minor_nc"})
    with bob.store.unit_of_work(bob.engine.actor) as uow:
        uow.update(ChecklistItem, item.id, {"answer": "conforming"})
    bob.sync()
    assert _journal_ops(bob, item.id).count("push-result") == 0
    assert alice.sync().lww_lost == 1
    assert _journal_ops(alice, item.id).count("push-result") == 1
    assert alice.store.checklist.get(item.id).answer == "conforming"
    for device in (alice, bob):
        assert all(result.ok for result in verify_profile(device.session))
