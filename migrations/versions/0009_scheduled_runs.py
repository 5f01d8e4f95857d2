"""Scheduled runs: one row per job and period, so that scheduled work runs once (portal/once.py)

Revision ID: 0009
Revises: 0008
Created: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from portal.db import UTCDateTime

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "scheduled_run",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("job", sa.String(length=60), nullable=False),
        sa.Column("period", sa.String(length=20), nullable=False),
        sa.Column("started_at", UTCDateTime(), nullable=False),
        sa.Column("summary", sa.String(length=500), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scheduled_run")),
        sa.UniqueConstraint("job", "period", name="uq_scheduled_run_job_period"),
    )


def downgrade() -> None:
    op.drop_table("scheduled_run")
