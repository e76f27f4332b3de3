"""Encrypted local store: SQLCipher, migrations, repositories and the single write path.

The names are loaded on first use (PEP 562): ``app.store.profile`` (paths, the profile lock) and
``app.store.atomic`` are needed before the desktop app's first paint, the store itself (SQLCipher,
the domain models) only once the profile is unlocked.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from app.store.profile import ProfileLock, ProfilePaths, default_profile_dir
    from app.store.store import Store
    from app.store.unit_of_work import UnitOfWork

_WHERE = {
    "ProfileLock": "app.store.profile",
    "ProfilePaths": "app.store.profile",
    "default_profile_dir": "app.store.profile",
    "Store": "app.store.store",
    "UnitOfWork": "app.store.unit_of_work",
}

__all__ = ["ProfileLock", "ProfilePaths", "Store", "UnitOfWork", "default_profile_dir"]


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value
