"""Clause catalogues (numbers and titles in zh and en) and their Annex SL correspondence.

Standards are named as in ``app.domain.Standard`` (``"ISO 9001:2015"``); the
identical national adoptions (``"GB/T 19001-2016"``) are accepted as aliases.
Only numbers and headings are stored, never requirement text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from app.i18n import N_
from app.refdata.data import load_json
from app.refdata.verdict import EMPTY, NOT_TEXT, CodeVerdict, Reason, verdict

CATALOGUE_FILES = {
    "ISO 9001:2015": "clauses/iso9001_2015.json",
    "ISO 14001:2015": "clauses/iso14001_2015.json",
    "ISO 45001:2018": "clauses/iso45001_2018.json",
}
_CLAUSE = re.compile(r"\d{1,2}(\.\d{1,2}){0,3}")


@dataclass(frozen=True)
class Clause:
    standard: str
    number: str
    title_zh: str
    title_en: str
    initials: str

    @property
    def parent(self) -> str | None:
        return self.number.rsplit(".", 1)[0] if "." in self.number else None

    @property
    def level(self) -> int:
        return self.number.count(".") + 1

    def title(self, language: str | None = None) -> str:
        return self.title_en if (language or "").startswith("en") else self.title_zh


@dataclass(frozen=True)
class Correspondence:
    """One Annex SL row: the clause of each standard that carries the same harmonized requirement."""

    id: str
    refs: dict[str, str]


_catalogues: dict[str, dict[str, Clause]] = {}
_aliases: dict[str, str] = {}
_rows: list[Correspondence] | None = None


def clear_cache() -> None:
    global _rows
    _catalogues.clear()
    _aliases.clear()
    _rows = None


def standards() -> tuple[str, ...]:
    return tuple(CATALOGUE_FILES)


def canonical_standard(name: str) -> str | None:
    """``"GB/T 19001-2016"``, ``"iso 9001:2015"`` or ``"ISO 9001:2015"`` -> ``"ISO 9001:2015"``."""
    if not _aliases:
        for standard, path in CATALOGUE_FILES.items():
            payload: dict[str, Any] = load_json(path)
            for alias in (standard, payload["national"]):
                _aliases[_alias_key(alias)] = standard
    return _aliases.get(_alias_key(name)) if isinstance(name, str) else None


def _alias_key(name: str) -> str:
    return re.sub(r"[\s/\-—]", "", name).upper()


def national_adoption(standard: str) -> str:
    key = canonical_standard(standard) or standard
    national: str = load_json(CATALOGUE_FILES[key])["national"]
    return national


def catalogue(standard: str) -> dict[str, Clause]:
    """Every clause of a standard in document order (empty for an unknown standard)."""
    key = canonical_standard(standard)
    if key is None:
        return {}
    found = _catalogues.get(key)
    if found is None:
        payload: dict[str, Any] = load_json(CATALOGUE_FILES[key])
        found = {number: Clause(key, number, zh, en, initials) for number, zh, en, initials in payload["clauses"]}
        _catalogues[key] = found
    return found


def clause(standard: str, number: str) -> Clause | None:
    return catalogue(standard).get(number.strip()) if isinstance(number, str) else None


def clause_title(standard: str, number: str, language: str | None = None) -> str | None:
    found = clause(standard, number)
    return found.title(language) if found else None


def leaf_clauses(standard: str) -> list[Clause]:
    """Clauses with no sub-clauses: the ones a checklist asks about, in document order."""
    items = catalogue(standard)
    parents = {item.parent for item in items.values() if item.parent}
    return [item for item in items.values() if item.number not in parents and item.level > 1]


def correspondences() -> list[Correspondence]:
    global _rows
    if _rows is None:
        rows: list[dict[str, Any]] = load_json("clauses/annex_sl.json")["rows"]
        _rows = [Correspondence(row["id"], dict(row["refs"])) for row in rows]
    return _rows


def corresponding(standard: str, number: str) -> dict[str, str]:
    """The clauses of the other standards that match ``standard`` ``number`` (empty when none)."""
    key = canonical_standard(standard)
    for row in correspondences():
        if key is not None and row.refs.get(key) == number:
            return {other: ref for other, ref in row.refs.items() if other != key}
    return {}


def format_ref(standard: str, number: str) -> str:
    """The text form used in ``ChecklistItem.also_covers`` and findings: ``"ISO 14001:2015 7.2"``."""
    return f"{standard} {number}"


def parse_ref(text: str) -> tuple[str, str] | None:
    """``"ISO 14001:2015 7.2"`` (or ``"GB/T 24001-2016 7.2"``) -> (standard, clause), None when unknown."""
    if not isinstance(text, str) or " " not in text.strip():
        return None
    name, number = text.strip().rsplit(" ", 1)
    key = canonical_standard(name)
    if key is None or clause(key, number) is None:
        return None
    return key, number


def check_clause(standard: object, number: object) -> CodeVerdict:
    """Is ``number`` a clause of ``standard``?  (Used for finding and checklist references.)"""
    shown = f"{standard} {number}"
    problems: list[Reason] = []
    parts: dict[str, str] = {}
    code = number.strip() if isinstance(number, str) else ""
    key = canonical_standard(standard) if isinstance(standard, str) else None
    if not isinstance(number, str) or not isinstance(standard, str):
        problems.append(NOT_TEXT)
    elif not code:
        problems.append(EMPTY)
    elif key is None:
        problems.append(Reason(N_("{standard} is not a standard with a clause catalogue."),
                               {"standard": standard[:60]}))
    elif not _CLAUSE.fullmatch(code):
        problems.append(Reason(N_("{clause} is not a clause number."), {"clause": code[:20]}))
    else:
        found = clause(key, code)
        if found is None:
            problems.append(Reason(N_("{standard} has no clause {clause}."), {"standard": key, "clause": code}))
        else:
            parts = {"standard": key, "national": national_adoption(key), "title_zh": found.title_zh,
                     "title_en": found.title_en}
            also = corresponding(key, code)
            if also:
                parts["corresponds_to"] = ", ".join(format_ref(std, ref) for std, ref in also.items())
    return verdict("clause", shown, code, problems, [], parts)
