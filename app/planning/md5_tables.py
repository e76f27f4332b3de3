"""The audit-time tables of IAF MD 5:2019 (initial audit, stage 1 + stage 2, in auditor days).

Transcribed from IAF MD 5:2019 Issue 4: Table QMS 1 (Annex A), Table EMS 1 (Annex B) and
Table OH&SMS 1 (Annex C).  Each row is (first person, last person, days...).  OH&S has no
"limited" complexity category in MD 5:2019, so its rows carry three columns.

Above 10 700 effective personnel every table says "follow the progression": the step between
the last two rows is repeated for each further band of the same width as the last band.
"""

from __future__ import annotations

from enum import StrEnum

from app.domain.audit import Complexity as Complexity  # the category stored on the audit is the table's column
from app.i18n import N_


class System(StrEnum):
    QMS = "qms"
    EMS = "ems"
    OHSMS = "ohsms"


SYSTEM_LABELS = {
    System.QMS: N_("QMS"),
    System.EMS: N_("EMS"),
    System.OHSMS: N_("OH&SMS"),
}

COMPLEXITY_LABELS = {
    Complexity.HIGH: N_("high complexity"),
    Complexity.MEDIUM: N_("medium complexity"),
    Complexity.LOW: N_("low complexity"),
    Complexity.LIMITED: N_("limited complexity"),
}

# (from, to, days)
QMS_TABLE: tuple[tuple[int, int, float], ...] = (
    (1, 5, 1.5),
    (6, 10, 2),
    (11, 15, 2.5),
    (16, 25, 3),
    (26, 45, 4),
    (46, 65, 5),
    (66, 85, 6),
    (86, 125, 7),
    (126, 175, 8),
    (176, 275, 9),
    (276, 425, 10),
    (426, 625, 11),
    (626, 875, 12),
    (876, 1175, 13),
    (1176, 1550, 14),
    (1551, 2025, 15),
    (2026, 2675, 16),
    (2676, 3450, 17),
    (3451, 4350, 18),
    (4351, 5450, 19),
    (5451, 6800, 20),
    (6801, 8500, 21),
    (8501, 10700, 22),
)

# (from, to, high, medium, low, limited)
EMS_TABLE: tuple[tuple[int, int, float, float, float, float], ...] = (
    (1, 5, 3, 2.5, 2.5, 2.5),
    (6, 10, 3.5, 3, 3, 3),
    (11, 15, 4.5, 3.5, 3, 3),
    (16, 25, 5.5, 4.5, 3.5, 3),
    (26, 45, 7, 5.5, 4, 3),
    (46, 65, 8, 6, 4.5, 3.5),
    (66, 85, 9, 7, 5, 3.5),
    (86, 125, 11, 8, 5.5, 4),
    (126, 175, 12, 9, 6, 4.5),
    (176, 275, 13, 10, 7, 5),
    (276, 425, 15, 11, 8, 5.5),
    (426, 625, 16, 12, 9, 6),
    (626, 875, 17, 13, 10, 6.5),
    (876, 1175, 19, 15, 11, 7),
    (1176, 1550, 20, 16, 12, 7.5),
    (1551, 2025, 21, 17, 12, 8),
    (2026, 2675, 23, 18, 13, 8.5),
    (2676, 3450, 25, 19, 14, 9),
    (3451, 4350, 27, 20, 15, 10),
    (4351, 5450, 28, 21, 16, 11),
    (5451, 6800, 30, 23, 17, 12),
    (6801, 8500, 32, 25, 19, 13),
    (8501, 10700, 34, 27, 20, 14),
)

# (from, to, high, medium, low)
OHSMS_TABLE: tuple[tuple[int, int, float, float, float], ...] = (
    (1, 5, 3, 2.5, 2.5),
    (6, 10, 3.5, 3, 3),
    (11, 15, 4.5, 3.5, 3),
    (16, 25, 5.5, 4.5, 3.5),
    (26, 45, 7, 5.5, 4),
    (46, 65, 8, 6, 4.5),
    (66, 85, 9, 7, 5),
    (86, 125, 11, 8, 5.5),
    (126, 175, 12, 9, 6),
    (176, 275, 13, 10, 7),
    (276, 425, 15, 11, 8),
    (426, 625, 16, 12, 9),
    (626, 875, 17, 13, 10),
    (876, 1175, 19, 15, 11),
    (1176, 1550, 20, 16, 12),
    (1551, 2025, 21, 17, 12),
    (2026, 2675, 23, 18, 13),
    (2676, 3450, 25, 19, 14),
    (3451, 4350, 27, 20, 15),
    (4351, 5450, 28, 21, 16),
    (5451, 6800, 30, 23, 17),
    (6801, 8500, 32, 25, 19),
    (8501, 10700, 34, 27, 20),
)

_COLUMNS = {
    System.EMS: (Complexity.HIGH, Complexity.MEDIUM, Complexity.LOW, Complexity.LIMITED),
    System.OHSMS: (Complexity.HIGH, Complexity.MEDIUM, Complexity.LOW),
}

TABLE_LIMIT = 10_700


def complexities(system: System) -> tuple[Complexity, ...]:
    """The complexity categories the table of ``system`` has (none for QMS)."""
    return _COLUMNS.get(system, ())


def rows(system: System, complexity: Complexity | None) -> list[tuple[int, int, float]]:
    """The table of one system (and complexity column) as (from, to, days) rows."""
    if system is System.QMS:
        return [(low, high, float(days)) for low, high, days in QMS_TABLE]
    if complexity is None or complexity not in _COLUMNS[system]:
        raise KeyError(complexity)
    column = _COLUMNS[system].index(complexity)
    table: tuple[tuple[float, ...], ...] = EMS_TABLE if system is System.EMS else OHSMS_TABLE
    return [(int(row[0]), int(row[1]), float(row[2 + column])) for row in table]


def lookup(system: System, complexity: Complexity | None, personnel: int) -> tuple[int, int, float]:
    """``(band start, band end, initial audit days)`` for ``personnel`` (at least 1).

    Above the table the last step (days between the last two rows) is added once per
    further band as wide as the last band: "follow the progression".
    """
    table = rows(system, complexity)
    for low, high, days in table:
        if low <= personnel <= high:
            return low, high, days
    (_, _, prev_days), (last_low, last_high, last_days) = table[-2], table[-1]
    width = last_high - last_low + 1
    step = last_days - prev_days
    extra_bands = (personnel - last_high + width - 1) // width
    start = last_high + 1 + (extra_bands - 1) * width
    return start, start + width - 1, last_days + extra_bands * step
