"""Schemathesis drives every operation of the committed OpenAPI spec against the app: never a 500."""

from __future__ import annotations

import atexit
import shutil
import tempfile
from pathlib import Path
from typing import Any

import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from central.api.app import create_app
from central.config import Settings
from central.openapi import SPEC_PATH
from tests.central.helpers import Clock, build_world, login

# Schemathesis needs the application when the module is collected, so it is built here (SQLite, a
# throwaway folder) with a small world in it: the generated requests reach real records and rules.
_FOLDER = Path(tempfile.mkdtemp(prefix="fa-fuzz-"))
atexit.register(shutil.rmtree, _FOLDER, True)
_CLOCK = Clock()
APP = create_app(Settings(db_url=f"sqlite:///{_FOLDER / 'fuzz.sqlite3'}", password_cost=(2**10, 8, 1),
                          now=_CLOCK, max_body_bytes=64 * 1024))
_CLIENT = TestClient(APP)
WORLD = build_world(_CLIENT, _CLOCK)
TOKENS = {"admin": login(_CLIENT, "admin").headers, "lead": login(_CLIENT, "lead").headers}

schema = schemathesis.openapi.from_path(SPEC_PATH)
schema.app = APP


@schema.parametrize()
@settings(max_examples=15, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
def test_no_server_errors(case: schemathesis.Case[Any]) -> None:
    who = "admin" if case.path.startswith("/admin") else "lead"
    case.call_and_validate(headers=TOKENS[who], checks=[not_a_server_error])
