"""SQLAlchemy Core tables (the Alembic migrations create exactly these)."""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData()

# Key/value state of the platform: token signing key, server hybrid logical clock.
server_state = sa.Table(
    "server_state", metadata,
    sa.Column("key", sa.String(64), primary_key=True),
    sa.Column("value", sa.Text, nullable=False),
)

users = sa.Table(
    "users", metadata,
    sa.Column("id", sa.String(64), primary_key=True),
    sa.Column("username", sa.String(100), nullable=False, unique=True),
    sa.Column("display_name", sa.String(100), nullable=False),
    sa.Column("role", sa.String(32), nullable=False),
    sa.Column("password_hash", sa.String(300), nullable=False),
    sa.Column("competence_codes", sa.JSON, nullable=False),
    sa.Column("organisation", sa.String(200), nullable=False, server_default=""),
    sa.Column("active", sa.Boolean, nullable=False, server_default=sa.true()),
    sa.Column("created_at", sa.BigInteger, nullable=False),
)

devices = sa.Table(
    "devices", metadata,
    sa.Column("id", sa.String(64), primary_key=True),
    sa.Column("user_id", sa.String(64), sa.ForeignKey("users.id"), nullable=False, index=True),
    sa.Column("name", sa.String(100), nullable=False),
    sa.Column("platform", sa.String(100), nullable=False),
    sa.Column("last_seq", sa.BigInteger, nullable=False, server_default="0"),
    sa.Column("created_at", sa.BigInteger, nullable=False),
    sa.Column("last_seen_at", sa.BigInteger, nullable=False),
)

# One row per login: the refresh token rotates inside it; revoking it kills its access tokens too.
sessions = sa.Table(
    "sessions", metadata,
    sa.Column("id", sa.String(64), primary_key=True),
    sa.Column("user_id", sa.String(64), sa.ForeignKey("users.id"), nullable=False, index=True),
    sa.Column("device_id", sa.String(64), sa.ForeignKey("devices.id"), nullable=False),
    sa.Column("refresh_hash", sa.String(64), nullable=False, unique=True),
    sa.Column("previous_hash", sa.String(64), nullable=True, index=True),
    sa.Column("expires_at", sa.BigInteger, nullable=False),
    sa.Column("revoked_at", sa.BigInteger, nullable=True),
    sa.Column("created_at", sa.BigInteger, nullable=False),
    # When previous_hash was rotated out: a retry with it shortly after gets the same successor back.
    sa.Column("rotated_at", sa.BigInteger, nullable=True),
)

# Who is on which audit and as what (lead / auditor / technical_expert / observer / auditee).
memberships = sa.Table(
    "memberships", metadata,
    sa.Column("audit_id", sa.String(64), primary_key=True),
    sa.Column("user_id", sa.String(64), sa.ForeignKey("users.id"), primary_key=True, index=True),
    sa.Column("role", sa.String(32), nullable=False),
    sa.Column("created_at", sa.BigInteger, nullable=False),
)

# Current state of every feed entity (the five synced records plus conflict and history records).
records = sa.Table(
    "records", metadata,
    sa.Column("entity", sa.String(32), primary_key=True),
    sa.Column("entity_id", sa.String(64), primary_key=True),
    sa.Column("audit_id", sa.String(64), nullable=False, index=True),
    sa.Column("rev", sa.BigInteger, nullable=False),
    sa.Column("data", sa.JSON(none_as_null=True), nullable=True),
    sa.Column("deleted", sa.Boolean, nullable=False, server_default=sa.false()),
    # {field: {"rev": int, "hlc": str, "device": str|None}} — who last wrote each field, and when.
    sa.Column("field_meta", sa.JSON, nullable=False),
    sa.Column("deleted_rev", sa.BigInteger, nullable=True),
    sa.Column("deleted_device", sa.String(64), nullable=True),
    # For conflict and history records: the record they are about; open_conflict marks unresolved ones.
    sa.Column("target_id", sa.String(64), nullable=True, index=True),
    sa.Column("open_conflict", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("updated_at", sa.BigInteger, nullable=False),
)

# The change feed: one row per change, ordered by seq (a single writer assigns it, see db.engine).
changes = sa.Table(
    "changes", metadata,
    sa.Column("seq", sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True,
              autoincrement=True),
    sa.Column("audit_id", sa.String(64), nullable=False),
    sa.Column("entity", sa.String(32), nullable=False),
    sa.Column("entity_id", sa.String(64), nullable=False),
    sa.Column("rev", sa.BigInteger, nullable=False),
    sa.Column("data", sa.JSON(none_as_null=True), nullable=True),
    sa.Column("deleted", sa.Boolean, nullable=False),
    sa.Column("origin_device", sa.String(64), nullable=True),
    sa.Column("mutation_id", sa.String(64), nullable=True),
    sa.Column("created_at", sa.BigInteger, nullable=False),
    sa.Index("changes_by_audit", "audit_id", "seq"),
    # A feed sequence number must never be reused, even after the newest rows are compacted away.
    sqlite_autoincrement=True,
)

# Changes at or below a scope's horizon may have been compacted away: older cursors get 410.
horizons = sa.Table(
    "horizons", metadata,
    sa.Column("audit_id", sa.String(64), primary_key=True),
    sa.Column("seq", sa.BigInteger, nullable=False),
)

# Idempotency: every mutation applied (or refused) once, with the result replays get back.
mutations = sa.Table(
    "mutations", metadata,
    sa.Column("mutation_id", sa.String(64), primary_key=True),
    sa.Column("user_id", sa.String(64), nullable=False),
    sa.Column("device_id", sa.String(64), nullable=False),
    sa.Column("device_seq", sa.BigInteger, nullable=False),
    sa.Column("audit_id", sa.String(64), nullable=False),
    sa.Column("result", sa.JSON, nullable=False),
    sa.Column("created_at", sa.BigInteger, nullable=False),
)
