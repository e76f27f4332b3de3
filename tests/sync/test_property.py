"""Three real devices, the real platform, a hostile network: after a clean final sync everyone agrees.

A hypothesis ``RuleBasedStateMachine`` edits checklist items and findings offline on three encrypted
profiles, syncs them through a transport that loses requests and replies, delivers twice, answers 5xx,
garbage or times out, crash-reopens devices, compacts the platform's feed (410, re-snapshot) and lets
the lead resolve conflicts.  At the end (two clean
rounds) every device holds the platform's records exactly, no accepted change is lost, nothing is applied
twice and no deleted record came back except by the lead's decision.
"""

from __future__ import annotations

import itertools
import os
import shutil
import tempfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
from hypothesis import event as _event
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, precondition, rule, run_state_machine_as_test

from app.domain import ChecklistItem, Finding
from app.errors import SyncError
from app.store import outbox
from app.store.unit_of_work import UnitOfWork
from central.api.app import create_app
from central.config import Settings
from sync import state
from tests.central.helpers import Clock, World, build_world, login
from tests.factories import audit_data, make_finding, make_item
from tests.sync.conftest import Device
from tests.sync.faults import FaultyTransport
from tests.sync.helpers import edit
from tests.sync.invariants import (
    Recorder,
    check_devices_match_platform,
    check_no_lost_update,
    check_no_resurrection,
    check_nothing_applied_twice,
    platform_state,
)

USERS = ("lead", "alice", "bob")
FAULT_CHOICES = ("ok", "ok", "ok", "request_lost", "response_lost", "duplicate", "server_error",
                 "server_error_after", "timeout", "garbage")
ANSWERS = ("conforming", "minor_nc", "major_nc", None)
TEXTS = ("甲", "乙", "丙")
FINDING_FIELDS = ("statement", "requirement", "objective_evidence")
TEXT_FIELDS = frozenset({*FINDING_FIELDS, "notes"})
# Refusals a well-behaved device can still meet: a resolve of a conflict another resolve closed first.
EXPECTED_REJECTIONS = frozenset({"already_resolved"})


# Memory-backed when the machine has it: these profiles live for one example, and fsync dominates otherwise.
FAST_DIR = "/dev/shm" if os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK) else None
STATS: Counter[str] = Counter()


def event(text: str) -> None:
    """Counted here as well, so ``pytest -s`` shows what the runs covered (hypothesis keeps its own)."""
    STATS[text] += 1
    _event(text)


EXAMPLES = int(os.environ.get("FIELDAUDIT_SYNC_EXAMPLES", "200"))


def _patch(model: Any, ident: str, changes: dict[str, Any], uow: UnitOfWork) -> Any:
    return uow.update(model, ident, changes)


@dataclass
class Platform:
    client: TestClient
    world: World
    counter: Iterator[int]

    def new_audit(self) -> str:
        boss = login(self.client, "admin")
        response = self.client.post("/admin/audits", headers=boss.headers,
                                    json={**audit_data(title=f"P{next(self.counter)}"), "team": []})
        assert response.status_code == 201, response.text
        audit_id = str(response.json()["audit_id"])
        for username, role in (("lead", "lead"), ("alice", "auditor"), ("bob", "auditor")):
            done = self.client.put(f"/admin/audits/{audit_id}/team/{self.world.users[username]}",
                                   headers=boss.headers, json={"role": role})
            assert done.status_code == 200, done.text
        return audit_id

    def retire(self, audit_id: str) -> None:
        boss = login(self.client, "admin")
        for username in USERS:
            self.client.delete(f"/admin/audits/{audit_id}/team/{self.world.users[username]}", headers=boss.headers)


@pytest.fixture(scope="module")
def platform() -> Iterator[Platform]:
    clock = Clock()
    root = Path(tempfile.mkdtemp(prefix="syncprop-platform-", dir=FAST_DIR))
    app = create_app(Settings(db_url=f"sqlite:///{root / 'central.sqlite3'}", password_cost=(2**10, 8, 1),
                              now=clock))
    with TestClient(app) as client:
        world = build_world(client, clock)
        platform = Platform(client, world, itertools.count())
        platform.retire(world.audit_a)  # the shared world's audit A is not part of these runs
        yield platform
    app.state.platform.db.dispose()
    shutil.rmtree(root, ignore_errors=True)


class SyncMachine(RuleBasedStateMachine):
    platform: Platform

    def __init__(self) -> None:
        super().__init__()
        self.root = Path(tempfile.mkdtemp(prefix="syncprop-", dir=FAST_DIR))
        self.audit = self.platform.new_audit()
        self.sent: dict[str, dict[str, Any]] = {}
        self.archived_feed: dict[int, dict[str, Any]] = {}
        self.plans: dict[str, list[str]] = {}
        self.faulty: dict[str, FaultyTransport] = {}
        self.devices: dict[str, Device] = {}
        for username in USERS:
            self.devices[username] = Device(self.root / username, self.platform.client, username,
                                            self._wrapper(username))
        self.lead = self.devices["lead"]

    def _wrapper(self, username: str) -> Any:
        plan = self.plans.setdefault(username, [])

        def schedule(_method: str, path: str) -> str | None:
            if not path.startswith("/sync/") or not plan:
                return None
            fault = plan.pop(0)
            return None if fault == "ok" else fault

        faulty = FaultyTransport(inner=None, schedule=schedule)  # type: ignore[arg-type]
        self.faulty[username] = faulty

        def wrap(transport: Any) -> FaultyTransport:
            faulty.inner = Recorder(transport, self.sent)
            return faulty

        return wrap

    @property
    def _central(self) -> Any:
        return self.platform.client.app.state.platform  # type: ignore[attr-defined]

    # -- set-up: everyone has the audit, one item and one finding ------------------------------
    @initialize()
    def start(self) -> None:
        for device in self.devices.values():
            device.sync()
        edit(self.lead, lambda uow: (uow.create(make_item(self.audit, clause="7.1")),
                                     uow.create(make_finding(self.audit))))
        self.lead.sync()
        for device in self.devices.values():
            device.sync()

    # -- offline work ------------------------------------------------------------------------------
    def _pick(self, device: Device, entity: type[Any], index: int) -> str | None:
        repo = device.store.checklist if entity is ChecklistItem else device.store.findings
        found = sorted(r.id for r in repo.list(self.audit))
        return found[index % len(found)] if found else None

    @rule(who=st.sampled_from(USERS), clause=st.sampled_from(("8.1", "8.2", "9.1")))
    def create_item(self, who: str, clause: str) -> None:
        edit(self.devices[who], lambda uow: uow.create(make_item(self.audit, clause=clause)))

    @rule(who=st.sampled_from(USERS), text=st.sampled_from(TEXTS))
    def create_finding(self, who: str, text: str) -> None:
        edit(self.devices[who], lambda uow: uow.create(make_finding(self.audit, statement=text)))

    @rule(who=st.sampled_from(USERS), index=st.integers(0, 5), answer=st.sampled_from(ANSWERS),
          notes=st.sampled_from((None, *TEXTS)))
    def answer_item(self, who: str, index: int, answer: str | None, notes: str | None) -> None:
        device = self.devices[who]
        target = self._pick(device, ChecklistItem, index)
        if target is None:
            return
        changes: dict[str, Any] = {"answer": answer}
        if notes is not None:
            changes["notes"] = notes
        edit(device, lambda uow: uow.update(ChecklistItem, target, changes))

    @rule(who=st.sampled_from(USERS), index=st.integers(0, 5), field=st.sampled_from(FINDING_FIELDS),
          text=st.sampled_from(TEXTS))
    def patch_finding(self, who: str, index: int, field: str, text: str) -> None:
        device = self.devices[who]
        target = self._pick(device, Finding, index)
        if target is None:
            return
        edit(device, lambda uow: uow.update(Finding, target, {field: text}))

    @rule(who=st.sampled_from(USERS), index=st.integers(0, 5), finding=st.booleans())
    def delete(self, who: str, index: int, finding: bool) -> None:
        device = self.devices[who]
        model = Finding if finding else ChecklistItem
        target = self._pick(device, model, index)
        if target is None:
            return
        edit(device, lambda uow: uow.delete(model, target))

    @rule(pair=st.sampled_from([(a, b) for a in USERS for b in USERS if a != b]), finding=st.booleans(),
          index=st.integers(0, 5), field=st.sampled_from(FINDING_FIELDS), texts=st.tuples(
              st.sampled_from(TEXTS), st.sampled_from(TEXTS)))
    def rivals_edit(self, pair: tuple[str, str], finding: bool, index: int, field: str,
                    texts: tuple[str, str]) -> None:
        """Two devices change the same field of the same record while both are offline."""
        event(f"rivals edit {'finding' if finding else 'item'}")
        model = Finding if finding else ChecklistItem
        name = field if finding else "notes"
        for who, text in zip(pair, texts, strict=True):
            device = self.devices[who]
            target = self._pick(device, model, index)
            if target is not None:
                edit(device, partial(_patch, model, target, {name: text}))

    # -- the network ---------------------------------------------------------------------------------
    @rule(who=st.sampled_from(USERS), faults=st.lists(st.sampled_from(FAULT_CHOICES), max_size=4))
    def sync(self, who: str, faults: list[str]) -> None:
        self.plans[who][:] = faults
        for fault in faults:
            event(f"fault: {fault}")
        try:
            self.devices[who].sync()
        except SyncError:
            pass  # the next round retries; the final checks prove nothing was lost
        finally:
            self.plans[who].clear()

    @rule(faults=st.lists(st.sampled_from(FAULT_CHOICES), max_size=3))
    def everyone_syncs(self, faults: list[str]) -> None:
        for who in USERS:
            self.sync(who, list(faults))

    @precondition(lambda self: not self.archived_feed)  # once per run is enough; more crowds out edits
    @rule()
    def platform_compacts_the_feed(self) -> None:
        """Old cursors become 410: the next pull of every device takes a fresh snapshot."""
        # The checks read the whole feed at the end: keep what compaction is about to drop.
        for change in platform_state(self._central, self.audit)["feed"]:
            self.archived_feed[int(change["seq"])] = change
        event("compacted")
        boss = login(self.platform.client, "admin")
        done = self.platform.client.post(f"/admin/audits/{self.audit}/compact", headers=boss.headers)
        assert done.status_code == 200, done.text

    @rule(who=st.sampled_from(USERS))
    def crash_and_reopen(self, who: str) -> None:
        self.devices[who].reopen()

    @rule(index=st.integers(0, 3), resolution=st.sampled_from(("server", "client", "values")),
          text=st.sampled_from(TEXTS))
    def lead_resolves(self, index: int, resolution: str, text: str) -> None:
        """The lead syncs (clean network) to see the open conflicts and settles one of them."""
        self.lead.sync()
        pending = {m.fields.get("conflict_id") for m in outbox.pending(self.lead.store.connection())
                   if m.op == "resolve"}
        conflicts = [c for c in state.open_conflicts(self.lead.store, self.audit) if c["id"] not in pending]
        event(f"lead sees conflicts: {bool(conflicts)}")
        if not conflicts:
            return
        self._resolve(conflicts[index % len(conflicts)], resolution, text)

    def _resolve(self, conflict: dict[str, Any], resolution: str, text: str) -> None:
        event(f"resolve {conflict['kind']} as {resolution}")
        model = Finding if conflict["entity"] == "finding" else ChecklistItem
        names = conflict["fields"] or sorted(conflict["client_values"])
        # Chosen values: new text for text fields, else the value one side had (an answer must stay valid).
        values = {name: text if name in TEXT_FIELDS else conflict["client_values"].get(name)
                  for name in names} if resolution == "values" else {}
        edit(self.lead, lambda uow: uow.resolve(model, conflict["entity_id"], conflict_id=conflict["id"],
                                                resolution=resolution, values=values))

    # -- the end: two clean rounds, then everything must agree --------------------------------------
    def teardown(self) -> None:
        try:
            if not getattr(self, "devices", None) or len(self.devices) < len(USERS):
                return
            for device in self.devices.values():
                device.sync()
            # The lead settles every conflict still open (each way in turn), then two clean rounds.
            self.lead.sync()
            for n, conflict in enumerate(state.open_conflicts(self.lead.store, self.audit)):
                self._resolve(conflict, ("client", "values", "server")[n % 3], TEXTS[n % 3])
            for _ in range(2):
                for device in self.devices.values():
                    device.sync()
            assert state.open_conflicts(self.lead.store, self.audit) == []
            server = platform_state(self._central, self.audit)
            feed = {**self.archived_feed, **{int(c["seq"]): c for c in server["feed"]}}
            server["feed"] = [feed[seq] for seq in sorted(feed)]
            check_devices_match_platform(list(self.devices.values()), server, self.audit)
            check_nothing_applied_twice(self.sent, server)
            check_no_resurrection(self.sent, server)
            checked = check_no_lost_update(self.sent, server)
            kinds = {r["entity"] for r in server["records"]}
            event(f"accepted values checked: {min(len(checked) // 5 * 5, 20)}+")
            event(f"platform records: {sorted(kinds & {'conflict', 'history'})}")
            event(f"resolved: {any(m['op'] == 'resolve' for m in self.sent.values())}")
            event(f"deletes: {any(r['deleted'] for r in server['records'])}")
            for device in self.devices.values():
                codes = {r["error_code"] for r in state.rejected(device.store)}
                assert codes <= EXPECTED_REJECTIONS, (device.username, state.rejected(device.store))
        finally:
            for device in getattr(self, "devices", {}).values():
                device.close()
            self.platform.retire(self.audit)
            shutil.rmtree(self.root, ignore_errors=True)


def _run(platform: Platform, examples: int, steps: int) -> None:
    SyncMachine.platform = platform
    run_state_machine_as_test(SyncMachine, settings=settings(
        max_examples=examples, stateful_step_count=steps, deadline=None, derandomize=False,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much,
                               HealthCheck.function_scoped_fixture]))


def test_devices_converge_under_faults_and_crashes(platform: Platform) -> None:
    STATS.clear()
    _run(platform, examples=EXAMPLES, steps=10)
    print("\n".join(f"{count:5d}  {name}" for name, count in sorted(STATS.items())))


@pytest.mark.slow
def test_devices_converge_under_faults_and_crashes_long(platform: Platform) -> None:
    _run(platform, examples=int(os.environ.get("FIELDAUDIT_SYNC_LONG_EXAMPLES", "300")), steps=20)
