# mypy: disable-error-code="union-attr, no-untyped-call"
"""The settings show the suite the platform chose; the client's sign-off signs with the profile's suite."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.domain import Audit, SignatureMethod
from app.services.session import SIGNATURE_SUITE, Session, open_profile
from central.config import SIGNATURE_SUITE_ENV, Settings
from sync import state
from sync.engine import SyncEngine
from tests.central.conftest import FAST_COST as SERVER_COST
from tests.central.conftest import client, world  # noqa: F401
from tests.central.helpers import PASSWORD, Clock
from tests.conftest import FAST_COST, PASSPHRASE
from tests.sync import conftest as sync_fixtures
from tests.ui.conftest import unlock
from tests.ui.test_signoff import draw
from tests.ui.test_signoff_entry import as_lead, open_signoff
from ui.app_controller import AppController
from ui.settings_view import SettingsView

NATIONAL_TEXT = "国密算法：SM2 签名，SM3 摘要（由平台指定）"


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def settings(tmp_path: Path, clock: Clock, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """A platform (SQLite) whose certification body chose the Chinese national suite."""
    monkeypatch.delenv(SIGNATURE_SUITE_ENV, raising=False)
    return Settings(db_url=f"sqlite:///{tmp_path / 'central.sqlite3'}", password_cost=SERVER_COST, now=clock,
                    signature_suite="national")


@pytest.fixture
def connected(app: QApplication, qtbot: QtBot, seeded: Audit, profile_dir: Path, settings_path: Path,
              tmp_path: Path, client: TestClient, world: object) -> Iterator[AppController]:  # noqa: F811
    """The desktop app whose sync engine talks to the in-process platform."""
    transport = sync_fixtures.TestClientTransport(client)
    ctl = AppController(app, profile_dir, settings_path=settings_path, create_cost=FAST_COST,
                        qsettings=QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat),
                        sync_engine_factory=lambda session: SyncEngine(session,
                                                                       transport_factory=lambda _url: transport))
    ctl.start(try_remembered_key=False)
    yield ctl
    ctl.window.close()
    ctl.shutdown()
    ctl.window.deleteLater()


def _settings_suite_text(qtbot: QtBot, controller: AppController) -> str:
    seen: list[str] = []

    def read_and_close() -> None:
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, SettingsView):
            seen.append(dialog.crypto_suite.text())
            dialog.reject()

    QTimer.singleShot(200, read_and_close)
    controller.window.settings_action.trigger()
    qtbot.waitUntil(lambda: bool(seen), timeout=10000)
    return seen[0]


def test_settings_show_the_suite_the_platform_chose(qtbot: QtBot, connected: AppController) -> None:
    unlock(qtbot, connected)
    qtbot.waitUntil(lambda: connected.sync.status is not None, timeout=10000)
    assert _settings_suite_text(qtbot, connected) == "由平台指定（尚未连接）"
    connected.sync.login("http://platform.test", "alice", PASSWORD)
    qtbot.waitUntil(lambda: connected.sync.last_report is not None and not connected.sync.busy
                    and connected.sync.status.signature_suite == "national", timeout=20000)
    assert _settings_suite_text(qtbot, connected) == NATIONAL_TEXT
    connected.language.apply("en")
    assert _settings_suite_text(qtbot, connected) == \
        "Chinese national (SM): SM2 signatures, SM3 hashes (chosen by the platform)"


def test_the_view_names_each_suite(qtbot: QtBot) -> None:
    view = SettingsView()
    qtbot.addWidget(view)
    assert view.crypto_suite.text() == "由平台指定（尚未连接）"
    view.show_signature_suite("international")
    assert view.crypto_suite.text() == "国际算法：Ed25519 签名，SHA-256 摘要（由平台指定）"
    view.show_signature_suite("national")
    assert view.crypto_suite.text() == NATIONAL_TEXT


def _tell_profile(profile_dir: Path, suite: str) -> None:
    """What a sync round with a platform of ``suite`` leaves in the profile (see tests/sync for the round)."""
    session: Session = open_profile(profile_dir, passphrase=PASSPHRASE)
    try:
        with session.store.unit_of_work(state.SYNC_ACTOR, origin="sync") as uow:
            state.set_meta(uow, SIGNATURE_SUITE, suite)
    finally:
        session.close()


@pytest.mark.parametrize("told", [None, "national"])
def test_sign_off_signs_with_the_profiles_suite(qtbot: QtBot, seeded: Audit, profile_dir: Path,
                                                controller: AppController, told: str | None) -> None:
    if told is not None:
        _tell_profile(profile_dir, told)
    as_lead(controller)
    unlock(qtbot, controller)
    view = open_signoff(qtbot, controller, seeded)
    for card in view.card_list():
        card.accept.setChecked(True)
    draw(qtbot, view.pad)
    view.name.setText("陈经理")
    view.sign.click()
    qtbot.waitUntil(lambda: bool(view.status.text()), timeout=20000)
    signatures = controller.session.store.signatures.list(seeded.id)
    device = [s for s in signatures if s.method is SignatureMethod.DEVICE_KEY]
    assert [s.algorithm for s in device] == ["sm2-sm3" if told == "national" else "ed25519"]
