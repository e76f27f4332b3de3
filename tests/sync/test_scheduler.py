"""Back-off after failures and the status the UI shows."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from app.domain import Audit
from sync.engine import SyncEngine
from sync.errors import PlatformUnreachable
from sync.scheduler import MAX_BACKOFF_SECONDS, SyncSchedule, SyncService
from tests.central.helpers import World


def test_backoff_grows_with_failures_and_resets() -> None:
    schedule = SyncSchedule(interval_seconds=900, base_retry_seconds=15, rng=lambda: 1.0)
    assert schedule.next_delay() == 900
    delays = []
    for _ in range(8):
        schedule.failed()
        delays.append(schedule.next_delay())
    assert delays[:4] == [15, 30, 60, 120]
    assert max(delays) <= min(900, MAX_BACKOFF_SECONDS)
    schedule.succeeded()
    assert schedule.next_delay() == 900
    low = SyncSchedule(base_retry_seconds=100, rng=lambda: 0.0, failures=1)
    assert low.next_delay() == 50  # jitter keeps at least half the back-off


def test_failed_round_reports_why_and_keeps_work(devices: Callable[..., Any], world: World) -> None:
    class Offline:
        def send(self, *args: Any, **kwargs: Any) -> Any:
            raise PlatformUnreachable(url="http://platform.test", detail="ConnectionError")

    alice = devices("alice")
    alice.sync()
    service = SyncService(alice.session, engine_factory=lambda _s: alice.engine)
    assert service.run_round() is not None and service.status.last_success is not None
    with alice.store.unit_of_work(alice.engine.actor) as uow:
        uow.update(Audit, world.audit_a, {"scope": "离线时修改的范围"})
    failing = SyncService(alice.session, engine_factory=lambda s: SyncEngine(s, transport_factory=lambda _u: Offline()))
    assert failing.run_round() is None
    assert "无法连接平台" in failing.status.last_error
    assert failing.status.failures_in_a_row == 1 and failing.schedule.next_delay() < 60
    assert alice.store.pending_mutations() == 1
    assert alice.store.audits.get(world.audit_a).scope == "离线时修改的范围"
