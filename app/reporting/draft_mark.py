"""A "DRAFT" watermark across every page of a Word document (a draft report must not pass for a final one).

Word draws watermarks as a VML text shape anchored in the page header (what Word's own
*Design → Watermark* writes); LibreOffice shows the same shape.  The PDF and OFD writers mark a
draft in the title and on every page's footer instead (see ``report_builder``).
"""

from __future__ import annotations

import io
from typing import Any
from xml.sax.saxutils import quoteattr

import docx
from docx.oxml import parse_xml

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
V = "urn:schemas-microsoft-com:vml"
O = "urn:schemas-microsoft-com:office:office"  # noqa: E741 - the VML office namespace's usual prefix


# Word's definition of the "plain text" WordArt shape (#136); readers need it to draw the text.
_TEXT_SHAPE = (
    '<v:shapetype id="_x0000_t136" coordsize="21600,21600" o:spt="136" adj="10800" '
    'path="m@7,l@8,m@5,21600l@6,21600e"><v:formulas>'
    + "".join(f'<v:f eqn="{eqn}"/>' for eqn in (
        "sum #0 0 10800", "prod #0 2 1", "sum 21600 0 @1", "sum 0 0 @2", "sum 21600 0 @3", "if @0 @3 0",
        "if @0 21600 @1", "if @0 0 @2", "if @0 @4 21600", "mid @5 @6", "mid @8 @5", "mid @7 @8", "mid @6 @7",
        "sum @6 0 @5"))
    + '</v:formulas><v:path textpathok="t" o:connecttype="custom" '
    'o:connectlocs="@9,0;@10,10800;@11,21600;@12,10800" o:connectangles="270,180,90,0"/>'
    '<v:textpath on="t" fitshape="t"/><v:handles><v:h position="#0,bottomRight" xrange="6629,14971"/>'
    '</v:handles><o:lock v:ext="edit" text="t" shapetype="t"/></v:shapetype>')


def _watermark_run(text: str, number: int) -> Any:
    style = ("position:absolute;margin-left:0;margin-top:0;width:440pt;height:110pt;rotation:315;"
             "z-index:-251654144;mso-position-horizontal:center;mso-position-horizontal-relative:margin;"
             "mso-position-vertical:center;mso-position-vertical-relative:margin")
    return parse_xml(
        f'<w:r xmlns:w="{W}" xmlns:v="{V}" xmlns:o="{O}"><w:pict>{_TEXT_SHAPE}'
        f'<v:shape id="FieldAuditDraftMark{number}" o:spid="_x0000_s{2049 + number}" type="#_x0000_t136" '
        f'style="{style}" o:allowincell="f" fillcolor="#c0c0c0" stroked="f">'
        f'<v:fill opacity=".45"/><v:textpath style="font-family:&quot;SimHei&quot;;font-size:1pt" '
        f'on="t" fitshape="t" string={quoteattr(text)}/></v:shape></w:pict></w:r>')


def watermark_docx(data: bytes, text: str) -> bytes:
    """``data`` (a .docx) with ``text`` written large and diagonally behind every page."""
    word = docx.Document(io.BytesIO(data))
    headers = []
    for index, section in enumerate(word.sections):
        if index == 0 or not section.header.is_linked_to_previous:
            headers.append(section.header)
        if section.different_first_page_header_footer:
            headers.append(section.first_page_header)
    for number, header in enumerate(headers, start=1):
        paragraph = header.paragraphs[0] if header.paragraphs else header.add_paragraph()
        paragraph._p.append(_watermark_run(text, number))
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()
