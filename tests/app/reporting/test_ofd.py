"""OFD writer: structure against GB/T 33190 and an independent reader (ofdkit) extracting the text."""

from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from app.reporting.model import Document, Paragraph
from app.reporting.ofd import CONTENT_HASH, NS, render_ofd, verify_content_hash, write_ofd

N = {"ofd": NS}


def parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return {name: package.read(name) for name in package.namelist()}


def test_package_structure(document: Document) -> None:
    files = parts(render_ofd(document))
    assert next(iter(files)) == "OFD.xml"
    assert {"Doc_0/Document.xml", "Doc_0/PublicRes.xml", "Doc_0/DocumentRes.xml"} <= set(files)
    root = etree.fromstring(files["OFD.xml"])
    assert root.tag == f"{{{NS}}}OFD" and root.get("DocType") == "OFD" and root.get("Version") == "1.0"
    assert root.findtext("ofd:DocBody/ofd:DocRoot", namespaces=N) == "Doc_0/Document.xml"
    info = root.find("ofd:DocBody/ofd:DocInfo", namespaces=N)
    assert info.findtext("ofd:Title", namespaces=N) == "管理体系审核报告"
    assert info.findtext("ofd:Creator", namespaces=N) == "FieldAudit"
    custom = {c.get("Name"): c.text for c in info.iterfind("ofd:CustomDatas/ofd:CustomData", namespaces=N)}
    assert custom["audit_id"] == document.metadata["audit_id"] and len(custom[CONTENT_HASH]) == 64

    doc = etree.fromstring(files["Doc_0/Document.xml"])
    common = doc.find("ofd:CommonData", namespaces=N)
    assert [etree.QName(c).localname for c in common] == ["MaxUnitID", "PageArea", "PublicRes", "DocumentRes"]
    assert common.findtext("ofd:PageArea/ofd:PhysicalBox", namespaces=N) == "0 0 210 297"
    pages = doc.findall("ofd:Pages/ofd:Page", namespaces=N)
    assert len(pages) >= 2

    res = etree.fromstring(files["Doc_0/PublicRes.xml"])
    font = res.find("ofd:Fonts/ofd:Font", namespaces=N)
    font_file = "Doc_0/" + res.get("BaseLoc") + "/" + font.findtext("ofd:FontFile", namespaces=N)
    assert font_file.endswith(".ttf") and files[font_file][:4] in (b"\x00\x01\x00\x00", b"true", b"OTTO")

    media = etree.fromstring(files["Doc_0/DocumentRes.xml"])
    images = {m.get("ID"): m for m in media.iterfind("ofd:MultiMedias/ofd:MultiMedia", namespaces=N)}
    assert len(images) == 2 and all(m.get("Type") == "Image" for m in images.values())

    ids: list[int] = []
    kinds: set[str] = set()
    for page in pages:
        content = etree.fromstring(files["Doc_0/" + page.get("BaseLoc")])
        assert content.findtext("ofd:Area/ofd:PhysicalBox", namespaces=N) == "0 0 210 297"
        for element in content.iter():
            if element.get("ID"):
                ids.append(int(element.get("ID")))
        for text in content.iterfind(".//ofd:TextObject", namespaces=N):
            kinds.add("text")
            code = text.find("ofd:TextCode", namespaces=N)
            deltas = (code.get("DeltaX") or "").split()
            assert len(deltas) == len(code.text) - 1
            assert text.get("Font") == font.get("ID")
        for image in content.iterfind(".//ofd:ImageObject", namespaces=N):
            kinds.add("image")
            assert image.get("ResourceID") in images
        if content.find(".//ofd:PathObject", namespaces=N) is not None:
            kinds.add("path")
    assert kinds == {"text", "image", "path"}
    all_ids = ids + [int(page.get("ID")) for page in pages] + [int(font.get("ID"))] + [int(i) for i in images]
    assert len(all_ids) == len(set(all_ids))
    assert max(all_ids) == int(common.findtext("ofd:MaxUnitID", namespaces=N))


def test_independent_reader_extracts_the_text(document: Document, tmp_path: Path) -> None:
    ofdkit = pytest.importorskip("ofdkit")
    result = write_ofd(document, tmp_path / "report.ofd")
    assert result.path is not None
    with ofdkit.open(str(result.path)) as opened:
        text = opened.text()
        assert not opened.warnings
        assert opened.pages[0].width == 210 and opened.pages[0].height == 297
        assert opened.info.title == "管理体系审核报告"
        assert opened.info.custom_data[CONTENT_HASH] == verify_content_hash(result.path.read_bytes())[1]
    for expected in ("管理体系审核报告", "一、审核概况", "福州某机械有限公司", "现场抽查第3号作业指导书未受控。",
                     "Audit in English too.", "审核组推荐通过认证。", "受审核方代表", "第 1 页，共 2 页"):
        assert expected in text.replace("\n", "") or expected in text


def test_sha256_and_content_hash(document: Document, tmp_path: Path) -> None:
    result = write_ofd(document, tmp_path / "r.ofd")
    assert result.path is not None
    data = result.path.read_bytes()
    assert result.sha256 == hashlib.sha256(data).hexdigest() and result.size == len(data)
    recorded, recomputed = verify_content_hash(data)
    assert recorded == recomputed
    tampered = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(tampered, "w") as target:
        for name in source.namelist():
            body = source.read(name)
            if name.endswith("Page_0/Content.xml"):
                body = body.replace("管理体系".encode(), "质量体系".encode())
            target.writestr(name, body)
    recorded, recomputed = verify_content_hash(tampered.getvalue())
    assert recorded != recomputed


def test_awkward_text_stays_valid_xml(tmp_path: Path) -> None:
    text = 'A <b>&"quotes"\x01\x0b and 𠀋 rare CJK'
    data = render_ofd(Document("T&C <x>", [Paragraph(text)]))
    files = parts(data)
    for name, body in files.items():
        if name.endswith(".xml"):
            etree.fromstring(body)
    content = etree.fromstring(files["Doc_0/Pages/Page_0/Content.xml"])
    texts = [c.text for c in content.iterfind(".//ofd:TextCode", namespaces=N)]
    assert any("<b>&\"quotes\"" in t for t in texts)
