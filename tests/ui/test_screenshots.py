# mypy: disable-error-code="union-attr, no-untyped-call"
"""Every main screen in both languages at 1366x768: saved as PNG, no missing glyphs, nothing cut off."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import pytest
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from app.domain import Audit
from tests.ui.conftest import open_first_audit, unlock
from tests.ui.layout_checks import cut_off_problems, glyph_problems
from ui.app_controller import AppController
from ui.fonts import SAMPLE, TOFU
from ui.settings_dialog import SettingsController
from ui.widgets import AutoSaveLine

OUT = Path(__file__).resolve().parents[2] / "test-output" / "screenshots"
LANGUAGES = ("zh_CN", "en")


def capture(qtbot: QtBot, widget: QWidget, name: str, language: str, problems: list[str]) -> None:
    qtbot.wait(80)  # let queued layout and paint events run
    OUT.mkdir(parents=True, exist_ok=True)
    assert widget.grab().save(str(OUT / f"{name}-{language}.png"))
    problems.extend(f"{name}: {p}" for p in glyph_problems(widget) + cut_off_problems(widget))


def test_cjk_text_is_not_rendered_as_boxes(app: QApplication) -> None:
    from ui.fonts import _render, missing_glyphs

    # Same width as the fallback box is not enough to tell: compare the drawn pixels too.
    assert _render(SAMPLE, app.font()) != _render(TOFU * len(SAMPLE), app.font())
    assert missing_glyphs(SAMPLE, app.font()) == []
    assert missing_glyphs("\ue000", app.font()) == ["\ue000"]  # the check does see boxes


@pytest.mark.parametrize("language", LANGUAGES)
def test_create_profile_screen(qtbot: QtBot, controller: AppController, language: str) -> None:
    controller.language.apply(language)
    problems: list[str] = []
    capture(qtbot, controller.window, "create-profile", language, problems)
    assert problems == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_main_screens(qtbot: QtBot, seeded: Audit, controller: AppController, language: str, tmp_path: Path) -> None:
    controller.language.apply(language)
    window = controller.window
    problems: list[str] = []
    assert window.minimumSizeHint().width() <= 1366 and window.minimumSizeHint().height() <= 768
    capture(qtbot, window, "unlock", language, problems)
    view = controller.unlock_view
    view.passphrase.setText("wrong passphrase")
    controller.unlock.submit()
    qtbot.waitUntil(lambda: view.message.isVisibleTo(view), timeout=10000)
    capture(qtbot, window, "unlock-wrong-passphrase", language, problems)

    unlock(qtbot, controller)
    assert window.size().width() == 1366 and window.size().height() == 768
    capture(qtbot, window, "audit-list", language, problems)

    open_first_audit(qtbot, controller, seeded)
    workspace = controller.workspace.view
    capture(qtbot, window, "checklist", language, problems)
    workspace.tabs.setCurrentWidget(workspace.overview)
    capture(qtbot, window, "overview", language, problems)
    workspace.tabs.setCurrentWidget(workspace.findings)
    workspace.findings.table.selectRow(0)
    capture(qtbot, window, "findings", language, problems)

    workspace.tabs.setCurrentWidget(workspace.checklist)
    controller.workspace.checklist.select(
        next(i.id for i in controller.workspace.checklist.model.items.values() if i.clause == "8.5.1"))
    current = controller.workspace.checklist.current()
    assert current is not None
    controller.workspace.raise_finding(current)
    workspace.findings.clause_refs.setText("ISO 9001 八点五")
    workspace.findings.clause_refs.flush()
    capture(qtbot, window, "finding-draft-with-error", language, problems)

    from tests.ui.test_evidence import photo

    evidence = controller.workspace.evidence
    evidence.import_files([str(photo(tmp_path / f"现场照片-{n}.jpg", colour)) for n, colour in
                           enumerate(("#4a90d9", "#d98b4a", "#6bbf59"))])
    qtbot.waitUntil(lambda: len(evidence.model.rows) == 3, timeout=20000)
    workspace.tabs.setCurrentWidget(workspace.evidence)
    workspace.evidence.grid.setCurrentIndex(evidence.model.index(0))
    qtbot.waitUntil(lambda: evidence.preview is not None and all(r.thumbnail for r in evidence.model.rows),
                    timeout=10000)
    capture(qtbot, window, "evidence", language, problems)

    workspace.tabs.setCurrentWidget(workspace.documents)
    workspace.documents.kind.setCurrentIndex(workspace.documents.kind.findData("report"))
    workspace.documents.language.setCurrentIndex(workspace.documents.language.findData(language))
    controller.workspace.documents.preview()
    qtbot.waitUntil(lambda: controller.workspace.documents.preview_result is not None, timeout=60000)
    qtbot.wait(300)
    capture(qtbot, window, "report-preview", language, problems)

    dialog = SettingsController(window, controller.settings, controller.language)
    dialog.view.show()
    capture(qtbot, dialog.view, "settings", language, problems)
    dialog.view.reject()
    assert problems == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_lead_screens(qtbot: QtBot, seeded: Audit, controller: AppController,
                      language: Literal["zh_CN", "en"]) -> None:
    """The lead auditor's conclusions and the client's locked sign-off screen."""
    from app.settings import Settings

    controller.apply_settings(Settings(user_id="u-wang", language=language))
    window = controller.window
    problems: list[str] = []
    unlock(qtbot, controller)
    open_first_audit(qtbot, controller, seeded)
    workspace = controller.workspace
    view = workspace.view.conclusions
    workspace.view.tabs.setCurrentWidget(view)
    for name, text in (("cb_name", "华夏质量认证中心有限公司"),
                       ("conformity", "质量管理体系和环境管理体系总体符合 ISO 9001:2015 和 ISO 14001:2015 的要求。"),
                       ("effectiveness", "管理体系运行有效，质量目标和环境目标已实现。")):
        field = view.fields[name]
        field.setFocus()
        if isinstance(field, AutoSaveLine):
            field.setText(text)
        else:
            field.setPlainText(text)
        field.flush()
    qtbot.waitUntil(lambda: bool(view.saved.text()), timeout=10000)
    capture(qtbot, window, "conclusions", language, problems)

    workspace.view.signoff.click()
    signoff = controller.signoff.view
    qtbot.waitUntil(lambda: len(signoff.card_list()) == 1 and signoff.card_list()[0].isVisible(), timeout=10000)
    signoff.resize(1366, 768)
    capture(qtbot, signoff, "signoff", language, problems)
    signoff.passphrase.setText("wrong passphrase")
    signoff.leave.click()
    qtbot.waitUntil(lambda: signoff.leave_error.isVisibleTo(signoff), timeout=10000)
    capture(qtbot, signoff, "signoff-wrong-passphrase", language, problems)
    assert problems == []
