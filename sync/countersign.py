"""Ask the platform to countersign this device's signatures once they are synced.

Run after a sync round (the platform countersigns only signatures it already holds); the stored
countersignatures are pushed by the next round.  A signature the platform does not hold yet is
left for later: "not countersigned yet" is what ``verify`` and the UI show meanwhile.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from app.signing.countersign import pending, request_body, store_countersignature
from sync.errors import RequestRejected
from sync.protocol.countersign import CountersignResponse

if TYPE_CHECKING:
    # Only for the type: the engine may import this module to countersign inside its round.
    from sync.engine import SyncEngine


@dataclass
class CountersignReport:
    countersigned: list[str] = field(default_factory=list)
    waiting: list[str] = field(default_factory=list)


def countersign_pending(engine: SyncEngine) -> CountersignReport:
    report = CountersignReport()
    store = engine.store
    for signature in pending(store):
        try:
            # The engine's authenticated call (token refresh included); see the report for making it public.
            reply: CountersignResponse = engine._call("POST", "/signing/countersign", CountersignResponse,
                                                      json_body=request_body(signature))
        except RequestRejected:
            report.waiting.append(signature.id)
            continue
        store_countersignature(store, engine.actor, signature, reply.token.model_dump(mode="json"),
                               reply.signature, reply.public_key)
        report.countersigned.append(signature.id)
    return report
