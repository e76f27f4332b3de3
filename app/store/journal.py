"""The hash-chained journal: every change, who made it, on which device, when.

Each entry's hash covers its fields and the previous entry's hash, so changing
any byte of any entry (or removing one) breaks the chain from that entry on.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from app.domain.clock import utc_now
from app.domain.ids import new_id
from app.store.canonical import canonical_json, dumps, sha256_hex
from app.store.connection import Connection

GENESIS = "0" * 64
_COLUMNS = ("seq", "entry_id", "at", "actor", "device_id", "entity", "entity_id", "audit_id",
            "op", "origin", "before", "after")


def entry_hash(prev_hash: str, fields: dict[str, Any]) -> str:
    return sha256_hex(prev_hash.encode("ascii") + canonical_json(fields))


def append(conn: Connection, *, seq: int, prev: str, actor: str, device_id: str, entity: str, entity_id: str,
           audit_id: str, op: str, origin: str, before: Any, after: Any) -> str:
    """Insert entry ``seq`` after the entry whose hash is ``prev``; return the new entry's hash."""
    fields: dict[str, Any] = {
        "seq": seq, "entry_id": new_id(), "at": utc_now().isoformat(), "actor": actor,
        "device_id": device_id, "entity": entity, "entity_id": entity_id, "audit_id": audit_id,
        "op": op, "origin": origin,
        "before": None if before is None else dumps(before),
        "after": None if after is None else dumps(after),
    }
    digest = entry_hash(prev, fields)
    conn.execute(
        "INSERT INTO journal (seq, entry_id, at, actor, device_id, entity, entity_id, audit_id, op, origin,"
        " before, after, prev_hash, hash) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        (*[fields[c] for c in _COLUMNS], prev, digest),
    )
    return digest


@dataclass(frozen=True)
class ChainBreak:
    seq: int
    entry_id: str
    reason: str


def verify_chain(conn: Connection) -> tuple[int, ChainBreak | None]:
    """Recompute the chain; return the number of entries checked and the first break."""
    expected_prev = GENESIS
    expected_seq: int | None = None
    count = 0
    cursor = conn.execute(f"SELECT {', '.join(_COLUMNS)}, prev_hash, hash FROM journal ORDER BY seq")
    for row in cursor:
        fields = dict(zip(_COLUMNS, row[: len(_COLUMNS)], strict=True))
        prev_hash, stored = str(row[-2]), str(row[-1])
        seq, entry_id = int(fields["seq"]), str(fields["entry_id"])
        if expected_seq is not None and seq != expected_seq:
            return count, ChainBreak(expected_seq, "", "missing")
        if prev_hash != expected_prev:
            return count, ChainBreak(seq, entry_id, "link")
        if entry_hash(prev_hash, fields) != stored:
            return count, ChainBreak(seq, entry_id, "content")
        expected_prev, expected_seq = stored, seq + 1
        count += 1
    return count, None
