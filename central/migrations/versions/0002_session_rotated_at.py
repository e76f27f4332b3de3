"""Sessions remember when their refresh token last rotated (grace window for a retried refresh).

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("sessions", sa.Column("rotated_at", sa.BigInteger, nullable=True))


def downgrade() -> None:
    raise NotImplementedError("forward-only migrations")
