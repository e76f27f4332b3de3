"""A small platform world for tests: accounts, two audits, logged-in devices that build mutations."""

from __future__ import annotations

import itertools
import time
from dataclasses import dataclass, field
from typing import Any

from fastapi.testclient import TestClient

from app.domain import ChecklistItem, Finding
from app.domain.ids import new_id
from central.api.schemas import CreateUserRequest
from central.services import admin
from sync.protocol import SCHEMA_VERSION, format_hlc
from tests.factories import audit_data, make_finding, make_item

PASSWORD = "correct-horse-battery"


class Clock:
    """Settable time for the platform (token expiry without sleeping)."""

    def __init__(self) -> None:
        self.t = time.time()

    def __call__(self) -> float:
        return self.t

    def advance(self, seconds: float) -> None:
        self.t += seconds


# Device clocks a little behind the platform's (it clamps stamps more than 5 minutes ahead), ticking
# 100 ms per stamp so the order of calls is the HLC order.
_wall = itertools.count(time.time_ns() // 1_000_000 - 3_600_000, 100)


@dataclass
class Device:
    """One logged-in device: its tokens, its device sequence and its hybrid logical clock."""

    client: TestClient
    username: str
    token: str
    refresh_token: str
    device_id: str
    user_id: str
    seq: int = 0
    last_results: list[dict[str, Any]] = field(default_factory=list)

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    def hlc(self, wall: int | None = None) -> str:
        return format_hlc(wall if wall is not None else next(_wall), 0, self.device_id)

    def mutation(self, audit_id: str, entity: str, entity_id: str, op: str, base_rev: int,
                 fields: dict[str, Any] | None = None, *, hlc: str | None = None,
                 mutation_id: str | None = None) -> dict[str, Any]:
        self.seq += 1
        return {"mutation_id": mutation_id or new_id(), "device_id": self.device_id, "device_seq": self.seq,
                "audit_id": audit_id, "entity": entity, "entity_id": entity_id, "op": op, "base_rev": base_rev,
                "fields": fields or {}, "hlc": hlc or self.hlc(), "schema_version": SCHEMA_VERSION}

    def push_raw(self, *mutations: dict[str, Any]) -> Any:
        return self.client.post("/sync/push", headers=self.headers, json={
            "schema_version": SCHEMA_VERSION, "device_id": self.device_id, "mutations": list(mutations)})

    def push(self, *mutations: dict[str, Any]) -> list[dict[str, Any]]:
        response = self.push_raw(*mutations)
        assert response.status_code == 200, response.text
        self.last_results = response.json()["results"]
        return self.last_results

    def push_one(self, mutation: dict[str, Any]) -> dict[str, Any]:
        return self.push(mutation)[0]

    def pull(self, scope: str, cursor: int = 0, limit: int = 200) -> Any:
        return self.client.get("/sync/pull", headers=self.headers,
                               params={"scope": scope, "cursor": cursor, "limit": limit})

    def pull_all(self, scope: str, cursor: int = 0) -> tuple[list[dict[str, Any]], int]:
        changes: list[dict[str, Any]] = []
        while True:
            response = self.pull(scope, cursor, limit=50)
            assert response.status_code == 200, response.text
            body = response.json()
            changes += body["changes"]
            cursor = body["cursor"]
            if not body["has_more"]:
                return changes, cursor

    def snapshot(self, scope: str) -> Any:
        return self.client.get("/sync/snapshot", headers=self.headers, params={"scope": scope})

    def scopes(self) -> Any:
        return self.client.get("/sync/scopes", headers=self.headers)

    def conflicts(self, scope: str) -> Any:
        return self.client.get("/sync/conflicts", headers=self.headers, params={"scope": scope})

    # -- record builders (the client's own domain models, dumped as the client sends them) -------
    def create_item(self, audit_id: str, **overrides: Any) -> tuple[str, dict[str, Any]]:
        item = make_item(audit_id, **overrides).model_dump(mode="json")
        result = self.push_one(self.mutation(audit_id, "checklist_item", item["id"], "create", 0, item))
        assert result["status"] == "applied", result
        return item["id"], item

    def create_finding(self, audit_id: str, **overrides: Any) -> tuple[str, dict[str, Any]]:
        finding = make_finding(audit_id, **overrides).model_dump(mode="json")
        result = self.push_one(self.mutation(audit_id, "finding", finding["id"], "create", 0, finding))
        assert result["status"] == "applied", result
        return finding["id"], finding


def login(client: TestClient, username: str, password: str = PASSWORD, device_id: str | None = None) -> Device:
    device: dict[str, Any] = {"name": f"{username}-laptop", "platform": "test"}
    if device_id:
        device["device_id"] = device_id
    response = client.post("/auth/login", json={"username": username, "password": password, "device": device})
    assert response.status_code == 200, response.text
    body = response.json()
    return Device(client, username, body["access_token"], body["refresh_token"], body["device_id"],
                  body["user_id"])


@dataclass
class World:
    client: TestClient
    clock: Clock
    users: dict[str, str]
    audit_a: str
    audit_b: str

    def device(self, username: str) -> Device:
        return login(self.client, username)


ACCOUNTS = [("admin", "platform_admin"), ("lead", "lead_auditor"), ("alice", "auditor"), ("bob", "auditor"),
            ("observer", "auditor"), ("other_lead", "lead_auditor"), ("rep", "auditee"),
            ("other_rep", "auditee")]


def build_world(client: TestClient, clock: Clock) -> World:
    platform = client.app.state.platform  # type: ignore[attr-defined]
    users: dict[str, str] = {}
    with platform.db.write() as conn:
        for username, role in ACCOUNTS:
            users[username] = admin.create_user(conn, CreateUserRequest(
                username=username, display_name=username.title(), role=role,  # type: ignore[arg-type]
                password=PASSWORD, competence_codes=["17"]), platform.settings.password_cost).id
    boss = login(client, "admin")
    audits = []
    for title in ("A", "B"):
        response = client.post("/admin/audits", headers=boss.headers, json={**audit_data(title=title), "team": []})
        assert response.status_code == 201, response.text
        audits.append(response.json()["audit_id"])
    a, b = audits
    for audit, username, role in [(a, "lead", "lead"), (a, "alice", "auditor"), (a, "bob", "auditor"),
                                  (a, "observer", "observer"), (a, "rep", "auditee"),
                                  (b, "other_lead", "lead"), (b, "other_rep", "auditee")]:
        response = client.put(f"/admin/audits/{audit}/team/{users[username]}", headers=boss.headers,
                              json={"role": role})
        assert response.status_code == 200, response.text
    return World(client, clock, users, a, b)


def find_record(changes: list[dict[str, Any]], entity: str, entity_id: str) -> dict[str, Any] | None:
    """The last change of one record in a pulled feed, if any."""
    found = [c for c in changes if c["entity"] == entity and c["entity_id"] == entity_id]
    return found[-1] if found else None


def record_of(changes: list[dict[str, Any]], entity: str, entity_id: str) -> dict[str, Any]:
    found = find_record(changes, entity, entity_id)
    assert found is not None, f"no {entity} {entity_id} in the feed"
    return found


__all__ = ["ChecklistItem", "Clock", "Device", "Finding", "World", "build_world", "find_record", "login",
           "record_of"]
