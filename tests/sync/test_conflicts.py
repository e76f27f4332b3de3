"""Concurrent offline work of real devices through the real platform: merges, conflicts, resolution."""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import partial
from typing import Any

import pytest

from app.domain import Audit, ChecklistItem, Finding
from app.store.unit_of_work import UnitOfWork
from sync import state
from tests.central.helpers import World
from tests.factories import make_finding, make_item
from tests.sync.helpers import assert_converged, edit, server_record, sync_all


def _patch(model: Any, ident: str, changes: dict[str, Any], uow: UnitOfWork) -> Any:
    return uow.update(model, ident, changes)


def _team(devices: Callable[..., Any]) -> tuple[Any, Any, Any]:
    lead, alice, bob = devices("lead"), devices("alice"), devices("bob")
    sync_all(lead, alice, bob, rounds=1)
    return lead, alice, bob


def _shared(owner: Any, others: tuple[Any, ...], record: Any) -> Any:
    edit(owner, lambda uow: uow.create(record))
    owner.sync()
    for device in others:
        device.sync()
    return record


def test_same_checklist_answer_last_writer_wins_and_loser_is_in_history_on_both(
        devices: Callable[..., Any], world: World) -> None:
    lead, alice, bob = _team(devices)
    item = _shared(alice, (bob, lead), make_item(world.audit_a, clause="7.1.5"))
    # Both offline; bob answers later (a later hybrid logical clock) but reaches the platform first.
    edit(alice, lambda uow: uow.update(ChecklistItem, item.id, {"answer": "conforming", "notes": "校准记录齐全"}))
    time.sleep(0.005)
    edit(bob, lambda uow: uow.update(ChecklistItem, item.id, {"answer": "minor_nc"}))
    first = bob.sync()
    assert first.applied == 1 and first.lww_lost == 0
    late = alice.sync()
    # Merged per field: alice's notes (nobody else touched them) stay, her answer lost to bob's later one.
    assert late.lww_lost == 1 and late.conflicts == 0
    sync_all(lead, alice, bob)
    assert_converged(world.audit_a, lead, alice, bob)
    for device in (alice, bob):
        seen = device.store.checklist.get(item.id)
        assert seen.answer == "minor_nc" and seen.notes == "校准记录齐全"
        history = state.field_history(device.store, world.audit_a)
        assert [(h["entity_id"], h["field"], h["lost_value"], h["winner_value"]) for h in history] == [
            (item.id, "answer", "conforming", "minor_nc")]
        assert history[0]["lost_device"] == alice.store.device_id
        assert state.open_conflicts(device.store, world.audit_a) == []


def test_later_checklist_answer_pushed_second_wins_and_overwritten_one_is_in_history(
        devices: Callable[..., Any], world: World) -> None:
    _lead, alice, bob = _team(devices)
    item = _shared(alice, (bob,), make_item(world.audit_a, clause="8.5.1"))
    edit(alice, lambda uow: uow.update(ChecklistItem, item.id, {"answer": "conforming"}))
    time.sleep(0.005)
    edit(bob, lambda uow: uow.update(ChecklistItem, item.id, {"answer": "major_nc"}))
    assert alice.sync().applied == 1
    assert bob.sync().applied == 1  # bob's write is later: it wins, alice's value goes to history
    sync_all(alice, bob)
    assert_converged(world.audit_a, alice, bob)
    for device in (alice, bob):
        assert device.store.checklist.get(item.id).answer == "major_nc"
        history = state.field_history(device.store, world.audit_a)
        assert [(h["lost_value"], h["winner_value"]) for h in history] == [("conforming", "major_nc")]


def test_different_fields_of_one_finding_merge(devices: Callable[..., Any], world: World) -> None:
    lead, alice, bob = _team(devices)
    finding = _shared(alice, (bob, lead), make_finding(world.audit_a))
    edit(alice, lambda uow: uow.update(Finding, finding.id, {"statement": "三台游标卡尺超过校准有效期。"}))
    edit(bob, lambda uow: uow.update(Finding, finding.id, {"objective_evidence": "设备台账第12页",
                                                          "grade": "major_nc"}))
    assert alice.sync().applied == 1
    merged = bob.sync()
    assert merged.applied == 1 and merged.conflicts == 0
    sync_all(lead, alice, bob)
    assert_converged(world.audit_a, lead, alice, bob)
    seen = lead.store.findings.get(finding.id)
    assert (seen.statement, seen.objective_evidence, seen.grade) == (
        "三台游标卡尺超过校准有效期。", "设备台账第12页", "major_nc")
    assert state.open_conflicts(lead.store) == [] and server_record(world, "finding", finding.id)["rev"] == 3


@pytest.mark.parametrize("resolution", ["values", "server", "client"])
def test_same_field_of_one_finding_is_a_conflict_the_lead_resolves(
        devices: Callable[..., Any], world: World, resolution: str) -> None:
    lead, alice, bob = _team(devices)
    finding = _shared(alice, (bob, lead), make_finding(world.audit_a))
    edit(alice, lambda uow: uow.update(Finding, finding.id, {"statement": "甲的描述"}))
    edit(bob, lambda uow: uow.update(Finding, finding.id, {"statement": "乙的描述"}))
    assert alice.sync().applied == 1
    assert bob.sync().conflicts == 1
    sync_all(lead, alice, bob)
    assert_converged(world.audit_a, lead, alice, bob)
    for device in (lead, alice, bob):
        (conflict,) = state.open_conflicts(device.store, world.audit_a)
        assert conflict["entity_id"] == finding.id and conflict["fields"] == ["statement"]
        assert conflict["server_values"] == {"statement": "甲的描述"}
        assert conflict["client_values"] == {"statement": "乙的描述"}
        assert device.store.findings.get(finding.id).statement == "甲的描述"  # nothing changed silently
    assert [s["open_conflicts"] for s in state.scopes(lead.store) if s["audit_id"] == world.audit_a] == [1]

    # The report cannot be finalised while the conflict is open.
    edit(lead, lambda uow: uow.update(Audit, world.audit_a, {"status": "closed"}))
    refused = lead.sync()
    assert refused.rejected == 1
    assert [r["error_code"] for r in state.rejected(lead.store)] == ["open_conflicts"]
    assert lead.store.audits.get(world.audit_a).status != "closed"

    values = {"statement": "合并后的描述"} if resolution == "values" else {}
    edit(lead, lambda uow: uow.resolve(Finding, finding.id, conflict_id=conflict["id"], resolution=resolution,
                                       values=values))
    assert lead.sync().applied == 1
    sync_all(lead, alice, bob)
    assert_converged(world.audit_a, lead, alice, bob)
    expected = {"values": "合并后的描述", "server": "甲的描述", "client": "乙的描述"}[resolution]
    for device in (lead, alice, bob):
        assert state.open_conflicts(device.store) == []
        assert device.store.findings.get(finding.id).statement == expected
    assert [s["open_conflicts"] for s in state.scopes(bob.store) if s["audit_id"] == world.audit_a] == [0]


@pytest.mark.parametrize("resolution", ["server", "client"])
def test_edit_after_a_concurrent_delete_is_a_conflict_not_a_loss(
        devices: Callable[..., Any], world: World, resolution: str) -> None:
    lead, alice, bob = _team(devices)
    finding = _shared(alice, (bob, lead), make_finding(world.audit_a))
    edit(alice, lambda uow: uow.delete(Finding, finding.id))
    edit(bob, lambda uow: uow.update(Finding, finding.id, {"statement": "补充了证据"}))
    assert alice.sync().applied == 1
    assert bob.sync().conflicts == 1
    sync_all(lead, alice, bob)
    assert_converged(world.audit_a, lead, alice, bob)
    for device in (lead, alice, bob):
        (conflict,) = state.open_conflicts(device.store, world.audit_a)
        assert conflict["kind"] == "edit_delete" and conflict["server_deleted"] is True
        assert conflict["client_values"] == {"statement": "补充了证据"}  # bob's edit is not lost
        assert device.store.findings.is_deleted(finding.id)  # and the delete did not silently win back
    edit(lead, lambda uow: uow.resolve(Finding, finding.id, conflict_id=conflict["id"], resolution=resolution,
                                       values={}))
    sync_all(lead, alice, bob)
    assert_converged(world.audit_a, lead, alice, bob)
    for device in (lead, alice, bob):
        assert state.open_conflicts(device.store) == []
        if resolution == "client":  # bob's side: the finding comes back with his edit
            assert device.store.findings.get(finding.id).statement == "补充了证据"
        else:
            assert device.store.findings.is_deleted(finding.id)


@pytest.mark.parametrize("resolution", ["server", "client"])
def test_delete_after_a_concurrent_edit_is_a_conflict_not_a_silent_delete(
        devices: Callable[..., Any], world: World, resolution: str) -> None:
    lead, alice, bob = _team(devices)
    finding = _shared(alice, (bob, lead), make_finding(world.audit_a))
    edit(bob, lambda uow: uow.update(Finding, finding.id, {"statement": "补充了证据"}))
    edit(alice, lambda uow: uow.delete(Finding, finding.id))
    assert bob.sync().applied == 1
    assert alice.sync().conflicts == 1
    sync_all(lead, alice, bob)
    assert_converged(world.audit_a, lead, alice, bob)
    for device in (lead, alice, bob):
        (conflict,) = state.open_conflicts(device.store, world.audit_a)
        assert conflict["kind"] == "edit_delete" and conflict["client_deleted"] is True
        assert device.store.findings.get(finding.id).statement == "补充了证据"
    edit(lead, lambda uow: uow.resolve(Finding, finding.id, conflict_id=conflict["id"], resolution=resolution,
                                       values={}))
    sync_all(lead, alice, bob)
    assert_converged(world.audit_a, lead, alice, bob)
    for device in (lead, alice, bob):
        assert state.open_conflicts(device.store) == []
        if resolution == "client":
            assert device.store.findings.is_deleted(finding.id)
        else:
            assert device.store.findings.get(finding.id).statement == "补充了证据"
    # A deleted record stays deleted through later rounds (no resurrection).
    sync_all(lead, alice, bob)
    assert_converged(world.audit_a, lead, alice, bob)


def test_a_devices_own_queued_edits_never_conflict(devices: Callable[..., Any], world: World) -> None:
    alice, bob = devices("alice"), devices("bob")
    sync_all(alice, bob, rounds=1)
    finding = _shared(alice, (bob,), make_finding(world.audit_a))
    item = _shared(alice, (bob,), make_item(world.audit_a, clause="9.2"))
    # Many offline edits of the same fields on one device, all with the same stale base revision.
    for n in range(4):
        edit(alice, partial(_patch, Finding, finding.id, {"statement": f"第{n}稿",
                                                           "grade": "major_nc" if n % 2 else "minor_nc"}))
        edit(alice, partial(_patch, ChecklistItem, item.id, {"notes": f"笔记{n}"}))
    edit(alice, lambda uow: uow.delete(ChecklistItem, item.id))
    report = alice.sync()
    assert (report.conflicts, report.lww_lost, report.rejected, report.applied) == (0, 0, 0, 9)
    sync_all(alice, bob)
    assert_converged(world.audit_a, alice, bob)
    assert bob.store.findings.get(finding.id).statement == "第3稿"
    assert bob.store.checklist.is_deleted(item.id)
    assert state.field_history(bob.store, world.audit_a) == []


def test_latest_checklist_answer_wins_even_when_it_repeats_an_earlier_one(
        devices: Callable[..., Any], world: World) -> None:
    lead, alice, bob = _team(devices)
    item = _shared(alice, (bob, lead), make_item(world.audit_a, clause="8.2.1"))
    # All offline from the same revision, in this real-time order: alice X, lead Y, bob X.
    edit(alice, lambda uow: uow.update(ChecklistItem, item.id, {"answer": "conforming"}))
    time.sleep(0.005)
    edit(lead, lambda uow: uow.update(ChecklistItem, item.id, {"answer": "major_nc"}))
    time.sleep(0.005)
    edit(bob, lambda uow: uow.update(ChecklistItem, item.id, {"answer": "conforming"}))
    alice.sync()
    bob.sync()
    assert lead.sync().lww_lost == 1  # the lead's answer is older than bob's: it must lose to it
    sync_all(lead, alice, bob)
    assert_converged(world.audit_a, lead, alice, bob)
    assert lead.store.checklist.get(item.id).answer == "conforming"
    # The history names the write that really won (bob's, the latest), not alice's equal earlier one.
    (lost,) = state.field_history(alice.store, world.audit_a)
    assert (lost["lost_value"], lost["lost_device"]) == ("major_nc", lead.store.device_id)
    assert (lost["winner_value"], lost["winner_device"]) == ("conforming", bob.store.device_id)


def test_an_equal_answer_does_not_hide_the_earlier_writers_from_the_devices_own_next_edit(
        devices: Callable[..., Any], world: World) -> None:
    lead, alice, bob = _team(devices)
    item = _shared(alice, (bob, lead), make_item(world.audit_a, clause="8.4"))
    # Offline from the same revision, in this real-time order.
    for device, text in ((lead, "甲"), (alice, "丙"), (bob, "甲"), (lead, "丙"), (bob, "丙"), (bob, "甲")):
        edit(device, partial(_patch, ChecklistItem, item.id, {"notes": text}))
        time.sleep(0.005)
    lead.sync()
    alice.sync()  # 丙 again: already the value (the lead's, which is later)
    bob.sync()  # 甲 loses to the lead's 丙, 丙 restates it, then 甲 (the latest of all) overwrites it
    sync_all(lead, alice, bob)
    assert_converged(world.audit_a, lead, alice, bob)
    assert lead.store.checklist.get(item.id).notes == "甲"
    # Bob's last 甲 had not seen the lead's 丙: that value is kept in history, naming the lead.
    overwritten = [h for h in state.field_history(alice.store, world.audit_a) if h["lost_value"] == "丙"]
    assert [(h["lost_device"], h["winner_value"], h["winner_device"]) for h in overwritten] == [
        (lead.store.device_id, "甲", bob.store.device_id)]
