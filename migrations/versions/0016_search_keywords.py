"""Search: popular keywords, each term and its count per day

Revision ID: 0016
Revises: 0015
Created: 2026-12-04

Only the term, the day and a count: nothing about who searched.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "search_term",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("term", sa.String(length=40), nullable=False),
        sa.Column("hidden", sa.Boolean(), nullable=False),
        sa.Column("hidden_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_search_term")),
        sa.UniqueConstraint("term", name=op.f("uq_search_term_term")),
    )
    op.create_table(
        "search_term_day",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("term_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["term_id"],
            ["search_term.id"],
            name=op.f("fk_search_term_day_term_id_search_term"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_search_term_day")),
        sa.UniqueConstraint("term_id", "day", name=op.f("uq_search_term_day_term_id")),
    )
    op.create_index(op.f("ix_search_term_day_day"), "search_term_day", ["day"], unique=False)
    op.create_index(op.f("ix_search_term_day_term_id"), "search_term_day", ["term_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_search_term_day_term_id"), table_name="search_term_day")
    op.drop_index(op.f("ix_search_term_day_day"), table_name="search_term_day")
    op.drop_table("search_term_day")
    op.drop_table("search_term")
