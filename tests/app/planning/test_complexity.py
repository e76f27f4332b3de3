"""The EMS / OH&S complexity category stored on the audit: validated, used by the planner, asked for in
plain words when missing; and the audit-time explanation a plan prints."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from app.domain.audit import Audit, AuditType, Complexity, Organisation, Site, Standard, TeamMember, TeamRole
from app.domain.base import parse
from app.errors import ValidationFailed
from app.i18n import set_language
from app.planning.audit_time import AuditTimeRequest, SiteLoad, SystemSpec, calculate, request_for_audit
from app.planning.md5_tables import System
from app.planning.plan_builder import ComplexityMissing, audit_time_for, build_plan

CLIENT = {"name": "某公司", "uscc": "91350100M000100Y43", "region_code": "110000", "industry_code": "C"}


def audit_data(standards: list[str], complexity: dict[str, str] | None = None, **extra: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": "a-1", "title": "t", "client": {**CLIENT, "representative": "王经理"}, "standards": standards,
        "audit_type": "stage2", "start_date": "2026-03-02", "end_date": "2026-03-06", "effective_personnel": 100,
        "scope_codes": ["17"], "sites": [{"name": "工厂", "personnel": 100, "processes": ["生产"]}],
        "team": [{"user_id": "lead", "name": "王芳", "role": "lead", "competence_codes": ["17"]},
                 {"user_id": "a1", "name": "刘洋", "role": "auditor", "competence_codes": ["17"]}],
        **extra}
    if complexity is not None:
        data["complexity"] = complexity
    return data


def test_the_category_is_stored_and_round_trips() -> None:
    audit = parse(Audit, audit_data(["ISO 9001:2015", "ISO 14001:2015"], {"ISO 14001:2015": "medium"}))
    assert audit.complexity == {Standard.ISO14001: Complexity.MEDIUM}
    assert audit.model_dump(mode="json")["complexity"] == {"ISO 14001:2015": "medium"}
    assert audit.missing_complexity() == []
    assert parse(Audit, audit_data(["ISO 9001:2015", "ISO 45001:2018"])).missing_complexity() == [Standard.ISO45001]
    assert parse(Audit, audit_data(["ISO 9001:2015"])).missing_complexity() == []


@pytest.mark.parametrize(("standards", "complexity", "words"), [
    (["ISO 9001:2015"], {"ISO 14001:2015": "low"}, "不是本次审核的标准"),
    (["ISO 9001:2015"], {"ISO 9001:2015": "low"}, "没有 IAF MD 5 复杂程度类别"),
    (["ISO 45001:2018"], {"ISO 45001:2018": "limited"}, "没有“limited”复杂程度类别"),
    (["ISO 14001:2015"], {"ISO 14001:2015": "huge"}, "“huge”不是复杂程度类别"),
    (["ISO 14001:2015"], {"ISO 14001": "low"}, "ISO 14001 不是已知的标准"),
])
def test_bad_categories_are_refused_naming_the_field(standards: list[str], complexity: dict[str, str],
                                                     words: str) -> None:
    set_language("zh_CN")
    with pytest.raises(ValidationFailed) as caught:
        parse(Audit, audit_data(standards, complexity))
    message = str(caught.value)
    assert message.startswith("环境/职业健康安全复杂程度类别") and words in message
    assert "{" not in message and "[key]" not in message


def test_the_planner_uses_the_stored_category_and_a_given_one_overrides_it() -> None:
    set_language("en")
    medium = parse(Audit, audit_data(["ISO 14001:2015"], {"ISO 14001:2015": "medium"}))
    stored = build_plan(medium)
    assert stored.audit_time is not None and "medium complexity" in stored.audit_time.explain()
    # EMS 86–125 personnel: medium 8 days, high 11 days (IAF MD 5 Table EMS 1), stage 2 is 70% of it.
    assert stored.audit_time.initial_days == 8
    high = audit_time_for(medium, {Standard.ISO14001: Complexity.HIGH})
    assert high.initial_days == 11 and "high complexity" in high.explain()
    assert request_for_audit(medium).systems[0].complexity is Complexity.MEDIUM


def test_a_missing_category_is_asked_for_in_plain_words() -> None:
    audit = parse(Audit, audit_data(["ISO 9001:2015", "ISO 45001:2018"]))
    set_language("zh_CN")
    with pytest.raises(ComplexityMissing) as caught:
        build_plan(audit)
    text = str(caught.value)
    assert "ISO 45001:2018" in text and "环境/职业健康安全复杂程度类别" in text and "ISO 9001" not in text
    set_language("en")
    assert "set the audit's \"EMS/OH&S complexity category\"" in str(caught.value)
    # Given for this plan only, it is enough; the audit still records none.
    assert build_plan(audit, complexity={Standard.ISO45001: Complexity.LOW}).audit_time is not None
    # A special audit is asked for its days first: MD 5 (and so the category) does not apply.
    special = parse(Audit, audit_data(["ISO 45001:2018"], audit_type="special"))
    with pytest.raises(ValidationFailed, match="special audit"):
        build_plan(special)
    assert build_plan(special, days=2).audit_time is None


def test_explanation_says_nothing_twice() -> None:
    set_language("en")
    whole = calculate(AuditTimeRequest(systems=[SystemSpec(System.QMS)], personnel=100))
    assert "rounded" not in whole.explain()
    sites = [SiteLoad("HQ", 60, central=True), SiteLoad("Plant", 260)]
    split = calculate(AuditTimeRequest(systems=[SystemSpec(System.QMS)], personnel=320, sites=sites))
    headline = split.explain().splitlines()[0]
    assert ":;" not in headline and headline.startswith(f"{split.initial_days:g} days = central function HQ: ")
    set_language("zh_CN")
    headline = split.explain().splitlines()[0]
    assert "：;" not in headline and "： " not in headline and "“HQ”：" in headline
    integrated = calculate(AuditTimeRequest(systems=[SystemSpec(System.QMS), SystemSpec(System.EMS, Complexity.LOW)],
                                            personnel=100))
    assert "质量管理体系；" in integrated.explain().splitlines()[0]  # Chinese list punctuation
    set_language("en")
    assert "QMS; " in integrated.explain().splitlines()[0]


def test_audit_from_the_domain_constructors_too() -> None:
    client = Organisation(**CLIENT)
    audit = Audit(title="t", client=client, standards=[Standard.ISO14001], audit_type=AuditType.SURVEILLANCE,
                  start_date=date(2026, 3, 2), end_date=date(2026, 3, 3), effective_personnel=10,
                  complexity={Standard.ISO14001: Complexity.LIMITED}, sites=[Site(name="A")],
                  team=[TeamMember(user_id="l", name="l", role=TeamRole.LEAD)])
    assert audit_time_for(audit).initial_days > 0
