"""HTTP to the platform: one place for timeouts, status codes and reply validation.

``Transport`` is the seam tests use to inject faults (lost requests, lost replies,
duplicates, 5xx, timeouts): everything above it only sees parsed replies or a
:class:`~app.errors.SyncError`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

import requests
from pydantic import BaseModel, ValidationError

from sync.errors import (
    AccessDenied,
    PlatformFailure,
    PlatformGarbage,
    PlatformTimeout,
    PlatformUnreachable,
    RequestRejected,
    SessionExpired,
    UpgradeRequired,
)
from sync.protocol import SCHEMA_VERSION, SCHEMA_VERSION_HEADER

ReplyT = TypeVar("ReplyT", bound=BaseModel)
MAX_REPLY_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True)
class Reply:
    status: int
    body: bytes


class Transport(Protocol):
    def send(self, method: str, path: str, *, json_body: Any = None, params: dict[str, Any] | None = None,
             token: str | None = None) -> Reply: ...


class RawTransport(Transport, Protocol):
    """A transport that can also move raw bytes (evidence blobs)."""

    def send_raw(self, method: str, path: str, *, data: bytes = b"", params: dict[str, Any] | None = None,
                 headers: dict[str, str] | None = None, token: str | None = None) -> Reply: ...


class GoneError(Exception):
    """HTTP 410 from the feed: the cursor is older than the platform keeps; take a snapshot."""


class HttpTransport:
    """``requests`` with a connection pool, bounded timeouts and a capped reply size."""

    def __init__(self, base_url: str, *, timeout: float = 30.0, session: requests.Session | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self._http = session or requests.Session()

    def send(self, method: str, path: str, *, json_body: Any = None, params: dict[str, Any] | None = None,
             token: str | None = None) -> Reply:
        return self._request(method, path, json_body=json_body, params=params, token=token)

    def send_raw(self, method: str, path: str, *, data: bytes = b"", params: dict[str, Any] | None = None,
                 headers: dict[str, str] | None = None, token: str | None = None) -> Reply:
        extra = {"Content-Type": "application/octet-stream", **(headers or {})}
        return self._request(method, path, data=data or None, params=params, token=token, headers=extra)

    def _request(self, method: str, path: str, *, json_body: Any = None, data: bytes | None = None,
                 params: dict[str, Any] | None = None, token: str | None = None,
                 headers: dict[str, str] | None = None) -> Reply:
        sent = {SCHEMA_VERSION_HEADER: str(SCHEMA_VERSION), "Accept": "application/json", **(headers or {})}
        if token:
            sent["Authorization"] = f"Bearer {token}"
        try:
            response = self._http.request(method, self.base_url + path, json=json_body, data=data, params=params,
                                          headers=sent, timeout=(min(10.0, self.timeout), self.timeout),
                                          stream=True)
            body = response.raw.read(MAX_REPLY_BYTES + 1, decode_content=True)
            response.close()
        except requests.Timeout:
            raise PlatformTimeout(url=self.base_url) from None
        except requests.RequestException as error:
            raise PlatformUnreachable(url=self.base_url, detail=type(error).__name__) from None
        if len(body) > MAX_REPLY_BYTES:
            raise PlatformGarbage(detail="reply too large")
        return Reply(response.status_code, body)

    def close(self) -> None:
        self._http.close()


def _error_fields(reply: Reply) -> tuple[str, str]:
    try:
        error = json.loads(reply.body)["error"]
        return str(error.get("code", "")), str(error.get("message", ""))
    except (ValueError, KeyError, TypeError, AttributeError):
        return "", reply.body[:200].decode("utf-8", "replace")


def check(reply: Reply) -> Reply:
    """Turn an error status into the matching translated error."""
    if 200 <= reply.status < 300:
        return reply
    code, message = _error_fields(reply)
    if reply.status == 401:
        raise SessionExpired()
    if reply.status == 403:
        raise AccessDenied(detail=message or code)
    if reply.status == 410:
        raise GoneError(message)
    if reply.status == 426:
        raise UpgradeRequired(detail=message or code)
    if reply.status >= 500:
        raise PlatformFailure(status=reply.status)
    raise RequestRejected(status=reply.status, code=code or "-", detail=message)


def parse_reply(reply: Reply, model: type[ReplyT]) -> ReplyT:
    """Validate a 2xx reply against its wire model; garbage never reaches the store."""
    check(reply)
    try:
        return model.model_validate_json(reply.body)
    except ValidationError as error:
        first = error.errors()[0] if error.errors() else {"loc": (), "msg": "invalid"}
        where = ".".join(str(p) for p in first.get("loc", ()))
        raise PlatformGarbage(detail=f"{where}: {first.get('msg', '')}"[:200]) from None
