-- Per-device signing keys. The private key is generated on this device and never leaves it: it is
-- stored wrapped (AES-256-GCM under a key derived from the profile's data key) with the device id and
-- key id as authenticated data, inside the encrypted database. A key row copied into another
-- profile or device cannot be unwrapped there.
CREATE TABLE signing_keys (
    key_id          TEXT PRIMARY KEY,
    suite           TEXT NOT NULL,
    device_id       TEXT NOT NULL,
    public_key      TEXT NOT NULL,
    wrapped_private TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    retired_at      TEXT
);
CREATE INDEX signing_keys_by_device ON signing_keys (device_id, suite);
