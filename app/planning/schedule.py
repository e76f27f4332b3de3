"""Generate an audit plan: who audits which process and clauses, when, where, with whom.

Inputs are plain: the :class:`~app.domain.audit.Audit` (sites with processes, team with roles
and competence codes, dates, scope codes), the clause lists of its standards, the audit time
in auditor days (from :mod:`app.planning.audit_time`) and the client's working hours.

How the plan is built:

* clauses are grouped into audit items (per site, process, standard and main clause): a
  clause tied to a process is audited at every site running it; other technical
  (operational) clauses at every site; the rest (management system clauses) at the central
  site (the first one);
* the auditor days, less an opening and a closing meeting for the whole team, are shared
  between the items by their clause count (technical clauses weigh 1.5), in quarter hours;
* each item goes to the least-loaded auditor (lead or auditor) competent for it: a technical
  item needs the audit's scope codes, covered by the auditor or else by a technical expert
  who accompanies; an item longer than a working period continues in the next one;
* nobody is booked twice: each person's time is tracked separately and items are placed in
  the earliest time free for both auditor and expert, within the working hours and dates.

:func:`revalidate` (in :mod:`app.planning.schedule_check`) lists what no longer holds after
the lead auditor edits the plan.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from app.domain.audit import Audit, TeamMember
from app.domain.finding import ClauseRef
from app.errors import FieldAuditError, ValidationFailed
from app.i18n import N_
from app.planning.competence import auditors, experts, uncovered
from app.planning.schedule_check import PlanProblem, revalidate
from app.planning.schedule_model import Activity, ClauseSpec, Plan, Slot, WorkingHours, to_time

QUARTER = 15
MEETING = 30
TECHNICAL_WEIGHT = 1.5


class PlanningError(FieldAuditError):
    message = N_("The audit plan cannot be generated.")


@dataclass
class _Item:
    site: str
    process: str
    technical: bool
    clauses: list[ClauseSpec] = field(default_factory=list)
    minutes: int = 0

    @property
    def weight(self) -> float:
        return len(self.clauses) * (TECHNICAL_WEIGHT if self.technical else 1.0)


class _Calendar:
    """Busy minutes per person per day; finds time free for several people at once."""

    def __init__(self, days: Sequence[date], blocks: list[tuple[int, int]]) -> None:
        self.days, self.blocks = list(days), blocks
        self.busy: dict[tuple[str, date], list[tuple[int, int]]] = {}

    def free(self, people: Sequence[str], day: date, start: int, end: int) -> bool:
        return all(not (start < b_end and b_start < end)
                   for person in people for b_start, b_end in self.busy.get((person, day), []))

    def book(self, people: Sequence[str], day: date, start: int, end: int) -> None:
        for person in people:
            self.busy.setdefault((person, day), []).append((start, end))

    def place(self, people: Sequence[str], minutes: int) -> list[tuple[date, int, int]]:
        """Earliest pieces totalling ``minutes`` free for all ``people``; books them."""
        pieces: list[tuple[date, int, int]] = []
        remaining = minutes
        for day in self.days:
            for start, end in self.blocks:
                moment = start
                while moment < end and remaining > 0:
                    if not self.free(people, day, moment, moment + QUARTER):
                        moment += QUARTER
                        continue
                    stop = moment
                    while stop < end and stop - moment < remaining and self.free(people, day, stop, stop + QUARTER):
                        stop += QUARTER
                    stop = min(stop, end, moment + remaining)
                    pieces.append((day, moment, stop))
                    remaining -= stop - moment
                    moment = stop
                if remaining <= 0:
                    break
            if remaining <= 0:
                break
        if remaining > 0:
            return []
        for day, start, end in pieces:
            self.book(people, day, start, end)
        return pieces


def _items(audit: Audit, clauses: Sequence[ClauseSpec]) -> list[_Item]:
    central = audit.sites[0]
    items: dict[tuple[str, str, bool, str, str], _Item] = {}
    for spec in clauses:
        if spec.process:
            sites = [site for site in audit.sites if spec.process in site.processes]
            if not sites:
                raise PlanningError(N_("No site of the audit runs the process {process} (clause {clause})."),
                                    process=spec.process, clause=spec.clause)
            targets = [(site.name, spec.process) for site in sites]
        elif spec.technical:
            targets = [(site.name, "、".join(site.processes)) for site in audit.sites]
        else:
            targets = [(central.name, "")]
        for site_name, process in targets:
            # One item per main clause keeps slots short enough to share out and to read.
            key = (site_name, process, spec.technical, spec.standard, spec.clause.split(".")[0])
            items.setdefault(key, _Item(site_name, process, spec.technical)).clauses.append(spec)
    return list(items.values())


def _contact(contacts: Mapping[str, str], site: str, process: str, default: str) -> str:
    for key in (f"{site}/{process}", process, site):
        if key and key in contacts:
            return contacts[key]
    return default


def _audit_days(audit: Audit) -> list[date]:
    count = (audit.end_date - audit.start_date).days + 1
    return [audit.start_date + timedelta(days=offset) for offset in range(count)]


def _assign(item: _Item, team: Sequence[TeamMember], codes: Sequence[str], load: dict[str, int],
            capacity: int) -> tuple[TeamMember, TeamMember | None]:
    """The least-loaded competent auditor (with an expert if needed) who still has the time."""
    candidates = auditors(team)
    options: list[tuple[TeamMember, TeamMember | None]]
    if item.technical and codes:
        options = [(member, None) for member in candidates if not uncovered(codes, member)]
        options += [(member, expert) for member in candidates for expert in experts(team)
                    if uncovered(codes, member) and not uncovered(codes, member, expert)]
        if not options:
            raise PlanningError(
                N_("Nobody in the team is competent for the scope codes {codes}, not even with a technical "
                   "expert."), codes=", ".join(uncovered(codes, *team)))
    else:
        options = [(member, None) for member in candidates]

    def fits(option: tuple[TeamMember, TeamMember | None]) -> bool:
        return all(load[person.user_id] + item.minutes <= capacity for person in option if person is not None)

    def cost(option: tuple[TeamMember, TeamMember | None]) -> tuple[bool, bool, int]:
        auditor, expert = option
        return (not fits(option), expert is not None, load[auditor.user_id])

    return min(options, key=cost)


def generate(audit: Audit, clauses: Sequence[ClauseSpec], audit_days: float,
             hours: WorkingHours | None = None, contacts: Mapping[str, str] | None = None) -> Plan:
    """A plan covering every clause within ``audit_days`` auditor days; PlanningError if impossible."""
    hours = hours or WorkingHours()
    contacts = dict(contacts or {})
    if not math.isfinite(audit_days) or audit_days <= 0 or audit_days > 1000:
        raise ValidationFailed(N_("The audit time must be more than 0 and at most 1000 days, not {days}."),
                               days=audit_days)
    if not clauses:
        raise PlanningError(N_("There are no clauses to audit."))
    if not audit.sites:
        raise PlanningError(N_("The audit has no site."))
    team = auditors(audit.team)
    if not team:
        raise PlanningError(N_("The audit team has no lead auditor or auditor."))
    seen: set[tuple[str, str]] = set()
    for spec in clauses:
        if (spec.standard, spec.clause) in seen:
            raise PlanningError(N_("Clause {clause} of {standard} is listed twice."),
                                clause=spec.clause, standard=spec.standard)
        seen.add((spec.standard, spec.clause))
    if any(spec.technical for spec in clauses):
        missing = uncovered(audit.scope_codes, *team, *experts(audit.team))
        if missing:
            raise PlanningError(
                N_("Nobody in the team is competent for the scope codes {codes}, not even with a technical "
                   "expert."), codes=", ".join(missing))
    days = _audit_days(audit)
    daily = hours.minutes()
    capacity = len(days) * daily * len(team)
    budget = round(audit_days * daily)
    if budget > capacity:
        raise PlanningError(
            N_("The audit needs {needed} auditor days but {auditors} auditors over {days} days give only "
               "{available}."), needed=f"{audit_days:g}", auditors=len(team), days=len(days),
            available=f"{capacity / daily:g}")
    items = _items(audit, clauses)
    meetings = 2 * MEETING * len(team)
    share = max(budget - meetings, QUARTER * len(items))
    total_weight = sum(item.weight for item in items)
    # Largest remainder: the items' quarter hours add up to exactly the time available.
    quarters = share // QUARTER
    raw = [quarters * item.weight / total_weight for item in items]
    counts = [math.floor(value) for value in raw]
    by_remainder = sorted(range(len(items)), key=lambda index: counts[index] - raw[index])
    for index in by_remainder[: quarters - sum(counts)]:
        counts[index] += 1
    for item, count in zip(items, counts, strict=True):
        item.minutes = max(2, count) * QUARTER
    calendar = _Calendar(days, hours.ordered())
    people = [member.user_id for member in audit.team if member in team or member in experts(audit.team)]
    default_contact = audit.client.representative
    central = audit.sites[0].name
    slots: list[Slot] = []
    opening = calendar.place(people, MEETING)
    last_end = hours.ordered()[-1][1]
    if not opening or calendar.free(people, days[-1], last_end - MEETING, last_end) is False:
        raise PlanningError(N_("The working hours leave no time for the opening and closing meetings."))
    # The closing meeting ends the last audit day; booking it first keeps that time for it.
    calendar.book(people, days[-1], last_end - MEETING, last_end)
    meetings_at = [(Activity.OPENING, *opening[0]), (Activity.CLOSING, days[-1], last_end - MEETING, last_end)]
    for activity, day, start, end in meetings_at:
        slots.extend(Slot(day=day, start=to_time(start), end=to_time(end), activity=activity,
                          site=central, auditor=person, contact=default_contact) for person in people)
    load = {member.user_id: 0 for member in audit.team}
    capacity = len(days) * daily - 2 * MEETING
    items.sort(key=lambda item: (not item.technical, -item.minutes))
    for item in items:
        auditor, expert = _assign(item, audit.team, audit.scope_codes if item.technical else [], load, capacity)
        names = [auditor.user_id] + ([expert.user_id] if expert else [])
        pieces = calendar.place(names, item.minutes)
        if not pieces:
            raise PlanningError(
                N_("There is not enough time in the audit dates to audit {process} at {site}."),
                process=item.process or item.clauses[0].clause, site=item.site)
        for name in names:
            load[name] += item.minutes
        refs = [ClauseRef(standard=spec.standard, clause=spec.clause) for spec in item.clauses]
        contact = _contact(contacts, item.site, item.process, default_contact)
        slots.extend(Slot(day=day, start=to_time(start), end=to_time(end), site=item.site, process=item.process,
                          clauses=refs, auditor=auditor.user_id, expert=expert.user_id if expert else None,
                          contact=contact) for day, start, end in pieces)
    slots.sort(key=lambda slot: (slot.day, slot.start, slot.auditor))
    return Plan(audit=audit, clauses=list(clauses), audit_days=audit_days, hours=hours, contacts=contacts,
                slots=slots)


def assignments(plan: Plan) -> dict[str, list[ClauseRef]]:
    """Each team member's clauses (for the checklist's ``assigned_to``), in plan order."""
    result: dict[str, list[ClauseRef]] = {}
    for slot in plan.slots:
        for ref in slot.clauses:
            mine = result.setdefault(slot.auditor, [])
            if ref not in mine:
                mine.append(ref)
    return result


__all__ = ["PlanProblem", "PlanningError", "assignments", "generate", "revalidate"]
