"""Find a font with Chinese glyphs on Linux, Windows or macOS, and read what layout needs.

The same font file serves the PDF writer (Qt embeds a subset) and the OFD writer (which
embeds the face as a TrueType file): a face inside a TrueType collection (.ttc) is copied out
as a standalone font.  Metrics (advance widths, ascent, descent) come straight from the
``cmap``/``hmtx``/``hhea`` tables, so layout needs no GUI toolkit.
"""

from __future__ import annotations

import bisect
import os
import struct
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from app.errors import ReportError
from app.i18n import N_
from app.reporting.ttf_subset import build_sfnt

ENV_FONT = "FIELDAUDIT_CJK_FONT"
PROBE = "中文审核报告"
_BUNDLED = Path(__file__).resolve().parents[2] / "resources" / "fonts"

LINUX_FONTS = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
    "/usr/share/fonts/wenquanyi/wqy-microhei/wqy-microhei.ttc",
)
WINDOWS_FONTS = ("simsun.ttc", "msyh.ttc", "simhei.ttf", "Deng.ttf", "simkai.ttf")
MAC_FONTS = (
    "/System/Library/Fonts/STHeiti Light.ttc",
    "/System/Library/Fonts/Hiragino Sans GB.ttc",
    "/System/Library/Fonts/Supplemental/Songti.ttc",
    "/Library/Fonts/Arial Unicode.ttf",
    "/System/Library/Fonts/Supplemental/Arial Unicode.ttf",
)


class FontNotFound(ReportError):
    message = N_("No font with Chinese characters was found. Install one (for example "
                 "fonts-wqy-microhei or fonts-noto-cjk on Linux) or set FIELDAUDIT_CJK_FONT to a "
                 ".ttf, .ttc or .otf file.")


class FontUnreadable(ReportError):
    message = N_("The font file {path} cannot be read: {reason}.")


@dataclass(frozen=True)
class FontFace:
    """One face of a font file, with the metrics layout needs (font units)."""

    path: str
    index: int
    family: str
    units_per_em: int
    ascent: int
    descent: int
    sfnt: bytes = field(repr=False)
    _advances: tuple[int, ...] = field(repr=False)
    _ranges: tuple[tuple[int, int, int, int], ...] = field(repr=False)  # (end, start, delta, offset|-1)
    _ends: tuple[int, ...] = field(repr=False)
    _glyph_ids: Mapping[int, int] = field(repr=False)

    def glyph(self, char: str) -> int:
        code = ord(char)
        found = self._glyph_ids.get(code)
        if found is not None:
            return found
        index = bisect.bisect_left(self._ends, code)
        if index >= len(self._ranges):
            return 0
        _end, start, delta, glyph_offset = self._ranges[index]
        if code < start:
            return 0
        if glyph_offset < 0:
            return (code + delta) & 0xFFFF
        return glyph_offset + (code - start)

    def has(self, text: str) -> bool:
        return all(self.glyph(char) for char in text if not char.isspace())

    def advance(self, char: str) -> float:
        """Advance width of ``char`` in ems."""
        glyph = self.glyph(char)
        widths = self._advances
        return widths[min(glyph, len(widths) - 1)] / self.units_per_em

    def width(self, text: str, size: float) -> float:
        return sum(self.advance(char) for char in text) * size


def _tables(data: bytes, offset: int) -> dict[str, tuple[int, int]]:
    count = struct.unpack_from(">H", data, offset + 4)[0]
    tables: dict[str, tuple[int, int]] = {}
    for number in range(count):
        tag, _checksum, start, length = struct.unpack_from(">4sIII", data, offset + 12 + 16 * number)
        tables[tag.decode("latin-1")] = (start, length)
    return tables


def _standalone(data: bytes, offset: int, tables: dict[str, tuple[int, int]]) -> bytes:
    """Copy one face out of a collection as a TrueType/OpenType file, with fresh checksums."""
    parts = {tag: data[start:start + length] for tag, (start, length) in tables.items()}
    return build_sfnt(data[offset:offset + 4], parts)


def _family(data: bytes, start: int) -> str:
    _fmt, count, strings = struct.unpack_from(">HHH", data, start)
    best: tuple[int, str] | None = None
    for number in range(count):
        platform, encoding, language, name_id, length, offset = struct.unpack_from(
            ">HHHHHH", data, start + 6 + 12 * number)
        if name_id != 1:
            continue
        raw = data[start + strings + offset:start + strings + offset + length]
        if platform == 3:
            text = raw.decode("utf-16-be", errors="replace")
            rank = 0 if language == 0x409 else 1
        elif platform == 1 and encoding == 0:
            text, rank = raw.decode("latin-1"), 2
        else:
            continue
        if best is None or rank < best[0]:
            best = (rank, text)
    return best[1] if best else "CJK"


def _cmap(data: bytes, start: int) -> tuple[tuple[tuple[int, int, int, int], ...], dict[int, int]]:
    count = struct.unpack_from(">H", data, start + 2)[0]
    subtables: dict[tuple[int, int], int] = {}
    for number in range(count):
        platform, encoding, offset = struct.unpack_from(">HHI", data, start + 4 + 8 * number)
        subtables[(platform, encoding)] = start + offset
    for key in ((3, 10), (0, 4)):
        at = subtables.get(key)
        if at is not None and struct.unpack_from(">H", data, at)[0] == 12:
            groups = struct.unpack_from(">I", data, at + 12)[0]
            mapping: dict[int, int] = {}
            for number in range(groups):
                first, last, glyph = struct.unpack_from(">III", data, at + 16 + 12 * number)
                for code in range(first, last + 1):
                    mapping[code] = glyph + code - first
            return (), mapping
    at = subtables.get((3, 1), subtables.get((0, 3)))
    if at is None or struct.unpack_from(">H", data, at)[0] != 4:
        raise FontUnreadable(path="", reason="no Unicode character map")
    segments = struct.unpack_from(">H", data, at + 6)[0] // 2
    ends = struct.unpack_from(f">{segments}H", data, at + 14)
    starts = struct.unpack_from(f">{segments}H", data, at + 16 + 2 * segments)
    deltas = struct.unpack_from(f">{segments}h", data, at + 16 + 4 * segments)
    range_at = at + 16 + 6 * segments
    offsets = struct.unpack_from(f">{segments}H", data, range_at)
    ranges: list[tuple[int, int, int, int]] = []
    mapping = {}
    for number in range(segments):
        if offsets[number] == 0:
            ranges.append((ends[number], starts[number], deltas[number], -1))
            continue
        ranges.append((ends[number], starts[number], 0, -1))
        for code in range(starts[number], ends[number] + 1):
            address = range_at + 2 * number + offsets[number] + 2 * (code - starts[number])
            glyph = struct.unpack_from(">H", data, address)[0]
            mapping[code] = (glyph + deltas[number]) & 0xFFFF if glyph else 0
    return tuple(ranges), mapping


@lru_cache(maxsize=8)
def load_face(path: str, index: int = 0) -> FontFace:
    """Read one face (``index`` within a .ttc) and its metrics."""
    try:
        data = Path(path).read_bytes()
        offset = 0
        if data[:4] == b"ttcf":
            faces = struct.unpack_from(">I", data, 8)[0]
            if not 0 <= index < faces:
                raise FontUnreadable(path=path, reason=f"no face {index}")
            offset = struct.unpack_from(">I", data, 12 + 4 * index)[0]
        tables = _tables(data, offset)
        units = struct.unpack_from(">H", data, tables["head"][0] + 18)[0]
        hhea = tables["hhea"][0]
        ascent, descent = struct.unpack_from(">hh", data, hhea + 4)
        metrics = struct.unpack_from(">H", data, hhea + 34)[0]
        advances = struct.unpack_from(f">{metrics * 2}H", data, tables["hmtx"][0])[0::2]
        ranges, mapping = _cmap(data, tables["cmap"][0])
        family = _family(data, tables["name"][0])
        sfnt = _standalone(data, offset, tables) if offset or data[:4] == b"ttcf" else data
    except (OSError, KeyError, struct.error) as error:
        raise FontUnreadable(path=path, reason=str(error) or type(error).__name__) from None
    except FontUnreadable as error:
        raise FontUnreadable(path=path, reason=error.params.get("reason", "")) from None
    return FontFace(path=path, index=index, family=family, units_per_em=units, ascent=ascent,
                    descent=-abs(descent), sfnt=sfnt, _advances=tuple(advances), _ranges=ranges,
                    _ends=tuple(r[0] for r in ranges), _glyph_ids=mapping)


def candidate_paths(environ: Mapping[str, str] | None = None,
                    platform: str | None = None) -> list[Path]:
    """Where to look, best first: the override, fonts shipped with the app, then the system's."""
    env = os.environ if environ is None else environ
    system = platform or sys.platform
    found: list[Path] = []
    if env.get(ENV_FONT):
        found.append(Path(env[ENV_FONT]))
    if _BUNDLED.is_dir():
        found.extend(sorted(p for p in _BUNDLED.iterdir() if p.suffix.lower() in {".ttf", ".ttc", ".otf"}))
    if system.startswith("win"):
        windir = Path(env.get("WINDIR", r"C:\Windows")) / "Fonts"
        local = Path(env.get("LOCALAPPDATA", "")) / "Microsoft" / "Windows" / "Fonts"
        found.extend(folder / name for folder in (windir, local) for name in WINDOWS_FONTS)
    elif system == "darwin":
        found.extend(Path(name) for name in MAC_FONTS)
    else:
        found.extend(Path(name) for name in LINUX_FONTS)
        home = Path(env.get("HOME", "~")).expanduser()
        for folder in (home / ".local/share/fonts", home / ".fonts"):
            if folder.is_dir():
                found.extend(sorted(folder.glob("*.tt[cf]")))
    return found


def find_cjk_font(paths: Iterable[Path] | None = None, probe: str = PROBE) -> FontFace:
    """The first readable face that has every character of ``probe``; FontNotFound if none."""
    candidates: Sequence[Path] = list(paths) if paths is not None else candidate_paths()
    for path in candidates:
        if not path.is_file():
            continue
        try:
            face = load_face(str(path), 0)
        except FontUnreadable:
            continue
        if face.has(probe):
            return face
    raise FontNotFound()
