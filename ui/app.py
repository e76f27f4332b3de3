"""Starting the desktop application: ``fieldaudit`` with no arguments lands here."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QMessageBox

from ui import pyside_import_check

# Before the app's own ~150 modules load: each would otherwise pay PySide6's slow source scan.
pyside_import_check.install()

from app.i18n import _  # noqa: E402
from ui import fonts, theme  # noqa: E402

log = logging.getLogger(__name__)


def create_application(argv: list[str] | None = None) -> QApplication:
    """The QApplication with the product's identity, style and a CJK font in place."""
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        app = existing
    else:
        # Fractional scaling (125 %, 150 %) is common on office laptops: keep text crisp and sized right.
        QGuiApplication.setHighDpiScaleFactorRoundingPolicy(Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
        app = QApplication(argv if argv is not None else sys.argv[:1])
    app.setApplicationName("FieldAudit")
    app.setOrganizationName("FieldAudit")
    app.setApplicationDisplayName("FieldAudit")
    theme.apply(app)
    # Dark and light follow the system, also when the user switches while the app runs.
    if not app.property("fieldaudit-theme-hooked"):
        QGuiApplication.styleHints().colorSchemeChanged.connect(lambda _scheme: theme.apply(app))
        app.setProperty("fieldaudit-theme-hooked", True)
    family = fonts.ensure_cjk_font()
    if family is not None:
        app.setFont(fonts.apply_ui_font(app.font(), family))
    return app


def warn_missing_cjk_font() -> None:
    # Bilingual on purpose: without a CJK font the Chinese half cannot be read.
    QMessageBox.warning(None, "FieldAudit", _(
        "No Chinese font was found, so Chinese text would show as boxes. Install one "
        "(Debian/Ubuntu: sudo apt install fonts-wqy-microhei) and restart FieldAudit.")
        + "\n\nNo Chinese font was found. Install fonts-wqy-microhei or fonts-noto-cjk.")


def run_desktop(profile_dir: str | None) -> int:
    """Show the unlock screen for ``profile_dir`` (default: the per-user profile) and run until quit."""
    from app.store.profile import default_profile_dir
    from ui.app_controller import AppController

    logging.basicConfig(level=logging.WARNING)
    app = create_application()
    if not fonts.cjk_families():
        warn_missing_cjk_font()
    root = Path(profile_dir).expanduser() if profile_dir else default_profile_dir()
    controller = AppController(app, root)
    controller.start()
    try:
        return int(app.exec())
    finally:
        controller.shutdown()
