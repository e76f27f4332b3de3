-- Sync state: the audits this user may sync (scopes) with their feed cursor, the platform
-- credentials (inside the encrypted database, never in a plain file) and the mutations the
-- platform refused, kept so the user can see why and export them.
CREATE TABLE sync_scopes (
    audit_id       TEXT PRIMARY KEY,
    title          TEXT NOT NULL,
    role           TEXT NOT NULL,
    status         TEXT NOT NULL,
    cursor         INTEGER NOT NULL DEFAULT 0,
    open_conflicts INTEGER NOT NULL DEFAULT 0,
    synced_at      TEXT
);

CREATE TABLE credentials (
    name  TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE rejected_mutations (
    mutation_id TEXT PRIMARY KEY,
    audit_id    TEXT NOT NULL,
    entity      TEXT NOT NULL,
    entity_id   TEXT NOT NULL,
    op          TEXT NOT NULL,
    fields      TEXT NOT NULL,
    error_code  TEXT NOT NULL,
    message     TEXT NOT NULL,
    rejected_at TEXT NOT NULL
);

-- Unsent changes of an audit the user was removed from: kept encrypted here (not dropped, not
-- written to a plain file) until the user exports them.
CREATE TABLE quarantine (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    audit_id       TEXT NOT NULL,
    mutations      TEXT NOT NULL,
    quarantined_at TEXT NOT NULL
);

-- Evidence bytes this device has handed to the platform (verified there by hash).
CREATE TABLE blob_transfers (
    sha256     TEXT PRIMARY KEY,
    state      TEXT NOT NULL,
    detail     TEXT NOT NULL DEFAULT '',
    updated_at TEXT NOT NULL
);
