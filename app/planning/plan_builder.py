"""From an audit record to its plan: the clauses to cover, the audit time, then the schedule.

* Clauses: every main clause (``4.1`` ... ``10.3``) of each standard's catalogue, plus any clause
  the audit's checklist holds that is not under one of them; clause 8 (operation) needs the
  audit's scope competence (``technical``).  Integrated audits schedule each standard's clauses.
* Audit time: IAF MD 5 (:func:`~app.planning.audit_time.calculate`) for the audit's type
  (stage 1, stage 2, surveillance, recertification), less the off-site share if one is given;
  an explicit number of days overrides it (special audits need one: MD 5 sets none).  EMS and
  OH&S use the complexity category the audit records (``Audit.complexity``) unless one is given.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from app.domain import ChecklistItem
from app.domain.audit import Audit, AuditType, Standard
from app.errors import ValidationFailed
from app.i18n import N_, gettext
from app.planning.audit_time import AuditTime, calculate, half_days, request_for_audit
from app.planning.md5_tables import Complexity
from app.planning.schedule import generate
from app.planning.schedule_model import ClauseSpec, Plan
from app.refdata import catalogue

TECHNICAL_MAIN_CLAUSES = frozenset({"8"})


@dataclass(frozen=True)
class PlanResult:
    plan: Plan
    audit_time: AuditTime | None  # None when the days were given explicitly


def _main(clause: str) -> str:
    return ".".join(clause.split(".")[:2])


def _key(clause: str) -> tuple[int, ...]:
    return tuple(int(part) for part in clause.split("."))


def clause_specs(audit: Audit, checklist: Sequence[ChecklistItem] = (), language: str = "zh_CN") -> list[ClauseSpec]:
    """The clauses the plan must cover for ``audit`` (main clauses of its standards)."""
    english = language.startswith("en")
    specs: list[ClauseSpec] = []
    for standard in audit.standards:
        name = str(standard)
        clauses = catalogue(name)
        wanted = {number for number, entry in clauses.items() if entry.level == 2}
        wanted |= {_main(item.clause) for item in checklist if item.standard == name and item.clause in clauses}
        for number in sorted(wanted, key=_key):
            entry = clauses.get(number)
            title = (entry.title_en if english else entry.title_zh) if entry else ""
            specs.append(ClauseSpec(standard=name, clause=number, title=title[:300],
                                    technical=number.split(".")[0] in TECHNICAL_MAIN_CLAUSES))
    return specs


class ComplexityMissing(ValidationFailed):
    """An EMS / OH&S audit whose complexity category is neither recorded nor given."""

    message = N_("The audit does not record the IAF MD 5 complexity category of {standards}, which the audit "
                 "time depends on: set the audit's \"EMS/OH&S complexity category\" (high, medium, low or "
                 "limited; ISO 45001 has no \"limited\").")
    hint: str | None = None  # how to give it from where the user is (set by the CLI)

    def __str__(self) -> str:
        text = super().__str__()
        return f"{text}\n{gettext(self.hint)}" if self.hint else text


def audit_time_for(audit: Audit, complexity: Mapping[Standard, Complexity] | None = None,
                   offsite_percent: float = 0.0) -> AuditTime:
    """IAF MD 5 time of ``audit``; ``complexity`` overrides the categories the audit records."""
    missing = [standard for standard in audit.missing_complexity() if standard not in (complexity or {})]
    if missing:
        raise ComplexityMissing(standards=", ".join(str(standard) for standard in missing))
    return calculate(request_for_audit(audit, complexity, offsite_percent=offsite_percent))


def _check_md5_applies(audit: Audit) -> None:
    if audit.audit_type is AuditType.SPECIAL:
        raise ValidationFailed(N_("IAF MD 5 sets no audit time for a special audit: give the number of audit "
                                  "days."))


def days_for(audit: Audit, time: AuditTime) -> float:
    """Auditor days on site for this audit's type (the off-site share taken out proportionally)."""
    _check_md5_applies(audit)
    by_type = {AuditType.STAGE1: time.stage1_days, AuditType.STAGE2: time.stage2_days,
               AuditType.SURVEILLANCE: time.surveillance_days,
               AuditType.RECERTIFICATION: time.recertification_days}
    days = by_type[audit.audit_type]
    if time.initial_days > 0 and time.onsite_days < time.initial_days:
        days = half_days(days * time.onsite_days / time.initial_days)
    return days


def build_plan(audit: Audit, checklist: Sequence[ChecklistItem] = (), *, days: float | None = None,
               complexity: Mapping[Standard, Complexity] | None = None, offsite_percent: float = 0.0,
               contacts: Mapping[str, str] | None = None, language: str = "zh_CN") -> PlanResult:
    """The generated plan of ``audit``; ``days`` overrides the IAF MD 5 audit time."""
    specs = clause_specs(audit, checklist, language)
    if days is not None:
        return PlanResult(generate(audit, specs, days, contacts=contacts), None)
    _check_md5_applies(audit)  # before asking for a complexity category the days would not use
    time = audit_time_for(audit, complexity, offsite_percent)
    return PlanResult(generate(audit, specs, days_for(audit, time), contacts=contacts), time)
