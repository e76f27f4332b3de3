# mypy: disable-error-code="union-attr, no-untyped-call"
"""The audit list sorts by the column clicked, Chinese names in the locale's (pinyin) order."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.domain import Audit
from tests.ui.conftest import unlock
from ui.app_controller import AppController
from ui.audit_list_model import ROW_ROLE, Column


def shown_clients(controller: AppController) -> list[str]:
    proxy = controller.audits.proxy
    return [proxy.index(row, 0).data(ROW_ROLE).client for row in range(proxy.rowCount())]


def test_sorting_by_columns(qtbot: QtBot, seeded: Audit, controller: AppController) -> None:
    unlock(qtbot, controller)
    rows = controller.audits.model.rows
    newest_first = [r.client for r in sorted(rows, key=lambda r: r.start, reverse=True)]
    assert shown_clients(controller) == newest_first  # the default: latest audit on top

    table = controller.audits.view.table
    table.sortByColumn(Column.CLIENT, Qt.SortOrder.AscendingOrder)
    assert shown_clients(controller) == ["福州闽江精密机械有限公司", "宁德新能源电池有限公司", "莆田鞋业制造有限公司",
                                         "泉州南安石材股份有限公司", "厦门海湾食品有限公司"]
    table.sortByColumn(Column.DATES, Qt.SortOrder.AscendingOrder)
    assert shown_clients(controller) == newest_first[::-1]
