"""Page views per page and Taipei day (nothing about the visitor)

Revision ID: 0020
Revises: 0019
Created: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "page_view",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("endpoint", sa.String(length=100), nullable=False),
        sa.Column("path", sa.String(length=300), nullable=False),
        sa.Column("views", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_page_view")),
        sa.UniqueConstraint("day", "path", name="uq_page_view_day_path"),
    )
    op.create_index(op.f("ix_page_view_day"), "page_view", ["day"])


def downgrade() -> None:
    op.drop_index(op.f("ix_page_view_day"), table_name="page_view")
    op.drop_table("page_view")
