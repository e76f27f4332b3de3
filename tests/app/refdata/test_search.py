"""Picker search by code prefix, Chinese name, pinyin initials and English words."""

from __future__ import annotations

import pytest

from app.refdata import search


def codes(query: object, kind: str) -> list[str]:
    return [hit.code for hit in search(query, kinds=[kind], limit=50)]


def test_region_by_code_prefix_name_and_initials() -> None:
    assert codes("440305", "region")[0] == "440305"
    assert "440305" in codes("4403", "region")
    assert "440305" in codes("南山", "region")
    assert "440305" in codes("nsq", "region")
    assert "500000" in codes("cq", "region")  # 重庆 (polyphonic 重 read chóng)


def test_industry_by_code_with_or_without_letter_and_by_name() -> None:
    assert codes("C3611", "industry")[0] == "C3611"
    assert codes("3611", "industry")[0] == "C3611"
    assert "C3611" in codes("汽柴油", "industry")
    assert "C3611" in codes("qcycz", "industry")


def test_clauses_by_number_chinese_initials_and_english_words() -> None:
    hits = search("7.1.5", kinds=["clause"])
    assert {hit.code for hit in hits} >= {"7.1.5", "7.1.5.1", "7.1.5.2"}
    assert hits[0].code == "7.1.5"
    assert any(hit.code == "7.1.5.2" for hit in search("测量溯源", kinds=["clause"]))
    english = search("measurement trace", kinds=["clause"])
    assert english and english[0].code == "7.1.5.2" and english[0].name("en") == "Measurement traceability"
    assert any(hit.code == "8.2" and hit.detail == "ISO 14001:2015" for hit in search("emergency", kinds=["clause"]))


def test_scope_sectors() -> None:
    assert codes("28", "iaf")[0] == "28"
    assert "33" in codes("information tech", "iaf")
    assert "28" in codes("建筑", "iaf")


def test_ranking_puts_exact_code_before_prefix_and_names() -> None:
    hits = search("11")
    assert hits[0].score == 0


@pytest.mark.parametrize("query", ["", "   ", None, 7, "\n", "x" * 10_000, "？？", "((", "\\", "*"])
def test_odd_queries_never_raise(query: object) -> None:
    assert isinstance(search(query), list)
