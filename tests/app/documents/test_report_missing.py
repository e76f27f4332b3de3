"""A report with gaps is refused with every gap listed (translated, one per line); --draft marks a draft."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest

from app.domain import Audit, Finding
from app.domain.base import parse
from app.errors import ValidationFailed
from app.i18n import set_language
from app.reporting.report_check import ReportIncomplete, missing_for_report
from app.reporting.report_data import ReportData
from app.reporting.report_input import ReportInput, load_report_input
from app.services import documents
from app.store.replica import ServerRecord, apply_server_record
from tests.app.documents.conftest import CONCLUSIONS, Demo, populate
from tests.app.reporting.conftest import pdf_text


def _conflict(demo: Demo) -> None:
    finding = demo.findings[0]
    conflict = {"id": "c-1", "audit_id": demo.audit.id, "entity": "finding", "entity_id": finding.id,
                "kind": "field", "fields": ["statement"], "status": "open"}
    with demo.session.store.unit_of_work("sync", origin="remote") as uow:
        apply_server_record(uow, ServerRecord("conflict", "c-1", demo.audit.id, 1, conflict, False))


def test_everything_missing_is_listed_at_once(session: object) -> None:
    demo = populate(session, "integrated", answer_all=False)  # type: ignore[arg-type]
    store = demo.session.store
    with store.unit_of_work("t") as uow:
        client = {**demo.audit.client.model_dump(), "representative": "", "address": ""}
        uow.update(Audit, demo.audit.id, {"team": [m for m in demo.audit.team if m.role.value != "lead"],
                                          "client": client})
    _conflict(demo)
    with pytest.raises(ReportIncomplete) as raised:
        documents.produce_report(demo.session, demo.audit.id, fmt="pdf", out=Path("/nonexistent/never.pdf"))
    lines = str(raised.value).splitlines()
    assert lines[0] == "无法生成审核报告，缺少以下内容："
    expected = ["审核组中的审核组长", "受审核组织的地址", "受审核组织的代表", "认证机构名称（",
                "关于管理体系符合性的结论（", "关于管理体系有效性的结论（",
                "关于内部审核和管理评审的结论（", "与审核计划偏离情况的说明",
                "审核目的是否实现（", "认证范围是否适宜", "审核组长的推荐意见（",
                "对以往不符合项纠正措施的验证（", "自上次审核以来管理体系的重大变更",
                "关于受审核方使用认证文件和标志的结论（",
                "个检查表项目的审核结果（ISO 9001:2015 4.1, ISO 9001:2015 4.2", "对审核发现 "]
    assert len(lines) == 1 + len(expected)
    for line, text in zip(lines[1:], expected, strict=True):
        assert line.startswith("- ") and text in line, (line, text)
    # Named by their labels in the document's language, not by the keys the CLI uses to set them.
    keys = ("cb_name", "conformity", "effectiveness", "internal_audit", "objectives_fulfilled", "recommendation",
            "previous_actions", "marks_use")
    assert not [line for line in lines for key in keys if key in line]
    assert f"{demo.findings[0].id} 未解决的同步冲突的处理决定（字段：statement）" in lines[-1]
    set_language("en")
    english = str(raised.value).splitlines()
    assert english[0] == "The report cannot be produced; this is missing:"
    assert "- a lead auditor in the audit team" in english
    assert any("open synchronisation conflict about finding" in line for line in english)


def test_unconditional_recommendation_with_open_majors_is_refused(session: object) -> None:
    demo = populate(session, "integrated")  # type: ignore[arg-type]
    given = parse(ReportInput, {**CONCLUSIONS, "recommendation": "recommend"})
    data = documents.report_data(demo.session, demo.audit.id, given)
    [problem] = missing_for_report(data)
    assert "1 项尚未验证的严重不符合" in problem.message()
    settled = [f.model_copy(update={"state": "verified"}) if f.grade.value == "major_nc" else f for f in data.findings]
    assert missing_for_report(ReportData(**{**data.__dict__, "findings": settled})) == []


def test_complete_data_has_nothing_missing(demo: Demo) -> None:
    assert missing_for_report(documents.report_data(demo.session, demo.audit.id, demo.conclusions)) == []


@pytest.mark.slow
def test_draft_is_marked_in_every_format(session: object, tmp_path: Path) -> None:
    demo = populate(session, "qms")  # type: ignore[arg-type]
    out = {fmt: tmp_path / f"draft.{fmt}" for fmt in ("docx", "pdf", "ofd")}
    produced = {fmt: documents.produce_report(demo.session, demo.audit.id, fmt=fmt, out=path, draft=True)
                for fmt, path in out.items()}
    assert all(p.draft for p in produced.values())
    text = pdf_text(out["pdf"]).replace(" ", "")
    assert "审核报告（草稿）" in text and text.count("草稿：内容不完整，不得发放") >= 2
    assert "这是草稿，不得发放" in text and "审核组长的推荐意见（" in text and "recommendation" not in text
    package = zipfile.ZipFile(io.BytesIO(out["docx"].read_bytes()))
    headers = [package.read(n).decode() for n in package.namelist() if n.startswith("word/header")]
    assert any('string="草稿"' in xml and "v:textpath" in xml for xml in headers)
    ofdkit = pytest.importorskip("ofdkit")
    with ofdkit.open(str(out["ofd"])) as opened:
        assert "草稿：内容不完整，不得发放" in opened.text() and opened.info.title == "审核报告（草稿）"
        assert opened.info.custom_data["draft"] == "true"
    records = documents.produced_documents(demo.session.store, demo.audit.id)
    assert [r["draft"] for r in records] == [True, True, True]


def test_conclusions_file(tmp_path: Path) -> None:
    good = tmp_path / "c.json"
    good.write_text(json.dumps(CONCLUSIONS, ensure_ascii=False), "utf-8")
    assert load_report_input(good).recommendation is not None
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", "utf-8")
    with pytest.raises(ValidationFailed, match="无法读取结论文件"):
        load_report_input(bad)
    listed = tmp_path / "list.json"
    listed.write_text("[]", "utf-8")
    with pytest.raises(ValidationFailed, match="必须包含一个 JSON 对象"):
        load_report_input(listed)
    typo = tmp_path / "typo.json"
    typo.write_text(json.dumps({"recomendation": "recommend"}), "utf-8")
    with pytest.raises(ValidationFailed):
        load_report_input(typo)
    wrong = tmp_path / "wrong.json"
    wrong.write_text(json.dumps({"recommendation": "maybe"}), "utf-8")
    with pytest.raises(ValidationFailed):
        load_report_input(wrong)


def test_a_finding_without_clause_refs_is_named() -> None:
    from tests.factories import make_audit

    audit = make_audit(client={**make_audit().client.model_dump(), "representative": "李经理"})
    finding = Finding.model_construct(**{**parse(Finding, {
        "audit_id": audit.id, "clause_refs": [{"standard": "ISO 9001:2015", "clause": "8.5.1"}],
        "grade": "minor_nc", "statement": "作业指导书未受控"}).__dict__, "clause_refs": []})
    data = ReportData(audit=audit, conclusions=parse(ReportInput, CONCLUSIONS), findings=[finding])
    [problem] = missing_for_report(data)
    assert problem.message() == "审核发现 1（作业指导书未受控）的条款引用"
