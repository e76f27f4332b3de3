"""The certification body's signature suite: a platform setting, told to clients who ask in the scopes reply."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from central.cli import main
from central.config import SIGNATURE_SUITE_ENV, ConfigError, Settings
from sync.protocol import SIGNATURE_SUITES, ScopesResponse, SignatureSuite
from tests.central.conftest import FAST_COST
from tests.central.helpers import Clock, World
from tests.central.test_cli_server import CENTRAL


@pytest.fixture(params=[None, "national"], ids=["default", "national"])
def configured(request: pytest.FixtureRequest) -> SignatureSuite | None:
    """The suite given to the platform; None: none given."""
    value: SignatureSuite | None = request.param
    return value


@pytest.fixture
def settings(configured: SignatureSuite | None, db_url: str, clock: Clock,
             monkeypatch: pytest.MonkeyPatch) -> Settings:
    monkeypatch.delenv(SIGNATURE_SUITE_ENV, raising=False)
    if configured is None:
        return Settings(db_url=db_url, password_cost=FAST_COST, now=clock)
    return Settings(db_url=db_url, password_cost=FAST_COST, now=clock, signature_suite=configured)


def test_the_scopes_reply_carries_the_configured_suite(world: World, configured: str | None) -> None:
    alice = world.device("alice")
    asked = world.client.get("/sync/scopes", headers=alice.headers, params={"suite": "true", "heads": "true"})
    assert asked.status_code == 200, asked.text
    assert asked.json()["signature_suite"] == (configured or "international")
    assert ScopesResponse.model_validate(asked.json()).signature_suite == (configured or "international")
    # Not asked: the reply stays what clients from before the field existed parse (they refuse unknown fields).
    for params in ({}, {"heads": "true"}):
        plain = world.client.get("/sync/scopes", headers=alice.headers, params=params).json()
        assert "signature_suite" not in plain


def test_a_reply_without_the_field_means_international() -> None:
    older = {"server_time": "2026-01-01T00:00:00Z", "server_hlc": "001767225600000-00000-platform",
             "user_id": "u1", "scopes": []}
    assert ScopesResponse.model_validate(older).signature_suite == "international"


def test_the_environment_sets_the_default_and_a_typo_is_refused(monkeypatch: pytest.MonkeyPatch,
                                                                  tmp_path: Path,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    url = f"sqlite:///{tmp_path / 'c.sqlite3'}"
    monkeypatch.delenv(SIGNATURE_SUITE_ENV, raising=False)
    assert Settings(db_url=url).signature_suite == "international"
    monkeypatch.setenv(SIGNATURE_SUITE_ENV, "national")
    assert Settings(db_url=url).signature_suite == "national"
    assert Settings(db_url=url, signature_suite="international").signature_suite == "international"
    monkeypatch.setenv(SIGNATURE_SUITE_ENV, "sm9")
    with pytest.raises(ConfigError, match="sm9"):
        Settings(db_url=url)
    # The server refuses to start (one line, no traceback) rather than fail every scopes reply.  A process
    # with a time limit: were the check gone, ``serve`` would run until stopped.
    env = {**os.environ, SIGNATURE_SUITE_ENV: "sm9"}
    refused = subprocess.run([*CENTRAL, "serve", "--db", url, "--port", "1"], capture_output=True, text=True,
                             env=env, timeout=120, check=False)
    assert refused.returncode == 2 and "Traceback" not in refused.stderr
    assert refused.stderr.startswith("fieldaudit-central: 'sm9' is not a signature suite")
    with pytest.raises(SystemExit) as wrong:
        main(["serve", "--db", url, "--signature-suite", "sm9"])
    assert wrong.value.code == 2 and "invalid choice: 'sm9'" in capsys.readouterr().err


def test_the_wire_suites_are_the_clients() -> None:
    from app.verify.suites import SUITES

    assert SIGNATURE_SUITES == SUITES
