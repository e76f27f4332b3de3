"""Canonical JSON: the one byte form used for hashing and signing."""

from __future__ import annotations

import hashlib
import json
from typing import Any

# Built once: json.dumps with non-default options constructs a new encoder on every call, and a
# write through the unit of work encodes five or six values. Same options, byte-identical output.
_CANONICAL = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False)
_COMPACT = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False)


def canonical_json(value: Any) -> bytes:
    return _CANONICAL.encode(value).encode("utf-8")


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def dumps(value: Any) -> str:
    return _COMPACT.encode(value)
