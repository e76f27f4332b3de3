"""Alembic environment: runs on the connection handed over by central.db.engine.Database.migrate."""

from __future__ import annotations

from alembic import context

from central.db.tables import metadata

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through central.db.engine.Database.migrate()")
context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
