"""An unlocked profile with one audit, its vault and the evidence service."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from app.domain import Audit, ChecklistItem, Finding
from app.evidence import EvidenceService, Vault
from app.services.session import Session
from tests.factories import make_audit, make_finding, make_item


@dataclass
class Env:
    session: Session
    service: EvidenceService
    audit: Audit
    item: ChecklistItem
    finding: Finding

    @property
    def vault(self) -> Vault:
        return self.service.vault


@pytest.fixture
def env(session: Session) -> Iterator[Env]:
    audit = make_audit()
    item = make_item(audit.id)
    finding = make_finding(audit.id)
    with session.store.unit_of_work("t") as uow:
        uow.create(audit)
        uow.create(item)
        uow.create(finding)
    yield Env(session, EvidenceService.for_session(session), audit, item, finding)
