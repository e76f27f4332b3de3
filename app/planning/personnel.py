"""Effective number of personnel (IAF MD 5:2019 clause 3 and Annex D).

All personnel in the certification scope count, on every shift: full-time, temporary and
shift workers each count as one person.  Part-time workers are converted to full-time
equivalents from the hours they work against a full-time week.  A certification body may
justify a reduction for personnel doing similar, simple, repetitive tasks (MD 5 Annex D);
that reduction is recorded with its reason.  Fractions are rounded up: never fewer people
than the organisation has.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from app.errors import ValidationFailed
from app.i18n import N_, gettext
from app.planning.steps import Step

# Far more than the largest employer in one certificate scope: larger counts are typing errors.
ABSURD_PERSONNEL = 2_000_000
MAX_WEEKLY_HOURS = 84


@dataclass(frozen=True)
class PersonnelCount:
    """Head counts as the client declares them (application review)."""

    full_time: int = 0
    part_time: int = 0
    part_time_hours: float = 0.0
    full_time_hours: float = 40.0
    shift_workers: int = 0
    temporary: int = 0
    repetitive: int = 0
    repetitive_reduction_percent: float = 0.0
    repetitive_reason: str = ""


@dataclass(frozen=True)
class EffectivePersonnel:
    value: int
    steps: tuple[Step, ...] = field(default_factory=tuple)


COUNT_LABELS = {
    "full_time": N_("Full-time personnel"),
    "part_time": N_("Part-time personnel"),
    "shift_workers": N_("Shift workers"),
    "temporary": N_("Temporary personnel"),
    "repetitive": N_("Personnel on repetitive tasks"),
    "effective_personnel": N_("Effective personnel"),
}


def _check_count(field_name: str, value: object) -> int:
    name = gettext(COUNT_LABELS[field_name])
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationFailed(N_("{name}: the number of personnel must be a whole number."), name=name)
    if value < 0:
        raise ValidationFailed(N_("{name}: the number of personnel cannot be negative ({value})."),
                               name=name, value=value)
    if value > ABSURD_PERSONNEL:
        raise ValidationFailed(
            N_("{name}: {value} personnel is not plausible (at most {limit})."),
            name=name, value=value, limit=ABSURD_PERSONNEL)
    return value


def check_personnel(value: object) -> int:
    """An effective personnel number given directly: a whole number from 1 to the plausible limit."""
    count = _check_count("effective_personnel", value)
    if count == 0:
        raise ValidationFailed(N_("The effective number of personnel must be at least 1."))
    return count


def effective_personnel(count: PersonnelCount) -> EffectivePersonnel:
    """Convert declared head counts to the effective number of personnel, with the reasons."""
    full = _check_count("full_time", count.full_time)
    part = _check_count("part_time", count.part_time)
    shifts = _check_count("shift_workers", count.shift_workers)
    temporary = _check_count("temporary", count.temporary)
    repetitive = _check_count("repetitive", count.repetitive)
    if not 0 < count.full_time_hours <= MAX_WEEKLY_HOURS:
        raise ValidationFailed(N_("A full-time week must be between 1 and {limit} hours, not {hours}."),
                               limit=MAX_WEEKLY_HOURS, hours=count.full_time_hours)
    if part and not 0 < count.part_time_hours < count.full_time_hours:
        raise ValidationFailed(
            N_("Part-time workers must work fewer hours than a full-time week ({full} h), not {hours} h."),
            full=count.full_time_hours, hours=count.part_time_hours)
    steps: list[Step] = []
    total = float(full + shifts + temporary)
    steps.append(Step(N_("{count} full-time, temporary and shift personnel count one each"),
                      {"count": full + shifts + temporary}))
    if part:
        equivalent = part * count.part_time_hours / count.full_time_hours
        total += equivalent
        steps.append(Step(
            N_("{count} part-time personnel at {hours} h of {full} h a week count as {equivalent}"),
            {"count": part, "hours": _num(count.part_time_hours), "full": _num(count.full_time_hours),
             "equivalent": _num(round(equivalent, 2))}))
    if repetitive:
        if repetitive > full + shifts + temporary + part:
            raise ValidationFailed(
                N_("{repetitive} personnel on repetitive tasks is more than the {total} declared."),
                repetitive=repetitive, total=full + shifts + temporary + part)
        if not 0 <= count.repetitive_reduction_percent <= 100:
            raise ValidationFailed(N_("A reduction must be between 0% and 100%, not {percent}%."),
                                   percent=count.repetitive_reduction_percent)
        if count.repetitive_reduction_percent and not count.repetitive_reason.strip():
            raise ValidationFailed(N_("A reduction of the effective personnel needs a reason."))
        removed = repetitive * count.repetitive_reduction_percent / 100
        total -= removed
        steps.append(Step(N_("−{removed} for {count} personnel on similar, simple tasks because {reason}"),
                          {"removed": _num(round(removed, 2)), "count": repetitive,
                           "reason": count.repetitive_reason.strip()}))
    value = math.ceil(round(total, 6))
    if value < 1:
        raise ValidationFailed(N_("The effective number of personnel must be at least 1."))
    if value > ABSURD_PERSONNEL:
        raise ValidationFailed(N_("{name}: {value} personnel is not plausible (at most {limit})."),
                               name=gettext(COUNT_LABELS["effective_personnel"]), value=value,
                               limit=ABSURD_PERSONNEL)
    steps.append(Step(N_("effective personnel: {value}"), {"value": value}))
    return EffectivePersonnel(value=value, steps=tuple(steps))


def _num(value: float) -> str:
    """1.5 -> "1.5", 2.0 -> "2": the figures read as a person would write them."""
    return f"{value:g}"
