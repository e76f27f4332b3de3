"""A client process killed with SIGKILL at named points of a sync loses nothing and re-syncs to the state
of a device that never crashed; the cursor is never ahead of the data it stands for."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from app.domain import ChecklistItem, Finding
from app.services.session import Session, create_profile, open_profile
from app.services.verification import verify_profile
from app.store import outbox
from sync import state
from sync.engine import SyncEngine
from tests.central.helpers import PASSWORD
from tests.conftest import FAST_COST
from tests.factories import make_finding, make_item
from tests.sync.invariants import check_devices_match_platform, check_nothing_applied_twice, platform_state
from tests.sync.live import LivePlatform, live_platform

PASSPHRASE = "device passphrase"
PAGE, BATCH = 5, 5

# Runs in the child: one sync round through a transport that kills its own process at ``point``.
CHILD = r"""
import os, signal, socket, sys
from pathlib import Path
from urllib.parse import urlsplit

import requests

from app.services.session import open_profile
from sync.engine import SyncEngine
from sync.transport import HttpTransport

root, point = Path(sys.argv[1]), sys.argv[2]
counts = {}


def die():
    os.kill(os.getpid(), signal.SIGKILL)


class Killer(HttpTransport):
    def send(self, method, path, *, json_body=None, params=None, token=None):
        n = counts[path] = counts.get(path, 0) + 1
        if point == "push_sent" and path == "/sync/push" and n == 2:
            # The second batch leaves on the wire; the process dies before any reply can arrive.
            prepared = requests.Request(method, self.base_url + path, json=json_body,
                                        headers={"Authorization": f"Bearer {token}"}).prepare()
            where = urlsplit(self.base_url)
            sock = socket.create_connection((where.hostname, where.port))
            head = f"{method} {path} HTTP/1.1\r\nHost: {where.netloc}\r\n" + "".join(
                f"{k}: {v}\r\n" for k, v in prepared.headers.items()) + "\r\n"
            sock.sendall(head.encode() + prepared.body)
            die()
        if point == "mid_pull" and path == "/sync/pull" and n == 3:
            die()  # two pages applied and committed, the third never asked for
        reply = super().send(method, path, json_body=json_body, params=params, token=token)
        if point == "push_answered" and path == "/sync/push" and n == 2:
            die()  # the platform committed the batch and answered; nothing of it applied here
        if point == "page_received" and path == "/sync/pull" and n == 2:
            die()  # the second page arrived and was never applied
        return reply


session = open_profile(root, passphrase=sys.argv[3])
SyncEngine(session, transport_factory=Killer, page_size=int(sys.argv[4]), push_batch=int(sys.argv[5])).run_once()
sys.exit(3)  # the kill point was never reached
"""


@pytest.fixture
def live(tmp_path: Path) -> Iterator[LivePlatform]:
    with live_platform(tmp_path) as platform:
        yield platform


def _device(root: Path, live: LivePlatform, username: str) -> tuple[Session, SyncEngine]:
    session = create_profile(root, PASSPHRASE, cost=FAST_COST)
    engine = SyncEngine(session, page_size=PAGE, push_batch=BATCH)
    engine.login(live.url, username, PASSWORD)
    return session, engine


def _edit(session: Session, engine: SyncEngine, action: Any) -> None:
    with session.store.unit_of_work(engine.actor) as uow:
        action(uow)


def _cursor_never_ahead(session: Session, live: LivePlatform, audit_id: str) -> None:
    """Every change at or below the saved cursor is in the store (at that revision or later)."""
    cursor = state.scope_cursors(session.store).get(audit_id, 0)
    local = {(str(e), str(i)): int(r) for e, i, r in session.store.query(
        "SELECT entity, id, server_rev FROM records WHERE audit_id = ?", (audit_id,))}
    server = platform_state(live.platform, audit_id)
    missing = [(c["entity"], c["entity_id"], c["rev"]) for c in server["feed"]
               if c["seq"] <= cursor and local.get((c["entity"], c["entity_id"]), -1) < int(c["rev"])]
    assert missing == []


@pytest.mark.parametrize("point", ["push_sent", "push_answered", "mid_pull", "page_received"])
def test_sigkill_at_a_named_point_then_resync_matches_a_device_that_never_crashed(
        tmp_path: Path, live: LivePlatform, point: str) -> None:
    audit = live.world.audit_a
    bob, bob_engine = _device(tmp_path / "bob", live, "bob")
    bob_engine.run_once()
    # Enough from bob for several pages, and a finding both work on.
    shared = make_finding(audit)
    _edit(bob, bob_engine, lambda uow: [uow.create(shared)] + [
        uow.create(make_item(audit, clause=f"8.{n + 1}")) for n in range(11)])
    bob_engine.run_once()

    alice, alice_engine = _device(tmp_path / "alice", live, "alice")
    alice_engine.run_once()
    items = [make_item(audit, clause=f"9.{n + 1}") for n in range(6)]
    _edit(alice, alice_engine, lambda uow: [uow.create(i) for i in items])
    for n, item in enumerate(items):
        _edit(alice, alice_engine, lambda uow, i=item, n=n: uow.update(ChecklistItem, i.id, {
            "answer": "conforming", "notes": f"记录{n}"}))
    _edit(alice, alice_engine, lambda uow: uow.update(Finding, shared.id, {"requirement": "GB/T 19001 7.1.5"}))
    queued = [m.mutation_id for m in outbox.pending(alice.store.connection())]
    assert len(queued) == 13  # three push batches
    alice.close()

    env = {**os.environ, "PYTHONPATH": str(Path.cwd())}
    child = subprocess.run([sys.executable, "-c", CHILD, str(tmp_path / "alice"), point, PASSPHRASE, str(PAGE),
                            str(BATCH)], env=env, capture_output=True, text=True, timeout=120)
    assert child.returncode == -signal.SIGKILL, child.stderr[-2000:]

    alice = open_profile(tmp_path / "alice", passphrase=PASSPHRASE)
    try:
        # What the crash left: every queued change either still queued or settled, the cursor honest.
        left = {m.mutation_id for m in outbox.pending(alice.store.connection())}
        assert left <= set(queued)
        if point.startswith("push"):
            assert 0 < len(left) < len(queued)  # the first batch settled, the rest is still queued
        else:
            assert left == set()
        _cursor_never_ahead(alice, live, audit)
        assert all(result.ok for result in verify_profile(alice))

        engine = SyncEngine(alice, page_size=PAGE, push_batch=BATCH)
        engine.run_once()
        engine.run_once()
        bob_engine.run_once()
        twin, twin_engine = _device(tmp_path / "twin", live, "alice")  # alice's second laptop, never crashed
        twin_engine.run_once()
        try:
            server = platform_state(live.platform, audit)
            check_devices_match_platform([_Named("alice", alice), _Named("bob", bob), _Named("twin", twin)],
                                         server, audit)
            check_nothing_applied_twice({}, server)
            assert all(r["status"] == "applied" for r in server["results"].values())
            assert alice.store.pending_mutations() == 0 and alice.store.checklist.count(audit) == 17
            assert alice.store.findings.get(shared.id).requirement == "GB/T 19001 7.1.5"
            assert all(result.ok for result in verify_profile(alice))
        finally:
            twin.close()
    finally:
        alice.close()
        bob.close()


class _Named:
    def __init__(self, username: str, session: Session) -> None:
        self.username = username
        self.store = session.store
