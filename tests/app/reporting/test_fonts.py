"""The CJK font locator and the TrueType reader."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.i18n import set_language
from app.reporting.fonts import FontNotFound, FontUnreadable, candidate_paths, find_cjk_font, load_face


def test_finds_a_chinese_font_on_this_machine() -> None:
    face = find_cjk_font()
    assert face.has("中文审核报告") and face.units_per_em > 0
    assert face.width("中", 10) == pytest.approx(10, rel=0.2)
    assert face.width("i", 10) < face.width("W", 10)


def test_no_font_is_a_clear_translated_error(tmp_path: Path) -> None:
    latin = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
    candidates = [tmp_path / "missing.ttf"] + ([latin] if latin.exists() else [])
    with pytest.raises(FontNotFound) as caught:
        find_cjk_font(candidates)
    assert "fonts-wqy-microhei" in str(caught.value)
    set_language("en")
    assert "FIELDAUDIT_CJK_FONT" in str(caught.value)


def test_collection_face_is_copied_out_as_a_standalone_font(tmp_path: Path) -> None:
    face = find_cjk_font()
    assert face.sfnt[:4] in (b"\x00\x01\x00\x00", b"OTTO", b"true")
    copy = tmp_path / "face.ttf"
    copy.write_bytes(face.sfnt)
    again = load_face(str(copy))
    assert again.family == face.family and again.has("审核")
    assert again.width("审核 audit", 12) == pytest.approx(face.width("审核 audit", 12))


def test_unreadable_font(tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttf"
    bad.write_bytes(b"not a font at all")
    with pytest.raises(FontUnreadable):
        load_face(str(bad))
    with pytest.raises(FontNotFound):
        find_cjk_font([bad])


def test_candidates_per_platform(tmp_path: Path) -> None:
    windows = candidate_paths({"WINDIR": r"D:\Win", "LOCALAPPDATA": str(tmp_path)}, platform="win32")
    assert any(path.name == "msyh.ttc" for path in windows)
    mac = candidate_paths({}, platform="darwin")
    assert any("PingFang" in str(p) or "STHeiti" in str(p) for p in mac)
    override = candidate_paths({"FIELDAUDIT_CJK_FONT": "/fonts/own.ttf"}, platform="linux")
    assert override[0] == Path("/fonts/own.ttf")


def test_subset_keeps_used_glyphs_and_stays_a_valid_font(tmp_path: Path) -> None:
    from PySide6.QtCore import QByteArray, QPointF
    from PySide6.QtGui import QColor, QFont, QFontDatabase, QImage, QPainter

    from app.reporting.pdf import ensure_gui_application, keep_none_alive
    from app.reporting.ttf_subset import subset

    face = find_cjk_font()
    small = subset(face.sfnt, {face.glyph(char) for char in "审核报告"})
    assert len(small) < len(face.sfnt) / 3
    copy = tmp_path / "subset.ttf"
    copy.write_bytes(small)
    again = load_face(str(copy))
    assert again.glyph("审") == face.glyph("审") and again.width("审核", 10) == face.width("审核", 10)

    def ink(text: str) -> int:
        with keep_none_alive():
            ensure_gui_application()
            font_id = QFontDatabase.addApplicationFontFromData(QByteArray(small))
            try:
                family = QFontDatabase.applicationFontFamilies(font_id)[0]
                image = QImage(120, 50, QImage.Format.Format_RGB32)
                image.fill(QColor(255, 255, 255))
                painter = QPainter(image)
                font = QFont(family)
                font.setPixelSize(32)
                painter.setFont(font)
                painter.setPen(QColor(0, 0, 0))
                painter.drawText(QPointF(4, 40), text)
                painter.end()
            finally:
                # The subset has the full font's family name: left registered, later PDFs in this process
                # would be drawn from its four glyphs.
                QFontDatabase.removeApplicationFont(font_id)
            return sum(1 for x in range(120) for y in range(50) if image.pixelColor(x, y).red() < 128)

    assert ink("审核") > 100  # outlines kept: FreeType draws them from the subset
