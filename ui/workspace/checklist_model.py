"""The checklist as a tree: standard -> clause group -> item, with progress per group."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QStandardItem, QStandardItemModel

from app.domain import Answer, ChecklistItem
from app.domain.checklist import ANSWER_LABELS
from app.i18n import N_, _
from ui import theme
from ui.workspace import refnames

ITEM_ID_ROLE = Qt.ItemDataRole.UserRole + 1
KIND_ROLE = Qt.ItemDataRole.UserRole + 2
COLUMNS = (N_("Clause"), N_("Answer"))
# Keyboard shortcuts 1-6 answer in this order (shown on the buttons too).
ANSWER_ORDER = (Answer.CONFORMING, Answer.MINOR_NC, Answer.MAJOR_NC, Answer.OBSERVATION,
                Answer.OPPORTUNITY, Answer.NOT_APPLICABLE)


def clause_key(clause: str) -> tuple[int, ...]:
    return tuple(int(part) for part in clause.split(".") if part.isdigit())


def item_text(item: ChecklistItem) -> str:
    question = item.question.replace("\n", " ")
    return f"{item.clause}  {question}" if question else item.clause


class ChecklistModel(QStandardItemModel):
    def __init__(self) -> None:
        super().__init__()
        self.items: dict[str, ChecklistItem] = {}
        self._rows: dict[str, QStandardItem] = {}
        self._groups: dict[tuple[str, str], QStandardItem] = {}
        self.user_id = ""
        self.only_mine = False

    def load(self, items: list[ChecklistItem], user_id: str, only_mine: bool = False,
             standards: list[str] | None = None) -> None:
        """Fill the tree; standards come in the audit's order (its main standard first)."""
        self.clear()
        self.user_id = user_id
        self.only_mine = only_mine
        self.items = {item.id: item for item in items}
        self._rows.clear()
        self._groups.clear()
        self.setColumnCount(len(COLUMNS))
        shown = [i for i in items if not only_mine or self._is_mine(i)]
        by_standard: dict[str, list[ChecklistItem]] = {}
        order = {name: n for n, name in enumerate(standards or [])}
        for item in sorted(shown, key=lambda i: (order.get(i.standard, len(order)), i.standard,
                                                 clause_key(i.clause))):
            by_standard.setdefault(item.standard, []).append(item)
        root = self.invisibleRootItem()
        for standard, members in by_standard.items():
            standard_row = self._node(standard, "standard")
            root.appendRow([standard_row, self._node("", "standard")])
            for item in members:
                group = item.clause.split(".")[0]
                key = (standard, group)
                if key not in self._groups:
                    node = self._node("", "group")
                    standard_row.appendRow([node, self._node("", "group")])
                    self._groups[key] = node
                cells = [QStandardItem(), QStandardItem()]
                for cell in cells:
                    cell.setEditable(False)
                    cell.setData(item.id, ITEM_ID_ROLE)
                    cell.setData("item", KIND_ROLE)
                self._groups[key].appendRow(cells)
                self._rows[item.id] = cells[0]
        self.retranslate()

    def _node(self, text: str, kind: str) -> QStandardItem:
        node = QStandardItem(text)
        node.setEditable(False)
        node.setData(kind, KIND_ROLE)
        font = QFont()
        font.setBold(True)
        node.setFont(font)
        return node

    def _is_mine(self, item: ChecklistItem) -> bool:
        return bool(self.user_id) and item.assigned_to == self.user_id

    def retranslate(self) -> None:
        self.setHorizontalHeaderLabels([_(c) for c in COLUMNS])
        for item_id in self._rows:
            self._paint(self.items[item_id])
        self._paint_groups()

    def update_item(self, item: ChecklistItem) -> None:
        self.items[item.id] = item
        if item.id in self._rows:
            self._paint(item)
            self._paint_groups()

    def _paint(self, item: ChecklistItem) -> None:
        cell = self._rows[item.id]
        answer_cell = self._sibling(cell)
        cell.setText(item_text(item))
        tip = item.question
        if item.also_covers:
            tip += "\n" + _("Also covers: {standards}").format(standards=", ".join(item.also_covers))
        cell.setToolTip(tip)
        if item.answer is None:
            answer_cell.setText(_("Not answered"))
            answer_cell.setForeground(QBrush(QColor(theme.current().muted)))
        else:
            answer_cell.setText(_(ANSWER_LABELS[item.answer]))
            answer_cell.setForeground(QBrush(QColor(theme.ANSWER_COLOURS[item.answer.value])))
        background = QBrush(QColor(theme.current().mine)) if self._is_mine(item) else QBrush()
        cell.setBackground(background)
        answer_cell.setBackground(background)

    def _sibling(self, cell: QStandardItem) -> QStandardItem:
        parent = cell.parent() or self.invisibleRootItem()
        sibling = parent.child(cell.row(), 1)
        assert sibling is not None
        return sibling

    def _paint_groups(self) -> None:
        per_standard: dict[str, list[int]] = {}
        for (standard, group), node in self._groups.items():
            ids = [node.child(r, 0).data(ITEM_ID_ROLE) for r in range(node.rowCount())]
            answered = sum(1 for i in ids if self.items[i].answer is not None)
            title = refnames.clause_title(standard, group)
            node.setText(_("Clause {clause}").format(clause=group) + (f"  {title}" if title else ""))
            self._sibling(node).setText(f"{answered}/{len(ids)}")
            totals = per_standard.setdefault(standard, [0, 0])
            totals[0] += answered
            totals[1] += len(ids)
        root = self.invisibleRootItem()
        for row in range(root.rowCount()):
            standard_node = root.child(row, 0)
            answered, total = per_standard.get(standard_node.text(), [0, 0])
            sibling = root.child(row, 1)
            sibling.setText(f"{answered}/{total}")

    def item_at(self, index: QModelIndex) -> ChecklistItem | None:
        item_id = index.siblingAtColumn(0).data(ITEM_ID_ROLE)
        return self.items.get(item_id) if item_id else None

    def index_of(self, item_id: str) -> QModelIndex:
        cell = self._rows.get(item_id)
        return cell.index() if cell is not None else QModelIndex()

    def ordered_ids(self) -> list[str]:
        """Item ids in display order (for "next item" after answering)."""
        order: list[str] = []
        root = self.invisibleRootItem()
        for s in range(root.rowCount()):
            standard = root.child(s, 0)
            for g in range(standard.rowCount()):
                group = standard.child(g, 0)
                order.extend(group.child(r, 0).data(ITEM_ID_ROLE) for r in range(group.rowCount()))
        return order
