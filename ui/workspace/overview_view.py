"""The overview page: client (codes with their decoded names), sites, scope, team, dates."""

from __future__ import annotations

from PySide6.QtCore import QDate, QLocale, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QFrame,
    QGridLayout,
    QHeaderView,
    QLabel,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.domain import Audit
from app.domain.audit import AUDIT_STATUS_LABELS, AUDIT_TYPE_LABELS, TEAM_ROLE_LABELS
from app.i18n import _
from ui.widgets import Heading
from ui.workspace import refnames


def _date(value: object) -> str:
    from datetime import date

    assert isinstance(value, date)
    return QLocale().toString(QDate(value.year, value.month, value.day), QLocale.FormatType.LongFormat)


def _code(code: str, name: str | None) -> str:
    return f"{code}  {name}" if name else code


class _Card(QFrame):
    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("card")
        self.title = Heading(level=2)
        self.form = QFormLayout()
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        self.form.setHorizontalSpacing(16)
        self.form.setVerticalSpacing(6)
        layout = QVBoxLayout(self)
        self.box = layout
        layout.setContentsMargins(18, 14, 18, 14)
        layout.addWidget(self.title)
        layout.addLayout(self.form)
        layout.addStretch(1)

    def set_rows(self, rows: list[tuple[str, str]]) -> None:
        while self.form.rowCount():
            self.form.removeRow(0)
        for label, value in rows:
            text = QLabel(value or "—")
            text.setWordWrap(True)
            text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.form.addRow(QLabel(label), text)


class OverviewView(QScrollArea):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("overviewView")
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.client = _Card()
        self.audit_card = _Card()
        self.sites = _Card()
        self.team_card = _Card()
        self.team = QTableWidget(0, 3)
        self.team.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.team.verticalHeader().hide()
        self.team.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.team.horizontalHeader().setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.team.setShowGrid(False)
        self.team.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.team_card.box.insertWidget(2, self.team)
        body = QWidget()
        grid = QGridLayout(body)
        grid.setContentsMargins(12, 12, 12, 12)
        grid.setSpacing(12)
        grid.addWidget(self.client, 0, 0)
        grid.addWidget(self.audit_card, 0, 1)
        grid.addWidget(self.sites, 1, 0)
        grid.addWidget(self.team_card, 1, 1)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        grid.setRowStretch(2, 1)
        self.setWidget(body)

    def show_audit(self, audit: Audit, user_id: str) -> None:
        c = audit.client
        self.client.title.setText(_("Client organisation"))
        self.client.set_rows([
            (_("Name"), c.name),
            (_("Unified social credit code"), c.uscc),
            (_("Address"), c.address),
            (_("Region"), _code(c.region_code, refnames.region_name(c.region_code))),
            (_("Industry"), _code(c.industry_code, refnames.industry_name(c.industry_code))),
            (_("Representative"), c.representative),
        ])
        self.audit_card.title.setText(_("Audit"))
        dates = _date(audit.start_date) if audit.start_date == audit.end_date else \
            f"{_date(audit.start_date)} – {_date(audit.end_date)}"
        codes = "\n".join(_code(code, refnames.scope_name(code)) for code in audit.scope_codes)
        self.audit_card.set_rows([
            (_("Title"), audit.title),
            (_("Standards"), "\n".join(str(s) for s in audit.standards)),
            (_("Audit type"), _(AUDIT_TYPE_LABELS[audit.audit_type])),
            (_("Dates"), dates),
            (_("Status"), _(AUDIT_STATUS_LABELS[audit.status])),
            (_("Effective personnel"), QLocale().toString(audit.effective_personnel)),
            (_("Scope"), audit.scope),
            (_("Scope codes"), codes),
        ])
        self.sites.title.setText(_("Sites"))
        site_rows = []
        for site in audit.sites:
            details = [site.address] if site.address else []
            if site.personnel:
                details.append(_("{count} people").format(count=QLocale().toString(site.personnel)))
            if site.processes:
                details.append("、".join(site.processes) if QLocale().language() == QLocale.Language.Chinese
                               else ", ".join(site.processes))
            site_rows.append((site.name, "\n".join(details)))
        self.sites.set_rows(site_rows or [(_("Sites"), _("No sites recorded"))])
        self.team_card.title.setText(_("Audit team"))
        self.team.setHorizontalHeaderLabels([_("Name"), _("Role"), _("Competence codes")])
        self.team.setRowCount(len(audit.team))
        for row, member in enumerate(audit.team):
            name = _("{name} (me)").format(name=member.name) if user_id and member.user_id == user_id \
                else member.name
            for column, text in enumerate((name, _(TEAM_ROLE_LABELS[member.role]),
                                           ", ".join(member.competence_codes))):
                self.team.setItem(row, column, QTableWidgetItem(text))
        self.team.setFixedHeight(self.team.horizontalHeader().height() + 30 * max(1, len(audit.team)) + 4)
