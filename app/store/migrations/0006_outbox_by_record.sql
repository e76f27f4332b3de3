-- A record's queued mutations, in device order: read for every pulled record (to rebase the local view on
-- the platform's copy) and for every push batch; without this index each read scanned the whole outbox.
CREATE INDEX outbox_by_record ON outbox (entity_id, seq);
