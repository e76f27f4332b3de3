"""Ask the platform to countersign this device's signatures once they are synced.

Run at the end of a sync round (the platform countersigns only signatures it already holds); the
engine then sends the new countersignatures in the same round, so the team sees them at its next
sync.  A signature the platform does not hold yet is left for later: "not countersigned yet" is what
``verify`` and the UI show meanwhile.  A countersignature that does not check out (a wrong platform
signature, another platform key than the pinned one) is never stored: it is reported in plain words
and the round itself still counts, because the records it moved are committed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from app.errors import FieldAuditError
from app.i18n import _
from app.signing.countersign import pending, request_body, store_countersignature
from sync.errors import AccessDenied, PlatformGarbage, RequestRejected
from sync.protocol.countersign import CountersignResponse

if TYPE_CHECKING:
    # Only for the type: the engine imports this module to countersign inside its round.
    from sync.engine import SyncEngine


@dataclass
class CountersignReport:
    countersigned: list[str] = field(default_factory=list)
    waiting: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {"countersigned": self.countersigned, "waiting": self.waiting, "failed": self.failed}


def lines(summary: dict[str, Any]) -> list[str]:
    """What the CLI and the sync panel say about the countersigning (nothing when nothing happened)."""
    done, waiting, failed = (list(summary.get(key) or []) for key in ("countersigned", "waiting", "failed"))
    if not (done or waiting or failed):
        return []
    found = [_("Platform countersignatures: {done} new, {waiting} waiting until the platform holds the "
               "signature").format(done=len(done), waiting=len(waiting))]
    return found + [str(problem) for problem in failed]


def countersign_pending(engine: SyncEngine) -> CountersignReport:
    report = CountersignReport()
    store = engine.store
    call = engine.call  # authenticated, token refresh included
    for signature in pending(store):
        try:
            reply: CountersignResponse = call("POST", "/signing/countersign", CountersignResponse,
                                              json_body=request_body(signature))
        except (RequestRejected, AccessDenied):
            # Not held yet, or no longer this user's audit: asked again next round.
            report.waiting.append(signature.id)
            continue
        except PlatformGarbage as problem:
            report.failed.append(str(problem))
            continue
        try:
            store_countersignature(store, engine.actor, signature, reply.token.model_dump(mode="json"),
                                   reply.signature, reply.public_key)
        except FieldAuditError as problem:
            report.failed.append(str(problem))
            continue
        report.countersigned.append(signature.id)
    return report
