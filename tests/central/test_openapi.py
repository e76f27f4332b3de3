"""docs/sync-api.yaml is generated from the application and must be current."""

from __future__ import annotations

import yaml

from central.openapi import SPEC_PATH, render


def test_committed_spec_is_current() -> None:
    current = render()
    committed = SPEC_PATH.read_text(encoding="utf-8")
    assert committed == current, "docs/sync-api.yaml is stale: run `.venv/bin/python -m central.openapi`"


def test_spec_documents_the_sync_protocol() -> None:
    spec = yaml.safe_load(SPEC_PATH.read_text(encoding="utf-8"))
    paths = spec["paths"]
    for path in ("/auth/login", "/auth/refresh", "/sync/scopes", "/sync/push", "/sync/pull", "/sync/snapshot",
                 "/sync/conflicts", "/admin/audits", "/admin/audits/{audit_id}/team/{user_id}"):
        assert path in paths, path
    assert "410" in paths["/sync/pull"]["get"]["responses"]
    assert "426" in paths["/sync/push"]["post"]["responses"]
    mutation = spec["components"]["schemas"]["Mutation"]
    assert mutation["additionalProperties"] is False
    assert set(mutation["required"]) >= {"mutation_id", "device_id", "device_seq", "audit_id", "entity",
                                         "entity_id", "op", "base_rev", "hlc", "schema_version"}
