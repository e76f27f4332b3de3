"""The neutral document model: what a plan or a report says, not how a format draws it.

Builders produce one :class:`Document`; the docx, PDF and OFD writers each render it.  Blocks
are plain frozen dataclasses so a builder can be tested without any writer, and writers can
be tested with hand-made documents.  ``context`` holds the structured data a Word template's
placeholders read (``{{ client.name }}``, ``{{#findings}}...``); the blocks are what the
fixed-layout formats print and what a template's ``{{ body }}`` placeholder receives.
"""

from __future__ import annotations

import io
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from app.errors import ReportError
from app.i18n import N_


class Align(StrEnum):
    LEFT = "left"
    CENTER = "center"
    RIGHT = "right"


class ImageUnreadable(ReportError):
    message = N_("The image {name} cannot be read: {reason}.")


@dataclass(frozen=True)
class Heading:
    text: str
    level: int = 1  # 1..3


@dataclass(frozen=True)
class Paragraph:
    text: str
    bold: bool = False
    align: Align = Align.LEFT
    small: bool = False


@dataclass(frozen=True)
class Table:
    header: Sequence[str]
    rows: Sequence[Sequence[str]]
    widths: Sequence[float] = ()  # relative column widths; equal when empty
    caption: str = ""

    def column_widths(self) -> list[float]:
        count = len(self.header) or max((len(row) for row in self.rows), default=1)
        given = list(self.widths)[:count]
        if len(given) < count or any(width <= 0 for width in given):
            given = [1.0] * count
        total = sum(given)
        return [width / total for width in given]


@dataclass(frozen=True)
class Image:
    data: bytes = field(repr=False)
    pixel_width: int
    pixel_height: int
    format: str  # "PNG" or "JPEG"
    width_mm: float = 60.0
    caption: str = ""
    name: str = ""

    @property
    def height_mm(self) -> float:
        return self.width_mm * self.pixel_height / self.pixel_width

    @classmethod
    def from_bytes(cls, data: bytes, *, width_mm: float = 60.0, caption: str = "", name: str = "") -> Image:
        """Probe the image once; anything not PNG/JPEG is converted to PNG."""
        from PIL import Image as PILImage
        from PIL import UnidentifiedImageError

        try:
            with PILImage.open(io.BytesIO(data)) as picture:
                picture_format = (picture.format or "").upper()
                width, height = picture.size
                if picture_format not in ("PNG", "JPEG"):
                    buffer = io.BytesIO()
                    picture.save(buffer, format="PNG")
                    data, picture_format = buffer.getvalue(), "PNG"
        except (UnidentifiedImageError, OSError, ValueError) as error:
            raise ImageUnreadable(name=name or caption or "?", reason=str(error)) from None
        if width <= 0 or height <= 0:
            raise ImageUnreadable(name=name or caption or "?", reason="empty image")
        return cls(data=data, pixel_width=width, pixel_height=height, format=picture_format,
                   width_mm=width_mm, caption=caption, name=name)


@dataclass(frozen=True)
class ImageRow:
    """Thumbnails side by side (evidence galleries): wraps onto further rows as needed."""

    images: Sequence[Image]
    per_row: int = 3


@dataclass(frozen=True)
class KeyValues:
    items: Sequence[tuple[str, str]]
    title: str = ""


@dataclass(frozen=True)
class Signer:
    role: str
    name: str
    date: str = ""
    note: str = ""  # e.g. "signed SHA-256 3f2a…"


@dataclass(frozen=True)
class SignatureBlock:
    signers: Sequence[Signer]
    title: str = ""


@dataclass(frozen=True)
class PageBreak:
    pass


@dataclass(frozen=True)
class Section:
    title: str
    blocks: Sequence[Block]


@dataclass(frozen=True)
class EmbeddedSignature:
    """A signature the document carries in its signature part (OFD): who signed what, when, how.

    ``value`` is the signature record's own value (FieldAudit's envelope), checked by ``fieldaudit
    verify`` or the standalone verifier; ``signed_hash`` is the hash of what was signed.
    """

    ident: str
    signer: str
    role: str
    method: str
    signed_at: str  # ISO 8601
    algorithm: str
    signed_hash: str
    value: str = ""


Block = Heading | Paragraph | Table | Image | ImageRow | KeyValues | SignatureBlock | PageBreak | Section


@dataclass(frozen=True)
class Document:
    title: str
    blocks: Sequence[Block]
    language: str = "zh_CN"
    subtitle: str = ""
    author: str = ""
    metadata: Mapping[str, str] = field(default_factory=dict)
    context: Mapping[str, Any] = field(default_factory=dict)
    footer: str = ""  # left part of the footer; page numbers are always added on the right
    kind: str = "report"  # picks the default Word template: "report" or "plan"
    # Drawn large and diagonally behind every page in every format (a draft must not pass for a final).
    watermark: str = ""
    # Files carried inside the document (file name -> bytes): embedded files of the PDF, attachments
    # of the OFD; e.g. the signature verification manifest of a signed report.
    attachments: Mapping[str, bytes] = field(default_factory=dict)
    signatures: Sequence[EmbeddedSignature] = ()

    def flat(self) -> Iterator[Block]:
        """Blocks in reading order with sections turned into headings one level deeper."""
        yield from _flatten(self.blocks, 1)

    def text(self) -> str:
        """All printable text, one block a line (for previews, search and tests)."""
        lines = [self.title] + ([self.subtitle] if self.subtitle else [])
        for block in self.flat():
            lines.extend(block_text(block))
        return "\n".join(line for line in lines if line)


def _flatten(blocks: Sequence[Block], level: int) -> Iterator[Block]:
    for block in blocks:
        if isinstance(block, Section):
            yield Heading(block.title, min(level, 3))
            yield from _flatten(block.blocks, level + 1)
        else:
            yield block


def block_text(block: Block) -> list[str]:
    if isinstance(block, Heading | Paragraph):
        return [block.text]
    if isinstance(block, Table):
        return [block.caption, " ".join(block.header)] + [" ".join(row) for row in block.rows]
    if isinstance(block, Image):
        return [block.caption]
    if isinstance(block, ImageRow):
        return [image.caption for image in block.images]
    if isinstance(block, KeyValues):
        return [block.title] + [f"{key} {value}" for key, value in block.items]
    if isinstance(block, SignatureBlock):
        return [block.title] + [f"{s.role} {s.name} {s.date} {s.note}" for s in block.signers]
    return []
