"""The report's contents (ISO/IEC 17021-1 9.4.8) from store data, in Chinese and English."""

from __future__ import annotations

import io
import zipfile

import docx
import pytest

from app.domain import Finding
from app.domain.audit import Recommendation
from app.domain.base import parse
from app.reporting.docx_writer import render_docx
from app.reporting.model import Image, ImageRow, KeyValues, Section, SignatureBlock, Table
from app.reporting.report_builder import report_document
from app.reporting.report_data import ReportData
from app.reporting.report_input import ReportInput
from app.services.documents import report_data
from tests.app.documents.conftest import CONCLUSIONS, Demo, populate
from tests.factories import make_audit


def _blocks(document: object) -> list[object]:
    found: list[object] = []

    def walk(blocks: object) -> None:
        for block in blocks:  # type: ignore[attr-defined]
            found.append(block)
            if isinstance(block, Section):
                walk(block.blocks)

    walk(document.blocks)  # type: ignore[attr-defined]
    return found


ZH_WORDS = ["审核报告", "华信认证中心有限公司", "上海申联电缆有限公司", "上海市浦东新区川沙路 1888 号", "陈静",
            "第二阶段", "ISO 9001:2015", "审核目的", "电线电缆", "与审核计划的偏离", "无偏离审核计划的情况。",
            "王芳", "张伟", "2026-12-07 – 2026-12-09", "川沙生产基地", "一般不符合", "改进机会",
            "ISO 9001:2015 7.1.5.2 测量溯源", "部分监视和测量设备未按规定周期校准。",
            "管理体系总体符合审核准则的要求。", "管理体系得到有效实施", "内部审核和管理评审", "认证范围适宜。",
            "不符合项的纠正和纠正措施经认可后，推荐认证注册。", "以往不符合项纠正措施的验证",
            "本次审核基于对可获得信息", "签字确认", "受审核方代表", "条款覆盖情况", "E1 外径测量仪校准标签",
            "E3 客户台账 （敏感信息：不复制）", "审核目的已实现。", "影响审核方案的重要问题", "未发现。", "报告日期"]
EN_WORDS = ["Audit report", "Certification body", "Audited organisation", "Stage 2",
            "Audit objectives", "Deviations from the audit plan", "Minor nonconformity",
            "Opportunity for improvement", "ISO 9001:2015 7.1.5.2 Measurement traceability",
            "Conformity of the management system", "Effectiveness of the management system",
            "Internal audit and management review", "The scope of certification is appropriate.",
            "Recommend granting certification once the corrections", "Verification of earlier corrective actions",
            "The audit was based on sampling", "Sign-offs", "Client representative", "Clause coverage"]


@pytest.mark.parametrize(("language", "words"), [("zh_CN", ZH_WORDS), ("en", EN_WORDS)])
def test_report_has_every_part_of_17021_9_4_8(demo: Demo, language: str, words: list[str]) -> None:
    given = demo.conclusions.model_copy(update={"marks_use": "", "changes": ""})
    data = report_data(demo.session, demo.audit.id, given)
    document = report_document(data, language=language)
    text = document.text()
    missing = [word for word in words if word not in text]
    assert not missing, missing
    assert document.metadata["audit_id"] == demo.audit.id and "draft" not in document.metadata
    # The fixture's handwritten record has no strokes or envelope: it does not verify, so no sign-off yet.
    assert not data.signed_off() and document.watermark
    # A stage 2 audit has no earlier certification: no marks row, no "changes since the last audit".
    assert "认证文件和标志的使用" not in text and "Use of certification documents" not in text
    assert "重大变更" not in text and "Significant changes" not in text


def test_findings_are_numbered_by_grade_with_thumbnails(session: object) -> None:
    demo = populate(session, "integrated")  # type: ignore[arg-type]
    data = report_data(demo.session, demo.audit.id, demo.conclusions)
    document = report_document(data, language="en")
    major = data.ordered_findings()[0]
    assert major.grade.value == "major_nc"
    blocks = _blocks(document)
    first = next(b for b in blocks if isinstance(b, KeyValues) and b.items[0][0] == "No.")
    values = dict(first.items)
    assert values["No."] == "1" and values["Grade"] == "Major nonconformity"
    assert values["Clauses"].splitlines() == [
        "ISO 14001:2015 6.1.3 Compliance obligations", "ISO 14001:2015 9.1.2 Evaluation of compliance"]
    # Two photos are embedded; the sensitive one is cited but never reproduced.
    rows = [b for b in blocks if isinstance(b, ImageRow)]
    assert len(rows) == 1 and [i.caption for i in rows[0].images] == ["E1 外径测量仪校准标签", "E2 挤塑车间"]
    assert all(isinstance(i, Image) and i.format == "JPEG" for i in rows[0].images)
    assert "E3 客户台账 (sensitive: not reproduced)" in values["Evidence"]
    counts = next(b for b in blocks if isinstance(b, Table) and b.header == ["Grade", "Number"])
    assert [row[1] for row in counts.rows] == ["1", "0", "1", "0"]
    evidence = next(b for b in blocks if isinstance(b, Table) and b.header[0] == "Ref.")
    assert [row[0] for row in evidence.rows] == ["E1", "E2", "E3"] and len(evidence.rows[0][3]) == 64
    signatures = next(b for b in blocks if isinstance(b, SignatureBlock))
    assert signatures.signers[0].name == "黄海" and signatures.signers[0].date == "2026-12-09"
    assert "SHA-256 abababab" in signatures.signers[0].note
    assert [s.role for s in signatures.signers[1:]] == ["Lead auditor", "Client representative"]
    # A surveillance audit reports the verification of earlier corrective actions, changes and marks.
    text = document.text()
    assert "上次审核的 2 项轻微不符合的纠正措施已验证有效。" in text
    assert "Significant changes since the last audit 自上次审核以来组织结构和生产工艺无重大变更。" in text
    assert "Use of certification documents and marks 认证证书和标志的使用符合认证机构的规定。" in text
    assert "Combined audit The 2 management system standards were audited together." in text


def test_context_feeds_a_cb_template_built_from_placeholders(demo: Demo) -> None:
    data = report_data(demo.session, demo.audit.id, demo.conclusions)
    document = report_document(data, language="zh_CN")
    word = docx.Document()
    word.add_paragraph("{{ cb.name }} / {{ client.name }} / {{ client.representative }} / {{ audit.objectives }}")
    word.add_paragraph("{{#findings}}")
    word.add_paragraph("{{ number }} {{ grade }} {{ clauses }}: {{ statement }} [{{ evidence }}]")
    word.add_paragraph("{{/findings}}")
    word.add_paragraph("{{ conclusions.recommendation }} {{ conclusions.scope }}")
    table = word.add_table(rows=1, cols=3)
    table.rows[0].cells[0].text = "{{#signoffs}}{{ role }}"
    table.rows[0].cells[1].text = "{{ name }}"
    table.rows[0].cells[2].text = "{{ note }}{{/signoffs}}"
    buffer = io.BytesIO()
    word.save(buffer)
    filled = docx.Document(io.BytesIO(render_docx(document, buffer.getvalue())))
    text = "\n".join(p.text for p in filled.paragraphs)
    assert "华信认证中心有限公司 / 上海申联电缆有限公司 / 陈静 / 评价受审核方管理体系的实施情况" in text
    assert ("1 一般不符合 ISO 9001:2015 7.1.5.2 测量溯源: 部分监视和测量设备未按规定周期校准。 "
            "[E1 外径测量仪校准标签; E2 挤塑车间; E3 客户台账 （敏感信息：不复制）]") in text
    assert "2 改进机会 ISO 9001:2015 9.2 内部审核: 内审检查表可按过程细化。 []" in text
    assert "推荐认证注册" in text and "认证范围适宜。" in text
    assert [row.cells[1].text for row in filled.tables[0].rows] == ["陈静", "王芳", "陈静"]


def test_no_findings_and_stage1_wording() -> None:
    audit = make_audit(audit_type="stage1", client={**make_audit().client.model_dump(), "representative": "李经理"})
    given = parse(ReportInput, {**CONCLUSIONS, "recommendation": Recommendation.RECOMMEND, "previous_actions": ""})
    document = report_document(ReportData(audit=audit, conclusions=given), language="en")
    text = document.text()
    assert "No findings were raised." in text and "Proceed to the stage 2 audit." in text
    assert "Not applicable: there are no earlier nonconformities" in text
    assert "To audit the client's management system documentation" in text


def test_a_finding_outside_the_criteria_is_named() -> None:
    audit = make_audit(client={**make_audit().client.model_dump(), "representative": "李经理"})
    stray = parse(Finding, {"audit_id": audit.id, "clause_refs": [{"standard": "ISO 45001:2018", "clause": "8.2"}],
                            "grade": "minor_nc", "statement": "x"})
    data = ReportData(audit=audit, conclusions=parse(ReportInput, CONCLUSIONS), findings=[stray])
    with pytest.raises(Exception) as raised:
        report_document(data)
    assert "审核发现 1 引用的 ISO 45001:2018 8.2 不是本次审核的准则" in str(raised.value)


def test_docx_of_the_report_has_the_thumbnails(demo: Demo) -> None:
    data = report_data(demo.session, demo.audit.id, demo.conclusions)
    package = zipfile.ZipFile(io.BytesIO(render_docx(report_document(data))))
    media = [name for name in package.namelist() if name.startswith("word/media/")]
    assert len(media) == 2


def test_drawn_signature_is_pictured_in_the_sign_offs(demo: Demo) -> None:
    from datetime import UTC, datetime

    from app.domain import Signature, SignatureMethod
    from app.signing.envelope import pack
    from app.signing.strokes import Strokes, encode

    strokes = Strokes(width=800, height=200, started_at=datetime(2026, 12, 9, 9, 59, tzinfo=UTC),
                      strokes=[[(40 + 30 * i, 100 + (-1) ** i * 40, 20 * i) for i in range(20)]])
    drawn = Signature(audit_id=demo.audit.id, signer="陈静", role="auditee", method=SignatureMethod.HANDWRITTEN,
                      subject="findings", signed_hash="cd" * 32, signature=pack({"kind": "findings"},
                                                                                 strokes=encode(strokes)),
                      signed_at=datetime(2026, 12, 9, 10, 1, tzinfo=UTC))
    with demo.session.store.unit_of_work("test") as uow:
        uow.create(drawn)
    data = report_data(demo.session, demo.audit.id, demo.conclusions)
    blocks = _blocks(report_document(data, language="zh_CN"))
    index = next(i for i, b in enumerate(blocks) if isinstance(b, SignatureBlock))
    pictures = blocks[index + 1]
    assert isinstance(pictures, ImageRow) and len(pictures.images) == 1
    image = pictures.images[0]
    assert image.caption == "受审核方代表 陈静 2026-12-09" and image.format == "PNG"
    assert (image.pixel_width, image.pixel_height) == (600, 150)
