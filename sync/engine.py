"""One sync round: scopes, push the outbox, pull every scope until caught up.

Ordering guarantees (each a single transaction): a push result and the removal of
its outbox entry; a pulled page and its cursor; a snapshot and its cursor; the
purge of a revoked audit and the quarantine of its unsent changes.  A crash at
any point therefore repeats work (the platform answers replays from its store)
but never loses it, and the cursor is never ahead of the data.
"""

from __future__ import annotations

import platform
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from app.domain.base import utc_now
from app.progress import NoProgress, Progress, check_cancelled
from app.services.session import SIGNATURE_SUITE, Session
from app.store import outbox, replica
from app.store.canonical import dumps
from app.store.outbox import PendingMutation
from app.store.replica import ServerRecord
from sync import state
from sync.countersign import countersign_pending
from sync.errors import NotLoggedIn, SessionExpired
from sync.protocol import (
    SCHEMA_VERSION,
    Change,
    DeviceInfo,
    LoginRequest,
    Mutation,
    MutationResult,
    PullResponse,
    PushRequest,
    PushResponse,
    RefreshRequest,
    ScopeInfo,
    ScopesResponse,
    ServerClock,
    SnapshotResponse,
    TokenPair,
)
from sync.report import SyncReport
from sync.transport import GoneError, HttpTransport, Reply, Transport, parse_reply

CLOCK_SKEW_WARNING_MS = 5 * 60 * 1000
# A round whose scopes did not change keeps the measured skew with its last commit, unless it moved more.
SKEW_RESAVE_MS = 1000
TransportFactory = Callable[[str], Transport]


def _caught_up(scope: ScopeInfo | None, feed_head: int | None, cursor: int) -> bool:
    """The scopes reply shows nothing after ``cursor`` in this audit's feed, so its pull can be skipped.

    Never for a first sync (cursor 0), for a platform that does not send heads, or for a cursor beyond
    the platform's whole feed (restored from a backup: the pull's 410 leads to a new snapshot).
    """
    if cursor == 0 or scope is None or scope.head is None or feed_head is None:
        return False
    return scope.head <= cursor <= feed_head


class SyncEngine:
    def __init__(self, session: Session, *, transport_factory: TransportFactory = HttpTransport,
                 page_size: int = 500, push_batch: int = 500) -> None:
        self.session = session
        self.store = session.store
        self._factory = transport_factory
        self.page_size = page_size
        self.push_batch = push_batch
        self._transport: Transport | None = None
        self._credentials = state.load_credentials(self.store)

    # -- login ---------------------------------------------------------------------------------
    def login(self, server: str, username: str, password: str) -> TokenPair:
        transport = self._factory(server.rstrip("/"))
        body = LoginRequest(username=username, password=password,
                            device=DeviceInfo(device_id=self.store.device_id, name=platform.node() or "FieldAudit",
                                              platform=platform.platform()[:100]))
        try:
            tokens = parse_reply(transport.send("POST", "/auth/login", json_body=body.model_dump(mode="json")),
                                 TokenPair)
        except SessionExpired:
            from sync.errors import LoginFailed

            raise LoginFailed(detail=username) from None
        state.save_credentials(self.store, server.rstrip("/"), tokens)
        self._credentials = state.load_credentials(self.store)
        self._transport = transport
        return tokens

    # -- requests with token refresh -------------------------------------------------------------
    def call(self, method: str, path: str, model: type[Any], **kwargs: Any) -> Any:
        """One authenticated request parsed into ``model``; an expired access token is refreshed once."""
        if self._credentials is None:
            raise NotLoggedIn()
        if self._transport is None:
            self._transport = self._factory(self._credentials.server)
        try:
            return parse_reply(self._transport.send(method, path, token=self._credentials.tokens.access_token,
                                                    **kwargs), model)
        except SessionExpired:
            self._refresh()
            return parse_reply(self._transport.send(method, path, token=self._credentials.tokens.access_token,
                                                    **kwargs), model)

    def _call_raw(self, method: str, path: str, data: bytes, params: dict[str, Any],
                  headers: dict[str, str] | None = None) -> Reply:
        assert self._credentials is not None and self._transport is not None
        transport: Any = self._transport
        reply: Reply = transport.send_raw(method, path, data=data, params=params, headers=headers,
                                          token=self._credentials.tokens.access_token)
        if reply.status == 401:
            self._refresh()
            reply = transport.send_raw(method, path, data=data, params=params, headers=headers,
                                       token=self._credentials.tokens.access_token)
        return reply

    def _transfer_blobs(self, report: SyncReport, progress: Progress) -> None:
        """Evidence bytes move after the records, so others see the entry before its bytes."""
        if not hasattr(self._transport, "send_raw"):
            return
        from sync.blobs import BlobTransfer

        moved = BlobTransfer(self.session, self.call, self._call_raw).run(progress)
        report.blobs = moved.to_json()

    def _refresh(self) -> None:
        assert self._credentials is not None and self._transport is not None
        body = RefreshRequest(refresh_token=self._credentials.tokens.refresh_token)
        tokens = parse_reply(self._transport.send("POST", "/auth/refresh", json_body=body.model_dump()), TokenPair)
        state.save_credentials(self.store, self._credentials.server, tokens)
        self._credentials = state.load_credentials(self.store)

    @property
    def actor(self) -> str:
        return self._credentials.tokens.user_id if self._credentials else state.SYNC_ACTOR

    # -- the round ---------------------------------------------------------------------------------
    def run_once(self, progress: Progress | None = None) -> SyncReport:
        progress = progress or NoProgress()
        report = SyncReport(started_at=utc_now())
        scopes = self.call("GET", "/sync/scopes", ScopesResponse, params={"heads": "true", "suite": "true"})
        self._measure_clock(scopes, report)
        # Usually nothing here changes: then the clock is kept with the round's last commit instead.
        clock_kept = self._scopes_moved(scopes) or self._skew_moved(report)
        if clock_kept:
            with self.store.unit_of_work(self.actor, origin="sync") as uow:
                self._keep_clock(uow, scopes, report)
                self._apply_scopes(uow, scopes, report)
        report.scopes = sorted(scope.audit_id for scope in scopes.scopes)
        check_cancelled(progress)
        pushed_to = self._push_all(report, progress)
        listed = {scope.audit_id: scope for scope in scopes.scopes}
        quiet: list[str] = []
        for index, (audit_id, cursor) in enumerate(sorted(state.scope_cursors(self.store).items())):
            check_cancelled(progress)
            progress.update(index, len(scopes.scopes), audit_id)
            # An audit this round pushed to has new changes (ours) after the heads the platform listed.
            unchanged = audit_id not in pushed_to and _caught_up(listed.get(audit_id), scopes.feed_head, cursor)
            if unchanged or not self._pull_scope(audit_id, cursor, report):
                quiet.append(audit_id)
        self._transfer_blobs(report, progress)
        # The platform countersigns what it now holds; the countersignatures go out in this same round.
        report.countersign = countersign_pending(self).to_json()
        if report.countersign["countersigned"]:
            self._push_all(report, progress)
        report.pending_after = self.store.pending_mutations()
        report.finished_at = utc_now()
        with self.store.unit_of_work(self.actor, origin="sync") as uow:
            if not clock_kept:
                self._keep_clock(uow, scopes, report)
            # Audits with nothing new are stamped here, in one commit, rather than one commit each.
            state.mark_synced(uow, quiet, report.finished_at.isoformat())
            state.set_meta(uow, "sync.last_success_at", report.finished_at.isoformat())
            state.set_meta(uow, "sync.last_report", report.to_json())
        progress.update(1, 1, "")
        return report

    def _measure_clock(self, reply: ServerClock, report: SyncReport) -> None:
        server = reply.server_time if reply.server_time.tzinfo else reply.server_time.replace(tzinfo=UTC)
        report.clock_skew_ms = int((time.time() - server.timestamp()) * 1000)
        report.clock_warning = abs(report.clock_skew_ms) > CLOCK_SKEW_WARNING_MS

    def _skew_moved(self, report: SyncReport) -> bool:
        """The skew signatures record moved by more than a second since it was kept (or never was)."""
        kept = self.store.meta("sync.clock_skew_ms")
        return kept is None or abs(int(kept) - (report.clock_skew_ms or 0)) > SKEW_RESAVE_MS

    def _keep_clock(self, uow: Any, reply: ServerClock, report: SyncReport) -> None:
        uow.observe_clock(reply.server_hlc)
        state.set_meta(uow, "sync.clock_skew_ms", str(report.clock_skew_ms))

    def _scopes_moved(self, reply: ScopesResponse) -> bool:
        stored = state.scope_rows(self.store)
        return set(stored) != {s.audit_id for s in reply.scopes} or any(
            stored[s.audit_id] != state.scope_row(s) for s in reply.scopes) or self._suite_moved(reply)

    def _suite_moved(self, reply: ScopesResponse) -> bool:
        return self.store.meta(SIGNATURE_SUITE) != reply.signature_suite

    def _apply_scopes(self, uow: Any, reply: ScopesResponse, report: SyncReport) -> None:
        if self._suite_moved(reply):  # the certification body switched suites (or this is the first round)
            state.set_meta(uow, SIGNATURE_SUITE, reply.signature_suite)
        stored = state.scope_rows(self.store)
        current = {scope.audit_id for scope in reply.scopes}
        for scope in reply.scopes:
            if stored.get(scope.audit_id) != state.scope_row(scope):  # most rounds change none of them
                state.save_scope(uow, scope)
        for audit_id in sorted(set(stored) - current):
            unsent = replica.purge_audit(uow, audit_id)
            uow.connection.execute(
                "INSERT INTO quarantine (audit_id, mutations, quarantined_at) VALUES (?,?,?)",
                (audit_id, dumps(replica.quarantine_payload(unsent)), utc_now().isoformat()))
            report.removed_scopes.append(audit_id)
            report.quarantined += len(unsent)

    # -- push --------------------------------------------------------------------------------------
    def _push_all(self, report: SyncReport, progress: Progress) -> set[str]:
        """Push the outbox in batches; returns the audits something was sent for."""
        total = self.store.pending_mutations()
        sent_to: set[str] = set()
        while True:
            # Only audits the platform lists for us: one out-of-scope mutation would refuse the whole batch,
            # and work on an audit that exists only here (imported offline) waits until it is assigned.
            batch = outbox.pending_in(self.store.connection(), sorted(state.scope_cursors(self.store)),
                                      self.push_batch)
            if not batch:
                return sent_to
            check_cancelled(progress)
            progress.update(report.pushed, total, "push")
            sent_to.update(m.audit_id for m in batch)
            request = PushRequest(schema_version=SCHEMA_VERSION, device_id=self.store.device_id,
                                  mutations=[self._wire(m) for m in batch])
            reply = self.call("POST", "/sync/push", PushResponse, json_body=request.model_dump(mode="json"))
            results = {result.mutation_id: result for result in reply.results}
            with self.store.unit_of_work(self.actor, origin="sync") as uow:
                uow.observe_clock(reply.server_hlc)
                answered = [(mutation, self._take_result(uow, mutation, results[mutation.mutation_id], report))
                            for mutation in batch if mutation.mutation_id in results]
                replica.settle_batch(uow, batch, answered)
            report.pushed += len(answered)
            if not answered:
                return sent_to  # the platform answered none of them: try again next round

    def _wire(self, mutation: PendingMutation) -> Mutation:
        return Mutation(mutation_id=mutation.mutation_id, device_id=self.store.device_id,
                        device_seq=mutation.device_seq, audit_id=mutation.audit_id,
                        entity=mutation.entity,  # type: ignore[arg-type]
                        entity_id=mutation.entity_id, op=mutation.op,  # type: ignore[arg-type]
                        base_rev=mutation.base_rev, fields=mutation.fields, hlc=mutation.hlc,
                        schema_version=mutation.schema_version)

    def _take_result(self, uow: Any, mutation: PendingMutation, result: MutationResult,
                     report: SyncReport) -> ServerRecord | None:
        """Count the platform's answer (keeping a rejection); the copy it returned, if any, to settle on."""
        record = None
        if result.rev or result.record is not None:
            record = ServerRecord(mutation.entity, mutation.entity_id, mutation.audit_id, result.rev,
                                  result.record, result.deleted or result.record is None)
        if result.status == "rejected":
            error = result.error
            replica.record_rejection(uow, mutation, error.code if error else "rejected",
                                     error.message if error else "")
            report.rejected += 1
        elif result.status == "conflict":
            report.conflicts += 1
        elif result.status == "lww_lost":
            report.lww_lost += 1
        else:
            report.applied += 1
        return record

    # -- pull --------------------------------------------------------------------------------------
    def _pull_scope(self, audit_id: str, cursor: int, report: SyncReport) -> bool:
        """Pull one audit until caught up; False when there was nothing new (and nothing was written)."""
        if cursor == 0:
            self._snapshot(audit_id, report)
            return True
        while True:
            try:
                page = self.call("GET", "/sync/pull", PullResponse,
                                  params={"scope": audit_id, "cursor": cursor, "limit": self.page_size})
            except GoneError:
                self._snapshot(audit_id, report)
                return True
            if not page.changes and page.cursor == cursor:
                return False
            with self.store.unit_of_work(self.actor, origin="sync") as uow:
                for change in page.changes:
                    self._apply_change(uow, change)
                state.set_cursor(uow, audit_id, page.cursor, utc_now().isoformat())
            report.pulled += len(page.changes)
            if not page.has_more or page.cursor <= cursor:
                return True
            cursor = page.cursor

    def _apply_change(self, uow: Any, change: Change) -> None:
        record = ServerRecord(change.entity, change.entity_id, change.audit_id, change.rev, change.data,
                              change.deleted)
        replica.apply_server_record(uow, record)

    def _snapshot(self, audit_id: str, report: SyncReport) -> None:
        snap = self.call("GET", "/sync/snapshot", SnapshotResponse, params={"scope": audit_id})
        records = [ServerRecord(r.entity, r.entity_id, audit_id, r.rev, r.data, r.deleted) for r in snap.records]
        with self.store.unit_of_work(self.actor, origin="sync") as uow:
            replica.replace_scope(uow, audit_id, records)
            state.set_cursor(uow, audit_id, snap.cursor, datetime.now(UTC).isoformat())
        report.snapshots += 1
        report.pulled += len(records)
