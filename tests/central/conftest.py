"""Fixtures: every platform test runs against SQLite and PostgreSQL (a throwaway cluster if needed)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from central.api.app import create_app
from central.config import Settings
from tests.central import pg
from tests.central.helpers import Clock, World, build_world

FAST_COST = (2**10, 8, 1)


@pytest.fixture(scope="session")
def pg_admin_url() -> Iterator[str]:
    import os

    url = os.environ.get(pg.PG_URL_ENV)
    if url:
        yield url
        return
    bindir = pg.find_bindir()
    if bindir is None:
        pytest.skip("PostgreSQL binaries (initdb, postgres) are not installed and FIELDAUDIT_PG_URL is not set")
    with pg.cluster(bindir) as admin_url:
        yield admin_url


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'central.sqlite3'}"
        return
    admin_url = request.getfixturevalue("pg_admin_url")
    with pg.fresh_database(admin_url) as url:
        yield url


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def settings(db_url: str, clock: Clock) -> Settings:
    return Settings(db_url=db_url, password_cost=FAST_COST, now=clock, max_body_bytes=256 * 1024)


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    app = create_app(settings)
    with TestClient(app) as test_client:
        yield test_client
    app.state.platform.db.dispose()


@pytest.fixture
def world(client: TestClient, clock: Clock) -> World:
    return build_world(client, clock)
