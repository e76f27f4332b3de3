"""A round with nothing new is one round trip: the scopes reply says which audits moved."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sync import state
from tests.central.helpers import World
from tests.factories import make_finding, make_item
from tests.sync.helpers import admin, assert_converged, edit, older_platform, sync_all

SCOPES = ("GET", "/sync/scopes")
PULL = ("GET", "/sync/pull")


def _on_both_audits(world: World, username: str) -> None:
    boss = admin(world)
    response = world.client.put(f"/admin/audits/{world.audit_b}/team/{world.users[username]}",
                                headers=boss.headers, json={"role": "auditor"})
    assert response.status_code == 200, response.text


def _calls_of_one_round(device: Any) -> tuple[Any, list[tuple[str, str]]]:
    del device.transport.calls[:]
    report = device.sync()
    return report, list(device.transport.calls)


def test_only_audits_that_moved_are_pulled(devices: Callable[..., Any], world: World) -> None:
    _on_both_audits(world, "alice")
    alice, bob = devices("alice"), devices("bob")
    sync_all(alice, bob, rounds=1)
    assert sorted(state.scope_cursors(alice.store)) == sorted([world.audit_a, world.audit_b])
    report, calls = _calls_of_one_round(alice)
    assert calls == [SCOPES] and report.pulled == 0
    edit(bob, lambda uow: uow.create(make_finding(world.audit_a)))
    bob.sync()
    cursor_b = state.scope_cursors(alice.store)[world.audit_b]
    report, calls = _calls_of_one_round(alice)
    assert calls == [SCOPES, PULL] and report.pulled == 1  # audit A only; B did not move
    assert state.scope_cursors(alice.store)[world.audit_b] == cursor_b
    assert_converged(world.audit_a, alice, bob)
    assert _calls_of_one_round(alice)[1] == [SCOPES]


def test_a_push_pulls_its_own_audit_back_in_the_same_round(devices: Callable[..., Any], world: World) -> None:
    _on_both_audits(world, "alice")
    alice = devices("alice")
    alice.sync()
    edit(alice, lambda uow: uow.create(make_item(world.audit_b, clause="7.1.5")))
    before = state.scope_cursors(alice.store)
    report, calls = _calls_of_one_round(alice)
    # The heads were read before the push, so the pushed audit is pulled anyway (and only that one).
    assert calls == [SCOPES, ("POST", "/sync/push"), PULL] and report.pushed == 1
    after = state.scope_cursors(alice.store)
    assert after[world.audit_b] > before[world.audit_b] and after[world.audit_a] == before[world.audit_a]
    assert _calls_of_one_round(alice)[1] == [SCOPES]


def _without_heads(inner: Any) -> Any:
    """A platform from before the heads were added: its scopes reply has neither field."""

    def drop(body: dict[str, Any]) -> None:
        body.pop("feed_head", None)
        for scope in body["scopes"]:
            scope.pop("head", None)

    return older_platform(inner, drop)


def test_a_platform_without_heads_is_pulled_every_round(devices: Callable[..., Any], world: World) -> None:
    alice, bob = devices("alice", wrap=_without_heads), devices("bob")
    alice.sync()
    report, calls = _calls_of_one_round(alice)
    assert calls == [SCOPES, PULL] and report.pulled == 0
    edit(bob, lambda uow: uow.create(make_finding(world.audit_a)))
    bob.sync()
    assert alice.sync().pulled == 1
    assert_converged(world.audit_a, alice, bob)


def test_a_cursor_beyond_the_platforms_feed_is_not_trusted(devices: Callable[..., Any], world: World) -> None:
    # As after the platform was restored from an older backup: the device's cursor is past its feed.
    alice, bob = devices("alice"), devices("bob")
    edit(bob, lambda uow: uow.create(make_finding(world.audit_a)))
    sync_all(bob, alice, rounds=1)
    with alice.store.unit_of_work(alice.engine.actor, origin="sync") as uow:
        state.set_cursor(uow, world.audit_a, 10_000_000, "2026-01-01T00:00:00+00:00")
    report, calls = _calls_of_one_round(alice)
    assert calls == [SCOPES, PULL, ("GET", "/sync/snapshot")] and report.snapshots == 1
    assert state.scope_cursors(alice.store)[world.audit_a] < 10_000_000
    assert_converged(world.audit_a, alice, bob)
