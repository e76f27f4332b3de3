# mypy: disable-error-code="union-attr, no-untyped-call"
"""Plan and report previews rendered in memory, planning errors shown, saving with the recorded hash."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from PySide6.QtPdf import QPdfDocument
from pytestqt.qtbot import QtBot

from app.domain import Audit
from app.services.session import create_profile
from tests.conftest import FAST_COST, PASSPHRASE
from tests.factories import make_audit
from tests.ui.conftest import open_first_audit, unlock
from tests.ui.seed import ME, seed
from ui import documents as production
from ui.app_controller import AppController
from ui.workspace.documents_view import DocumentsView


def pick(view: DocumentsView, complexity: str) -> None:
    """What the auditor's choice in the combo box does (activated, unlike a programmatic change)."""
    index = view.complexity.findData(complexity)
    view.complexity.setCurrentIndex(index)
    view.complexity.activated.emit(index)


def test_preview_and_save_documents(qtbot: QtBot, seeded: Audit, controller: AppController, tmp_path: Path) -> None:
    unlock(qtbot, controller)
    open_first_audit(qtbot, controller, seeded)
    workspace = controller.workspace
    view = workspace.view.documents
    documents = workspace.documents
    workspace.view.tabs.setCurrentWidget(view)

    # The audit records no EMS complexity: the tab takes the audit's (none) until the auditor picks one.
    view.kind.setCurrentIndex(view.kind.findData("plan"))
    assert view.complexity.isVisible() and view.complexity.currentData() == "" and view.chosen_complexity is None
    documents.preview()
    qtbot.waitUntil(lambda: view.error.isVisibleTo(view), timeout=60000)
    assert "复杂程度" in view.error.text()
    pick(view, "medium")

    # The seeded team is too small for the IAF MD 5 time: the plan says so instead of failing silently.
    documents.preview()
    qtbot.waitUntil(lambda: "人日" in view.error.text(), timeout=60000)

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


@pytest.fixture
def seeded_low(profile_dir: Path) -> Audit:
    """The seeded audit with its EMS complexity recorded (before the app opens the profile)."""
    session = create_profile(profile_dir, PASSPHRASE, cost=FAST_COST)
    try:
        audit = seed(session.store)
        with session.store.unit_of_work(actor=ME) as uow:
            uow.update(Audit, audit.id, {"complexity": {"ISO 14001:2015": "low"}})
        return audit
    finally:
        session.close()


def test_complexity_defaults_to_the_audit_and_is_passed_only_when_picked(
        qtbot: QtBot, seeded_low: Audit, controller: AppController) -> None:
    audit = seeded_low
    unlock(qtbot, controller)
    open_first_audit(qtbot, controller, audit)
    workspace = controller.workspace
    view = workspace.view.documents
    documents = workspace.documents
    workspace.view.tabs.setCurrentWidget(view)
    assert view.complexity.isVisible() and view.complexity.isEnabled()
    assert view.complexity.currentData() == "low" and view.chosen_complexity is None

    # Nothing chosen: the plan is built from the category the audit records (no "missing" refusal).
    view.kind.setCurrentIndex(view.kind.findData("plan"))
    documents.preview()
    qtbot.waitUntil(lambda: view.error.isVisibleTo(view), timeout=60000)
    assert "复杂程度" not in view.error.text() and "人日" in view.error.text()

    # A pick overrides the audit's category for this document only.
    pick(view, "high")
    assert view.chosen_complexity == "high"
    session = controller.session
    assert session is not None
    chosen = controller.runner.wait_database(lambda: production.complexities(session, audit.id, "high"))
    assert {str(k): v.value for k, v in chosen.items()} == {"ISO 14001:2015": "high"}
    pick(view, "low")
    workspace.load()  # a reload (after a sync) shows the audit's category again
    qtbot.waitUntil(lambda: view.chosen_complexity is None, timeout=10000)
    assert view.complexity.currentData() == "low"


def test_no_complexity_choice_for_a_quality_only_audit(qtbot: QtBot, app: object) -> None:
    view = DocumentsView()
    qtbot.addWidget(view)
    view.show()
    view.show_audit(make_audit(standards=["ISO 9001:2015", "ISO 45001:2018"], complexity={"ISO 45001:2018": "high"}))
    assert view.complexity.isVisible() and view.complexity.currentData() == "high"
    assert view.complexity.findData("") == -1  # one category recorded for every such standard
    view.show_audit(make_audit())
    assert not view.complexity.isVisible() and not view.complexity.isEnabled()
    assert not view.complexity_label.isVisible() and view.chosen_complexity is None
