"""One translation system for every layer: gettext catalogues, no Qt.

Message ids are English; the default language is Simplified Chinese.  The
``.po`` files are the source of truth and are committed; ``.mo`` files are
built from them (by the README commands, or on first use when missing or
stale) so a fresh checkout always speaks Chinese.
"""

from app.i18n.catalog import (
    DEFAULT_LANGUAGE,
    N_,
    SUPPORTED_LANGUAGES,
    current_language,
    gettext,
    language_from_environment,
    ngettext,
    set_language,
    translations,
)

_ = gettext

__all__ = [
    "DEFAULT_LANGUAGE",
    "N_",
    "SUPPORTED_LANGUAGES",
    "_",
    "current_language",
    "gettext",
    "language_from_environment",
    "ngettext",
    "set_language",
    "translations",
]
