"""Types come from the content, never from the name."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.evidence.errors import CorruptFile, DisguisedFile, UnsupportedType
from app.evidence.sniff import DOCX, XLSX, sniff
from tests.app.evidence.helpers import DOCX_TYPES, XLSX_TYPES, jpeg_bytes, png_bytes, write, zip_bytes


def ftyp(brand: bytes, *compatible: bytes) -> bytes:
    body = brand + b"\x00\x00\x00\x00" + b"".join(compatible)
    return (8 + len(body)).to_bytes(4, "big") + b"ftyp" + body + b"\x00" * 64


CASES = [
    ("p.jpg", jpeg_bytes(), "image/jpeg"),
    ("p.png", png_bytes(), "image/png"),
    ("png-named.jpg", png_bytes(), "image/png"),  # content wins over the name
    ("i.heic", ftyp(b"heic", b"mif1", b"heic"), "image/heic"),
    ("d.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "application/pdf"),
    ("d.docx", zip_bytes(DOCX_TYPES), DOCX),
    ("d.xlsx", zip_bytes(XLSX_TYPES), XLSX),
    ("n.txt", "现场记录：设备点检表缺失。\n".encode(), "text/plain"),
    ("gbk.txt", "现场记录：设备点检表缺失。\n".encode("gb18030"), "text/plain"),
    ("n.txt", "\ufeffnotes".encode("utf-16"), "text/plain"),
    ("a.mp3", b"ID3\x04\x00\x00\x00\x00\x00\x00" + b"\x00" * 64, "audio/mpeg"),
    ("a.mp3", b"\xff\xfb\x90\x64" + b"\x00" * 64, "audio/mpeg"),
    ("a.m4a", ftyp(b"M4A ", b"isom"), "audio/mp4"),
    ("a.wav", b"RIFF\x24\x00\x00\x00WAVEfmt " + b"\x00" * 32, "audio/wav"),
    ("a.ogg", b"OggS\x00\x02" + b"\x00" * 32, "audio/ogg"),
    ("v.mp4", ftyp(b"isom", b"iso2", b"avc1", b"mp41"), "video/mp4"),
    ("v.mov", ftyp(b"qt  ", b"qt  "), "video/quicktime"),
    ("v.mov", b"\x00\x00\x00\x08wide" + b"\x00" * 32, "video/quicktime"),
]


@pytest.mark.parametrize(("name", "data", "expected"), CASES)
def test_supported_types(tmp_path: Path, name: str, data: bytes, expected: str) -> None:
    assert sniff(write(tmp_path, name, data), name) == expected


def test_zip_disguised_as_jpeg_is_refused_never_typed_as_image(tmp_path: Path) -> None:
    with pytest.raises(DisguisedFile) as caught:
        sniff(write(tmp_path, "photo.jpg", zip_bytes()), "photo.jpg")
    message = str(caught.value)
    assert "ZIP" in message and ".jpg" in message and "photo.jpg" in message


@pytest.mark.parametrize(("name", "data", "label"), [
    ("archive.zip", zip_bytes(), "ZIP"),
    ("tool.exe", b"MZ\x90\x00" + b"\x00" * 60, "Windows"),
    ("anim.gif", b"GIF89a" + b"\x00" * 20, "GIF"),
    ("blob.bin", bytes(range(256)) * 4, "无法识别"),
    ("photo.avif", ftyp(b"avif", b"mif1"), "无法识别"),
])
def test_unsupported_content_is_named(tmp_path: Path, name: str, data: bytes, label: str) -> None:
    with pytest.raises(UnsupportedType) as caught:
        sniff(write(tmp_path, name, data), name)
    assert label in str(caught.value)


def test_broken_office_file_is_reported_as_damaged(tmp_path: Path) -> None:
    data = zip_bytes(DOCX_TYPES)
    with pytest.raises(CorruptFile):
        sniff(write(tmp_path, "report.docx", data[: len(data) // 2]), "report.docx")


def test_zip_without_office_types_named_docx_is_disguised(tmp_path: Path) -> None:
    with pytest.raises(DisguisedFile):
        sniff(write(tmp_path, "report.docx", zip_bytes()), "report.docx")
