"""The FastAPI application: routers, error translation and middleware."""

from __future__ import annotations

import gc
import json
import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from central.api.deps import Platform
from central.api.middleware import BodyLimit, ClockHeaders
from central.api.routers import (
    admin_audits,
    admin_users,
    auth,
    blobs,
    conflicts,
    countersign,
    health,
    pull,
    push,
    scopes,
    snapshot,
)
from central.blobs.storage import BlobStorage, FilesystemStorage, Staging, default_root
from central.config import Settings
from central.db.engine import Database
from central.errors import ApiError
from central.services.auth import signing_key
from central.services.clock import ServerHlc
from central.services.push import upgrade_required
from sync.protocol import SCHEMA_VERSION

log = logging.getLogger("central")
API_VERSION = "1.0.0"


def create_app(settings: Settings, db: Database | None = None, blob_storage: BlobStorage | None = None) -> FastAPI:
    database = db or Database(settings.db_url)
    database.migrate()
    hlc = ServerHlc(settings.now)
    with database.read() as conn:
        hlc.load(conn)
    app = FastAPI(title="FieldAudit central platform", version=API_VERSION,
                  summary=f"Sync API of FieldAudit (schema version {SCHEMA_VERSION}) and platform administration.")
    app.state.platform = Platform(settings=settings, db=database, hlc=hlc, key=signing_key(database))
    blob_root = default_root(settings.db_url)
    app.state.blob_storage = blob_storage or FilesystemStorage(blob_root)
    app.state.blob_staging = Staging(blob_root / "staging")
    for module in (health, auth, scopes, push, pull, snapshot, conflicts, blobs, countersign, admin_users,
                   admin_audits):
        app.include_router(module.router)
    _install_handlers(app)
    app.add_middleware(ClockHeaders, hlc=hlc, now=settings.now)
    app.add_middleware(BodyLimit, limit=settings.max_body_bytes)
    return app


def serve(app: FastAPI, host: str, port: int, *, log_level: str = "info") -> None:
    """Run the platform under uvicorn until it is stopped (``fieldaudit-central serve``)."""
    import uvicorn

    # Start-up built some 115,000 objects (modules, routes, schemas) that live as long as the process; frozen,
    # the collector stops walking them in every full collection (60 ms each, four while 10,000 changes are
    # pushed: bench/sync.py). Collected first so that start-up's garbage is not kept forever.
    gc.collect()
    gc.freeze()
    uvicorn.run(app, host=host, port=port, log_level=log_level)


def error_response(error: ApiError) -> JSONResponse:
    return JSONResponse(status_code=error.status, headers=error.headers,
                        content={"error": {"code": error.code, "message": error.message,
                                           "details": error.details}})


def _install_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def api_error(_request: Request, error: ApiError) -> JSONResponse:
        return error_response(error)

    @app.exception_handler(RequestValidationError)
    async def invalid(_request: Request, error: RequestValidationError) -> JSONResponse:
        return error_response(_classify(error))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_request: Request, error: StarletteHTTPException) -> JSONResponse:
        code = {404: "not_found", 405: "method_not_allowed"}.get(error.status_code, "http_error")
        return error_response(ApiError(error.status_code, code, str(error.detail),
                                       headers=dict(error.headers or {})))

    @app.exception_handler(Exception)
    async def crash(_request: Request, error: Exception) -> JSONResponse:
        log.exception("unhandled error", exc_info=error)
        return error_response(ApiError(500, "internal", "The platform failed; nothing was changed."))


def _classify(error: RequestValidationError) -> ApiError:
    """Precise answers for bad input: 426 for another schema version, 400 for broken JSON, else 422."""
    body: Any = error.body
    if isinstance(body, (bytes, str)):
        try:
            body = json.loads(body)
        except ValueError:
            body = None
    if isinstance(body, dict):
        version = body.get("schema_version")
        if isinstance(version, int) and not isinstance(version, bool) and version != SCHEMA_VERSION:
            return upgrade_required(version)
    problems = [{"loc": [str(part) for part in item.get("loc", ())], "msg": str(item.get("msg", "")),
                 "type": str(item.get("type", ""))} for item in error.errors()]
    kinds = {problem["type"] for problem in problems}
    if "json_invalid" in kinds or ("model_attributes_type" in kinds and body is None):
        return ApiError(400, "malformed_json", "The request body is not valid JSON.", details=problems)
    if "extra_forbidden" in kinds:
        unknown = ", ".join(".".join(p["loc"][1:]) for p in problems if p["type"] == "extra_forbidden")
        return ApiError(422, "unknown_field", f"Unknown field(s): {unknown}.", details=problems)
    return ApiError(422, "invalid_request", "The request does not match the API schema.", details=problems)
