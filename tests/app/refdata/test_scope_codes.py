"""IAF/EA scope sectors 01-39 and the finer NN.NN.NN structure."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from app.refdata import check_iaf, extend_finer_codes, iaf_name
from app.refdata.scope_codes import clear_cache, sectors


@pytest.fixture(autouse=True)
def fresh_catalogue() -> Iterator[None]:
    clear_cache()
    yield
    clear_cache()


def test_thirty_nine_sectors_with_both_names() -> None:
    found = sectors()
    assert list(found) == [f"{n:02d}" for n in range(1, 40)]
    assert len({item.name_zh for item in found.values()}) == 39
    assert len({item.name_en for item in found.values()}) == 39
    assert iaf_name("28") == "建筑业"
    assert iaf_name("33", language="en") == "Information technology"


@pytest.mark.parametrize(("value", "normalised"), [("01", "01"), ("1", "01"), ("39", "39"),
                                                   ("19.05", "19.05"), ("19.05.01", "19.05.01"),
                                                   ("１９．０５", "19.05")])
def test_valid_structures(value: str, normalised: str) -> None:
    verdict = check_iaf(value)
    assert verdict.valid
    assert verdict.normalised == normalised


@pytest.mark.parametrize("value", ["0", "00", "40", "99", "19.5", "19.05.1", "19.00", "19.05.00",
                                   "1.2.3.4", "A1", "", None, 19])
def test_rejections(value: object) -> None:
    verdict = check_iaf(value)
    assert not verdict.valid
    assert verdict.problems


def test_finer_code_without_catalogue_is_checked_for_structure_with_a_note() -> None:
    verdict = check_iaf("29.01.02")
    assert verdict.valid
    assert "No finer catalogue" in verdict.notes[0].template


def test_platform_catalogue_extends_the_check() -> None:
    accepted = extend_finer_codes({
        "29.01.02": {"zh": "测试细分类", "en": "test subdivision"},
        "29.01": {"zh": "测试中类", "en": "test subsector"},
        "40.01": {"zh": "无效", "en": "invalid sector"},
        "29.00.01": {"zh": "无效", "en": "zero part"},
        "29.02.03": {"en": "no Chinese name"},
    })
    assert accepted == 2
    known = check_iaf("29.01.02")
    assert known.valid and known.parts["name_zh"] == "测试细分类"
    assert iaf_name("29.01.02", language="en") == "test subdivision"
    unknown = check_iaf("29.01.09")
    assert not unknown.valid
    assert "not in the scope-code catalogue" in unknown.problems[0].template
    assert check_iaf("30.01.01").valid  # other sectors still structure-only
