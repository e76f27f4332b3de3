"""Re-validation of an audit plan: what no longer holds after the lead auditor's edits."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from app.domain.audit import TeamRole
from app.i18n import N_, gettext
from app.planning.competence import AUDITING_ROLES, uncovered
from app.planning.schedule_model import Activity, Plan, minutes_of

TOLERANCE_MINUTES = 30  # rounding to quarter hours may leave the plan this much short


@dataclass(frozen=True)
class PlanProblem:
    code: str
    template: str
    params: dict[str, Any] = field(default_factory=dict)
    slot: int | None = None  # index into plan.slots

    def message(self, translate: Callable[[str], str] = gettext) -> str:
        text = translate(self.template)
        try:
            return text.format(**self.params)
        except (KeyError, IndexError, ValueError):
            return text


def _overlaps(plan: Plan) -> list[PlanProblem]:
    problems: list[PlanProblem] = []
    booked: dict[str, list[tuple[int, Any, int, int]]] = {}
    for index, slot in enumerate(plan.slots):
        for person in filter(None, (slot.auditor, slot.expert)):
            booked.setdefault(person, []).append((index, slot.day, minutes_of(slot.start), minutes_of(slot.end)))
    for person, entries in sorted(booked.items()):
        entries.sort(key=lambda entry: (entry[1], entry[2]))
        for (first, day_a, _start_a, end_a), (second, day_b, start_b, _end_b) in itertools.pairwise(entries):
            if day_a == day_b and start_b < end_a:
                problems.append(PlanProblem(
                    "double_booked", N_("{person} is booked twice on {day} at {time}."),
                    {"person": person, "day": day_b.isoformat(), "time": f"{start_b // 60:02d}:{start_b % 60:02d}"},
                    second))
                del first
    return problems


def revalidate(plan: Plan) -> list[PlanProblem]:
    """Every rule of a generated plan that the current slots break (empty when the plan holds)."""
    audit = plan.audit
    problems: list[PlanProblem] = []
    team = {member.user_id: member for member in audit.team}
    sites = {site.name: site for site in audit.sites}
    technical = {(spec.standard, spec.clause) for spec in plan.clauses if spec.technical}
    blocks = plan.hours.ordered()
    audited = 0
    for index, slot in enumerate(plan.slots):
        start, end = minutes_of(slot.start), minutes_of(slot.end)
        if end <= start:
            problems.append(PlanProblem("empty_slot", N_("A slot on {day} ends before it starts."),
                                        {"day": slot.day.isoformat()}, index))
        elif not any(b_start <= start and end <= b_end for b_start, b_end in blocks):
            problems.append(PlanProblem("outside_hours", N_("The slot on {day} at {time} is outside working hours."),
                                        {"day": slot.day.isoformat(), "time": slot.start.strftime("%H:%M")}, index))
        if not audit.start_date <= slot.day <= audit.end_date:
            problems.append(PlanProblem("outside_dates", N_("The slot on {day} is outside the audit dates."),
                                        {"day": slot.day.isoformat()}, index))
        member = team.get(slot.auditor)
        if member is None and slot.activity is not Activity.AUDIT:
            problems.append(PlanProblem("not_member", N_("{person} is not in this audit's team."),
                                        {"person": slot.auditor}, index))
        elif slot.activity is Activity.AUDIT and (member is None or member.role not in AUDITING_ROLES):
            problems.append(PlanProblem("not_auditor", N_("{person} is not an auditor of this audit's team."),
                                        {"person": slot.auditor}, index))
        expert = team.get(slot.expert) if slot.expert else None
        if slot.expert and (expert is None or expert.role is not TeamRole.TECHNICAL_EXPERT):
            problems.append(PlanProblem("not_expert", N_("{person} is not a technical expert of this audit's team."),
                                        {"person": slot.expert}, index))
        if slot.site and slot.site not in sites:
            problems.append(PlanProblem("unknown_site", N_("The site {site} is not part of the audit."),
                                        {"site": slot.site}, index))
        elif slot.site and slot.process and sites[slot.site].processes and not all(
                part in sites[slot.site].processes for part in slot.process.split("、")):
            problems.append(PlanProblem("unknown_process", N_("The site {site} has no process {process}."),
                                        {"site": slot.site, "process": slot.process}, index))
        if slot.activity is Activity.AUDIT:
            audited += max(0, end - start)
            needs = any((ref.standard, ref.clause) in technical for ref in slot.clauses)
            if needs and member is not None:
                missing = uncovered(audit.scope_codes, member, expert)
                if missing:
                    problems.append(PlanProblem(
                        "not_competent", N_("{person} audits {clauses} without competence for {codes}."),
                        {"person": slot.auditor, "codes": ", ".join(missing),
                         "clauses": ", ".join(ref.clause for ref in slot.clauses)}, index))
    covered = {(ref.standard, ref.clause) for slot in plan.slots if slot.activity is Activity.AUDIT
               for ref in slot.clauses}
    for spec in plan.clauses:
        if (spec.standard, spec.clause) not in covered:
            problems.append(PlanProblem("not_covered", N_("Clause {clause} of {standard} is not scheduled."),
                                        {"clause": spec.clause, "standard": spec.standard}))
    problems.extend(_overlaps(plan))
    needed = plan.audit_days * plan.hours.minutes()
    meetings = sum(slot.minutes for slot in plan.slots if slot.activity is not Activity.AUDIT
                   and team.get(slot.auditor) is not None and team[slot.auditor].role in AUDITING_ROLES)
    if audited + meetings + TOLERANCE_MINUTES < needed:
        problems.append(PlanProblem(
            "too_short", N_("The plan has {planned} auditor days; the audit time is {needed} days."),
            {"planned": f"{(audited + meetings) / plan.hours.minutes():.2f}".rstrip("0").rstrip("."),
             "needed": f"{plan.audit_days:g}"}))
    return problems
