"""A push reads its records at once and writes each changed record once at commit: same answers, same feed."""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa

from central.db.tables import changes, records
from central.services import recordstore
from sync.protocol import SCHEMA_VERSION
from tests.central.helpers import World
from tests.factories import make_item


def _row(world: World, entity: str, entity_id: str) -> dict[str, object]:
    platform = world.client.app.state.platform  # type: ignore[attr-defined]
    with platform.db.read() as conn:
        return dict(conn.execute(sa.select(records).where(records.c.entity == entity,
                                                          records.c.entity_id == entity_id)).mappings().one())


def _feed(world: World, entity_id: str) -> list[tuple[int, object]]:
    platform = world.client.app.state.platform  # type: ignore[attr-defined]
    with platform.db.read() as conn:
        rows = conn.execute(sa.select(changes.c.rev, changes.c.data).where(changes.c.entity_id == entity_id)
                            .order_by(changes.c.seq)).all()
    return [(int(rev), data["notes"] if isinstance(data, dict) else None) for rev, data in rows]


def test_one_batch_creating_and_editing_a_record_many_times_stores_the_last_state(world: World) -> None:
    alice = world.device("alice")
    item_id, _ = alice.create_item(world.audit_a, notes="v0")
    # ``fresh`` is created inside the batch, then edited and deleted in it.
    fresh = make_item(world.audit_a, clause="9.9", notes="n0").model_dump(mode="json")
    batch = [alice.mutation(world.audit_a, "checklist_item", item_id, "patch", 1, {"notes": f"v{n}"})
             for n in range(1, 4)]
    batch += [alice.mutation(world.audit_a, "checklist_item", fresh["id"], "create", 0, fresh),
              alice.mutation(world.audit_a, "checklist_item", fresh["id"], "patch", 1, {"notes": "n1"}),
              alice.mutation(world.audit_a, "checklist_item", fresh["id"], "delete", 2)]
    results = alice.push(*batch)
    assert [(r["status"], r["rev"]) for r in results] == [("applied", 2), ("applied", 3), ("applied", 4),
                                                          ("applied", 1), ("applied", 2), ("applied", 3)]
    stored = _row(world, "checklist_item", item_id)
    assert stored["rev"] == 4 and stored["data"]["notes"] == "v3"  # type: ignore[index]
    assert stored["field_meta"]["notes"]["rev"] == 4  # type: ignore[index]
    assert _feed(world, item_id) == [(1, "v0"), (2, "v1"), (3, "v2"), (4, "v3")]
    gone = _row(world, "checklist_item", fresh["id"])
    assert gone["deleted"] is True and gone["rev"] == 3
    assert _feed(world, fresh["id"]) == [(1, "n0"), (2, "n1"), (3, None)]


def test_a_rolled_back_write_leaves_nothing_for_the_next_one(world: World) -> None:
    alice = world.device("alice")
    item_id, _ = alice.create_item(world.audit_a, notes="kept")
    db = world.client.app.state.platform.db  # type: ignore[attr-defined]
    with pytest.raises(RuntimeError), db.write() as conn:
        recordstore.prefetch(conn, [("checklist_item", item_id)])
        doomed = recordstore.load(conn, "checklist_item", item_id)
        assert doomed is not None and doomed.data is not None
        doomed.rev += 1
        doomed.data = {**doomed.data, "notes": "rolled back"}
        recordstore.save(conn, doomed, device=None, mutation_id=None, created=False)
        raise RuntimeError("the request failed after the write")
    # The next transaction (on the same pooled connection) neither sees the copies nor flushes the rows.
    with db.write() as conn:
        again = recordstore.load(conn, "checklist_item", item_id)
        assert again is not None and again.data is not None
        assert (again.rev, again.data["notes"]) == (1, "kept")
    assert _row(world, "checklist_item", item_id)["rev"] == 1
    assert _feed(world, item_id) == [(1, "kept")]


def test_records_are_stored_as_compact_utf8_and_a_lone_surrogate_is_refused_not_a_500(world: World) -> None:
    alice = world.device("alice")
    item_id, _ = alice.create_item(world.audit_a, notes="现场记录")
    platform = world.client.app.state.platform  # type: ignore[attr-defined]
    with platform.db.read() as conn:
        stored = conn.execute(sa.select(sa.cast(records.c.data, sa.Text)).where(records.c.entity_id == item_id)
                              ).scalar_one()
    assert "现场记录" in stored  # not \u73b0... (three times longer, and slower to write)
    # Valid JSON, but no text: refused with the field named, and the stored record is untouched.
    body = {"schema_version": SCHEMA_VERSION, "device_id": alice.device_id, "mutations": [
        alice.mutation(world.audit_a, "checklist_item", item_id, "patch", 1, {"notes": "a\ud800b"})]}
    response = world.client.post("/sync/push", headers={**alice.headers, "Content-Type": "application/json"},
                                 content=json.dumps(body))  # ASCII JSON: "\ud800" travels escaped
    assert response.status_code == 200, response.text
    result = response.json()["results"][0]
    assert (result["status"], result["error"]["code"]) == ("rejected", "invalid_record")
    assert "notes" in result["error"]["message"]
    assert _row(world, "checklist_item", item_id)["data"]["notes"] == "现场记录"  # type: ignore[index]


def test_the_platforms_json_text_keeps_what_utf8_cannot_hold_escaped() -> None:
    from central.db.engine import _json_text

    assert _json_text({"a": "审核", "b": [1, 2]}) == '{"a":"审核","b":[1,2]}'
    assert json.loads(_json_text({"a": "x\ud800"})) == {"a": "x\ud800"}
    _json_text({"a": "x\ud800"}).encode("utf-8")  # storable
