"""IAF MD 5 audit time: every table row boundary, the adjustments and their caps, bad input."""

from __future__ import annotations

import itertools
from datetime import date

import pytest

from app.domain.audit import Audit, AuditType, Organisation, Site, Standard
from app.errors import ValidationFailed
from app.i18n import set_language
from app.planning.audit_time import (
    AuditTimeRequest,
    SiteLoad,
    SystemSpec,
    calculate,
    half_days,
    request_for_audit,
    sample_size,
)
from app.planning.factors import Adjustment, Factor
from app.planning.md5_tables import EMS_TABLE, OHSMS_TABLE, QMS_TABLE, Complexity, System, lookup
from app.planning.personnel import PersonnelCount, effective_personnel

EMS_COLUMNS = (Complexity.HIGH, Complexity.MEDIUM, Complexity.LOW, Complexity.LIMITED)
OHS_COLUMNS = (Complexity.HIGH, Complexity.MEDIUM, Complexity.LOW)


def initial(system: System, personnel: int, complexity: Complexity | None = None, **options: object) -> float:
    request = AuditTimeRequest(systems=[SystemSpec(system, complexity)], personnel=personnel,
                               **options)  # type: ignore[arg-type]
    return calculate(request).initial_days


def _boundaries() -> list[tuple[System, Complexity | None, int, float]]:
    cases: list[tuple[System, Complexity | None, int, float]] = []
    for low, high, days in QMS_TABLE:
        cases += [(System.QMS, None, low, days), (System.QMS, None, high, days)]
    for table, columns, system in ((EMS_TABLE, EMS_COLUMNS, System.EMS), (OHSMS_TABLE, OHS_COLUMNS, System.OHSMS)):
        for row in table:
            for column, complexity in enumerate(columns):
                cases += [(system, complexity, int(row[0]), float(row[2 + column])),
                          (system, complexity, int(row[1]), float(row[2 + column]))]
    return cases


@pytest.mark.parametrize(("system", "complexity", "personnel", "days"), _boundaries())
def test_every_row_boundary(system: System, complexity: Complexity | None, personnel: int, days: float) -> None:
    assert lookup(system, complexity, personnel)[2] == days
    assert initial(system, personnel, complexity) == days


def test_tables_are_contiguous_and_rising() -> None:
    for table in (QMS_TABLE, EMS_TABLE, OHSMS_TABLE):
        assert table[0][0] == 1 and table[-1][1] == 10700 and len(table) == 23
        for before, after in itertools.pairwise(table):
            assert after[0] == before[1] + 1
            assert all(a >= b for a, b in zip(after[2:], before[2:], strict=True))


def test_spot_values_from_the_published_tables() -> None:
    assert lookup(System.QMS, None, 100) == (86, 125, 7)
    assert lookup(System.EMS, Complexity.LIMITED, 1000)[2] == 7
    assert lookup(System.OHSMS, Complexity.MEDIUM, 9000)[2] == 27


def test_beyond_the_table_follows_the_progression() -> None:
    # QMS: last step 21 -> 22 over a band of 2200 people.
    assert lookup(System.QMS, None, 10701) == (10701, 12900, 23)
    assert lookup(System.QMS, None, 12901) == (12901, 15100, 24)
    assert lookup(System.EMS, Complexity.HIGH, 10701)[2] == 36
    assert lookup(System.OHSMS, Complexity.LOW, 13000)[2] == 22
    result = calculate(AuditTimeRequest(systems=[SystemSpec(System.QMS)], personnel=11000))
    set_language("en")
    assert "following the progression beyond the table" in result.explain()


def test_half_day_rounding() -> None:
    assert half_days(5.3) == 5.5 and half_days(5.2) == 5 and half_days(5.25) == 5.5
    assert half_days(5.75) == 6 and half_days(0.1) == 0.5


def test_reduction_explained_in_english_and_chinese() -> None:
    result = calculate(AuditTimeRequest(systems=[SystemSpec(System.QMS)], personnel=100,
                                        adjustments=[Adjustment(-10, Factor.MATURITY)]))
    assert result.initial_days == 6.5  # 7 - 10% = 6.3 -> 6.5
    set_language("en")
    text = result.explain()
    assert text.splitlines()[0] == ("6.5 days = 7 days: 86–125 personnel, QMS; −10% because a mature "
                                    "management system")
    set_language("zh_CN")
    chinese = result.explain()
    assert "86–125" in chinese and "质量管理体系" in chinese and "成熟" in chinese


def test_reductions_are_capped_at_30_percent() -> None:
    adjustments = [Adjustment(-20, Factor.MATURITY), Adjustment(-20, Factor.AUTOMATION)]
    result = calculate(AuditTimeRequest(systems=[SystemSpec(System.QMS)], personnel=100, adjustments=adjustments))
    assert result.initial_days == 5  # 7 * 0.7 = 4.9
    set_language("en")
    assert "reductions of 40% capped at 30% (IAF MD 5)" in result.explain()


def test_increase_and_custom_reason() -> None:
    adjustments = [Adjustment(20, Factor.OTHER, reason="three languages on site")]
    result = calculate(AuditTimeRequest(systems=[SystemSpec(System.QMS)], personnel=100, adjustments=adjustments))
    assert result.initial_days == 8.5  # 8.4
    set_language("en")
    assert "+20% because three languages on site" in result.explain()


def test_adjustment_for_one_system_only() -> None:
    request = AuditTimeRequest(
        systems=[SystemSpec(System.QMS), SystemSpec(System.EMS, Complexity.MEDIUM)], personnel=100,
        adjustments=[Adjustment(-10, Factor.LOW_RISK, system=System.EMS)])
    assert calculate(request).initial_days == 14  # 7 + 8 * 0.9 = 14.2 -> 14


def test_integrated_system_reduction_capped_at_20_percent() -> None:
    systems = [SystemSpec(System.QMS), SystemSpec(System.EMS, Complexity.MEDIUM)]
    ok = calculate(AuditTimeRequest(systems=systems, personnel=100, integration_percent=20))
    assert ok.initial_days == 12  # (7 + 8) * 0.8
    capped = calculate(AuditTimeRequest(systems=systems, personnel=100, integration_percent=35))
    assert capped.initial_days == 12
    set_language("en")
    assert "integration reduction of 35% capped at 20% (IAF MD 11)" in capped.explain()
    single = calculate(AuditTimeRequest(systems=systems[:1], personnel=100, integration_percent=20))
    assert single.initial_days == 7  # one system: nothing to integrate


def test_surveillance_recertification_and_stages() -> None:
    result = calculate(AuditTimeRequest(systems=[SystemSpec(System.QMS)], personnel=100))
    assert (result.initial_days, result.surveillance_days, result.recertification_days) == (7, 2.5, 4.5)
    assert result.stage1_days + result.stage2_days == 7 and result.stage1_days == 2


def test_on_site_never_below_80_percent() -> None:
    result = calculate(AuditTimeRequest(systems=[SystemSpec(System.QMS)], personnel=100, offsite_percent=40))
    assert result.onsite_days >= 0.8 * result.initial_days
    assert result.onsite_days == 6  # 7 * 0.8 = 5.6 -> 5.5 is below 80%, so 6
    set_language("en")
    assert "capped at 20%" in result.explain()


def test_multi_site_sampling_and_site_reduction() -> None:
    sites = [SiteLoad("HQ", 100, central=True)] + [SiteLoad(f"S{n}", 20 + n, central=False) for n in range(9)]
    request = AuditTimeRequest(systems=[SystemSpec(System.QMS)], personnel=400, sites=sites,
                               site_reduction_percent=60)
    result = calculate(request)
    # 9 other sites: sample 3 (largest: 28, 27, 26 people -> 4 days each), reduction capped at 50%.
    assert result.initial_days == half_days(7 + 3 * 4 * 0.5)
    assert sample_size(9, 0.6) == 2 and sample_size(9, 0.8) == 3 and sample_size(1, 0.6) == 1
    set_language("en")
    text = result.explain()
    assert "site reduction of 60% capped at 50% (IAF MD 1)" in text
    assert "central function plus 3 of 9 sites" in text


@pytest.mark.parametrize("personnel", [0, -1, 3_000_000, True, 2.5])
def test_absurd_personnel_is_rejected(personnel: object) -> None:
    with pytest.raises(ValidationFailed) as caught:
        calculate(AuditTimeRequest(systems=[SystemSpec(System.QMS)], personnel=personnel))  # type: ignore[arg-type]
    assert str(caught.value)  # translated, one line
    assert "{" not in str(caught.value)


def test_bad_requests_are_explained_in_chinese() -> None:
    with pytest.raises(ValidationFailed, match="复杂"):
        calculate(AuditTimeRequest(systems=[SystemSpec(System.EMS)], personnel=10))
    with pytest.raises(ValidationFailed):
        calculate(AuditTimeRequest(systems=[SystemSpec(System.OHSMS, Complexity.LIMITED)], personnel=10))
    with pytest.raises(ValidationFailed):
        calculate(AuditTimeRequest(systems=[SystemSpec(System.QMS)], personnel=10,
                                   adjustments=[Adjustment(-10)]))  # no reason
    with pytest.raises(ValidationFailed):
        calculate(AuditTimeRequest(systems=[SystemSpec(System.QMS)], personnel=10,
                                   adjustments=[Adjustment(-500, Factor.MATURITY)]))
    with pytest.raises(ValidationFailed):
        calculate(AuditTimeRequest(systems=[], personnel=10))


def test_effective_personnel_from_part_time_and_shifts() -> None:
    count = PersonnelCount(full_time=80, part_time=20, part_time_hours=20, full_time_hours=40,
                           shift_workers=30, temporary=5)
    result = effective_personnel(count)
    assert result.value == 125  # 80 + 30 + 5 + 20 * 0.5
    reduced = effective_personnel(PersonnelCount(full_time=100, part_time=3, part_time_hours=10, repetitive=50,
                                                 repetitive_reduction_percent=30,
                                                 repetitive_reason="packing line"))
    assert reduced.value == 86  # 100 + 0.75 - 15 = 85.75 -> 86
    set_language("en")
    assert any("packing line" in step.render() for step in reduced.steps)


@pytest.mark.parametrize("count", [
    PersonnelCount(),  # nobody
    PersonnelCount(full_time=-3),
    PersonnelCount(full_time=10, part_time=5, part_time_hours=45),
    PersonnelCount(full_time=10, full_time_hours=0),
    PersonnelCount(full_time=10, repetitive=20, repetitive_reduction_percent=10, repetitive_reason="x"),
    PersonnelCount(full_time=10, repetitive=5, repetitive_reduction_percent=10),
    PersonnelCount(full_time=5_000_000),
])
def test_bad_head_counts_are_rejected(count: PersonnelCount) -> None:
    with pytest.raises(ValidationFailed):
        effective_personnel(count)


def test_request_from_an_audit_record() -> None:
    client = Organisation(name="某公司", uscc="91350100M000100Y43", region_code="110000", industry_code="C")
    audit = Audit(title="t", client=client, standards=[Standard.ISO9001, Standard.ISO45001],
                  audit_type=AuditType.STAGE2, start_date=date(2026, 3, 2), end_date=date(2026, 3, 3),
                  effective_personnel=100, sites=[Site(name="A", personnel=60), Site(name="B", personnel=40)])
    request = request_for_audit(audit, {Standard.ISO45001: Complexity.LOW}, integration_percent=10)
    assert [spec.system for spec in request.systems] == [System.QMS, System.OHSMS]
    assert request.sites[0].central and len(request.sites) == 2
    assert calculate(request).initial_days > 0
