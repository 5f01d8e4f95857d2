"""Case attachments, one-time lookup links, staff intake and Open311 columns

Revision ID: 0010
Revises: 0009
Created: 2026-12-02

Attachment names are sealed text (feedback/cases/sealing.py); the files themselves are
sealed in private storage. Lookup links keep only the hash of their token.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from portal.db import UTCDateTime

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("citizen_case", schema=None) as batch_op:
        batch_op.add_column(sa.Column("received_by_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("api_key_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("open311_token", sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column("latitude", sa.Float(), nullable=True))
        batch_op.add_column(sa.Column("longitude", sa.Float(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_citizen_case_received_by_id_staff"), "staff", ["received_by_id"], ["id"]
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_citizen_case_api_key_id_api_key"), "api_key", ["api_key_id"], ["id"]
        )
        batch_op.create_unique_constraint(batch_op.f("uq_citizen_case_open311_token"), ["open311_token"])
    op.create_table(
        "case_attachment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=True),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("media_type", sa.String(length=40), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("storage_key", sa.String(length=80), nullable=False),
        sa.Column("from_citizen", sa.Boolean(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["citizen_case.id"],
            name=op.f("fk_case_attachment_case_id_citizen_case"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["case_event.id"],
            name=op.f("fk_case_attachment_event_id_case_event"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_attachment")),
        sa.UniqueConstraint("storage_key", name=op.f("uq_case_attachment_storage_key")),
    )
    with op.batch_alter_table("case_attachment", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_case_attachment_case_id"), ["case_id"], unique=False)
    op.create_table(
        "case_link_token",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("expires_at", UTCDateTime(), nullable=False),
        sa.Column("used_at", UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["citizen_case.id"],
            name=op.f("fk_case_link_token_case_id_citizen_case"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_link_token")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_case_link_token_token_hash")),
    )
    with op.batch_alter_table("case_link_token", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_case_link_token_case_id"), ["case_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("case_link_token", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_link_token_case_id"))
    op.drop_table("case_link_token")
    with op.batch_alter_table("case_attachment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_attachment_case_id"))
    op.drop_table("case_attachment")
    with op.batch_alter_table("citizen_case", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_citizen_case_open311_token"), type_="unique")
        batch_op.drop_constraint(batch_op.f("fk_citizen_case_api_key_id_api_key"), type_="foreignkey")
        batch_op.drop_constraint(batch_op.f("fk_citizen_case_received_by_id_staff"), type_="foreignkey")
        batch_op.drop_column("longitude")
        batch_op.drop_column("latitude")
        batch_op.drop_column("open311_token")
        batch_op.drop_column("api_key_id")
        batch_op.drop_column("received_by_id")
