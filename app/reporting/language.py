"""Translations for a document's language, independent of the language the UI speaks.

A lead auditor using the Chinese UI may export the English variant of a report: the
document's fixed words (labels, headings) follow the document, not ``set_language``.
The catalogues are :mod:`app.i18n`'s own (``translations``), loaded once for both.
"""

from __future__ import annotations

from collections.abc import Callable

from app.i18n import translations


def translator(language: str) -> Callable[[str], str]:
    """``gettext`` for ``language`` ("zh_CN", "zh", "en" …) without switching the UI language."""
    return translations(language).gettext
