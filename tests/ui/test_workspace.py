# mypy: disable-error-code="union-attr, no-untyped-call"
"""Answering by keyboard, notes, raising a finding from an item, errors next to fields."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.domain import Answer, Audit, ChecklistItem, Finding, FindingState, Grade
from app.services.session import open_profile
from tests.conftest import PASSPHRASE
from tests.ui.conftest import open_first_audit, unlock
from ui.app_controller import AppController


def stored_items(ctl: AppController, audit: Audit) -> list[ChecklistItem]:
    store = ctl.session.store
    items: list[ChecklistItem] = ctl.runner.wait_database(lambda: store.checklist.list(audit.id))
    return items


def stored_findings(ctl: AppController, audit: Audit) -> list[Finding]:
    store = ctl.session.store
    findings: list[Finding] = ctl.runner.wait_database(lambda: store.findings.list(audit.id))
    return findings


def test_answer_checklist_item_by_keyboard(qtbot: QtBot, seeded: Audit, controller: AppController) -> None:
    unlock(qtbot, controller)
    open_first_audit(qtbot, controller, seeded)
    checklist = controller.workspace.checklist
    tree = controller.workspace.view.checklist.tree
    unanswered = next(i for i in checklist.model.items.values() if i.answer is None)
    checklist.select(unanswered.id)
    tree.setFocus()
    qtbot.keyClick(tree, Qt.Key.Key_2)  # 2 = minor nonconformity
    qtbot.waitUntil(lambda: checklist.model.items[unanswered.id].answer is Answer.MINOR_NC, timeout=5000)
    saved = {i.id: i for i in stored_items(controller, seeded)}[unanswered.id]
    assert saved.answer is Answer.MINOR_NC and saved.answered_at is not None
    # Keyboard flow: the selection moved on to the next item.
    assert checklist.current_id != unanswered.id
    checklist.select(unanswered.id)
    qtbot.keyClick(tree, Qt.Key.Key_0)
    qtbot.waitUntil(lambda: checklist.model.items[unanswered.id].answer is None, timeout=5000)


def test_notes_save_without_a_save_button_and_survive_a_restart(qtbot: QtBot, seeded: Audit, controller: AppController,
                                                                profile_dir: Path) -> None:
    unlock(qtbot, controller)
    open_first_audit(qtbot, controller, seeded)
    checklist = controller.workspace.checklist
    notes = controller.workspace.view.checklist.notes
    item_id = checklist.current_id
    assert item_id is not None
    notes.setFocus()
    notes.insertPlainText("查阅了校准记录")
    qtbot.waitUntil(lambda: checklist.model.items[item_id].notes == "查阅了校准记录", timeout=5000)
    cursor = notes.textCursor()
    cursor.movePosition(cursor.MoveOperation.Start)
    cursor.insertText("现场")
    # Undo works in the field after a save; what is shown when the app closes is what is stored.
    notes.undo()
    assert notes.toPlainText() == "查阅了校准记录"
    notes.redo()
    shown = notes.toPlainText()
    assert shown == "现场查阅了校准记录"
    controller.shutdown()
    with open_profile(profile_dir, passphrase=PASSPHRASE) as session:
        assert session.store.checklist.get(item_id).notes == shown


def test_raise_finding_from_item_prefills_clause(qtbot: QtBot, seeded: Audit, controller: AppController) -> None:
    unlock(qtbot, controller)
    open_first_audit(qtbot, controller, seeded)
    workspace = controller.workspace
    checklist = workspace.checklist
    item = next(i for i in checklist.model.items.values() if i.clause == "8.5.1")
    checklist.select(item.id)
    tree = workspace.view.checklist.tree
    tree.setFocus()
    qtbot.keyClick(tree, Qt.Key.Key_3)  # major NC, then the selection moves on
    qtbot.waitUntil(lambda: checklist.model.items[item.id].answer is Answer.MAJOR_NC, timeout=5000)
    checklist.select(item.id)
    qtbot.keyClick(tree, Qt.Key.Key_F)
    view = workspace.view.findings
    assert workspace.view.tabs.currentWidget() is view
    assert view.clause_refs.text() == "ISO 9001:2015 8.5.1"
    assert view.grade.currentData() == Grade.MAJOR_NC.value
    assert view.requirement.toPlainText() == item.question
    before = len(stored_findings(controller, seeded))
    view.statement.setFocus()
    view.statement.insertPlainText("生产现场未按作业指导书控制扭矩。")
    view.statement.flush()
    qtbot.waitUntil(lambda: len(workspace.findings.model.findings) == before + 1, timeout=5000)
    created = [f for f in stored_findings(controller, seeded) if f.checklist_item_id == item.id]
    assert len(created) == 1
    assert created[0].clause_refs[0].clause == "8.5.1" and created[0].grade is Grade.MAJOR_NC
    # Later edits patch the stored finding.
    view.state.setCurrentIndex(view.state.findData(FindingState.ACKNOWLEDGED.value))
    qtbot.waitUntil(lambda: workspace.findings.model.findings[-1].state is FindingState.ACKNOWLEDGED, timeout=5000)


def test_validation_errors_appear_next_to_the_field(qtbot: QtBot, seeded: Audit, controller: AppController) -> None:
    unlock(qtbot, controller)
    open_first_audit(qtbot, controller, seeded)
    workspace = controller.workspace
    workspace.view.tabs.setCurrentWidget(workspace.view.findings)
    findings = workspace.findings
    view = workspace.view.findings
    view.table.selectRow(0)
    qtbot.waitUntil(lambda: findings.current_id is not None, timeout=5000)
    view.clause_refs.setFocus()
    view.clause_refs.setText("ISO 9001:2015 七点一")
    view.clause_refs.flush()
    error = view.errors["clause_refs"]
    qtbot.waitUntil(lambda: error.isVisibleTo(view), timeout=5000)
    assert "七点一" in error.text()
    assert stored_findings(controller, seeded)[0].clause_refs[0].clause == "7.1.5"
    # The statement may not be emptied: the reason shows under the statement, nothing is saved.
    view.statement.setFocus()
    view.statement.selectAll()
    qtbot.keyClick(view.statement, Qt.Key.Key_Delete)
    view.statement.flush()
    qtbot.waitUntil(lambda: view.errors["statement"].isVisibleTo(view), timeout=5000)
    assert stored_findings(controller, seeded)[0].statement


def test_create_checklist_from_the_clause_catalogue(qtbot: QtBot, seeded: Audit, controller: AppController) -> None:
    unlock(qtbot, controller)
    bare = next(row for row in controller.audits.model.rows if row.items == 0)
    controller.open_audit(bare.id)
    qtbot.waitUntil(lambda: controller.workspace is not None and controller.workspace.checklist is not None,
                    timeout=10000)
    view = controller.workspace.view.checklist
    controller.workspace.view.tabs.setCurrentWidget(view)
    qtbot.waitUntil(lambda: view.create_checklist.isVisible(), timeout=5000)
    view.create_checklist.click()
    checklist = controller.workspace.checklist
    qtbot.waitUntil(lambda: len(checklist.model.items) > 10, timeout=10000)
    assert checklist.current_id is not None and not view.create_checklist.isVisible()
    assert controller.workspace.audit is not None
    assert len(stored_items(controller, controller.workspace.audit)) == len(checklist.model.items)
