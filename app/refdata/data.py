"""Lazy access to the data files in ``resources/refdata``.

Each dataset is read on first use and kept for the life of the process, so
start-up pays nothing and a picker pays a few milliseconds once.  Files
pushed by the platform (newer checklist templates, extended scope-code
catalogues) live in a separate folder and are layered on top by their
loaders; the shipped files are never rewritten at run time.
"""

from __future__ import annotations

import json
import threading
from functools import cache
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parents[2] / "resources" / "refdata"

_lock = threading.Lock()


def data_path(name: str) -> Path:
    return DATA_DIR / name


@cache
def load_json(name: str) -> Any:
    """Parse one shipped data file once (thread-safe; later calls return the same object)."""
    with _lock, data_path(name).open(encoding="utf-8") as handle:
        return json.load(handle)


def reset_caches() -> None:
    """Forget everything loaded (tests and the refresh scripts use this)."""
    load_json.cache_clear()
    import importlib

    # By module path: the package re-exports a function named ``search`` over the module's name.
    for name in ("regions", "industries", "scope_codes", "catalogues", "search", "uscc"):
        importlib.import_module(f"app.refdata.{name}").clear_cache()
