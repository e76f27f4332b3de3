"""Writing OFD XML by hand: the namespace, escaping, and numbers in the short form OFD files use."""

from __future__ import annotations

import re
from xml.sax.saxutils import escape, quoteattr

NS = "http://www.ofdspec.org/2016"
HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n'
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def number(value: float) -> str:
    return f"{value:.3f}".rstrip("0").rstrip(".") or "0"


def text(value: str) -> str:
    """Element text, with the characters XML 1.0 cannot hold removed."""
    return escape(_INVALID_XML.sub("", value))


def attr(value: str) -> str:
    """A quoted attribute value, with the characters XML 1.0 cannot hold removed."""
    return quoteattr(_INVALID_XML.sub("", value))
