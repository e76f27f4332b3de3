"""Wire models of the sync API, shared by the client engine (sync/) and the platform (central/).

Standalone on purpose: pydantic only, no imports from ``app`` or Qt, so a certification body can
implement the same API from these models and docs/sync-api.yaml alone.  Versioned by
:data:`SCHEMA_VERSION`; a request speaking another version gets HTTP 426.
"""

from sync.protocol.auth import DeviceInfo, LoginRequest, LogoutRequest, RefreshRequest, TokenPair
from sync.protocol.common import (
    ENTITIES,
    FEED_ENTITIES,
    OPS,
    SCHEMA_VERSION,
    SCHEMA_VERSION_HEADER,
    SIGNATURE_SUITES,
    ErrorBody,
    ErrorResponse,
    Hlc,
    ServerClock,
    SignatureSuite,
    WireModel,
    format_hlc,
    parse_hlc,
)
from sync.protocol.feed import (
    Change,
    ConflictRecord,
    ConflictsResponse,
    HistoryRecord,
    PullResponse,
    ScopeInfo,
    ScopesResponse,
    SnapshotRecord,
    SnapshotResponse,
)
from sync.protocol.mutations import (
    ConflictDescriptor,
    Mutation,
    MutationError,
    MutationResult,
    PushRequest,
    PushResponse,
    ResolveFields,
)
from sync.protocol.records import RECORD_MODELS, FieldPolicy, policy_for

__all__ = [
    "ENTITIES",
    "FEED_ENTITIES",
    "OPS",
    "RECORD_MODELS",
    "SCHEMA_VERSION",
    "SCHEMA_VERSION_HEADER",
    "SIGNATURE_SUITES",
    "Change",
    "ConflictDescriptor",
    "ConflictRecord",
    "ConflictsResponse",
    "DeviceInfo",
    "ErrorBody",
    "ErrorResponse",
    "FieldPolicy",
    "HistoryRecord",
    "Hlc",
    "LoginRequest",
    "LogoutRequest",
    "Mutation",
    "MutationError",
    "MutationResult",
    "PullResponse",
    "PushRequest",
    "PushResponse",
    "RefreshRequest",
    "ResolveFields",
    "ScopeInfo",
    "ScopesResponse",
    "ServerClock",
    "SignatureSuite",
    "SnapshotRecord",
    "SnapshotResponse",
    "TokenPair",
    "WireModel",
    "format_hlc",
    "parse_hlc",
    "policy_for",
]
