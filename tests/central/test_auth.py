"""Login registers the device; access tokens expire, refresh tokens rotate, both can be revoked."""

from __future__ import annotations

from datetime import datetime

from central.services.auth import REFRESH_RETRY_GRACE_S
from sync.protocol import parse_hlc
from tests.central.helpers import PASSWORD, World, login


def test_login_registers_device_and_reuses_it(world: World) -> None:
    first = login(world.client, "alice")
    again = login(world.client, "alice", device_id=first.device_id)
    assert again.device_id == first.device_id
    taken = world.client.post("/auth/login", json={"username": "bob", "password": PASSWORD,
                                                   "device": {"name": "x", "device_id": first.device_id}})
    assert taken.status_code == 403 and taken.json()["error"]["code"] == "device_taken"


def test_wrong_password_and_unknown_user_look_the_same(world: World) -> None:
    for username, password in (("alice", "wrong"), ("nobody", PASSWORD)):
        response = world.client.post("/auth/login", json={"username": username, "password": password,
                                                          "device": {"name": "d"}})
        assert response.status_code == 401 and response.json()["error"]["code"] == "invalid_credentials"


def test_expired_access_token_is_401_and_refresh_rotates(world: World) -> None:
    alice = world.device("alice")
    world.clock.advance(16 * 60)
    expired = alice.scopes()
    assert expired.status_code == 401 and expired.json()["error"]["code"] == "token_expired"
    assert expired.headers["WWW-Authenticate"].startswith("Bearer")
    refreshed = world.client.post("/auth/refresh", json={"refresh_token": alice.refresh_token})
    assert refreshed.status_code == 200
    body = refreshed.json()
    assert body["refresh_token"] != alice.refresh_token and body["device_id"] == alice.device_id
    ok = world.client.get("/sync/scopes", headers={"Authorization": f"Bearer {body['access_token']}"})
    assert ok.status_code == 200
    # The rotated-out refresh token coming back after the retry grace means a copy exists: the whole
    # login is revoked.
    world.clock.advance(REFRESH_RETRY_GRACE_S + 1)
    reused = world.client.post("/auth/refresh", json={"refresh_token": alice.refresh_token})
    assert reused.status_code == 401
    revoked = world.client.get("/sync/scopes", headers={"Authorization": f"Bearer {body['access_token']}"})
    assert revoked.status_code == 401 and revoked.json()["error"]["code"] == "token_revoked"


def test_a_retried_refresh_gets_the_same_successor_and_later_reuse_still_revokes(world: World) -> None:
    alice = world.device("alice")
    world.clock.advance(16 * 60)
    first = world.client.post("/auth/refresh", json={"refresh_token": alice.refresh_token})
    assert first.status_code == 200
    # The reply was lost: the device retries with the token it still has, a little later.
    world.clock.advance(REFRESH_RETRY_GRACE_S - 1)
    again = world.client.post("/auth/refresh", json={"refresh_token": alice.refresh_token})
    assert again.status_code == 200
    successor = again.json()["refresh_token"]
    assert successor == first.json()["refresh_token"]
    ok = world.client.get("/sync/scopes", headers={"Authorization": f"Bearer {again.json()['access_token']}"})
    assert ok.status_code == 200
    # The successor rotates as usual; the token two rotations back is just invalid (nothing revoked).
    world.clock.advance(16 * 60)
    third = world.client.post("/auth/refresh", json={"refresh_token": successor})
    assert third.status_code == 200 and third.json()["refresh_token"] not in (successor, alice.refresh_token)
    stale = world.client.post("/auth/refresh", json={"refresh_token": alice.refresh_token})
    assert stale.status_code == 401 and stale.json()["error"]["code"] == "refresh_invalid"
    # The successor presented again after the grace: someone holds a copy, the login ends.
    world.clock.advance(REFRESH_RETRY_GRACE_S + 1)
    assert world.client.post("/auth/refresh", json={"refresh_token": successor}).status_code == 401
    token = third.json()["access_token"]
    revoked = world.client.get("/sync/scopes", headers={"Authorization": f"Bearer {token}"})
    assert revoked.status_code == 401 and revoked.json()["error"]["code"] == "token_revoked"
    assert world.client.post("/auth/refresh", json={"refresh_token": third.json()["refresh_token"]}
                             ).status_code == 401


def test_refresh_token_expires(world: World) -> None:
    alice = world.device("alice")
    world.clock.advance(31 * 24 * 3600)
    response = world.client.post("/auth/refresh", json={"refresh_token": alice.refresh_token})
    assert response.status_code == 401 and response.json()["error"]["code"] == "refresh_expired"


def test_forged_tokens_are_401(world: World) -> None:
    alice = world.device("alice")
    prefix, body, mac = alice.token.split(".")
    other = world.device("lead")
    for token in (f"{prefix}.{other.token.split('.')[1]}.{mac}", "fa1.e30.AAAA", "garbage", alice.token + "x"):
        response = world.client.get("/sync/scopes", headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 401 and response.json()["error"]["code"] == "token_invalid", token
    assert world.client.get("/sync/scopes", headers={"Authorization": "Basic abc"}).status_code == 401
    assert body


def test_logout_revokes_access_and_refresh(world: World) -> None:
    alice = world.device("alice")
    assert world.client.post("/auth/logout", json={"refresh_token": alice.refresh_token}).status_code == 204
    assert alice.scopes().status_code == 401
    assert world.client.post("/auth/refresh", json={"refresh_token": alice.refresh_token}).status_code == 401


def test_responses_carry_server_time_and_hlc(world: World) -> None:
    alice = world.device("alice")
    response = alice.scopes()
    body = response.json()
    assert body["server_hlc"].endswith("-central") and body["server_time"]
    assert parse_hlc(response.headers["X-FieldAudit-Server-HLC"])[2] == "central"
    skew = datetime.fromisoformat(response.headers["X-FieldAudit-Server-Time"]).timestamp() - world.clock()
    assert abs(skew) < 1


def test_disabling_a_user_ends_every_login_at_once(world: World) -> None:
    alice, boss = world.device("alice"), world.device("admin")
    url = f"/admin/users/{world.users['alice']}"
    assert world.client.patch(url, headers=boss.headers, json={"active": False}).json()["active"] is False
    response = alice.scopes()
    assert response.status_code == 401 and response.json()["error"]["code"] in ("token_revoked", "user_disabled")
    assert world.client.post("/auth/refresh", json={"refresh_token": alice.refresh_token}).status_code == 401
    login_again = world.client.post("/auth/login", json={"username": "alice", "password": PASSWORD,
                                                         "device": {"name": "d"}})
    assert login_again.status_code == 401
    world.client.patch(url, headers=boss.headers, json={"active": True, "password": "a brand new secret"})
    assert login(world.client, "alice", "a brand new secret").scopes().status_code == 200
    missing = world.client.patch("/admin/users/nobody", headers=boss.headers, json={"active": False})
    assert missing.status_code == 404
    assert world.client.patch(url, headers=alice.headers, json={"active": True}).status_code == 401
