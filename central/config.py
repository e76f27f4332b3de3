"""Runtime settings of one platform instance."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import cast

from central.security.passwords import DEFAULT_COST
from sync.protocol import SIGNATURE_SUITES, SignatureSuite

SIGNATURE_SUITE_ENV = "FIELDAUDIT_SIGNATURE_SUITE"


class ConfigError(ValueError):
    """A setting the platform cannot run with (a mistyped environment variable, say)."""


def signature_suite_from_env() -> SignatureSuite:
    value = os.environ.get(SIGNATURE_SUITE_ENV, "").strip() or "international"
    return cast(SignatureSuite, value)  # checked by Settings


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
    # The certification body's choice, told to every device in the scopes reply; they sign with it.
    signature_suite: SignatureSuite = field(default_factory=signature_suite_from_env)

    def __post_init__(self) -> None:
        # Refused at start-up: otherwise every scopes reply would fail its own response model.
        if self.signature_suite not in SIGNATURE_SUITES:
            raise ConfigError(f"{self.signature_suite!r} is not a signature suite (${SIGNATURE_SUITE_ENV} or "
                              f"--signature-suite): use one of {', '.join(SIGNATURE_SUITES)}.")
