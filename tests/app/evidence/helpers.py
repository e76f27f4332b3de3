"""Files for evidence tests: photos with EXIF, office documents, disguised archives."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from PIL import Image

DOCX_TYPES = (b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
              b'<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
              b'officedocument.wordprocessingml.document.main+xml"/></Types>')
XLSX_TYPES = DOCX_TYPES.replace(b"wordprocessingml.document", b"spreadsheetml.sheet")


def photo_exif(orientation: int = 6) -> Image.Exif:
    exif = Image.Exif()
    exif[0x0112] = orientation
    exif[0x010F] = "Canon"
    exif[0x0110] = "Canon EOS R5"
    details = exif.get_ifd(0x8769)
    details[0x9003] = "2026:12:01 10:11:12"
    details[0x9011] = "+08:00"
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2], gps[3], gps[4] = "N", (26.0, 4.0, 30.0), "E", (119.0, 18.0, 0.0)
    return exif


def jpeg_bytes(size: tuple[int, int] = (640, 480), *, exif: Image.Exif | None = None, color: str = "navy",
               marker: bytes = b"") -> bytes:
    image = Image.new("RGB", size, color)
    out = io.BytesIO()
    extra = {"exif": exif.tobytes()} if exif is not None else {}
    if marker:
        extra["comment"] = marker
    image.save(out, "JPEG", quality=90, **extra)
    return out.getvalue()


def png_bytes(size: tuple[int, int] = (64, 64), color: str = "green") -> bytes:
    out = io.BytesIO()
    Image.new("RGBA", size, color).save(out, "PNG")
    return out.getvalue()


def zip_bytes(types: bytes | None = None) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        if types is not None:
            archive.writestr("[Content_Types].xml", types)
        archive.writestr("word/document.xml", "<w:document/>")
    return out.getvalue()


def write(folder: Path, name: str, data: bytes) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(data)
    return path
