"""The console script: seed-demo prints accounts; serve runs a real uvicorn server on loopback."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

CENTRAL = [sys.executable, "-m", "central.cli"]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(CENTRAL + args, capture_output=True, text=True, env=env, timeout=120, check=False)


@pytest.mark.slow
def test_seed_demo_then_serve_then_login_and_sync(db_url: str, tmp_path: Path) -> None:
    env = {**os.environ, "HOME": str(tmp_path), "XDG_DATA_HOME": str(tmp_path / "data")}
    seeded = _run(["seed-demo", "--db", db_url, "--json"], env)
    assert seeded.returncode == 0, seeded.stderr
    demo = json.loads(seeded.stdout)
    lead = next(a for a in demo["accounts"] if a["username"] == "wangfang")
    again = _run(["seed-demo", "--db", db_url], env)
    assert again.returncode == 1 and "already" in again.stderr and "Traceback" not in again.stderr
    port = _free_port()
    server = subprocess.Popen([*CENTRAL, "serve", "--db", db_url, "--host", "127.0.0.1", "--port", str(port),
                               "--signature-suite", "national"],
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert server.poll() is None, server.stderr.read() if server.stderr else ""
            assert time.monotonic() < deadline
            time.sleep(0.2)
        tokens = httpx.post(f"{base}/auth/login", json={"username": "wangfang", "password": lead["password"],
                                                        "device": {"name": "laptop"}}).json()
        headers = {"Authorization": f"Bearer {tokens['access_token']}"}
        scopes = httpx.get(f"{base}/sync/scopes", headers=headers).json()["scopes"]
        assert len(scopes) == 2 and {s["role"] for s in scopes} == {"lead"}
        told = httpx.get(f"{base}/sync/scopes", headers=headers, params={"suite": "true"}).json()
        assert told["signature_suite"] == "national"
        snap = httpx.get(f"{base}/sync/snapshot", headers=headers, params={"scope": scopes[0]["audit_id"]}).json()
        pulled = httpx.get(f"{base}/sync/pull", headers=headers,
                           params={"scope": scopes[0]["audit_id"], "limit": 1000}).json()
        live = {r["entity_id"] for r in snap["records"]}
        assert live == {c["entity_id"] for c in pulled["changes"]}
    finally:
        server.terminate()
        server.wait(timeout=20)


def test_plain_seed_output_lists_roles_and_passwords(tmp_path: Path) -> None:
    env = {**os.environ, "HOME": str(tmp_path), "XDG_DATA_HOME": str(tmp_path / "data")}
    done = _run(["seed-demo", "--db", f"sqlite:///{tmp_path / 'c.sqlite3'}"], env)
    assert done.returncode == 0, done.stderr
    for word in ("platform_admin", "lead_auditor", "auditor", "auditee", "password:"):
        assert word in done.stdout


def test_create_user_bootstraps_an_admin_who_can_log_in(tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    from central.api.app import create_app
    from central.config import Settings

    db = f"sqlite:///{tmp_path / 'c.sqlite3'}"
    env = {**os.environ, "FIELDAUDIT_CENTRAL_PASSWORD": "a long enough secret"}
    made = _run(["create-user", "--db", db, "--username", "root", "--display-name", "Root",
                 "--role", "platform_admin"], env)
    assert made.returncode == 0, made.stderr
    short = _run(["create-user", "--db", db, "--username", "x", "--display-name", "X", "--role", "auditor"],
                 {**env, "FIELDAUDIT_CENTRAL_PASSWORD": "short"})
    assert short.returncode == 1 and "password" in short.stderr and "Traceback" not in short.stderr
    taken = _run(["create-user", "--db", db, "--username", "root", "--display-name", "R", "--role", "auditor"], env)
    assert taken.returncode == 1 and "taken" in taken.stderr
    app = create_app(Settings(db_url=db))
    with TestClient(app) as client:
        response = client.post("/auth/login", json={"username": "root", "password": "a long enough secret",
                                                    "device": {"name": "console"}})
        assert response.status_code == 200 and response.json()["role"] == "platform_admin"
    app.state.platform.db.dispose()
