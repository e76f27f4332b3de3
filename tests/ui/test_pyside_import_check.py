"""The start-up shortcut for PySide6's per-import source scan gives PySide6's own answers."""

from __future__ import annotations

import sys
import types
from pathlib import Path

from ui import pyside_import_check


def _check() -> types.FunctionType:
    assert pyside_import_check.install(), "PySide6 renamed its import check: the start-up shortcut is gone"
    return sys.modules["shibokensupport.feature"]._mod_uses_pyside  # type: ignore[no-any-return]


def _module_from(path: Path) -> types.ModuleType:
    module = types.ModuleType(path.stem)
    module.__file__ = str(path)
    return module


def test_it_is_installed_once_and_keeps_pysides_check_for_the_rest() -> None:
    check = _check()
    assert hasattr(check, "fieldaudit_original")
    assert _check() is check  # installing again does not wrap the wrapper


def test_answers_match_pysides_own_check(tmp_path: Path) -> None:
    check = _check()
    original = check.fieldaudit_original  # type: ignore[attr-defined]
    uses = tmp_path / "uses_qt.py"
    uses.write_text("from PySide6.QtCore import QObject\n", encoding="utf-8")
    plain = tmp_path / "plain.py"
    plain.write_text("import json\n# 现场审核\n", encoding="utf-8")
    missing = _module_from(tmp_path / "gone.py")
    cases = [_module_from(uses), _module_from(plain), missing, sys, types.ModuleType("no_file")]
    import ui.app
    import ui.theme

    cases += [ui.app, ui.theme]
    for module in cases:
        assert check(module) == original(module), module
    assert check(_module_from(uses)) is True
    assert check(_module_from(plain)) is False
