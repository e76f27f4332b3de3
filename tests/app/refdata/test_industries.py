"""GB/T 4754-2017: counts, uniqueness, hierarchy, and the check."""

from __future__ import annotations

from collections import Counter

import pytest

from app.refdata import check_industry, industry, industry_name
from app.refdata.industries import CLASS, DIVISION, GROUP, LEVELS, SECTION, industries, lineage

# The 2017 publication states 20 sections, 97 divisions, 473 groups and 1,380 classes.  The data is
# the classification in force: amendment No. 1 (GB/T 4754-2017/XG1-2019) split the 2017 class
# 9290 其他国家机构 into 9291 消防管理机构 and 9299 其他未列明国家机构, hence 1,381 (resources/README.md).
EXPECTED = {SECTION: 20, DIVISION: 97, GROUP: 473, CLASS: 1381}
PUBLISHED_2017 = {SECTION: 20, DIVISION: 97, GROUP: 473, CLASS: 1380}


def test_counts_per_level() -> None:
    counts = Counter(item.level for item in industries().values())
    assert dict(counts) == EXPECTED


def test_the_2017_publication_counts_once_the_amendment_is_undone() -> None:
    from app.refdata.data import load_json

    amendments = load_json("industries.json")["amendments"]
    assert set(amendments) == {"XG1-2019"}
    change = amendments["XG1-2019"]
    index = industries()
    for code, name in change["added"]:
        assert index[code].name == name
    for code, _name in change["withdrawn"]:
        assert code not in index
    counts = Counter(item.level for item in index.values())
    for code, _name in change["added"]:
        counts[LEVELS[len(code)]] -= 1
    for code, _name in change["withdrawn"]:
        counts[LEVELS[len(code)]] += 1
    assert dict(counts) == PUBLISHED_2017


def test_per_section_class_counts_of_manufacturing_and_agriculture() -> None:
    per_section = Counter(item.section for item in industries().values() if item.level == CLASS)
    assert per_section["A"] == 72
    assert per_section["B"] == 39
    assert per_section["C"] == 609
    assert sorted(per_section) == list("ABCDEFGHIJKLMNOPQRST")


def test_codes_unique_and_hierarchy_consistent() -> None:
    from app.refdata.data import load_json

    codes = [entry[0] for entry in load_json("industries.json")["entries"]]
    assert len(codes) == len(set(codes))
    index = industries()
    for item in index.values():
        if item.level == SECTION:
            assert item.parent is None and len(item.code) == 1
            continue
        parent = index[item.parent or ""]
        expected_parent = {DIVISION: SECTION, GROUP: DIVISION, CLASS: GROUP}[item.level]
        assert parent.level == expected_parent
        if item.level != DIVISION:
            assert item.code.startswith(parent.code)
        assert item.section == parent.section
        assert item.name and item.initials


def test_every_group_and_division_has_children_and_sibling_names_are_unique() -> None:
    index = industries()
    kids: dict[str, list[str]] = {}
    for item in index.values():
        if item.parent:
            kids.setdefault(item.parent, []).append(item.name)
    for item in index.values():
        if item.level != CLASS:
            assert item.code in kids, item
    for parent, names in kids.items():
        assert len(names) == len(set(names)), parent


def test_divisions_are_numbered_in_section_order() -> None:
    divisions = [item for item in industries().values() if item.level == DIVISION]
    assert [item.code for item in divisions] == [f"{n:02d}" for n in range(1, 98)]


@pytest.mark.parametrize(("value", "normalised", "name"), [
    ("C3611", "C3611", "汽柴油车整车制造"),
    ("3611", "C3611", "汽柴油车整车制造"),
    ("c 36", "C36", "汽车制造业"),
    ("I6513", "I6513", "应用软件开发"),
    ("M7455", "M7455", "认证认可服务"),
    ("A", "A", "农、林、牧、渔业"),
    ("T9700", "T9700", "国际组织"),
])
def test_valid_codes(value: str, normalised: str, name: str) -> None:
    verdict = check_industry(value)
    assert verdict.valid
    assert verdict.normalised == normalised
    assert verdict.parts["name"] == name
    assert industry_name(value) == name


def test_parts_carry_the_whole_path() -> None:
    parts = check_industry("C3611").parts
    assert parts["section_name"] == "制造业"
    assert parts["division_code"] == "C36"
    assert parts["group_name"] == "汽车整车制造"
    assert [item.code for item in lineage(industry("C3611"))] == ["C", "36", "361", "3611"]  # type: ignore[arg-type]


@pytest.mark.parametrize(("value", "template"), [
    ("A3611", "{digits} belongs to section {section} ({name}), not {letter}."),
    ("C3618", "{code} does not exist in GB/T 4754-2017."),
    ("98", "{code} does not exist in GB/T 4754-2017."),
    ("U", "{code} is not an industry code (a section letter A-T, then 2, 3 or 4 digits)."),
    ("C36111", "{code} is not an industry code (a section letter A-T, then 2, 3 or 4 digits)."),
    ("", "The code is empty."),
    (None, "The code must be text."),
])
def test_rejections(value: object, template: str) -> None:
    verdict = check_industry(value)
    assert not verdict.valid
    assert verdict.problems[0].template == template
