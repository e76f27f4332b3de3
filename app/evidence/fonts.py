"""Finding a font that can draw Chinese text, on Windows, macOS and Linux."""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
from pathlib import Path

from PIL import ImageFont

FONT_ENV = "FIELDAUDIT_CJK_FONT"
_RESOURCES = Path(__file__).resolve().parents[2] / "resources" / "fonts"
_CANDIDATES = (
    # Linux (Debian/Ubuntu/Fedora packages)
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc",
    # macOS
    "/System/Library/Fonts/PingFang.ttc",
    "/System/Library/Fonts/STHeiti Medium.ttc",
    "/Library/Fonts/Arial Unicode.ttf",
)
_WINDOWS_NAMES = ("msyh.ttc", "msyh.ttf", "simhei.ttf", "simsun.ttc")


def _windows_candidates() -> list[Path]:
    folder = Path(os.environ.get("WINDIR", r"C:\Windows")) / "Fonts"
    return [folder / name for name in _WINDOWS_NAMES]


def _fontconfig_match() -> Path | None:
    tool = shutil.which("fc-match")
    if tool is None:
        return None
    try:
        found = subprocess.run([tool, "-f", "%{file}", ":lang=zh-cn"], capture_output=True, text=True,
                               timeout=5, check=False).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    return Path(found) if found else None


@functools.lru_cache(maxsize=1)
def cjk_font_path() -> Path | None:
    """The first CJK-capable font: the environment override, a bundled font, the usual system
    locations, then fontconfig.  None when the machine has none (text is then drawn with
    Pillow's built-in font, which has no Chinese glyphs)."""
    override = os.environ.get(FONT_ENV)
    ordered: list[Path] = [Path(override)] if override else []
    if _RESOURCES.is_dir():
        ordered.extend(sorted(p for p in _RESOURCES.iterdir() if p.suffix.lower() in (".ttc", ".ttf", ".otf")))
    ordered.extend(Path(p) for p in _CANDIDATES)
    if os.name == "nt":
        ordered.extend(_windows_candidates())
    for path in ordered:
        if path.is_file():
            return path
    matched = _fontconfig_match()
    return matched if matched is not None and matched.is_file() else None


@functools.lru_cache(maxsize=32)
def font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    path = cjk_font_path()
    if path is not None:
        try:
            return ImageFont.truetype(str(path), size)
        except OSError:
            pass
    return ImageFont.load_default(size)
