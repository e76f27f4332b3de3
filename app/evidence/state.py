"""Where an evidence file's bytes are: on this device only, on the platform, or still to come.

The vault alone knows "local" and "pending download"; the sync engine adds what it knows
(uploaded, pending upload) by registering a provider.  Providers are asked newest first; the
first answer that is not None wins.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum

from app.domain import Evidence
from app.evidence.vault import Vault
from app.i18n import N_
from app.store import Store


class EvidenceState(StrEnum):
    LOCAL = "local"
    PENDING_UPLOAD = "pending upload"
    UPLOADED = "uploaded"
    PENDING_DOWNLOAD = "pending download"


STATE_LABELS: dict[EvidenceState, str] = {
    EvidenceState.LOCAL: N_("on this device"),
    EvidenceState.PENDING_UPLOAD: N_("waiting for upload"),
    EvidenceState.UPLOADED: N_("uploaded"),
    EvidenceState.PENDING_DOWNLOAD: N_("waiting for download"),
}

StateProvider = Callable[[Store, Vault, Evidence], EvidenceState | None]
_PROVIDERS: list[StateProvider] = []


def register_state_provider(provider: StateProvider) -> StateProvider:
    """Usable as a decorator; registering the same function twice has no effect."""
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)
    return provider


def unregister_state_provider(provider: StateProvider) -> None:
    if provider in _PROVIDERS:
        _PROVIDERS.remove(provider)


def vault_state(store: Store, vault: Vault, evidence: Evidence) -> EvidenceState:
    return EvidenceState.LOCAL if vault.has(evidence.sha256) else EvidenceState.PENDING_DOWNLOAD


def evidence_state(store: Store, vault: Vault, evidence: Evidence) -> EvidenceState:
    for provider in reversed(_PROVIDERS):
        found = provider(store, vault, evidence)
        if found is not None:
            return found
    return vault_state(store, vault, evidence)
