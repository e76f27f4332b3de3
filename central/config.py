"""Runtime settings of one platform instance."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from central.security.passwords import DEFAULT_COST


@dataclass(frozen=True)
class TsaConfig:
    """A certification body's RFC 3161 time-stamping authority (optional; see central/services/tsa.py)."""

    url: str
    cert_file: str | None = None  # PEM: the TSA's certificate or the CA that issued it, to pin
    timeout_s: float = 10.0

    @classmethod
    def from_env(cls) -> TsaConfig | None:
        url = os.environ.get("FIELDAUDIT_TSA_URL", "").strip()
        return cls(url, os.environ.get("FIELDAUDIT_TSA_CERT") or None) if url else None


@dataclass
class Settings:
    db_url: str
    access_ttl_s: int = 15 * 60
    refresh_ttl_s: int = 30 * 24 * 3600
    max_body_bytes: int = 4 * 1024 * 1024
    password_cost: tuple[int, int, int] = DEFAULT_COST
    # Injected so tests can move time forward (token expiry) without sleeping.
    now: Callable[[], float] = field(default=time.time)
    # Set by FIELDAUDIT_TSA_URL (+ FIELDAUDIT_TSA_CERT) unless given: the countersignature then also
    # carries the authority's time-stamp token.
    tsa: TsaConfig | None = field(default_factory=TsaConfig.from_env)
