"""Certification scope codes: IAF/EA sectors 01-39 and the finer ``NN.NN.NN`` codes.

The sectors ship in ``iaf_sectors.json``.  The finer levels are the certification
body's (or regulator's) catalogue; the platform pushes it and the sync layer
hands it to :func:`extend_finer_codes`.  Until a sector's finer catalogue is
known, a finer code is checked for structure only and a note says so.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from app.i18n import N_
from app.refdata.data import load_json
from app.refdata.normalise import normalise_code
from app.refdata.verdict import EMPTY, NOT_TEXT, CodeVerdict, Reason, verdict

_FORM = re.compile(r"(\d{1,2})(?:\.(\d{2}))?(?:\.(\d{2}))?")
_lock = threading.Lock()


@dataclass(frozen=True)
class ScopeCode:
    code: str
    name_zh: str
    name_en: str
    initials: str

    def name(self, language: str | None = None) -> str:
        return self.name_en if (language or "").startswith("en") else self.name_zh


_sectors: dict[str, ScopeCode] | None = None
_finer: dict[str, ScopeCode] = {}


def clear_cache() -> None:
    global _sectors
    with _lock:
        _sectors = None
        _finer.clear()


def sectors() -> dict[str, ScopeCode]:
    global _sectors
    if _sectors is None:
        payload: dict[str, Any] = load_json("iaf_sectors.json")
        loaded = {code: ScopeCode(code, zh, en, initials) for code, zh, en, initials in payload["sectors"]}
        for code, entry in payload.get("finer", {}).items():
            _finer[code] = ScopeCode(code, entry["zh"], entry.get("en", ""), entry.get("initials", ""))
        _sectors = loaded
    return _sectors


def finer_codes() -> dict[str, ScopeCode]:
    sectors()
    return dict(_finer)


def extend_finer_codes(entries: Mapping[str, Mapping[str, str]]) -> int:
    """Add the platform's finer catalogue (``{"19.05.01": {"zh": ..., "en": ...}}``).

    Entries with a malformed code or an unknown sector are skipped (the platform
    is not trusted blindly); returns how many were accepted.
    """
    known = sectors()
    accepted = 0
    with _lock:
        for raw, entry in entries.items():
            match = _FORM.fullmatch(raw)
            if (match is None or len(match.group(1)) != 2 or match.group(2) is None
                    or match.group(1) not in known or "00" in (match.group(2), match.group(3))):
                continue
            zh = str(entry.get("zh", "")).strip()
            if not zh:
                continue
            _finer[raw] = ScopeCode(raw, zh, str(entry.get("en", "")), str(entry.get("initials", "")))
            accepted += 1
    return accepted


def iaf_name(code: str, language: str | None = None) -> str | None:
    cleaned, _notes = normalise_code(code)
    found = finer_codes().get(cleaned) or sectors().get(cleaned)
    return found.name(language) if found else None


def check_iaf(value: object) -> CodeVerdict:
    code, notes = normalise_code(value)
    problems: list[Reason] = []
    parts: dict[str, str] = {}
    match = _FORM.fullmatch(code)
    if not isinstance(value, str):
        problems.append(NOT_TEXT)
    elif not code:
        problems.append(EMPTY)
    elif match is None:
        problems.append(Reason(N_("{code} is not a certification scope code (NN, NN.NN or NN.NN.NN)."),
                               {"code": code}))
    else:
        sector, middle, last = match.group(1), match.group(2), match.group(3)
        if len(sector) == 1:
            sector = "0" + sector
            notes.append(Reason(N_("A leading zero was added to the sector number.")))
        code = ".".join(part for part in (sector, middle, last) if part)
        found = sectors().get(sector)
        if found is None:
            problems.append(Reason(N_("IAF scope sector {code} does not exist (1-39)."), {"code": sector}))
        elif "00" in (middle, last):
            problems.append(Reason(N_("{code}: 00 is not a valid subdivision."), {"code": code}))
        else:
            parts = {"sector": sector, "sector_name_zh": found.name_zh, "sector_name_en": found.name_en,
                     "level": str(1 + (middle is not None) + (last is not None))}
            if middle is not None:
                problems, more = _check_finer(code, sector, parts)
                notes.extend(more)
    return verdict("iaf", value, code, problems, notes, parts)


def _check_finer(code: str, sector: str, parts: dict[str, str]) -> tuple[list[Reason], list[Reason]]:
    catalogue = finer_codes()
    entry = catalogue.get(code)
    if entry is not None:
        parts["name_zh"], parts["name_en"] = entry.name_zh, entry.name_en
        return [], []
    if any(known.startswith(sector + ".") for known in catalogue):
        return [Reason(N_("{code} is not in the scope-code catalogue of sector {sector}."),
                       {"code": code, "sector": sector})], []
    return [], [Reason(N_("No finer catalogue for sector {sector} is loaded; only the structure was checked."),
                       {"sector": sector})]
