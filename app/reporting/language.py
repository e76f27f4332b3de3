"""Translations for a document's language, independent of the language the UI speaks.

A lead auditor using the Chinese UI may export the English variant of a report: the
document's fixed words (labels, headings) follow the document, not ``set_language``.
Built from the same gettext catalogues as :mod:`app.i18n` (public helpers only).
"""

from __future__ import annotations

import gettext as _gettext
from collections.abc import Callable
from functools import lru_cache

from app.i18n.catalog import compile_catalogue, normalise_language, po_files


@lru_cache(maxsize=4)
def _catalogue(language: str) -> _gettext.NullTranslations:
    chain: _gettext.NullTranslations = _gettext.NullTranslations()
    for po in po_files(language):
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            try:
                compile_catalogue(po)
            except OSError:
                if not mo.exists():
                    continue
        with mo.open("rb") as handle:
            loaded = _gettext.GNUTranslations(handle)
        loaded.add_fallback(chain)
        chain = loaded
    return chain


def translator(language: str) -> Callable[[str], str]:
    """``gettext`` for ``language`` ("zh_CN", "zh", "en" …) without switching the UI language."""
    return _catalogue(normalise_language(language)).gettext
