"""ASGI middleware: body size limit (413) and the server clock on every response."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, MutableMapping
from datetime import UTC, datetime
from typing import Any

from central.services.clock import ServerHlc

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

SERVER_TIME_HEADER = "X-FieldAudit-Server-Time"
SERVER_HLC_HEADER = "X-FieldAudit-Server-HLC"


class BodyLimit:
    """Reads at most ``limit`` bytes of a request body; anything larger is refused before parsing."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.limit:
            await _too_large(send, self.limit)
            return
        chunks: list[bytes] = []
        size = 0
        more = True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.limit:
                await _too_large(send, self.limit)
                return
            chunks.append(chunk)
            more = bool(message.get("more_body"))
        body = b"".join(chunks)
        delivered = False

        async def replay() -> Message:
            nonlocal delivered
            if delivered:
                return await receive()
            delivered = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(scope, replay, send)


async def _too_large(send: Send, limit: int) -> None:
    body = json.dumps({"error": {"code": "body_too_large", "details": [],
                                 "message": f"The request body is larger than {limit} bytes."}}).encode()
    await send({"type": "http.response.start", "status": 413,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                            (b"connection", b"close")]})
    await send({"type": "http.response.body", "body": body})


class ClockHeaders:
    """Lets a client compare its clock with the platform's on any response (warn beyond 5 minutes)."""

    def __init__(self, app: ASGIApp, hlc: ServerHlc, now: Callable[[], float]) -> None:
        self.app = app
        self.hlc = hlc
        self.now = now

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def stamped(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers") or [])
                moment = datetime.fromtimestamp(self.now(), UTC).isoformat()
                headers += [(SERVER_TIME_HEADER.lower().encode(), moment.encode()),
                            (SERVER_HLC_HEADER.lower().encode(), self.hlc.tick().encode())]
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, stamped)
