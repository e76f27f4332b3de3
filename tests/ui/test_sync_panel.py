# mypy: disable-error-code="union-attr, no-untyped-call"
"""The sync panel against the real reference platform (in-process): login, sync, audits arrive, offline."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from PySide6.QtCore import QEvent, QSettings
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.services.session import create_profile
from sync.engine import SyncEngine
from tests.central.conftest import client, clock, db_url, pg_admin_url, settings, world  # noqa: F401
from tests.central.helpers import PASSWORD, World
from tests.conftest import FAST_COST, PASSPHRASE
from tests.sync.conftest import TestClientTransport, devices  # noqa: F401
from tests.ui.conftest import unlock
from ui.app_controller import AppController


@pytest.fixture
def synced_app(app: QApplication, profile_dir: Path, settings_path: Path, tmp_path: Path,
               client: TestClient, world: World) -> Iterator[AppController]:  # noqa: F811
    create_profile(profile_dir, PASSPHRASE, cost=FAST_COST).close()
    transport = TestClientTransport(client)
    ctl = AppController(app, profile_dir, settings_path=settings_path, create_cost=FAST_COST,
                        qsettings=QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat),
                        sync_engine_factory=lambda session: SyncEngine(session,
                                                                       transport_factory=lambda _u: transport))
    ctl.start(try_remembered_key=False)
    ctl.window.resize(1366, 768)
    yield ctl
    ctl.window.close()
    ctl.shutdown()


def test_login_and_sync_bring_the_assigned_audits(qtbot: QtBot, synced_app: AppController, world: World) -> None:  # noqa: F811
    ctl = synced_app
    unlock(qtbot, ctl)
    assert ctl.audits.model.rowCount() == 0
    ctl.open_sync_panel()
    panel = ctl.sync_panel
    qtbot.waitUntil(lambda: panel.view.login_group.isVisible(), timeout=5000)
    panel.view.server.setText("http://platform.test")
    panel.view.username.setText("alice")
    panel.view.password.setText("wrong password")
    panel.view.login_button.click()
    qtbot.waitUntil(lambda: panel.view.login_error.isVisibleTo(panel.view), timeout=10000)
    panel.view.password.setText(PASSWORD)
    panel.view.login_button.click()
    qtbot.waitUntil(lambda: ctl.audits.model.rowCount() > 0 and not ctl.sync.busy, timeout=20000)
    assert ctl.platform_user == world.users["alice"]
    assert not panel.view.login_group.isVisible()
    assert "alice" in panel.view.state.text()
    assert ctl.window.connection_label.text().startswith("平台")
    # "My role" now comes from the platform account.
    assert any(row.my_role is not None for row in ctl.audits.model.rows)


def test_a_round_ending_after_the_lock_does_not_reach_the_closed_panel(
        qtbot: QtBot, synced_app: AppController) -> None:
    from ui.sync_status import SyncStatus

    ctl = synced_app
    unlock(qtbot, ctl)
    ctl.open_sync_panel()
    sync, panel = ctl.sync, ctl.sync_panel
    assert sync is not None and panel is not None
    ctl.lock()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)  # the panel's widgets are gone now
    # What a database job finishing after the lock would deliver: it must not touch the deleted widgets
    # (pytest-qt fails the test on an exception raised in a slot).
    sync.status_changed.emit(SyncStatus(logged_in=True))
    sync.busy_changed.emit(False)
    QApplication.processEvents()
    assert ctl.sync_panel is None


def test_failed_sync_says_why_and_keeps_working(qtbot: QtBot, synced_app: AppController, world: World) -> None:  # noqa: F811
    ctl = synced_app
    unlock(qtbot, ctl)
    job = ctl.sync.login("http://platform.test", "alice", PASSWORD)
    qtbot.waitUntil(lambda: job.done and not ctl.sync.busy and ctl.audits.model.rowCount() > 0, timeout=20000)

    class Broken:
        def run_once(self, progress: object = None) -> None:
            from sync.errors import PlatformUnreachable

            raise PlatformUnreachable(url="http://platform.test", detail="connection refused")

    ctl.sync._engine = Broken()  # the network is gone
    ctl.sync.sync_now()
    qtbot.waitUntil(lambda: ctl.sync.last_error is not None, timeout=10000)
    assert ctl.sync.last_error is not None and "platform.test" in ctl.sync.last_error
    assert "offline" in ctl.window.connection_label.text() or "离线" in ctl.window.connection_label.text()
    assert ctl.sync.timer.isActive()  # it will try again later
    assert ctl.audits is not None and ctl.audits.model.rowCount() > 0


@pytest.mark.parametrize("language", ("zh_CN", "en"))
def test_sync_panel_screenshot(qtbot: QtBot, synced_app: AppController, world: World, language: str) -> None:  # noqa: F811
    from tests.ui.layout_checks import glyph_problems
    from tests.ui.test_screenshots import capture

    ctl = synced_app
    ctl.language.apply(language)
    unlock(qtbot, ctl)
    job = ctl.sync.login("http://platform.test", "alice", PASSWORD)
    qtbot.waitUntil(lambda: job.done and not ctl.sync.busy and ctl.audits.model.rowCount() > 0, timeout=20000)
    problems: list[str] = []
    capture(qtbot, ctl.window, "audit-list-after-sync", language, problems)
    ctl.open_sync_panel()
    panel = ctl.sync_panel
    ctl.sync.sync_now()
    qtbot.waitUntil(lambda: not ctl.sync.busy and bool(panel.view.report.text()), timeout=20000)
    capture(qtbot, panel.view, "sync-panel", language, problems)
    assert glyph_problems(panel.view) == []
    assert problems == []


def test_lead_resolves_a_finding_conflict_side_by_side(qtbot: QtBot, synced_app: AppController, world: World,  # noqa: F811
                                                       devices: Any) -> None:  # noqa: F811
    from app.domain import Finding
    from sync import state
    from tests.factories import make_finding
    from tests.sync.helpers import edit

    ctl = synced_app
    unlock(qtbot, ctl)
    job = ctl.sync.login("http://platform.test", "lead", PASSWORD)
    qtbot.waitUntil(lambda: job.done and not ctl.sync.busy and ctl.audits.model.rowCount() > 0, timeout=20000)
    alice, bob = devices("alice"), devices("bob")
    finding = make_finding(world.audit_a)
    edit(alice, lambda uow: uow.create(finding))
    alice.sync()
    bob.sync()
    edit(alice, lambda uow: uow.update(Finding, finding.id, {"statement": "甲的描述"}))
    edit(bob, lambda uow: uow.update(Finding, finding.id, {"statement": "乙的描述"}))
    alice.sync()
    assert bob.sync().conflicts == 1

    ctl.open_sync_panel()
    panel = ctl.sync_panel
    ctl.sync.sync_now()
    qtbot.waitUntil(lambda: not ctl.sync.busy and len(ctl.sync.status.conflicts) == 1, timeout=20000)
    panel.view.conflicts.setCurrentRow(0)
    table = panel.view.conflict.table
    qtbot.waitUntil(lambda: table.rowCount() == 1 and table.cellWidget(0, 2) is not None, timeout=5000)
    assert table.cellWidget(0, 1).text() == "甲的描述" and table.cellWidget(0, 2).text() == "乙的描述"
    table.cellWidget(0, 2).click()  # keep bob's wording
    assert not table.cellWidget(0, 1).isChecked()
    problems: list[str] = []
    from tests.ui.test_screenshots import capture
    capture(qtbot, panel.view, "sync-panel-conflict", "zh_CN", problems)
    panel.view.conflict.merge.click()
    qtbot.waitUntil(lambda: ctl.sync.status.conflicts == [] and ctl.sync.status.pending == 1, timeout=10000)
    ctl.sync.sync_now()
    qtbot.waitUntil(lambda: not ctl.sync.busy and ctl.sync.status.pending == 0, timeout=20000)
    alice.sync()
    assert alice.store.findings.get(finding.id).statement == "乙的描述"
    assert state.open_conflicts(alice.store, world.audit_a) == []
