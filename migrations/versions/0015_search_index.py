"""Search: the index's table of documents and their terms

Revision ID: 0015
Revises: 0014
Created: 2026-12-04

One row per document and language. The backends create their own structures beside it
(`search_fts` on SQLite, `search_pg_index` on PostgreSQL) when first used; the downgrade
drops them too.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "search_document",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("source_key", sa.String(length=200), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("title", sa.String(length=500), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("office_code", sa.String(length=20), nullable=True),
        sa.Column("theme_code", sa.String(length=20), nullable=True),
        sa.Column("administration_code", sa.String(length=20), nullable=True),
        sa.Column("service_code", sa.String(length=20), nullable=True),
        sa.Column("url", sa.String(length=500), nullable=False),
        sa.Column("title_terms", sa.Text(), nullable=False),
        sa.Column("body_terms", sa.Text(), nullable=False),
        sa.Column("rank_key", sa.BigInteger(), nullable=False),
        sa.Column("tokeniser_version", sa.Integer(), nullable=False),
        sa.Column("indexed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_search_document")),
        sa.UniqueConstraint("kind", "source_key", "language", name="uq_search_document_source"),
        sa.UniqueConstraint("rank_key", name=op.f("uq_search_document_rank_key")),
    )
    op.create_index("ix_search_document_kind_rank", "search_document", ["kind", "rank_key"], unique=False)
    for column in ("office_code", "theme_code", "administration_code", "service_code", "tokeniser_version"):
        op.create_index(op.f(f"ix_search_document_{column}"), "search_document", [column], unique=False)


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        op.execute("DROP TABLE IF EXISTS search_fts")
    else:
        op.execute("DROP TABLE IF EXISTS search_pg_index")
    for column in ("tokeniser_version", "service_code", "administration_code", "theme_code", "office_code"):
        op.drop_index(op.f(f"ix_search_document_{column}"), table_name="search_document")
    op.drop_index("ix_search_document_kind_rank", table_name="search_document")
    op.drop_table("search_document")
