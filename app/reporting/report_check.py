"""What a report still lacks: every gap at once, so the lead auditor fixes them in one go.

A report is refused rather than produced with a gap (no recommendation, no lead auditor, a
finding without a clause, an unresolved synchronisation conflict ...).  ``--draft`` still gives
a marked draft that lists the same gaps on its first page.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from app.domain import FindingState, Grade, entity_label
from app.domain.audit import Recommendation
from app.domain.base import FIELD_LABELS
from app.errors import ReportError, Term
from app.i18n import N_, gettext
from app.reporting.report_data import ReportData
from app.reporting.report_input import FOLLOW_UP_TYPES

# Majors must be corrected and verified before an unconditional recommendation (ISO/IEC 17021-1 9.5.3).
_SETTLED = frozenset({FindingState.VERIFIED, FindingState.CLOSED})
_EXAMPLES = 5


@dataclass(frozen=True)
class Missing:
    """One gap; ``key`` names the ``Audit.conclusions`` field that fills it (``{field}`` in the template).

    People read the field's label (as on the Conclusions tab); the CLI asks for the key instead, since
    that is what ``fieldaudit conclusions AUDIT --set KEY=VALUE`` takes (``values``: the ones that fit).
    """

    template: str
    params: Mapping[str, Any] = field(default_factory=dict)
    key: str = ""
    values: tuple[str, ...] = ()

    def message(self, translate: Callable[[str], str] = gettext, *, keys: bool = False) -> str:
        params = {k: translate(v) if isinstance(v, Term) else v for k, v in self.params.items()}
        if self.key:
            if keys:
                params["field"] = f"{self.key}={'|'.join(self.values)}" if self.values else self.key
            else:
                params["field"] = translate(FIELD_LABELS[self.key])
        return translate(self.template).format(**params)


class ReportIncomplete(ReportError):
    """Raised with every gap; shown as one heading line and one line per gap."""

    message = N_("The report cannot be produced; this is missing:")
    hint: str | None = None
    keys = False  # the CLI sets it: its users fill the gaps with --set KEY=VALUE

    def __init__(self, missing: list[Missing]) -> None:
        super().__init__()
        self.missing = list(missing)

    def __str__(self) -> str:
        lines = [gettext(self.template)] + [f"- {item.message(keys=self.keys)}" for item in self.missing]
        if self.hint:
            lines.append(gettext(self.hint))
        return "\n".join(lines)


def lead_auditor_missing(data: ReportData) -> list[Missing]:
    """What the lead auditor still has to give (``Audit.conclusions``), with the field in brackets."""
    given = data.given
    found: list[Missing] = []
    texts = (
        ("cb_name", N_("the name of the certification body ({field})")),
        ("conformity", N_("the conclusion on the conformity of the management system ({field})")),
        ("effectiveness", N_("the conclusion on the effectiveness of the management system ({field})")),
        ("internal_audit", N_("the conclusion on the internal audit and management review ({field})")),
        ("deviations", N_("the statement on deviations from the audit plan, \"none\" if there were none "
                          "({field})")),
    )
    for name, template in texts:
        if not str(getattr(given, name)).strip():
            found.append(Missing(template, key=name))
    if given.objectives_fulfilled is None:
        found.append(Missing(N_("whether the audit objectives were fulfilled ({field})"), key="objectives_fulfilled"))
    if given.scope_appropriate is None:
        found.append(Missing(N_("whether the scope of certification is appropriate ({field})"),
                             key="scope_appropriate"))
    if given.recommendation is None:
        found.append(Missing(N_("the lead auditor's recommendation ({field})"), key="recommendation"))
    if data.audit.audit_type in FOLLOW_UP_TYPES:
        follow_up = (
            ("previous_actions", N_("the verification of corrective actions for earlier nonconformities "
                                    "({field})")),
            ("changes", N_("the significant changes to the management system since the last audit, \"none\" if "
                           "there were none ({field})")),
            ("marks_use", N_("the conclusion on the client's use of certification documents and marks "
                             "({field})")),
        )
        found += [Missing(template, key=name) for name, template in follow_up
                  if not str(getattr(given, name)).strip()]
    return found


def _audit_record(data: ReportData) -> list[Missing]:
    audit = data.audit
    found: list[Missing] = []
    if audit.lead() is None:
        found.append(Missing(N_("a lead auditor in the audit team")))
    if not audit.client.address.strip():
        found.append(Missing(N_("the address of the audited organisation")))
    if not audit.client.representative.strip():
        found.append(Missing(N_("the representative of the audited organisation")))
    if not audit.sites:
        found.append(Missing(N_("the audited sites")))
    if not audit.scope.strip():
        found.append(Missing(N_("the audit scope")))
    return found


def _findings(data: ReportData) -> list[Missing]:
    found: list[Missing] = []
    criteria = {str(standard) for standard in data.audit.standards}
    for number, finding in enumerate(data.ordered_findings(), start=1):
        if not finding.clause_refs:
            found.append(Missing(N_("a clause reference for finding {number} ({statement})"),
                                 {"number": number, "statement": finding.statement[:40]}))
        for ref in finding.clause_refs:
            if ref.standard not in criteria:
                found.append(Missing(N_("finding {number} cites {standard} {clause}, which is not a criterion "
                                        "of this audit: a correct clause reference"),
                                     {"number": number, "standard": ref.standard, "clause": ref.clause}))
    open_majors = [f for f in data.findings if f.grade is Grade.MAJOR_NC and f.state not in _SETTLED]
    if open_majors and data.given.recommendation is Recommendation.RECOMMEND:
        found.append(Missing(N_("a recommendation that allows for the {count} major nonconformities not yet "
                                "verified ({field})"), {"count": len(open_majors)}, key="recommendation",
                             values=(Recommendation.AFTER_ACTIONS.value, Recommendation.NOT_RECOMMENDED.value)))
    return found


def _checklist(data: ReportData) -> list[Missing]:
    unanswered = [item for item in data.checklist if item.answer is None]
    if not unanswered:
        return []
    examples = ", ".join(f"{item.standard} {item.clause}" for item in unanswered[:_EXAMPLES])
    if len(unanswered) > _EXAMPLES:
        examples += " …"
    return [Missing(N_("answers to {count} checklist items ({clauses})"),
                    {"count": len(unanswered), "clauses": examples})]


def _conflicts(data: ReportData) -> list[Missing]:
    found: list[Missing] = []
    for conflict in data.open_conflicts:
        fields = ", ".join(str(name) for name in conflict.get("fields") or []) or "-"
        found.append(Missing(N_("a decision on the open synchronisation conflict about {entity} {ident} "
                                "(fields: {fields})"),
                             {"entity": entity_label(str(conflict.get("entity", "?"))),
                              "ident": str(conflict.get("entity_id", "?")), "fields": fields}))
    return found


def missing_for_report(data: ReportData) -> list[Missing]:
    """Every gap, in the order a lead auditor would fill them; empty when the report can be issued."""
    return [*_audit_record(data), *lead_auditor_missing(data), *_checklist(data), *_findings(data),
            *_conflicts(data)]


def require_complete(data: ReportData) -> None:
    missing = missing_for_report(data)
    if missing:
        raise ReportIncomplete(missing)
