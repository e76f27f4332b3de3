"""OFD writer (GB/T 33190-2016), written by the project: no PyPI writer is usable.

Package layout::

    OFD.xml                       DocBody: DocInfo (metadata, CustomDatas with the content hash)
    Doc_0/Document.xml            CommonData (MaxUnitID, PageArea in mm, PublicRes, DocumentRes), Pages
    Doc_0/PublicRes.xml           Fonts -> Res/font_N.ttf (the face as a TrueType file, unused outlines emptied)
    Doc_0/DocumentRes.xml         MultiMedias -> Res/image_N.png|jpg
    Doc_0/Pages/Page_N/Content.xml  Layer of TextObject/TextCode (DeltaX), PathObject, ImageObject
    Doc_0/Attachments.xml         (when the document carries files) -> Attachments/NAME
    Doc_0/Signs/Signatures.xml    (when it carries signatures) -> Sign_N/Signature.xml, SignedValue.dat

Watermarks, attachments and the signature part are written by :mod:`app.reporting.ofd_parts`.

The content hash (``ContentSHA256``) is SHA-256 over every part except OFD.xml, taken in
name order as ``name NUL bytes NUL``: OFD.xml cannot hold its own hash, and the hash still
proves that no page, font or image changed.  :func:`content_hash` recomputes it.
"""

from __future__ import annotations

import hashlib
import io
import re
import uuid
import zipfile
from datetime import date
from pathlib import Path

from app.errors import ReportError
from app.i18n import N_
from app.reporting.fonts import FontFace, find_cjk_font
from app.reporting.layout import ImageItem, LineItem, MarkItem, Page, PageSetup, TextItem, layout
from app.reporting.model import Document, Image
from app.reporting.ofd_parts import SIGNATURES, attachment_parts, mark_xml, signature_parts
from app.reporting.output import WriteResult, finish
from app.reporting.ttf_subset import subset
from app.reporting.xml_text import HEAD, NS
from app.reporting.xml_text import attr as _attr
from app.reporting.xml_text import number as _n
from app.reporting.xml_text import text as _text

__all__ = ["CONTENT_HASH", "NS", "OfdUnreadable", "content_hash", "render_ofd", "verify_content_hash", "write_ofd"]
CONTENT_HASH = "ContentSHA256"
CREATOR = "FieldAudit"


class OfdUnreadable(ReportError):
    message = N_("The OFD file cannot be read: {reason}.")


class _Ids:
    def __init__(self) -> None:
        self.last = 0

    def next(self) -> int:
        self.last += 1
        return self.last


def _page_xml(page: Page, ids: _Ids, font_id: int, face: FontFace, images: dict[bytes, int],
              new_image: list[Image]) -> str:
    parts = [f'{HEAD}<ofd:Page xmlns:ofd="{NS}"><ofd:Area><ofd:PhysicalBox>0 0 {_n(page.width)} '
             f'{_n(page.height)}</ofd:PhysicalBox></ofd:Area><ofd:Content><ofd:Layer ID="{ids.next()}">']
    ascent = face.ascent / face.units_per_em
    for item in page.items:
        if isinstance(item, TextItem):
            advances = [face.advance(char) * item.size for char in item.text]
            top = item.y - item.size * ascent
            width = max(sum(advances), 0.1)
            deltas = " ".join(_n(value) for value in advances[:-1])
            weight = ' Weight="700"' if item.bold else ""
            delta_attr = f' DeltaX="{deltas}"' if deltas else ""
            parts.append(
                f'<ofd:TextObject ID="{ids.next()}" Boundary="{_n(item.x)} {_n(top)} {_n(width)} '
                f'{_n(item.size * 1.3)}" Font="{font_id}" Size="{_n(item.size)}"{weight}>'
                f'<ofd:FillColor Value="0 0 0"/><ofd:TextCode X="0" Y="{_n(item.size * ascent)}"'
                f'{delta_attr}>{_text(item.text)}</ofd:TextCode></ofd:TextObject>')
        elif isinstance(item, LineItem):
            half = item.width / 2
            x0, y0 = min(item.x1, item.x2) - half, min(item.y1, item.y2) - half
            w, h = abs(item.x2 - item.x1) + item.width, abs(item.y2 - item.y1) + item.width
            parts.append(
                f'<ofd:PathObject ID="{ids.next()}" Boundary="{_n(x0)} {_n(y0)} {_n(w)} {_n(h)}" '
                f'LineWidth="{_n(item.width)}" Stroke="true" Fill="false"><ofd:StrokeColor Value="0 0 0"/>'
                f'<ofd:AbbreviatedData>M {_n(item.x1 - x0)} {_n(item.y1 - y0)} L {_n(item.x2 - x0)} '
                f'{_n(item.y2 - y0)}</ofd:AbbreviatedData></ofd:PathObject>')
        elif isinstance(item, MarkItem):
            parts.append(mark_xml(item, ids.next(), font_id, face, page.width, page.height))
        elif isinstance(item, ImageItem):
            key = hashlib.sha256(item.image.data).digest()
            resource = images.get(key)
            if resource is None:
                resource = images[key] = ids.next()
                new_image.append(item.image)
            parts.append(
                f'<ofd:ImageObject ID="{ids.next()}" Boundary="{_n(item.x)} {_n(item.y)} {_n(item.width)} '
                f'{_n(item.height)}" CTM="{_n(item.width)} 0 0 {_n(item.height)} 0 0" '
                f'ResourceID="{resource}"/>')
    parts.append("</ofd:Layer></ofd:Content></ofd:Page>")
    return "".join(parts)


def content_hash(parts: dict[str, bytes]) -> str:
    digest = hashlib.sha256()
    for name in sorted(parts):
        if name == "OFD.xml":
            continue
        digest.update(name.encode("utf-8") + b"\0" + parts[name] + b"\0")
    return digest.hexdigest()


def render_ofd(document: Document, face: FontFace | None = None, setup: PageSetup | None = None,
               *, today: date | None = None) -> bytes:
    """The OFD package of ``document`` as bytes."""
    face = face or find_cjk_font()
    setup = setup or PageSetup()
    pages = layout(document, face, setup)
    ids = _Ids()
    font_id = ids.next()
    images: dict[bytes, int] = {}
    image_list: list[tuple[int, Image]] = []
    parts: dict[str, bytes] = {}
    page_refs: list[str] = []
    for number, page in enumerate(pages):
        fresh: list[Image] = []
        page_id = ids.next()
        xml = _page_xml(page, ids, font_id, face, images, fresh)
        for image in fresh:
            image_list.append((images[hashlib.sha256(image.data).digest()], image))
        parts[f"Doc_0/Pages/Page_{number}/Content.xml"] = xml.encode("utf-8")
        page_refs.append(f'<ofd:Page ID="{page_id}" BaseLoc="Pages/Page_{number}/Content.xml"/>')
    font_file = f"font_{font_id}.ttf"
    used = {face.glyph(char) for page in pages for item in page.items if isinstance(item, TextItem | MarkItem)
            for char in item.text}
    parts[f"Doc_0/Res/{font_file}"] = subset(face.sfnt, used)
    parts["Doc_0/PublicRes.xml"] = (
        f'{HEAD}<ofd:Res xmlns:ofd="{NS}" BaseLoc="Res"><ofd:Fonts><ofd:Font ID="{font_id}" '
        f'FontName={_attr(face.family)} FamilyName={_attr(face.family)}><ofd:FontFile>{font_file}'
        f'</ofd:FontFile></ofd:Font></ofd:Fonts></ofd:Res>').encode()
    media = []
    for resource, image in image_list:
        extension = "png" if image.format == "PNG" else "jpg"
        parts[f"Doc_0/Res/image_{resource}.{extension}"] = image.data
        media.append(f'<ofd:MultiMedia ID="{resource}" Type="Image" Format="{image.format}">'
                     f'<ofd:MediaFile>image_{resource}.{extension}</ofd:MediaFile></ofd:MultiMedia>')
    multimedia = f"<ofd:MultiMedias>{''.join(media)}</ofd:MultiMedias>" if media else ""
    parts["Doc_0/DocumentRes.xml"] = (
        f'{HEAD}<ofd:Res xmlns:ofd="{NS}" BaseLoc="Res">{multimedia}</ofd:Res>').encode()
    today = today or date.today()
    attached = attachment_parts(document.attachments, [ids.next() for _name in document.attachments], today)
    parts.update(attached)
    parts.update(signature_parts(document.signatures, document.attachments))
    listing = "<ofd:Attachments>Attachments.xml</ofd:Attachments>" if attached else ""
    parts["Doc_0/Document.xml"] = (
        f'{HEAD}<ofd:Document xmlns:ofd="{NS}"><ofd:CommonData><ofd:MaxUnitID>{ids.last}</ofd:MaxUnitID>'
        f'<ofd:PageArea><ofd:PhysicalBox>0 0 {_n(setup.width)} {_n(setup.height)}</ofd:PhysicalBox>'
        f'</ofd:PageArea><ofd:PublicRes>PublicRes.xml</ofd:PublicRes>'
        f'<ofd:DocumentRes>DocumentRes.xml</ofd:DocumentRes></ofd:CommonData>'
        f'<ofd:Pages>{"".join(page_refs)}</ofd:Pages>{listing}</ofd:Document>').encode()
    signed = SIGNATURES if SIGNATURES in parts else None
    parts["OFD.xml"] = _ofd_xml(document, content_hash(parts), today, signed).encode("utf-8")
    return _zip(parts)


def _ofd_xml(document: Document, digest: str, today: date, signatures: str | None) -> str:
    doc_id = document.metadata.get("id") or uuid.uuid4().hex
    custom = [(key, value) for key, value in sorted(document.metadata.items()) if key != CONTENT_HASH]
    custom.append((CONTENT_HASH, digest))
    datas = "".join(f"<ofd:CustomData Name={_attr(key)}>{_text(value)}</ofd:CustomData>"
                    for key, value in custom)
    author = f"<ofd:Author>{_text(document.author)}</ofd:Author>" if document.author else ""
    subject = f"<ofd:Subject>{_text(document.subtitle)}</ofd:Subject>" if document.subtitle else ""
    return (f'{HEAD}<ofd:OFD xmlns:ofd="{NS}" Version="1.0" DocType="OFD"><ofd:DocBody><ofd:DocInfo>'
            f"<ofd:DocID>{_text(doc_id)}</ofd:DocID><ofd:Title>{_text(document.title)}</ofd:Title>{author}"
            f"{subject}<ofd:CreationDate>{today.isoformat()}</ofd:CreationDate>"
            f"<ofd:Creator>{CREATOR}</ofd:Creator><ofd:CreatorVersion>1.0</ofd:CreatorVersion>"
            f"<ofd:CustomDatas>{datas}</ofd:CustomDatas></ofd:DocInfo>"
            f"<ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot>"
            + (f"<ofd:Signatures>{signatures}</ofd:Signatures>" if signatures else "")
            + "</ofd:DocBody></ofd:OFD>")


def _zip(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        for name in ["OFD.xml", *sorted(name for name in parts if name != "OFD.xml")]:
            # Images are compressed already; deflating them again only costs time.
            stored = name.endswith((".png", ".jpg"))
            package.writestr(name, parts[name],
                             compress_type=zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def write_ofd(document: Document, path: Path | str | None = None, face: FontFace | None = None) -> WriteResult:
    """Render ``document`` as OFD, write it to ``path`` (if given) and return its SHA-256."""
    return finish(render_ofd(document, face), "ofd", path)


def verify_content_hash(data: bytes) -> tuple[str, str]:
    """``(recorded, recomputed)`` content hashes of an OFD package; equal when untouched."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            parts = {name: package.read(name) for name in package.namelist() if not name.endswith("/")}
    except (zipfile.BadZipFile, OSError) as error:
        raise OfdUnreadable(reason=str(error)) from None
    match = re.search(rb'Name="' + CONTENT_HASH.encode() + rb'">([0-9a-f]{64})<', parts.get("OFD.xml", b""))
    return (match.group(1).decode() if match else ""), content_hash(parts)
