"""Clause suggestions measured on labelled statements; verification methods by kind of action."""

from __future__ import annotations

from typing import Any

import pytest

from app.findings import service, suggest
from app.findings.methods import methods_for_finding, suggest_methods
from app.refdata import clause
from tests.app.findings.suggestion_cases import CASES
from tests.factories import make_audit, make_finding


def top_k_accuracy(suggester: suggest.ClauseSuggester, k: int) -> float:
    hits = sum(1 for standard, number, text in CASES
               if number in [s.clause for s in suggester.suggest(text, [standard], k)])
    return hits / len(CASES)


def test_labelled_set_is_sound() -> None:
    assert len(CASES) >= 100
    languages = {"zh" if any("\u4e00" <= ch <= "\u9fff" for ch in text) else "en" for _s, _c, text in CASES}
    assert languages == {"zh", "en"}
    assert len({text for _s, _c, text in CASES}) == len(CASES)
    for standard, number, _text in CASES:
        assert clause(standard, number) is not None, (standard, number)


def test_right_clause_in_top_three_for_at_least_80_percent() -> None:
    accuracy = top_k_accuracy(suggest.ClauseSuggester(), 3)
    assert accuracy >= 0.8, accuracy


def test_titles_and_checklist_guidance_alone_still_reach_80_percent(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without our nonconformity vocabulary, the catalogues' titles and the checklist text carry it."""
    monkeypatch.setattr(suggest, "_hints", lambda: {"common": {}})
    suggest._base_texts.cache_clear()
    try:
        assert top_k_accuracy(suggest.ClauseSuggester(), 3) >= 0.8
    finally:
        suggest._base_texts.cache_clear()


def test_past_findings_of_the_certification_body_teach_it(session: Any) -> None:
    statement = "抽查发现MES系统中批次追溯链断开，扫码记录缺失。"
    before = suggest.ClauseSuggester().suggest(statement, ["ISO 9001:2015"], 1)
    audit = make_audit()
    store = session.store
    with store.unit_of_work("u-lead") as uow:
        uow.create(audit)
    for text in ("MES系统扫码记录缺失，批次无法追溯。", "MES系统中追溯链断开。"):
        service.raise_finding(store, "u-lead", "lead", make_finding(
            audit.id, statement=text, clause_refs=[{"standard": "ISO 9001:2015", "clause": "8.5.2"}]))
    learned = suggest.suggester_for(store).suggest(statement, ["ISO 9001:2015"], 1)
    assert learned[0].clause == "8.5.2"
    assert learned[0].score > (before[0].score if before and before[0].clause == "8.5.2" else 0)


def test_suggestions_shape_and_bad_input() -> None:
    suggester = suggest.ClauseSuggester()
    found = suggester.suggest("卡尺校准过期", ["ISO 9001:2015"], 3)
    assert found[0].clause == "7.1.5.2" and found[0].title_zh == "测量溯源"
    assert found[0].title("en") == "Measurement traceability" and found[0].score > found[-1].score
    assert suggester.suggest("", None) == [] and suggester.suggest("   ", None) == []
    assert suggester.suggest("!!!", None) == [] and suggester.suggest(None, None) == []  # type: ignore[arg-type]
    mixed = suggester.suggest("焊工 welder certificate expired 证书过期", ["ISO 9001:2015"], 1)
    assert mixed[0].clause == "7.2"
    everywhere = suggester.suggest("hazardous waste manifest incomplete", None, 3)
    assert everywhere[0].standard == "ISO 14001:2015"


def test_verification_methods_follow_the_kind_of_action(session: Any) -> None:
    training = suggest_methods("对检验员重新培训并考核，合格后上岗")
    assert training[0].kind == "training"
    calibration = suggest_methods("All gauges were sent for calibration and the schedule was revised.")
    assert {m.kind for m in calibration} >= {"calibration", "document"}
    assert [m.kind for m in suggest_methods("领导重视")] == ["general"] * 3
    audit = make_audit()
    with session.store.unit_of_work("u") as uow:
        uow.create(audit)
        finding = uow.create(make_finding(audit.id, corrective_action="修订供应商评价程序，对外协厂重新评价"))
    kinds = [m.kind for m in methods_for_finding(finding)]
    assert kinds[0] in ("supplier", "document") and "supplier" in kinds
