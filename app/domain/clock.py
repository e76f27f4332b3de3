"""The clock of every record timestamp (pydantic-free, so the store can use it without the models)."""

from __future__ import annotations

from datetime import UTC, datetime


def utc_now() -> datetime:
    return datetime.now(UTC)
