-- First release schema: records as validated JSON documents, the journal and the outbox.
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- One table for every aggregate: the row is the local view (server copy with
-- this device's pending mutations applied); server_data/server_rev are the last
-- copy the platform confirmed, kept so pulled changes can be rebased.
-- A rowid table on purpose: records are often over 1 KB of JSON, and WITHOUT ROWID rows that
-- large spill into overflow pages (measured here: 100 µs instead of 7 µs per read by id).
CREATE TABLE records (
    entity      TEXT NOT NULL,
    id          TEXT NOT NULL,
    audit_id    TEXT NOT NULL,
    data        TEXT NOT NULL,
    server_data TEXT,
    server_rev  INTEGER NOT NULL DEFAULT 0,
    deleted     INTEGER NOT NULL DEFAULT 0,
    updated_at  TEXT NOT NULL,
    UNIQUE (entity, id)
);
CREATE INDEX records_by_audit ON records (audit_id, entity);

-- Append-only, hash-chained record of every change (local or pulled). Few indexes on purpose:
-- every write appends here, and each index costs an encrypted page per commit.
CREATE TABLE journal (
    seq       INTEGER PRIMARY KEY AUTOINCREMENT,
    entry_id  TEXT NOT NULL,
    at        TEXT NOT NULL,
    actor     TEXT NOT NULL,
    device_id TEXT NOT NULL,
    entity    TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    audit_id  TEXT NOT NULL,
    op        TEXT NOT NULL,
    origin    TEXT NOT NULL,
    before    TEXT,
    after     TEXT,
    prev_hash TEXT NOT NULL,
    hash      TEXT NOT NULL
);

-- Mutations waiting to be pushed to the platform, in device order.
CREATE TABLE outbox (
    seq            INTEGER PRIMARY KEY AUTOINCREMENT,
    mutation_id    TEXT NOT NULL UNIQUE,
    device_seq     INTEGER NOT NULL,
    audit_id       TEXT NOT NULL,
    entity         TEXT NOT NULL,
    entity_id      TEXT NOT NULL,
    op             TEXT NOT NULL,
    base_rev       INTEGER NOT NULL,
    fields         TEXT NOT NULL,
    hlc            TEXT NOT NULL,
    schema_version INTEGER NOT NULL,
    created_at     TEXT NOT NULL
);
