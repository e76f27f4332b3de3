"""User settings: one typed model saved as TOML in the per-user config folder.

The desktop app, the sync engine and the CLI all read the same file.  Secrets
never live here (the data key is in the OS keyring, tokens belong to sync's own
credential store); window geometry is Qt's business and stays in QSettings.

The desktop app reads the settings before its first paint, so this module imports neither pydantic
nor the domain nor the store (together ~0.25 s of the start-up).  Values of the right type within the
limits are taken as they are; anything else (a string where a number belongs, an unknown key, a value
out of range) goes through the pydantic model below, the one source of the rules and of the
translated reasons, which is built only then.
"""

from __future__ import annotations

import copy
import dataclasses
import functools
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import platformdirs

from app.errors import FieldAuditError
from app.i18n import N_

if TYPE_CHECKING:
    from pydantic import BaseModel

APP_NAME = "FieldAudit"
SETTINGS_ENV = "FIELDAUDIT_SETTINGS"
LANGUAGES = ("zh_CN", "en")
URL_PREFIXES = ("https://", "http://")
MAX_URL = 500
MAX_USER_ID = 64
# The limits both the quick check and the pydantic schema below apply (one source for each bound).
SYNC_INTERVAL_RANGE = (1, 1440)
MAX_AUTO_LOCK = 480


class SettingsUnreadable(FieldAuditError):
    message = N_("The settings file {path} cannot be read ({detail}); the defaults are used.")


@dataclass(frozen=True)
class EvidencePrivacy:
    """What leaves the laptop with a photo."""

    strip_gps: bool = False
    blur_faces_on_export: bool = False
    sensitive_by_default: bool = False

    def __post_init__(self) -> None:
        if not all(type(getattr(self, f.name)) is bool for f in dataclasses.fields(self)):
            values = _validated({"evidence": dataclasses.asdict(self)})["evidence"]
            for name, value in dataclasses.asdict(values).items():
                object.__setattr__(self, name, value)

    def model_dump(self, mode: str = "python") -> dict[str, Any]:
        return dataclasses.asdict(self)


@dataclass(frozen=True)
class Settings:
    """Validated on construction (``Settings(...)``, ``Settings.model_validate(data)``); raises
    ``ValidationFailed`` with translated, field-named reasons."""

    platform_url: str = ""
    sync_interval_minutes: int = 15
    auto_lock_minutes: float = 10.0
    language: Literal["zh_CN", "en"] = "zh_CN"
    # The user's id on the central platform: it says which team role and clauses are "mine".
    user_id: str = ""
    evidence: EvidencePrivacy = field(default_factory=EvidencePrivacy)

    def __post_init__(self) -> None:
        given = {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}
        for name, value in _validated(given).items():
            object.__setattr__(self, name, value)

    @classmethod
    def model_validate(cls, data: Mapping[str, Any]) -> Settings:
        return cls(**_validated(data))

    def model_dump(self, mode: str = "python") -> dict[str, Any]:
        return dataclasses.asdict(self)

    def model_copy(self, *, update: Mapping[str, Any] | None = None) -> Settings:
        """A copy with ``update`` applied as given (like pydantic's ``model_copy``: not validated)."""
        copied = copy.copy(self)
        for name, value in (update or {}).items():
            object.__setattr__(copied, name, value)
        return copied


def _plain_text(value: object, limit: int) -> str | None:
    if type(value) is not str:
        return None
    text = value.strip()
    return text if len(text) <= limit else None


def _quick(data: Mapping[str, Any]) -> dict[str, Any] | None:
    """The validated values when every given value is already of its type and within its limits, else None."""
    out: dict[str, Any] = {}
    for name, value in data.items():
        if name == "platform_url":
            url = _plain_text(value, MAX_URL)
            if url is None or (url and not url.startswith(URL_PREFIXES)):
                return None
            out[name] = url.rstrip("/")
        elif name == "user_id":
            user = _plain_text(value, MAX_USER_ID)
            if user is None:
                return None
            out[name] = user
        elif name == "sync_interval_minutes":
            if type(value) is not int or not SYNC_INTERVAL_RANGE[0] <= value <= SYNC_INTERVAL_RANGE[1]:
                return None
            out[name] = value
        elif name == "auto_lock_minutes":
            if type(value) not in (int, float) or not 0 < value <= MAX_AUTO_LOCK:
                return None
            out[name] = float(value)
        elif name == "language":
            if type(value) is not str or value not in LANGUAGES:
                return None
            out[name] = value
        elif name == "evidence":
            if isinstance(value, EvidencePrivacy):
                out[name] = value
                continue
            names = {f.name for f in dataclasses.fields(EvidencePrivacy)}
            if not isinstance(value, Mapping) or not set(value) <= names \
                    or not all(type(flag) is bool for flag in value.values()):
                return None
            out[name] = EvidencePrivacy(**value)
        else:
            return None
    return out


def _validated(data: Mapping[str, Any]) -> dict[str, Any]:
    quick = _quick(data)
    if quick is not None:
        return quick
    from pydantic import ValidationError

    from app.domain.base import validation_failed

    plain = {name: dataclasses.asdict(value) if isinstance(value, EvidencePrivacy) else value
             for name, value in data.items()}
    try:
        checked = _schema().model_validate(plain)
    except ValidationError as error:
        raise validation_failed(error) from None
    values = checked.model_dump()
    if "evidence" in values:
        values["evidence"] = EvidencePrivacy(**values["evidence"])
    return values


@functools.cache
def _schema() -> type[BaseModel]:
    """The rules as a pydantic model (built on first need): coercion, limits and translated reasons."""
    from pydantic import Field, field_validator

    from app.domain.base import DomainModel, invalid

    class EvidencePrivacyModel(DomainModel):
        strip_gps: bool = False
        blur_faces_on_export: bool = False
        sensitive_by_default: bool = False

    class SettingsModel(DomainModel):
        platform_url: str = Field(default="", max_length=MAX_URL)
        sync_interval_minutes: int = Field(default=15, ge=SYNC_INTERVAL_RANGE[0], le=SYNC_INTERVAL_RANGE[1])
        auto_lock_minutes: float = Field(default=10.0, gt=0, le=MAX_AUTO_LOCK)
        language: Literal["zh_CN", "en"] = "zh_CN"
        user_id: str = Field(default="", max_length=MAX_USER_ID)
        evidence: EvidencePrivacyModel = Field(default_factory=EvidencePrivacyModel)

        @field_validator("platform_url")
        @classmethod
        def _url(cls, value: str) -> str:
            if value and not value.startswith(URL_PREFIXES):
                raise invalid(N_("the address must start with https:// (or http:// for a local test platform)."))
            return value.rstrip("/")

    return SettingsModel


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
    return Settings.model_validate(raw)


def load_or_default(path: Path | None = None) -> tuple[Settings, FieldAuditError | None]:
    """Never fails: the settings and the problem that made us fall back to defaults, if any."""
    try:
        return load(path), None
    except FieldAuditError as error:
        return Settings(), error


def save(settings: Settings, path: Path | None = None) -> Path:
    import tomli_w

    from app.store.atomic import atomic_write_bytes

    target = path or default_path()
    target.parent.mkdir(parents=True, exist_ok=True)
    data = settings.model_dump(mode="json")
    atomic_write_bytes(target, tomli_w.dumps(data).encode("utf-8"))
    return target
