# mypy: disable-error-code="union-attr, no-untyped-call"
"""Plan and report previews rendered in memory, planning errors shown, saving with the recorded hash."""

from __future__ import annotations

import hashlib
from pathlib import Path

from PySide6.QtPdf import QPdfDocument
from pytestqt.qtbot import QtBot

from app.domain import Audit
from tests.ui.conftest import open_first_audit, unlock
from ui.app_controller import AppController


def test_preview_and_save_documents(qtbot: QtBot, seeded: Audit, controller: AppController, tmp_path: Path) -> None:
    unlock(qtbot, controller)
    open_first_audit(qtbot, controller, seeded)
    workspace = controller.workspace
    view = workspace.view.documents
    documents = workspace.documents
    workspace.view.tabs.setCurrentWidget(view)

    # The seeded team is too small for the IAF MD 5 time: the plan says so instead of failing silently.
    view.kind.setCurrentIndex(view.kind.findData("plan"))
    documents.preview()
    qtbot.waitUntil(lambda: view.error.isVisibleTo(view), timeout=60000)
    assert "人日" in view.error.text()

    view.kind.setCurrentIndex(view.kind.findData("report"))
    documents.preview()
    qtbot.waitUntil(lambda: view.document.status() == QPdfDocument.Status.Ready, timeout=60000)
    assert view.document.pageCount() >= 1
    assert documents.preview_result is not None and documents.preview_result.notes
    assert view.gaps.count() == len(documents.preview_result.notes)

    documents.save(tmp_path / "report.pdf", "report", "pdf")  # final: refused, every gap listed
    qtbot.waitUntil(lambda: view.error.isVisibleTo(view) and "缺少" in view.error.text(), timeout=60000)
    assert not (tmp_path / "report.pdf").exists()
    view.draft.setChecked(True)
    documents.save(tmp_path / "report-draft.pdf", "report", "pdf")
    qtbot.waitUntil(lambda: view.produced.count() == 1, timeout=60000)
    digest = hashlib.sha256((tmp_path / "report-draft.pdf").read_bytes()).hexdigest()
    assert digest[:16] in view.produced.item(0).text()
