"""Evidence bytes on the platform: content-addressed, uploaded in resumable chunks, verified by hash."""
