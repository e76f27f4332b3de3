# mypy: disable-error-code="union-attr, no-untyped-call"
"""Attaching evidence (button, drop on a checklist item), lazy thumbnails, preview, annotation."""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw
from pytestqt.qtbot import QtBot

from app.domain import Audit
from tests.ui.conftest import open_first_audit, unlock
from ui.app_controller import AppController


def photo(path: Path, colour: str = "#4a90d9", size: tuple[int, int] = (1600, 1200)) -> Path:
    image = Image.new("RGB", size, colour)
    draw = ImageDraw.Draw(image)
    draw.rectangle((400, 300, 1200, 900), outline="#ffffff", width=30)
    image.save(path, "JPEG", quality=85)
    return path


def test_attach_preview_and_annotate(qtbot: QtBot, seeded: Audit, controller: AppController, tmp_path: Path) -> None:
    unlock(qtbot, controller)
    open_first_audit(qtbot, controller, seeded)
    workspace = controller.workspace
    evidence = workspace.evidence
    qtbot.waitUntil(lambda: controller.runner.active_jobs == 0, timeout=10000)
    workspace.view.tabs.setCurrentWidget(workspace.view.evidence)

    evidence.import_files([str(photo(tmp_path / "卡尺.jpg")), str(tmp_path / "missing.jpg")])
    qtbot.waitUntil(lambda: len(evidence.model.rows) == 1, timeout=20000)
    qtbot.waitUntil(lambda: evidence.model.rows[0].thumbnail is not None, timeout=10000)
    # The file that does not exist is named, with the reason, in a non-blocking message.
    qtbot.waitUntil(lambda: evidence.failure_box is not None and evidence.failure_box.isVisible(), timeout=5000)
    assert "missing.jpg" in evidence.failure_box.text()
    evidence.failure_box.close()

    # Dropping on the selected checklist item attaches the file to that item.
    item_id = workspace.checklist.current_id
    workspace._attach_to_item([str(photo(tmp_path / "记录.jpg", "#d98b4a"))])
    qtbot.waitUntil(lambda: len(evidence.model.rows) == 2, timeout=20000)
    attached = evidence.model.rows[1].evidence
    assert attached.checklist_item_id == item_id

    view = workspace.view.evidence
    view.grid.setCurrentIndex(evidence.model.index(0))
    qtbot.waitUntil(lambda: evidence.preview is not None, timeout=10000)
    assert evidence.preview_source_width == 1600
    assert view.meta_values["sha256"].text() == evidence.model.rows[0].evidence.sha256

    original = evidence.model.rows[0].evidence
    evidence.save_annotation(original.id, {"shapes": [{"kind": "rectangle", "box": (100, 100, 800, 600)},
                                                      {"kind": "text", "position": (120, 640), "text": "已过期"}]})
    qtbot.waitUntil(lambda: len(evidence.model.rows) == 3, timeout=20000)
    copy = evidence.model.rows[2].evidence
    assert copy.derived_from == original.id and copy.sha256 != original.sha256


def test_photo_dropped_on_a_finding_is_linked_to_it(qtbot: QtBot, seeded: Audit, controller: AppController,
                                                    tmp_path: Path) -> None:
    unlock(qtbot, controller)
    open_first_audit(qtbot, controller, seeded)
    workspace = controller.workspace
    qtbot.waitUntil(lambda: controller.runner.active_jobs == 0, timeout=10000)
    workspace.view.tabs.setCurrentWidget(workspace.view.findings)
    workspace.view.findings.table.selectRow(0)
    finding_id = workspace.findings.current_id
    assert finding_id is not None
    assert "None yet" in workspace.view.findings.linked.text() or "暂无" in workspace.view.findings.linked.text()
    workspace._attach_to_finding([str(photo(tmp_path / "卡尺标签.jpg"))])
    qtbot.waitUntil(lambda: "卡尺标签.jpg" in workspace.view.findings.linked.text(), timeout=20000)
    assert workspace.evidence.model.rows[-1].evidence.finding_id == finding_id
