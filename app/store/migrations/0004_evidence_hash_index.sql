-- Evidence lookups by content hash (vault clean-up, export by hash, transfer state).
CREATE INDEX records_evidence_sha256 ON records (json_extract(data, '$.sha256')) WHERE entity = 'evidence';
