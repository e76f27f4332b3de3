# mypy: disable-error-code="union-attr, no-untyped-call"
"""The lead auditor's report conclusions: saved field by field, refused next to the field, used by the report."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtPdf import QPdfDocument
from pytestqt.qtbot import QtBot

from app.domain import Audit
from app.domain.audit import Recommendation
from app.settings import Settings
from tests.ui.conftest import open_first_audit, unlock
from ui.app_controller import AppController
from ui.widgets import AutoSaveLine, AutoSaveText

LEAD = "u-wang"
CB = "华夏质量认证中心有限公司"


def on_db(qtbot: QtBot, controller: AppController, work: Callable[[], Any]) -> Any:
    job = controller.runner.database(lambda _progress: work())
    qtbot.waitUntil(lambda: job.done, timeout=10000)
    assert job.error is None, job.error
    return job.result


def stored(qtbot: QtBot, controller: AppController, audit_id: str) -> Audit:
    store = controller.session.store
    return on_db(qtbot, controller, lambda: store.audits.get(audit_id))  # type: ignore[no-any-return]


def pdf_text(document: QPdfDocument) -> str:
    return "\n".join(document.getAllText(page).text() for page in range(document.pageCount()))


def test_lead_writes_conclusions_the_report_uses(qtbot: QtBot, seeded: Audit, controller: AppController) -> None:
    controller.apply_settings(Settings(user_id=LEAD))
    unlock(qtbot, controller)
    open_first_audit(qtbot, controller, seeded)
    workspace = controller.workspace
    view = workspace.view.conclusions
    workspace.view.tabs.setCurrentWidget(view)
    cb_name, conformity = view.fields["cb_name"], view.fields["conformity"]
    assert isinstance(cb_name, AutoSaveLine) and isinstance(conformity, AutoSaveText)
    assert not cb_name.isReadOnly() and view.combo("recommendation").isEnabled()
    assert "组长" in view.hint.text() and "标准表述" in view.fields["sampling"].placeholderText()

    # The report without conclusions lists the recommendation as missing.
    documents = workspace.documents
    workspace.view.documents.kind.setCurrentIndex(workspace.view.documents.kind.findData("report"))
    documents.preview()
    qtbot.waitUntil(lambda: documents.preview_result is not None, timeout=60000)
    before = list(documents.preview_result.notes)
    assert any("推荐" in note for note in before)

    # Too long: refused under the field, nothing written.
    qtbot.keyClicks(cb_name, "A" * 201)
    cb_name.flush()
    assert view.errors["cb_name"].isVisibleTo(view) and "200" in view.errors["cb_name"].text()
    assert stored(qtbot, controller, seeded.id).conclusions is None

    # Each field saves on its own; a choice saves on selection.
    cb_name.clear()
    cb_name.setText(CB)  # (QTest types Latin-1 only)
    cb_name.flush()
    assert not view.errors["cb_name"].isVisibleTo(view)
    conformity.setFocus()
    conformity.setPlainText("管理体系总体符合审核准则。")
    conformity.flush()
    combo = view.combo("recommendation")
    combo.setCurrentIndex(combo.findData(Recommendation.AFTER_ACTIONS.value))
    assert "纠正措施" in combo.currentText()  # the wording fits a stage 2 audit
    view.combo("objectives_fulfilled").setCurrentIndex(view.combo("objectives_fulfilled").findData(True))
    given = stored(qtbot, controller, seeded.id).conclusions  # read after the queued saves, on the same thread
    assert given.recommendation is Recommendation.AFTER_ACTIONS and given.cb_name == CB
    assert given.conformity == "管理体系总体符合审核准则。"
    assert given.objectives_fulfilled is True and view.saved.text()

    # Reopening the audit shows what was stored; the preview now uses it.
    controller.show_audits()
    open_first_audit(qtbot, controller, seeded)
    view = controller.workspace.view.conclusions
    assert view.fields["cb_name"].text() == CB
    assert view.combo("recommendation").currentData() == Recommendation.AFTER_ACTIONS.value
    documents = controller.workspace.documents
    controller.workspace.view.documents.kind.setCurrentIndex(
        controller.workspace.view.documents.kind.findData("report"))
    documents.preview()
    qtbot.waitUntil(lambda: documents.preview_result is not None
                    and controller.workspace.view.documents.document.status() == QPdfDocument.Status.Ready,
                    timeout=60000)
    after = documents.preview_result.notes
    assert len(after) < len(before) and not any("推荐" in note for note in after)
    text = pdf_text(controller.workspace.view.documents.document)
    assert CB in text.replace("\n", "") and "管理体系总体符合审核准则" in text.replace("\n", "")


def test_other_team_members_read_conclusions_only(qtbot: QtBot, seeded: Audit, controller: AppController) -> None:
    unlock(qtbot, controller)  # "me" is an auditor, not the lead
    open_first_audit(qtbot, controller, seeded)
    view = controller.workspace.view.conclusions
    assert "王审核" in view.hint.text()
    for name, widget in view.fields.items():
        if isinstance(widget, (AutoSaveLine, AutoSaveText)):
            assert widget.isReadOnly(), name
        else:
            assert not widget.isEnabled(), name
    controller.workspace.conclusions.commit("cb_name", "不应保存")
    assert stored(qtbot, controller, seeded.id).conclusions is None


@pytest.mark.slow
def test_export_plan_and_report_in_every_format(qtbot: QtBot, seeded: Audit, controller: AppController,
                                                tmp_path: Path) -> None:
    unlock(qtbot, controller)
    store = controller.session.store

    def smaller() -> None:  # a team of two can audit 16 people in four days (IAF MD 5)
        with store.unit_of_work("u-wang") as uow:
            sites = [{**site.model_dump(mode="json"), "personnel": 8} for site in seeded.sites]
            # The plan takes the EMS complexity recorded on the audit (the tab's choice is left alone).
            uow.update(Audit, seeded.id, {"effective_personnel": 16, "sites": sites, "start_date": "2026-11-17",
                                          "end_date": "2026-11-20", "complexity": {"ISO 14001:2015": "medium"}})

    on_db(qtbot, controller, smaller)
    open_first_audit(qtbot, controller, seeded)
    documents = controller.workspace.documents
    view = controller.workspace.view.documents
    view.draft.setChecked(True)
    wanted = [("plan", fmt) for fmt in ("docx", "pdf")] + [("report", fmt) for fmt in ("docx", "pdf", "ofd")]
    count = 0
    for language in ("zh_CN", "en"):
        view.language.setCurrentIndex(view.language.findData(language))
        for kind, fmt in wanted:
            out = tmp_path / f"{kind}-{language}.{fmt}"
            documents.save(out, kind, fmt)
            count += 1

            def produced(n: int = count) -> bool:
                return view.produced.count() == n

            qtbot.waitUntil(produced, timeout=60000)
            assert not view.error.isVisibleTo(view), view.error.text()
            digest = hashlib.sha256(out.read_bytes()).hexdigest()
            assert digest[:16] in view.produced.item(0).text() and fmt.upper() in view.produced.item(0).text()
    assert out.read_bytes()[:2] == b"PK"  # OFD is a zip package
