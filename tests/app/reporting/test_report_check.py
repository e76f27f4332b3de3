"""The report's list of gaps names fields the way people see them; the CLI names the KEY to --set."""

from __future__ import annotations

from app.domain.audit import AuditConclusion, Recommendation
from app.i18n import set_language
from app.reporting.language import translator
from app.reporting.model import Section
from app.reporting.report_builder import report_document
from app.reporting.report_check import ReportIncomplete, lead_auditor_missing, missing_for_report
from app.reporting.report_data import ReportData
from tests.factories import make_audit, make_finding


def test_gaps_show_the_field_label_in_the_document_language() -> None:
    data = ReportData(audit=make_audit())
    gaps = lead_auditor_missing(data)
    chinese = [gap.message(translator("zh_CN")) for gap in gaps]
    english = [gap.message(translator("en")) for gap in gaps]
    assert "认证机构名称（认证机构）" in chinese and "审核组长的推荐意见（推荐意见）" in chinese
    assert "the name of the certification body (Certification body)" in english
    assert "whether the scope of certification is appropriate (Scope of certification is appropriate)" in english
    for text in chinese + english:  # no internal field name reaches a reader
        keys = ("cb_name", "recommendation", "scope_appropriate", "objectives_fulfilled")
        assert not any(f"{key})" in text or f"{key}）" in text for key in keys)


def test_the_draft_page_lists_gaps_by_label() -> None:
    data = ReportData(audit=make_audit())
    document = report_document(data, language="en", draft=True)
    first = document.blocks[0]
    assert isinstance(first, Section)
    notice = " ".join(str(block) for block in first.blocks)
    assert "the name of the certification body (Certification body)" in notice and "(cb_name)" not in notice


def test_the_cli_form_names_the_key_to_set() -> None:
    set_language("zh_CN")
    audit = make_audit()
    finding = make_finding(audit.id, grade="major_nc")
    data = ReportData(audit=audit, conclusions=AuditConclusion(recommendation=Recommendation.RECOMMEND),
                      findings=[finding])
    gaps = missing_for_report(data)
    keyed = [gap.message(keys=True) for gap in gaps]
    assert "认证机构名称（cb_name）" in keyed
    assert any("（recommendation=recommend_after_actions|not_recommended）" in text for text in keyed)
    error = ReportIncomplete(gaps)
    assert "（cb_name）" not in str(error) and "（认证机构）" in str(error)  # as the UI shows it
    error.keys = True
    assert "- 认证机构名称（cb_name）" in str(error)
