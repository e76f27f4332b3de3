"""Everything a report is built from, gathered once (by ``app.services.documents`` from the store).

Plain inputs, no store: the checks and the builder can be tested with hand-made data, and the
same data gives the same report in every format and language.  Open synchronisation conflicts
come in as plain mappings (the records ``sync`` keeps with entity ``conflict``): ``app`` does not
import ``sync``.  What the signing code found about each signature (valid, still covering the
current findings, countersigned) comes in as :class:`SignatureCheck`; the verification manifest
the report carries as an attached file comes in as a plain mapping.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from app.domain import Audit, ChecklistItem, Evidence, Finding, Grade, Signature, SignatureMethod
from app.domain.audit import AuditConclusion

GRADE_ORDER = (Grade.MAJOR_NC, Grade.MINOR_NC, Grade.OBSERVATION, Grade.OPPORTUNITY)
NONCONFORMITIES = frozenset({Grade.MAJOR_NC, Grade.MINOR_NC})


@dataclass(frozen=True)
class SignatureCheck:
    """The store's verdict on one signature record (from ``app.signing``)."""

    signature_id: str
    valid: bool
    covers_current: bool
    countersigned_at: str | None = None
    key_fingerprint: str = ""


@dataclass(frozen=True)
class ReportData:
    audit: Audit
    # Overrides the audit's own conclusions (a preview of what the lead is still typing); None: the audit's.
    conclusions: AuditConclusion | None = None
    checklist: Sequence[ChecklistItem] = ()
    findings: Sequence[Finding] = ()
    evidence: Sequence[Evidence] = ()
    # Evidence id -> thumbnail bytes (JPEG/PNG) from the vault; absent when not on this device.
    thumbnails: Mapping[str, bytes] = field(default_factory=dict)
    signatures: Sequence[Signature] = ()
    open_conflicts: Sequence[Mapping[str, Any]] = ()
    produced_at: datetime | None = None
    checks: Mapping[str, SignatureCheck] = field(default_factory=dict)
    manifest: Mapping[str, Any] | None = None

    @property
    def given(self) -> AuditConclusion:
        if self.conclusions is not None:
            return self.conclusions
        return self.audit.conclusions if self.audit.conclusions is not None else AuditConclusion()

    def holds(self, signature: Signature) -> bool:
        """The signature verifies and still covers the current findings (true when unchecked)."""
        check = self.checks.get(signature.id)
        return check is None or (check.valid and check.covers_current)

    def signed_off(self) -> bool:
        """The client's representative signed the findings, and that signature still holds."""
        return any(s.role == "auditee" and s.subject == "findings" and s.method is SignatureMethod.HANDWRITTEN
                   and self.holds(s) for s in self.signatures)

    def ordered_findings(self) -> list[Finding]:
        """By grade (major first), then by first clause: the numbering every format shares."""
        return sorted(self.findings, key=lambda f: (GRADE_ORDER.index(f.grade), _clause_key(f), f.id))

    def evidence_of(self, finding: Finding) -> list[Evidence]:
        """The finding's evidence: what it lists, then what was attached to it, each once."""
        by_id = {item.id: item for item in self.evidence}
        found = [by_id[ident] for ident in finding.evidence_ids if ident in by_id]
        found += [item for item in self.evidence if item.finding_id == finding.id and item not in found]
        return found

    def findings_on(self, item: ChecklistItem) -> list[tuple[int, Finding]]:
        """``(report number, finding)`` for the findings raised on a checklist item: linked to it, or citing
        its clause (or a sub-clause, or a clause it also covers) of its standard."""
        covered = {item.clause, *item.also_covers}
        found = []
        for number, finding in enumerate(self.ordered_findings(), start=1):
            cites = any(ref.standard == item.standard
                        and any(ref.clause == c or ref.clause.startswith(c + ".") for c in covered)
                        for ref in finding.clause_refs)
            if finding.checklist_item_id == item.id or cites:
                found.append((number, finding))
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
