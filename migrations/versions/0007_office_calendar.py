"""The government office calendar, one row per day, for working-day deadlines

Revision ID: 0007
Revises: 0006
Created: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from portal.db import UTCDateTime

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "office_day",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("day_off", sa.Boolean(), nullable=False),
        sa.Column("note", sa.String(length=60), nullable=False),
        sa.Column("imported_at", UTCDateTime(), nullable=False),
        sa.Column("source_name", sa.String(length=255), nullable=False),
        sa.PrimaryKeyConstraint("day", name=op.f("pk_office_day")),
    )
    op.create_index(op.f("ix_office_day_year"), "office_day", ["year"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_office_day_year"), table_name="office_day")
    op.drop_table("office_day")
