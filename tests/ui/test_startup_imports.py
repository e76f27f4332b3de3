"""What the desktop app's start-up imports (see docs/ui.md, "Start-up"): guards, not timings.

The unlock screen and the audit list are shown without pydantic, the domain models, the keyring
or sync; the settings take values of the right type as they are and leave the rest to the
pydantic rules, so both paths must agree.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from app.errors import ValidationFailed
from app.settings import EvidencePrivacy, Settings, _schema

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("pydantic", "app.domain.base", "app.domain.audit", "keyring", "sync.state", "PySide6.QtPdf",
         "PySide6.QtSvg")


def _imported_after(statement: str) -> list[str]:
    code = f"import sys, json\n{statement}\nprint(json.dumps(sorted(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True,
                          env={"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin"})
    modules = set(json.loads(done.stdout.strip().splitlines()[-1]))
    return [name for name in HEAVY if name in modules]


def test_unlock_screen_modules_stay_light() -> None:
    assert _imported_after("import app.settings, ui.app, ui.app_controller") == []


def test_audit_list_path_stays_light() -> None:
    statement = ("import app.services.session, app.store.store, ui.queries, ui.audit_list_controller, "
                 "ui.audit_list_view")
    assert _imported_after(statement) == []


GOOD: list[dict[str, Any]] = [
    {},
    {"platform_url": " https://cb.example.cn/ ", "sync_interval_minutes": 5, "auto_lock_minutes": 3,
     "language": "en", "user_id": " u-zhang ", "evidence": {"strip_gps": True}},
    {"auto_lock_minutes": "5", "sync_interval_minutes": "7"},  # coerced by the pydantic rules
    {"evidence": {"strip_gps": 1, "blur_faces_on_export": "yes"}},
    {"auto_lock_minutes": 480, "sync_interval_minutes": 1440, "platform_url": "http://localhost:8000"},
    {"sync_interval_minutes": True},  # pydantic's lax mode reads it as 1: so do the settings
]
BAD: list[dict[str, Any]] = [
    {"platform_url": "ftp://x"}, {"sync_interval_minutes": 0}, {"auto_lock_minutes": 0},
    {"auto_lock_minutes": 481}, {"language": "fr"}, {"unknown": 1}, {"evidence": {"other": True}},
    {"user_id": "x" * 65}, {"auto_lock_minutes": "soon"},
]


@pytest.mark.parametrize("data", GOOD)
def test_settings_accept_what_the_rules_accept(data: dict[str, Any]) -> None:
    expected = _schema().model_validate(data).model_dump()
    assert Settings.model_validate(data).model_dump() == expected


@pytest.mark.parametrize("data", BAD)
def test_settings_refuse_what_the_rules_refuse(data: dict[str, Any]) -> None:
    with pytest.raises(ValidationFailed) as refused:
        Settings.model_validate(data)
    assert refused.value.problems


def test_settings_construct_and_copy_like_the_model() -> None:
    settings = Settings(platform_url="https://cb.example.cn/", evidence=EvidencePrivacy(strip_gps=True))
    assert settings.platform_url == "https://cb.example.cn" and settings.evidence.strip_gps
    assert settings.model_copy(update={"user_id": "u-li"}).user_id == "u-li"
    assert Settings.model_validate(settings.model_dump(mode="json")) == settings
