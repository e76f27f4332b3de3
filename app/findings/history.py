"""A finding's transition history, read back from the hash-chained journal.

Each transition is one journal entry (who, which device, when, the fields before and after), so the
history of states, comments and reopen reasons needs no field of its own: it is exactly what the
journal proves.  Entries pulled from the platform carry whole records; only real changes count.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from app.store import Store

_NOTES = ("auditee_comment", "verification_note", "root_cause", "correction", "corrective_action",
          "action_owner", "action_due")


@dataclass(frozen=True)
class HistoryEntry:
    seq: int
    at: str
    actor: str
    device_id: str
    from_state: str | None
    to_state: str
    notes: dict[str, Any]


def _load(text: Any) -> dict[str, Any]:
    if not text:
        return {}
    value = json.loads(str(text))
    return value if isinstance(value, dict) else {}


def history(store: Store, finding_id: str) -> list[HistoryEntry]:
    rows = store.query("SELECT seq, at, actor, device_id, before, after FROM journal"
                       " WHERE entity = 'finding' AND entity_id = ? ORDER BY seq", (finding_id,))
    entries: list[HistoryEntry] = []
    state: str | None = None
    for seq, at, actor, device, before_text, after_text in rows:
        before, after = _load(before_text), _load(after_text)
        new_state = after.get("state")
        if new_state is None or new_state == state:
            continue
        old = before.get("state", state)
        notes = {k: after[k] for k in _NOTES if k in after and after[k] != before.get(k)
                 and not (k not in before and after[k] in ("", None))}
        entries.append(HistoryEntry(int(seq), str(at), str(actor), str(device), old, str(new_state), notes))
        state = str(new_state)
    return entries
