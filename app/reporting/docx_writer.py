"""docx writer (python-docx): a CB-editable template filled from the context, with the
document body rendered where the template says ``{{ body }}``.

Chinese first: every style gets an East Asian font (w:eastAsia) when the template has none,
so Word and LibreOffice never fall back to a Latin font for Chinese text.  Page numbers come
from the template's footer; a template without any PAGE field gets "page X of Y" added.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import docx
from docx.document import Document as WordDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.image.image import Image as DocxImage
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.shape import CT_Inline
from docx.parts.image import ImagePart
from docx.shared import Length, Mm, Pt
from docx.table import Table as WordTable
from docx.table import _Cell
from lxml import etree

from app.reporting.docx_template import TemplateBroken, check_package, raise_problems, render_part
from app.reporting.language import translator
from app.reporting.layout import PAGE_LABEL
from app.reporting.model import (
    Align,
    Document,
    Heading,
    Image,
    ImageRow,
    KeyValues,
    PageBreak,
    Paragraph,
    SignatureBlock,
    Table,
)
from app.reporting.output import WriteResult, finish

TEMPLATE_DIR = Path(__file__).resolve().parents[2] / "resources" / "templates"
EAST_ASIA_BODY = "宋体"
EAST_ASIA_HEADING = "黑体"
_ALIGN = {Align.LEFT: WD_ALIGN_PARAGRAPH.LEFT, Align.CENTER: WD_ALIGN_PARAGRAPH.CENTER,
          Align.RIGHT: WD_ALIGN_PARAGRAPH.RIGHT}


def default_template(kind: str, language: str) -> bytes:
    """The shipped template for ``kind`` ("report"/"plan") in ``language``; built if missing."""
    code = "zh" if language.startswith("zh") else "en"
    path = TEMPLATE_DIR / f"{kind}_{code}.docx"
    if path.is_file():
        return path.read_bytes()
    from app.reporting.default_templates import build_template

    return build_template(kind, code)


def template_context(document: Document) -> dict[str, Any]:
    """The document's own context plus the names every template may use."""
    context: dict[str, Any] = {"title": document.title, "subtitle": document.subtitle,
                               "author": document.author, "footer": document.footer}
    context.update(document.context)
    return context


def set_east_asian_fonts(word: WordDocument, body: str = EAST_ASIA_BODY, heading: str = EAST_ASIA_HEADING) -> None:
    """Give every style (and the document defaults) an explicit East Asian font unless it has one.

    A style that only names a theme font for East Asian text gets an explicit one instead: the
    theme of an English Word template has no Chinese face, and Chinese would fall back to a
    Latin font.
    """
    styles = word.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    targets = [style for style in styles.findall(qn("w:style"))]
    if defaults is not None:
        rpr_default = defaults.find(qn("w:rPrDefault"))
        if rpr_default is None:
            rpr_default = OxmlElement("w:rPrDefault")
            defaults.insert(0, rpr_default)
        targets.append(rpr_default)
    for target in targets:
        rpr = target.find(qn("w:rPr"))
        if rpr is None:
            rpr = OxmlElement("w:rPr")
            target.append(rpr)
        fonts = rpr.find(qn("w:rFonts"))
        if fonts is None:
            fonts = OxmlElement("w:rFonts")
            rpr.insert(0, fonts)
        if not fonts.get(qn("w:eastAsia")):
            # A theme font wins over an explicit one in Word, and Latin themes have no Chinese face.
            fonts.attrib.pop(qn("w:eastAsiaTheme"), None)
            style_id = target.get(qn("w:styleId")) or ""
            fonts.set(qn("w:eastAsia"), heading if style_id.lower().startswith(("heading", "title")) else body)


def _field(paragraph: Any, instruction: str) -> None:
    simple = OxmlElement("w:fldSimple")
    simple.set(qn("w:instr"), instruction)
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    simple.append(run)
    paragraph._p.append(simple)


def add_page_numbers(paragraph: Any, language: str) -> None:
    """"Page X of Y" in the document's language, with PAGE and NUMPAGES fields for X and Y."""
    label = translator(language)(PAGE_LABEL)
    before, rest = label.split("{page}", 1) if "{page}" in label else ("", " {pages}")
    middle, after = rest.split("{pages}", 1) if "{pages}" in rest else (rest, "")
    paragraph.add_run(before)
    _field(paragraph, "PAGE")
    paragraph.add_run(middle)
    _field(paragraph, "NUMPAGES")
    if after:
        paragraph.add_run(after)


def _has_page_field(word: WordDocument) -> bool:
    for section in word.sections:
        for part in (section.footer, section.header):
            if not part.is_linked_to_previous and b"PAGE" in etree.tostring(part._element):
                return True
    return False


class _Pictures:
    """Pictures without python-docx's per-picture scans of the whole document.

    ``Run.add_picture`` hashes every image already in the package and searches every id in the
    document for each new picture, which is quadratic: 300 thumbnails took seconds.  Here
    images are deduplicated by hash in a dict and shape ids come from a counter.
    """

    def __init__(self, word: WordDocument) -> None:
        self.part = word.part
        self.images = word.part.package.image_parts
        self.by_hash: dict[str, str] = {}
        used = [int(value) for value in word.element.xpath("//@id") if str(value).isdigit()]
        self.next_id = max(used, default=0) + 1
        self.next_image = max((part.partname.idx or 0 for part in self.images), default=0) + 1

    def add(self, run: Any, data: bytes, width: int) -> None:
        picture = DocxImage.from_blob(data)
        relation = self.by_hash.get(picture.sha1)
        if relation is None:
            part = ImagePart.from_image(picture, PackURI(f"/word/media/image{self.next_image}.{picture.ext}"))
            self.next_image += 1
            self.images.append(part)
            relation = self.by_hash[picture.sha1] = self.part.relate_to(part, RT.IMAGE)
        cx, cy = picture.scaled_dimensions(width, None)
        run._r.add_drawing(CT_Inline.new_pic_inline(self.next_id, relation, picture.filename, cx, cy))
        self.next_id += 1


class _BodyWriter:
    def __init__(self, word: WordDocument) -> None:
        self.word = word
        self.pictures = _Pictures(word)
        # Style ids looked up once: python-docx scans all styles on every lookup by name.
        self.style_ids = {style.name: style.style_id for style in word.styles}
        section = word.sections[-1]
        width = (section.page_width or Mm(210)) - (section.left_margin or Mm(25)) - (section.right_margin or Mm(25))
        self.content_width = int(width)
        self.has_grid = "Table Grid" in self.style_ids
        self.headings = {level for level in (1, 2, 3) if f"Heading {level}" in self.style_ids}

    def heading(self, block: Heading) -> None:
        level = min(max(block.level, 1), 3)
        if level in self.headings:
            paragraph = self.word.add_paragraph()
            paragraph._p.style = self.style_ids[f"Heading {level}"]
            paragraph.add_run(block.text)
        else:
            run = self.word.add_paragraph().add_run(block.text)
            run.bold = True
            run.font.size = Pt({1: 15, 2: 13, 3: 11.5}[level])

    def paragraph(self, block: Paragraph) -> None:
        paragraph = self.word.add_paragraph()
        paragraph.alignment = _ALIGN[block.align]
        run = paragraph.add_run(block.text)
        run.bold = block.bold or None
        if block.small:
            run.font.size = Pt(9)

    def table(self, header: list[str], rows: list[list[str]], fractions: list[float],
              bold_first: bool = False, min_height_mm: float = 0.0) -> WordTable:
        columns = len(fractions)
        table: WordTable = self.word._body.add_table(0, columns, Length(self.content_width))
        if self.has_grid:
            table._tbl.tblPr.style = self.style_ids["Table Grid"]
        else:
            _borders(table)
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        widths = [Length(int(self.content_width * fraction)) for fraction in fractions]
        for number, values in enumerate(([header] if header else []) + rows):
            row = table.add_row()  # type: ignore[no-untyped-call]
            # Row.cells recomputes the whole table's grid: quadratic for long tables.
            cells = [_Cell(tc, table) for tc in row._tr.tc_lst]
            for column in range(columns):
                cell = cells[column]
                cell.width = widths[column]
                text = values[column] if column < len(values) else ""
                run = cell.paragraphs[0].add_run(text)
                if (header and number == 0) or (bold_first and column == 0):
                    run.bold = True
            if header and number == 0:
                _repeat_header(table.rows[-1])
            if min_height_mm:
                table.rows[-1].height = Mm(min_height_mm)
        return table

    def image(self, image: Image, width_mm: float, container: Any = None) -> None:
        target = container if container is not None else self.word.add_paragraph()
        self.pictures.add(target.add_run(), image.data, Mm(width_mm))
        if image.caption:
            caption_run = (container._parent.add_paragraph() if container is not None
                           else self.word.add_paragraph()).add_run(image.caption)
            caption_run.font.size = Pt(9)

    def image_row(self, block: ImageRow) -> None:
        per_row = max(1, block.per_row)
        cell_mm = self.content_width / 36000 / per_row - 4
        for start in range(0, len(block.images), per_row):
            group = list(block.images[start:start + per_row])
            table = self.word._body.add_table(1, per_row, Length(self.content_width))
            cells = [_Cell(tc, table) for tc in table._tbl.tr_lst[0].tc_lst]
            for column, image in enumerate(group):
                cell = cells[column]
                width = min(cell_mm, cell_mm * image.pixel_width / image.pixel_height)
                self.image(image, width, cell.paragraphs[0])

    def render(self, document: Document) -> None:
        for block in document.flat():
            if isinstance(block, Heading):
                self.heading(block)
            elif isinstance(block, Paragraph):
                self.paragraph(block)
            elif isinstance(block, Table):
                if block.caption:
                    self.paragraph(Paragraph(block.caption, bold=True, small=True))
                self.table(list(block.header), [list(row) for row in block.rows], block.column_widths())
            elif isinstance(block, KeyValues):
                if block.title:
                    self.paragraph(Paragraph(block.title, bold=True))
                self.table([], [list(item) for item in block.items], [0.3, 0.7], bold_first=True)
            elif isinstance(block, SignatureBlock):
                if block.title:
                    self.paragraph(Paragraph(block.title, bold=True))
                rows = [[s.role, s.name, s.date, s.note] for s in block.signers]
                self.table([], rows, [0.2, 0.25, 0.2, 0.35], bold_first=True, min_height_mm=14)
            elif isinstance(block, Image):
                self.image(block, min(block.width_mm, self.content_width / 36000))
            elif isinstance(block, ImageRow):
                self.image_row(block)
            elif isinstance(block, PageBreak):
                self.word.add_page_break()  # type: ignore[no-untyped-call]


def _repeat_header(row: Any) -> None:
    properties = row._tr.get_or_add_trPr()
    marker = OxmlElement("w:tblHeader")
    marker.set(qn("w:val"), "true")
    properties.append(marker)


def _borders(table: WordTable) -> None:
    properties = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "single")
        element.set(qn("w:sz"), "4")
        element.set(qn("w:color"), "000000")
        borders.append(element)
    properties.append(borders)


def _template_parts(word: WordDocument) -> list[tuple[str, Any]]:
    parts = []
    for part in word.part.package.iter_parts():
        name = str(part.partname).lstrip("/")
        if name == "word/document.xml" or (name.startswith(("word/header", "word/footer")) and name.endswith(".xml")):
            parts.append((name, part))
    return parts


def render_docx(document: Document, template: bytes | Path | str | None = None,
                context: Mapping[str, Any] | None = None) -> bytes:
    """Fill ``template`` (the shipped one for the document's kind and language by default)."""
    if template is None:
        data = default_template(document.kind, document.language)
    elif isinstance(template, bytes):
        data = template
    else:
        try:
            data = Path(template).read_bytes()
        except OSError as error:
            raise TemplateBroken(part=str(template), detail=error.strerror or str(error)) from None
    check_package(data)
    word = docx.Document(io.BytesIO(data))
    values = dict(context) if context is not None else template_context(document)
    problems = []
    marker = None
    for name, part in _template_parts(word):
        renderer = render_part(part.element, name, values)
        problems.extend(renderer.problems)
        if name == "word/document.xml":
            marker = renderer.body_marker
    raise_problems(problems)
    if marker is not None:
        body = word.element.body
        # Holding the proxies keeps lxml from recycling them, so membership is by identity.
        before = set(body)
        _BodyWriter(word).render(document)
        for element in [element for element in body if element not in before]:
            if element.tag != qn("w:sectPr"):
                marker.addprevious(element)
        parent = marker.getparent()
        if parent is not None:
            parent.remove(marker)
    set_east_asian_fonts(word)
    if not _has_page_field(word):
        footer = word.sections[0].footer
        paragraph = footer.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        add_page_numbers(paragraph, document.language)
    properties = word.core_properties
    properties.title = document.title[:250]
    properties.author = document.author[:250]
    properties.subject = document.subtitle[:250]
    properties.comments = "; ".join(f"{k}={v}" for k, v in sorted(document.metadata.items()))[:1000]
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()


def write_docx(document: Document, path: Path | str | None = None, template: bytes | Path | str | None = None,
               context: Mapping[str, Any] | None = None) -> WriteResult:
    """Render ``document`` as docx, write it to ``path`` (if given) and return its SHA-256."""
    return finish(render_docx(document, template, context), "docx", path)
