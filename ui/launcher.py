"""The ``fieldaudit`` entry point: the desktop app with no arguments, the CLI otherwise."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from types import ModuleType


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    only_profile = len(arguments) == 2 and arguments[0] == "--profile"
    if not arguments or only_profile:
        from ui.app import run_desktop

        return run_desktop(arguments[1] if only_profile else None)
    from app.cli.main import run

    return run(arguments, extra_modules=_network_commands())


def _network_commands() -> list[ModuleType]:
    import importlib

    try:
        return [importlib.import_module("sync.cli")]
    except ModuleNotFoundError as error:
        if error.name != "sync.cli":
            raise
        return []


if __name__ == "__main__":
    sys.exit(main())
