"""Layout of one audit's workspace: a header and one tab per activity."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QPushButton, QTabWidget, QVBoxLayout, QWidget

from app.i18n import _
from ui.widgets import Heading, MutedLabel
from ui.workspace.checklist_view import ChecklistView
from ui.workspace.documents_view import DocumentsView
from ui.workspace.evidence_view import EvidenceView
from ui.workspace.findings_view import FindingsView
from ui.workspace.overview_view import OverviewView


class WorkspaceView(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("workspaceView")
        self.back = QPushButton()
        self.title = Heading(level=2)
        self.subtitle = MutedLabel()
        self.pending = MutedLabel()
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(False)
        self.overview = OverviewView()
        self.checklist = ChecklistView()
        self.findings = FindingsView()
        self.evidence = EvidenceView()
        self.documents = DocumentsView()
        self.tabs.addTab(self.overview, "")
        self.tabs.addTab(self.checklist, "")
        self.tabs.addTab(self.findings, "")
        self.tabs.addTab(self.evidence, "")
        self.tabs.addTab(self.documents, "")

        header = QHBoxLayout()
        header.addWidget(self.back)
        header.addSpacing(12)
        titles = QVBoxLayout()
        titles.setSpacing(0)
        titles.addWidget(self.title)
        titles.addWidget(self.subtitle)
        header.addLayout(titles, 1)
        header.addWidget(self.pending)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 8)
        layout.setSpacing(8)
        layout.addLayout(header)
        layout.addWidget(self.tabs, 1)
        self.retranslate()

    def retranslate(self) -> None:
        self.back.setText("← " + _("Audits"))
        self.back.setToolTip(_("Back to the audit list (Alt+Left)"))
        self.tabs.setTabText(self.tabs.indexOf(self.overview), _("Overview"))
        self.tabs.setTabText(self.tabs.indexOf(self.checklist), _("Checklist"))
        self.tabs.setTabText(self.tabs.indexOf(self.findings), _("Findings"))
        self.tabs.setTabText(self.tabs.indexOf(self.evidence), _("Evidence"))
        self.tabs.setTabText(self.tabs.indexOf(self.documents), _("Plan and report"))
