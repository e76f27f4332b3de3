"""docx writer and the Word template language: placeholders, sections, errors, LibreOffice reading it."""

from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import Path
from typing import Any

import docx
import pytest
from docx.oxml.ns import qn

from app.i18n import set_language
from app.reporting.docx_template import (
    TemplateBroken,
    TemplateSectionUnclosed,
    TemplateUnknownPlaceholder,
)
from app.reporting.docx_writer import default_template, render_docx, write_docx
from app.reporting.model import Document, Paragraph
from tests.app.reporting.conftest import CONTEXT, pdf_text, sample_document, soffice_to_pdf


def build(fill: Any) -> bytes:
    word = docx.Document()
    fill(word)
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()


def texts(data: bytes) -> list[str]:
    word = docx.Document(io.BytesIO(data))
    lines = [p.text for p in word.paragraphs]
    for table in word.tables:
        lines += [" | ".join(cell.text for cell in row.cells) for row in table.rows]
    return lines


def test_placeholder_split_across_runs_keeps_first_run_format() -> None:
    def fill(word: Any) -> None:
        paragraph = word.add_paragraph("客户：")
        first = paragraph.add_run("{{ cli")
        first.bold = True
        paragraph.add_run("ent.na")
        paragraph.add_run("me }}，地址 {{client.address}}")

    data = render_docx(Document("t", []), build(fill), context=CONTEXT)
    word = docx.Document(io.BytesIO(data))
    paragraph = word.paragraphs[0]
    assert paragraph.text == "客户：福州某机械有限公司，地址 福建省福州市"
    assert paragraph.runs[1].bold and paragraph.runs[1].text == "福州某机械有限公司"


def test_row_section_repeats_table_rows() -> None:
    def fill(word: Any) -> None:
        table = word.add_table(rows=3, cols=2)
        table.rows[0].cells[0].text = "姓名"
        table.rows[1].cells[0].text = "{{#team}}{{ name }}"
        table.rows[1].cells[1].text = "{{ role }} / {{ client.name }}{{/team}}"
        table.rows[2].cells[0].text = "{{^team}}无{{/team}}"

    lines = texts(render_docx(Document("t", []), build(fill), context=CONTEXT))
    assert lines[-2:] == ["张三 | 审核组长 / 福州某机械有限公司", "李四 | 审核员 / 福州某机械有限公司"]
    empty = texts(render_docx(Document("t", []), build(fill), context={**CONTEXT, "team": []}))
    assert empty[-1] == "无 | "


def test_paragraph_block_and_inline_sections() -> None:
    def fill(word: Any) -> None:
        word.add_paragraph("{{#findings}}")
        word.add_paragraph("发现 {{ number }}：{{ statement }}")
        word.add_paragraph("{{#evidence}}证据 {{ . }}{{/evidence}}")
        word.add_paragraph("{{/findings}}")
        word.add_paragraph("{{#recommendation}}推荐：{{ recommendation }}{{/recommendation}}")
        word.add_paragraph("{{^recommendation}}尚无推荐{{/recommendation}}")

    context = {"findings": [{"number": 1, "statement": "文件未受控", "evidence": ["E1", "E2"]},
                            {"number": 2, "statement": "记录缺失", "evidence": []}],
               "recommendation": "推荐认证"}
    lines = [line for line in texts(render_docx(Document("t", []), build(fill), context=context)) if line]
    assert lines == ["发现 1：文件未受控", "证据 E1", "证据 E2", "发现 2：记录缺失", "推荐：推荐认证"]
    lines = [line for line in texts(render_docx(Document("t", []), build(fill),
                                                context={**context, "recommendation": None})) if line]
    assert lines[-1] == "尚无推荐"


def test_unknown_placeholders_are_named_with_their_part() -> None:
    def fill(word: Any) -> None:
        word.add_paragraph("{{ client.nmae }} and {{ auditor }}")
        word.sections[0].header.paragraphs[0].text = "{{ cb.title }}"

    with pytest.raises(TemplateUnknownPlaceholder) as caught:
        render_docx(Document("t", []), build(fill), context=CONTEXT)
    message = str(caught.value)
    assert "word/document.xml" in message and "{{ client.nmae }}" in message and "{{ auditor }}" in message
    set_language("en")
    assert str(caught.value).startswith("The template uses unknown placeholders in word/document.xml")

    def header_only(word: Any) -> None:
        word.sections[0].header.paragraphs[0].text = "{{ cb.title }}"

    with pytest.raises(TemplateUnknownPlaceholder, match=r"word/header\d*\.xml.*cb\.title"):
        render_docx(Document("t", []), build(header_only), context=CONTEXT)


def test_stray_closing_marker_is_reported() -> None:
    with pytest.raises(TemplateUnknownPlaceholder, match="/team"):
        render_docx(Document("t", []), build(lambda word: word.add_paragraph("x {{/team}}")), context=CONTEXT)


def test_unclosed_section() -> None:
    def fill(word: Any) -> None:
        word.add_paragraph("{{#team}}")
        word.add_paragraph("{{ name }}")

    with pytest.raises(TemplateSectionUnclosed, match="team"):
        render_docx(Document("t", []), build(fill), context=CONTEXT)


def test_broken_xml_and_not_a_document(tmp_path: Path) -> None:
    good = default_template("report", "zh_CN")
    broken = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(good)) as source, zipfile.ZipFile(broken, "w") as target:
        for name in source.namelist():
            body = source.read(name)
            if name == "word/styles.xml":
                body = body[:-40]
            target.writestr(name, body)
    with pytest.raises(TemplateBroken, match=r"word/styles\.xml"):
        render_docx(sample_document(), broken.getvalue())
    with pytest.raises(TemplateBroken):
        render_docx(sample_document(), b"plain text, not a zip")
    with pytest.raises(TemplateBroken):
        render_docx(sample_document(), tmp_path / "missing.docx")
    # The shipped template still works after all that.
    assert render_docx(sample_document())[:2] == b"PK"


@pytest.mark.parametrize("language", ["zh_CN", "en"])
def test_default_template_body_styles_and_page_numbers(language: str, tmp_path: Path) -> None:
    result = write_docx(sample_document(language), tmp_path / "r.docx")
    assert result.path is not None
    data = result.path.read_bytes()
    assert result.sha256 == hashlib.sha256(data).hexdigest()
    word = docx.Document(io.BytesIO(data))
    for style in word.styles.element.findall(qn("w:style")):
        fonts = style.find(qn("w:rPr") + "/" + qn("w:rFonts"))
        assert fonts is not None and fonts.get(qn("w:eastAsia")), style.get(qn("w:styleId"))
    footer_xml = word.sections[0].footer._element.xml
    assert 'w:instr="PAGE"' in footer_xml and 'w:instr="NUMPAGES"' in footer_xml
    lines = texts(data)
    assert "{{" not in "".join(lines)
    assert lines.index("一、审核概况") < lines.index("二、审核发现") < lines.index("三、结论")
    assert any(p.style is not None and p.style.name == "Heading 1" for p in word.paragraphs if p.text == "一、审核概况")
    assert "张三 | 审核组长 | 17.12" in lines
    assert len(word.inline_shapes) == 2
    assert word.core_properties.title == sample_document(language).title


def test_template_without_body_or_page_numbers_gets_page_numbers() -> None:
    data = render_docx(Document("t", [Paragraph("x")]), build(lambda word: word.add_paragraph("{{ title }}")))
    word = docx.Document(io.BytesIO(data))
    assert [p.text for p in word.paragraphs] == ["t"]
    assert 'w:instr="PAGE"' in word.sections[0].footer._element.xml


@pytest.mark.parametrize("language", ["zh_CN", "en"])
def test_libreoffice_opens_and_converts(language: str, tmp_path: Path) -> None:
    path = write_docx(sample_document(language, findings=30, thumbnails=4), tmp_path / "report.docx").path
    assert path is not None
    text = pdf_text(soffice_to_pdf(path, tmp_path)).replace(" ", "").replace("\n", "")
    for expected in ("华信认证中心", "福州某机械有限公司", "一、审核概况", "现场抽查第30号作业指导书未受控。",
                     "审核组推荐通过认证。", "受审核方代表", "证据照片4"):
        assert expected in text
    assert ("第1页，共" in text) if language == "zh_CN" else ("Page1of" in text)
