"""Lay a :class:`Document` out on fixed pages once, for every fixed-layout writer.

The PDF and OFD writers only paint what this module places: text runs on baselines, lines
and images, all in millimetres from the page's top-left corner.  Laying out once means the
two formats break lines and pages identically, and neither needs the other's toolkit.
Chinese text may break between any two characters; Latin words break at spaces; closing
punctuation never starts a line.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from app.i18n import N_
from app.reporting.fonts import FontFace
from app.reporting.language import translator
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

PT = 25.4 / 72  # one point in millimetres
BODY, SMALL, TITLE = 10.5 * PT, 9 * PT, 20 * PT
HEADINGS = {1: 15 * PT, 2: 13 * PT, 3: 11.5 * PT}
LINE = 1.45  # line height as a multiple of the font size
PAD = 1.5  # table cell padding (mm)
NO_LINE_START = set("，。、；：？！）》」』”’,.;:?!)]}%")
PAGE_LABEL = N_("Page {page} of {pages}")
MARK_ANGLE = 45.0
MARK_GREY = 185  # 0-255 grey level of a watermark: visible, yet the text above stays readable


@dataclass(frozen=True)
class TextItem:
    x: float
    y: float  # baseline
    size: float
    text: str
    bold: bool = False


@dataclass(frozen=True)
class LineItem:
    x1: float
    y1: float
    x2: float
    y2: float
    width: float = 0.25


@dataclass(frozen=True)
class ImageItem:
    x: float
    y: float
    width: float
    height: float
    image: Image


@dataclass(frozen=True)
class MarkItem:
    """A watermark: ``text`` centred on (``cx``, ``cy``), rotated ``angle`` degrees (counter-clockwise),
    light grey, behind the page's content; ``width`` is its unrotated advance width."""

    cx: float
    cy: float
    size: float
    text: str
    width: float
    angle: float = MARK_ANGLE


Item = TextItem | LineItem | ImageItem | MarkItem


@dataclass
class Page:
    width: float
    height: float
    items: list[Item] = field(default_factory=list)


@dataclass(frozen=True)
class PageSetup:
    width: float = 210.0
    height: float = 297.0
    left: float = 20.0
    right: float = 20.0
    top: float = 20.0
    bottom: float = 22.0

    @property
    def content_width(self) -> float:
        return self.width - self.left - self.right


def wrap(face: FontFace, text: str, size: float, width: float) -> list[str]:
    """Break ``text`` into lines no wider than ``width`` (hard breaks at newlines)."""
    lines: list[str] = []
    for paragraph in text.replace("\r\n", "\n").split("\n"):
        lines.extend(_wrap_one(face, paragraph, size, width))
    return lines or [""]


def _tokens(text: str) -> list[str]:
    tokens: list[str] = []
    word = ""
    for char in text:
        if char.isspace() or ord(char) >= 0x2E80:
            if word:
                tokens.append(word)
                word = ""
            tokens.append(" " if char.isspace() else char)
        else:
            word += char
    if word:
        tokens.append(word)
    return tokens


def _wrap_one(face: FontFace, text: str, size: float, width: float) -> list[str]:
    lines: list[str] = []
    line, used = "", 0.0
    for token in _tokens(text):
        token_width = face.width(token, size)
        if line and used + token_width > width and token[0] not in NO_LINE_START:
            lines.append(line.rstrip())
            line, used = "", 0.0
        if not line and token == " ":
            continue
        if token_width <= width:
            line += token
            used += token_width
            continue
        # A word wider than the whole line: break it between characters.
        for char in token:
            char_width = face.width(char, size)
            if line and used + char_width > width:
                lines.append(line)
                line, used = "", 0.0
            line += char
            used += char_width
    lines.append(line.rstrip())
    return lines


class _Layout:
    def __init__(self, face: FontFace, setup: PageSetup) -> None:
        self.face, self.setup = face, setup
        self.pages: list[Page] = []
        self.y = 0.0
        self.new_page()

    @property
    def bottom(self) -> float:
        return self.setup.height - self.setup.bottom

    def new_page(self) -> None:
        self.pages.append(Page(self.setup.width, self.setup.height))
        self.y = self.setup.top

    def room(self) -> float:
        return self.bottom - self.y

    def ensure(self, height: float) -> None:
        if height > self.room() and self.y > self.setup.top + 0.01:
            self.new_page()

    def add(self, item: Item) -> None:
        self.pages[-1].items.append(item)

    def baseline(self, top: float, size: float) -> float:
        leading = (LINE - 1) * size / 2
        return top + leading + size * self.face.ascent / self.face.units_per_em

    def text_lines(self, lines: Sequence[str], size: float, *, x: float | None = None,
                   width: float | None = None, bold: bool = False, align: Align = Align.LEFT) -> None:
        left = self.setup.left if x is None else x
        span = self.setup.content_width if width is None else width
        for line in lines:
            self.ensure(size * LINE)
            offset = 0.0
            if align is not Align.LEFT:
                free = span - self.face.width(line, size)
                offset = free / 2 if align is Align.CENTER else free
            if line:
                self.add(TextItem(left + max(0.0, offset), self.baseline(self.y, size), size, line, bold))
            self.y += size * LINE

    def paragraph(self, text: str, size: float = BODY, bold: bool = False,
                  align: Align = Align.LEFT, after: float = 1.5) -> None:
        lines = wrap(self.face, text, size, self.setup.content_width)
        self.text_lines(lines, size, bold=bold, align=align)
        self.y += after

    def heading(self, block: Heading) -> None:
        size = HEADINGS.get(block.level, HEADINGS[3])
        lines = wrap(self.face, block.text, size, self.setup.content_width)
        # Keep a heading with at least two lines of what follows it.
        self.y += size * 0.6 if self.y > self.setup.top + 0.01 else 0
        self.ensure(len(lines) * size * LINE + 2 * BODY * LINE)
        self.text_lines(lines, size, bold=True)
        self.y += 1.0

    def table(self, header: Sequence[str], rows: Sequence[Sequence[str]], fractions: Sequence[float],
              *, bold_first_column: bool = False, min_height: float = 0.0) -> None:
        widths = [fraction * self.setup.content_width for fraction in fractions]
        body_rows = [list(row) + [""] * (len(widths) - len(row)) for row in rows]
        if header:
            self._row(list(header), widths, header=True, repeat=None, min_height=0.0, bold_first=False)
        for row in body_rows:
            self._row(row, widths, header=False, repeat=list(header) if header else None,
                      min_height=min_height, bold_first=bold_first_column)
        self.y += 2.0

    def _row(self, cells: list[str], widths: list[float], *, header: bool, repeat: list[str] | None,
             min_height: float, bold_first: bool) -> None:
        size = SMALL
        wrapped = [wrap(self.face, cell, size, max(1.0, width - 2 * PAD)) for cell, width in zip(
            cells, widths, strict=False)]
        height_of = size * LINE
        start = 0
        total = max(len(lines) for lines in wrapped)
        while True:
            remaining = total - start
            fit = int((self.room() - 2 * PAD) // height_of)
            full_page = int((self.bottom - self.setup.top - 2 * PAD) // height_of)
            need = remaining * height_of + 2 * PAD
            if start == 0:
                need = max(need, min_height)
            at_top = self.y <= self.setup.top + 0.01
            # Move a row that fits on a fresh page; split only rows taller than a page.
            if not at_top and need > self.room() and (remaining <= full_page or fit < 1):
                self.new_page()
                if repeat:
                    self._row(repeat, widths, header=True, repeat=None, min_height=0.0, bold_first=False)
                continue
            count = min(remaining, max(1, fit))
            height = max(count * height_of + 2 * PAD, min_height if start == 0 and count == remaining else 0.0)
            top, x = self.y, self.setup.left
            for column, (lines, width) in enumerate(zip(wrapped, widths, strict=False)):
                for number, line in enumerate(lines[start:start + count]):
                    if line:
                        self.add(TextItem(x + PAD, self.baseline(top + PAD + number * height_of, size), size,
                                          line, header or (bold_first and column == 0)))
                x += width
            self._grid(top, height, widths)
            self.y = top + height
            start += count
            if start >= total:
                return
            self.new_page()

    def _grid(self, top: float, height: float, widths: list[float]) -> None:
        left, right = self.setup.left, self.setup.left + sum(widths)
        self.add(LineItem(left, top, right, top))
        self.add(LineItem(left, top + height, right, top + height))
        x = left
        for width in [0.0, *widths]:
            x += width
            self.add(LineItem(x, top, x, top + height))

    def image(self, image: Image, x: float, width: float, max_height: float) -> float:
        scale = min(width / image.width_mm, max_height / image.height_mm, 1.0)
        w, h = image.width_mm * scale, image.height_mm * scale
        self.add(ImageItem(x, self.y, w, h, image))
        return h

    def single_image(self, image: Image) -> None:
        width = min(image.width_mm, self.setup.content_width)
        full = self.bottom - self.setup.top - 2 * SMALL * LINE
        height = min(image.height_mm * width / image.width_mm, full)
        self.ensure(height + SMALL * LINE)
        self.y += self.image(image, self.setup.left, width, height) + 1.0
        if image.caption:
            self.paragraph(image.caption, SMALL, align=Align.LEFT)

    def image_row(self, block: ImageRow) -> None:
        per_row = max(1, block.per_row)
        gap = 4.0
        cell = (self.setup.content_width - gap * (per_row - 1)) / per_row
        for start in range(0, len(block.images), per_row):
            group = block.images[start:start + per_row]
            captions = [wrap(self.face, image.caption, SMALL, cell) if image.caption else [] for image in group]
            heights = [min(cell * image.pixel_height / image.pixel_width, cell) for image in group]
            need = max(heights) + max((len(c) for c in captions), default=0) * SMALL * LINE + 2.0
            self.ensure(need)
            top = self.y
            for index, image in enumerate(group):
                x = self.setup.left + index * (cell + gap)
                self.y = top
                drawn = self.image(image, x, cell, heights[index])
                self.y = top + drawn + 0.8
                self.text_lines(captions[index], SMALL, x=x, width=cell)
            self.y = top + need

    def footer(self, left_text: str, label: str) -> None:
        total = len(self.pages)
        y = self.setup.height - self.setup.bottom / 2
        for number, page in enumerate(self.pages, start=1):
            text = label.format(page=number, pages=total)
            width = self.face.width(text, SMALL)
            page.items.append(TextItem(self.setup.width - self.setup.right - width, y, SMALL, text))
            if left_text:
                page.items.append(TextItem(self.setup.left, y, SMALL, left_text))


    def watermark(self, text: str) -> None:
        """``text`` across the middle of every page, as large as fits the diagonal."""
        diagonal = (self.setup.width ** 2 + self.setup.height ** 2) ** 0.5
        size = min(60 * PT * 2, 0.6 * diagonal / max(self.face.width(text, 1.0), 0.1))
        width = self.face.width(text, size)
        for page in self.pages:
            page.items.insert(0, MarkItem(self.setup.width / 2, self.setup.height / 2, size, text, width))


def layout(document: Document, face: FontFace, setup: PageSetup | None = None) -> list[Page]:
    """Place every block of ``document`` on pages."""
    work = _Layout(face, setup or PageSetup())
    work.paragraph(document.title, TITLE, bold=True, align=Align.CENTER, after=2.0)
    if document.subtitle:
        work.paragraph(document.subtitle, BODY, align=Align.CENTER, after=4.0)
    for block in document.flat():
        if isinstance(block, Heading):
            work.heading(block)
        elif isinstance(block, Paragraph):
            work.paragraph(block.text, SMALL if block.small else BODY, block.bold, block.align)
        elif isinstance(block, Table):
            if block.caption:
                work.paragraph(block.caption, SMALL, bold=True, after=0.5)
            work.table(block.header, block.rows, block.column_widths())
        elif isinstance(block, KeyValues):
            if block.title:
                work.paragraph(block.title, BODY, bold=True, after=0.5)
            work.table((), [list(item) for item in block.items], (0.3, 0.7), bold_first_column=True)
        elif isinstance(block, SignatureBlock):
            if block.title:
                work.paragraph(block.title, BODY, bold=True, after=0.5)
            rows = [[s.role, s.name, s.date, s.note] for s in block.signers]
            work.table((), rows, (0.2, 0.25, 0.2, 0.35), bold_first_column=True, min_height=14.0)
        elif isinstance(block, Image):
            work.single_image(block)
        elif isinstance(block, ImageRow):
            work.image_row(block)
        elif isinstance(block, PageBreak):
            work.new_page()
    work.footer(document.footer, translator(document.language)(PAGE_LABEL))
    if document.watermark:
        work.watermark(document.watermark)
    return work.pages
