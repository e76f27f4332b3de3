"""Everything a report is built from, gathered once (by ``app.services.documents`` from the store).

Plain inputs, no store: the checks and the builder can be tested with hand-made data, and the
same data gives the same report in every format and language.  Open synchronisation conflicts
come in as plain mappings (the records ``sync`` keeps with entity ``conflict``): ``app`` does not
import ``sync``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from app.domain import Audit, ChecklistItem, Evidence, Finding, Grade, Signature
from app.reporting.report_input import ReportInput

GRADE_ORDER = (Grade.MAJOR_NC, Grade.MINOR_NC, Grade.OBSERVATION, Grade.OPPORTUNITY)
NONCONFORMITIES = frozenset({Grade.MAJOR_NC, Grade.MINOR_NC})


@dataclass(frozen=True)
class ReportData:
    audit: Audit
    conclusions: ReportInput | None = None
    checklist: Sequence[ChecklistItem] = ()
    findings: Sequence[Finding] = ()
    evidence: Sequence[Evidence] = ()
    # Evidence id -> thumbnail bytes (JPEG/PNG) from the vault; absent when not on this device.
    thumbnails: Mapping[str, bytes] = field(default_factory=dict)
    signatures: Sequence[Signature] = ()
    open_conflicts: Sequence[Mapping[str, Any]] = ()
    produced_at: datetime | None = None

    @property
    def given(self) -> ReportInput:
        return self.conclusions if self.conclusions is not None else ReportInput()

    def ordered_findings(self) -> list[Finding]:
        """By grade (major first), then by first clause: the numbering every format shares."""
        return sorted(self.findings, key=lambda f: (GRADE_ORDER.index(f.grade), _clause_key(f), f.id))

    def evidence_of(self, finding: Finding) -> list[Evidence]:
        """The finding's evidence: what it lists, then what was attached to it, each once."""
        by_id = {item.id: item for item in self.evidence}
        found = [by_id[ident] for ident in finding.evidence_ids if ident in by_id]
        found += [item for item in self.evidence if item.finding_id == finding.id and item not in found]
        return found

    def evidence_numbers(self) -> dict[str, str]:
        """``E1``, ``E2`` ... for the evidence the findings cite, in the order they cite it."""
        numbers: dict[str, str] = {}
        for finding in self.ordered_findings():
            for item in self.evidence_of(finding):
                numbers.setdefault(item.id, f"E{len(numbers) + 1}")
        return numbers


def _clause_key(finding: Finding) -> tuple[str, tuple[int, ...]]:
    if not finding.clause_refs:
        return ("", ())
    ref = finding.clause_refs[0]
    return (ref.standard, tuple(int(part) for part in ref.clause.split(".")))
