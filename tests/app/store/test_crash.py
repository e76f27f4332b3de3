"""A writer killed with SIGKILL loses nothing it reported as committed."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from app.services.session import Session, open_profile
from app.services.verification import verify_profile
from tests.conftest import PASSPHRASE
from tests.factories import make_audit

ROOT = Path(__file__).resolve().parents[3]
WRITER = """
import sys
from pathlib import Path
from app.domain import ChecklistItem
from app.services.session import open_profile
from tests.factories import make_item
session = open_profile(Path(sys.argv[1]), passphrase=sys.argv[2])
audit_id = sys.argv[3]
n = 0
while True:
    item = make_item(audit_id, clause=f"{n % 10 + 1}.{n}")
    with session.store.unit_of_work("writer") as uow:
        uow.create(item)
        uow.update(ChecklistItem, item.id, {"answer": "conforming", "notes": "n" * (n % 50)})
    print(item.id, flush=True)
    n += 1
"""


def _kill_after(profile_dir: Path, audit_id: str, commits: int) -> list[str]:
    proc = subprocess.Popen([sys.executable, "-c", WRITER, str(profile_dir), PASSPHRASE, audit_id],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    assert proc.stdout is not None
    reported: list[str] = []
    try:
        while len(reported) < commits:
            line = proc.stdout.readline()
            if not line:
                raise AssertionError(proc.stderr.read() if proc.stderr else "writer died")
            reported.append(line.strip())
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    return reported


@pytest.mark.parametrize("commits", [1, 37, pytest.param(400, marks=pytest.mark.slow)])
def test_sigkill_mid_stream_keeps_every_reported_write(session: Session, profile_dir: Path,
                                                       commits: int) -> None:
    audit = make_audit()
    with session.store.unit_of_work("t") as uow:
        uow.create(audit)
    session.close()
    reported = _kill_after(profile_dir, audit.id, commits)
    with open_profile(profile_dir, passphrase=PASSPHRASE) as reopened:
        stored = {item.id: item for item in reopened.store.checklist.list(audit.id)}
        for item_id in reported:
            assert item_id in stored
            assert stored[item_id].answer == "conforming"
        assert all(r.ok for r in verify_profile(reopened))
        # Every committed item has both of its journal and outbox entries.
        assert reopened.store.pending_mutations() == 1 + 2 * len(stored)
