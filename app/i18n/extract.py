"""Keep the gettext catalogues in step with the source.

``python -m app.i18n.extract`` scans the source for ``_()``, ``gettext()``,
``N_()`` and ``ngettext()`` calls, adds new message ids to the ``.po`` file of
the area that owns the file (both languages), and drops ids no longer used.
Translations already written are kept.  ``--check`` changes nothing and exits
1 when a catalogue is out of date or a Chinese translation is missing.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from app.i18n.catalog import LOCALE_DIR, SUPPORTED_LANGUAGES

ROOT = Path(__file__).resolve().parents[2]
KEYWORDS = {"_": None, "gettext": None, "N_": None, "ngettext": (1, 2)}

# Longest matching prefix wins: each area has its own .po per language.
AREAS: dict[str, str] = {
    "app": "core",
    "app/refdata": "refdata",
    "app/evidence": "evidence",
    "app/planning": "reporting",
    "app/reporting": "reporting",
    "app/findings": "findings",
    "app/signing": "findings",
    "sync": "sync",
    "ui": "ui",
}
# Fixed header dates keep the catalogues free of churn between runs.
_STABLE_DATE = datetime(2026, 1, 1, tzinfo=UTC)
PLACEHOLDER = re.compile(r"\{([a-zA-Z_][a-zA-Z0-9_]*)[^{}]*\}")


@dataclass(frozen=True)
class Message:
    msgid: str
    plural: str | None
    location: str


def area_of(relative: str) -> str | None:
    best: tuple[int, str] | None = None
    for prefix, area in AREAS.items():
        matches = relative == prefix or relative.startswith(prefix + "/")
        if matches and (best is None or len(prefix) > best[0]):
            best = (len(prefix), area)
    return best[1] if best else None


def scan() -> dict[str, dict[str, Message]]:
    from babel.messages.extract import extract_python

    found: dict[str, dict[str, Message]] = {area: {} for area in set(AREAS.values())}
    for top in sorted({prefix.split("/")[0] for prefix in AREAS}):
        for path in sorted((ROOT / top).rglob("*.py")):
            relative = path.relative_to(ROOT).as_posix()
            area = area_of(relative)
            if area is None:
                continue
            with path.open("rb") as handle:
                for lineno, _func, args, _comments in extract_python(handle, KEYWORDS, [], {}):
                    if isinstance(args, tuple):
                        singular, plural = args[0], args[1]
                    else:
                        singular, plural = args, None
                    if not isinstance(singular, str) or not singular:
                        continue
                    found[area].setdefault(
                        singular, Message(singular, plural if isinstance(plural, str) else None,
                                          f"{relative}:{lineno}")
                    )
    return found


def placeholders(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text))


def _po(area: str, language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{area}.po"


def iter_problems(found: dict[str, dict[str, Message]]) -> Iterator[str]:
    from babel.messages.pofile import read_po

    for area, messages in sorted(found.items()):
        for language in SUPPORTED_LANGUAGES:
            path = _po(area, language)
            if not path.exists():
                if messages:
                    yield f"{path}: missing catalogue"
                continue
            with path.open("rb") as handle:
                catalogue = read_po(handle)
            ids = {m.id if isinstance(m.id, str) else m.id[0] for m in catalogue if m.id}
            for msgid in sorted(set(messages) - ids):
                yield f"{path}: not in catalogue: {msgid!r} ({messages[msgid].location})"
            for msgid in sorted(ids - set(messages)):
                yield f"{path}: obsolete: {msgid!r}"
            for entry in catalogue:
                if not entry.id:
                    continue
                source = entry.id if isinstance(entry.id, str) else str(entry.id[0])
                strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)
                if language != "en" and not all(strings):
                    yield f"{path}: untranslated: {source!r}"
                for text in strings:
                    if isinstance(text, str) and text and placeholders(text) != placeholders(source):
                        yield f"{path}: placeholders differ in {source!r}: {text!r}"


def update(found: dict[str, dict[str, Message]]) -> None:
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import read_po, write_po

    for area, messages in sorted(found.items()):
        for language in SUPPORTED_LANGUAGES:
            path = _po(area, language)
            old: dict[str, object] = {}
            if path.exists():
                with path.open("rb") as handle:
                    for entry in read_po(handle):
                        if entry.id:
                            key = entry.id if isinstance(entry.id, str) else entry.id[0]
                            old[key] = entry.string
            if not messages and not path.exists():
                continue
            catalogue = Catalog(
                locale=language, project="FieldAudit", domain=area, fuzzy=False,
                creation_date=_STABLE_DATE, revision_date=_STABLE_DATE,
                copyright_holder="FieldAudit", msgid_bugs_address="",
            )
            for msgid, message in sorted(messages.items()):
                previous = old.get(msgid)
                if message.plural:
                    english = (msgid, message.plural)
                    string = previous if isinstance(previous, tuple) and any(previous) else (
                        english if language == "en" else ("",)
                    )
                    catalogue.add((msgid, message.plural), string, locations=[])
                else:
                    text = previous if isinstance(previous, str) and previous else (
                        msgid if language == "en" else ""
                    )
                    catalogue.add(msgid, text, locations=[])
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("wb") as handle:
                write_po(handle, catalogue, width=0, omit_header=False, sort_output=True)


def apply_translations(area: str, language: str, mapping: dict[str, str]) -> int:
    """Write translations (msgid -> text) into one catalogue; returns how many were set."""
    from babel.messages.pofile import read_po, write_po

    path = _po(area, language)
    with path.open("rb") as handle:
        catalogue = read_po(handle)
    changed = 0
    for msgid, text in mapping.items():
        entry = catalogue.get(msgid)
        if entry is not None and text:
            entry.string = text
            changed += 1
    with path.open("wb") as handle:
        write_po(handle, catalogue, width=0, sort_output=True)
    return changed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--check", action="store_true", help="report problems, change nothing")
    parser.add_argument("--apply", nargs=2, metavar=("AREA", "JSON"),
                        help="write zh_CN translations from a JSON object {msgid: text} into AREA")
    args = parser.parse_args(argv)
    if args.apply:
        import json

        area, source = args.apply
        mapping = json.loads(Path(source).read_text("utf-8"))
        print(f"{apply_translations(area, 'zh_CN', mapping)} translations written to {area}")
        return 0
    found = scan()
    if not args.check:
        update(found)
    problems = list(iter_problems(found))
    for line in problems:
        print(line)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
