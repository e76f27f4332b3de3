"""Annotating photos: new evidence linked to an untouched original."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path
from typing import cast

import pytest
from PIL import Image, ImageChops

from app.evidence.annotation import Annotation, parse_annotation, render
from app.evidence.errors import BadAnnotation, NotAnImage
from app.evidence.fonts import cjk_font_path, font
from tests.app.evidence.conftest import Env
from tests.app.evidence.helpers import jpeg_bytes, photo_exif, png_bytes, write

SHAPES = {"shapes": [
    {"kind": "arrow", "start": [20, 20], "end": [300, 200], "color": "#ff0000", "width": 6},
    {"kind": "rectangle", "box": [350, 50, 600, 200]},
    {"kind": "freehand", "points": [[10, 400], [60, 420], [120, 380], [200, 450]]},
    {"kind": "text", "position": [40, 250], "text": "校准标签已过期", "size": 40},
    {"kind": "mask", "box": [500, 300, 620, 380]},
]}


def spread(gray: Image.Image) -> int:
    """Brightest minus darkest pixel of a one-band image."""
    low, high = cast(tuple[int, int], gray.getextrema())
    return high - low


def striped_photo() -> bytes:
    image = Image.new("RGB", (640, 480), "white")
    for x in range(0, 640, 8):
        image.paste((0, 0, 0), (x, 0, x + 4, 480))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=95)
    return out.getvalue()


def test_annotation_is_new_evidence_and_the_original_is_untouched(env: Env, tmp_path: Path) -> None:
    source = write(tmp_path, "site.jpg", jpeg_bytes((640, 480), exif=photo_exif(orientation=1), color="gray"))
    original = env.service.import_files(env.audit.id, [source], finding_id=env.finding.id,
                                        caption="原图").imported[0]
    blob_before = env.vault.path_for(original.sha256).read_bytes()
    annotated = env.service.annotate(original.id, SHAPES, caption="标注图")
    assert annotated.derived_from == original.id and annotated.id != original.id
    assert annotated.sha256 != original.sha256 and annotated.media_type == "image/jpeg"
    assert annotated.finding_id == env.finding.id and annotated.caption == "标注图"
    assert annotated.gps == original.gps and annotated.captured_at == original.captured_at
    assert annotated.orientation is None and annotated.file_name == "site-annotated.jpg"
    # The original's bytes, hash and row are exactly as before.
    assert env.vault.path_for(original.sha256).read_bytes() == blob_before
    assert hashlib.sha256(env.vault.read_bytes(original.sha256)).hexdigest() == original.sha256
    assert env.session.store.evidence.get(original.id) == original
    drawn = Image.open(io.BytesIO(env.vault.read_bytes(annotated.sha256))).convert("RGB")
    red = drawn.getpixel((160, 110))
    assert isinstance(red, tuple) and red[0] > 200 and red[1] < 80
    assert drawn.getpixel((560, 340)) == (0, 0, 0)
    assert env.service.thumbnail(annotated.sha256) is not None


def test_blur_makes_a_region_unreadable_and_nothing_else_changes() -> None:
    original = striped_photo()
    blur = parse_annotation({"shapes": [{"kind": "blur", "box": [100, 100, 300, 300]}]})
    data, _ = render(original, "image/jpeg", blur)
    before = Image.open(io.BytesIO(original)).convert("L")
    after = Image.open(io.BytesIO(data)).convert("L")
    inside_before = before.crop((120, 120, 280, 280))
    inside_after = after.crop((120, 120, 280, 280))
    # The stripes (high contrast) are gone inside the region...
    assert spread(inside_before) > 200
    assert spread(inside_after) < 60
    # ...and outside it the picture is the same (up to JPEG re-encoding).
    diff = ImageChops.difference(before.crop((400, 0, 640, 480)), after.crop((400, 0, 640, 480)))
    assert spread(diff) < 40


def test_orientation_is_applied_before_drawing(env: Env, tmp_path: Path) -> None:
    source = write(tmp_path, "rotated.jpg", jpeg_bytes((640, 480), exif=photo_exif(orientation=6)))
    original = env.service.import_files(env.audit.id, [source]).imported[0]
    annotated = env.service.annotate(original.sha256, {"shapes": [{"kind": "mask", "box": [0, 0, 10, 10]}]})
    with Image.open(io.BytesIO(env.vault.read_bytes(annotated.sha256))) as image:
        assert image.size == (480, 640)


def test_png_stays_png(env: Env, tmp_path: Path) -> None:
    original = env.service.import_files(env.audit.id, [write(tmp_path, "s.png", png_bytes((200, 100)))]).imported[0]
    annotated = env.service.annotate(original.id, {"shapes": [{"kind": "rectangle", "box": [10, 10, 90, 90]}]})
    assert annotated.media_type == "image/png" and annotated.file_name == "s-annotated.png"


def test_chinese_text_is_drawn_with_a_cjk_font() -> None:
    assert cjk_font_path() is not None  # the test machine has wqy-microhei
    face = font(32)
    assert hasattr(face, "getmask")
    canvas = Image.new("RGB", (400, 100), "white")
    annotation = Annotation.model_validate({"shapes": [{"kind": "text", "position": [10, 10], "text": "不符合",
                                                         "size": 48, "background": None, "color": "#000000"}]})
    from app.evidence.annotation import draw_shapes

    drawn = draw_shapes(canvas, annotation).convert("L")
    # Real glyphs cover many pixels; "tofu" boxes from a font without CJK would be thin outlines.
    dark = sum(drawn.histogram()[:128])
    assert dark > 800


@pytest.mark.parametrize("shapes", [
    {"shapes": []},
    {"shapes": [{"kind": "circle", "box": [0, 0, 1, 1]}]},
    {"shapes": [{"kind": "rectangle", "box": [0, 0, 10, 10], "color": "red"}]},
    {"shapes": [{"kind": "arrow", "start": [0, 0], "end": [0, 0]}]},
    {"shapes": [{"kind": "blur", "box": [5000, 5000, 6000, 6000]}]},
    {"shapes": [{"kind": "freehand", "points": [[1, 1]]}]},
    "not even an object",
])
def test_bad_annotations_are_refused_clearly(env: Env, tmp_path: Path, shapes: object) -> None:
    original = env.service.import_files(env.audit.id, [write(tmp_path, "p.jpg", jpeg_bytes())]).imported[0]
    with pytest.raises(BadAnnotation) as caught:
        env.service.annotate(original.id, shapes)
    assert "无法绘制标注" in str(caught.value)
    assert list(env.vault.iter_hashes()) == [original.sha256]
    assert env.session.store.evidence.count() == 1


def test_only_photos_can_be_annotated(env: Env, tmp_path: Path) -> None:
    note = env.service.import_files(env.audit.id, [write(tmp_path, "n.txt", b"note\n")]).imported[0]
    with pytest.raises(NotAnImage):
        env.service.annotate(note.id, SHAPES)


def test_the_annotated_copy_and_its_shapes_are_one_change(env: Env, tmp_path: Path) -> None:
    source = write(tmp_path, "site.jpg", jpeg_bytes((640, 480), color="gray"))
    original = env.service.import_files(env.audit.id, [source]).imported[0]
    annotated = env.service.annotate(original.id, SHAPES)
    store = env.session.store
    # One user action, one journal entry and one outbox mutation: the record is created with its shapes.
    journal = store.query("SELECT op, after FROM journal WHERE entity_id = ?", (annotated.id,))
    assert [op for op, _after in journal] == ["create"]
    assert '"annotation"' in journal[0][1] and '"kind":"arrow"' in journal[0][1]
    assert [op for (op,) in store.query("SELECT op FROM outbox WHERE entity_id = ?", (annotated.id,))] == ["create"]
    stored = store.evidence.get(annotated.id)
    assert stored == annotated
    assert stored.annotation == parse_annotation(SHAPES).model_dump(mode="json")


def test_a_failed_annotation_leaves_neither_a_record_nor_its_bytes(env: Env, tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    from app.store import outbox

    source = write(tmp_path, "site.jpg", jpeg_bytes((640, 480), color="gray"))
    original = env.service.import_files(env.audit.id, [source]).imported[0]
    real_enqueue = outbox.enqueue

    def fail_for_new_evidence(conn: object, **fields: object) -> str:
        if fields["entity"] == "evidence" and fields["op"] == "create":
            raise OSError("injected failure inside the annotation's transaction")
        return real_enqueue(conn, **fields)  # type: ignore[arg-type]

    monkeypatch.setattr(outbox, "enqueue", fail_for_new_evidence)
    with pytest.raises(OSError, match="injected"):
        env.service.annotate(original.id, SHAPES)
    store = env.session.store
    assert [e.id for e in store.evidence.list(env.audit.id)] == [original.id]
    assert int(store.query("SELECT count(*) FROM journal WHERE entity = 'evidence'")[0][0]) == 1
    assert list(env.vault.iter_hashes()) == [original.sha256]
    assert env.vault.orphan_thumbnails() == []
