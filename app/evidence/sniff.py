"""What a file really is, decided from its bytes (never from its name).

A file whose content is supported is typed by its content whatever its extension says; a
file whose content is not supported is refused, and when its name claims a supported type
(a ZIP archive named ``photo.jpg``) the message says so.
"""

from __future__ import annotations

import codecs
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from app.evidence.errors import CorruptFile, DisguisedFile, UnsupportedType
from app.i18n import N_

SAMPLE_BYTES = 64 * 1024
_CONTENT_TYPES_LIMIT = 1 << 20
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Kind:
    media_type: str
    category: str  # image, document, text, audio, video
    extension: str  # the usual extension, for exported copies


KINDS: dict[str, Kind] = {k.media_type: k for k in (
    Kind("image/jpeg", "image", "jpg"),
    Kind("image/png", "image", "png"),
    Kind("image/heic", "image", "heic"),
    Kind("application/pdf", "document", "pdf"),
    Kind(DOCX, "document", "docx"),
    Kind(XLSX, "document", "xlsx"),
    Kind("text/plain", "text", "txt"),
    Kind("audio/mpeg", "audio", "mp3"),
    Kind("audio/mp4", "audio", "m4a"),
    Kind("audio/wav", "audio", "wav"),
    Kind("audio/ogg", "audio", "ogg"),
    Kind("video/mp4", "video", "mp4"),
    Kind("video/quicktime", "video", "mov"),
)}
# Extensions whose names promise a supported type (for the "disguised" message).
CLAIMED = {"jpg", "jpeg", "jpe", "png", "heic", "heif", "pdf", "docx", "xlsx", "txt", "text", "mp3",
           "m4a", "wav", "ogg", "oga", "mp4", "m4v", "mov"}
_HEIC_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1"}
_MOV_ATOMS = {b"moov", b"mdat", b"wide", b"free", b"skip", b"pnot"}
# Unsupported content worth naming in the message (checked after the supported kinds).
_KNOWN_OTHER = (
    (b"PK\x03\x04", N_("a ZIP archive")), (b"PK\x05\x06", N_("a ZIP archive")),
    (b"MZ", N_("a Windows program")), (b"\x7fELF", N_("a program")),
    (b"GIF8", N_("a GIF image")), (b"Rar!", N_("a RAR archive")), (b"7z\xbc\xaf", N_("a 7-Zip archive")),
    (b"\x1f\x8b", N_("a gzip archive")), (b"\xd0\xcf\x11\xe0", N_("an old Office document")),
)


def kind_of(media_type: str) -> Kind:
    return KINDS.get(media_type, Kind(media_type, "document", "bin"))


def sniff(source: Path | bytes, display: str) -> str:
    """The media type of a file (``Path``) or of captured bytes; raise a translated error when
    the content is not supported."""
    if isinstance(source, bytes):
        head = source[:SAMPLE_BYTES]
    else:
        with open(source, "rb") as handle:
            head = handle.read(SAMPLE_BYTES)
    found = _by_magic(head)
    if found == "zip":
        found = _office_type(source if isinstance(source, Path) else io.BytesIO(source), display)
    if found is not None and found != "zip":
        return found
    detail = N_("a ZIP archive") if found == "zip" else _describe(head)
    extension = display.rsplit(".", 1)[-1].lower() if "." in display else ""
    if extension in CLAIMED:
        raise DisguisedFile(path=display, extension=extension, detail=detail)
    raise UnsupportedType(path=display, detail=detail)


def _by_magic(head: bytes) -> str | None:
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return "zip"
    if head[4:8] == b"ftyp":
        return _iso_media(head)
    if head[4:8] in _MOV_ATOMS:
        return "video/quicktime"
    if head.startswith(b"RIFF") and head[8:12] == b"WAVE":
        return "audio/wav"
    if head.startswith(b"OggS"):
        return "audio/ogg"
    if head.startswith(b"ID3") or _mpeg_audio_frame(head):
        return "audio/mpeg"
    if _is_text(head):
        return "text/plain"
    return None


def _iso_media(head: bytes) -> str | None:
    size = int.from_bytes(head[0:4], "big")
    box = head[8:max(16, min(size, len(head)))]
    brands = {box[0:4]} | {box[i:i + 4] for i in range(8, len(box) - 3, 4)}
    if b"avif" in brands or b"avis" in brands:
        return None
    if brands & _HEIC_BRANDS:
        return "image/heic"
    if box[0:4] in (b"M4A ", b"M4B "):
        return "audio/mp4"
    if box[0:4] == b"qt  ":
        return "video/quicktime"
    return "video/mp4"


def _mpeg_audio_frame(head: bytes) -> bool:
    if len(head) < 4 or head[0] != 0xFF or (head[1] & 0xE0) != 0xE0:
        return False
    version, layer = (head[1] >> 3) & 3, (head[1] >> 1) & 3
    bitrate, rate = head[2] >> 4, (head[2] >> 2) & 3
    return version != 1 and layer != 0 and bitrate not in (0, 15) and rate != 3


def _is_text(head: bytes) -> bool:
    if not head:
        return False
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return True
    if b"\x00" in head:
        return False
    text: str | None = None
    for encoding in ("utf-8", "gb18030"):
        # Incremental decoding: a character cut by the end of the sample is not an error.
        try:
            text = codecs.getincrementaldecoder(encoding)().decode(head, final=False)
            break
        except UnicodeDecodeError:
            continue
    if text is None:
        return False
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\n\r\f\v\x1b")
    return controls <= len(text) // 100


def _office_type(source: Path | IO[bytes], display: str) -> str:
    try:
        with zipfile.ZipFile(source) as archive:
            try:
                info = archive.getinfo("[Content_Types].xml")
            except KeyError:
                return "zip"
            if info.file_size > _CONTENT_TYPES_LIMIT:
                return "zip"
            with archive.open(info) as member:
                types = member.read(_CONTENT_TYPES_LIMIT + 1)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, NotImplementedError):
        extension = display.rsplit(".", 1)[-1].lower() if "." in display else ""
        if extension in ("docx", "xlsx"):
            raise CorruptFile(path=display, detail=N_("not a readable Office file")) from None
        return "zip"
    if b"wordprocessingml.document.main+xml" in types:
        return DOCX
    if b"spreadsheetml.sheet.main+xml" in types:
        return XLSX
    return "zip"


def _describe(head: bytes) -> str:
    for magic, label in _KNOWN_OTHER:
        if head.startswith(magic):
            return label
    return N_("unrecognised content")
