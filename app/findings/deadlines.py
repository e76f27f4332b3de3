"""Deadlines per grade, configurable by the certification body, and overdue flags.

Defaults: the corrective-action plan is due 30 days after the last day of the audit; a major
nonconformity must be verified within six months after the last day of stage 2 (ISO/IEC 17021-1
9.5.3.2: beyond that certification is not possible without repeating stage 2).  A CB sets its own
values with :func:`save_policy`; they live in the profile's encrypted store.
"""

from __future__ import annotations

import calendar
import json
from dataclasses import dataclass, field
from datetime import date

from pydantic import Field, ValidationError

from app.domain import Audit, Finding, FindingState, Grade
from app.domain.base import DomainModel, explain
from app.findings.errors import PolicyInvalid
from app.i18n import N_
from app.store import Store

POLICY_META_KEY = "findings.deadline_policy"
_PLAN_PENDING = frozenset({FindingState.RAISED, FindingState.REOPENED, FindingState.ACKNOWLEDGED,
                           FindingState.DISPUTED})
_DONE = frozenset({FindingState.VERIFIED, FindingState.CLOSED})


class GradeDeadline(DomainModel):
    """Days (or months) after the last day of the audit; ``None`` means no deadline of that kind."""

    plan_days: int | None = Field(default=None, ge=1, le=365)
    verify_days: int | None = Field(default=None, ge=1, le=730)
    verify_months: int | None = Field(default=None, ge=1, le=24)


class DeadlinePolicy(DomainModel):
    major_nc: GradeDeadline = Field(default_factory=lambda: GradeDeadline(plan_days=30, verify_months=6))
    minor_nc: GradeDeadline = Field(default_factory=lambda: GradeDeadline(plan_days=30))
    observation: GradeDeadline = Field(default_factory=GradeDeadline)
    opportunity: GradeDeadline = Field(default_factory=GradeDeadline)

    def for_grade(self, grade: Grade) -> GradeDeadline:
        rule: GradeDeadline = getattr(self, grade.value)
        return rule


def add_months(day: date, months: int) -> date:
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class DeadlineStatus:
    finding_id: str
    plan_due: date | None
    verify_due: date | None
    action_due: date | None
    flags: list[str] = field(default_factory=list)

    @property
    def overdue(self) -> bool:
        return bool(self.flags)


PLAN_OVERDUE = N_("corrective-action plan overdue")
VERIFY_OVERDUE = N_("verification overdue")
ACTION_OVERDUE = N_("implementation overdue (the organisation's own due date has passed)")
FLAG_LABELS = {"plan_overdue": PLAN_OVERDUE, "verify_overdue": VERIFY_OVERDUE, "action_overdue": ACTION_OVERDUE}


def deadline_status(finding: Finding, audit: Audit, policy: DeadlinePolicy, today: date) -> DeadlineStatus:
    rule = policy.for_grade(finding.grade)
    last_day = audit.end_date
    plan_due = date.fromordinal(last_day.toordinal() + rule.plan_days) if rule.plan_days else None
    verify_due: date | None = None
    if rule.verify_months:
        verify_due = add_months(last_day, rule.verify_months)
    if rule.verify_days:
        by_days = date.fromordinal(last_day.toordinal() + rule.verify_days)
        verify_due = min(verify_due, by_days) if verify_due else by_days
    action_due = date.fromisoformat(finding.action_due) if finding.action_due else None
    flags: list[str] = []
    if plan_due and today > plan_due and finding.state in _PLAN_PENDING:
        flags.append("plan_overdue")
    if verify_due and today > verify_due and finding.state not in _DONE:
        flags.append("verify_overdue")
    if action_due and today > action_due and finding.state is FindingState.ACTION_ACCEPTED:
        flags.append("action_overdue")
    return DeadlineStatus(finding.id, plan_due, verify_due, action_due, flags)


def audit_deadlines(store: Store, audit_id: str, today: date, policy: DeadlinePolicy | None = None
                    ) -> list[DeadlineStatus]:
    """The deadline status of every finding of an audit (overdue ones first, then by id)."""
    audit = store.audits.get(audit_id)
    rules = policy or load_policy(store)
    found = [deadline_status(f, audit, rules, today) for f in store.findings.list(audit_id)]
    return sorted(found, key=lambda status: (not status.overdue, status.finding_id))


def parse_policy(data: object) -> DeadlinePolicy:
    try:
        return DeadlinePolicy.model_validate(data)
    except ValidationError as error:
        raise PolicyInvalid(detail="; ".join(reason for _path, reason in explain(error))) from None


def load_policy(store: Store) -> DeadlinePolicy:
    saved = store.meta(POLICY_META_KEY)
    return parse_policy(json.loads(saved)) if saved else DeadlinePolicy()


def save_policy(store: Store, actor: str, policy: DeadlinePolicy) -> None:
    """The CB's deadline rules (settings of the profile, not a synced record)."""
    with store.unit_of_work(actor) as uow:
        uow.connection.execute(
            "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (POLICY_META_KEY, policy.model_dump_json()))
