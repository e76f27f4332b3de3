"""Layout of one audit's workspace: a header and one tab per activity.

The conclusions and documents tabs are built the first time they are shown (or asked for): the
PDF viewer and the twenty conclusion fields made opening an audit visibly slower, and most visits
to an audit never open them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, cast

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QTabWidget, QVBoxLayout, QWidget

from app.i18n import _
from ui.signals import emit
from ui.widgets import Heading, MutedLabel
from ui.workspace.checklist_view import ChecklistView
from ui.workspace.evidence_view import EvidenceView
from ui.workspace.findings_view import FindingsView
from ui.workspace.overview_view import OverviewView

if TYPE_CHECKING:
    from ui.workspace.conclusions_view import ConclusionsView
    from ui.workspace.documents_view import DocumentsView

LAZY_PAGES = ("conclusions", "documents")


def _conclusions_view() -> QWidget:
    from ui.workspace.conclusions_view import ConclusionsView

    return ConclusionsView()


def _documents_view() -> QWidget:
    from ui.workspace.documents_view import DocumentsView

    return DocumentsView()


_FACTORIES: dict[str, Callable[[], QWidget]] = {"conclusions": _conclusions_view, "documents": _documents_view}


class WorkspaceView(QWidget):
    page_built = Signal(str)  # the name of a tab built on first use

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("workspaceView")
        self.back = QPushButton()
        self.title = Heading(level=2)
        self.subtitle = MutedLabel()
        self.pending = MutedLabel()
        self.signoff = QPushButton()
        self.signoff.setObjectName("signOffButton")
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(False)
        self.overview = OverviewView()
        self.checklist = ChecklistView()
        self.findings = FindingsView()
        self.evidence = EvidenceView()
        self._built: dict[str, QWidget] = {}
        self._placeholders = {name: QWidget() for name in LAZY_PAGES}
        self.tabs.addTab(self.overview, "")
        self.tabs.addTab(self.checklist, "")
        self.tabs.addTab(self.findings, "")
        self.tabs.addTab(self.evidence, "")
        for name in LAZY_PAGES:
            self.tabs.addTab(self._placeholders[name], "")
        self.tabs.currentChanged.connect(self._tab_changed)

        header = QHBoxLayout()
        header.addWidget(self.back)
        header.addSpacing(12)
        titles = QVBoxLayout()
        titles.setSpacing(0)
        titles.addWidget(self.title)
        titles.addWidget(self.subtitle)
        header.addLayout(titles, 1)
        header.addWidget(self.pending)
        header.addSpacing(12)
        header.addWidget(self.signoff)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 8)
        layout.setSpacing(8)
        layout.addLayout(header)
        layout.addWidget(self.tabs, 1)
        self.retranslate()

    # -- tabs built on first use ------------------------------------------------------------
    @property
    def conclusions(self) -> ConclusionsView:
        return cast("ConclusionsView", self._page("conclusions"))

    @property
    def documents(self) -> DocumentsView:
        return cast("DocumentsView", self._page("documents"))

    def built_pages(self) -> list[str]:
        return list(self._built)

    def _page(self, name: str) -> QWidget:
        page = self._built.get(name)
        if page is not None:
            return page
        page = self._built[name] = _FACTORIES[name]()
        placeholder = self._placeholders.pop(name)
        index = self.tabs.indexOf(placeholder)
        was_current = self.tabs.currentIndex() == index
        self.tabs.blockSignals(True)
        self.tabs.removeTab(index)
        self.tabs.insertTab(index, page, "")
        if was_current:
            self.tabs.setCurrentIndex(index)
        self.tabs.blockSignals(False)
        placeholder.deleteLater()
        self.retranslate()
        emit(self.page_built, name)
        return page

    def _tab_changed(self, index: int) -> None:
        widget = self.tabs.widget(index)
        for name, placeholder in list(self._placeholders.items()):
            if widget is placeholder:
                self._page(name)

    def _tab(self, name: str) -> QWidget:
        return self._built.get(name) or self._placeholders[name]

    def retranslate(self) -> None:
        self.back.setText("← " + _("Audits"))
        self.back.setToolTip(_("Back to the audit list (Alt+Left)"))
        self.tabs.setTabText(self.tabs.indexOf(self.overview), _("Overview"))
        self.tabs.setTabText(self.tabs.indexOf(self.checklist), _("Checklist"))
        self.tabs.setTabText(self.tabs.indexOf(self.findings), _("Findings"))
        self.tabs.setTabText(self.tabs.indexOf(self.evidence), _("Evidence"))
        self.tabs.setTabText(self.tabs.indexOf(self._tab("conclusions")), _("Conclusions"))
        self.tabs.setTabText(self.tabs.indexOf(self._tab("documents")), _("Plan and report"))
        self.signoff.setText(_("Client sign-off…"))
        self.signoff.setToolTip(
            _("Hand the laptop to the client's representative: a locked full-screen view of this audit's "
              "findings to accept or dispute and sign. Leaving it needs your passphrase.")
            if self.signoff.isEnabled() else _("Only the lead auditor of this audit can start the client sign-off."))

    def allow_signoff(self, allowed: bool) -> None:
        self.signoff.setEnabled(allowed)
        self.retranslate()
