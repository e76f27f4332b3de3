"""The README's run command: a seeded local platform the desktop app (and the CLI) can sync with."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from app.services.session import create_profile
from sync.engine import SyncEngine
from tests.conftest import FAST_COST
from ui import demo


def test_local_platform_serves_demo_audits_to_a_new_profile(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    folder = demo.demo_dir()
    accounts = demo.ensure_seeded(folder)
    assert {a["role"] for a in accounts} >= {"platform_admin", "lead_auditor", "auditor", "auditee"}
    assert oct(os.stat(folder / "demo-accounts.json").st_mode & 0o777) == "0o600"
    lead = next(a for a in accounts if a["role"] == "lead_auditor")
    with demo.local_platform(folder) as url, create_profile(tmp_path / "profile", "demo passphrase",
                                                            cost=FAST_COST) as session:
        engine = SyncEngine(session)
        engine.login(url, str(lead["username"]), str(lead["password"]))
        report = engine.run_once()
        assert len(report.scopes) == len(lead["audits"])  # type: ignore[arg-type]
        assert session.store.audits.count() == len(report.scopes)
        assert session.store.checklist.count() > 0
    # Seeding is done once: a second start reuses the same accounts.
    assert demo.ensure_seeded(folder) == accounts
