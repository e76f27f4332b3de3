"""PySide6's check of every imported module, answered from the module's file.

Once PySide6 is imported, it asks of each module imported afterwards whether its source mentions
"PySide6" (to scope ``from __feature__ import snake_case``; PYSIDE-2029).  It reads the source through
``inspect.getsource``, ~0.25 ms a module: 36 ms of the desktop start-up, which imports ~150 modules
after Qt.  Reading the file's bytes gives the same answer for a tenth of the cost.  Anything that is not
a plain ``.py`` file on disk still goes to PySide6's own check.

This replaces a function inside ``shibokensupport``, which is not public API: if a PySide6 release
renames it, :func:`install` does nothing and start-up is only slower (tests/ui/test_pyside_import_check.py
notices).  FieldAudit itself uses no ``__feature__``.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from types import ModuleType

_FEATURE_MODULE = "shibokensupport.feature"


def _file_check(original: Callable[[ModuleType], bool]) -> Callable[[ModuleType], bool]:
    def uses_pyside(module: ModuleType) -> bool:
        path = getattr(module, "__file__", None)
        if not isinstance(path, str) or not path.endswith(".py"):
            return original(module)
        try:
            with open(path, "rb") as source:
                return b"PySide6" in source.read()
        except OSError:
            return original(module)

    uses_pyside.fieldaudit_original = original  # type: ignore[attr-defined]
    return uses_pyside


def install() -> bool:
    """Use the file check from now on; True when it is in place (also when it already was)."""
    import PySide6.QtCore  # noqa: F401  (loads shibokensupport.feature)

    feature = sys.modules.get(_FEATURE_MODULE)
    original = getattr(feature, "_mod_uses_pyside", None)
    if feature is None or not callable(original):
        return False
    if not hasattr(original, "fieldaudit_original"):
        feature._mod_uses_pyside = _file_check(original)  # type: ignore[attr-defined]
    return True
