"""Runtime settings of one platform instance."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from central.security.passwords import DEFAULT_COST


@dataclass
class Settings:
    db_url: str
    access_ttl_s: int = 15 * 60
    refresh_ttl_s: int = 30 * 24 * 3600
    max_body_bytes: int = 4 * 1024 * 1024
    password_cost: tuple[int, int, int] = DEFAULT_COST
    # Injected so tests can move time forward (token expiry) without sleeping.
    now: Callable[[], float] = field(default=time.time)
