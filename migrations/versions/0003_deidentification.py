"""De-identification: quasi-identifiers, k, justified findings, and each release's report

Revision ID: 0003
Revises: 0002
Created: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("dataset", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("quasi_identifiers", sa.JSON(), nullable=False, server_default=sa.text("'[]'"))
        )
        batch_op.add_column(sa.Column("k_anonymity", sa.Integer(), nullable=False, server_default="5"))
        batch_op.add_column(
            sa.Column("pii_allowances", sa.JSON(), nullable=False, server_default=sa.text("'[]'"))
        )

    with op.batch_alter_table("dataset_release", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("deid_report", sa.JSON(), nullable=False, server_default=sa.text("'{}'"))
        )


def downgrade() -> None:
    with op.batch_alter_table("dataset_release", schema=None) as batch_op:
        batch_op.drop_column("deid_report")

    with op.batch_alter_table("dataset", schema=None) as batch_op:
        batch_op.drop_column("pii_allowances")
        batch_op.drop_column("k_anonymity")
        batch_op.drop_column("quasi_identifiers")
