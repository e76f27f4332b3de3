"""The Alembic migrations build exactly the schema the code uses, on SQLite and PostgreSQL."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from central.db.engine import Database
from central.db.tables import metadata


def test_migrated_schema_matches_the_tables_and_is_idempotent(db_url: str) -> None:
    db = Database(db_url)
    try:
        db.migrate()
        db.migrate()
        with db.engine.connect() as conn:
            context = MigrationContext.configure(conn)
            assert context.get_current_revision() == "0002"
            assert compare_metadata(context, metadata) == []
    finally:
        db.dispose()
