"""Making sure Chinese text never renders as boxes.

A CJK font is required by the installer (Debian: fonts-wqy-microhei or
fonts-noto-cjk); when the system has none we try the well-known font files and
any font shipped in ``resources/fonts``.  ``missing_glyphs`` compares each
rendered character with the fallback box so tests can prove text is readable.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontDatabase, QFontMetrics, QImage, QPainter

RESOURCE_FONTS = Path(__file__).resolve().parents[1] / "resources" / "fonts"
KNOWN_FONT_FILES = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "C:/Windows/Fonts/msyh.ttc",
    "/System/Library/Fonts/PingFang.ttc",
)
PREFERRED = ("Microsoft YaHei UI", "Microsoft YaHei", "PingFang SC", "Noto Sans CJK SC",
             "Source Han Sans SC", "WenQuanYi Micro Hei", "WenQuanYi Zen Hei")
SAMPLE = "现场审核不符合项"
# An unassigned code point: every font draws it as the "missing glyph" box.
TOFU = "\U0010fffd"


def cjk_families() -> list[str]:
    return [f for f in QFontDatabase.families(QFontDatabase.WritingSystem.SimplifiedChinese)
            if not f.startswith("@")]


def ensure_cjk_font() -> str | None:
    """The family used for Chinese text, loading a font file if the system offers none."""
    families = cjk_families()
    if not families:
        candidates = [*sorted(RESOURCE_FONTS.glob("*.tt?")), *sorted(RESOURCE_FONTS.glob("*.otf")),
                      *(Path(p) for p in KNOWN_FONT_FILES)]
        for path in candidates:
            if path.exists() and QFontDatabase.addApplicationFont(str(path)) >= 0:
                families = cjk_families()
                if families:
                    break
    if not families:
        return None
    return next((f for f in PREFERRED if f in families), families[0])


def apply_ui_font(app_font: QFont, family: str | None) -> QFont:
    """The application font with the CJK family first in its fallback list."""
    font = QFont(app_font)
    if family:
        font.setFamilies([family, *[f for f in font.families() if f != family]])
    return font


def _render(text: str, font: QFont) -> QImage:
    metrics = QFontMetrics(font)
    width = max(1, metrics.horizontalAdvance(text))
    image = QImage(width, max(1, metrics.height()), QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.white)
    painter = QPainter(image)
    painter.setFont(font)
    painter.setPen(Qt.GlobalColor.black)
    painter.drawText(0, metrics.ascent(), text)
    painter.end()
    return image


def missing_glyphs(text: str, font: QFont) -> list[str]:
    """Characters of ``text`` that render exactly like the missing-glyph box."""
    box = _render(TOFU, font)
    box_width = QFontMetrics(font).horizontalAdvance(TOFU)
    missing: list[str] = []
    for char in dict.fromkeys(text):
        if char.isspace() or ord(char) < 0x2E80:
            continue
        metrics = QFontMetrics(font)
        if not metrics.inFontUcs4(ord(char)) and (
                metrics.horizontalAdvance(char) == box_width and _render(char, font) == box):
            missing.append(char)
    return missing
