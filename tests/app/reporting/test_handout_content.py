"""What a lead auditor would otherwise fix by hand before handing a plan or report to the client:
checked on the document model (structure, not bytes)."""

from __future__ import annotations

import re

from app.domain import Answer
from app.domain.audit import Audit, AuditConclusion, Recommendation
from app.planning.plan_builder import build_plan
from app.reporting.model import Document, KeyValues, Paragraph, Table
from app.reporting.plan_document import plan_document
from app.reporting.report_builder import report_document
from app.reporting.report_data import ReportData
from tests.factories import make_audit, make_finding, make_item

CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
QMS, EMS = "ISO 9001:2015", "ISO 14001:2015"
# The auditor listed first and with the smaller id: the lead is still named first at the meetings.
TEAM = [{"user_id": "u-a", "name": "刘洋", "role": "auditor", "competence_codes": ["17.06"]},
        {"user_id": "u-lead", "name": "王芳", "role": "lead", "competence_codes": ["17.06"]}]
CONCLUSIONS = AuditConclusion(
    cb_name="华信认证中心有限公司", objectives_fulfilled=True, deviations="无。", conformity="符合。",
    effectiveness="有效。", internal_audit="已实施。", scope_appropriate=True, scope_note="范围说明。",
    recommendation=Recommendation.AFTER_ACTIONS, recommendation_note="一般不符合项须在 30 天内整改。",
    changes="无。", marks_use="符合规定。", previous_actions="已验证。")


def integrated_audit() -> Audit:
    return make_audit(id="a-1", standards=[QMS, EMS], complexity={EMS: "medium"}, team=TEAM,
                      audit_type="surveillance",
                      start_date="2026-11-09", end_date="2026-11-11", effective_personnel=95,
                      sites=[{"name": "西丽厂区", "address": "深圳", "personnel": 95, "processes": ["注塑", "包装"]}],
                      client={"name": "某制造有限公司", "uscc": "91350100M000100Y43", "address": "福建省福州市鼓楼区",
                              "region_code": "350102", "industry_code": "C3311", "representative": "黄海"})


def report_data() -> ReportData:
    audit = integrated_audit()
    items = [make_item(audit.id, clause, standard=standard, answer=answer)
             for standard, clause, answer in ((EMS, "6.1.3", Answer.MAJOR_NC), (QMS, "9.2", Answer.CONFORMING),
                                              (QMS, "10.2", Answer.CONFORMING), (EMS, "8.1", Answer.CONFORMING))]
    finding = make_finding(audit.id, grade="major_nc", statement="危险废物转移未执行联单管理。",
                           clause_refs=[{"standard": EMS, "clause": "6.1.3"}])
    return ReportData(audit=audit, conclusions=CONCLUSIONS, checklist=items, findings=[finding])


def key_values(document: Document) -> dict[str, str]:
    return {key: value for block in document.flat() if isinstance(block, KeyValues) for key, value in block.items}


def tables(document: Document) -> list[Table]:
    return [block for block in document.flat() if isinstance(block, Table)]


def test_report_coverage_follows_the_criteria_and_points_at_the_findings() -> None:
    document = report_document(report_data(), language="zh_CN")
    coverage = tables(document)[-1]
    clauses = [row[0].split()[:2] for row in coverage.rows]
    # The order of the audit's criteria (ISO 9001 first), clause numbers as numbers (9.2 before 10.2).
    assert clauses == [[QMS.split()[0], "9001:2015"]] * 2 + [["ISO", "14001:2015"]] * 2
    assert [row[0].split()[2] for row in coverage.rows] == ["9.2", "10.2", "6.1.3", "8.1"]
    results = {row[0].split()[2]: row[1] for row in coverage.rows}
    assert results["6.1.3"] == "严重不符合\n见审核发现 1"
    assert "见审核发现" not in results["8.1"]


def test_report_text_has_chinese_typography_in_chinese_and_no_chinese_labels_in_english() -> None:
    zh = key_values(report_document(report_data(), language="zh_CN"))
    assert zh["场所"] == "西丽厂区 深圳（过程：注塑、包装）"
    assert zh["推荐意见"].endswith("推荐保持认证注册。一般不符合项须在 30 天内整改。")
    assert zh["认证范围"] == "认证范围适宜。范围说明。"
    english = report_document(report_data(), language="en")
    values = key_values(english)
    assert values["Sites"] == "西丽厂区 深圳 (processes: 注塑、包装)"
    assert values["Recommendation"].endswith("are accepted. 一般不符合项须在 30 天内整改。")
    # Every label, heading and table header of the English variant is English (the data stays as entered).
    labels = [*values, *(h for t in tables(english) for h in t.header)]
    labels += [b.text for b in english.flat() if not isinstance(b, KeyValues | Table | Paragraph)
               and hasattr(b, "text")]
    assert labels and not [label for label in labels if CJK.search(label)]


def test_plan_schedule_reads_as_a_handout() -> None:
    audit = integrated_audit()
    built = build_plan(audit, language="en")  # the audit records its EMS category: no flag needed
    assert built.audit_time is not None
    document = plan_document(built.plan, language="en", audit_time=built.audit_time)
    schedule = next(t for t in tables(document) if "Clauses" in t.header)
    # Nobody in this team is a technical expert: no empty column squeezing the others.
    assert "Technical expert" not in schedule.header
    time_column = schedule.header.index("Time")
    for row in schedule.rows:
        assert all(re.fullmatch(r"\d\d:\d\d–\d\d:\d\d", part) for part in row[time_column].split("\n"))
        clauses = row[schedule.header.index("Clauses")]
        # Each standard named once per row, one line each: "ISO 9001:2015 4.1, 4.2, 4.3".
        for line in filter(None, clauses.split("\n")):
            assert line.count("ISO") == 1 and re.fullmatch(r"ISO \d+:\d{4} \d+\.\d+(, \d+\.\d+)*", line)
    # An item split around lunch is one row with both times, not two identical rows.
    keys = [(row[0], *row[2:]) for row in schedule.rows]
    assert len(keys) == len(set(keys))
    assert any("\n" in row[time_column] for row in schedule.rows)
    meetings = [row for row in schedule.rows if row[schedule.header.index("Clauses")] == ""]
    assert meetings and all(row[schedule.header.index("Auditor")] == "王芳, 刘洋" for row in meetings)
    lines = [b.text for b in document.flat() if isinstance(b, Paragraph)]
    assert f"This audit (Surveillance): {built.plan.audit_days:g} auditor days on site." in lines
    assert not any(re.fullmatch(r"([\d.]+) days rounded to \1 days", line) for line in lines)
    zh = plan_document(built.plan, language="zh_CN", audit_time=built.audit_time)
    assert f"本次审核（监督审核）：现场审核 {built.plan.audit_days:g} 个审核人日。" in [
        b.text for b in zh.flat() if isinstance(b, Paragraph)]
