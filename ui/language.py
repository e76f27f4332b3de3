"""Live language switching: gettext for our text, Qt's own catalogue for its standard dialogs."""

from __future__ import annotations

from PySide6.QtCore import QLibraryInfo, QLocale, QObject, QTranslator, Signal
from PySide6.QtWidgets import QApplication

from app.i18n import current_language, set_language
from ui.signals import emit

# Qt's catalogues for its own dialogs (buttons of QMessageBox, QFileDialog...).
QT_CATALOGUES = ("qtbase",)
# Installed on the one QApplication, whichever Language object installed them.
_installed: list[QTranslator] = []


def qt_translations_dir() -> str:
    return QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)


class Language(QObject):
    """The one place the language changes; views connect ``changed`` to their ``retranslate``."""

    changed = Signal(str)

    def __init__(self, app: QApplication) -> None:
        super().__init__(app)
        self._app = app

    @property
    def code(self) -> str:
        return current_language()

    def apply(self, language: str) -> str:
        code = set_language(language)
        for translator in _installed:
            self._app.removeTranslator(translator)
        _installed.clear()
        if code != "en":
            for name in QT_CATALOGUES:
                translator = QTranslator(self._app)
                if translator.load(f"{name}_{code}", qt_translations_dir()):
                    self._app.installTranslator(translator)
                    _installed.append(translator)
        locale = QLocale(QLocale.Language.Chinese, QLocale.Country.China) if code == "zh_CN" else \
            QLocale(QLocale.Language.English, QLocale.Country.UnitedKingdom)
        # Dates and numbers in Qt widgets follow the chosen language, not the machine's locale.
        QLocale.setDefault(locale)
        emit(self.changed, code)
        return code

    @property
    def qt_catalogues_loaded(self) -> int:
        return len(_installed)

