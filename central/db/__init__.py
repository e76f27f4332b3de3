"""Database schema, engine set-up and migrations."""
