"""Build ``resources/refdata/industries.json`` from the transcription ``gbt4754_2017.txt``.

    .venv/bin/python -m app.refdata.build.industries

The text file is the reviewed source (one "code name" per line, in the order of
the publication); the JSON adds each entry's parent, level and pinyin initials
so the application needs no pinyin library at run time.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from app.refdata.build.common import initials, write_json
from app.refdata.data import data_path

LEVELS = {1: "section", 2: "division", 3: "group", 4: "class"}


def parse_source(text: str) -> list[tuple[str, str]]:
    rows: list[tuple[str, str]] = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        code, name = line.split(" ", 1)
        rows.append((code, name.strip()))
    return rows


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
    rows = parse_source(data_path("gbt4754_2017.txt").read_text(encoding="utf-8"))
    payload: dict[str, Any] = {
        "source": "GB/T 4754-2017 国民经济行业分类, transcribed by the FieldAudit team (gbt4754_2017.txt)",
        "licence": "facts of a national standard; transcription © FieldAudit project",
        "as_of": "2017 edition as amended (see resources/README.md)",
        "built": date.today().isoformat(),
        "entries": with_parents(rows),
    }
    target = write_json("industries.json", payload)
    print(f"wrote {target}: {len(rows)} entries")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
