"""Evidence: the encrypted vault, capture and processing of files, annotation."""

from app.evidence.importer import ImportFailure, ImportReport, Target
from app.evidence.service import EvidenceService, Recovery, purge_archived, recover
from app.evidence.state import EvidenceState, evidence_state, register_state_provider
from app.evidence.strip import StripMode
from app.evidence.vault import Vault, VaultProblem

__all__ = [
    "EvidenceService",
    "EvidenceState",
    "ImportFailure",
    "ImportReport",
    "Recovery",
    "StripMode",
    "Target",
    "Vault",
    "VaultProblem",
    "evidence_state",
    "purge_archived",
    "recover",
    "register_state_provider",
]
