"""GB/T 2260 administrative divisions: names, hierarchy, current and historical codes."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from app.i18n import N_
from app.refdata.data import load_json
from app.refdata.normalise import normalise_code
from app.refdata.verdict import EMPTY, NOT_TEXT, CodeVerdict, Reason, verdict

PROVINCE, PREFECTURE, COUNTY = "province", "prefecture", "county"
# Used in USCC positions 3-8 by bodies registered at national level (no region).
NATIONAL_CODE = "100000"
_SIX_DIGITS = re.compile(r"[1-9]\d{5}")


@dataclass(frozen=True)
class Region:
    code: str
    name: str
    initials: str
    level: str
    parent: str | None
    historical: bool = False
    withdrawn: int | None = None
    successors: tuple[str, ...] = ()


_current: dict[str, Region] | None = None
_historical: dict[str, Region] | None = None


def clear_cache() -> None:
    global _current, _historical
    _current = None
    _historical = None


def level_of(code: str) -> str:
    if code.endswith("0000"):
        return PROVINCE
    if code.endswith("00"):
        return PREFECTURE
    return COUNTY


def _parent(code: str, known: set[str]) -> str | None:
    level = level_of(code)
    if level == PROVINCE:
        return None
    province = code[:2] + "0000"
    if level == COUNTY and code[:4] + "00" in known:
        return code[:4] + "00"
    # Counties directly under a province (municipalities, 省直辖县级行政区划) hang off the province.
    return province


def _load() -> tuple[dict[str, Region], dict[str, Region]]:
    global _current, _historical
    if _current is None or _historical is None:
        rows: list[list[str]] = load_json("regions.json")["regions"]
        old: dict[str, Any] = load_json("regions_historical.json")["codes"]
        known = {row[0] for row in rows} | set(old)
        current = {code: Region(code, name, initials, level_of(code), _parent(code, known))
                   for code, name, initials in rows}
        historical = {
            code: Region(code, entry["name"], entry["initials"], level_of(code), _parent(code, known),
                         historical=True, withdrawn=int(entry["withdrawn"]),
                         successors=tuple(entry.get("successors", ())))
            for code, entry in old.items() if code not in current
        }
        _current, _historical = current, historical
    return _current, _historical


def regions() -> dict[str, Region]:
    """Every current division, keyed by code (loaded on first use)."""
    return _load()[0]


def historical_regions() -> dict[str, Region]:
    return _load()[1]


def region(code: str) -> Region | None:
    current, historical = _load()
    return current.get(code) or historical.get(code)


def lineage(code: str) -> list[Region]:
    """The division and its ancestors, province first."""
    chain: list[Region] = []
    found = region(code)
    while found is not None and len(chain) < 4:
        chain.insert(0, found)
        found = region(found.parent) if found.parent else None
    return chain


def full_name(code: str) -> str | None:
    chain = lineage(code)
    return "".join(item.name for item in chain) if chain else None


def region_name(code: str, language: str | None = None) -> str | None:
    """Full name of a division (``广东省深圳市南山区``); the names exist in Chinese only."""
    del language  # GB/T 2260 has no official English names; the Chinese name is shown in both.
    cleaned, _notes = normalise_code(code)
    return full_name(cleaned)


def children(code: str) -> list[Region]:
    return [item for item in regions().values() if item.parent == code]


def decode_parts(code: str) -> dict[str, str]:
    found = region(code)
    if found is None:
        return {}
    parts = {"region_code": code, "region_name": found.name, "region_full_name": full_name(code) or found.name,
             "region_level": found.level}
    for ancestor in lineage(code)[:-1]:
        parts[f"{ancestor.level}_code"] = ancestor.code
        parts[f"{ancestor.level}_name"] = ancestor.name
    if found.historical:
        parts["status"] = "historical"
        parts["withdrawn"] = str(found.withdrawn)
        parts["successors"] = ",".join(found.successors)
    else:
        parts["status"] = "current"
    return parts


def historical_note(found: Region) -> Reason:
    names = "、".join(f"{code} {full_name(code) or ''}".strip() for code in found.successors)
    return Reason(N_("Historical code: withdrawn in {year}; now {successors}."),
                  {"year": found.withdrawn, "successors": names or "-"})


def check_region(value: object) -> CodeVerdict:
    """A GB/T 2260 code: must be a known current code, or a historical one (valid, with a note)."""
    code, notes = normalise_code(value)
    problems: list[Reason] = []
    parts: dict[str, str] = {}
    if not isinstance(value, str):
        problems.append(NOT_TEXT)
    elif not code:
        problems.append(EMPTY)
    elif not _SIX_DIGITS.fullmatch(code):
        problems.append(Reason(N_("{code} is not a six-digit administrative division code."), {"code": code}))
    else:
        found = region(code)
        if found is None:
            if region(code[:2] + "0000") is None:
                problems.append(Reason(N_("{code} is not a known administrative division code "
                                          "(no province starts with {prefix})."),
                                       {"code": code, "prefix": code[:2]}))
            else:
                problems.append(Reason(N_("{code} is not a known administrative division code."),
                                       {"code": code}))
        else:
            parts = decode_parts(code)
            if found.historical:
                notes.append(historical_note(found))
    return verdict("region", value, code, problems, notes, parts)
