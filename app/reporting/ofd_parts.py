"""The OFD parts beyond pages and resources: watermark text, attachments and the signature part.

* A watermark is a rotated ``TextObject`` (``CTM``) in light grey, first in the page's layer so the
  content is drawn over it.
* Attachments (GB/T 33190 clause 20): ``Doc_0/Attachments.xml`` lists each file kept under
  ``Doc_0/Attachments/``; ``Document.xml`` names the list.
* Signatures (clause 18): ``Doc_0/Signs/Signatures.xml`` lists one ``Sign_N/Signature.xml`` per
  signature of the audit, named from ``OFD.xml``'s DocBody.  Each ``SignedInfo`` gives the provider,
  the signature method and time, and references every attachment with its SHA-256 (base64), so a
  reader can check that the verification manifest was not changed; ``SignedValue`` points to the
  signature record's own value.  These are FieldAudit's signatures over the findings (checked by
  ``fieldaudit verify`` or ``python -m app.verify``), not GB/T 38540 electronic seals.
"""

from __future__ import annotations

import base64
import hashlib
import math
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from posixpath import basename

from app.reporting.fonts import FontFace
from app.reporting.layout import MARK_GREY, MarkItem
from app.reporting.model import EmbeddedSignature
from app.reporting.xml_text import HEAD, NS, attr, number, text

ATTACHMENTS_DIR = "Doc_0/Attachments"
SIGNATURES = "Doc_0/Signs/Signatures.xml"
PROVIDER = "FieldAudit"


def mark_xml(item: MarkItem, ident: int, font_id: int, face: FontFace, page_width: float,
             page_height: float) -> str:
    """The watermark as a text object whose CTM turns it about the page centre."""
    angle = math.radians(-item.angle)  # OFD's y axis points down: a negative angle rises to the right
    a, b = math.cos(angle), math.sin(angle)
    c, d = -b, a
    ascent = face.ascent / face.units_per_em * item.size
    # The text's baseline starts at the local origin; move it so its middle lands on the centre.
    x0, y0 = -item.width / 2, ascent / 2
    e, f = item.cx + a * x0 + c * y0, item.cy + b * x0 + d * y0
    ctm = " ".join(number(value) for value in (a, b, c, d, e, f))
    advances = [face.advance(char) * item.size for char in item.text]
    deltas = " ".join(number(value) for value in advances[:-1])
    delta_attr = f' DeltaX="{deltas}"' if deltas else ""
    grey = f"{MARK_GREY} {MARK_GREY} {MARK_GREY}"
    return (f'<ofd:TextObject ID="{ident}" Boundary="0 0 {number(page_width)} {number(page_height)}" '
            f'CTM="{ctm}" Font="{font_id}" Size="{number(item.size)}" Weight="700">'
            f'<ofd:FillColor Value="{grey}"/><ofd:TextCode X="0" Y="0"{delta_attr}>{text(item.text)}'
            f'</ofd:TextCode></ofd:TextObject>')


def attachment_parts(attachments: Mapping[str, bytes], ids: Sequence[int], today: date) -> dict[str, bytes]:
    """The attached files and their list (empty when there is nothing to attach)."""
    if not attachments:
        return {}
    parts: dict[str, bytes] = {}
    entries = []
    for ident, (name, content) in zip(ids, sorted(attachments.items()), strict=True):
        safe = basename(name)
        parts[f"{ATTACHMENTS_DIR}/{safe}"] = content
        kind = safe.rsplit(".", 1)[-1] if "." in safe else "bin"
        entries.append(f'<ofd:Attachment ID="{ident}" Name={attr(safe)} Format={attr(kind)} '
                       f'CreationDate="{today.isoformat()}" Size="{number(len(content) / 1024)}" Visible="true">'
                       f'<ofd:FileLoc>Attachments/{text(safe)}</ofd:FileLoc></ofd:Attachment>')
    listing = f'{HEAD}<ofd:Attachments xmlns:ofd="{NS}">{"".join(entries)}</ofd:Attachments>'
    parts["Doc_0/Attachments.xml"] = listing.encode()
    return parts


def _stamp(value: str) -> str:
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return value
    return moment.strftime("%Y%m%d%H%M%SZ") if moment.utcoffset() is not None else moment.strftime("%Y%m%d%H%M%S")


def signature_parts(signatures: Sequence[EmbeddedSignature], attachments: Mapping[str, bytes]) -> dict[str, bytes]:
    """``Signatures.xml`` and one folder per signature (empty when the document carries none)."""
    if not signatures:
        return {}
    references = "".join(
        f'<ofd:Reference FileRef={attr("/" + ATTACHMENTS_DIR + "/" + basename(name))}><ofd:CheckValue>'
        f'{base64.b64encode(hashlib.sha256(content).digest()).decode()}</ofd:CheckValue></ofd:Reference>'
        for name, content in sorted(attachments.items()))
    parts: dict[str, bytes] = {}
    listed = []
    for index, signature in enumerate(signatures):
        folder = f"Doc_0/Signs/Sign_{index}"
        listed.append(f'<ofd:Signature ID="{index + 1}" Type="Sign" BaseLoc="Sign_{index}/Signature.xml"/>')
        parts[f"{folder}/SignedValue.dat"] = signature.value.encode("utf-8")
        parts[f"{folder}/Signature.xml"] = (
            f'{HEAD}<ofd:Signature xmlns:ofd="{NS}"><ofd:SignedInfo>'
            f'<ofd:Provider ProviderName="{PROVIDER}" Version="1.0"/>'
            f"<ofd:SignatureMethod>{text(signature.algorithm or signature.method)}</ofd:SignatureMethod>"
            f"<ofd:SignatureDateTime>{text(_stamp(signature.signed_at))}</ofd:SignatureDateTime>"
            f'<ofd:References CheckMethod="SHA-256">{references}</ofd:References>'
            f"</ofd:SignedInfo><ofd:SignedValue>/{folder}/SignedValue.dat</ofd:SignedValue>"
            f"</ofd:Signature>").encode()
    parts[SIGNATURES] = (f'{HEAD}<ofd:Signatures xmlns:ofd="{NS}"><ofd:MaxSignId>{len(signatures)}</ofd:MaxSignId>'
                         f'{"".join(listed)}</ofd:Signatures>').encode()
    return parts
