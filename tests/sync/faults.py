"""A Transport wrapper that misbehaves on purpose: the network and the platform at their worst."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sync.errors import PlatformTimeout, PlatformUnreachable
from sync.transport import Reply, Transport

# Each fault, and whether the platform saw (and committed) the request.
FAULTS = {
    "request_lost": False,        # the request never reached the platform
    "response_lost": True,        # the platform committed; the reply never came back
    "duplicate": True,            # the request arrived twice; the client sees the second reply
    "server_error": False,        # 503 before the platform did anything
    "server_error_after": True,   # a proxy's 502 after the platform committed
    "timeout": True,              # the platform committed, the client gave up waiting
    "timeout_before": False,      # timed out connecting
    "garbage": True,              # 200 with a body that is not JSON
    "wrong_shape": True,          # 200 with JSON of the wrong shape
}


@dataclass
class FaultyTransport:
    """Applies queued faults to matching requests; everything else goes straight through."""

    inner: Transport
    plan: list[tuple[str, str]] = field(default_factory=list)  # (path prefix, fault), used once each, in order
    schedule: Callable[[str, str], str | None] | None = None   # or decide per request
    log: list[tuple[str, str, str]] = field(default_factory=list)

    def fail(self, fault: str, path: str = "/sync/") -> None:
        assert fault in FAULTS, fault
        self.plan.append((path, fault))

    def _next(self, method: str, path: str) -> str | None:
        for index, (prefix, fault) in enumerate(self.plan):
            if path.startswith(prefix):
                del self.plan[index]
                return fault
        return self.schedule(method, path) if self.schedule else None

    def send(self, method: str, path: str, *, json_body: Any = None, params: dict[str, Any] | None = None,
             token: str | None = None) -> Reply:
        fault = self._next(method, path)
        self.log.append((method, path, fault or "ok"))

        def call() -> Reply:
            return self.inner.send(method, path, json_body=json_body, params=params, token=token)

        if fault == "request_lost":
            raise PlatformUnreachable(url="http://platform.test", detail="ConnectionError")
        if fault == "timeout_before":
            raise PlatformTimeout(url="http://platform.test")
        if fault == "server_error":
            return Reply(503, b'{"error": {"code": "unavailable", "message": "try later"}}')
        reply = call()
        if fault == "response_lost":
            raise PlatformUnreachable(url="http://platform.test", detail="ConnectionResetError")
        if fault == "timeout":
            raise PlatformTimeout(url="http://platform.test")
        if fault == "duplicate":
            return call()
        if fault == "server_error_after":
            return Reply(502, b"<html>Bad Gateway</html>")
        if fault == "garbage":
            return Reply(200, b"\x89PNG not json at all" + reply.body[:10])
        if fault == "wrong_shape":
            return Reply(200, b'{"results": [{"mutation_id": 5}], "changes": "none", "scopes": null}')
        return reply
