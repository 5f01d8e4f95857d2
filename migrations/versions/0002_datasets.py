"""Dataset catalogue and releases

Revision ID: 0002
Revises: 0001
Created: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import portal.db

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "classification_code",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("scheme", sa.String(length=10), nullable=False),
        sa.Column("code", sa.String(length=10), nullable=False),
        sa.Column("name_zh", sa.String(length=100), nullable=False),
        sa.Column("name_en", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_classification_code")),
        sa.UniqueConstraint("scheme", "code", name=op.f("uq_classification_code_scheme")),
    )
    op.create_table(
        "dataset",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=80), nullable=False),
        sa.Column("identifier", sa.String(length=40), nullable=False),
        sa.Column("title_zh", sa.String(length=200), nullable=False),
        sa.Column("title_en", sa.String(length=300), nullable=False),
        sa.Column("description_zh", sa.Text(), nullable=False),
        sa.Column("description_en", sa.Text(), nullable=False),
        sa.Column("keywords", sa.JSON(), nullable=False),
        sa.Column("theme_code", sa.String(length=10), nullable=False),
        sa.Column("cake_code", sa.String(length=10), nullable=False),
        sa.Column("service_code", sa.String(length=10), nullable=False),
        sa.Column("office_id", sa.Integer(), nullable=True),
        sa.Column("contact_name", sa.String(length=120), nullable=False),
        sa.Column("contact_phone", sa.String(length=40), nullable=False),
        sa.Column("contact_email", sa.String(length=254), nullable=False),
        sa.Column("provision_type", sa.String(length=40), nullable=False),
        sa.Column("update_frequency", sa.String(length=20), nullable=False),
        sa.Column("next_due", sa.Date(), nullable=True),
        sa.Column("licence", sa.String(length=40), nullable=False),
        sa.Column("cost", sa.String(length=100), nullable=False),
        sa.Column("temporal_start", sa.Date(), nullable=True),
        sa.Column("temporal_end", sa.Date(), nullable=True),
        sa.Column("related_url", sa.String(length=500), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("table_schema", sa.JSON(), nullable=False),
        sa.Column("published", sa.Boolean(), nullable=False),
        sa.Column("current_release_id", sa.Integer(), nullable=True),
        sa.Column("publishing_job_id", sa.Integer(), nullable=True),
        sa.Column("created_at", portal.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", portal.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["office_id"], ["office.id"], name=op.f("fk_dataset_office_id_office"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dataset")),
        sa.UniqueConstraint("slug", name=op.f("uq_dataset_slug")),
    )
    with op.batch_alter_table("dataset", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_dataset_current_release_id"), ["current_release_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_dataset_office_id"), ["office_id"], unique=False)

    op.create_table(
        "dataset_release",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dataset_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("storage_key", sa.String(length=200), nullable=False),
        sa.Column("query_table", sa.String(length=63), nullable=False),
        sa.Column("table_schema", sa.JSON(), nullable=False),
        sa.Column("files", sa.JSON(), nullable=False),
        sa.Column("row_count", sa.Integer(), nullable=False),
        sa.Column("rows_added", sa.Integer(), nullable=True),
        sa.Column("rows_removed", sa.Integer(), nullable=True),
        sa.Column("rows_changed", sa.Integer(), nullable=True),
        sa.Column("rows_dropped", sa.Integer(), nullable=False),
        sa.Column("validation", sa.JSON(), nullable=False),
        sa.Column("notes_zh", sa.Text(), nullable=False),
        sa.Column("notes_en", sa.Text(), nullable=False),
        sa.Column("source_name", sa.String(length=255), nullable=False),
        sa.Column("source_sha256", sa.String(length=64), nullable=False),
        sa.Column("created_by", sa.String(length=120), nullable=False),
        sa.Column("created_at", portal.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("published_at", portal.db.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["dataset_id"],
            ["dataset.id"],
            name=op.f("fk_dataset_release_dataset_id_dataset"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dataset_release")),
        sa.UniqueConstraint("dataset_id", "number", name=op.f("uq_dataset_release_dataset_id")),
    )
    with op.batch_alter_table("dataset_release", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_dataset_release_dataset_id"), ["dataset_id"], unique=False)

    # The dataset and its current release point at each other: the second pointer is added
    # once both tables exist.
    with op.batch_alter_table("dataset", schema=None) as batch_op:
        batch_op.create_foreign_key(
            batch_op.f("fk_dataset_current_release_id_dataset_release"),
            "dataset_release",
            ["current_release_id"],
            ["id"],
            ondelete="SET NULL",
        )

    op.create_table(
        "publish_job",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dataset_id", sa.Integer(), nullable=False),
        sa.Column("release_id", sa.Integer(), nullable=True),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("stage", sa.String(length=40), nullable=False),
        sa.Column("progress", sa.Integer(), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("report", sa.JSON(), nullable=False),
        sa.Column("options", sa.JSON(), nullable=False),
        sa.Column("source_path", sa.String(length=500), nullable=False),
        sa.Column("source_name", sa.String(length=255), nullable=False),
        sa.Column("requested_by", sa.String(length=120), nullable=False),
        sa.Column("created_at", portal.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("started_at", portal.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("finished_at", portal.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("heartbeat_at", portal.db.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["dataset_id"], ["dataset.id"], name=op.f("fk_publish_job_dataset_id_dataset"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["release_id"],
            ["dataset_release.id"],
            name=op.f("fk_publish_job_release_id_dataset_release"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_publish_job")),
    )
    with op.batch_alter_table("publish_job", schema=None) as batch_op:
        batch_op.create_index("ix_publish_job_dataset_state", ["dataset_id", "state"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("dataset", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_dataset_current_release_id_dataset_release"), type_="foreignkey"
        )
    with op.batch_alter_table("publish_job", schema=None) as batch_op:
        batch_op.drop_index("ix_publish_job_dataset_state")

    op.drop_table("publish_job")
    with op.batch_alter_table("dataset_release", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_dataset_release_dataset_id"))

    op.drop_table("dataset_release")
    with op.batch_alter_table("dataset", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_dataset_office_id"))
        batch_op.drop_index(batch_op.f("ix_dataset_current_release_id"))

    op.drop_table("dataset")
    op.drop_table("classification_code")
