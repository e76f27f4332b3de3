"""PDF writer: Chinese text selectable (pdftotext), font embedded, hash of the bytes written."""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from app.reporting.model import Document, Paragraph, Table
from app.reporting.pdf import render_pdf, write_pdf
from tests.app.reporting.conftest import pdf_text, sample_document


def test_text_is_selectable_and_complete(document: Document, tmp_path: Path) -> None:
    path = write_pdf(document, tmp_path / "report.pdf").path
    assert path is not None
    text = pdf_text(path)
    flat = text.replace(" ", "").replace("\n", "")
    for expected in ("管理体系审核报告", "一、审核概况", "现场抽查第3号作业指导书未受控。", "审核组推荐通过认证。",
                     "受审核方代表", "第1页，共2页", "第2页，共2页", "AuditinEnglishtoo."):
        assert expected in flat


def test_font_is_embedded_and_pages_are_a4(document: Document, tmp_path: Path) -> None:
    path = write_pdf(document, tmp_path / "r.pdf").path
    assert path is not None
    if shutil.which("pdffonts") is None:
        pytest.skip("poppler-utils missing")
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    rows = [line.split() for line in fonts.splitlines()[2:]]
    assert rows and all("yes" in row[-5:-2][0:1] for row in rows)  # emb column
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    assert "(A4)" in info
    assert re.search(r"^Pages:\s+2$", info, re.MULTILINE)
    assert re.search(r"^Author:\s+张三$", info, re.MULTILINE)


def test_sha256_matches_bytes(document: Document, tmp_path: Path) -> None:
    result = write_pdf(document, tmp_path / "r.pdf")
    assert result.path is not None
    assert result.sha256 == hashlib.sha256(result.path.read_bytes()).hexdigest()
    assert render_pdf(document)[:5] == b"%PDF-"


def test_english_variant_and_long_tables(tmp_path: Path) -> None:
    document = sample_document("en", findings=120, thumbnails=7)
    path = write_pdf(document, tmp_path / "en.pdf").path
    assert path is not None
    text = pdf_text(path)
    assert "Management system audit report" in text and "Page 1 of" in text
    assert "第120号" in text.replace(" ", "")
    # The table header is repeated on every page the table runs onto.
    assert text.count("序号") >= 3


def test_wide_text_wraps_inside_the_page(tmp_path: Path) -> None:
    long_word = "x" * 400
    document = Document("长文本", [Paragraph("很" * 500 + long_word), Table(["a"], [["长" * 3000]])])
    path = write_pdf(document, tmp_path / "wrap.pdf").path
    assert path is not None
    text = pdf_text(path).replace("\n", "").replace(" ", "")
    assert text.count("长") >= 3000 and long_word in text
