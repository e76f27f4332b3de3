"""GB/T 4754-2017 industry classification: sections, divisions, groups and classes.

Codes are written with their section letter (``C3611``), the usual form on
forms and in regulator reporting; the digits alone (``3611``) are accepted and
the letter is added with a note.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from app.i18n import N_
from app.refdata.data import load_json
from app.refdata.normalise import normalise_code
from app.refdata.verdict import EMPTY, NOT_TEXT, CodeVerdict, Reason, verdict

SECTION, DIVISION, GROUP, CLASS = "section", "division", "group", "class"
LEVELS = {1: SECTION, 2: DIVISION, 3: GROUP, 4: CLASS}
_SHAPE = re.compile(r"([A-T])?(\d{2,4})?")


@dataclass(frozen=True)
class Industry:
    code: str          # digits, or the section letter for a section
    name: str
    initials: str
    level: str
    parent: str | None
    section: str

    @property
    def full_code(self) -> str:
        """Code with its section letter (``C3611``; a section is its letter)."""
        return self.code if self.level == SECTION else self.section + self.code


_index: dict[str, Industry] | None = None


def clear_cache() -> None:
    global _index
    _index = None


def industries() -> dict[str, Industry]:
    """Every entry keyed by its code without the letter (sections by their letter)."""
    global _index
    if _index is None:
        entries: list[list[str]] = load_json("industries.json")["entries"]
        index: dict[str, Industry] = {}
        for code, name, initials, parent in entries:
            level = SECTION if code.isalpha() else LEVELS[len(code)]
            section = code if level == SECTION else index[parent].section
            index[code] = Industry(code, name, initials, level, parent or None, section)
        _index = index
    return _index


def industry(code: str) -> Industry | None:
    """Look up ``C3611``, ``3611`` or ``C``; None when unknown."""
    cleaned, _notes = normalise_code(code)
    match = _SHAPE.fullmatch(cleaned)
    if not cleaned or match is None:
        return None
    letter, digits = match.group(1), match.group(2)
    found = industries().get(digits or letter or "")
    if found is None or (letter and found.section != letter):
        return None
    return found


def lineage(found: Industry) -> list[Industry]:
    chain = [found]
    index = industries()
    while chain[0].parent:
        chain.insert(0, index[chain[0].parent])
    return chain


def industry_name(code: str, language: str | None = None) -> str | None:
    """Chinese name of an industry code (the classification has no official English names)."""
    del language
    found = industry(code)
    return found.name if found else None


def check_industry(value: object) -> CodeVerdict:
    code, notes = normalise_code(value)
    problems: list[Reason] = []
    parts: dict[str, str] = {}
    match = _SHAPE.fullmatch(code)
    if not isinstance(value, str):
        problems.append(NOT_TEXT)
    elif not code:
        problems.append(EMPTY)
    elif match is None:
        problems.append(Reason(N_("{code} is not an industry code (a section letter A-T, then 2, 3 or 4 digits)."),
                               {"code": code}))
    else:
        letter, digits = match.group(1), match.group(2)
        found = industries().get(digits or letter or "")
        if found is None:
            problems.append(Reason(N_("{code} does not exist in GB/T 4754-2017."), {"code": code}))
        elif letter and found.section != letter:
            problems.append(Reason(N_("{digits} belongs to section {section} ({name}), not {letter}."),
                                   {"digits": digits, "section": found.section,
                                    "name": industries()[found.section].name, "letter": letter}))
        else:
            if not letter:
                notes.append(Reason(N_("The section letter {letter} was added."), {"letter": found.section}))
            code = found.full_code
            parts = {"name": found.name, "level": found.level}
            for ancestor in lineage(found):
                parts[f"{ancestor.level}_code"] = ancestor.full_code
                parts[f"{ancestor.level}_name"] = ancestor.name
    return verdict("industry", value, code, problems, notes, parts)
