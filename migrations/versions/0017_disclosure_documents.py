"""Proactive disclosure: documents under the ten §7 categories, and their files

Revision ID: 0017
Revises: 0016
Created: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from portal.db import UTCDateTime

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "disclosure_document",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("category", sa.Integer(), nullable=False),
        sa.Column("title_zh", sa.String(length=200), nullable=False),
        sa.Column("title_en", sa.String(length=300), nullable=False),
        sa.Column("summary_zh", sa.String(length=1000), nullable=False),
        sa.Column("summary_en", sa.String(length=1500), nullable=False),
        sa.Column("document_date", sa.Date(), nullable=False),
        sa.Column("office_id", sa.Integer(), nullable=True),
        sa.Column("theme_code", sa.String(length=10), nullable=False),
        sa.Column("cake_code", sa.String(length=10), nullable=False),
        sa.Column("service_code", sa.String(length=10), nullable=False),
        sa.Column("source_name", sa.String(length=200), nullable=False),
        sa.Column("source_url", sa.String(length=500), nullable=False),
        sa.Column("published", sa.Boolean(), nullable=False),
        sa.Column("created_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["office_id"],
            ["office.id"],
            name=op.f("fk_disclosure_document_office_id_office"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_disclosure_document")),
    )
    op.create_index(op.f("ix_disclosure_document_category"), "disclosure_document", ["category"])
    op.create_table(
        "disclosure_file",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("media_type", sa.String(length=80), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("storage_key", sa.String(length=80), nullable=False),
        sa.Column("pages", sa.Integer(), nullable=True),
        sa.Column("has_text", sa.Boolean(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["disclosure_document.id"],
            name=op.f("fk_disclosure_file_document_id_disclosure_document"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_disclosure_file")),
        sa.UniqueConstraint("storage_key", name=op.f("uq_disclosure_file_storage_key")),
    )
    op.create_index(op.f("ix_disclosure_file_document_id"), "disclosure_file", ["document_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_disclosure_file_document_id"), table_name="disclosure_file")
    op.drop_table("disclosure_file")
    op.drop_index(op.f("ix_disclosure_document_category"), table_name="disclosure_document")
    op.drop_table("disclosure_document")
