"""Removing location (or all) metadata from the copy of a photo that leaves the device.

The pixels are never re-encoded: JPEG segments and PNG chunks are copied or dropped, so the
picture is bit-identical.  With ``ALL`` only the orientation survives (without it the photo
would appear rotated).  XMP is dropped in both modes because it can repeat the GPS position.
"""

from __future__ import annotations

import struct
import zlib
from enum import StrEnum

from PIL import Image

from app.evidence.errors import CorruptFile, EvidenceError
from app.i18n import N_

_ORIENTATION, _GPS_IFD = 0x0112, 0x8825
_JPEG_KEEP_ALL = (b"JFIF", b"JFXX", b"ICC_PROFILE", b"Adobe")
_PNG_TEXT = {b"tEXt", b"zTXt", b"iTXt"}


class StripMode(StrEnum):
    NONE = "none"
    GPS = "gps"
    ALL = "all"


class CannotStrip(EvidenceError):
    message = N_("Location data cannot be removed from {media_type} files; the copy was not made.")


STRIPPABLE = frozenset({"image/jpeg", "image/png"})
_NO_EMBEDDED_LOCATION = frozenset({"application/pdf", "text/plain", "audio/wav", "audio/ogg", "audio/mpeg"})


def strip_metadata(data: bytes, media_type: str, mode: StripMode) -> bytes:
    if mode is StripMode.NONE or media_type in _NO_EMBEDDED_LOCATION:
        return data
    if media_type == "image/jpeg":
        return _strip_jpeg(data, mode)
    if media_type == "image/png":
        return _strip_png(data, mode)
    raise CannotStrip(media_type=media_type)


def _reduced_exif(payload: bytes, mode: StripMode) -> bytes | None:
    exif = Image.Exif()
    exif.load(payload)
    if mode is StripMode.ALL:
        orientation = exif.get(_ORIENTATION)
        if orientation is None:
            return None
        kept = Image.Exif()
        kept[_ORIENTATION] = orientation
        return kept.tobytes()
    exif.get_ifd(_GPS_IFD)  # loads the sub-IFD so deleting the pointer really drops it
    if _GPS_IFD in exif:
        del exif[_GPS_IFD]
    return exif.tobytes()


def _strip_jpeg(data: bytes, mode: StripMode) -> bytes:
    if not data.startswith(b"\xff\xd8"):
        raise CorruptFile(path="", detail=N_("not a JPEG image"))
    out = [b"\xff\xd8"]
    pos = 2
    while pos + 4 <= len(data):
        if data[pos] != 0xFF:
            raise CorruptFile(path="", detail=N_("the picture data is damaged"))
        marker = data[pos + 1]
        if marker == 0xFF:  # fill byte
            pos += 1
            continue
        if marker == 0xDA:  # start of scan: the rest is picture data
            out.append(data[pos:])
            return b"".join(out)
        length = struct.unpack(">H", data[pos + 2:pos + 4])[0]
        segment = data[pos:pos + 2 + length]
        payload = segment[4:]
        pos += 2 + length
        if marker == 0xE1 and payload.startswith(b"Exif\x00\x00"):
            reduced = _reduced_exif(payload, mode)
            if reduced is not None:
                if not reduced.startswith(b"Exif\x00\x00"):
                    reduced = b"Exif\x00\x00" + reduced
                out.append(b"\xff\xe1" + struct.pack(">H", len(reduced) + 2) + reduced)
            continue
        if marker == 0xE1 or marker == 0xFE or marker == 0xED:
            continue  # XMP, comments, IPTC
        if mode is StripMode.ALL and 0xE0 <= marker <= 0xEF and not payload.startswith(_JPEG_KEEP_ALL):
            continue
        out.append(segment)
    raise CorruptFile(path="", detail=N_("the picture data is damaged"))


def _png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def _strip_png(data: bytes, mode: StripMode) -> bytes:
    signature = b"\x89PNG\r\n\x1a\n"
    if not data.startswith(signature):
        raise CorruptFile(path="", detail=N_("not a PNG image"))
    out, pos = [signature], len(signature)
    while pos + 12 <= len(data):
        length = struct.unpack(">I", data[pos:pos + 4])[0]
        kind = data[pos + 4:pos + 8]
        chunk = data[pos:pos + 12 + length]
        body = chunk[8:8 + length]
        pos += 12 + length
        if kind == b"eXIf":
            reduced = _reduced_exif(b"Exif\x00\x00" + body, mode)
            if reduced is not None:
                out.append(_png_chunk(b"eXIf", reduced.removeprefix(b"Exif\x00\x00")))
            continue
        if kind in _PNG_TEXT and (mode is StripMode.ALL or b"XML:com.adobe.xmp" in body[:40]):
            continue
        if kind == b"tIME" and mode is StripMode.ALL:
            continue
        out.append(chunk)
        if kind == b"IEND":
            return b"".join(out)
    raise CorruptFile(path="", detail=N_("the picture data is damaged"))
