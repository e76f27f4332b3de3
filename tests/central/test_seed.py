"""The demo platform: valid codes, and every seeded record validates as the client's domain models."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from app.domain import ENTITY_TYPES
from app.refdata import check_industry, check_region, check_uscc
from central.services.seed import seed_demo
from tests.central.helpers import login


def _seed(client: TestClient) -> dict[str, Any]:
    platform = client.app.state.platform  # type: ignore[attr-defined]
    return seed_demo(platform.db, platform.hlc, platform.settings.password_cost)


def test_every_seeded_record_is_a_valid_domain_record_and_round_trips(client: TestClient) -> None:
    demo = _seed(client)
    accounts = {a["username"]: a for a in demo["accounts"]}
    assert {a["role"] for a in demo["accounts"]} == {"platform_admin", "lead_auditor", "auditor", "auditee"}
    seen: dict[str, int] = {}
    types: set[str] = set()
    standards: set[str] = set()
    for username in ("wangfang", "liqiang"):
        lead = login(client, username, accounts[username]["password"])
        for scope in lead.scopes().json()["scopes"]:
            records = lead.snapshot(scope["audit_id"]).json()["records"]
            for record in records:
                model = ENTITY_TYPES[record["entity"]]
                parsed = model.model_validate(record["data"])
                # Byte-for-byte the shape the client itself would send.
                assert parsed.model_dump(mode="json") == record["data"], record["entity"]
                seen[record["entity"]] = seen.get(record["entity"], 0) + 1
                if record["entity"] == "audit":
                    types.add(record["data"]["audit_type"])
                    standards.update(record["data"]["standards"])
                    client_org = record["data"]["client"]
                    assert check_uscc(client_org["uscc"]).valid
                    assert check_region(client_org["region_code"]).valid
                    assert check_industry(client_org["industry_code"]).valid
                    roles = {m["role"] for m in record["data"]["team"]}
                    assert "lead" in roles and "auditor" in roles
                    assert all(m["competence_codes"] for m in record["data"]["team"])
    assert seen["audit"] == 3 and seen["checklist_item"] > 20 and seen["finding"] == 4 and seen["evidence"] == 4
    assert types == {"stage2", "surveillance", "recertification"}
    assert standards == {"ISO 9001:2015", "ISO 14001:2015", "ISO 45001:2018"}


def test_each_representative_sees_only_its_own_audit(client: TestClient) -> None:
    demo = _seed(client)
    audits = set()
    for account in demo["accounts"]:
        if account["role"] != "auditee":
            continue
        rep = login(client, account["username"], account["password"])
        scopes = rep.scopes().json()["scopes"]
        assert [s["role"] for s in scopes] == ["auditee"]
        audits.add(scopes[0]["audit_id"])
        snap = rep.snapshot(scopes[0]["audit_id"]).json()["records"]
        assert all(not (r["entity"] == "evidence" and r["data"] and r["data"]["sensitive"]) for r in snap)
        assert "checklist_item" not in {r["entity"] for r in snap}
    assert len(audits) == 3


def test_seeding_twice_is_refused(client: TestClient) -> None:
    import pytest

    from central.errors import ApiError

    _seed(client)
    with pytest.raises(ApiError) as error:
        _seed(client)
    assert error.value.code == "already_seeded"
