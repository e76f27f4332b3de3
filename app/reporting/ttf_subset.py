"""Shrink a TrueType font to the glyphs a document uses, for embedding in OFD files.

Glyph ids, ``cmap``, ``hmtx`` and every other table keep their layout: only the outlines of
unused glyphs are emptied (``glyf``/``loca``) and glyph names are dropped (``post`` format 3).
Keeping the ids means nothing that refers to a glyph has to be renumbered, and the font stays
valid for any reader; the emptied tables compress to almost nothing.  Composite glyphs keep
their components.  Fonts without TrueType outlines (CFF/OpenType) are embedded whole.
"""

from __future__ import annotations

import struct
from collections.abc import Iterable

# Composite glyph flags (OpenType 'glyf' table).
_ARGS_ARE_WORDS = 0x0001
_HAVE_SCALE = 0x0008
_MORE_COMPONENTS = 0x0020
_HAVE_XY_SCALE = 0x0040
_HAVE_2X2 = 0x0080
_DROPPED = {"DSIG"}  # a signature over the original bytes would no longer match


def _tables(data: bytes) -> dict[str, bytes]:
    count = struct.unpack_from(">H", data, 4)[0]
    tables: dict[str, bytes] = {}
    for number in range(count):
        tag, _checksum, start, length = struct.unpack_from(">4sIII", data, 12 + 16 * number)
        tables[tag.decode("latin-1")] = data[start:start + length]
    return tables


def checksum(chunk: bytes) -> int:
    padded = chunk + b"\0" * (-len(chunk) % 4)
    words: tuple[int, ...] = struct.unpack(f">{len(padded) // 4}I", padded)
    return sum(words) & 0xFFFFFFFF


def build_sfnt(version: bytes, tables: dict[str, bytes]) -> bytes:
    """An sfnt file from its tables, with table checksums and head.checkSumAdjustment set."""
    tags = sorted(tables)
    count = len(tags)
    selector = max(0, count.bit_length() - 1)
    search = (1 << selector) * 16
    header = bytearray(version + struct.pack(">HHHH", count, search, selector, count * 16 - search))
    directory, body = bytearray(), bytearray()
    position = 12 + 16 * count
    head_at = -1
    for tag in tags:
        chunk = bytearray(tables[tag])
        if tag == "head":
            chunk[8:12] = b"\0\0\0\0"
            head_at = position + len(body)
        directory += struct.pack(">4sIII", tag.encode("latin-1"), checksum(bytes(chunk)), position + len(body),
                                 len(chunk))
        body += chunk + b"\0" * (-len(chunk) % 4)
    font = bytearray(header + directory + body)
    if head_at >= 0:
        struct.pack_into(">I", font, head_at + 8, (0xB1B0AFBA - checksum(bytes(font))) & 0xFFFFFFFF)
    return bytes(font)


def _components(glyph: bytes) -> list[int]:
    if len(glyph) < 10 or struct.unpack_from(">h", glyph, 0)[0] >= 0:
        return []
    found: list[int] = []
    at = 10
    while at + 4 <= len(glyph):
        flags, index = struct.unpack_from(">HH", glyph, at)
        found.append(index)
        at += 4 + (4 if flags & _ARGS_ARE_WORDS else 2)
        at += 2 if flags & _HAVE_SCALE else 4 if flags & _HAVE_XY_SCALE else 8 if flags & _HAVE_2X2 else 0
        if not flags & _MORE_COMPONENTS:
            break
    return found


def subset(sfnt: bytes, glyph_ids: Iterable[int]) -> bytes:
    """``sfnt`` with the outlines of every glyph not in ``glyph_ids`` (or their components) emptied."""
    tables = _tables(sfnt)
    if "glyf" not in tables or "loca" not in tables:
        return sfnt
    head, glyf = tables["head"], tables["glyf"]
    glyph_count = struct.unpack_from(">H", tables["maxp"], 4)[0]
    long_offsets = struct.unpack_from(">h", head, 50)[0] == 1
    if long_offsets:
        offsets = list(struct.unpack_from(f">{glyph_count + 1}I", tables["loca"]))
    else:
        offsets = [value * 2 for value in struct.unpack_from(f">{glyph_count + 1}H", tables["loca"])]
    keep = {0}
    pending = [gid for gid in glyph_ids if 0 <= gid < glyph_count]
    while pending:
        gid = pending.pop()
        if gid in keep:
            continue
        keep.add(gid)
        pending.extend(c for c in _components(glyf[offsets[gid]:offsets[gid + 1]]) if c < glyph_count)
    outlines = bytearray()
    new_offsets = [0]
    for gid in range(glyph_count):
        if gid in keep:
            outlines += glyf[offsets[gid]:offsets[gid + 1]]
            outlines += b"\0" * (-len(outlines) % 4)
        new_offsets.append(len(outlines))
    result = {tag: data for tag, data in tables.items() if tag not in _DROPPED}
    result["glyf"] = bytes(outlines)
    result["loca"] = struct.pack(f">{glyph_count + 1}I", *new_offsets)
    new_head = bytearray(head)
    struct.pack_into(">h", new_head, 50, 1)
    result["head"] = bytes(new_head)
    if "post" in tables and len(tables["post"]) >= 32:
        result["post"] = b"\x00\x03\x00\x00" + tables["post"][4:32]
    return build_sfnt(sfnt[:4], result)
