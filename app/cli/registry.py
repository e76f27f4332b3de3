"""The app-level command modules, in the order they appear in ``--help``."""

from __future__ import annotations

import importlib
from types import ModuleType

APP_COMMANDS = (
    "app.cli.profile",
    "app.cli.audits",
    "app.cli.verify",
    "app.cli.check_code",
    "app.cli.evidence",
    "app.cli.documents",
    "app.cli.conclusions",
    "app.cli.findings",
)


def command_modules(names: tuple[str, ...] = APP_COMMANDS) -> list[ModuleType]:
    found: list[ModuleType] = []
    for name in names:
        try:
            found.append(importlib.import_module(name))
        except ModuleNotFoundError as error:
            # Areas still being built are simply absent; a broken import inside one is a bug.
            if error.name != name:
                raise
    return found
