"""A misbehaving network and platform never corrupt the device; the next clean round converges once."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from functools import partial
from typing import Any

import pytest

from app.domain import ChecklistItem, Finding
from app.errors import SyncError
from app.store import outbox
from app.store.unit_of_work import UnitOfWork
from sync import state
from sync.errors import PlatformTimeout
from sync.transport import Reply
from tests.central.helpers import Clock, World
from tests.factories import make_finding, make_item
from tests.sync.faults import FAULTS, FaultyTransport
from tests.sync.helpers import (
    USER_ENTITIES,
    admin,
    assert_converged,
    edit,
    records,
    server_changes,
    server_record,
    sync_all,
)


def _patch(model: Any, ident: str, changes: dict[str, Any], uow: UnitOfWork) -> Any:
    return uow.update(model, ident, changes)


def faulty_device(devices: Callable[..., Any], username: str) -> tuple[Any, FaultyTransport]:
    faulty = FaultyTransport(inner=None)  # type: ignore[arg-type]

    def wrap(transport: Any) -> FaultyTransport:
        faulty.inner = transport
        return faulty

    return devices(username, wrap=wrap), faulty


def local_state(device: Any, audit_id: str) -> tuple[Any, Any, Any]:
    queued = [(m.mutation_id, m.op, m.fields) for m in outbox.pending(device.store.connection())]
    return records(device.store, audit_id), queued, state.scope_cursors(device.store)


def assert_applied_once(world: World, audit_id: str) -> None:
    """Every mutation reached the platform's feed at most once per record."""
    counted = Counter((c["mutation_id"], c["entity"], c["entity_id"]) for c in server_changes(world, audit_id)
                      if c["mutation_id"] and c["entity"] in USER_ENTITIES)
    assert [key for key, n in counted.items() if n > 1] == []


def _scenario(devices: Callable[..., Any], world: World) -> tuple[Any, FaultyTransport, Any, Any, Any]:
    alice, faulty = faulty_device(devices, "alice")
    bob = devices("bob")
    sync_all(alice, bob, rounds=1)
    finding = make_finding(world.audit_a)
    gone = make_item(world.audit_a, clause="4.1")
    edit(alice, lambda uow: (uow.create(finding), uow.create(gone)))
    sync_all(alice, bob, rounds=1)
    # Something to pull (more than one page: the devices use 7 per page) and something to push.
    edit(bob, lambda uow: [uow.create(make_item(world.audit_a, clause=f"8.{n + 1}")) for n in range(9)])
    bob.sync()
    item = make_item(world.audit_a, clause="7.2")
    edit(alice, lambda uow: uow.create(item))
    edit(alice, lambda uow: uow.update(ChecklistItem, item.id, {"answer": "conforming"}))
    edit(alice, lambda uow: uow.update(Finding, finding.id, {"statement": "离线修改"}))
    edit(alice, lambda uow: uow.delete(ChecklistItem, gone.id))
    for n in range(5):  # more than one push batch (5 per batch)
        edit(alice, partial(_patch, Finding, finding.id, {"requirement": f"要求{n}"}))
    return alice, faulty, bob, finding, item


@pytest.mark.parametrize("target", ["/sync/push", "/sync/pull", "/sync/scopes"])
@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_fault_leaves_the_device_intact_and_the_next_round_converges_once(
        devices: Callable[..., Any], world: World, fault: str, target: str, db_url: str) -> None:
    if db_url.startswith("postgresql") and fault not in ("response_lost", "duplicate", "garbage"):
        pytest.skip("the platform's side of these faults is the same on both databases")
    alice, faulty, bob, finding, item = _scenario(devices, world)
    before = local_state(alice, world.audit_a)
    faulty.fail(fault, target)
    if fault == "duplicate":
        alice.sync()
    else:
        with pytest.raises(SyncError):
            alice.sync()
        after = local_state(alice, world.audit_a)
        if target == "/sync/pull":
            # Pushed and settled, then the pull failed: the local view still shows every edit.
            assert after[1] == [] and after[2] == before[2]
            assert alice.store.findings.get(finding.id).requirement == "要求4"
        else:
            assert after == before  # not one row or outbox entry moved
    sync_all(alice, bob)
    assert_converged(world.audit_a, alice, bob)
    assert_applied_once(world, world.audit_a)
    # create + statement + 5 requirement edits: each applied exactly once.
    assert server_record(world, "finding", finding.id)["rev"] == 1 + 1 + 5 + (0)
    assert server_record(world, "checklist_item", item.id)["rev"] == 2
    seen = bob.store.findings.get(finding.id)
    assert (seen.statement, seen.requirement) == ("离线修改", "要求4")
    assert bob.store.checklist.count(world.audit_a) == 10


@pytest.mark.parametrize("fault", ["response_lost", "duplicate", "timeout", "garbage"])
def test_fault_on_the_snapshot_keeps_the_cursor_at_zero(devices: Callable[..., Any], world: World,
                                                        fault: str) -> None:
    bob = devices("bob")
    bob.sync()
    edit(bob, lambda uow: uow.create(make_finding(world.audit_a)))
    bob.sync()
    alice, faulty = faulty_device(devices, "alice")
    faulty.fail(fault, "/sync/snapshot")
    if fault == "duplicate":
        alice.sync()
    else:
        with pytest.raises(SyncError):
            alice.sync()
        assert state.scope_cursors(alice.store) == {world.audit_a: 0}
        assert records(alice.store, world.audit_a) == {}
    sync_all(alice, bob)
    assert_converged(world.audit_a, alice, bob)


def test_timeout_is_the_platform_timeout_error(devices: Callable[..., Any], world: World) -> None:
    alice, faulty = faulty_device(devices, "alice")
    faulty.fail("timeout", "/sync/scopes")
    with pytest.raises(PlatformTimeout):
        alice.sync()
    assert alice.sync().scopes == [world.audit_a]


def test_gone_410_on_pull_takes_a_new_snapshot(devices: Callable[..., Any], world: World) -> None:
    alice, bob = devices("alice"), devices("bob")
    sync_all(alice, bob, rounds=1)
    doomed = make_finding(world.audit_a)
    edit(bob, lambda uow: uow.create(doomed))
    sync_all(bob, alice, rounds=1)
    edit(bob, lambda uow: [uow.create(make_item(world.audit_a, clause=f"6.{n + 1}")) for n in range(3)])
    edit(bob, lambda uow: uow.delete(Finding, doomed.id))
    bob.sync()
    response = world.client.post(f"/admin/audits/{world.audit_a}/compact", headers=admin(world).headers)
    assert response.status_code == 200, response.text
    report = alice.sync()
    assert report.snapshots == 1
    assert alice.store.checklist.count(world.audit_a) == 3
    assert alice.store.findings.is_deleted(doomed.id)  # the tombstone came with the snapshot
    assert state.scope_cursors(alice.store)[world.audit_a] == response.json()["horizon"]
    sync_all(alice, bob)
    assert_converged(world.audit_a, alice, bob)
    assert alice.sync().pulled == 0


def test_expired_access_token_is_refreshed(devices: Callable[..., Any], world: World, clock: Clock) -> None:
    alice = devices("alice")
    alice.sync()
    old = state.load_credentials(alice.store)
    assert old is not None
    clock.advance(16 * 60)  # past the 15-minute access token
    edit(alice, lambda uow: uow.create(make_item(world.audit_a)))
    report = alice.sync()
    assert report.applied == 1
    new = state.load_credentials(alice.store)
    assert new is not None and new.tokens.access_token != old.tokens.access_token
    assert new.tokens.refresh_token != old.tokens.refresh_token  # rotated and kept in the encrypted store
    assert alice.sync().pushed == 0


def test_lost_refresh_reply_does_not_log_the_device_out(devices: Callable[..., Any], world: World,
                                                        clock: Clock) -> None:
    alice, faulty = faulty_device(devices, "alice")
    alice.sync()
    clock.advance(16 * 60)
    faulty.fail("response_lost", "/auth/refresh")
    with pytest.raises(SyncError):
        alice.sync()
    assert alice.sync().scopes == [world.audit_a]


def _skew_replies(seconds: float) -> Callable[[Any], Any]:
    """Rewrite ``server_time`` in every reply, as if the platform's clock were ``seconds`` ahead."""
    from datetime import datetime, timedelta

    class Skewed:
        def __init__(self, inner: Any) -> None:
            self.inner = inner

        def send(self, method: str, path: str, **kwargs: Any) -> Reply:
            reply: Reply = self.inner.send(method, path, **kwargs)
            if not (200 <= reply.status < 300) or not path.startswith("/sync/"):
                return reply
            body = json.loads(reply.body)
            moved = datetime.fromisoformat(body["server_time"]) + timedelta(seconds=seconds)
            body["server_time"] = moved.isoformat()
            return Reply(int(reply.status), json.dumps(body).encode())

    return Skewed


@pytest.mark.parametrize("seconds", [-3600, 6 * 60, 4 * 60])
def test_clock_skew_beyond_five_minutes_warns(devices: Callable[..., Any], world: World, seconds: int) -> None:
    alice = devices("alice", wrap=_skew_replies(seconds))
    report = alice.sync()
    assert report.clock_warning is (abs(seconds) > 5 * 60)
    assert report.clock_skew_ms is not None and abs(report.clock_skew_ms + seconds * 1000) < 60_000
    warned = any("clock" in line.lower() or "时钟" in line for line in report.lines())
    assert warned is report.clock_warning
    assert json.loads(alice.store.meta("sync.last_report") or "{}")["clock_warning"] is report.clock_warning


def test_platform_clock_ahead_warns_and_the_device_clock_follows_without_a_wrong_merge(
        devices: Callable[..., Any], world: World, clock: Clock) -> None:
    alice, bob = devices("alice"), devices("bob")
    sync_all(alice, bob, rounds=1)
    finding = make_finding(world.audit_a)
    item = make_item(world.audit_a)
    edit(alice, lambda uow: (uow.create(finding), uow.create(item)))
    sync_all(alice, bob, rounds=1)
    clock.advance(10 * 60)  # the platform is 10 minutes ahead of both laptops
    reports = [alice.sync(), bob.sync()]
    assert all(r.clock_warning for r in reports)
    # The devices' hybrid clocks moved up to the platform's time: later edits still win.
    clock_state = json.loads(alice.store.meta("clock") or "{}")
    assert clock_state["wall"] >= int(clock() * 1000) - 1000
    edit(alice, lambda uow: uow.update(ChecklistItem, item.id, {"answer": "conforming"}))
    alice.sync()
    bob.sync()
    edit(bob, lambda uow: uow.update(ChecklistItem, item.id, {"answer": "minor_nc"}))
    # Concurrent finding edits are still a conflict, decided by revisions, not by clocks.
    edit(alice, lambda uow: uow.update(Finding, finding.id, {"statement": "甲"}))
    edit(bob, lambda uow: uow.update(Finding, finding.id, {"statement": "乙"}))
    assert alice.sync().applied == 1
    assert bob.sync().conflicts == 1
    sync_all(alice, bob)
    assert_converged(world.audit_a, alice, bob)
    assert alice.store.checklist.get(item.id).answer == "minor_nc"
    assert len(state.open_conflicts(alice.store)) == 1
