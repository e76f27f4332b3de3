"""The real platform behind a real socket: uvicorn on 127.0.0.1 in a background thread, SQLite file."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from central.api.app import create_app
from central.config import Settings
from tests.central.helpers import Clock, World, build_world


@dataclass
class LivePlatform:
    url: str
    app: Any
    world: World

    @property
    def platform(self) -> Any:
        return self.app.state.platform


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def live_platform(folder: Path) -> Iterator[LivePlatform]:
    import uvicorn

    clock = Clock()
    app = create_app(Settings(db_url=f"sqlite:///{folder / 'central.sqlite3'}", password_cost=(2**10, 8, 1),
                              now=clock))
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning",
                                           lifespan="off"))
    thread = threading.Thread(target=server.run, name="uvicorn", daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the platform did not start")
        time.sleep(0.02)
    try:
        # Accounts and audits are made in-process on the same app; devices talk to it over the socket.
        world = build_world(TestClient(app), clock)
        yield LivePlatform(f"http://127.0.0.1:{port}", app, world)
    finally:
        server.should_exit = True
        thread.join(timeout=20)
        app.state.platform.db.dispose()
