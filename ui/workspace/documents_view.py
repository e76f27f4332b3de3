"""Layout of the documents tab: plan and report previews, saving as docx / PDF / OFD."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.domain.audit import COMPLEXITY_CATEGORIES, Audit
from app.i18n import _
from app.planning.md5_tables import COMPLEXITY_LABELS
from ui.widgets import ErrorLabel, Heading, MutedLabel


class DocumentsView(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("documentsView")
        self.kind = QComboBox()
        self.language = QComboBox()
        self.language.addItem("中文", "zh_CN")
        self.language.addItem("English", "en")
        self.preview_button = QPushButton()
        self.preview_button.setObjectName("primary")
        self.format = QComboBox()
        self.save_button = QPushButton()
        self.draft = QCheckBox()
        self.complexity = QComboBox()
        # The categories recorded on the audit ("" when they differ or are missing) and what the auditor
        # picked here: only a pick overrides the audit (a default must not change the audit time).
        self._recorded: str | None = None
        self.chosen_complexity: str | None = None
        self.complexity.activated.connect(self._complexity_picked)
        self.kind_label, self.language_label, self.format_label = QLabel(), QLabel(), QLabel()
        self.complexity_label = QLabel()
        bar = QHBoxLayout()
        for label, widget in ((self.kind_label, self.kind), (self.language_label, self.language),
                              (self.complexity_label, self.complexity)):
            bar.addWidget(label)
            bar.addWidget(widget)
        bar.addWidget(self.preview_button)
        bar.addStretch(1)
        bar.addWidget(self.format_label)
        bar.addWidget(self.format)
        bar.addWidget(self.draft)
        bar.addWidget(self.save_button)
        self.document = QPdfDocument(self)
        self.pdf = QPdfView()
        self.pdf.setObjectName("pdfPreview")
        self.pdf.setDocument(self.document)
        self.pdf.setPageMode(QPdfView.PageMode.MultiPage)
        self.pdf.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.empty = MutedLabel()
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.gaps_title = Heading(level=3)
        self.gaps = QListWidget()
        self.gaps.setWordWrap(True)
        self.gaps.setSpacing(3)  # one gap per item, visibly apart when they wrap
        self.produced_title = Heading(level=3)
        self.produced = QListWidget()
        self.produced.setWordWrap(True)
        self.error = ErrorLabel()
        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        side_layout.addWidget(self.gaps_title)
        side_layout.addWidget(self.gaps, 2)
        side_layout.addWidget(self.produced_title)
        side_layout.addWidget(self.produced, 1)
        preview = QWidget()
        preview_layout = QVBoxLayout(preview)
        preview_layout.setContentsMargins(0, 0, 0, 0)
        preview_layout.addWidget(self.empty)
        preview_layout.addWidget(self.pdf, 1)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(preview)
        splitter.addWidget(side)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.addLayout(bar)
        layout.addWidget(self.error)
        layout.addWidget(splitter, 1)
        self.pdf.hide()
        self.retranslate()

    def show_audit(self, audit: Audit) -> None:
        """Default the complexity to the audit's own categories; no choice at all for a QMS-only audit."""
        categorised = [standard for standard in audit.standards if standard in COMPLEXITY_CATEGORIES]
        recorded = {audit.complexity.get(standard) for standard in categorised}
        if not categorised:
            self._recorded = None
        elif len(recorded) == 1 and None not in recorded:
            self._recorded = str(next(iter(recorded)))
        else:
            self._recorded = ""  # mixed or not recorded: the audit's own (or the planner asks for it)
        self.chosen_complexity = None
        self.complexity.setEnabled(bool(categorised))
        self.complexity.setVisible(bool(categorised))
        self.complexity_label.setVisible(bool(categorised))
        self._fill_complexity(self._recorded or "")

    def _complexity_picked(self, index: int) -> None:
        value = self.complexity.itemData(index)
        self.chosen_complexity = str(value) if value else None

    def _fill_complexity(self, selected: str) -> None:
        self.complexity.clear()
        if self._recorded == "":
            self.complexity.addItem(_("As recorded on the audit"), "")
        for complexity, text in COMPLEXITY_LABELS.items():
            self.complexity.addItem(_(text), complexity.value)
        self.complexity.setCurrentIndex(max(0, self.complexity.findData(selected)))

    def show_preview(self, visible: bool) -> None:
        self.pdf.setVisible(visible)
        self.empty.setVisible(not visible)

    def retranslate(self) -> None:
        current = self.kind.currentData()
        self.kind.blockSignals(True)
        self.kind.clear()
        self.kind.addItem(_("Audit plan"), "plan")
        self.kind.addItem(_("Audit report"), "report")
        self.kind.setCurrentIndex(max(0, self.kind.findData(current)))
        self.kind.blockSignals(False)
        self._fill_complexity(str(self.complexity.currentData() or ""))
        self.complexity_label.setText(_("EMS/OH&S complexity"))
        self.complexity.setToolTip(_("IAF MD 5 complexity category of the environmental and OH&S risks; "
                                     "it sets the audit time of those standards."))
        fmt = self.format.currentData()
        self.format.clear()
        for value, text in (("docx", _("Word (.docx)")), ("pdf", "PDF"), ("ofd", _("OFD (archive)"))):
            self.format.addItem(text, value)
        self.format.setCurrentIndex(max(0, self.format.findData(fmt)))
        self.kind_label.setText(_("Document"))
        self.language_label.setText(_("Language"))
        self.format_label.setText(_("Format"))
        self.preview_button.setText(_("Preview"))
        self.save_button.setText(_("Save as…"))
        self.draft.setText(_("Draft"))
        self.draft.setToolTip(_("A draft report is marked DRAFT and may have gaps; a final one must be complete."))
        self.empty.setText(_("Choose a document and press Preview. The preview is made from the data on this "
                             "computer and is not saved."))
        self.gaps_title.setText(_("Still missing for the report"))
        self.produced_title.setText(_("Saved documents"))
