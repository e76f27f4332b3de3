"""Whole-system checks after a final clean sync: convergence with the platform, no lost or doubled change,
no resurrection.  The platform's own tables are the authority on what it accepted."""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

import sqlalchemy as sa

from central.db.tables import changes, mutations
from central.db.tables import records as records_table
from tests.sync.helpers import USER_ENTITIES, records

ACCEPTED = frozenset({"applied", "lww_lost", "conflict"})


class Recorder:
    """Innermost transport wrapper: every mutation that actually reached the platform, by id."""

    def __init__(self, inner: Any, sent: dict[str, dict[str, Any]]) -> None:
        self.inner = inner
        self.sent = sent

    def send(self, method: str, path: str, **kwargs: Any) -> Any:
        if path == "/sync/push" and kwargs.get("json_body"):
            for mutation in kwargs["json_body"]["mutations"]:
                known = self.sent.setdefault(mutation["mutation_id"], mutation)
                assert known == mutation, "a mutation id was sent with different content"
        return self.inner.send(method, path, **kwargs)


def platform_state(platform: Any, audit_id: str) -> dict[str, Any]:
    with platform.db.read() as conn:
        rows = conn.execute(sa.select(records_table).where(records_table.c.audit_id == audit_id)).mappings().all()
        feed = conn.execute(sa.select(changes).where(changes.c.audit_id == audit_id).order_by(changes.c.seq)
                            ).mappings().all()
        stored = conn.execute(sa.select(mutations).where(mutations.c.audit_id == audit_id)).mappings().all()
    return {"records": [dict(r) for r in rows], "feed": [dict(r) for r in feed],
            "results": {str(r["mutation_id"]): dict(r["result"]) for r in stored}}


def check_devices_match_platform(devices: list[Any], server: dict[str, Any], audit_id: str) -> None:
    expected = {(r["entity"], r["entity_id"]): (None if r["deleted"] else r["data"], bool(r["deleted"]))
                for r in server["records"]}
    everything = (*USER_ENTITIES, "conflict", "history")
    for device in devices:
        mine = records(device.store, audit_id, everything)
        diff = [(k, mine.get(k), expected.get(k)) for k in sorted(set(mine) | set(expected))
                if mine.get(k) != expected.get(k)]
        assert diff == [], (device.username, diff[:3])
        assert device.store.pending_mutations() == 0, device.username


def check_nothing_applied_twice(sent: dict[str, dict[str, Any]], server: dict[str, Any]) -> None:
    counted = Counter((c["mutation_id"], c["entity"], c["entity_id"]) for c in server["feed"]
                      if c["mutation_id"] and c["entity"] in USER_ENTITIES)
    assert [key for key, n in counted.items() if n > 1] == []
    # A device never reuses a sequence number for a different mutation (e.g. after a crash).
    by_seq: dict[tuple[str, int], set[str]] = defaultdict(set)
    for mutation_id, m in sent.items():
        by_seq[(m["device_id"], m["device_seq"])].add(mutation_id)
    assert [key for key, ids in by_seq.items() if len(ids) > 1] == []


def check_no_resurrection(sent: dict[str, dict[str, Any]], server: dict[str, Any]) -> None:
    deleted: set[tuple[str, str]] = set()
    for change in server["feed"]:
        key = (change["entity"], change["entity_id"])
        if change["deleted"]:
            deleted.add(key)
        elif key in deleted:
            cause = sent.get(change["mutation_id"] or "", {})
            assert cause.get("op") == "resolve", ("deleted record came back", key, change["mutation_id"])
            deleted.discard(key)


def check_no_lost_update(sent: dict[str, dict[str, Any]], server: dict[str, Any]) -> list[str]:
    """Each accepted value is current, one side of a conflict, recorded as lost, or overwritten (or deleted)
    by a write that had seen it.  Returns the mutation ids checked."""
    final = {(r["entity"], r["entity_id"]): r for r in server["records"]}
    history = [r["data"] for r in server["records"] if r["entity"] == "history"]
    conflicts = [r["data"] for r in server["records"] if r["entity"] == "conflict"]
    revs: dict[tuple[str, str], list[tuple[int, str | None]]] = defaultdict(list)
    for change in server["feed"]:
        revs[(change["entity"], change["entity_id"])].append((int(change["rev"]), change["mutation_id"]))
    checked = []
    for mutation_id, outcome in server["results"].items():
        m = sent.get(mutation_id)
        assert m is not None, f"the platform holds a result for {mutation_id} that no device sent"
        if outcome["status"] not in ACCEPTED or m["op"] not in ("create", "patch"):
            continue
        key = (m["entity"], m["entity_id"])
        record = final[key]
        written_at = int(outcome["rev"])
        later = [sent.get(mid or "", {}) for rev, mid in revs[key] if rev > written_at]
        for name, value in m["fields"].items():
            if name in ("id", "audit_id"):
                continue
            if not record["deleted"] and (record["data"] or {}).get(name) == value:
                continue
            # Matched by value, not by this mutation's clock: two devices writing the same value make one
            # field value, so when it later loses, its history names only the latest of them (the platform
            # records an equal write with a later clock as the field's writer; see
            # test_latest_checklist_answer_wins_even_when_it_repeats_an_earlier_one).  The platform may
            # also have replaced a fast clock with its time of receipt.
            if any(h["entity_id"] == m["entity_id"] and h["field"] == name and h["lost_value"] == value
                   for h in history):
                continue
            if any(c["entity_id"] == m["entity_id"] and (
                    c["mutation_id"] == mutation_id or c["server_values"].get(name, object()) == value
                    or c["client_values"].get(name, object()) == value) for c in conflicts):
                continue
            if any(w and (w["op"] == "resolve" or (w["op"] in ("patch", "delete")
                                                    and (name in w["fields"] or w["op"] == "delete")
                                                    and (w["device_id"] == m["device_id"]
                                                         or w["base_rev"] >= written_at)))
                   for w in later):
                continue
            raise AssertionError(("lost update", mutation_id, m["op"], key, name, value, outcome["status"]))
        checked.append(mutation_id)
    return checked
