"""What one sync round moved, for the CLI (``--json``) and the sync panel."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from app.i18n import _


@dataclass
class SyncReport:
    started_at: datetime
    finished_at: datetime | None = None
    scopes: list[str] = field(default_factory=list)
    removed_scopes: list[str] = field(default_factory=list)
    quarantined: int = 0
    pushed: int = 0
    applied: int = 0
    lww_lost: int = 0
    conflicts: int = 0
    rejected: int = 0
    pulled: int = 0
    snapshots: int = 0
    pending_after: int = 0
    clock_skew_ms: int | None = None
    clock_warning: bool = False
    blobs: dict[str, Any] = field(default_factory=dict)
    countersign: dict[str, Any] = field(default_factory=dict)  # sync.countersign.CountersignReport.to_json()

    def to_json(self) -> dict[str, Any]:
        return {
            "started_at": self.started_at.isoformat(),
            "finished_at": self.finished_at.isoformat() if self.finished_at else None,
            "scopes": self.scopes, "removed_scopes": self.removed_scopes, "quarantined": self.quarantined,
            "pushed": self.pushed, "applied": self.applied, "lww_lost": self.lww_lost,
            "conflicts": self.conflicts, "rejected": self.rejected, "pulled": self.pulled,
            "snapshots": self.snapshots, "pending_after": self.pending_after,
            "clock_skew_ms": self.clock_skew_ms, "clock_warning": self.clock_warning, "evidence": self.blobs,
            "countersign": self.countersign,
        }

    def lines(self) -> list[str]:
        lines = [
            _("Audits in scope: {count}").format(count=len(self.scopes)),
            _("Sent {pushed} changes: {applied} applied, {lost} overwritten by a later edit, {conflicts} conflicts, "
              "{rejected} rejected").format(pushed=self.pushed, applied=self.applied, lost=self.lww_lost,
                                            conflicts=self.conflicts, rejected=self.rejected),
            _("Received {pulled} changes ({snapshots} full downloads)").format(pulled=self.pulled,
                                                                               snapshots=self.snapshots),
            _("Still waiting to be sent: {pending}").format(pending=self.pending_after),
        ]
        if self.blobs:
            lines.append(_("Evidence files: {up} uploaded, {down} downloaded, {failed} failed").format(
                up=self.blobs.get("uploaded", 0), down=self.blobs.get("downloaded", 0),
                failed=len(self.blobs.get("failed", []))))
            lines.extend(str(problem) for problem in self.blobs.get("failed", []))
        from sync.countersign import lines as countersign_lines

        lines.extend(countersign_lines(self.countersign))
        if self.removed_scopes:
            lines.append(_("Removed {count} audits you are no longer assigned to; {unsent} unsent changes were "
                           "kept in quarantine (fieldaudit quarantine export)").format(
                count=len(self.removed_scopes), unsent=self.quarantined))
        if self.clock_warning and self.clock_skew_ms is not None:
            lines.append(_("Warning: this computer's clock differs from the platform's by {minutes} minutes. "
                           "Merges are not affected, but please correct the clock.").format(
                minutes=round(abs(self.clock_skew_ms) / 60000)))
        return lines
