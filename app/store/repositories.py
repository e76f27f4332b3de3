"""Read access to each aggregate (writes go through the unit of work)."""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property
from typing import TYPE_CHECKING, Generic, TypeVar

from app.domain import entity_label
from app.errors import NotFound
from app.store.connection import Connection

if TYPE_CHECKING:
    from app.domain import Audit, ChecklistItem, Entity, Evidence, Finding, Signature

EntityT = TypeVar("EntityT", bound="Entity")


class Repository(Generic[EntityT]):
    def __init__(self, model: type[EntityT], connection: Callable[[], Connection]) -> None:
        self.model = model
        self._connection = connection

    def find(self, entity_id: str) -> EntityT | None:
        row = self._connection().execute(
            "SELECT data FROM records WHERE entity = ? AND id = ? AND deleted = 0",
            (self.model.entity_name, entity_id),
        ).fetchone()
        return None if row is None else self.model.model_validate_json(row[0])

    def get(self, entity_id: str) -> EntityT:
        found = self.find(entity_id)
        if found is None:
            raise NotFound(what=entity_label(self.model.entity_name), ident=entity_id)
        return found

    def list(self, audit_id: str | None = None) -> list[EntityT]:
        if audit_id is None:
            rows = self._connection().execute(
                "SELECT data FROM records WHERE entity = ? AND deleted = 0 ORDER BY id",
                (self.model.entity_name,))
        else:
            rows = self._connection().execute(
                "SELECT data FROM records WHERE entity = ? AND audit_id = ? AND deleted = 0 ORDER BY id",
                (self.model.entity_name, audit_id))
        return [self.model.model_validate_json(row[0]) for row in rows]

    def count(self, audit_id: str | None = None) -> int:
        sql = "SELECT count(*) FROM records WHERE entity = ? AND deleted = 0"
        params: tuple[str, ...] = (self.model.entity_name,)
        if audit_id is not None:
            sql += " AND audit_id = ?"
            params += (audit_id,)
        return int(self._connection().execute(sql, params).fetchone()[0])

    def is_deleted(self, entity_id: str) -> bool:
        row = self._connection().execute(
            "SELECT deleted FROM records WHERE entity = ? AND id = ?", (self.model.entity_name, entity_id)
        ).fetchone()
        return bool(row and row[0])


class Repositories:
    """One repository per aggregate, made on first use: the models are pydantic classes, which opening
    the store (and the desktop app's start-up, which reads its lists from the stored JSON) does not need."""

    def __init__(self, connection: Callable[[], Connection]) -> None:
        self._repository_connection = connection

    @cached_property
    def audits(self) -> Repository[Audit]:
        from app.domain.audit import Audit

        return Repository(Audit, self._repository_connection)

    @cached_property
    def checklist(self) -> Repository[ChecklistItem]:
        from app.domain.checklist import ChecklistItem

        return Repository(ChecklistItem, self._repository_connection)

    @cached_property
    def findings(self) -> Repository[Finding]:
        from app.domain.finding import Finding

        return Repository(Finding, self._repository_connection)

    @cached_property
    def evidence(self) -> Repository[Evidence]:
        from app.domain.evidence import Evidence

        return Repository(Evidence, self._repository_connection)

    @cached_property
    def signatures(self) -> Repository[Signature]:
        from app.domain.signature import Signature

        return Repository(Signature, self._repository_connection)
