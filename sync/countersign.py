"""Ask the platform to countersign this device's signatures once they are synced.

Run at the end of a sync round (the platform countersigns only signatures it already holds); the
engine then sends the new countersignatures in the same round, so the team sees them at its next
sync.  A signature the platform does not hold yet is left for later: "not countersigned yet" is what
``verify`` and the UI show meanwhile.  A countersignature that does not check out (a wrong platform
signature, another platform key than the pinned one) is never stored: it is reported in plain words
and the round itself still counts, because the records it moved are committed.

Each request asks for the certification body's RFC 3161 time-stamp too (``?tsa=true``; an older
platform ignores it).  A time-stamp that is missing because the authority failed, or that does not
check out, never costs the countersignature: it is stored without it, the problem is reported under
``timestamp_failed``, and the next round asks again for that signature only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from app.domain import Signature
from app.errors import FieldAuditError
from app.i18n import _
from app.signing.countersign import (
    TSA_FAILED,
    checked_timestamp,
    countersigned,
    pending,
    request_body,
    store_countersignature,
)
from app.signing.errors import TimestampMissing
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
    timestamped: list[str] = field(default_factory=list)
    timestamp_failed: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        found: dict[str, Any] = {"countersigned": self.countersigned, "waiting": self.waiting, "failed": self.failed}
        # RFC 3161 keys only when something happened: the summary keeps its older shape otherwise.
        if self.timestamped:
            found["timestamped"] = self.timestamped
        if self.timestamp_failed:
            found["timestamp_failed"] = self.timestamp_failed
        return found


def lines(summary: dict[str, Any]) -> list[str]:
    """What the CLI and the sync panel say about the countersigning (nothing when nothing happened)."""
    done, waiting, failed, stamped, unstamped = (list(summary.get(key) or []) for key in (
        "countersigned", "waiting", "failed", "timestamped", "timestamp_failed"))
    if not (done or waiting or failed or stamped or unstamped):
        return []
    found = [_("Platform countersignatures: {done} new, {waiting} waiting until the platform holds the "
               "signature").format(done=len(done), waiting=len(waiting))]
    if stamped:
        found.append(_("Time-stamps from the certification body's time-stamping authority: {count} new")
                     .format(count=len(stamped)))
    return found + [str(problem) for problem in failed + unstamped]


def countersign_pending(engine: SyncEngine) -> CountersignReport:
    report = CountersignReport()
    store = engine.store
    call = engine.call  # authenticated, token refresh included
    for signature in pending(store):
        retry = countersigned(store, signature)  # only the authority's time-stamp is missing
        try:
            reply: CountersignResponse = call("POST", "/signing/countersign", CountersignResponse,
                                              json_body=request_body(signature), params={"tsa": "true"})
        except (RequestRejected, AccessDenied):
            # Not held yet, or no longer this user's audit: asked again next round.
            report.waiting.append(signature.id)
            continue
        except PlatformGarbage as problem:
            report.failed.append(str(problem))
            continue
        token = reply.token.model_dump(mode="json", exclude_none=True)  # exactly what the platform signed
        tsa_token, tsa_status = _timestamp(signature, token, reply, report)
        if retry and tsa_token is None:
            continue  # nothing new: the countersignature is stored already, the stamp is asked again later
        try:
            store_countersignature(store, engine.actor, signature, token, reply.signature, reply.public_key,
                                   tsa_token=tsa_token, tsa_status=tsa_status)
        except FieldAuditError as problem:
            report.failed.append(str(problem))
            continue
        (report.timestamped if retry else report.countersigned).append(signature.id)
        if tsa_token is not None and not retry:
            report.timestamped.append(signature.id)
    return report


def _timestamp(signature: Signature, token: dict[str, Any], reply: CountersignResponse,
               report: CountersignReport) -> tuple[str | None, str | None]:
    """The authority's token to keep (checked) and the status to record with the countersignature."""
    if reply.tsa_status == "stamped" and reply.tsa_token:
        try:
            return checked_timestamp(signature, token, reply.tsa_token), "stamped"
        except TimestampMissing as problem:
            report.timestamp_failed.append(str(problem))
            return None, TSA_FAILED
    if reply.tsa_status in ("stamped", TSA_FAILED):
        detail = reply.tsa_problem or "no token"
        report.timestamp_failed.append(str(TimestampMissing(signature=signature.id, detail=detail)))
        return None, TSA_FAILED
    return None, reply.tsa_status
