"""The document model and the shared fixed-page layout."""

from __future__ import annotations

import pytest

from app.reporting.fonts import find_cjk_font
from app.reporting.layout import BODY, ImageItem, LineItem, PageSetup, TextItem, layout, wrap
from app.reporting.model import Document, Heading, Image, ImageUnreadable, Paragraph, Section, Table
from tests.app.reporting.conftest import picture, sample_document


def test_wrap_rules() -> None:
    face = find_cjk_font()
    text = "审核组对组织的质量管理体系进行了审核，结论如下。Quality management system audit."
    lines = wrap(face, text, BODY, 50)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    assert all(face.width(line, BODY) <= 50 + face.width("，", BODY) for line in lines)
    assert not any(line.startswith(("，", "。")) for line in lines)
    assert wrap(face, "a\nb", BODY, 50) == ["a", "b"]
    assert wrap(face, "", BODY, 50) == [""]
    long_word = wrap(face, "x" * 300, BODY, 50)
    assert len(long_word) > 3 and "".join(long_word) == "x" * 300


def test_everything_stays_on_the_page() -> None:
    setup = PageSetup()
    pages = layout(sample_document(findings=150, thumbnails=20), find_cjk_font(), setup)
    assert len(pages) > 3
    for page in pages:
        for item in page.items:
            if isinstance(item, TextItem):
                assert setup.top <= item.y <= setup.height - 5
                assert item.x >= setup.left - 0.01
            elif isinstance(item, ImageItem):
                assert item.y + item.height <= setup.height - setup.bottom + 0.01
            elif isinstance(item, LineItem):
                assert max(item.y1, item.y2) <= setup.height - setup.bottom + 0.01


def test_sections_become_nested_headings() -> None:
    document = Document("T", [Section("A", [Section("B", [Section("C", [Section("D", [Paragraph("p")])])])])])
    headings = [(block.text, block.level) for block in document.flat() if isinstance(block, Heading)]
    assert headings == [("A", 1), ("B", 2), ("C", 3), ("D", 3)]
    assert document.text().splitlines() == ["T", "A", "B", "C", "D", "p"]


def test_images_are_probed_and_converted() -> None:
    gif = Image.from_bytes(picture((1, 2, 3), (30, 10), "GIF"), width_mm=30)
    assert gif.format == "PNG" and (gif.pixel_width, gif.pixel_height) == (30, 10)
    assert gif.height_mm == pytest.approx(10)
    jpeg = Image.from_bytes(picture((1, 2, 3), fmt="JPEG"))
    assert jpeg.format == "JPEG"
    with pytest.raises(ImageUnreadable):
        Image.from_bytes(b"not an image", name="photo.jpg")


def test_table_widths() -> None:
    assert Table(["a", "b"], [], widths=[1, 3]).column_widths() == [0.25, 0.75]
    assert Table(["a", "b"], [], widths=[1]).column_widths() == [0.5, 0.5]
    assert Table([], [["x", "y", "z"]]).column_widths() == pytest.approx([1 / 3] * 3)
