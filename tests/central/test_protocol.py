"""The wire models stay standalone and describe exactly the client's domain records."""

from __future__ import annotations

import subprocess
import sys

import pytest

from app.domain import ENTITY_TYPES
from sync.protocol import ENTITIES, RECORD_MODELS, SCHEMA_VERSION, Mutation, format_hlc, parse_hlc, policy_for
from sync.protocol.records import CORRECTIVE_ACTION_FIELDS


def test_protocol_imports_nothing_of_the_application() -> None:
    code = ("import sys, sync.protocol; bad = sorted(m for m in sys.modules if m.split('.')[0] in "
            "('app', 'central', 'ui', 'PySide6', 'fastapi', 'sqlalchemy')); print(','.join(bad))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == ""


@pytest.mark.parametrize("entity", ENTITIES)
def test_wire_record_fields_match_the_domain_model(entity: str) -> None:
    assert set(RECORD_MODELS[entity].model_fields) == set(ENTITY_TYPES[entity].model_fields)


def test_schema_version_matches_the_client_outbox() -> None:
    from app.store.outbox import WIRE_SCHEMA_VERSION

    assert SCHEMA_VERSION == WIRE_SCHEMA_VERSION


def test_corrective_action_fields_exist_on_findings() -> None:
    assert set(ENTITY_TYPES["finding"].model_fields) >= CORRECTIVE_ACTION_FIELDS
    assert policy_for("finding").auditee_fields == CORRECTIVE_ACTION_FIELDS
    assert policy_for("signature").append_only and "sign" in policy_for("signature").create_ops


def test_hlc_text_orders_like_the_clock() -> None:
    stamps = [format_hlc(5, 2, "dev-b"), format_hlc(5, 10, "dev-a"), format_hlc(12, 0, "dev-a")]
    assert sorted(stamps) == stamps
    assert parse_hlc(stamps[1]) == (5, 10, "dev-a")
    with pytest.raises(ValueError):
        parse_hlc("yesterday")


def test_client_outbox_hlc_is_a_valid_wire_hlc() -> None:
    from app.store.hlc import Timestamp

    text = str(Timestamp(1_795_000_000_000, 3, "01a21a45-0e2d-7103-9afd-c7a9213c63de"))
    Mutation(mutation_id="m1", device_id="d1", device_seq=1, audit_id="a", entity="finding", entity_id="f",
             op="patch", base_rev=1, fields={}, hlc=text, schema_version=SCHEMA_VERSION)
