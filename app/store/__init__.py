"""Encrypted local store: SQLCipher, migrations, repositories and the single write path."""

from app.store.profile import ProfileLock, ProfilePaths, default_profile_dir
from app.store.store import Store
from app.store.unit_of_work import UnitOfWork

__all__ = ["ProfileLock", "ProfilePaths", "Store", "UnitOfWork", "default_profile_dir"]
