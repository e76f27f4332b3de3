"""Build the shipped Word templates (``resources/templates/{report,plan}_{zh,en}.docx``).

Run ``python -m app.reporting.default_templates`` after changing this file; the templates are
committed so a CB can open them in Word as the starting point for its own.  They use only
the names listed in docs/report-templates.md (cover fields, the team table and ``{{ body }}``).
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

import docx
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from app.reporting.docx_writer import TEMPLATE_DIR, add_page_numbers, set_east_asian_fonts

LABELS = {
    "zh": {
        "client": "受审核组织", "type": "审核类型", "dates": "审核日期", "standards": "审核准则",
        "cb": "认证机构", "team": "审核组", "name": "姓名", "role": "角色", "codes": "专业代码",
        "lead": "审核组长",
    },
    "en": {
        "client": "Audited organisation", "type": "Audit type", "dates": "Audit dates",
        "standards": "Audit criteria", "cb": "Certification body", "team": "Audit team", "name": "Name",
        "role": "Role", "codes": "Competence codes", "lead": "Lead auditor",
    },
}


def _language_tag(word: docx.document.Document, code: str) -> None:
    """Mark the default language so spelling and line breaking follow the document's language."""
    defaults = word.styles.element.find(qn("w:docDefaults"))
    if defaults is None:
        return
    rpr = defaults.find(qn("w:rPrDefault") + "/" + qn("w:rPr"))
    if rpr is None:
        return
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "zh-CN" if code == "zh" else "en-GB")
    lang.set(qn("w:eastAsia"), "zh-CN")
    rpr.append(lang)


def build_template(kind: str, code: str) -> bytes:
    """The default template for ``kind`` ("report" or "plan") and ``code`` ("zh" or "en")."""
    labels = LABELS[code]
    word = docx.Document()
    section = word.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(20)
    section.top_margin, section.bottom_margin = Mm(20), Mm(22)
    normal = word.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.font.size = Pt(10.5)
    set_east_asian_fonts(word)
    _language_tag(word, code)

    header = section.header.paragraphs[0]
    header.text = "{{ cb.name }}  {{ title }}"
    header.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    add_page_numbers(footer, "zh_CN" if code == "zh" else "en")

    title = word.add_paragraph("{{ title }}", style="Title")
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    subtitle = word.add_paragraph("{{ subtitle }}")
    subtitle.alignment = WD_ALIGN_PARAGRAPH.CENTER
    cover = word.add_table(rows=0, cols=2)
    cover.style = word.styles["Table Grid"]
    for key, placeholder in (("client", "client.name"), ("type", "audit.type"), ("dates", "audit.dates"),
                             ("standards", "audit.standards"), ("cb", "cb.name")):
        cells = cover.add_row().cells
        cells[0].paragraphs[0].add_run(labels[key]).bold = True
        cells[1].text = f"{{{{ {placeholder} }}}}"
    word.add_heading(labels["team"], level=2)
    team = word.add_table(rows=2, cols=3)
    team.style = word.styles["Table Grid"]
    for cell, key in zip(team.rows[0].cells, ("name", "role", "codes"), strict=True):
        cell.paragraphs[0].add_run(labels[key]).bold = True
    row = team.rows[1].cells
    row[0].text = "{{#team}}{{ name }}"
    row[1].text = "{{ role }}"
    row[2].text = "{{ codes }}{{/team}}"
    word.add_page_break()  # type: ignore[no-untyped-call]
    word.add_paragraph("{{ body }}")
    word.core_properties.title = f"FieldAudit {kind} template ({code})"
    word.core_properties.author = "FieldAudit"
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()


def main(argv: list[str] | None = None) -> int:
    target = Path(argv[0]) if argv else TEMPLATE_DIR
    target.mkdir(parents=True, exist_ok=True)
    for kind in ("report", "plan"):
        for code in ("zh", "en"):
            path = target / f"{kind}_{code}.docx"
            path.write_bytes(build_template(kind, code))
            print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
