"""Build ``resources/refdata/industries.json`` from the transcription ``gbt4754_2017.txt``.

    .venv/bin/python -m app.refdata.build.industries

The text file is the reviewed source (one "code name" per line, in the order of
the publication); the JSON adds each entry's parent, level and pinyin initials
so the application needs no pinyin library at run time.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from app.refdata.build.common import initials, write_json
from app.refdata.data import data_path

LEVELS = {1: "section", 2: "division", 3: "group", 4: "class"}


_TAG = re.compile(r"\s*\[([A-Z0-9-]+)\]$")


def _entries(text: str) -> list[tuple[bool, str, str, str]]:
    """(withdrawn, code, name, amendment tag or "") for every entry line."""
    out: list[tuple[bool, str, str, str]] = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        withdrawn = line.startswith("-")
        code, name = line.lstrip("-").split(" ", 1)
        tag = _TAG.search(name)
        out.append((withdrawn, code, _TAG.sub("", name).strip(), tag.group(1) if tag else ""))
    return out


def parse_source(text: str) -> list[tuple[str, str]]:
    """The classification in force (the 2017 publication as amended), in publication order."""
    return [(code, name) for withdrawn, code, name, _tag in _entries(text) if not withdrawn]


def parse_amendments(text: str) -> dict[str, dict[str, list[list[str]]]]:
    """Per amendment: the entries it added and the 2017 entries it withdrew, as [code, name]."""
    found: dict[str, dict[str, list[list[str]]]] = {}
    for withdrawn, code, name, tag in _entries(text):
        if tag:
            change = found.setdefault(tag, {"added": [], "withdrawn": []})
            change["withdrawn" if withdrawn else "added"].append([code, name])
    return found


def with_parents(rows: list[tuple[str, str]]) -> list[list[str]]:
    """[code, name, initials, parent]: a division's parent is the section above it in the file."""
    section = ""
    out: list[list[str]] = []
    for code, name in rows:
        if code.isalpha():
            section, parent = code, ""
        elif len(code) == 2:
            parent = section
        else:
            parent = code[:-1]
        out.append([code, name, initials(name), parent])
    return out


def main() -> int:
    text = data_path("gbt4754_2017.txt").read_text(encoding="utf-8")
    rows = parse_source(text)
    payload: dict[str, Any] = {
        "source": "GB/T 4754-2017 国民经济行业分类, transcribed by the FieldAudit team (gbt4754_2017.txt)",
        "licence": "facts of a national standard; transcription © FieldAudit project",
        "as_of": "2017 edition with amendment No. 1 GB/T 4754-2017/XG1-2019 (see resources/README.md)",
        "built": date.today().isoformat(),
        # What each amendment changed, so the 2017 publication's own counts stay checkable.
        "amendments": parse_amendments(text),
        "entries": with_parents(rows),
    }
    target = write_json("industries.json", payload)
    print(f"wrote {target}: {len(rows)} entries")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
