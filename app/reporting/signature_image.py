"""The representative's drawn signature as a picture for the report's sign-off section.

A handwritten signature record keeps its strokes (app.signing); they are drawn here with PIL at a
report-friendly size.  A record without readable strokes simply has no picture: the sign-off row
with the signer, date and signed hash is still printed.
"""

from __future__ import annotations

import io

from app.domain import Signature, SignatureMethod
from app.errors import FieldAuditError

MAX_WIDTH = 600  # pixels: plenty for a 50 mm wide picture
LINE = 3


def handwritten_png(signature: Signature) -> bytes | None:
    """PNG of the strokes of a handwritten signature, or None when there are none to draw."""
    if signature.method is not SignatureMethod.HANDWRITTEN:
        return None
    try:
        from app.signing.envelope import unpack
        from app.signing.strokes import decode
    except ImportError:  # signing not installed in this build
        return None
    packed = unpack(signature)
    text = packed.get("strokes") if packed else None
    if not isinstance(text, str) or not text:
        return None
    try:
        strokes = decode(text)
    except FieldAuditError:
        return None
    from PIL import Image, ImageDraw

    scale = min(1.0, MAX_WIDTH / strokes.width)
    size = (max(1, round(strokes.width * scale)), max(1, round(strokes.height * scale)))
    picture = Image.new("RGB", size, "white")
    pen = ImageDraw.Draw(picture)
    for stroke in strokes.strokes:
        points = [(x * scale, y * scale) for x, y, _t in stroke]
        if len(points) == 1:
            points.append(points[0])
        pen.line(points, fill="black", width=LINE, joint="curve")
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()
