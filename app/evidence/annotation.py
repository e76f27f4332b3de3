"""Annotations on a photo: a JSON-able model and its rendering with Pillow.

Coordinates are pixels of the photo *as it is displayed* (EXIF orientation applied), origin at
the top-left.  Shapes are drawn in order, so a blur drawn after an arrow blurs the arrow too.
The result is a new image; the original bytes are never touched.
"""

from __future__ import annotations

import io
import math
from typing import Annotated, Literal

from PIL import Image, ImageDraw, ImageFilter, ImageOps
from pydantic import Field, ValidationError

from app.domain.base import DomainModel, explain
from app.evidence.errors import BadAnnotation
from app.evidence.fonts import font
from app.evidence.media import DEFAULT_LIMITS, Limits, check_size, open_image
from app.i18n import N_

Color = Annotated[str, Field(pattern=r"^#[0-9a-fA-F]{6}$")]
Coordinate = Annotated[float, Field(ge=-1e6, le=1e6, allow_inf_nan=False)]
Point = tuple[Coordinate, Coordinate]
Box = tuple[Coordinate, Coordinate, Coordinate, Coordinate]
Width = Annotated[int, Field(ge=1, le=500)]


class Arrow(DomainModel):
    kind: Literal["arrow"] = "arrow"
    start: Point
    end: Point
    color: Color = "#ff0000"
    width: Width = 8


class Rectangle(DomainModel):
    kind: Literal["rectangle"] = "rectangle"
    box: Box
    color: Color = "#ff0000"
    width: Width = 8


class Freehand(DomainModel):
    kind: Literal["freehand"] = "freehand"
    points: list[Point] = Field(min_length=2, max_length=20_000)
    color: Color = "#ff0000"
    width: Width = 8


class Text(DomainModel):
    kind: Literal["text"] = "text"
    position: Point
    text: str = Field(min_length=1, max_length=500)
    color: Color = "#ff0000"
    size: int = Field(default=48, ge=6, le=1000)
    background: Color | None = "#ffffff"


class Blur(DomainModel):
    """Makes a region unreadable (faces, personal data): pixelated, then blurred."""

    kind: Literal["blur"] = "blur"
    box: Box


class Mask(DomainModel):
    kind: Literal["mask"] = "mask"
    box: Box
    color: Color = "#000000"


Shape = Annotated[Arrow | Rectangle | Freehand | Text | Blur | Mask, Field(discriminator="kind")]


class Annotation(DomainModel):
    shapes: list[Shape] = Field(min_length=1, max_length=1000)


def parse_annotation(data: object) -> Annotation:
    try:
        return Annotation.model_validate(data)
    except ValidationError as error:
        raise BadAnnotation(detail="; ".join(reason for _path, reason in explain(error))) from None


def _box(box: Box, size: tuple[int, int]) -> tuple[int, int, int, int]:
    """Normalise corners and clip to the image; refuse a region entirely outside it."""
    left, right = sorted((box[0], box[2]))
    top, bottom = sorted((box[1], box[3]))
    clipped = (max(0, math.floor(left)), max(0, math.floor(top)),
               min(size[0], math.ceil(right)), min(size[1], math.ceil(bottom)))
    if clipped[0] >= clipped[2] or clipped[1] >= clipped[3]:
        raise BadAnnotation(detail=N_("a region lies outside the photo"))
    return clipped


def _arrow(draw: ImageDraw.ImageDraw, shape: Arrow) -> None:
    (x0, y0), (x1, y1) = shape.start, shape.end
    length = math.hypot(x1 - x0, y1 - y0)
    if length == 0:
        raise BadAnnotation(detail=N_("an arrow has no length"))
    head = min(length * 0.5, max(shape.width * 4.0, 20.0))
    angle = math.atan2(y1 - y0, x1 - x0)
    # Stop the shaft where the head starts so the tip stays sharp.
    base = (x1 - head * 0.8 * math.cos(angle), y1 - head * 0.8 * math.sin(angle))
    draw.line([(x0, y0), base], fill=shape.color, width=shape.width)
    spread = math.radians(25)
    left = (x1 - head * math.cos(angle - spread), y1 - head * math.sin(angle - spread))
    right = (x1 - head * math.cos(angle + spread), y1 - head * math.sin(angle + spread))
    draw.polygon([(x1, y1), left, right], fill=shape.color)


def _blur(image: Image.Image, shape: Blur) -> None:
    left, top, right, bottom = _box(shape.box, image.size)
    region = image.crop((left, top, right, bottom))
    width, height = region.size
    # Pixelate first: a plain Gaussian blur of text can sometimes be reversed.
    cell = max(4, min(width, height) // 12)
    small = region.resize((max(1, width // cell), max(1, height // cell)), Image.Resampling.BOX)
    coarse = small.resize((width, height), Image.Resampling.NEAREST)
    image.paste(coarse.filter(ImageFilter.GaussianBlur(radius=cell / 2)), (left, top))


def _text(draw: ImageDraw.ImageDraw, shape: Text) -> None:
    face = font(shape.size)
    position = (shape.position[0], shape.position[1])
    if shape.background is not None:
        left, top, right, bottom = draw.textbbox(position, shape.text, font=face)
        pad = max(2, shape.size // 6)
        draw.rectangle((left - pad, top - pad, right + pad, bottom + pad), fill=shape.background)
    draw.text(position, shape.text, fill=shape.color, font=face)


def draw_shapes(image: Image.Image, annotation: Annotation) -> Image.Image:
    """Draw onto an upright RGB copy of ``image`` and return it."""
    canvas = image.convert("RGB")
    draw = ImageDraw.Draw(canvas)
    for shape in annotation.shapes:
        if isinstance(shape, Arrow):
            _arrow(draw, shape)
        elif isinstance(shape, Rectangle):
            draw.rectangle(_box(shape.box, canvas.size), outline=shape.color, width=shape.width)
        elif isinstance(shape, Freehand):
            draw.line([(x, y) for x, y in shape.points], fill=shape.color, width=shape.width, joint="curve")
        elif isinstance(shape, Text):
            _text(draw, shape)
        elif isinstance(shape, Blur):
            _blur(canvas, shape)
        else:
            draw.rectangle(_box(shape.box, canvas.size), fill=shape.color)
    return canvas


def render(original: bytes, media_type: str, annotation: Annotation,
           limits: Limits = DEFAULT_LIMITS, *, display: str = "") -> tuple[bytes, str]:
    """The annotated photo as ``(bytes, media_type)``: JPEG for photos, PNG for PNG originals."""
    image = open_image(io.BytesIO(original), media_type, display)
    if image is None:
        raise BadAnnotation(detail=N_("this kind of photo cannot be decoded here"))
    with image:
        # The whole photo is decoded here, so the full-decode limit applies to every type.
        check_size(image, "full", display, limits)
        upright = ImageOps.exif_transpose(image)
        result = draw_shapes(upright, annotation)
    out = io.BytesIO()
    if media_type == "image/png":
        result.save(out, "PNG", optimize=False)
        return out.getvalue(), "image/png"
    result.save(out, "JPEG", quality=92)
    return out.getvalue(), "image/jpeg"
