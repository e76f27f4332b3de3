"""Writers: a draft watermark on every page, files carried inside the PDF and the OFD, the OFD signature part.

Checked with independent readers: poppler (pdftotext, pdfdetach) for the PDF, ofdkit for the OFD text.
"""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import io
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
from lxml import etree

from app.reporting.fonts import find_cjk_font
from app.reporting.layout import MarkItem, layout
from app.reporting.model import Document, EmbeddedSignature, PageBreak, Paragraph
from app.reporting.ofd import NS, verify_content_hash, write_ofd
from app.reporting.pdf import write_pdf
from app.services.documents import write_document
from tests.app.reporting.conftest import sample_document

N = {"ofd": NS}
MANIFEST = b'{"format": "fieldaudit/report-signatures/1", "signatures": []}'
SIGNATURE = EmbeddedSignature("sig-1", "u-lead", "lead", "device_key", "2026-12-09T10:00:00+00:00", "ed25519",
                              "ab" * 32, '{"env": {"kind": "findings"}, "sig": "00"}')


def three_pages(**changes: object) -> Document:
    base = Document(title="审核报告", blocks=[Paragraph("第一页"), PageBreak(), Paragraph("第二页"), PageBreak(),
                                              Paragraph("第三页")])
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


def _poppler(tool: str) -> str:
    binary = shutil.which(tool)
    if binary is None:
        pytest.skip(f"poppler-utils ({tool}) is not installed")
    return binary


def page_text(path: Path, page: int) -> str:
    result = subprocess.run([_poppler("pdftotext"), "-f", str(page), "-l", str(page), str(path), "-"],
                            check=True, capture_output=True, text=True)
    return "".join(result.stdout.split())  # rotated text comes out one glyph a line


def test_layout_puts_the_mark_first_on_every_page() -> None:
    pages = layout(three_pages(watermark="草稿"), find_cjk_font())
    assert len(pages) == 3
    for page in pages:
        mark = page.items[0]
        assert isinstance(mark, MarkItem) and mark.text == "草稿" and mark.angle == 45
        assert (mark.cx, mark.cy) == (page.width / 2, page.height / 2) and mark.width < page.width
    assert not any(isinstance(item, MarkItem) for page in layout(three_pages(), find_cjk_font()) for item in page.items)


@pytest.mark.parametrize("mark", ["草稿", "DRAFT"])
def test_pdf_watermark_on_every_page(tmp_path: Path, mark: str) -> None:
    result = write_pdf(three_pages(watermark=mark), tmp_path / "draft.pdf")
    assert result.path is not None
    for page in (1, 2, 3):
        text = page_text(result.path, page)
        assert mark in text and f"第{['一', '二', '三'][page - 1]}页" in text
    clean = write_pdf(three_pages(), tmp_path / "final.pdf")
    assert clean.path is not None and "草稿" not in page_text(clean.path, 1)


def test_ofd_watermark_read_by_an_independent_reader(tmp_path: Path) -> None:
    ofdkit = pytest.importorskip("ofdkit")
    result = write_ofd(three_pages(watermark="草稿"), tmp_path / "draft.ofd")
    assert result.path is not None
    with ofdkit.open(str(result.path)) as opened:
        assert not opened.warnings and len(opened.pages) == 3
        assert all("草稿" in page.text() for page in opened.pages)
    with zipfile.ZipFile(result.path) as package:
        content = etree.fromstring(package.read("Doc_0/Pages/Page_1/Content.xml"))
    first = content.find("ofd:Content/ofd:Layer", N)[0]
    # Rotated by 45° (the CTM's a and d are cos 45°), grey, drawn before the page's own text.
    a, b, c, d, _e, _f = (float(v) for v in first.get("CTM").split())
    assert a == pytest.approx(0.70711, abs=1e-3) and b == pytest.approx(-a, abs=1e-3)
    assert c == pytest.approx(a, abs=1e-3) and d == pytest.approx(a, abs=1e-3)
    assert first.find("ofd:FillColor", N).get("Value") != "0 0 0"
    assert first.findtext("ofd:TextCode", namespaces=N) == "草稿"


def test_every_format_takes_the_mark_from_the_document(tmp_path: Path) -> None:
    marked = dataclasses.replace(sample_document(), watermark="草稿")
    word = docx.Document(str(write_document(marked, "docx", tmp_path / "draft.docx").path))
    assert any('string="草稿"' in paragraph._p.xml for paragraph in word.sections[0].header.paragraphs)
    plain = docx.Document(str(write_document(sample_document(), "docx", tmp_path / "final.docx").path))
    assert not any("草稿" in paragraph._p.xml for paragraph in plain.sections[0].header.paragraphs)
    pdf = write_document(marked, "pdf", tmp_path / "draft.pdf").path
    assert pdf is not None and "草稿" in page_text(pdf, 1)


def test_pdf_carries_the_attachment(tmp_path: Path) -> None:
    result = write_pdf(three_pages(attachments={"fieldaudit-signatures.json": MANIFEST}), tmp_path / "signed.pdf")
    assert result.path is not None
    binary = _poppler("pdfdetach")
    listing = subprocess.run([binary, "-list", str(result.path)], check=True, capture_output=True, text=True).stdout
    assert "fieldaudit-signatures.json" in listing
    saved = tmp_path / "saved.json"
    subprocess.run([binary, "-save", "1", "-o", str(saved), str(result.path)], check=True, capture_output=True)
    assert saved.read_bytes() == MANIFEST


def test_ofd_attachments_and_signature_part(tmp_path: Path) -> None:
    ofdkit = pytest.importorskip("ofdkit")
    document = three_pages(attachments={"fieldaudit-signatures.json": MANIFEST}, signatures=[SIGNATURE])
    result = write_ofd(document, tmp_path / "signed.ofd")
    assert result.path is not None
    with ofdkit.open(str(result.path)) as opened:
        assert not opened.warnings and "第三页" in opened.text()
    data = result.path.read_bytes()
    recorded, recomputed = verify_content_hash(data)
    assert recorded == recomputed  # the content hash covers the attachments and the signature part
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        ofd = etree.fromstring(package.read("OFD.xml"))
        signs_loc = ofd.findtext("ofd:DocBody/ofd:Signatures", namespaces=N)
        assert signs_loc == "Doc_0/Signs/Signatures.xml"
        signs = etree.fromstring(package.read(signs_loc))
        assert signs.findtext("ofd:MaxSignId", namespaces=N) == "1"
        entry = signs.find("ofd:Signature", N)
        assert entry is not None and entry.get("Type") == "Sign"
        signature = etree.fromstring(package.read("Doc_0/Signs/" + entry.get("BaseLoc", "")))
        info = signature.find("ofd:SignedInfo", N)
        assert info is not None and info.findtext("ofd:SignatureMethod", namespaces=N) == "ed25519"
        assert info.findtext("ofd:SignatureDateTime", namespaces=N) == "20261209100000Z"
        reference = info.find("ofd:References/ofd:Reference", N)
        assert reference is not None and reference.get("FileRef") == "/Doc_0/Attachments/fieldaudit-signatures.json"
        attached = package.read(reference.get("FileRef", "").lstrip("/"))
        assert attached == MANIFEST
        assert reference.findtext("ofd:CheckValue", namespaces=N) == base64.b64encode(
            hashlib.sha256(attached).digest()).decode()
        value = signature.findtext("ofd:SignedValue", namespaces=N) or ""
        assert package.read(value.lstrip("/")).decode() == SIGNATURE.value
        document_xml = etree.fromstring(package.read("Doc_0/Document.xml"))
        listing = document_xml.findtext("ofd:Attachments", namespaces=N)
        assert listing == "Attachments.xml"
        attachment = etree.fromstring(package.read("Doc_0/Attachments.xml")).find("ofd:Attachment", N)
        assert attachment is not None and attachment.get("Name") == "fieldaudit-signatures.json"
        assert attachment.findtext("ofd:FileLoc", namespaces=N) == "Attachments/fieldaudit-signatures.json"
    # Tampering with the attached manifest breaks the content hash.
    tampered = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as package, zipfile.ZipFile(tampered, "w") as copy:
        for name in package.namelist():
            body = package.read(name)
            copy.writestr(name, body.replace(b"signatures", b"signaturez") if name.endswith(".json") else body)
    recorded, recomputed = verify_content_hash(tampered.getvalue())
    assert recorded != recomputed


def test_no_signature_part_without_signatures(tmp_path: Path) -> None:
    result = write_ofd(three_pages(), tmp_path / "plain.ofd")
    assert result.path is not None
    with zipfile.ZipFile(result.path) as package:
        names = package.namelist()
        assert not any(name.startswith(("Doc_0/Signs", "Doc_0/Attachments")) for name in names)
        assert b"Signatures" not in package.read("OFD.xml")
