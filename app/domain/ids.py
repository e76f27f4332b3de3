"""Client-made identifiers: UUIDv7 (time-ordered, so ids sort by creation)."""

from __future__ import annotations

import uuid


def new_id() -> str:
    import uuid6  # imported on first use: it reads its own package metadata (~25 ms) when imported

    return str(uuid6.uuid7())


def is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except (ValueError, AttributeError, TypeError):
        return False
    return True
