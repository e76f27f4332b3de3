"""Clause catalogues and the Annex SL correspondence."""

from __future__ import annotations

import re

import pytest

from app.refdata import (
    canonical_standard,
    catalogue,
    check_clause,
    clause_title,
    corresponding,
    leaf_clauses,
    parse_ref,
    standards,
)
from app.refdata.catalogues import correspondences

COUNTS = {"ISO 9001:2015": 75, "ISO 14001:2015": 45, "ISO 45001:2018": 56}


@pytest.mark.parametrize("standard", list(COUNTS))
def test_catalogue_counts_uniqueness_and_parents(standard: str) -> None:
    items = catalogue(standard)
    assert len(items) == COUNTS[standard]
    numbers = list(items)
    assert len(numbers) == len(set(numbers))
    assert [n for n in numbers if "." not in n] == ["4", "5", "6", "7", "8", "9", "10"]
    for number, item in items.items():
        assert re.fullmatch(r"\d{1,2}(\.\d{1,2}){0,3}", number)
        assert item.parent is None or item.parent in items
        assert item.title_zh and item.title_en and item.initials
    # Titles only: no requirement sentences slipped in.
    assert max(len(item.title_en) for item in items.values()) < 110


def test_third_level_and_deeper_clauses_are_present() -> None:
    assert clause_title("ISO 9001:2015", "7.1.5.2") == "测量溯源"
    assert clause_title("ISO 9001:2015", "7.1.5.2", language="en") == "Measurement traceability"
    assert clause_title("ISO 45001:2018", "8.1.4.2", language="en") == "Contractors"
    assert clause_title("ISO 14001:2015", "6.1.2") == "环境因素"


def test_national_adoptions_are_aliases() -> None:
    assert canonical_standard("GB/T 19001-2016") == "ISO 9001:2015"
    assert canonical_standard("gb/t 24001—2016") == "ISO 14001:2015"
    assert canonical_standard("GB/T 45001-2020") == "ISO 45001:2018"
    assert canonical_standard("ISO 27001:2022") is None
    assert standards() == tuple(COUNTS)


def test_every_annex_sl_reference_is_a_leaf_clause_of_its_standard() -> None:
    rows = correspondences()
    assert len({row.id for row in rows}) == len(rows)
    seen: set[tuple[str, str]] = set()
    for row in rows:
        assert len(row.refs) >= 2
        for standard, number in row.refs.items():
            assert number in [leaf.number for leaf in leaf_clauses(standard)], (standard, number)
            assert (standard, number) not in seen
            seen.add((standard, number))


def test_correspondence_lookup() -> None:
    assert corresponding("ISO 9001:2015", "7.2") == {"ISO 14001:2015": "7.2", "ISO 45001:2018": "7.2"}
    assert corresponding("ISO 14001:2015", "8.2") == {"ISO 45001:2018": "8.2"}
    assert corresponding("ISO 9001:2015", "8.5.1") == {}


def test_refs_round_trip() -> None:
    assert parse_ref("ISO 14001:2015 7.2") == ("ISO 14001:2015", "7.2")
    assert parse_ref("GB/T 24001-2016 7.2") == ("ISO 14001:2015", "7.2")
    assert parse_ref("ISO 14001:2015 7.9") is None
    assert parse_ref("nonsense") is None


@pytest.mark.parametrize(("standard", "number", "valid"), [
    ("ISO 9001:2015", "8.5.1", True), ("GB/T 19001-2016", "8.5.1", True), ("ISO 9001:2015", "8.9", False),
    ("ISO 9999", "4.1", False), ("ISO 9001:2015", "x", False), (None, "4.1", False), ("ISO 9001:2015", "", False),
])
def test_check_clause(standard: object, number: object, valid: bool) -> None:
    verdict = check_clause(standard, number)
    assert verdict.valid is valid
    if valid:
        assert verdict.parts["title_zh"]
