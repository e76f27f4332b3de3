"""GB/T 2260 regions: the dataset, the hierarchy, historical codes and the check."""

from __future__ import annotations

import pytest

from app.refdata import check_region, region_name
from app.refdata.data import load_json
from app.refdata.regions import COUNTY, PREFECTURE, PROVINCE, children, historical_regions, lineage, regions


def test_dataset_counts_and_uniqueness() -> None:
    rows = load_json("regions.json")["regions"]
    codes = [row[0] for row in rows]
    assert len(codes) == len(set(codes)) == 3210
    levels = [item.level for item in regions().values()]
    assert levels.count(PROVINCE) == 34
    assert levels.count(PREFECTURE) > 300
    assert levels.count(COUNTY) > 2800
    assert all(row[2] and row[2].isascii() for row in rows)


def test_every_parent_exists_and_names_are_unique_among_siblings() -> None:
    current = regions()
    for item in current.values():
        if item.level == PROVINCE:
            assert item.parent is None
        else:
            assert item.parent in current, item
    for parent in [code for code, item in current.items() if item.level != COUNTY]:
        names = [child.name for child in children(parent)]
        assert len(names) == len(set(names)), parent


def test_historical_codes_are_withdrawn_and_point_to_current_successors() -> None:
    old = historical_regions()
    assert len(old) >= 20
    for code, item in old.items():
        assert code not in regions()
        assert item.withdrawn and 1980 < item.withdrawn < 2100
        assert item.successors and all(successor in regions() for successor in item.successors), code


@pytest.mark.parametrize(("code", "full"), [
    ("440305", "广东省深圳市南山区"),
    ("110101", "北京市东城区"),
    ("340181", "安徽省合肥市巢湖市"),
    ("469001", "海南省五指山市"),
    ("810000", "香港特别行政区"),
    ("370116", "山东省济南市莱芜区"),
])
def test_known_codes(code: str, full: str) -> None:
    verdict = check_region(code)
    assert verdict.valid
    assert verdict.parts["region_full_name"] == full
    assert region_name(code) == full
    assert not verdict.notes


@pytest.mark.parametrize(("code", "year"), [("371200", 2019), ("341400", 2011), ("110103", 2010),
                                            ("310108", 2015), ("522400", 2011)])
def test_historical_codes_are_valid_with_a_note(code: str, year: int) -> None:
    verdict = check_region(code)
    assert verdict.valid
    assert verdict.parts["status"] == "historical"
    assert verdict.notes[0].params["year"] == year


def test_lineage_of_a_county() -> None:
    assert [item.code for item in lineage("440305")] == ["440000", "440300", "440305"]


@pytest.mark.parametrize(("value", "template"), [
    ("999999", "{code} is not a known administrative division code (no province starts with {prefix})."),
    ("440399", "{code} is not a known administrative division code."),
    ("4403", "{code} is not a six-digit administrative division code."),
    ("44030A", "{code} is not a six-digit administrative division code."),
    ("", "The code is empty."),
    (None, "The code must be text."),
    (440305, "The code must be text."),
    ("4" * 5000, "{code} is not a six-digit administrative division code."),
])
def test_rejections(value: object, template: str) -> None:
    verdict = check_region(value)
    assert not verdict.valid
    assert verdict.problems[0].template == template


def test_full_width_and_spaces_are_normalised() -> None:
    verdict = check_region(" ４４０ ３０５")
    assert verdict.valid and verdict.normalised == "440305"
    assert len(verdict.notes) == 2
