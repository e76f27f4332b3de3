"""The audit plan's data: what must be audited, when people work, and the slots of the plan."""

from __future__ import annotations

import itertools
from datetime import date, time
from enum import StrEnum

from pydantic import Field, model_validator

from app.domain.audit import Audit
from app.domain.base import DomainModel, invalid
from app.domain.finding import ClauseRef
from app.i18n import N_


class Activity(StrEnum):
    OPENING = "opening"
    AUDIT = "audit"
    CLOSING = "closing"


ACTIVITY_LABELS = {
    Activity.OPENING: N_("Opening meeting"),
    Activity.AUDIT: N_("Audit"),
    Activity.CLOSING: N_("Closing meeting"),
}


class ClauseSpec(DomainModel):
    """One clause the audit must cover; ``technical`` clauses need the audit's scope competence."""

    standard: str = Field(min_length=1, max_length=40)
    clause: str = Field(min_length=1, max_length=20, pattern=r"^\d+(\.\d+)*$")
    title: str = Field(default="", max_length=300)
    technical: bool = False
    process: str = Field(default="", max_length=200)

    @property
    def ref(self) -> ClauseRef:
        return ClauseRef(standard=self.standard, clause=self.clause)


class Block(DomainModel):
    start: time
    end: time

    @model_validator(mode="after")
    def _ordered(self) -> Block:
        if self.end <= self.start:
            raise invalid(N_("a working period must end after it starts."))
        return self


def _default_blocks() -> list[Block]:
    return [Block(start=time(8, 30), end=time(12, 0)), Block(start=time(13, 0), end=time(17, 30))]


class WorkingHours(DomainModel):
    """The client's working periods each audit day (8 hours by default, one audit day)."""

    blocks: list[Block] = Field(default_factory=_default_blocks, min_length=1)

    @model_validator(mode="after")
    def _no_overlap(self) -> WorkingHours:
        ordered = sorted(self.blocks, key=lambda block: block.start)
        for first, second in itertools.pairwise(ordered):
            if second.start < first.end:
                raise invalid(N_("working periods overlap."))
        return self

    def ordered(self) -> list[tuple[int, int]]:
        return sorted((_minutes(b.start), _minutes(b.end)) for b in self.blocks)

    def minutes(self) -> int:
        return sum(_minutes(b.end) - _minutes(b.start) for b in self.blocks)


class Slot(DomainModel):
    day: date
    start: time
    end: time
    activity: Activity = Activity.AUDIT
    site: str = Field(default="", max_length=200)
    process: str = Field(default="", max_length=200)
    clauses: list[ClauseRef] = Field(default_factory=list)
    auditor: str = Field(min_length=1, max_length=64)
    expert: str | None = Field(default=None, max_length=64)
    contact: str = Field(default="", max_length=100)

    @property
    def minutes(self) -> int:
        return _minutes(self.end) - _minutes(self.start)


class Plan(DomainModel):
    """A generated (and possibly edited) plan with the inputs it must keep satisfying."""

    audit: Audit
    clauses: list[ClauseSpec]
    audit_days: float = Field(gt=0, le=1000)
    hours: WorkingHours = Field(default_factory=WorkingHours)
    contacts: dict[str, str] = Field(default_factory=dict)
    slots: list[Slot] = Field(default_factory=list)


def _minutes(moment: time) -> int:
    return moment.hour * 60 + moment.minute


def to_time(minutes: int) -> time:
    return time(minutes // 60, minutes % 60)


def minutes_of(moment: time) -> int:
    return _minutes(moment)
