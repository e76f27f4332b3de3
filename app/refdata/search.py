"""Picker search over regions, industries, clauses and scope codes.

One query string is matched, in this order of rank, as a code (exact, then
prefix), a Chinese name (start, then anywhere), pinyin initials precomputed at
data-build time (``nsq`` finds 南山区), and English words (every word a prefix
of a word in the English name).  Names of each kind are joined into one text
so matching runs in C (``str.find``) rather than a Python loop per entry.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

KINDS = ("region", "industry", "clause", "iaf")
_WORD = re.compile(r"[a-z0-9&]+")


@dataclass(frozen=True)
class SearchHit:
    kind: str
    code: str
    name_zh: str
    name_en: str
    detail: str
    score: int

    def name(self, language: str | None = None) -> str:
        return self.name_en if (language or "").startswith("en") and self.name_en else self.name_zh


@dataclass(frozen=True)
class _Entry:
    kind: str
    code: str
    codes: tuple[str, ...]
    name_zh: str
    name_en: str
    initials: str
    detail: str


class _Joined:
    """Strings of all entries joined by newlines, with each entry's start offset."""

    def __init__(self, values: list[str]) -> None:
        self.starts: list[int] = []
        offset = 0
        for value in values:
            self.starts.append(offset)
            offset += len(value) + 1
        self.text = "\n".join(values)

    def find(self, needle: str) -> Iterable[tuple[int, bool]]:
        """(entry index, matched at the start) for every entry containing ``needle``."""
        if not needle or "\n" in needle:
            return
        position = self.text.find(needle)
        while position != -1:
            index = bisect.bisect_right(self.starts, position) - 1
            yield index, position == self.starts[index]
            following = self.starts[index + 1] if index + 1 < len(self.starts) else len(self.text)
            position = self.text.find(needle, following)


class _Index:
    def __init__(self, entries: list[_Entry]) -> None:
        self.entries = entries
        self.names = _Joined([entry.name_zh for entry in entries])
        self.initials = _Joined([entry.initials for entry in entries])
        self.english = _Joined([entry.name_en.lower() for entry in entries])
        pairs = sorted((code.upper(), index) for index, entry in enumerate(entries) for code in entry.codes)
        self.codes = [code for code, _ in pairs]
        self.code_owner = [index for _, index in pairs]


_indexes: dict[str, _Index] = {}


def clear_cache() -> None:
    _indexes.clear()


def _entries(kind: str) -> list[_Entry]:
    if kind == "region":
        from app.refdata.regions import full_name, regions

        return [_Entry(kind, r.code, (r.code,), r.name, "", r.initials, full_name(r.code) or r.name)
                for r in regions().values()]
    if kind == "industry":
        from app.refdata.industries import industries

        return [_Entry(kind, i.full_code, (i.full_code, i.code), i.name, "", i.initials, i.level)
                for i in industries().values()]
    if kind == "clause":
        from app.refdata.catalogues import catalogue, standards

        return [_Entry(kind, c.number, (c.number,), c.title_zh, c.title_en, c.initials, standard)
                for standard in standards() for c in catalogue(standard).values()]
    from app.refdata.scope_codes import finer_codes, sectors

    items = {**sectors(), **finer_codes()}
    return [_Entry(kind, s.code, (s.code,), s.name_zh, s.name_en, s.initials, "") for s in items.values()]


def _index(kind: str) -> _Index:
    found = _indexes.get(kind)
    if found is None:
        found = _indexes[kind] = _Index(_entries(kind))
    return found


def search(query: object, kinds: Iterable[str] = KINDS, limit: int = 20) -> list[SearchHit]:
    """Best matches first; an empty or non-text query finds nothing (never raises)."""
    if not isinstance(query, str):
        return []
    text = unicodedata.normalize("NFKC", query[:64]).strip()
    if not text or limit <= 0:
        return []
    hits: list[SearchHit] = []
    for kind in kinds:
        if kind in KINDS:
            hits.extend(_search_kind(_index(kind), text, limit))
    hits.sort(key=lambda hit: (hit.score, len(hit.code), hit.code))
    return hits[:limit]


def _search_kind(index: _Index, text: str, limit: int) -> list[SearchHit]:
    scores: dict[int, int] = {}

    def offer(entry: int, score: int) -> None:
        if score < scores.get(entry, 99):
            scores[entry] = score

    code = text.upper().replace(" ", "")
    start = bisect.bisect_left(index.codes, code)
    for position in range(start, min(start + 4 * limit, len(index.codes))):
        if not index.codes[position].startswith(code):
            break
        offer(index.code_owner[position], 0 if index.codes[position] == code else 1)
    if not text.isascii():
        for entry, at_start in index.names.find(text):
            offer(entry, 2 if at_start else 3)
    else:
        lowered = text.lower()
        if lowered.isalpha():
            for entry, at_start in index.initials.find(lowered):
                offer(entry, 4 if at_start else 5)
        words = _WORD.findall(lowered)
        if words and any(ch.isalpha() for ch in lowered):
            for entry, _start in index.english.find(words[0]):
                english = _WORD.findall(index.entries[entry].name_en.lower())
                if all(any(w.startswith(q) for w in english) for q in words):
                    offer(entry, 6)
    ranked = sorted(scores.items(), key=lambda pair: (pair[1], len(index.entries[pair[0]].code),
                                                      index.entries[pair[0]].code))[:limit]
    return [_hit(index.entries[entry], score) for entry, score in ranked]


def _hit(entry: _Entry, score: int) -> SearchHit:
    return SearchHit(entry.kind, entry.code, entry.name_zh, entry.name_en, entry.detail, score)
