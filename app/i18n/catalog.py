"""Loading and switching gettext catalogues."""

from __future__ import annotations

import gettext as _gettext
import os
import threading
from collections.abc import Mapping
from pathlib import Path

DEFAULT_LANGUAGE = "zh_CN"
SUPPORTED_LANGUAGES = ("zh_CN", "en")
LOCALE_DIR = Path(__file__).resolve().parents[2] / "resources" / "locale"

_lock = threading.Lock()
_state: dict[str, _gettext.NullTranslations] = {}
_language = DEFAULT_LANGUAGE


def N_(message: str) -> str:
    """Mark a string for extraction without translating it now (translated when shown)."""
    return message


def language_from_environment(environ: Mapping[str, str] | None = None) -> str:
    """Chinese unless the user's locale variables ask for English.

    ``LANGUAGE``/``LC_ALL``/``LC_MESSAGES``/``LANG`` are read in the order gettext
    reads them; anything that is not English (including ``C``/``POSIX``) keeps the
    product default, Simplified Chinese.
    """
    env = os.environ if environ is None else environ
    explicit = env.get("FIELDAUDIT_LANG")
    if explicit:
        return normalise_language(explicit)
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(name, "")
        if value:
            first = value.split(":")[0]
            if first.lower().startswith("en"):
                return "en"
            if first.lower().startswith("zh"):
                return "zh_CN"
    return DEFAULT_LANGUAGE


def normalise_language(value: str) -> str:
    lowered = value.strip().lower().replace("-", "_")
    if lowered.startswith("en"):
        return "en"
    return "zh_CN"


def catalogue_dir(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES"


def po_files(language: str) -> list[Path]:
    """One ``.po`` per area of the product (core, refdata, sync, ui, reports...).

    Splitting by area keeps catalogues small and lets areas evolve separately;
    they are chained into one translation object, so callers see one system.
    """
    folder = catalogue_dir(language)
    return sorted(folder.glob("*.po")) if folder.exists() else []


def compile_catalogue(po: Path) -> Path:
    """Build the ``.mo`` beside one ``.po`` (written to a temp file, then renamed)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    mo = po.with_suffix(".mo")
    with po.open("rb") as handle:
        catalogue = read_po(handle)
    tmp = mo.with_suffix(f".mo.{os.getpid()}.tmp")
    with tmp.open("wb") as handle:
        write_mo(handle, catalogue)
    os.replace(tmp, mo)
    return mo


def compile_all() -> list[Path]:
    return [compile_catalogue(po) for language in SUPPORTED_LANGUAGES for po in po_files(language)]


def _load_one(po: Path) -> _gettext.NullTranslations | None:
    mo = po.with_suffix(".mo")
    if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
        try:
            compile_catalogue(po)
        except OSError:
            # A read-only install ships its .mo files; use what is there.
            if not mo.exists():
                return None
    with mo.open("rb") as handle:
        return _gettext.GNUTranslations(handle)


def _load(language: str) -> _gettext.NullTranslations:
    chain: _gettext.NullTranslations = _gettext.NullTranslations()
    for po in po_files(language):
        loaded = _load_one(po)
        if loaded is not None:
            loaded.add_fallback(chain)
            chain = loaded
    return chain


def translations(language: str) -> _gettext.NullTranslations:
    """The catalogues of ``language`` ("zh_CN", "zh", "en" …), loaded once and shared.

    For text whose language is not the UI's (a report exported in English from the Chinese UI).
    """
    code = normalise_language(language)
    with _lock:
        found = _state.get(code)
        if found is None:
            found = _load(code)
            _state[code] = found
        return found


def _translations() -> _gettext.NullTranslations:
    return translations(_language)


def set_language(language: str) -> str:
    """Switch every layer's messages to ``language``; returns the normalised code."""
    global _language
    code = normalise_language(language)
    with _lock:
        _language = code
    return code


def current_language() -> str:
    return _language


def gettext(message: str) -> str:
    return _translations().gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    return _translations().ngettext(singular, plural, count)


set_language(language_from_environment())
