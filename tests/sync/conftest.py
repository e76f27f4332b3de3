"""Real platform (in-process FastAPI app on SQLite or PostgreSQL) and real encrypted client stores."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.services.session import Session, create_profile
from sync.engine import SyncEngine
from sync.transport import Reply
from tests.central.conftest import client, clock, db_url, pg_admin_url, settings, world  # noqa: F401
from tests.central.helpers import PASSWORD, World
from tests.conftest import FAST_COST


class TestClientTransport:
    """The engine's Transport over FastAPI's TestClient: the real app, no sockets."""

    def __init__(self, client: TestClient) -> None:  # noqa: F811
        self.client = client
        self.calls: list[tuple[str, str]] = []

    def send(self, method: str, path: str, *, json_body: Any = None, params: dict[str, Any] | None = None,
             token: str | None = None) -> Reply:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        self.calls.append((method, path))
        response = self.client.request(method, path, json=json_body, params=params, headers=headers)
        return Reply(response.status_code, response.content)

    def send_raw(self, method: str, path: str, *, data: bytes = b"", params: dict[str, Any] | None = None,
                 headers: dict[str, str] | None = None, token: str | None = None) -> Reply:
        sent = {**(headers or {}), **({"Authorization": f"Bearer {token}"} if token else {})}
        self.calls.append((method, path))
        response = self.client.request(method, path, content=data or None, params=params, headers=sent)
        return Reply(response.status_code, response.content)


class Device:
    """One auditor's laptop: an encrypted profile logged in to the platform."""

    def __init__(self, root: Path, client: TestClient, username: str,  # noqa: F811
                 wrap: Callable[[TestClientTransport], Any] | None = None) -> None:
        self.root = root
        self.username = username
        self.transport = TestClientTransport(client)
        self._wrap = wrap
        self.session: Session = create_profile(root, "device passphrase", cost=FAST_COST)
        self.engine = self._engine()
        self.engine.login("http://platform.test", username, PASSWORD)

    def _engine(self) -> SyncEngine:
        transport = self._wrap(self.transport) if self._wrap else self.transport
        return SyncEngine(self.session, transport_factory=lambda _url: transport, page_size=7, push_batch=5)

    def sync(self) -> Any:
        return self.engine.run_once()

    def reopen(self) -> None:
        """Close and reopen the profile, as after a crash or a restart."""
        from app.services.session import open_profile

        self.session.close()
        self.session = open_profile(self.root, passphrase="device passphrase")
        self.engine = self._engine()

    @property
    def store(self) -> Any:
        return self.session.store

    def close(self) -> None:
        self.session.close()


@pytest.fixture
def devices(tmp_path: Path, client: TestClient, world: World) -> Iterator[Callable[..., Device]]:  # noqa: F811
    made: list[Device] = []

    def make(username: str, wrap: Callable[[TestClientTransport], Any] | None = None) -> Device:
        device = Device(tmp_path / f"{username}-{len(made)}", client, username, wrap)
        made.append(device)
        return device

    yield make
    for device in made:
        device.close()
