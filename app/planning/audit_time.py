"""Audit time from IAF MD 5:2019, with the integrated-system (IAF MD 11) and multi-site
(IAF MD 1) adjustments, each step recorded with its reason.

Order of the calculation (each step is one :class:`Step` of the result):

1. table time per management system from the effective personnel (and complexity);
2. MD 5 adjustments per system: increases as given, decreases capped at 30% of the table time;
3. integrated management system (MD 11): the sum of the systems reduced by at most 20%;
4. multi-site (MD 1): the central function plus a sample of √n sites (0.6√n at surveillance,
   0.8√n at recertification, largest sites first), each sampled site reduced by at most 50%;
5. surveillance ≈ 1/3 and recertification ≈ 2/3 of the initial time;
6. off-site planning and reporting at most 20%, so on-site time is never below 80%;
7. every figure rounded to the nearest half day (half-way rounds up), at least half a day.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from app.domain.audit import Audit, Standard
from app.errors import ValidationFailed
from app.i18n import N_, gettext
from app.planning.factors import FACTOR_LABELS, Adjustment, Factor
from app.planning.md5_tables import (
    COMPLEXITY_LABELS,
    SYSTEM_LABELS,
    TABLE_LIMIT,
    Complexity,
    System,
    complexities,
    lookup,
)
from app.planning.personnel import _num, check_personnel
from app.planning.steps import Step

MAX_REDUCTION_PERCENT = 30.0  # IAF MD 5
MAX_INTEGRATION_PERCENT = 20.0  # IAF MD 11
MAX_SITE_REDUCTION_PERCENT = 50.0  # IAF MD 1
MAX_OFFSITE_PERCENT = 20.0  # IAF MD 5: on-site at least 80%
HOURS_PER_DAY = 8

STANDARD_SYSTEMS = {Standard.ISO9001: System.QMS, Standard.ISO14001: System.EMS, Standard.ISO45001: System.OHSMS}


@dataclass(frozen=True)
class SystemSpec:
    system: System
    complexity: Complexity | None = None


@dataclass(frozen=True)
class SiteLoad:
    name: str
    personnel: int
    central: bool = False


@dataclass(frozen=True)
class AuditTimeRequest:
    systems: Sequence[SystemSpec]
    personnel: int
    adjustments: Sequence[Adjustment] = ()
    integration_percent: float = 0.0
    integration_reason: str = ""
    sites: Sequence[SiteLoad] = ()
    site_reduction_percent: float = 0.0
    offsite_percent: float = 0.0
    stage1_share: float = 0.3


@dataclass(frozen=True)
class AuditTime:
    initial_days: float
    stage1_days: float
    stage2_days: float
    surveillance_days: float
    recertification_days: float
    onsite_days: float
    offsite_days: float
    steps: tuple[Step, ...] = field(default_factory=tuple)
    headline_steps: int = 0

    def explain(self, translate: Callable[[str], str] = gettext) -> str:
        """Headline ("7 days: 86–125 …; −10% because …") then one line per step."""
        head = translate(N_("{days} days =")).format(days=_num(self.initial_days))
        headline = ""
        for step in self.steps[: self.headline_steps]:
            part = step.render(translate)
            # "central function X:" introduces the step after it rather than being one of a list.
            if headline.endswith(("：", ":")):
                headline += ("" if headline.endswith("：") else " ") + part
            elif headline:
                # A list separator of the language: "；" in Chinese.
                headline = translate(N_("{first}; {then}")).format(first=headline, then=part)
            else:
                headline = part
        lines = [f"{head} {headline}"]
        lines.extend(step.render(translate) for step in self.steps[self.headline_steps:])
        return "\n".join(lines)


def half_days(value: float) -> float:
    """Nearest half day, half-way up (5.25 -> 5.5, 5.2 -> 5), never below half a day."""
    return max(0.5, math.floor(round(value * 2, 9) + 0.5) / 2)


PERCENT_LABELS = {
    "integration_percent": N_("The integration reduction"),
    "site_reduction_percent": N_("The site reduction"),
    "offsite_percent": N_("The off-site share"),
}


def _check_percent(value: float, field_name: str) -> float:
    if not math.isfinite(value) or value < 0 or value > 100:
        raise ValidationFailed(N_("{name} must be a percentage from 0 to 100, not {percent}."),
                               name=gettext(PERCENT_LABELS[field_name]), percent=value)
    return value


def _validate(request: AuditTimeRequest) -> None:
    if not request.systems:
        raise ValidationFailed(N_("Choose at least one management system."))
    seen: set[System] = set()
    for spec in request.systems:
        if spec.system in seen:
            raise ValidationFailed(N_("{system} is listed twice."), system=gettext(SYSTEM_LABELS[spec.system]))
        seen.add(spec.system)
        allowed = complexities(spec.system)
        if allowed and spec.complexity not in allowed:
            raise ValidationFailed(
                N_("{system} needs a complexity category: one of {allowed}."),
                system=gettext(SYSTEM_LABELS[spec.system]),
                allowed=", ".join(gettext(COMPLEXITY_LABELS[c]) for c in allowed))
    check_personnel(request.personnel)
    for adjustment in request.adjustments:
        adjustment.validated()
        if adjustment.system is not None and adjustment.system not in seen:
            raise ValidationFailed(N_("An adjustment names {system}, which is not audited."),
                                   system=gettext(SYSTEM_LABELS[adjustment.system]))
    _check_percent(request.integration_percent, "integration_percent")
    _check_percent(request.site_reduction_percent, "site_reduction_percent")
    _check_percent(request.offsite_percent, "offsite_percent")
    if not 0.1 <= request.stage1_share <= 0.5:
        raise ValidationFailed(N_("Stage 1 must take between 10% and 50% of the initial audit time."))
    names: set[str] = set()
    for site in request.sites:
        check_personnel(site.personnel)
        if site.name in names:
            raise ValidationFailed(N_("Site {site} is listed twice."), site=site.name)
        names.add(site.name)
    if sum(1 for site in request.sites if site.central) > 1:
        raise ValidationFailed(N_("Only one site can be the central function."))


def _reason(adjustment: Adjustment) -> tuple[str, tuple[str, ...]]:
    if adjustment.reason.strip():
        return adjustment.reason.strip(), ()
    return FACTOR_LABELS[adjustment.factor], ("reason",)


def _system_days(spec: SystemSpec, personnel: int, adjustments: Sequence[Adjustment],
                 steps: list[Step]) -> float:
    low, high, days = lookup(spec.system, spec.complexity, personnel)
    labels = ("system", "complexity") if spec.complexity else ("system",)
    params: dict[str, object] = {"days": _num(days), "low": low, "high": high,
                                 "system": SYSTEM_LABELS[spec.system]}
    if spec.complexity:
        params["complexity"] = COMPLEXITY_LABELS[spec.complexity]
    if personnel > TABLE_LIMIT:
        params["personnel"] = personnel
        template = (N_("{days} days for {personnel} personnel, {system}, {complexity}, following the "
                       "progression beyond the table (band {low}–{high})") if spec.complexity else
                    N_("{days} days for {personnel} personnel, {system}, following the progression "
                       "beyond the table (band {low}–{high})"))
    else:
        template = (N_("{days} days: {low}–{high} personnel, {system}, {complexity}") if spec.complexity
                    else N_("{days} days: {low}–{high} personnel, {system}"))
    steps.append(Step(template, params, labels))
    increase = decrease = 0.0
    for adjustment in adjustments:
        if adjustment.system not in (None, spec.system):
            continue
        reason, reason_labels = _reason(adjustment)
        sign = "+" if adjustment.percent > 0 else "−"
        steps.append(Step(N_("{sign}{percent}% because {reason}"),
                          {"sign": sign, "percent": _num(abs(adjustment.percent)), "reason": reason},
                          reason_labels))
        if adjustment.percent > 0:
            increase += adjustment.percent
        else:
            decrease -= adjustment.percent
    if decrease > MAX_REDUCTION_PERCENT:
        steps.append(Step(N_("reductions of {requested}% capped at {cap}% (IAF MD 5)"),
                          {"requested": _num(decrease), "cap": _num(MAX_REDUCTION_PERCENT)}))
        decrease = MAX_REDUCTION_PERCENT
    return days * (1 + (increase - decrease) / 100)


def _combined(request: AuditTimeRequest, personnel: int, steps: list[Step]) -> float:
    total = sum(_system_days(spec, personnel, request.adjustments, steps) for spec in request.systems)
    if len(request.systems) > 1 and request.integration_percent > 0:
        percent = request.integration_percent
        if percent > MAX_INTEGRATION_PERCENT:
            steps.append(Step(N_("integration reduction of {requested}% capped at {cap}% (IAF MD 11)"),
                              {"requested": _num(percent), "cap": _num(MAX_INTEGRATION_PERCENT)}))
            percent = MAX_INTEGRATION_PERCENT
        reason = request.integration_reason.strip()
        if reason:
            steps.append(Step(N_("−{percent}% for the integrated management system (IAF MD 11) because "
                                 "{reason}"), {"percent": _num(percent), "reason": reason}))
        else:
            steps.append(Step(N_("−{percent}% for the integrated management system (IAF MD 11)"),
                              {"percent": _num(percent)}))
        total *= 1 - percent / 100
    return total


def sample_size(sites: int, factor: float) -> int:
    """IAF MD 1 sample: ⌈factor·√n⌉ of n sites, at least 1 and at most n."""
    return min(sites, max(1, math.ceil(round(factor * math.sqrt(sites), 9))))


def calculate(request: AuditTimeRequest) -> AuditTime:
    """The audit time of one client, explained step by step."""
    _validate(request)
    steps: list[Step] = []
    sites = list(request.sites)
    if len(sites) < 2:
        initial = _combined(request, request.personnel, steps)
        headline = len(steps)
        surveillance_base = recert_base = initial
    else:
        central = next((site for site in sites if site.central), sites[0])
        others = sorted((site for site in sites if site is not central), key=lambda s: -s.personnel)
        steps.append(Step(N_("central function {site}:"), {"site": central.name}))
        central_days = _combined(request, central.personnel, steps)
        headline = len(steps)
        reduction = min(request.site_reduction_percent, MAX_SITE_REDUCTION_PERCENT)
        if request.site_reduction_percent > MAX_SITE_REDUCTION_PERCENT:
            steps.append(Step(N_("site reduction of {requested}% capped at {cap}% (IAF MD 1)"),
                              {"requested": _num(request.site_reduction_percent),
                               "cap": _num(MAX_SITE_REDUCTION_PERCENT)}))
        site_days: list[float] = []
        for site in others:
            steps.append(Step(N_("site {site}:"), {"site": site.name}))
            days = _combined(request, site.personnel, steps)
            if reduction:
                steps.append(Step(N_("−{percent}% at sampled site {site} (IAF MD 1)"),
                                  {"percent": _num(reduction), "site": site.name}))
            site_days.append(days * (1 - reduction / 100))
        counts = [sample_size(len(others), factor) for factor in (1.0, 0.6, 0.8)]
        steps.append(Step(N_("multi-site (IAF MD 1): central function plus {initial} of {sites} sites at "
                             "the initial audit, {surveillance} at surveillance, {recertification} at "
                             "recertification, largest sites first"),
                          {"initial": counts[0], "sites": len(others), "surveillance": counts[1],
                           "recertification": counts[2]}))
        initial = central_days + sum(site_days[: counts[0]])
        surveillance_base = central_days + sum(site_days[: counts[1]])
        recert_base = central_days + sum(site_days[: counts[2]])
    initial_days = half_days(initial)
    if round(initial, 3) != initial_days:  # "15 days rounded to 15 days" would say nothing
        steps.append(Step(N_("{value} days rounded to {days} days"), {"value": _num(round(initial, 3)),
                                                                   "days": _num(initial_days)}))
    stage1 = half_days(initial_days * request.stage1_share)
    stage1 = min(stage1, max(0.5, initial_days - 0.5))
    stage2 = max(0.5, initial_days - stage1)
    steps.append(Step(N_("initial audit: stage 1 {stage1} days, stage 2 {stage2} days"),
                      {"stage1": _num(stage1), "stage2": _num(stage2)}))
    surveillance = half_days(surveillance_base / 3)
    recertification = half_days(recert_base * 2 / 3)
    steps.append(Step(N_("surveillance {days} days (1/3 of the initial time)"), {"days": _num(surveillance)}))
    steps.append(Step(N_("recertification {days} days (2/3 of the initial time)"),
                      {"days": _num(recertification)}))
    offsite_percent = request.offsite_percent
    if offsite_percent > MAX_OFFSITE_PERCENT:
        steps.append(Step(N_("off-site time of {requested}% capped at {cap}%: on-site time is never below "
                             "80% (IAF MD 5)"),
                          {"requested": _num(offsite_percent), "cap": _num(MAX_OFFSITE_PERCENT)}))
        offsite_percent = MAX_OFFSITE_PERCENT
    onsite = half_days(initial_days * (1 - offsite_percent / 100))
    while onsite < initial_days * (1 - MAX_OFFSITE_PERCENT / 100):
        onsite += 0.5
    onsite = min(onsite, initial_days)
    steps.append(Step(N_("on-site {onsite} days, off-site planning and reporting {offsite} days"),
                      {"onsite": _num(onsite), "offsite": _num(initial_days - onsite)}))
    return AuditTime(initial_days=initial_days, stage1_days=stage1, stage2_days=stage2,
                     surveillance_days=surveillance, recertification_days=recertification,
                     onsite_days=onsite, offsite_days=initial_days - onsite,
                     steps=tuple(steps), headline_steps=headline)


def request_for_audit(audit: Audit, complexity: Mapping[Standard, Complexity] | None = None,
                      **options: object) -> AuditTimeRequest:
    """A request from the audit record: its standards, effective personnel and sites.

    ``complexity`` gives the EMS/OH&S category per standard, over the one the audit records
    (``Audit.complexity``); ``options`` are the other :class:`AuditTimeRequest` fields
    (adjustments, integration_percent, ...).
    """
    given = {**audit.complexity, **(complexity or {})}
    specs = [SystemSpec(STANDARD_SYSTEMS[standard], given.get(standard)) for standard in audit.standards]
    sites = tuple(SiteLoad(site.name, site.personnel, central=index == 0)
                  for index, site in enumerate(audit.sites) if site.personnel > 0)
    return AuditTimeRequest(systems=specs, personnel=audit.effective_personnel,
                            sites=sites if len(sites) > 1 else (), **options)  # type: ignore[arg-type]


__all__ = ["AuditTime", "AuditTimeRequest", "Factor", "SiteLoad", "SystemSpec", "calculate",
           "half_days", "request_for_audit", "sample_size"]
