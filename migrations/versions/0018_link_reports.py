"""The link checker: what it last found for each link of the site's content

Revision ID: 0018
Revises: 0017
Created: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from portal.db import UTCDateTime

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "link_report",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("url_key", sa.String(length=64), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("ok", sa.Boolean(), nullable=False),
        sa.Column("status", sa.Integer(), nullable=True),
        sa.Column("error", sa.String(length=200), nullable=False),
        sa.Column("places", sa.JSON(), nullable=False),
        sa.Column("first_broken_at", UTCDateTime(timezone=True), nullable=True),
        sa.Column("checked_at", UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_link_report")),
        sa.UniqueConstraint("url_key", name=op.f("uq_link_report_url_key")),
    )


def downgrade() -> None:
    op.drop_table("link_report")
