"""The suite the certification body chose reaches the profile with the scopes reply, and what signs uses it."""

from __future__ import annotations

import json
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from app.cli.main import run as fieldaudit
from app.services.session import SIGNATURE_SUITE, create_profile
from app.verify.package import MANIFEST
from central.config import SIGNATURE_SUITE_ENV, Settings
from sync import state
from tests.central.conftest import FAST_COST as SERVER_COST
from tests.central.helpers import Clock, World
from tests.conftest import FAST_COST, PASSPHRASE
from tests.factories import make_audit
from tests.sync.helpers import older_platform


@pytest.fixture
def settings(db_url: str, clock: Clock, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """A platform whose certification body chose the Chinese national suite."""
    monkeypatch.delenv(SIGNATURE_SUITE_ENV, raising=False)
    return Settings(db_url=db_url, password_cost=SERVER_COST, now=clock, signature_suite="national")


@pytest.fixture
def meta_writes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The meta keys the sync layer writes (each still written, through the real function)."""
    written: list[str] = []
    real = state.set_meta

    def recording(uow: Any, key: str, value: Any) -> None:
        written.append(key)
        real(uow, key, value)

    monkeypatch.setattr(state, "set_meta", recording)
    return written


def test_after_a_sync_the_profile_knows_the_platforms_suite(devices: Callable[..., Any], world: World,
                                                            meta_writes: list[str]) -> None:
    alice = devices("alice")
    assert alice.session.signature_suite is None and alice.session.signing_suite == "international"
    alice.sync()
    assert alice.session.signature_suite == "national" and alice.session.signing_suite == "national"
    assert meta_writes.count(SIGNATURE_SUITE) == 1
    # Unchanged: an idle round does not write it again.
    del meta_writes[:]
    alice.sync()
    assert meta_writes and SIGNATURE_SUITE not in meta_writes
    # The certification body switches: the next full scopes reply brings it.
    world.client.app.state.platform.settings.signature_suite = "international"  # type: ignore[attr-defined]
    alice.sync()
    assert alice.session.signature_suite == "international" and meta_writes.count(SIGNATURE_SUITE) == 1


def _without_suite(inner: Any) -> Any:
    """A platform from before the suite was sent: its scopes reply has no ``signature_suite``."""

    def drop(body: dict[str, Any]) -> None:
        assert body.pop("signature_suite") == "national"  # the client did ask

    return older_platform(inner, drop)


def test_a_platform_that_does_not_say_means_international(devices: Callable[..., Any]) -> None:
    alice = devices("alice", wrap=_without_suite)
    alice.sync()
    assert alice.session.signature_suite == "international"


def _trail_suite(profile: Path, audit_id: str, out: Path, *extra: str) -> str:
    assert fieldaudit(["--profile", str(profile), "export-trail", audit_id, "--out", str(out), *extra]) == 0
    with zipfile.ZipFile(out) as package:
        return str(json.loads(package.read(MANIFEST))["suite"])


def test_export_trail_signs_with_the_profiles_suite_unless_told(devices: Callable[..., Any], world: World,
                                                                tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    alice = devices("alice")
    alice.sync()
    alice.close()  # the command opens the profile itself
    monkeypatch.setenv("FIELDAUDIT_PASSPHRASE", "device passphrase")
    assert _trail_suite(alice.root, world.audit_a, tmp_path / "told.zip") == "national"
    assert _trail_suite(alice.root, world.audit_a, tmp_path / "asked.zip", "--suite", "international") == \
        "international"
    # A profile no platform has told yet.
    alone = tmp_path / "alone"
    audit = make_audit(title="离线审核")
    with create_profile(alone, PASSPHRASE, cost=FAST_COST) as session, \
            session.store.unit_of_work("local") as uow:
        uow.create(audit)
    monkeypatch.setenv("FIELDAUDIT_PASSPHRASE", PASSPHRASE)
    assert _trail_suite(alone, audit.id, tmp_path / "alone.zip") == "international"
