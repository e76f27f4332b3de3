"""Turning a verdict into lines of text (the CLI prints them; the UI can show the same)."""

from __future__ import annotations

from app.i18n import N_, current_language, gettext
from app.refdata.verdict import CodeVerdict

CHECK_CODE_HELP = N_("check a unified social credit, region, industry or scope code")
KIND_HELP = N_("kind of code: uscc, region, industry or iaf")
VALUE_HELP = N_("the code to check")

KIND_LABELS = {
    "uscc": N_("Unified social credit code"),
    "region": N_("Administrative division code"),
    "industry": N_("Industry code (GB/T 4754-2017)"),
    "iaf": N_("Certification scope code"),
    "clause": N_("Clause"),
}
VALID = N_("{kind} {code}: valid")
INVALID = N_("{kind} {value}: not valid")

PART_LABELS = {
    "authority": N_("Registering authority"),
    "entity_type": N_("Entity type"),
    "region_code": N_("Region code"),
    "region_name": N_("Region"),
    "region_full_name": N_("Full name"),
    "region_level": N_("Level"),
    "region_status": N_("Region status"),
    "status": N_("Status"),
    "withdrawn": N_("Withdrawn in"),
    "successors": N_("Replaced by"),
    "organisation_code": N_("Organisation code"),
    "name": N_("Name"),
    "level": N_("Level"),
    "sector": N_("Sector"),
    "sector_name": N_("Sector name"),
    "province_name": N_("Province"),
    "prefecture_name": N_("Prefecture"),
    "section_name": N_("Section"),
    "division_name": N_("Division"),
    "group_name": N_("Group"),
    "class_name": N_("Class"),
}
VALUE_LABELS = {
    "province": N_("province"),
    "prefecture": N_("prefecture"),
    "county": N_("county"),
    "section": N_("section"),
    "division": N_("division"),
    "group": N_("group"),
    "class": N_("class"),
    "historical": N_("historical"),
    "current": N_("current"),
}
# Codes repeated in a part of their own are noise in the text form (they stay in --json).
_HIDDEN = {"authority_code", "entity_type_code", "province_code", "prefecture_code", "section_code",
           "division_code", "group_code", "class_code", "region_code"}


def _localised(parts: dict[str, str], english: bool) -> dict[str, str]:
    """Pick ``x``/``x_en`` (or ``x_zh``/``x_en``) pairs for the language in force."""
    chosen: dict[str, str] = {}
    for key, value in parts.items():
        base, _, suffix = key.rpartition("_")
        if suffix in ("en", "zh") and base:
            if (suffix == "en") == english:
                chosen[base] = value
            continue
        if key + "_en" in parts and english:
            continue
        chosen.setdefault(key, value)
    return chosen


def verdict_lines(verdict: CodeVerdict) -> list[str]:
    kind = gettext(KIND_LABELS.get(verdict.kind, verdict.kind))
    if verdict.valid:
        lines = [gettext(VALID).format(kind=kind, code=verdict.normalised)]
    else:
        lines = [gettext(INVALID).format(kind=kind, value=verdict.value or "''")]
    lines += [f"  ✗ {reason.text()}" for reason in verdict.problems]
    lines += [f"  · {reason.text()}" for reason in verdict.notes]
    english = current_language().startswith("en")
    for key, value in _localised(verdict.parts, english).items():
        if key in _HIDDEN or not value:
            continue
        label = gettext(PART_LABELS[key]) if key in PART_LABELS else key
        shown = gettext(VALUE_LABELS[value]) if value in VALUE_LABELS else value
        lines.append(f"  {label}: {shown}")
    return lines
