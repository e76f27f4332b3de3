# mypy: disable-error-code="union-attr, no-untyped-call"
"""UI test fixtures: a seeded real profile and the real app controller, headless."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from app import settings as settings_store
from app.domain import Audit
from app.services.session import create_profile
from app.settings import Settings
from tests.conftest import FAST_COST, PASSPHRASE
from tests.ui.seed import ME, seed
from ui.app import create_application
from ui.app_controller import AppController


@pytest.fixture
def app(qapp: QApplication) -> QApplication:
    return create_application()


@pytest.fixture
def seeded(profile_dir: Path) -> Audit:
    session = create_profile(profile_dir, PASSPHRASE, cost=FAST_COST)
    try:
        return seed(session.store)
    finally:
        session.close()


@pytest.fixture
def settings_path(tmp_path: Path) -> Path:
    path = tmp_path / "config" / "settings.toml"
    settings_store.save(Settings(user_id=ME), path)
    return path


@pytest.fixture
def controller(app: QApplication, qtbot: object, profile_dir: Path, settings_path: Path,
               tmp_path: Path) -> Iterator[AppController]:
    qsettings = QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)
    ctl = AppController(app, profile_dir, settings_path=settings_path, create_cost=FAST_COST,
                        qsettings=qsettings)
    ctl.start(try_remembered_key=False)
    ctl.window.resize(1366, 768)
    yield ctl
    ctl.window.close()
    ctl.shutdown()
    ctl.window.deleteLater()


def unlock(qtbot: object, ctl: AppController, passphrase: str = PASSPHRASE) -> None:
    ctl.unlock_view.passphrase.setText(passphrase)
    ctl.unlock.submit()
    # Sync starts just after the list is on screen.
    qtbot.waitUntil(lambda: ctl.audits is not None and ctl.audits.snapshot is not None  # type: ignore[attr-defined]
                    and ctl.sync is not None, timeout=10000)


def open_first_audit(qtbot: object, ctl: AppController, audit: Audit) -> None:
    ctl.open_audit(audit.id)
    qtbot.waitUntil(lambda: ctl.workspace is not None and ctl.workspace.checklist is not None  # type: ignore[attr-defined]
                    and ctl.workspace.checklist.current_id is not None, timeout=10000)
