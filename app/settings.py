"""User settings: one typed model saved as TOML in the per-user config folder.

The desktop app, the sync engine and the CLI all read the same file.  Secrets
never live here (the data key is in the OS keyring, tokens belong to sync's own
credential store); window geometry is Qt's business and stays in QSettings.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Literal

import platformdirs
import tomli_w
from pydantic import Field, ValidationError, field_validator

from app.domain.base import DomainModel, invalid, validation_failed
from app.errors import FieldAuditError
from app.i18n import N_
from app.store.atomic import atomic_write_bytes

APP_NAME = "FieldAudit"
SETTINGS_ENV = "FIELDAUDIT_SETTINGS"


class SettingsUnreadable(FieldAuditError):
    message = N_("The settings file {path} cannot be read ({detail}); the defaults are used.")


class EvidencePrivacy(DomainModel):
    """What leaves the laptop with a photo."""

    strip_gps: bool = False
    blur_faces_on_export: bool = False
    sensitive_by_default: bool = False


class Settings(DomainModel):
    platform_url: str = Field(default="", max_length=500)
    sync_interval_minutes: int = Field(default=15, ge=1, le=1440)
    auto_lock_minutes: float = Field(default=10.0, gt=0, le=480)
    language: Literal["zh_CN", "en"] = "zh_CN"
    # The user's id on the central platform: it says which team role and clauses are "mine".
    user_id: str = Field(default="", max_length=64)
    evidence: EvidencePrivacy = Field(default_factory=EvidencePrivacy)

    @field_validator("platform_url")
    @classmethod
    def _url(cls, value: str) -> str:
        if value and not value.startswith(("https://", "http://")):
            raise invalid(N_("the address must start with https:// (or http:// for a local test platform)."))
        return value.rstrip("/")


def default_path() -> Path:
    override = os.environ.get(SETTINGS_ENV)
    if override:
        return Path(override)
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)) / "settings.toml"


def load(path: Path | None = None) -> Settings:
    """The saved settings, or the defaults when there is no file.

    Raises :class:`SettingsUnreadable` for a damaged file and ``ValidationFailed``
    for values out of range, so the caller can tell the user and go on with defaults.
    """
    target = path or default_path()
    try:
        raw = tomllib.loads(target.read_text("utf-8"))
    except FileNotFoundError:
        return Settings()
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise SettingsUnreadable(path=str(target), detail=type(error).__name__) from None
    try:
        return Settings.model_validate(raw)
    except ValidationError as error:
        raise validation_failed(error) from None


def load_or_default(path: Path | None = None) -> tuple[Settings, FieldAuditError | None]:
    """Never fails: the settings and the problem that made us fall back to defaults, if any."""
    try:
        return load(path), None
    except FieldAuditError as error:
        return Settings(), error


def save(settings: Settings, path: Path | None = None) -> Path:
    target = path or default_path()
    target.parent.mkdir(parents=True, exist_ok=True)
    data = settings.model_dump(mode="json")
    atomic_write_bytes(target, tomli_w.dumps(data).encode("utf-8"))
    return target
